"""The Streamlit dashboard's pieces; app.py wires them together."""
