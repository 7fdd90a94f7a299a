"""The talent map for a whole population, in SQL: scores, categories, box, reason when not placed.

The SQL mirrors ``rules.place`` exactly (a property test checks it on random populations). Every
value of the rule set is a bound parameter; the query text only varies by a parameter prefix, so
two rule sets can be compared in one query (the sensitivity matrix).
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import numpy as np
import pandas as pd

from . import population, privacy, rules, store
from .rules import RuleSet
from .scope import Filters, Scope

_LABELS = {
    "krs_boxes": list(rules.KRS_BOXES),
    "kin_labels": [rules.KINERJA_LABEL[k] for k in rules.KINERJA_LEVELS],
    "pot_labels": [rules.POTENSIAL_LABEL[p] for p in rules.POTENSIAL_LEVELS],
    "box_labels": [b.label for b in rules.BOXES],
    "box_rek": [b.rekomendasi for b in rules.BOXES],
    "r_kin": rules.UNPLACED_REASONS["tanpa_kinerja"],
    "r_ases": rules.UNPLACED_REASONS["tanpa_asesmen"],
    "r_old": rules.UNPLACED_REASONS["asesmen_kedaluwarsa"],
}

MAP_COLUMNS = ["nip", "nama", "instansi", "opd", "jenis_jabatan", "jabatan", "skor_kinerja", "kategori_kinerja",
               "skor_potensial", "kategori_potensial", "kotak", "label", "rekomendasi", "krs", "rule_set", "alasan",
               "kotak_terhitung", "kotak_terkalibrasi", "alasan_kalibrasi"]

_MAP_SELECT = """
SELECT e.nip, e.nama, e.instansi, e.opd, e.jenis_jabatan, e.jabatan,
       round(e.skor_kinerja, 2) AS skor_kinerja, list_extract($kin_labels, e.kin_level + 1) AS kategori_kinerja,
       round(e.skor_potensial, 2) AS skor_potensial, list_extract($pot_labels, e.pot_level + 1) AS kategori_potensial,
       e.kotak, list_extract($box_labels, e.kotak) AS label, list_extract($box_rek, e.kotak) AS rekomendasi,
       coalesce(list_contains($krs_boxes, e.kotak), false) AS krs, $rule_set AS rule_set,
       nullif(concat_ws('; ', CASE WHEN e.alasan_kinerja IS NOT NULL THEN $r_kin END,
                        CASE e.alasan_potensial WHEN 'tanpa_asesmen' THEN $r_ases
                             WHEN 'asesmen_kedaluwarsa' THEN $r_old || ' (terakhir ' || e.tahun_asesmen_terakhir || ')'
                        END), '') AS alasan,
       e.dasar_kinerja, e.tahun_asesmen, e.jpm,
       e.kotak_terhitung, e.kotak_terkalibrasi, e.alasan_kalibrasi, e.kalibrasi_usang
FROM final e
"""


def placements(con, scope: Scope, filters: Filters, rs: RuleSet, *, kotak: int | None = None,
               placed: bool | None = None, search: str = "", limit: int | None = None,
               group: tuple[str, str] | None = None, group_expr: str | None = None,
               group_count=None) -> pd.DataFrame:
    """One row per employee in scope: scores, categories, box, rekomendasi, rule set, reason if not placed,
    and both boxes with the calibration's reason (``kotak`` is the one ``filters.basis`` resolves to).

    ``kotak`` keeps one box; ``placed`` keeps only placed (True) or unplaced (False) employees;
    ``search`` matches NIP, nama, OPD or jabatan (case-insensitive); ``group`` = (grouping, value)
    keeps one group of ``pool.GROUPINGS``.

    Under a masked scope the list is ``privacy.mask_people``; with small groups suppressed it is empty
    unless the count it lists is shown (a box, a pool cell, the unplaced), and ``search`` is ignored
    (a search would count any subgroup).
    """
    period = filters.need_period()
    filters = privacy.published_filters(scope, filters)
    extra: dict = {}
    withhold, shown_boxes = False, None
    if privacy.threshold(scope):
        key, stamp = population.lookup(con, filters, rs)
        search = ""
        if kotak is None and group is None and placed is not False:
            # a list over several boxes keeps the boxes whose count is shown (it would count the others)
            f = _figures(con, scope, filters, rs, cache_key=key, stamp=stamp)[1]
            shown_boxes = [b.number for b in rules.BOXES if not privacy.hidden(f[f"kotak_{b.number}"])]
            if placed is None and not privacy.list_allowed(scope, f["belum_terpetakan"]):
                placed = True
        else:
            shown = group_count if group is not None else _list_count(con, scope, filters, rs, kotak, placed,
                                                                      key, stamp)
            withhold = not privacy.list_allowed(scope, shown)
    else:
        key = population.cache_key(con, period, rs)
    where = []
    if group is not None:
        where.append(group_expr + " = $group_value")
        extra["group_value"] = group[1]
    if shown_boxes is not None:
        where.append("(e.kotak IS NULL OR list_contains($shown_boxes, e.kotak))")
        extra["shown_boxes"] = shown_boxes
    where += ["($kotak IS NULL OR e.kotak = $kotak)",
             "($placed IS NULL OR (e.kotak IS NOT NULL) = $placed)",
             "($search = '' OR contains(lower(e.nama || ' ' || e.nip || ' ' || e.opd || ' ' || "
             "coalesce(e.jabatan, '')), lower($search)))"]
    select = _MAP_SELECT + " WHERE " + " AND ".join(where) + " ORDER BY e.kotak DESC NULLS LAST, e.opd, e.nama, e.nip"
    if limit or withhold:
        select += " LIMIT $limit"
    df = population.query(con, scope, filters, rs, select, {
        **_LABELS, "rule_set": rs.label, "kotak": kotak, "placed": placed, "search": search.strip(),
        **({"limit": 0 if withhold else limit} if limit or withhold else {}), **extra}, detail=True, order_by="kotak DESC NULLS LAST, opd, nama, nip",
        calibration_columns=True, key=key)
    for col in ("kotak", "tahun_asesmen", "kotak_terhitung", "kotak_terkalibrasi"):
        df[col] = df[col].astype("Int64")
    return privacy.mask_people(df, scope)


def _list_count(con, scope, filters, rs, kotak, placed, key=population.UNSET, stamp=None):
    """The shown count of the people a list would hold (``pd.NA`` when hidden)."""
    filters = privacy.published_filters(scope, filters)
    f = _figures(con, scope, filters, rs, cache_key=key, stamp=stamp)[1]
    if kotak is not None:
        return f[f"kotak_{kotak}"]
    return {None: f["pegawai"], True: f["terpetakan"], False: f["belum_terpetakan"]}[placed]


# every count of the talent map (privacy.MAP_KEYS) as a fixed SQL expression over ``final``
_FIGURES = {
    "pegawai": "count(*)", "terpetakan": "count(kotak)", "belum_terpetakan": "count(*) - count(kotak)",
    **{f"kotak_{b.number}": f"count(*) FILTER (kotak = {b.number})" for b in rules.BOXES},
    "krs": "count(*) FILTER (list_contains($krs_boxes, kotak))",
    # the unplaced by reason: alasan_kode is the position in privacy.REASONS, from 1
    **{r: f"count(*) FILTER (alasan_kode = {i})" for i, r in enumerate(privacy.REASONS, 1)},
}


# The masked path asks for every figure of one (scope, filters) several times per page (summary, boxes,
# unplaced, the pool's totals): one scan answers them all. One memo per database connection (two databases
# can share a data version); entries are keyed by the score-cache key, which holds the data version and the
# rule values, so an import or undo can never serve an old figure; the memo is bounded and holds only counts
# of a scope that is part of its key, so sharing it between sessions shows nobody more than their own scope.
_FIGURE_MEMOS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_FIGURE_MEMO_SIZE = 256
_FIGURE_LOCK = threading.Lock()


def _memo(con) -> "OrderedDict[tuple, dict[str, int]]":
    with _FIGURE_LOCK:
        memo = _FIGURE_MEMOS.get(con)
        if memo is None:
            memo = _FIGURE_MEMOS[con] = OrderedDict()
        return memo


def forget_figures() -> None:
    """Empty every figure memo and table memo, and the live counts (benchmarks measuring the queries themselves)."""
    with _FIGURE_LOCK:
        for memos in (_FIGURE_MEMOS, _TABLE_MEMOS):
            for memo in memos.values():
                memo.clear()
    population.forget_live_counts()


# Tables suppressed for a masked scope (the pool table of a grouping: its counts, its suppression and the map it
# adds up to), kept the same way: a page, its lists of one cell (``pool.group_members``), the bench strength and
# the exports ask for the same table again. The key is the figure memo's (score-cache key, calibration stamp of
# the basis, scope, filters, period) and what the table is; fewer entries (a table per group is bigger).
_TABLE_MEMOS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_TABLE_MEMO_SIZE = 32


def recall_table(con, key: tuple):
    """The value ``keep_table`` kept under ``key`` for ``con``, or None."""
    with _FIGURE_LOCK:
        memo = _TABLE_MEMOS.get(con)
        if memo is None or key not in memo:
            return None
        memo.move_to_end(key)
        return memo[key]


def keep_table(con, key: tuple, value) -> None:
    """Keep ``value`` (never changed by anyone: callers get deep copies) under ``key`` for ``con``."""
    with _FIGURE_LOCK:
        memo = _TABLE_MEMOS.get(con)
        if memo is None:
            memo = _TABLE_MEMOS[con] = OrderedDict()
        memo[key] = value
        while len(memo) > _TABLE_MEMO_SIZE:
            memo.popitem(last=False)


# The same figures over the employees counted once per (box, reason) first (``_BY_BOX_REASON``): the masked path
# asks for all of them, and one small hash aggregate per row is cheaper than seventeen filtered counts per row
# (the grouped counts are a few dozen rows; their sums are exactly the filtered counts above).
_COUNTED = "CAST(coalesce(sum(n) FILTER ({}), 0) AS BIGINT)"
_FIGURES_OF_COUNTS = {
    "pegawai": "CAST(coalesce(sum(n), 0) AS BIGINT)", "terpetakan": _COUNTED.replace("{}", "kotak IS NOT NULL"),
    "belum_terpetakan": _COUNTED.replace("{}", "kotak IS NULL"),
    **{f"kotak_{b.number}": _COUNTED.replace("{}", "kotak = " + str(b.number)) for b in rules.BOXES},
    "krs": _COUNTED.replace("{}", "list_contains($krs_boxes, kotak)"),
    **{r: _COUNTED.replace("{}", "alasan_kode = " + str(i)) for i, r in enumerate(privacy.REASONS, 1)},
}
_BY_BOX_REASON = "(SELECT kotak, alasan_kode, count(*) AS n FROM final GROUP BY ALL)"


def counted_figures_sql(keys: tuple[str, ...], group: str | None = None, names: dict[str, str] | None = None) -> str:
    """SQL of the talent-map figures ``keys`` (optionally per ``group``, an allow-listed expression over the
    employee alias ``e``, as column ``"group"``) counted once per (group, box, reason): the same numbers as
    ``figure_sql`` of each key, in one grouped pass. ``names``: output names other than the keys. Binds
    $krs_boxes (``KRS_PARAMS``)."""
    cols = ", ".join(_FIGURES_OF_COUNTS[k] + " AS " + (names or {}).get(k, k) for k in keys)
    if group is None:
        return "SELECT " + cols + " FROM " + _BY_BOX_REASON
    return ("SELECT \"group\", " + cols + " FROM (SELECT " + group + " AS \"group\", e.kotak, e.alasan_kode, "
            "count(*) AS n FROM final e GROUP BY ALL) GROUP BY ALL")


def figures_of_counts(rows: pd.DataFrame) -> dict[str, int]:
    """Every figure of ``privacy.MAP_KEYS`` from counts per (kotak, alasan_kode) (``population.counts``): the
    numbers ``counted_figures_sql`` gives."""
    n = rows["n"].to_numpy(np.int64)
    kotak = rows["kotak"].to_numpy(dtype=float, na_value=np.nan)
    reason = rows["alasan_kode"].to_numpy(dtype=float, na_value=0)
    placed = ~np.isnan(kotak)
    return {"pegawai": int(n.sum()), "terpetakan": int(n[placed].sum()), "belum_terpetakan": int(n[~placed].sum()),
            **{f"kotak_{b.number}": int(n[kotak == b.number].sum()) for b in rules.BOXES},
            "krs": int(n[np.isin(kotak, list(rules.KRS_BOXES))].sum()),
            **{r: int(n[reason == i].sum()) for i, r in enumerate(privacy.REASONS, 1)}}


def unplaced_reasons(con, scope: Scope, filters: Filters, rs: RuleSet,
                     keys: tuple[str, ...] = privacy.REASONS) -> dict[str, int]:
    """Counts of the unplaced by reason (``keys`` of ``privacy.REASONS``), unsuppressed."""
    filters = privacy.published_filters(scope, filters)
    if not keys:
        return {}
    sql = "SELECT " + ", ".join(_FIGURES[k] + " AS " + k for k in keys) + " FROM final"
    df = population.query(con, scope, filters, rs, sql)
    return {k: int(v) if pd.notna(v) else 0 for k, v in df.iloc[0].items()}


def figure_sql(key: str) -> str:
    """The SQL expression over ``final`` of one talent-map figure (``privacy.MAP_KEYS``); ``krs`` binds $krs_boxes
    (``KRS_PARAMS``)."""
    return _FIGURES[key]


KRS_PARAMS = {"krs_boxes": list(rules.KRS_BOXES)}


def remember_figures(con, scope: Scope, filters: Filters, rs: RuleSet, raw: dict[str, int], *,
                     key=population.UNSET, stamp: int | None = None) -> dict:
    """Keep every figure of (scope, filters) counted by another query of the same population (the pool table),
    so that the talent map of the same page reads them instead of scanning again. Returns ``raw``.
    ``key``, ``stamp``: the score-cache key and calibration stamp the caller's query read (``population.lookup``)."""
    period = filters.need_period()
    filters = privacy.published_filters(scope, filters)
    cache_key = population.cache_key(con, period, rs) if key is population.UNSET else key
    if cache_key:
        memo = _memo(con)
        entry = (cache_key, population.basis_stamp(con, filters, stamp), scope, filters, period, privacy.MAP_KEYS)
        with _FIGURE_LOCK:
            memo[entry] = dict(raw)
            while len(memo) > _FIGURE_MEMO_SIZE:
                memo.popitem(last=False)
    return raw


def raw_figures(con, scope: Scope, filters: Filters, rs: RuleSet,
                keys: tuple[str, ...] = privacy.MAP_KEYS) -> dict[str, int]:
    """Counts of the talent map (``keys`` of ``privacy.MAP_KEYS``), unsuppressed: for the privacy module, and
    for the unmasked path, which asks only for what it shows. One scan for all of them."""
    filters = privacy.published_filters(scope, filters)
    return _raw_figures(con, scope, filters, rs, keys, *population.lookup(con, filters, rs))


def _raw_figures(con, scope, filters, rs, keys, cache_key, stamp=None) -> dict[str, int]:
    period = filters.need_period()
    filters = privacy.published_filters(scope, filters)
    key = (cache_key, population.basis_stamp(con, filters, stamp), scope, filters, period, keys) if cache_key else None
    memo = _memo(con) if key is not None else None
    whole = key[:-1] + (privacy.MAP_KEYS,) if key is not None else None     # every figure, counted or remembered
    if memo is not None:
        with _FIGURE_LOCK:
            for k in (key, whole):
                if k in memo:
                    memo.move_to_end(k)
                    return {f: memo[k][f] for f in keys}
    counted = population.counts(con, scope, filters, cache_key, stamp, rs=rs)
    if counted is not None:             # the entry's stored counts: every figure from a few sums
        out = figures_of_counts(counted)
        if memo is not None:            # live counts (no entry) are kept by population.live_counts instead
            with _FIGURE_LOCK:
                memo[whole] = dict(out)
                while len(memo) > _FIGURE_MEMO_SIZE:
                    memo.popitem(last=False)
        return {f: out[f] for f in keys}
    if len(keys) > len(privacy.BOX_KEYS) + 1:         # (nearly) every figure: count per box and reason first
        sql = counted_figures_sql(keys)
    else:
        sql = "SELECT " + ", ".join(_FIGURES[k] + " AS " + k for k in keys) + " FROM final"
    df = population.query(con, scope, filters, rs, sql, KRS_PARAMS if "krs" in keys else None, key=cache_key,
                          stamp=stamp)
    out = {k: int(v) for k, v in df.iloc[0].items()}
    if memo is not None:
        with _FIGURE_LOCK:
            memo[key] = dict(out)
            while len(memo) > _FIGURE_MEMO_SIZE:
                memo.popitem(last=False)
    return out


def figures(con, scope: Scope, filters: Filters, rs: RuleSet) -> dict:
    """Every count of the talent map as ``scope`` may see it (hidden counts are ``pd.NA``).

    One suppression for all of them, so Ringkasan, Peta Talenta, the trend and the exports agree.
    """
    return _figures(con, scope, filters, rs)[1]


def _figures(con, scope, filters, rs, keys: tuple[str, ...] = privacy.MAP_KEYS,
             cache_key=population.UNSET, stamp: int | None = None) -> tuple[dict, dict]:
    filters = privacy.published_filters(scope, filters)
    if cache_key is population.UNSET:           # the key and the calibration stamp in one round trip
        cache_key, stamp = population.lookup(con, filters, rs)
    if not privacy.threshold(scope):            # nothing to suppress: count only what the caller shows
        raw = _raw_figures(con, scope, filters, rs, keys, cache_key, stamp)
        return raw, raw
    raw = _raw_figures(con, scope, filters, rs, privacy.MAP_KEYS, cache_key, stamp)
    return raw, privacy.apply(raw, privacy.map_hidden(raw, privacy.threshold(scope)))


def box_counts(con, scope: Scope, filters: Filters, rs: RuleSet) -> pd.DataFrame:
    """Nine rows (kotak 1-9) with the count and the share of placed employees (``<NA>``/NaN when hidden)."""
    f = _figures(con, scope, filters, rs, ("terpetakan", *privacy.BOX_KEYS))[1]
    df = pd.DataFrame({"kotak": [b.number for b in rules.BOXES],
                       "n": pd.array([f[f"kotak_{b.number}"] for b in rules.BOXES], dtype="Int64")})
    df["persen"] = [privacy.share(n, f["terpetakan"]) for n in df["n"]]
    return df


def unplaced_counts(con, scope: Scope, filters: Filters, rs: RuleSet) -> pd.DataFrame:
    """Employees not placed, by reason (an employee can lack both kinerja and assessment); ``<NA>`` when hidden."""
    raw, f = _figures(con, scope, filters, rs, privacy.REASONS)
    df = pd.DataFrame({"alasan": list(privacy.REASONS), "n": pd.array([f[r] for r in privacy.REASONS], dtype="Int64")})
    # a reason nobody has is not listed (a zero reveals nobody), unless its zero is hidden: the reasons of a small
    # unplaced count are all listed hidden, so the list does not tell which reason they share
    df = df[[raw[r] > 0 or privacy.hidden(f[r]) for r in privacy.REASONS]]
    return df.sort_values("n", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def summary(con, scope: Scope, filters: Filters, rs: RuleSet) -> dict:
    """Headline figures: pegawai, terpetakan, belum_terpetakan, krs, kotak_9, kotak_1 (``pd.NA`` when hidden),
    krs_persen (percentage of the placed, 0-100: 40.0 is 40 %) and persen_terpetakan (share 0..1 of employees), NaN when they rest on a hidden count or on nobody."""
    shown = ("pegawai", "terpetakan", "belum_terpetakan", "krs", "kotak_9", "kotak_1")
    f = _figures(con, scope, filters, rs, shown)[1]
    out = {k: f[k] for k in shown}
    # a share of nobody is undefined (NaN, shown "–"), not 0 % (review 9, 5: "0,0 %" of 0 ASN)
    out["krs_persen"] = 100.0 * privacy.share(out["krs"], out["terpetakan"], empty=float("nan"))
    out["persen_terpetakan"] = privacy.share(out["terpetakan"], out["pegawai"], empty=float("nan"))
    return out


def individuals(con, scope: Scope, filters: Filters, rs: RuleSet, limit: int = 5000) -> pd.DataFrame | None:
    """Scores of every placed employee, or None when more than ``limit`` (then only aggregates are shown),
    and None when small groups are suppressed (one dot per person would count every box)."""
    filters = privacy.published_filters(scope, filters)
    if privacy.threshold(scope):
        return None
    n = summary(con, scope, filters, rs)["terpetakan"]
    if n > limit:
        return None
    df = population.query(con, scope, filters, rs, """
        SELECT f.nip, f.nama, f.opd, f.skor_kinerja, f.skor_potensial, f.kotak
        FROM final f WHERE f.kotak IS NOT NULL ORDER BY f.nip""")
    return privacy.mask_people(df, scope)


def compare(con, scope: Scope, filters: Filters, a: tuple[int, RuleSet], b: tuple[int, RuleSet],
            group_sql: str | None = None) -> pd.DataFrame:
    """Per employee in scope: box under (period, rule set) ``a`` and under ``b`` (0 = not placed).

    Returns counts per (dari, ke[, grp]). ``group_sql`` is an allow-listed expression over ``e``.
    """
    filters = privacy.published_filters(scope, filters)
    grp = (", " + group_sql + " AS grp") if group_sql else ""

    def counted(box_a: str, box_b: str, source: str) -> tuple[str, dict]:
        """The CTEs and the SELECT counting (dari, ke) over ``source``: each side the box of ``filters.basis``
        (the calibrated one of its own period's sessions), as the maps whose figures the matrix is protected with."""
        ca, ja, xa, pa_ = population.overlay(con, filters.at(a[0]), box_a, "e", "ma_")
        cb, jb, xb, pb_ = population.overlay(con, filters.at(b[0]), box_b, "e", "mb_")
        return (ca + cb + " SELECT coalesce(" + xa + ", 0) AS dari, coalesce(" + xb + ", 0) AS ke" + grp +
                ", count(*) AS n FROM " + source + ja + jb, {**pa_, **pb_})

    ka, kb = population.cache_key(con, *a), population.cache_key(con, *b)
    if ka is not None and kb is not None:
        where, params = population.employee_where(scope, filters)
        if population.previous_key(con, kb) == ka:
            # b's entry stores every box of a (the period before, same rules and data): one scan of one entry
            sel, extra = counted("e.kotak_sebelumnya", "e.kotak", "talent_score e")
            return store.query_df(con, "WITH later AS (SELECT $t AS t)" + sel + " WHERE e.cache_key = $kb AND " +
                                  where + " GROUP BY ALL", {**params, **extra, "kb": kb, "t": b[0]})
        # both built by the write path: one join of two cache entries
        sel, extra = counted("e.kotak", "b.kotak",
                             "talent_score e JOIN talent_score b ON b.nip = e.nip AND b.cache_key = $kb")
        return store.query_df(con, "WITH later AS (SELECT $t AS t)" + sel + " WHERE e.cache_key = $ka AND " + where +
                              " GROUP BY ALL", {**params, **extra, "ka": ka, "kb": kb, "t": b[0]})
    head, params, whole = population.base(scope, filters)
    sel, extra = counted("e.kotak", "b.kotak", "a_final e JOIN b_final b USING (nip)")
    # $t is the later period (a grouping may use it: age bands); bound in its own CTE whether used or not
    sql = (head + " later AS (SELECT $t AS t)," + population.chain("a_", whole=whole) + "," +
           population.chain("b_", whole=whole)[1:] + sel + " GROUP BY ALL")
    return store.query_df(con, sql, {**params, **population.rule_params(a[1], a[0], "a_"),
                                     **population.rule_params(b[1], b[0], "b_"), **extra, "t": b[0]})


def matrix(pairs: pd.DataFrame) -> pd.DataFrame:
    """A 10 x 10 frame of counts (rows: from, columns: to; 0 = belum terpetakan)."""
    idx = list(range(10))
    if pairs.empty:
        return pd.DataFrame(0, index=idx, columns=idx)
    m = pairs.pivot_table(index="dari", columns="ke", values="n", aggfunc="sum", fill_value=0)
    return m.reindex(index=idx, columns=idx, fill_value=0).astype(int)


def sensitivity(con, scope: Scope, filters: Filters, current: RuleSet, candidate: RuleSet) -> pd.DataFrame:
    """Employees moving from each box (rows, under ``current``) to each box (columns, ``candidate``).

    Row and column 0 hold 'belum terpetakan'. Returns a 10 x 10 frame of counts (``<NA>`` when hidden).
    """
    period = filters.need_period()
    return _transitions(con, scope, filters, (period, current), (period, candidate), totals=False)[0]


def transitions(con, scope: Scope, filters: Filters, a: tuple[int, RuleSet], b: tuple[int, RuleSet]) -> pd.DataFrame:
    """The 10 x 10 matrix from (period, rule set) ``a`` to ``b`` as ``scope`` may see it: its row and
    column sums are the talent maps of ``a`` and ``b``, suppressed as those are, and it is protected together
    with the movement totals published beside it (``movement_totals``, ``privacy.suppress_movement``)."""
    return _transitions(con, scope, filters, a, b)[0]


def _transitions(con, scope, filters, a, b, totals: bool = True) -> tuple[pd.DataFrame, dict]:
    filters = privacy.published_filters(scope, filters)
    m = matrix(compare(con, scope, filters, a, b))
    t = privacy.threshold(scope)
    if not t:
        return privacy.suppress_movement(m, {}, {}, 0, totals=totals)
    return privacy.suppress_movement(m, raw_figures(con, scope, filters.at(a[0]), a[1]),
                                     raw_figures(con, scope, filters.at(b[0]), b[1]), t, totals=totals)


def movement_totals(con, scope: Scope, filters: Filters, a: tuple[int, RuleSet], b: tuple[int, RuleSet]) -> dict:
    """Employees who moved up, stayed, moved down, were newly placed or no longer placed from ``a`` to ``b``
    (``privacy.MOVES``; ``pd.NA`` when hidden), protected together with the matrix ``transitions`` shows."""
    return _transitions(con, scope, filters, a, b)[1]