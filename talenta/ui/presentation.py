"""Presentation mode: the meeting form of the dashboard for a 1920 x 1080 projector.

The key views become steps (``talenta.ui.slides``): each fits one screen with its key figures and one chart,
in large type, with identities masked and small groups hidden (the scope does that), no downloads, search or
editing, and the previous/next buttons always on top, even when a step fails. The sidebar filters stay in
force on every step (they persist for the session: ``ui/filters``).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable

import plotly.graph_objects as go
import streamlit as st

from ..errors import TalentaError
from .resources import PRESENTATION_STATE

CSS = """
<style>
  html, body, [class*="css"] { font-size: 19px; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 3.2rem 2.5rem 0 2.5rem !important; }
  [data-testid="stMain"] h1 { font-size: 2.3rem !important; padding: 0.2rem 0 0.1rem 0 !important; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; line-height: 1.15; }
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] p { font-size: 1.25rem !important; }
  [data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * { font-size: 1.2rem !important; }
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.05rem !important; }
  [data-testid="stMain"] [data-testid="stMarkdownContainer"] p { font-size: 1.25rem; }
  [data-testid="stTable"] table { font-size: 1.35rem !important; }
  [data-testid="stTable"] th { font-size: 1.2rem !important; }
  [data-testid="stTable"] td { text-align: right !important; }
  [data-testid="stDataFrame"] { zoom: 1.4; }
  [data-testid="stElementToolbar"], [data-testid="stDownloadButton"], .modebar-container { display: none !important; }
  [data-testid="stMain"] [data-testid="stButton"] button p { font-size: 1.15rem; }
</style>
"""

CHART_CONFIG = {"displaylogo": False,
                "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900, "scale": 1}}
SLIDE_CONFIG = {"displayModeBar": False, "displaylogo": False, "staticPlot": False}

FONT_SCALE = 1.45
# sizes for everything a chart does not size itself (axis ticks, legend, hover); explicit sizes are scaled
TEMPLATE = go.layout.Template(layout=dict(
    font=dict(size=22), title=dict(font=dict(size=30)), legend=dict(font=dict(size=20)),
    hoverlabel=dict(font=dict(size=20)), xaxis=dict(tickfont=dict(size=20), title=dict(font=dict(size=22))),
    yaxis=dict(tickfont=dict(size=20), title=dict(font=dict(size=22)))))


def active() -> bool:
    return bool(st.session_state.get(PRESENTATION_STATE, False))


def apply_style() -> None:
    if active():
        st.markdown(CSS, unsafe_allow_html=True)


def _scale(font) -> None:
    if font is not None and font.size:
        font.size = round(font.size * FONT_SCALE)


def projector(fig: go.Figure, height: int) -> go.Figure:
    """A copy of ``fig`` for the projector: the presentation template, every explicit font size scaled by
    ``FONT_SCALE``, margins that grow with the labels, and the given height (so the step fits the screen)."""
    out = go.Figure(fig)
    base = out.layout.font.size or 14
    out.update_layout(template=TEMPLATE, height=height, dragmode=False)
    out.layout.font.size = round(base * FONT_SCALE)
    _scale(out.layout.title.font)
    _scale(out.layout.legend.font)
    for ann in out.layout.annotations:
        _scale(ann.font)
    def axis(ax) -> None:
        _scale(ax.tickfont)
        _scale(ax.title.font)
        ax.automargin = True
    out.for_each_xaxis(axis)
    out.for_each_yaxis(axis)
    for trace in out.data:
        if hasattr(trace, "textfont"):
            _scale(trace.textfont)
        if getattr(trace, "colorbar", None) is not None:        # the heatmap's colour scale, read from afar too
            _scale(trace.colorbar.tickfont)
            _scale(trace.colorbar.title.font)
    return out


def chart(fig: go.Figure, key: str, height: int, where=st) -> None:
    """A chart scaled for the projector, without the toolbar (no downloads in a meeting)."""
    where.plotly_chart(projector(fig, height), key=key, config=SLIDE_CONFIG, theme=None)


@contextmanager
def guarded(title: str):
    """Run a step's body so a failure shows a message (with an error id for a bug) and never takes the stepper
    away: the stepper is drawn before the body, and nothing raised here stops the script."""
    from . import errors

    try:
        yield
    except TalentaError as exc:
        errors.show(exc)
    except Exception as exc:
        if type(exc).__module__.startswith("streamlit"):
            raise
        errors.show_unexpected(exc, f"presentasi: {title}")


def step(title: str, body: Callable[[], None]) -> Callable[[], None]:
    """The page function of one step: ``body`` run under :func:`guarded`."""
    def run() -> None:
        with guarded(title):
            body()
    run.__name__ = f"step_{abs(hash(title))}"
    return run


def stepper(pages: list, current) -> None:
    """Previous / next buttons through the steps, above the step (so a failing or long step never hides them)."""
    paths = [p.url_path for p in pages]
    if current.url_path not in paths:
        return
    i = paths.index(current.url_path)
    left, mid, right = st.columns([1, 3, 1], vertical_alignment="center")
    if i > 0 and left.button(f"← {pages[i - 1].title}", key=f"pres_prev_{i}", width="stretch"):
        st.switch_page(pages[i - 1])
    mid.markdown(f"<div style='text-align:center;color:#52606d'>Tampilan {i + 1} dari {len(pages)}</div>",
                 unsafe_allow_html=True)
    if i < len(pages) - 1 and right.button(f"{pages[i + 1].title} →", key=f"pres_next_{i}", width="stretch"):
        st.switch_page(pages[i + 1])
