"""Uji kesetaraan (fairness check): is the KRS share, and the box distribution, the same across groups?

For a period and one grouping (``GROUPS``: jenis kelamin, golongan, jenis ASN, kelompok usia, OPD) the
placed employees in scope are counted per group x box in DuckDB (one grouped query; nothing per person
leaves the database); the statistics run on that small table with ``scipy.stats``:

- the KRS share per group (KRS = ``rules.KRS_BOXES``, of the placed employees of the group);
- a chi-square test of independence (Pearson, no continuity correction) on the group x (KRS, not KRS)
  table, or Fisher's exact test when the table is 2 x 2 and an expected count is below 5;
- the gap: the largest difference in KRS share between two groups, in percentage points;
- the table is flagged (``ditandai``) when p < ``alpha`` AND the gap >= ``min_gap_pp`` (both settings);
- a second chi-square on group x box (nine boxes) says whether the whole distribution differs.

Which box counts is a **basis**: ``terhitung`` (the computed box) or ``terkalibrasi`` (the Komite's
calibrated box, ``calibration.fairness_boxes``: everyone the Komite moved in a session of the period is
counted in their calibrated box, everyone else in the computed one).

**Small groups under masking** (``privacy``): with a small-group threshold, a group whose size, KRS
count or non-KRS count is between 1 and threshold - 1, or whose Talent Pool row (same grouping) has a
hidden total, KRS or unplaced count, is merged into one row ``lainnya`` ("lainnya" = the groups too
small to show). Every figure of the merged table is then either 0 or at least the threshold, or
derivable from figures shown elsewhere; nobody is dropped (the test still covers everyone). When the
talent map's own placed or KRS total is hidden, or ``lainnya`` itself stays small, nothing is shown.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from . import calibration, fmt, pool, population, privacy, rules, store, talentmap
from .errors import UsageError
from .fairness_params import DEFAULT_AGE_BANDS, EXAMPLE_BANDS, FairnessParams, parse_age_bands  # noqa: F401  (API)
from .rules import RuleSet
from .scope import Filters, Scope

GROUPS = ("jenis_kelamin", "golongan", "jenis_asn", "kelompok_usia", "opd")
BASES = ("terhitung", "terkalibrasi")
OTHER = "lainnya"
COLUMNS = ["group", "n", "krs", "krs_persen", "chi2", "p_value", "selisih_maks_pp", "ditandai"]
def age_labels(bands: tuple[int, ...]) -> list[str]:
    """The age group names in order: '< 30', '30-39', ..., '55+'."""
    out = [f"< {bands[0]}"]
    out += [f"{a}-{b - 1}" for a, b in zip(bands, bands[1:])]
    return out + [f"{bands[-1]}+"]


AGE_YEARS = "CAST($t - year(e.tanggal_lahir) AS INTEGER)"   # full years at 31 December of the period


def group_expr(by: str) -> str:
    """The allow-listed SQL of a grouping over the employee alias ``e``. For ``kelompok_usia`` it is the age
    in years (the bands are applied to those few dozen counts: ``_age_groups``), so any band setting runs
    the same query."""
    if by not in GROUPS:
        raise UsageError(f"Pengelompokan '{by}' tidak dikenal untuk uji kesetaraan; pilih salah satu: "
                         f"{', '.join(GROUPS)}.")
    return AGE_YEARS if by == "kelompok_usia" else pool.group_sql(by)


def _age_groups(df: pd.DataFrame, bands: tuple[int, ...]) -> pd.DataFrame:
    """Counts per age in years summed into the age groups of ``bands`` (unknown birth date: 'Tidak diisi')."""
    labels = age_labels(bands)
    age = pd.to_numeric(df["group"], errors="coerce")
    name = [labels[int(np.searchsorted(bands, a, side="right"))] if a == a else "Tidak diisi" for a in age]
    out = df.drop(columns="group").groupby(pd.Series(name, index=df.index, name="group"), sort=False).sum()
    order = [x for x in [*labels, "Tidak diisi"] if x in out.index]
    return out.loc[order].reset_index()


# --- the box each employee is counted in -----------------------------------------------------------

def calibrated_boxes(con, period: int, rs: RuleSet) -> tuple[str, dict]:
    """SQL of a relation ``(nip, kotak)``: the calibrated box of every employee the Komite moved in a session of
    ``period`` (others keep their computed box), with its parameters (``calibration.fairness_boxes``)."""
    return calibration.fairness_boxes(con, period, rs)


def box_source(con, basis: str, period: int, rs: RuleSet) -> tuple[tuple[str, dict] | None, str]:
    """The override relation for ``basis`` and the basis actually used ('terhitung' when nothing overrides)."""
    if basis not in BASES:
        raise UsageError(f"Basis '{basis}' tidak dikenal; pilih {' atau '.join(BASES)}.")
    if basis == "terhitung":
        return None, "terhitung"
    over = calibrated_boxes(con, period, rs)
    moved = store.query_one(con, "SELECT count(*) FROM (" + over[0] + ")", over[1])[0]
    return (over, "terkalibrasi") if moved else (None, "terhitung")     # no move yet: the computed boxes


def counts(con, scope: Scope, filters: Filters, rs: RuleSet, by: str,
           params: FairnessParams = FairnessParams(), basis: str = "terhitung") -> tuple[pd.DataFrame, str]:
    """Placed employees per group x box (columns ``kotak_1..kotak_9``), unsuppressed, and the basis used.

    One grouped query over the talent map of ``scope`` and ``filters`` (the score cache when there is one).
    """
    period = filters.need_period()
    expr, extra = group_expr(by), {}
    if by != "kelompok_usia":           # an OPD within its instansi over several instansi (``pool.grouping``), on
        expr = pool.grouping(con, scope, privacy.published_filters(scope, filters), by)   # the filters applied
    over, used = box_source(con, basis, period, rs)
    box = "e.kotak"
    join = ""
    if over is not None:
        join = " LEFT JOIN (" + over[0] + ") o ON o.nip = e.nip"
        extra = dict(over[1])
        box = "coalesce(o.kotak, e.kotak)"
    cells = ", ".join(f"count(*) FILTER ({box} = {b.number}) AS kotak_{b.number}" for b in rules.BOXES)
    sql = ("SELECT " + expr + " AS \"group\", " + cells + " FROM final e" + join +
           " WHERE " + box + " IS NOT NULL GROUP BY ALL ORDER BY \"group\"")
    if "$t" in expr:
        extra["t"] = period
    df = population.query(con, scope, filters, rs, sql, extra)
    if by == "kelompok_usia":
        df = _age_groups(df, params.age_bands)
    df["group"] = df["group"].astype(str)
    return df.reset_index(drop=True), used


def _placed_per_group(pool_counts: pd.DataFrame) -> pd.DataFrame:
    """``counts``' table (groups with someone placed, by name) from a pool table's unsuppressed counts."""
    box_cols = [f"kotak_{b.number}" for b in rules.BOXES]
    df = pool_counts.loc[pool_counts[box_cols].sum(axis=1).to_numpy() > 0, ["group", *box_cols]]
    df = df.assign(group=df["group"].astype(str)).sort_values("group", kind="stable")
    return df.reset_index(drop=True)


# --- statistics on the small table ---------------------------------------------------------------

@dataclass
class FairnessResult:
    """One grouping's check: ``table`` (``COLUMNS``, one row per group), the box shares per group, and
    the words. Hidden figures are ``<NA>``/NaN (everything hidden when the population is too small)."""

    by: str
    period: int
    basis: str                   # asked
    basis_used: str              # what the boxes are (terhitung when no calibration exists yet)
    table: pd.DataFrame
    boxes: pd.DataFrame          # group, kotak_1..kotak_9 as percent of the group's placed employees
    chi2: float
    p_value: float
    test: str                    # "chi-square", "Fisher exact" or "tidak diuji"
    gap_pp: float
    flagged: bool
    chi2_boxes: float
    p_boxes: float
    sentence: str
    merged: list[str]            # groups merged into "lainnya" (never their counts)
    hidden: bool = False
    one_basis: bool = False      # a small-group threshold: the published basis only, whatever was asked


def krs_test(krs: np.ndarray, n: np.ndarray) -> tuple[float, float, str]:
    """(chi2, p, test name) for KRS vs not KRS across groups; chi2 is NaN for Fisher's exact test."""
    keep = n > 0
    obs = np.column_stack([krs[keep], n[keep] - krs[keep]]).astype(float)
    if len(obs) < 2:
        return math.nan, math.nan, "tidak diuji"
    if (obs.sum(axis=0) == 0).any():            # nobody (or everybody) in the KRS: no difference to test
        return 0.0, 1.0, "chi-square"
    expected = stats.contingency.expected_freq(obs)
    if obs.shape == (2, 2) and expected.min() < 5:
        return math.nan, float(stats.fisher_exact(obs)[1]), "Fisher exact"
    chi2, p, _, _ = stats.chi2_contingency(obs, correction=False)
    return float(chi2), float(p), "chi-square"


def boxes_test(table: pd.DataFrame) -> tuple[float, float]:
    """Chi-square of group x box (boxes nobody is in left out)."""
    obs = table[[f"kotak_{b.number}" for b in rules.BOXES]].to_numpy(dtype=float)
    obs = obs[obs.sum(axis=1) > 0][:, obs.sum(axis=0) > 0]
    if obs.shape[0] < 2 or obs.shape[1] < 2:
        return math.nan, math.nan
    chi2, p, _, _ = stats.chi2_contingency(obs, correction=False)
    return float(chi2), float(p)


def _pnum(p: float) -> str:
    if p < 0.001:
        return "p < 0,001"
    return "p = " + fmt.num(p, 3 if p < 0.1 else 2)


def _pct(x: float, digits: int = 1) -> str:
    return fmt.persen(x, digits)


def describe(table: pd.DataFrame, p: float, gap: float, flagged: bool, params: FairnessParams) -> str:
    """One sentence: the lowest and highest KRS share, the gap in points, whether it is significant."""
    shown = table[table["krs_persen"].notna() & (table["n"].fillna(0) > 0)]
    if len(shown) < 2 or math.isnan(p):
        return "Belum dapat diuji: butuh minimal dua kelompok dengan pegawai terpetakan yang dapat ditampilkan."
    # the lowest and the highest on the exact shares (the rounded ones tie: "Laki-laki 26,7 %, Laki-laki 26,7 %",
    # review 14, 4); two groups whatever the shares, with one more decimal where one would read alike
    exact = (shown["krs"].astype(float) / shown["n"].astype(float)).sort_values(kind="stable")
    lo, hi = shown.loc[exact.index[0]], shown.loc[exact.index[-1]]
    digits = 2 if _pct(lo["krs_persen"]) == _pct(hi["krs_persen"]) else 1
    show = lambda r: _pct(float(r["krs"]) / float(r["n"]) * 100, digits)  # noqa: E731
    sig = "bermakna" if p < params.alpha else "tidak bermakna"
    text = (f"{lo['group']} {show(lo)} di KRS, {hi['group']} {show(hi)}: "
            f"selisih {fmt.num(gap, 1)} poin, {sig} ({_pnum(p)})")
    text = text[:1].upper() + text[1:]          # a sentence, whatever the group's name ("lainnya ...")
    if flagged:
        return text + ". Ditandai: periksa apakah kelompok ini kurang terwakili di KRS."
    return text + f". Tidak ditandai (ditandai bila p < {fmt.short(params.alpha, 4)} dan selisih ≥ " \
                  f"{fmt.short(params.min_gap_pp)} poin)."


def _merge_small(df: pd.DataFrame, thr: int, pool_hidden: set[str]) -> tuple[pd.DataFrame, list[str]]:
    """Groups too small to show (or hidden in the Talent Pool) merged into one row ``lainnya``; while that
    row is itself small, the next smallest group joins it (so ``lainnya`` minus a shown group only gives
    the sum of the Talent Pool's hidden rows, which its column totals already give)."""
    small = lambda x: (x > 0) & (x < thr)  # noqa: E731
    n, k = df["n"].to_numpy(), df["krs"].to_numpy()
    merge = small(n) | small(k) | small(n - k) | df["group"].isin(pool_hidden).to_numpy()
    if not merge.any():
        return df, []
    order = np.argsort(n, kind="stable")
    while True:
        rn, rk = n[merge].sum(), k[merge].sum()
        if not (small(rn) or small(rk) or small(rn - rk)) or merge.all():
            break
        merge[next(i for i in order if not merge[i])] = True
    rest = df[merge]
    if len(rest) == 1:
        # one group alone: every other group is shown, so its counts are the map's totals minus theirs already;
        # 'lainnya' would only rename it, and 'too small to show' would be wrong (114 men, review 20d, 3)
        return df, []
    row = {"group": OTHER, **{c: rest[c].sum() for c in df.columns if c != "group"}}
    out = pd.concat([df[~merge], pd.DataFrame([row])], ignore_index=True)
    return out, sorted(rest["group"])


def check(con, scope: Scope, filters: Filters, rs: RuleSet, by: str,
          params: FairnessParams = FairnessParams(), basis: str = "terhitung",
          pool_table: pd.DataFrame | None = None) -> FairnessResult:
    """The fairness check of one grouping for ``scope`` and ``filters`` (see the module docstring).

    ``pool_table``: the Talent Pool table of the same scope, filters and grouping when the caller has it
    (``pool.pool_table``; read only under masking, to merge the groups it hides).

    Under a small-group threshold the check reads the one published basis (``privacy.published_filters``: the
    difference of two bases per group is the number of people the Komite moved there) whatever ``basis`` asks,
    and the box shares per group are not published (a share times the group's count is the count of a box the
    Talent Pool table hides)."""
    period = filters.need_period()
    thr = privacy.threshold(scope)
    published = None
    if thr:     # the talent map read under a threshold is already the published one: no override on top
        published = calibration.resolve_basis(con, privacy.published_filters(scope, filters), scope)
        basis = "terhitung"
    raw = None
    if thr and pool_table is None and by != "kelompok_usia":
        over, used = box_source(con, basis, period, rs)
        if over is None:
            # the Talent Pool table of the same grouping counts the same boxes per group (and the talent map,
            # kept for the figures below): the masked check is one scan of the population, like the unmasked
            pool_table, all_counts = pool.pool_with_counts(con, scope, filters, rs, by)
            raw = _placed_per_group(all_counts)
    if raw is None:
        raw, used = counts(con, scope, filters, rs, by, params, basis)
    pool_hidden: set[str] = set()
    map_hidden = False
    if thr:
        same_groups = by != "kelompok_usia" or params.age_bands == DEFAULT_AGE_BANDS   # as the pool's groups
        pt = pool_table if same_groups else None
        if pt is None and same_groups:
            # the Talent Pool table first: its query also counts the talent map (kept for the figures below),
            # so the masked check does not scan the population again for them
            pt = pool.pool_table(con, scope, filters, rs, by)
        f = talentmap.figures(con, scope, filters, rs)
        map_hidden = privacy.hidden(f["terpetakan"]) or privacy.hidden(f["krs"])
        if not map_hidden and pt is not None:
            bad = pt["total"].isna() | pt["krs"].isna() | pt["belum_terpetakan"].isna()
            pool_hidden = set(pt.loc[bad, "group"].astype(str))
    result = evaluate(raw, params, by=by, period=period, basis=published or basis, basis_used=published or used,
                      threshold=thr, pool_hidden=pool_hidden, map_hidden=map_hidden)
    return dataclasses.replace(result, boxes=result.boxes.iloc[0:0], one_basis=True) if thr else result


def evaluate(raw: pd.DataFrame, params: FairnessParams = FairnessParams(), *, by: str = "", period: int = 0,
             basis: str = "terhitung", basis_used: str = "terhitung", threshold: int = 0,
             pool_hidden: set[str] = frozenset(), map_hidden: bool = False) -> FairnessResult:
    """The statistics of a counts table (``group``, ``kotak_1..kotak_9``: placed employees per group x box).

    With a small-group ``threshold`` the small groups (and ``pool_hidden``) are merged into ``lainnya``;
    everything is hidden when ``map_hidden`` (the talent map's placed or KRS total is hidden) or when
    ``lainnya`` stays small."""
    box_cols = [f"kotak_{b.number}" for b in rules.BOXES]
    df = raw.copy()
    df["n"] = df[box_cols].sum(axis=1)
    df["krs"] = df[[f"kotak_{b}" for b in rules.KRS_BOXES]].sum(axis=1)
    merged: list[str] = []
    hidden = bool(threshold and map_hidden)
    if threshold and not hidden:
        df, merged = _merge_small(df, threshold, set(pool_hidden))
        other = df[df["group"] == OTHER]
        if len(other):
            on, ok = int(other["n"].iloc[0]), int(other["krs"].iloc[0])
            hidden = any(privacy.small(x, threshold) for x in (on, ok, on - ok))
    n, krs = df["n"].to_numpy(dtype=float), df["krs"].to_numpy(dtype=float)
    share = np.where(n > 0, krs / np.where(n > 0, n, 1) * 100, np.nan)
    chi2, p, test = krs_test(krs, n)
    tested = share[~np.isnan(share)]
    gap = float(tested.max() - tested.min()) if len(tested) >= 2 else math.nan
    flagged = bool(not math.isnan(p) and p < params.alpha and gap >= params.min_gap_pp)
    chi2_b, p_b = boxes_test(df)
    table = pd.DataFrame({
        "group": df["group"].astype(str), "n": pd.array(n.astype(int), dtype="Int64"),
        "krs": pd.array(krs.astype(int), dtype="Int64"), "krs_persen": np.round(share, 1),
        "chi2": round(chi2, 3) if not math.isnan(chi2) else math.nan, "p_value": p,
        "selisih_maks_pp": round(gap, 1) if not math.isnan(gap) else math.nan, "ditandai": flagged})
    boxes = pd.DataFrame({"group": df["group"].astype(str),
                          **{c: np.where(n > 0, df[c] / np.where(n > 0, n, 1) * 100, np.nan) for c in box_cols}})
    if hidden:
        table, boxes = table.iloc[0:0], boxes.iloc[0:0]
        chi2 = p = gap = chi2_b = p_b = math.nan
        flagged, test = False, "tidak diuji"
        sentence = "Disembunyikan: terlalu sedikit pegawai untuk ditampilkan per kelompok (kelompok kecil)."
    else:
        sentence = describe(table, p, gap, flagged, params)
    return FairnessResult(by, period, basis, basis_used, table[COLUMNS].reset_index(drop=True),
                          boxes.reset_index(drop=True), chi2, p, test, gap, flagged, chi2_b, p_b, sentence, merged,
                          hidden)

