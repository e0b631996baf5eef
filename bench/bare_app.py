"""The baseline for bench/app.py: a bare Streamlit app with one year slider and a text line."""

import streamlit as st

year = st.slider("Year", 1800, 2025, 1900, key="year")
st.write(f"Selected year: {year}")
