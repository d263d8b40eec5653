"""Streamlit panels of the atlas: each takes the view state and the atlas; only this package imports Streamlit."""
