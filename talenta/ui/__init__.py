"""The only package that imports Streamlit: cached resources, filter widgets, formatting, errors."""
