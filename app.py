"""Deep Learning Theory Explorer: routing (st.navigation over the pages), each page's
copy-link box, taking turns with the other sessions' runs, and handing freed memory back
to the system."""

import streamlit as st

from views.common.sharing import links_drawn
from views.heap import keep_heap_compact
from views.registry import PAGES
from views.slots import taking_turns

with taking_turns():  # one session's script at a time, first come first served (views/slots)
    st.set_page_config(
        page_title="Deep Learning Theory Explorer",
        page_icon=":material/school:",
        layout="wide",
    )
    keep_heap_compact()  # so that a class that has left leaves no trace in memory
    home = st.Page("views/home.py", title="Home", icon=":material/home:", default=True)
    explainers = [
        st.Page(entry.script, title=entry.title, icon=entry.icon, url_path=entry.url_path)
        for entry in PAGES
    ]
    navigation = st.navigation({"": [home], "Explainers": explainers})
    with links_drawn():  # the page's "Copy link" box, once its controls are known
        navigation.run()
