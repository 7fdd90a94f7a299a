"""The talent map for a whole population, in SQL: scores, categories, box, reason when not placed.

The SQL mirrors ``rules.place`` exactly (a property test checks it on random populations). Every
value of the rule set is a bound parameter; the query text only varies by a parameter prefix, so
two rule sets can be compared in one query (the sensitivity matrix).
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

import pandas as pd

from . import privacy, rules, store
from .rules import RuleSet
from .scope import Filters, Scope, employee_where

_CHAIN = """
{p}kin AS (
    SELECT k.nip,
           avg(coalesce(list_extract(${p}pts, list_position(${p}pred, k.predikat)), k.nilai_kinerja)) AS skor_kinerja,
           {dasar} AS dasar_kinerja
    FROM performance k {popjoin}
    WHERE k.tahun BETWEEN ${p}t - ${p}kin_years + 1 AND ${p}t
      AND (k.predikat IS NOT NULL OR k.nilai_kinerja IS NOT NULL)
    GROUP BY k.nip
), {p}ases AS (
    -- the latest assessment inside the window and the latest at all, in one grouped pass
    SELECT a.nip, max(a.tahun) AS tahun_asesmen_terakhir,
           arg_max({'tahun': a.tahun, 'jpm': a.jpm, 'pot': a.nilai_potensi, 'man': a.nilai_manajerial,
                    'sos': a.nilai_sosial_kultural, 'tek': a.nilai_teknis}, a.tahun)
               FILTER (WHERE a.tahun > ${p}t - ${p}ases_years) AS x
    FROM assessment a {popjoin} WHERE a.tahun <= ${p}t
    GROUP BY a.nip
), {p}scored AS (
    SELECT pop.*, k.skor_kinerja, k.dasar_kinerja, a.x.tahun AS tahun_asesmen, a.x.jpm AS jpm,
           a.tahun_asesmen_terakhir,
           CASE WHEN a.x.jpm IS NOT NULL THEN least(a.x.jpm, ${p}jpm_cap)
                ELSE (coalesce(${p}w_pot * a.x.pot, 0) + coalesce(${p}w_man * a.x.man, 0)
                      + coalesce(${p}w_sos * a.x.sos, 0) + coalesce(${p}w_tek * a.x.tek, 0))
                     / nullif(CASE WHEN a.x.pot IS NOT NULL THEN ${p}w_pot ELSE 0 END
                              + CASE WHEN a.x.man IS NOT NULL THEN ${p}w_man ELSE 0 END
                              + CASE WHEN a.x.sos IS NOT NULL THEN ${p}w_sos ELSE 0 END
                              + CASE WHEN a.x.tek IS NOT NULL THEN ${p}w_tek ELSE 0 END, 0)
           END AS skor_potensial
    FROM pop LEFT JOIN {p}kin k USING (nip) LEFT JOIN {p}ases a USING (nip)
), {p}levels AS (
    SELECT *,
           CASE WHEN skor_kinerja >= ${p}k_atas - ${p}eps THEN 2 WHEN skor_kinerja >= ${p}k_sesuai - ${p}eps THEN 1
                WHEN skor_kinerja IS NOT NULL THEN 0 END AS kin_level,
           CASE WHEN skor_potensial >= ${p}p_tinggi - ${p}eps THEN 2
                WHEN skor_potensial >= ${p}p_menengah - ${p}eps THEN 1
                WHEN skor_potensial IS NOT NULL THEN 0 END AS pot_level
    FROM {p}scored
), {p}final AS (
    SELECT *,
           CASE WHEN kin_level IS NOT NULL AND pot_level IS NOT NULL
                THEN list_extract(${p}grid, kin_level * 3 + pot_level + 1) END AS kotak,
           CASE WHEN skor_kinerja IS NULL THEN 'tanpa_kinerja' END AS alasan_kinerja,
           CASE WHEN skor_potensial IS NULL THEN
                CASE WHEN tahun_asesmen_terakhir IS NULL THEN 'tanpa_asesmen' ELSE 'asesmen_kedaluwarsa' END
           END AS alasan_potensial,
           -- the one reason of the unplaced as a small number (privacy.REASONS, from 1): counting the reasons
           -- then reads one narrow column instead of two texts
           CASE WHEN skor_kinerja IS NULL AND skor_potensial IS NULL THEN 4 WHEN skor_kinerja IS NULL THEN 1
                WHEN skor_potensial IS NULL THEN CASE WHEN tahun_asesmen_terakhir IS NULL THEN 2 ELSE 3 END
           END::UTINYINT AS alasan_kode
    FROM {p}levels
)"""


# the SKP records behind a score, as text: only listings need it (it costs about 20 % of an aggregate query)
_DASAR = """string_agg(k.tahun || ': ' || coalesce(k.predikat || ' (' ||
                      printf('%g', list_extract(${p}pts, list_position(${p}pred, k.predikat))) || ')',
                      'nilai ' || printf('%g', k.nilai_kinerja)), '; ' ORDER BY k.tahun)"""


def _chain(p: str, detail: bool = False, whole: bool = False) -> str:
    """The scoring CTEs with prefix ``p``. ``whole``: pop is every employee, so the SKP and assessment
    rows need no join with it (every stored NIP is in the master: the importer checks that)."""
    return (_CHAIN.replace("{dasar}", _DASAR if detail else "NULL")
            .replace("{popjoin}", "" if whole else "JOIN pop USING (nip)").replace("{p}", p))


def _params(rs: RuleSet, period: int, p: str) -> dict:
    return {
        f"{p}t": period, f"{p}kin_years": rs.kinerja_years, f"{p}ases_years": rs.asesmen_years,
        f"{p}pred": list(rules.PREDIKAT_ORDER), f"{p}pts": [float(rs.predikat_points[x]) for x in rules.PREDIKAT_ORDER],
        f"{p}jpm_cap": float(rs.jpm_cap), f"{p}w_pot": float(rs.weights["nilai_potensi"]),
        f"{p}w_man": float(rs.weights["nilai_manajerial"]), f"{p}w_sos": float(rs.weights["nilai_sosial_kultural"]),
        f"{p}w_tek": float(rs.weights["nilai_teknis"]), f"{p}k_atas": float(rs.kinerja_atas),
        f"{p}k_sesuai": float(rs.kinerja_sesuai), f"{p}p_tinggi": float(rs.potensial_tinggi),
        f"{p}p_menengah": float(rs.potensial_menengah), f"{p}eps": rules.EPS, f"{p}grid": rules.GRID_LIST,
    }


EMPLOYEE_COLUMNS = ("nip, nama, gelar_depan, gelar_belakang, instansi, opd, unit_kerja, jenis_asn, jenis_kelamin, "
                    "tanggal_lahir, jenis_jabatan, jabatan, eselon, golongan, pendidikan, tmt_cpns")


def _base(scope: Scope, filters: Filters) -> tuple[str, dict, bool]:
    """The ``pop`` CTE (employees in scope, with their columns), its parameters, and whether it is everyone."""
    where, params = employee_where(scope, filters)
    head = "WITH pop AS (SELECT " + EMPLOYEE_COLUMNS + " FROM employee e WHERE " + where + "),"
    return head, params, scope.unlimited and filters.unlimited


# The rule values as one relation: every value of ``_params`` is bound here once, so a query over the score
# cache may use any of them (``$t``, ``$pts`` ...) and its parameters are always exactly the scope's and
# filters', the rule set's, the cache key and what the caller adds (a query that does not read ``rule``
# still declares them all: nothing is pruned by looking at the SQL).
_RULE_CTE = "rule AS (SELECT " + ", ".join("$" + k + " AS " + k for k in _params(rules.DEFAULT, 0, "")) + ")"


# Aggregates read the score cache (sql/006) when the database can hold it; tests switch it off to
# compare both ways.
USE_CACHE = True
CACHE_KEYS_KEPT = 4


_UNSET = object()


def _cache_key(con, period: int, rs: RuleSet) -> str | None:
    """The score-cache key to read (built if missing), None to score live. One public call looks it up once
    and passes it to every query it runs."""
    return ensure_scores(con, period, rs) if USE_CACHE else None


def _query(con, scope, filters, period, rs, select: str, extra: dict | None = None,
           detail: bool = False, order_by: str = "", calibration_columns: bool = False, key=_UNSET) -> pd.DataFrame:
    """Run ``select`` over ``final``: one row per employee in scope with its columns and its placement.

    ``select`` may use the rule values as parameters (``_params``: ``$t``, ``$pts`` ...) and whatever
    ``extra`` binds. ``detail`` adds the SKP records behind each kinerja score (``dasar_kinerja``); with
    the cache they are looked up only for the rows ``select`` returns (a listing of 500 rows reads 500
    employees' SKP, not the country's), and ``order_by`` (output column names) orders the result again.
    ``key``: the score-cache key when the caller has looked it up already (``_cache_key``).
    ``filters.basis`` says which box ``kotak`` is (computed or calibrated, see ``_CALIBRATED``);
    ``calibration_columns`` adds both boxes and the calibration's reason whatever the basis.
    """
    key = _cache_key(con, period, rs) if key is _UNSET else key
    overlay = _overlay_mode(con, filters, period, calibration_columns)
    if key is not None:
        where, params = employee_where(scope, filters)
        inner = "SELECT * EXCLUDE (cache_key) FROM talent_score e WHERE e.cache_key = $cache_key AND " + where
        body = _calibrated(inner).removeprefix("WITH ") if overlay else "final AS (" + inner + ")"
        sql = "WITH " + _RULE_CTE + ", " + body + "\n" + select
        if detail:
            sql = ("SELECT * REPLACE ((SELECT " + _DASAR.replace("{p}", "") + " FROM performance k "
                   "WHERE k.nip = m.nip AND k.tahun BETWEEN $t - $kin_years + 1 AND $t "
                   "AND (k.predikat IS NOT NULL OR k.nilai_kinerja IS NOT NULL)) AS dasar_kinerja) FROM (" + sql +
                   ") m" + (" ORDER BY " + order_by if order_by else ""))
        return store.query_df(con, sql, {**params, **_params(rs, period, ""), "cache_key": key,
                                         **_overlay_params(overlay, period), **(extra or {})})
    head, params, whole = _base(scope, filters)
    sql = head + _chain("", detail, whole) + "\n"
    sql = (_calibrated("(" + sql + "SELECT * FROM final)") if overlay else sql) + select
    return store.query_df(con, sql, {**params, **_params(rs, period, ""), **_overlay_params(overlay, period),
                                     **(extra or {})})


# --- the calibrated box (sql/011, talenta.calibration): one join and one column swap over ``final`` ----------
# The computed placement stays as scored (and cached); the Komite Talenta's latest move per (instansi, period,
# nip) is joined on. ``kotak`` becomes the calibrated box when the basis asks for it (``terkalibrasi``: every
# session of the period; ``otomatis``: closed sessions only); ``kotak_terhitung``, ``kotak_terkalibrasi``,
# ``alasan_kalibrasi`` and ``kalibrasi_usang`` (moved against an older computed box) are always there.
# A move back to the computed box cancels; only placed employees are moved.
_CALIBRATED = """WITH cal_state AS (
    SELECT sesi_id, s.instansi, coalesce(arg_max(ev.jenis, ev.event_id)
               FILTER (ev.jenis IN ('tetapkan', 'buka_kembali')) = 'tetapkan', false) AS ditetapkan
    FROM kalibrasi_sesi s LEFT JOIN kalibrasi_event ev USING (sesi_id) WHERE s.periode = $cal_period GROUP BY ALL
), cal AS (
    SELECT c.instansi, ev.nip, c.ditetapkan, arg_max(ev.kotak_ke, ev.event_id) AS kotak_ke,
           arg_max(ev.kotak_terhitung, ev.event_id) AS kotak_saat_pindah,
           arg_max(ev.kode_alasan || ': ' || coalesce(ev.alasan, ''), ev.event_id) AS alasan
    FROM kalibrasi_event ev JOIN cal_state c USING (sesi_id) WHERE ev.jenis = 'pindah' GROUP BY ALL
    HAVING arg_max(ev.kotak_ke, ev.event_id) <> arg_max(ev.kotak_terhitung, ev.event_id)
), final AS (
    SELECT f.* REPLACE (CASE WHEN f.kotak IS NOT NULL AND c.kotak_ke IS NOT NULL
                                  AND ($cal_mode = 'all' OR ($cal_mode = 'closed' AND c.ditetapkan))
                             THEN c.kotak_ke ELSE f.kotak END AS kotak),
           f.kotak AS kotak_terhitung,
           CASE WHEN f.kotak IS NOT NULL AND c.kotak_ke IS NOT NULL THEN c.kotak_ke ELSE f.kotak END
               AS kotak_terkalibrasi,
           CASE WHEN f.kotak IS NOT NULL THEN c.alasan END AS alasan_kalibrasi,
           coalesce(f.kotak IS NOT NULL AND c.kotak_saat_pindah <> f.kotak, false) AS kalibrasi_usang
    FROM {inner} f LEFT JOIN cal c ON c.nip = f.nip AND c.instansi = f.instansi
)
"""


def _calibrated(inner: str) -> str:
    if not inner.startswith("("):
        inner = "(" + inner + ")"
    return _CALIBRATED.replace("{inner}", inner)


def calibration_stamp(con, period: int) -> int:
    """The latest calibration event of ``period`` (0: none): changes with every move, close and reopen."""
    return int(store.query_one(con, "SELECT coalesce(max(ev.event_id), 0) FROM kalibrasi_event ev JOIN kalibrasi_sesi s "
                                    "USING (sesi_id) WHERE s.periode = $t", {"t": period})[0])


def _basis_stamp(con, filters: Filters, period: int) -> int:
    """Part of the figure memo's key: calibration events change the counts of every basis but the computed one."""
    return 0 if filters.basis == "terhitung" else calibration_stamp(con, period)


def _overlay_mode(con, filters: Filters, period: int, columns: bool) -> str | None:
    """None (no join), 'all' (every session's moves) or 'closed' (closed sessions' moves only)."""
    if filters.basis == "terhitung" and not columns:
        return None
    if not columns and not calibration_stamp(con, period):
        return None
    return "all" if filters.basis == "terkalibrasi" else ("closed" if filters.basis == "otomatis" else "none")


def _overlay_params(mode: str | None, period: int) -> dict:
    return {} if mode is None else {"cal_period": period, "cal_mode": mode}


_VERSION_SQL = ("SELECT (SELECT coalesce(max(batch_id), 0) FROM import_batch), "
                "(SELECT count(undone_at) FROM import_batch), (SELECT count(*) FROM employee), "
                "(SELECT count(*) FROM performance), (SELECT count(*) FROM assessment)")


def data_version(con) -> str:
    """Changes with every import and every undo (the only writes to the scored tables); the row
    counts are there too, so that rows written some other way cannot hide behind an old entry."""
    return "-".join(str(v) for v in store.query_one(con, _VERSION_SQL))


def _key_of(period: int, version: str, rs: RuleSet) -> str:
    import hashlib

    return hashlib.sha256(f"{period}|{version}|{rs.to_json()}".encode()).hexdigest()[:24]


def score_key(con, period: int, rs: RuleSet) -> tuple[str, str]:
    """The cache key of (period, rule values, data) and the data version it rests on."""
    version = data_version(con)
    return _key_of(period, version, rs), version


def ensure_scores(con, period: int, rs: RuleSet) -> str | None:
    """The cache key holding every employee's placement for (period, rule values, data), built if missing.

    None when the database is opened read-only (the caller then scores live). Building takes one
    scoring pass over the whole population; later aggregates in any scope read it.
    """
    import time

    import duckdb

    # one round trip: the data version and the keys built (at most CACHE_KEYS_KEPT rows)
    row = store.query_one(con, "SELECT *, (SELECT list(cache_key) FROM talent_score_key) FROM (" + _VERSION_SQL + ")")
    version = "-".join(str(v) for v in row[:5])
    key = _key_of(period, version, rs)
    if key in (row[5] or []):
        return key
    try:
        with store.WRITE_LOCK, store.transaction(con) as cur:
            if cur.execute("SELECT count(*) FROM talent_score_key WHERE cache_key = $k", {"k": key}).fetchall()[0][0]:
                return key
            if data_version(cur) != version:        # an import landed meanwhile: score the new data
                return None
            t = time.perf_counter()
            head, params, whole = _base(Scope(), Filters())
            sql = (head + _chain("", False, whole) +
                   "\nINSERT INTO talent_score BY NAME SELECT $cache_key AS cache_key, * FROM final")
            cur.execute(sql, {**params, **_params(rs, period, ""), "cache_key": key})
            n = cur.execute("SELECT count(*) FROM talent_score WHERE cache_key = $k", {"k": key}).fetchall()[0][0]
            cur.execute("INSERT INTO talent_score_key VALUES ($k, $t, $v, $r, $n, $s, $at)",
                        {"k": key, "t": period, "v": version, "r": rs.to_json(), "n": n,
                         "s": time.perf_counter() - t, "at": store.now()})
            old = [r[0] for r in cur.execute(
                "SELECT cache_key FROM talent_score_key ORDER BY built_at DESC, cache_key OFFSET $keep",
                {"keep": CACHE_KEYS_KEPT}).fetchall()]
            if old:
                cur.execute("DELETE FROM talent_score WHERE list_contains($old, cache_key)", {"old": old})
                cur.execute("DELETE FROM talent_score_key WHERE list_contains($old, cache_key)", {"old": old})
        return key
    except duckdb.Error as exc:
        if "read-only" in str(exc).lower() or "read only" in str(exc).lower():
            return None
        raise


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


def placements(con, scope: Scope, filters: Filters, period: int, rs: RuleSet, *, kotak: int | None = None,
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
    extra: dict = {}
    withhold, shown_boxes = False, None
    key = _cache_key(con, period, rs)
    if privacy.threshold(scope):
        search = ""
        if kotak is None and group is None and placed is not False:
            # a list over several boxes keeps the boxes whose count is shown (it would count the others)
            f = _figures(con, scope, filters, period, rs, cache_key=key)[1]
            shown_boxes = [b.number for b in rules.BOXES if not privacy.hidden(f[f"kotak_{b.number}"])]
            if placed is None and not privacy.list_allowed(scope, f["belum_terpetakan"]):
                placed = True
        else:
            shown = group_count if group is not None else _list_count(con, scope, filters, period, rs, kotak, placed, key)
            withhold = not privacy.list_allowed(scope, shown)
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
    df = _query(con, scope, filters, period, rs, select, {
        **_LABELS, "rule_set": rs.label, "kotak": kotak, "placed": placed, "search": search.strip(),
        **({"limit": 0 if withhold else limit} if limit or withhold else {}), **extra}, detail=True, order_by="kotak DESC NULLS LAST, opd, nama, nip",
        calibration_columns=True, key=key)
    for col in ("kotak", "tahun_asesmen", "kotak_terhitung", "kotak_terkalibrasi"):
        df[col] = df[col].astype("Int64")
    return privacy.mask_people(df, scope)


def _list_count(con, scope, filters, period, rs, kotak, placed, key=_UNSET):
    """The shown count of the people a list would hold (``pd.NA`` when hidden)."""
    f = _figures(con, scope, filters, period, rs, cache_key=key)[1]
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
    """Empty every figure memo (benchmarks measuring the queries themselves)."""
    with _FIGURE_LOCK:
        for memo in _FIGURE_MEMOS.values():
            memo.clear()


def unplaced_reasons(con, scope: Scope, filters: Filters, period: int, rs: RuleSet,
                     keys: tuple[str, ...] = privacy.REASONS) -> dict[str, int]:
    """Counts of the unplaced by reason (``keys`` of ``privacy.REASONS``), unsuppressed."""
    if not keys:
        return {}
    sql = "SELECT " + ", ".join(_FIGURES[k] + " AS " + k for k in keys) + " FROM final"
    df = _query(con, scope, filters, period, rs, sql)
    return {k: int(v) if pd.notna(v) else 0 for k, v in df.iloc[0].items()}


def figure_sql(key: str) -> str:
    """The SQL expression over ``final`` of one talent-map figure (``privacy.MAP_KEYS``); ``krs`` binds $krs_boxes
    (``KRS_PARAMS``)."""
    return _FIGURES[key]


KRS_PARAMS = {"krs_boxes": list(rules.KRS_BOXES)}


def remember_figures(con, scope: Scope, filters: Filters, period: int, rs: RuleSet, raw: dict[str, int], *,
                     key=_UNSET) -> dict:
    """Keep every figure of (scope, filters) counted by another query of the same population (the pool table),
    so that the talent map of the same page reads them instead of scanning again. Returns ``raw``.
    ``key``: the score-cache key the caller's query read (``_cache_key``)."""
    cache_key = _cache_key(con, period, rs) if key is _UNSET else key
    if cache_key:
        memo = _memo(con)
        with _FIGURE_LOCK:
            memo[(cache_key, _basis_stamp(con, filters, period), scope, filters, period, privacy.MAP_KEYS)] = dict(raw)
            while len(memo) > _FIGURE_MEMO_SIZE:
                memo.popitem(last=False)
    return raw


def raw_figures(con, scope: Scope, filters: Filters, period: int, rs: RuleSet,
                keys: tuple[str, ...] = privacy.MAP_KEYS) -> dict[str, int]:
    """Counts of the talent map (``keys`` of ``privacy.MAP_KEYS``), unsuppressed: for the privacy module, and
    for the unmasked path, which asks only for what it shows. One scan for all of them."""
    return _raw_figures(con, scope, filters, period, rs, keys, _cache_key(con, period, rs))


def _raw_figures(con, scope, filters, period, rs, keys, cache_key) -> dict[str, int]:
    key = (cache_key, _basis_stamp(con, filters, period), scope, filters, period, keys) if cache_key else None
    memo = _memo(con) if key is not None else None
    if memo is not None:
        with _FIGURE_LOCK:
            if key in memo:
                memo.move_to_end(key)
                return dict(memo[key])
    sql = "SELECT " + ", ".join(_FIGURES[k] + " AS " + k for k in keys) + " FROM final"
    df = _query(con, scope, filters, period, rs, sql, KRS_PARAMS if "krs" in keys else None, key=cache_key)
    out = {k: int(v) for k, v in df.iloc[0].items()}
    if memo is not None:
        with _FIGURE_LOCK:
            memo[key] = dict(out)
            while len(memo) > _FIGURE_MEMO_SIZE:
                memo.popitem(last=False)
    return out


def figures(con, scope: Scope, filters: Filters, period: int, rs: RuleSet) -> dict:
    """Every count of the talent map as ``scope`` may see it (hidden counts are ``pd.NA``).

    One suppression for all of them, so Ringkasan, Peta Talenta, the trend and the exports agree.
    """
    return _figures(con, scope, filters, period, rs)[1]


def _figures(con, scope, filters, period, rs, keys: tuple[str, ...] = privacy.MAP_KEYS,
             cache_key=_UNSET) -> tuple[dict, dict]:
    cache_key = _cache_key(con, period, rs) if cache_key is _UNSET else cache_key
    if not privacy.threshold(scope):            # nothing to suppress: count only what the caller shows
        raw = _raw_figures(con, scope, filters, period, rs, keys, cache_key)
        return raw, raw
    raw = _raw_figures(con, scope, filters, period, rs, privacy.MAP_KEYS, cache_key)
    return raw, privacy.apply(raw, privacy.map_hidden(raw, privacy.threshold(scope)))


def box_counts(con, scope: Scope, filters: Filters, period: int, rs: RuleSet) -> pd.DataFrame:
    """Nine rows (kotak 1-9) with the count and the share of placed employees (``<NA>``/NaN when hidden)."""
    f = _figures(con, scope, filters, period, rs, ("terpetakan", *privacy.BOX_KEYS))[1]
    df = pd.DataFrame({"kotak": [b.number for b in rules.BOXES],
                       "n": pd.array([f[f"kotak_{b.number}"] for b in rules.BOXES], dtype="Int64")})
    df["persen"] = [privacy.share(n, f["terpetakan"]) for n in df["n"]]
    return df


def unplaced_counts(con, scope: Scope, filters: Filters, period: int, rs: RuleSet) -> pd.DataFrame:
    """Employees not placed, by reason (an employee can lack both kinerja and assessment); ``<NA>`` when hidden."""
    raw, f = _figures(con, scope, filters, period, rs, privacy.REASONS)
    df = pd.DataFrame({"alasan": list(privacy.REASONS), "n": pd.array([f[r] for r in privacy.REASONS], dtype="Int64")})
    df = df[[raw[r] > 0 for r in privacy.REASONS]]      # a reason nobody has is not listed (a zero reveals nobody)
    return df.sort_values("n", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def summary(con, scope: Scope, filters: Filters, period: int, rs: RuleSet) -> dict:
    """Headline figures: pegawai, terpetakan, belum_terpetakan, krs, kotak_9, kotak_1 (``pd.NA`` when hidden),
    krs_persen (percentage of the placed, 0-100: 40.0 is 40 %) and persen_terpetakan (share 0..1 of employees), NaN when they rest on a hidden count."""
    shown = ("pegawai", "terpetakan", "belum_terpetakan", "krs", "kotak_9", "kotak_1")
    f = _figures(con, scope, filters, period, rs, shown)[1]
    out = {k: f[k] for k in shown}
    out["krs_persen"] = 100.0 * privacy.share(out["krs"], out["terpetakan"])
    out["persen_terpetakan"] = privacy.share(out["terpetakan"], out["pegawai"])
    return out


def individuals(con, scope: Scope, filters: Filters, period: int, rs: RuleSet, limit: int = 5000) -> pd.DataFrame | None:
    """Scores of every placed employee, or None when more than ``limit`` (then only aggregates are shown),
    and None when small groups are suppressed (one dot per person would count every box)."""
    if privacy.threshold(scope):
        return None
    n = summary(con, scope, filters, period, rs)["terpetakan"]
    if n > limit:
        return None
    df = _query(con, scope, filters, period, rs, """
        SELECT f.nip, f.nama, f.opd, f.skor_kinerja, f.skor_potensial, f.kotak
        FROM final f WHERE f.kotak IS NOT NULL ORDER BY f.nip""")
    return privacy.mask_people(df, scope)


def compare(con, scope: Scope, filters: Filters, a: tuple[int, RuleSet], b: tuple[int, RuleSet],
            group_sql: str | None = None) -> pd.DataFrame:
    """Per employee in scope: box under (period, rule set) ``a`` and under ``b`` (0 = not placed).

    Returns counts per (dari, ke[, grp]). ``group_sql`` is an allow-listed expression over ``e``.
    """
    head, params, whole = _base(scope, filters)
    grp = (", " + group_sql + " AS grp") if group_sql else ""
    # $t is the later period (a grouping may use it: age bands); bound in its own CTE whether used or not
    sql = head + " later AS (SELECT $t AS t)," + _chain("a_", whole=whole) + "," + _chain("b_", whole=whole)[1:] + (
        " SELECT coalesce(e.kotak, 0) AS dari, coalesce(b.kotak, 0) AS ke" + grp + ", count(*) AS n"
        " FROM a_final e JOIN b_final b USING (nip) GROUP BY ALL")
    return store.query_df(con, sql, {**params, **_params(a[1], a[0], "a_"), **_params(b[1], b[0], "b_"), "t": b[0]})


def matrix(pairs: pd.DataFrame) -> pd.DataFrame:
    """A 10 x 10 frame of counts (rows: from, columns: to; 0 = belum terpetakan)."""
    idx = list(range(10))
    if pairs.empty:
        return pd.DataFrame(0, index=idx, columns=idx)
    m = pairs.pivot_table(index="dari", columns="ke", values="n", aggfunc="sum", fill_value=0)
    return m.reindex(index=idx, columns=idx, fill_value=0).astype(int)


def sensitivity(con, scope: Scope, filters: Filters, period: int, current: RuleSet, candidate: RuleSet) -> pd.DataFrame:
    """Employees moving from each box (rows, under ``current``) to each box (columns, ``candidate``).

    Row and column 0 hold 'belum terpetakan'. Returns a 10 x 10 frame of counts (``<NA>`` when hidden).
    """
    return transitions(con, scope, filters, (period, current), (period, candidate))


def transitions(con, scope: Scope, filters: Filters, a: tuple[int, RuleSet], b: tuple[int, RuleSet]) -> pd.DataFrame:
    """The 10 x 10 matrix from (period, rule set) ``a`` to ``b`` as ``scope`` may see it: its row and
    column sums are the talent maps of ``a`` and ``b``, suppressed as those are (``privacy.suppress_matrix``)."""
    m = matrix(compare(con, scope, filters, a, b))
    t = privacy.threshold(scope)
    if not t:
        return m
    return privacy.suppress_matrix(m, raw_figures(con, scope, filters, *a), raw_figures(con, scope, filters, *b), t)
