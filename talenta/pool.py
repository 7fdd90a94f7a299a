"""Talent-pool statistics per group (OPD and other groupings), bench strength, movement, privacy.

Every count is aggregated in DuckDB on top of the talent-map SQL. Grouping columns come from the
allow-list ``GROUPINGS`` only (their SQL is fixed here, never built from user input).
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import talentmap
from .rules import RuleSet
from .scope import Filters, Scope

AGE_SQL = "date_part('year', age(make_date($t, 12, 31), e.tanggal_lahir))"
GROUPINGS: dict[str, tuple[str, str]] = {
    "opd": ("OPD", "e.opd"),
    "instansi": ("Instansi", "e.instansi"),
    "jenis_jabatan": ("Jenis jabatan", "coalesce(e.jenis_jabatan, 'Tidak diisi')"),
    "eselon": ("Eselon", "coalesce(e.eselon, 'Non-eselon')"),
    "golongan": ("Golongan", "coalesce(e.golongan, 'Tidak diisi')"),
    "jenis_asn": ("Jenis ASN", "coalesce(e.jenis_asn, 'Tidak diisi')"),
    "jenis_kelamin": ("Jenis kelamin", "coalesce(e.jenis_kelamin, 'Tidak diisi')"),
    "kelompok_usia": ("Kelompok usia", "CASE WHEN e.tanggal_lahir IS NULL THEN 'Tidak diisi' "
                                       "WHEN " + AGE_SQL + " < 30 THEN '< 30' "
                                       "WHEN " + AGE_SQL + " < 40 THEN '30-39' "
                                       "WHEN " + AGE_SQL + " < 50 THEN '40-49' "
                                       "WHEN " + AGE_SQL + " < 55 THEN '50-54' ELSE '55+' END"),
    "pendidikan": ("Pendidikan", "coalesce(e.pendidikan, 'Tidak diisi')"),
}
BOX_COLS = [f"kotak_{i}" for i in range(1, 10)]
POOL_COLUMNS = ["group", "total", *BOX_COLS, "belum_terpetakan", "krs", "krs_persen"]


def group_sql(by: str) -> str:
    if by not in GROUPINGS:
        from .errors import UsageError
        raise UsageError(f"Pengelompokan '{by}' tidak dikenal; pilih salah satu: {', '.join(GROUPINGS)}.")
    return GROUPINGS[by][1]


def pool_table(con, scope: Scope, filters: Filters, period: int, rs: RuleSet, by: str = "opd") -> pd.DataFrame:
    """One row per group: total, kotak_1..kotak_9, belum_terpetakan, krs, krs_persen (of placed), sorted by KRS share."""
    boxes = ", ".join(f"count(*) FILTER (e.kotak = {i}) AS kotak_{i}" for i in range(1, 10))
    select = ("SELECT " + group_sql(by) + " AS \"group\", count(*) AS total, " + boxes +
              ", count(*) FILTER (e.kotak IS NULL) AS belum_terpetakan, count(*) FILTER (e.kotak >= 7) AS krs "
              "FROM final e GROUP BY ALL")
    df = talentmap._query(con, scope, filters, period, rs, select)
    placed = df["total"] - df["belum_terpetakan"]
    df["krs_persen"] = np.where(placed > 0, df["krs"] / placed.where(placed > 0, 1), np.nan)
    # ties broken by name, so the order is the same on every run (and between page and download)
    df = df.sort_values(["krs_persen", "total", "group"], ascending=[False, False, True],
                        na_position="last").reset_index(drop=True)
    return df[POOL_COLUMNS]


# --- small-group privacy --------------------------------------------------------------------------

def suppression_mask(values: np.ndarray, threshold: int, hidden: np.ndarray | None = None) -> np.ndarray:
    """Cells to hide so that no count below ``threshold`` is shown or derivable.

    Primary: every cell with 0 < count < threshold. Secondary: in any row or column where exactly one
    cell is hidden, also hide the smallest other non-zero cell, so that the row or column total minus
    the visible cells cannot reveal it. Repeated until stable. Zeros are not hidden (they reveal nobody).
    ``hidden`` marks cells already hidden for another reason (a whole small group).
    """
    v = np.array(values, dtype=float)
    hide = (v > 0) & (v < threshold)
    if hidden is not None:
        hide |= hidden
    if threshold <= 1:
        return hide
    changed = True
    while changed:
        changed = False
        for axis in (1, 0):
            view_v = v if axis == 1 else v.T
            view_h = hide if axis == 1 else hide.T
            for i in range(view_v.shape[0]):
                if (view_h[i] & (view_v[i] > 0)).sum() == 1:
                    candidates = np.where(~view_h[i] & (view_v[i] > 0), view_v[i], np.inf)
                    if np.isfinite(candidates).any():
                        view_h[i, int(np.argmin(candidates))] = True
                        changed = True
    return hide


def derivable(values: np.ndarray, hide: np.ndarray, row_total_shown: np.ndarray, threshold: int) -> np.ndarray:
    """Hidden cells that can be computed back from published totals and visible cells.

    Published: each row total where ``row_total_shown``, and each column total of at least
    ``threshold`` (the talent map shows box counts, hiding those below the threshold). Solved
    iteratively: a line with one unknown cell reveals it, which may unlock another line.
    """
    known = ~hide
    col_shown = values.sum(axis=0) >= threshold
    changed = True
    while changed:
        changed = False
        for i in np.flatnonzero(row_total_shown):
            if (~known[i]).sum() == 1:
                known[i] = True
                changed = True
        for j in np.flatnonzero(col_shown):
            if (~known[:, j]).sum() == 1:
                known[:, j] = True
                changed = True
    return hide & known


def suppress_pool(df: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Blank every count below ``threshold`` in a pool table (and what would reveal it).

    Groups whose total is below the threshold are blanked whole, and so is any group whose hidden
    counts could still be worked out from row and column totals. Shares are left out wherever the
    counts they rest on are hidden. Counts become nullable integers (<NA> = hidden).
    """
    if threshold <= 1 or df.empty:
        return df
    out = df.copy()
    cols = [*BOX_COLS, "belum_terpetakan"]
    values = out[cols].to_numpy(dtype=float, copy=True)
    whole = (out["total"] < threshold).to_numpy().copy()
    while True:
        hide = suppression_mask(values, threshold, np.repeat(whole[:, None], values.shape[1], axis=1))
        leak = derivable(values, hide, ~whole, threshold) & (values > 0) & (values < threshold)
        grow = leak.any(axis=1) & ~whole
        if not grow.any():
            break
        whole |= grow
    # the KRS count is the sum of three cells: hide it when any part is hidden or it is itself small
    krs_hidden = hide[:, 6:9].any(axis=1) | ((out["krs"] > 0) & (out["krs"] < threshold)).to_numpy() | whole
    for c in [*cols, "total", "krs"]:
        out[c] = out[c].astype("Int64")
    for j, c in enumerate(cols):
        out.loc[hide[:, j], c] = pd.NA
    out.loc[krs_hidden, "krs"] = pd.NA
    out.loc[whole, "total"] = pd.NA
    out.loc[whole, cols] = pd.NA      # a hidden group shows not even its zeros
    out.loc[out["krs"].isna() | out["belum_terpetakan"].isna(), "krs_persen"] = np.nan
    return out


def shares(df: pd.DataFrame) -> pd.DataFrame:
    """Box shares within each group's placed employees (NaN where counts are hidden)."""
    placed = df[BOX_COLS].sum(axis=1, min_count=9).astype(float)
    out = df[["group"]].copy()
    for c in BOX_COLS:
        out[c] = df[c].astype(float) / placed.where(placed > 0)
    return out


# --- bench strength -----------------------------------------------------------------------------

BUP_SQL = """CASE WHEN e.eselon LIKE 'I.%' OR e.eselon LIKE 'II.%' THEN 60
                  WHEN e.jabatan ILIKE '%Ahli Utama%' THEN 65
                  WHEN e.jabatan ILIKE '%Ahli Madya%' THEN 60 ELSE 58 END"""
MANAGERIAL_SQL = "(e.jenis_jabatan = 'Struktural' OR e.eselon IS NOT NULL)"


def bench_strength(con, scope: Scope, filters: Filters, period: int, rs: RuleSet,
                   as_of: dt.date | None = None) -> pd.DataFrame:
    """Per OPD: managerial positions (JPT, Administrator, Pengawas), their holders reaching BUP within two
    years of ``as_of``, KRS members, and KRS members per position. Weakest first."""
    as_of = as_of or dt.date.today()
    select = """
        SELECT e.instansi, e.opd,
               count(*) FILTER (""" + MANAGERIAL_SQL + """) AS jabatan_manajerial,
               count(*) FILTER (e.eselon LIKE 'I.%' OR e.eselon LIKE 'II.%') AS jpt,
               count(*) FILTER (e.eselon LIKE 'III.%') AS administrator,
               count(*) FILTER (e.eselon LIKE 'IV.%') AS pengawas,
               count(*) FILTER (""" + MANAGERIAL_SQL + """ AND e.tanggal_lahir IS NOT NULL
                                AND e.tanggal_lahir + to_years(CAST(""" + BUP_SQL + """ AS INTEGER))
                                    <= $as_of + INTERVAL 2 YEAR) AS pensiun_2_tahun,
               count(*) FILTER (e.kotak >= 7) AS krs,
               count(*) FILTER (e.kotak >= 7 AND """ + MANAGERIAL_SQL + """) AS krs_pejabat
        FROM final e
        GROUP BY ALL HAVING count(*) FILTER (""" + MANAGERIAL_SQL + """) > 0"""
    df = talentmap._query(con, scope, filters, period, rs, select, {"as_of": as_of})
    df["krs_per_jabatan"] = df["krs"] / df["jabatan_manajerial"]
    df["tanpa_suksesor"] = df["krs"] == 0
    return df.sort_values(["krs_per_jabatan", "pensiun_2_tahun", "instansi", "opd"],
                          ascending=[True, False, True, True]).reset_index(drop=True)


# --- movement between two periods ----------------------------------------------------------------

def movement(con, scope: Scope, filters: Filters, period_from: int, period_to: int, rs: RuleSet) -> pd.DataFrame:
    """10 x 10 transition matrix from the box at ``period_from`` to the box at ``period_to`` (0 = belum)."""
    return talentmap.matrix(talentmap.compare(con, scope, filters, (period_from, rs), (period_to, rs)))


def movement_by_group(con, scope: Scope, filters: Filters, period_from: int, period_to: int, rs: RuleSet,
                      by: str = "opd") -> pd.DataFrame:
    """Per group: employees placed in both periods who moved up (to a higher box number), stayed, or
    moved down; plus newly placed and no longer placed."""
    pairs = talentmap.compare(con, scope, filters, (period_from, rs), (period_to, rs), group_sql(by))
    both = (pairs["dari"] > 0) & (pairs["ke"] > 0)
    pairs["arah"] = np.select(
        [both & (pairs["ke"] > pairs["dari"]), both & (pairs["ke"] == pairs["dari"]),
         both & (pairs["ke"] < pairs["dari"]), (pairs["dari"] == 0) & (pairs["ke"] > 0),
         (pairs["dari"] > 0) & (pairs["ke"] == 0)],
        ["naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi"], "belum_keduanya")
    out = pairs.pivot_table(index="grp", columns="arah", values="n", aggfunc="sum", fill_value=0)
    for c in ("naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi"):
        if c not in out:
            out[c] = 0
    out = out[["naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi"]].reset_index()
    return out.rename(columns={"grp": "group"}).sort_values("group").reset_index(drop=True)


def trend(con, scope: Scope, filters: Filters, periods: list[int], rs: RuleSet) -> pd.DataFrame:
    """Per period: employees in scope, placed, KRS and KRS share of placed."""
    rows = []
    for t in periods:
        s = talentmap.summary(con, scope, filters, t, rs)
        rows.append({"periode": t, "pegawai": s["pegawai"], "terpetakan": s["terpetakan"], "krs": s["krs"],
                     "krs_persen": s["krs_persen"]})
    return pd.DataFrame(rows, columns=["periode", "pegawai", "terpetakan", "krs", "krs_persen"])


def strongest_weakest(table: pd.DataFrame, n: int = 5, min_placed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` groups with the highest and the lowest KRS share among groups with enough placed employees."""
    placed = table["total"].astype(float) - table["belum_terpetakan"].astype(float)
    eligible = table[(placed >= min_placed) & table["krs_persen"].notna()]
    ordered = eligible.sort_values("krs_persen", ascending=False, kind="stable")
    return ordered.head(n).reset_index(drop=True), ordered.tail(n).iloc[::-1].reset_index(drop=True)
