"""Plotly figures built once and shared by every rerun and session (st.cache_resource)."""

from __future__ import annotations

from plotly.basedatatypes import BaseFigure


def frozen(value):
    """``value`` with the dict of each plotly figure in it made once, and returned as is.

    st.plotly_chart calls figure.to_dict() on every rerun: a deep copy of every trace and
    frame and a base64 encoding of every array (~50 ms of each unchanged rerun of the RNN
    lab, measured). Only for figures that nothing changes afterwards, such as those that
    st.cache_resource returns (st.plotly_chart reads them; to_json pops no key they have).
    ``value``: a figure, or a tuple, list or dict of them (other items pass through).
    """
    if isinstance(value, BaseFigure):
        spec = value.to_dict()
        value.to_dict = lambda: spec  # plotly lets an instance attribute shadow the method
    elif isinstance(value, (tuple, list)):
        for item in value:
            frozen(item)
    elif isinstance(value, dict):
        for item in value.values():
            frozen(item)
    return value
