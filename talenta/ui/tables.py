"""Tables with Indonesian number formats (thousands '.', decimal ',') that still sort by value."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from . import fmt


# at most this many rows of a list go to the browser; downloads and the CLI carry every row
SCREEN_ROWS = 500


def show(df: pd.DataFrame, *, labels: dict[str, str] | None = None, ints: tuple[str, ...] = (),
         pcts: tuple[str, ...] = (), decimals: dict[str, int] | None = None, key: str | None = None,
         height: int | str = "auto", column_config: dict | None = None, **kwargs):
    """``st.dataframe`` with formatted numbers; ``pcts`` hold shares 0..1 shown as ``87,5 %``."""
    labels = labels or {}
    formats = {c: (lambda v: fmt.num(v)) for c in ints if c in df}
    formats.update({c: (lambda v: fmt.pct(v)) for c in pcts if c in df})
    for c, d in (decimals or {}).items():
        if c in df:
            formats[c] = (lambda v, d=d: fmt.num(v, d))
    styled = df.style.format(formats, na_rep="–")
    config = {c: st.column_config.Column(label) for c, label in labels.items() if c in df}
    config.update(column_config or {})
    return st.dataframe(styled, hide_index=True, column_config=config, key=key, height=height,
                        width="stretch", **kwargs)
