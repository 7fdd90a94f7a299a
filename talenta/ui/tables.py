"""Tables with Indonesian headers (``talenta.labels``) and number formats (thousands '.', decimal ',') that
still sort by value; a missing value reads "–", never "None" or "nan"; in a table with a missing count (``ints``:
suppressed for a masked scope) empty cells read the hidden mark "•" as everywhere else."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from . import fmt
from ..labels import label
from ..privacy import HIDDEN


# at most this many rows of a list go to the browser; downloads and the CLI carry every row
SCREEN_ROWS = 500


def show(df: pd.DataFrame, *, labels: dict[str, str] | None = None, ints: tuple[str, ...] = (),
         pcts: tuple[str, ...] = (), percents: tuple[str, ...] = (), decimals: dict[str, int] | None = None,
         key: str | None = None, height: int | str = "auto", column_config: dict | None = None,
         empty: str = "Belum ada baris untuk ditampilkan.", **kwargs):
    """``st.dataframe`` with every header through ``labels.label`` (``labels`` overrides per page) and
    formatted numbers: ``pcts`` hold shares 0..1, ``percents`` percentages 0..100 (``krs_persen``), both
    shown as ``87,5 %``; booleans read "ya"/"tidak". A table without rows is the sentence ``empty``."""
    if df.empty:                         # Streamlit would draw an English "empty" under the headers
        return st.caption(empty)
    labels = labels or {}
    formats = {c: (lambda v: fmt.num(v)) for c in ints if c in df}
    formats.update({c: (lambda v: fmt.pct(v)) for c in pcts if c in df})
    formats.update({c: (lambda v: fmt.persen(v)) for c in percents if c in df})
    for c, d in (decimals or {}).items():
        if c in df:
            formats[c] = (lambda v, d=d: fmt.num(v, d))
    formats.update({c: _yes_no for c in df.columns if c not in formats and pd.api.types.is_bool_dtype(df[c])})
    if isinstance(height, int) and 35 * (len(df) + 1) + 3 < height:
        height = "auto"                      # a short table ends with its last row, not a block of empty lines
    styled = df.style.format(na_rep="–").format(formats, na_rep="–")
    # a count without a value is a hidden one (privacy): the grid draws every empty cell with one placeholder,
    # so a table with a hidden count marks its empty cells "•" (the shares resting on them are empty too)
    hidden = any(df[c].isna().any() for c in ints if c in df)
    config = {c: st.column_config.Column(labels.get(c, label(c))) for c in df.columns if isinstance(c, str)}
    config.update(column_config or {})
    return st.dataframe(styled, hide_index=True, column_config=config, key=key, height=height,
                        width="stretch", placeholder=HIDDEN if hidden else "–", **kwargs)


def _yes_no(v) -> str:
    return "–" if v is None or v is pd.NA else ("ya" if v else "tidak")
