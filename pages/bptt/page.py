import streamlit as st
st.title("BPTT placeholder")
