"""The views: one folder per page (page.py, figures.py, text), and common pieces.

A page script (page.py) defines no function: Streamlit runs it anew in fresh globals on every
rerun, and a function defined there holds those globals (every result of the run) in a
reference cycle that outlives the run until a full garbage collection, which
`runner.postScriptGC = false` leaves to chance; Streamlit would also re-derive each cached
function's key from its source on every rerun. Cached work lives in the page's
computations.py, callbacks beside its controls.
"""
