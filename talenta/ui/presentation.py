"""Presentation mode: meeting form of the dashboard (large type, masked identities, step through views)."""
from __future__ import annotations

import streamlit as st

from .resources import PRESENTATION_STATE

CSS = """
<style>
  html, body, [class*="css"] { font-size: 19px; }
  [data-testid="stMetricValue"] { font-size: 3.2rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.15rem !important; }
  h1 { font-size: 3rem !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-left: 2rem; padding-right: 2rem; }
</style>
"""

CHART_CONFIG = {"displaylogo": False,
                "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900, "scale": 1}}


def active() -> bool:
    return bool(st.session_state.get(PRESENTATION_STATE, False))


def apply_style() -> None:
    if active():
        st.markdown(CSS, unsafe_allow_html=True)


def stepper(pages: list, current) -> None:
    """Previous / next buttons through the key views, below the page content."""
    titles = [p.title for p in pages]
    if current.title not in titles:
        return
    i = titles.index(current.title)
    st.divider()
    left, mid, right = st.columns([1, 3, 1])
    if i > 0 and left.button(f"← {titles[i - 1]}", key=f"pres_prev_{i}", width="stretch"):
        st.switch_page(pages[i - 1])
    mid.markdown(f"<div style='text-align:center'>Tampilan {i + 1} dari {len(pages)}: <b>{titles[i]}</b></div>",
                 unsafe_allow_html=True)
    if i < len(pages) - 1 and right.button(f"{titles[i + 1]} →", key=f"pres_next_{i}", width="stretch"):
        st.switch_page(pages[i + 1])
