"""The Ringkasan blocks shared by the page and its presentation steps: headline figures with the change
against the previous period, and the strongest/weakest KRS shares per OPD (per unit kerja within one OPD)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import overview, pool, privacy, rules
from ..rules import RuleSet
from ..scope import Filters, Scope
from . import fmt, queries

# (key in talentmap.summary, label, help, a rise is bad)
HEADLINES = (
    ("pegawai", "ASN dalam filter", None, False),
    ("terpetakan", "Terpetakan", "Punya kinerja dan asesmen yang berlaku untuk periode ini.", False),
    ("krs_persen", f"KRS (kotak {rules.KRS_SHORT})", None, False),
    ("kotak_9", "Kotak 9", "Kinerja di atas ekspektasi, potensial tinggi.", False),
    ("kotak_1", "Kotak 1", "Kinerja di bawah ekspektasi, potensial rendah.", True),
)


def headline_metrics(scope: Scope, flt: Filters, rs: RuleSet) -> dict:
    """Five metrics in a row, each with its change since the previous period (Indonesian digits; a change is
    left out when either figure is hidden). Returns the current summary."""
    period = flt.need_period()
    s = queries.talent_summary(scope, flt, rs)
    before = overview.previous_period(queries.periods(), period)
    ch = overview.changes(s, queries.talent_summary(scope, flt.at(before), rs) if before else None)
    hide = lambda n: privacy.text(n, fmt.num)  # noqa: E731
    for col, (key, label, help_, rise_is_bad) in zip(st.columns(len(HEADLINES)), HEADLINES):
        if key == "krs_persen":
            value, delta = fmt.persen(s[key]), fmt.change(ch[key], 1, "poin")
            help_ = (f"Kelompok Rencana Suksesi: {hide(s['krs'])} pegawai di {rules.KRS_TEXT}, dibagi jumlah yang "
                     "terpetakan.")
        else:
            value, delta = hide(s[key]), fmt.change(ch[key])
        if delta is not None and before is not None:
            delta = f"{delta} dari {before}"
        if before is not None:
            help_ = (help_ + " " if help_ else "") + f"Perubahan dibanding periode {before}."
        col.metric(label, value, delta, delta_color="off" if delta and delta.startswith("0 ")
                   else "inverse" if rise_is_bad else "normal",
                   delta_arrow="off" if delta and delta.startswith("0 ") else "auto", help=help_)
    return s


def rankings(scope: Scope, flt: Filters, rs: RuleSet, n: int = 5) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """The grouping's label and the strongest and weakest groups by KRS share (OPD, or unit kerja when the view
    holds one OPD), with their placed employees; groups under the small-group threshold are left out."""
    by = queries.ranking_by(scope, flt)
    table = queries.pool_table(scope, flt, rs, by)
    best, worst = pool.strongest_weakest(table, n, max(privacy.threshold(scope), 5))
    return pool.GROUPINGS[by][0], best, worst


def ranking_frame(df: pd.DataFrame, label: str) -> pd.DataFrame:
    """A ranking as display text with Indonesian headers ("•" for a hidden count, never "None")."""
    return pd.DataFrame({
        label: df["group"].astype(str),
        "Terpetakan": [privacy.text(v, fmt.num) for v in df["terpetakan"]],
        "KRS": [privacy.text(v, fmt.num) for v in df["krs"]],
        "% KRS": [fmt.persen(v) for v in df["krs_persen"]],
    })


TREND_HIDDEN = ("Perkembangan per periode tidak ditampilkan: pada setiap periode jumlah pegawai terpetakan "
                "disembunyikan (kelompok kecil) atau nol.")


def trend_shown(df: pd.DataFrame) -> bool:
    """Whether the trend chart has anything to draw: a placed count shown and above zero in some period. Not when
    every one is hidden (empty axes said nothing), nor when the shown ones are all 0 (the axes read 1, 1, 0, -1,
    -1 beside no bar; hostile pass, session 22): the sentence ``TREND_HIDDEN`` says why."""
    return any(not privacy.hidden(v) and v > 0 for v in df["terpetakan"]) if len(df) else False
