"""Widgets shared by the talent-map pages: the rule-set picker, the plotly selection, footnotes."""
from __future__ import annotations

import streamlit as st

from ..rules import RuleSet
from ..scope import Filters
from . import queries


def rule_set_picker(key: str) -> RuleSet:
    """A select box of stored rule sets, the active one first; returns the chosen rule set."""
    hist = queries.rule_set_history()
    active = hist[hist["active"]]
    ids = active["rule_set_id"].tolist() + hist.loc[~hist["active"], "rule_set_id"].tolist()
    names = dict(zip(hist["rule_set_id"], hist["name"]))
    chosen = st.selectbox("Aturan penilaian", ids, key=key,
                          format_func=lambda i: f"#{i} {names[i]}" + (" (aktif)" if i in set(active["rule_set_id"])
                                                                      else ""),
                          help="Peta talenta periode mana pun dapat dilihat dengan aturan mana pun.")
    return queries.rule_set(int(chosen))


def selected_customdata(key: str) -> list | None:
    """``customdata`` of the first selected point of the plotly chart with ``key`` (or None)."""
    state = st.session_state.get(key)
    if not state:
        return None
    selection = state.get("selection") if isinstance(state, dict) else getattr(state, "selection", None)
    points = (selection or {}).get("points") or []
    return points[0].get("customdata") if points else None


def footnote(filters: Filters, rs: RuleSet, last_import: str | None) -> str:
    return (f"{filters.describe()} · {rs.label} · data per {last_import[:10] if last_import else '–'} · "
            "PermenPANRB 3/2020")
