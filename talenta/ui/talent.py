"""Widgets shared by the talent-map pages: the rule-set picker, the plotly selection, footnotes."""
from __future__ import annotations

import streamlit as st

from .. import labels, privacy
from ..fmt import data_date, num
from ..rules import RuleSet
from ..scope import Filters, Scope
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


def _points(key: str) -> list:
    state = st.session_state.get(key)
    if not state:
        return []
    selection = state.get("selection") if isinstance(state, dict) else getattr(state, "selection", None)
    return list((selection or {}).get("points") or [])


def kept_selection(key: str) -> list | None:
    """``customdata`` of the latest point chosen in the plotly chart ``key``, kept until another is chosen or
    ``forget_selection`` runs.

    Streamlit identifies a chart widget by its figure as well as its key: once the figure changes (the chosen
    box drawn with an outline), the chart is a new widget with an empty selection, so the next rerun of any
    other widget (a search typed and Enter pressed) would drop the choice. Only a selection not seen before
    replaces the kept one, so a stale selection cannot undo ``forget_selection``.
    """
    ss, points = st.session_state, _points(key)
    if not points:
        ss.pop(f"{key}__seen", None)
    elif repr(points) != ss.get(f"{key}__seen"):
        ss[f"{key}__seen"] = repr(points)
        ss[f"{key}__kept"] = points[0].get("customdata")
    return ss.get(f"{key}__kept")


def forget_selection(key: str) -> None:
    """Drop the choice kept by ``kept_selection`` (a button's ``on_click``)."""
    st.session_state.pop(f"{key}__kept", None)


def footnote(scope: Scope, filters: Filters, rs: RuleSet, last_import: str | None) -> str:
    """A chart's footnote: the filters as ``scope`` limits them (an OPD account's chart names its OPD, never
    "OPD: semua"), the basis, the rule set and the data date."""
    basis = "" if filters.basis != "otomatis" or not filters.period else \
        f" · Dasar kotak: {queries.resolved_basis(scope, filters)}"
    return (f"{filters.describe(scope)}{basis} · {rs.label} · data per {data_date(last_import)} · "
            "PermenPANRB 3/2020")


def unplaced_breakdown(scope, filters: Filters, rs: RuleSet) -> str:
    """The one breakdown of the unplaced (``talentmap.unplaced_reasons``, exclusive reasons, suppressed as
    the talent map) as text, "5.948 belum pernah asesmen, 902 tanpa kinerja (SKP) yang berlaku, ...":
    Ringkasan, Data and Peta Talenta say the same thing in the same words."""
    counts = queries.unplaced_counts(scope, filters, rs).set_index("alasan")["n"]
    return ", ".join(f"{privacy.text(counts.get(k, 0), num)} {words}" for k, words in labels.UNPLACED.items())
