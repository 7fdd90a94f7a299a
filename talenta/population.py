"""The scored population: one relation ``final`` with one row per employee in scope and its placement.

Every reader of placements (the talent map, the pool, Ringkasan, Potensi Tinggi, exports, succession,
calibration and fairness) goes through ``query``; nobody else writes scoring SQL.

Columns of ``final`` (a documented contract; ``FINAL_COLUMNS`` lists them):
  the employee's columns (``EMPLOYEE_COLUMNS``), ``skor_kinerja`` (mean predikat points over the kinerja window),
  ``dasar_kinerja`` (the SKP records behind it, only with ``detail``), ``tahun_asesmen``, ``jpm``,
  ``tahun_asesmen_terakhir``, ``skor_potensial``, ``kin_level`` and ``pot_level`` (0-2), ``kotak`` (1-9 or NULL),
  ``alasan_kinerja`` / ``alasan_potensial`` (why not placed), ``alasan_kode`` (``privacy.REASONS``), and with the
  calibration overlay ``kotak_terhitung``, ``kotak_terkalibrasi``, ``alasan_kalibrasi``, ``kalibrasi_usang``.

The score cache (sql/006) holds ``final`` for (period, rule values, data version). The write path builds the
entries (``build_active``, run by ``derived.refresh`` after an import, an undo or a rule-set activation; the
write itself is ``build_scores``); reads only look a key up (``cache_key``) and score live when it is not there
(another rule set, a candidate's sensitivity preview, a database whose writer has not built it). The SQL mirrors ``rules.place`` exactly (a property test checks it on random populations). Every
value of the rule set is a bound parameter; the query text only varies by a parameter prefix, so
two rule sets can be compared in one query (the sensitivity matrix).
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import threading
import weakref
from collections import OrderedDict
from typing import Iterator

import pandas as pd
import pyarrow as pa

from . import privacy, rules, store
from .rules import RuleSet
from .scope import FILTER_COLUMNS, Filters, Scope, employee_where

_CHAIN = """
{p}sc AS (
    -- one grouped pass over the SKP rows of the kinerja window and the assessments up to the period (a union:
    -- one hash aggregate and one join with pop instead of two of each). Per SKP row its points; per assessment
    -- row its potensial score, of which the latest row's inside the window is picked as a scalar (arg_max_null
    -- keeps a NULL jpm of that row; a struct of the six values per employee cost about twice as much)
    SELECT k.nip, avg(k.poin) AS skor_kinerja, {dasar} AS dasar_kinerja,
           max(k.a_tahun) FILTER (WHERE k.a_tahun > ${p}t - ${p}ases_years) AS tahun_asesmen,
           arg_max_null(k.jpm, k.a_tahun) FILTER (WHERE k.a_tahun > ${p}t - ${p}ases_years) AS jpm,
           max(k.a_tahun) AS tahun_asesmen_terakhir,
           arg_max_null(k.pot, k.a_tahun) FILTER (WHERE k.a_tahun > ${p}t - ${p}ases_years) AS skor_potensial
    FROM (SELECT k.nip, k.tahun, k.predikat, k.nilai_kinerja,
                 coalesce(list_extract(${p}pts, list_position(${p}pred, k.predikat)), k.nilai_kinerja) AS poin,
                 NULL::INTEGER AS a_tahun, NULL::DOUBLE AS jpm, NULL::DOUBLE AS pot
          FROM performance k {popjoin}
          WHERE k.tahun BETWEEN ${p}t - ${p}kin_years + 1 AND ${p}t
            AND (k.predikat IS NOT NULL OR k.nilai_kinerja IS NOT NULL)
          UNION ALL
          SELECT a.nip, NULL, NULL, NULL, NULL, a.tahun, a.jpm,
                 CASE WHEN a.jpm IS NOT NULL THEN least(a.jpm, ${p}jpm_cap)
                      ELSE (coalesce(${p}w_pot * a.nilai_potensi, 0) + coalesce(${p}w_man * a.nilai_manajerial, 0)
                            + coalesce(${p}w_sos * a.nilai_sosial_kultural, 0) + coalesce(${p}w_tek * a.nilai_teknis, 0))
                           / nullif(CASE WHEN a.nilai_potensi IS NOT NULL THEN ${p}w_pot ELSE 0 END
                                    + CASE WHEN a.nilai_manajerial IS NOT NULL THEN ${p}w_man ELSE 0 END
                                    + CASE WHEN a.nilai_sosial_kultural IS NOT NULL THEN ${p}w_sos ELSE 0 END
                                    + CASE WHEN a.nilai_teknis IS NOT NULL THEN ${p}w_tek ELSE 0 END, 0)
                 END
          FROM assessment a {popjoin} WHERE a.tahun <= ${p}t) k
    GROUP BY k.nip
), {p}scored AS (
    SELECT pop.*, k.skor_kinerja, k.dasar_kinerja, k.tahun_asesmen, k.jpm, k.tahun_asesmen_terakhir, k.skor_potensial
    FROM pop LEFT JOIN {p}sc k USING (nip)
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
DASAR = """string_agg(k.tahun || ': ' || coalesce(k.predikat || ' (' ||
                      printf('%g', list_extract(${p}pts, list_position(${p}pred, k.predikat))) || ')',
                      'nilai ' || printf('%g', k.nilai_kinerja)), '; ' ORDER BY k.tahun)"""


def chain(p: str, detail: bool = False, whole: bool = False) -> str:
    """The scoring CTEs with prefix ``p``. ``whole``: pop is every employee, so the SKP and assessment
    rows need no join with it (every stored NIP is in the master: the importer checks that)."""
    return (_CHAIN.replace("{dasar}", DASAR if detail else "NULL")
            .replace("{popjoin}", "" if whole else "JOIN pop USING (nip)").replace("{p}", p))


def rule_params(rs: RuleSet, period: int, p: str) -> dict:
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


def base(scope: Scope, filters: Filters) -> tuple[str, dict, bool]:
    """The ``pop`` CTE (employees in scope, with their columns), its parameters, and whether it is everyone."""
    where, params = employee_where(scope, filters)
    head = "WITH pop AS (SELECT " + EMPLOYEE_COLUMNS + " FROM employee e WHERE " + where + "),"
    return head, params, scope.unlimited and filters.unlimited


# The rule values as one relation: every value of ``rule_params`` is bound here once, so a query over the score
# cache may use any of them (``$t``, ``$pts`` ...) and its parameters are always exactly the scope's and
# filters', the rule set's, the cache key and what the caller adds (a query that does not read ``rule``
# still declares them all: nothing is pruned by looking at the SQL).
RULE_CTE = "rule AS (SELECT " + ", ".join("$" + k + " AS " + k for k in rule_params(rules.DEFAULT, 0, "")) + ")"


# How many score-cache entries are kept: every period of the active rule set (``build_active``) plus a few
# others; entries of an older data version are never read again and go first.
CACHE_KEYS_KEPT = 12

# Set (per thread/context) by ``scoring_live``: reads ignore the score cache and score live.
_LIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("talenta_score_live", default=False)


@contextlib.contextmanager
def scoring_live() -> Iterator[None]:
    """Within the block, reads in this thread score live instead of reading the score cache (tests compare
    both ways; the bench times live scoring). Other threads (other sessions) are not affected."""
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


UNSET = object()


def cache_key(con, period: int, rs: RuleSet) -> str | None:
    """The score-cache key of (period, rule values, data) when the write path has built it, else None (the
    caller then scores live). Only reads: a read-only database gets what its writer built. One public call
    looks it up once and passes it to every query it runs."""
    if _LIVE.get():
        return None
    # one round trip: the data version and whether its key is built
    row = store.query_one(con, "SELECT *, (SELECT list(cache_key) FROM talent_score_key) FROM (" + _VERSION_SQL + ")")
    key = _key_of(period, "-".join(str(v) for v in row[:5]), rs)
    return key if key in (row[5] or []) else None


def lookup(con, filters: Filters, rs: RuleSet) -> tuple[str | None, int | None]:
    """``cache_key`` and, when ``filters.basis`` reads the calibration, ``calibration_stamp`` of ``filters.period``,
    in one round trip (the stamp is None when the basis does not need it). A caller passes both on (``query``'s ``key``
    and ``stamp``, the figure memo's key) instead of looking the stamp up again for every query."""
    period = filters.need_period()
    if filters.basis == "terhitung":
        return cache_key(con, period, rs), None
    if _LIVE.get():
        return None, calibration_stamp(con, period)
    key, stamp = _key_with(con, period, rs, _STAMP_SQL)
    return key, int(stamp)


def _key_with(con, period: int, rs: RuleSet, extra_sql: str):
    """The cache key of (``period``, ``rs``, the data now) when that entry is built (else None) and the value of the
    scalar subquery ``extra_sql`` (``$t``: the period), in one round trip."""
    row = store.query_one(con, "SELECT *, (SELECT list(cache_key) FROM talent_score_key), (" + extra_sql + ") FROM ("
                          + _VERSION_SQL + ")", {"t": period})
    key = _key_of(period, "-".join(str(v) for v in row[:5]), rs)
    return (key if key in (row[5] or []) else None), row[6]


_STAMPS_SQL = ("SELECT {'all': coalesce(max(ev.event_id), 0), 'closed': coalesce(max(ev.event_id) FILTER (ev.jenis IN "
               "('tetapkan', 'buka_kembali')), 0)} FROM kalibrasi_event ev JOIN kalibrasi_sesi s USING (sesi_id) "
               "WHERE s.periode = $t")


def lookup_closed(con, filters: Filters, rs: RuleSet) -> tuple[str | None, int | None, int | None]:
    """``lookup`` and the period's close/reopen stamp (``closed_stamp``; None when ``filters.basis`` is not
    ``otomatis`` or scoring is live), in the same single round trip: what a reader of the published tables needs."""
    period = filters.need_period()
    if filters.basis != "otomatis" or _LIVE.get():
        key, stamp = lookup(con, filters, rs)
        return key, stamp, None
    key, stamps = _key_with(con, period, rs, _STAMPS_SQL)
    return key, int(stamps["all"]), int(stamps["closed"])


def query(con, scope, filters, rs, select: str, extra: dict | None = None,
           detail: bool = False, order_by: str = "", calibration_columns: bool = False, key=UNSET,
           stamp: int | None = None) -> pd.DataFrame:
    """Run ``select`` over ``final``: one row per employee in scope with its columns and its placement.

    ``select`` may use the rule values as parameters (``rule_params``: ``$t``, ``$pts`` ...) and whatever
    ``extra`` binds. ``detail`` adds the SKP records behind each kinerja score (``dasar_kinerja``); with
    the cache they are looked up only for the rows ``select`` returns (a listing of 500 rows reads 500
    employees' SKP, not the country's), and ``order_by`` (output column names) orders the result again.
    ``key``: the score-cache key when the caller has looked it up already (``cache_key``); ``stamp``: the
    period's calibration stamp likewise (``lookup``).
    ``filters.basis`` says which box ``kotak`` is (computed or calibrated, see ``CALIBRATED``);
    ``calibration_columns`` adds both boxes and the calibration's reason whatever the basis.
    """
    period = filters.need_period()
    filters = privacy.published_filters(scope, filters)
    key = cache_key(con, period, rs) if key is UNSET else key
    overlay = _overlay_mode(con, filters, calibration_columns, stamp)
    if key is not None:
        where, params = employee_where(scope, filters)
        inner = ("SELECT * EXCLUDE (cache_key, kotak_sebelumnya) FROM talent_score e WHERE e.cache_key = $cache_key AND "
                 + where)
        body = calibrated(inner).removeprefix("WITH ") if overlay else "final AS (" + inner + ")"
        sql = "WITH " + RULE_CTE + ", " + body + "\n" + select
        if detail:
            sql = ("SELECT * REPLACE ((SELECT " + DASAR.replace("{p}", "") + " FROM performance k "
                   "WHERE k.nip = m.nip AND k.tahun BETWEEN $t - $kin_years + 1 AND $t "
                   "AND (k.predikat IS NOT NULL OR k.nilai_kinerja IS NOT NULL)) AS dasar_kinerja) FROM (" + sql +
                   ") m" + (" ORDER BY " + order_by if order_by else ""))
        return store.query_df(con, sql, {**params, **rule_params(rs, period, ""), "cache_key": key,
                                         **_overlay_params(overlay, period), **(extra or {})})
    head, params, whole = base(scope, filters)
    sql = head + chain("", detail, whole) + "\n"
    sql = (calibrated("(" + sql + "SELECT * FROM final)") if overlay else sql) + select
    return store.query_df(con, sql, {**params, **rule_params(rs, period, ""), **_overlay_params(overlay, period),
                                     **(extra or {})})


# --- the calibrated box (sql/011, talenta.calibration): one join and one column swap over ``final`` ----------
# The computed placement stays as scored (and cached); the Komite Talenta's latest move per (instansi, period,
# nip) is joined on. ``kotak`` becomes the calibrated box when the basis asks for it (``terkalibrasi``: every
# session of the period; ``otomatis``: closed sessions only); ``kotak_terhitung``, ``kotak_terkalibrasi``,
# ``alasan_kalibrasi`` and ``kalibrasi_usang`` (moved against an older computed box) are always there.
# A move back to the computed box cancels; only placed employees are moved.
_MOVES = """{p}state AS (
    SELECT sesi_id, s.instansi, coalesce(arg_max(ev.jenis, ev.event_id)
               FILTER (ev.jenis IN ('tetapkan', 'buka_kembali')) = 'tetapkan', false) AS ditetapkan
    FROM kalibrasi_sesi s LEFT JOIN kalibrasi_event ev USING (sesi_id) WHERE s.periode = ${p}period GROUP BY ALL
), {p}moves AS (
    SELECT c.instansi, ev.nip, c.ditetapkan, arg_max(ev.kotak_ke, ev.event_id) AS kotak_ke,
           arg_max(ev.kotak_terhitung, ev.event_id) AS kotak_saat_pindah,
           arg_max(ev.kode_alasan || ': ' || coalesce(ev.alasan, ''), ev.event_id) AS alasan
    FROM kalibrasi_event ev JOIN {p}state c USING (sesi_id) WHERE ev.jenis = 'pindah' GROUP BY ALL
    HAVING arg_max(ev.kotak_ke, ev.event_id) <> arg_max(ev.kotak_terhitung, ev.event_id)
)"""


def moves_cte(p: str) -> str:
    """The CTEs ``{p}state`` (each session of the period ``${p}period``: closed or not) and ``{p}moves`` (each moved
    employee's latest move, a move back to the computed box cancelling it): ``instansi, nip, ditetapkan,
    kotak_ke, kotak_saat_pindah, alasan``."""
    return _MOVES.replace("{p}", p)


def moved_box(box: str, c: str, p: str) -> str:
    """The box in force for the computed ``box`` and the move row ``c`` of ``moves_cte(p)``, under ``${p}mode``
    (``_overlay_mode``: 'all' every session's moves, 'closed' closed sessions' only)."""
    return (f"CASE WHEN {box} IS NOT NULL AND {c}.kotak_ke IS NOT NULL AND (${p}mode = 'all' OR "
            f"(${p}mode = 'closed' AND {c}.ditetapkan)) THEN {c}.kotak_ke ELSE {box} END")


CALIBRATED = "WITH " + moves_cte("cal_") + """, final AS (
    SELECT f.* REPLACE (""" + moved_box("f.kotak", "c", "cal_") + """ AS kotak),
           f.kotak AS kotak_terhitung,
           CASE WHEN f.kotak IS NOT NULL AND c.kotak_ke IS NOT NULL THEN c.kotak_ke ELSE f.kotak END
               AS kotak_terkalibrasi,
           CASE WHEN f.kotak IS NOT NULL THEN c.alasan END AS alasan_kalibrasi,
           coalesce(f.kotak IS NOT NULL AND c.kotak_saat_pindah <> f.kotak, false) AS kalibrasi_usang
    FROM {inner} f LEFT JOIN cal_moves c ON c.nip = f.nip AND c.instansi = f.instansi
)
"""


def overlay(con, filters: Filters, box: str, e: str, p: str) -> tuple[str, str, str, dict]:
    """The box of ``filters.period`` under ``filters.basis`` in a query over two periods (the movement matrix): the
    CTEs to add (with a leading comma), the join onto the employee alias ``e``, the box expression for the computed
    ``box`` and the parameters; nothing to add when the basis is the computed box or the period has no move."""
    period = filters.need_period()
    mode = _overlay_mode(con, filters, False)
    if mode is None:
        return "", "", box, {}
    return (", " + moves_cte(p), f" LEFT JOIN {p}moves {p}m ON {p}m.nip = {e}.nip AND {p}m.instansi = {e}.instansi",
            moved_box(box, p + "m", p), {p + "period": period, p + "mode": mode})


def calibrated(inner: str) -> str:
    if not inner.startswith("("):
        inner = "(" + inner + ")"
    return CALIBRATED.replace("{inner}", inner)


_STAMP_SQL = ("SELECT coalesce(max(ev.event_id), 0) FROM kalibrasi_event ev JOIN kalibrasi_sesi s USING (sesi_id) "
              "WHERE s.periode = $t")


# the latest close or reopen of a calibration session of the period (0: none): the basis ``otomatis`` shows the moves of
# closed sessions only, and a closed session takes no move, so its counts change only with a close or a reopen
CLOSED_STAMP_SQL = ("SELECT coalesce(max(ev.event_id) FILTER (ev.jenis IN ('tetapkan', 'buka_kembali')), 0) "
                    "FROM kalibrasi_event ev JOIN kalibrasi_sesi s USING (sesi_id) WHERE s.periode = $t")


def closed_stamp(con, period: int) -> int:
    """``CLOSED_STAMP_SQL`` of ``period``: changes with every close and reopen, not with a move."""
    return int(store.query_one(con, CLOSED_STAMP_SQL, {"t": period})[0])


def calibration_stamp(con, period: int) -> int:
    """The latest calibration event of ``period`` (0: none): changes with every move, close and reopen."""
    return int(store.query_one(con, _STAMP_SQL, {"t": period})[0])


def basis_stamp(con, filters: Filters, stamp: int | None = None) -> int:
    """Part of the figure memo's key: calibration events change the counts of every basis but the computed one.
    ``stamp``: the period's calibration stamp when the caller has it (``lookup``)."""
    period = filters.need_period()
    if filters.basis == "terhitung":
        return 0
    return calibration_stamp(con, period) if stamp is None else stamp


def _overlay_mode(con, filters: Filters, columns: bool, stamp: int | None = None) -> str | None:
    """None (no join), 'all' (every session's moves) or 'closed' (closed sessions' moves only)."""
    period = filters.need_period()
    if filters.basis == "terhitung" and not columns:
        return None
    if not columns and not (calibration_stamp(con, period) if stamp is None else stamp):
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


def build_scores(con, period: int, rs: RuleSet, keep: int = CACHE_KEYS_KEPT) -> str:
    """Build the score-cache entry of (period, rule values, data) if missing and return its key: the write
    path's half of the cache (``build_active``; readers only look keys up with ``cache_key``).

    One scoring pass over the whole population; later aggregates in any scope read it. Entries of another
    data version are dropped (no reader asks for them again), then all but the ``keep`` newest.
    """
    import time

    with store.WRITE_LOCK, store.transaction(con) as cur:
        version = data_version(cur)
        key = _key_of(period, version, rs)
        if cur.execute("SELECT count(*) FROM talent_score_key WHERE cache_key = $k", {"k": key}).fetchall()[0][0]:
            return key
        t = time.perf_counter()
        # the box of the period before, from its entry when that is built (build_active builds the oldest first)
        prev = _key_of(period - 1, version, rs)
        if not cur.execute("SELECT count(*) FROM talent_score_key WHERE cache_key = $k", {"k": prev}).fetchall()[0][0]:
            prev = None
        # rows of this key without its key row (an entry deleted by hand or half-dropped) would be counted twice
        cur.execute("DELETE FROM talent_score WHERE cache_key = $k", {"k": key})      # its counts: _write_counts
        head, params, whole = base(Scope(), Filters())
        sql = (head + chain("", False, whole) +
               "\nINSERT INTO talent_score BY NAME SELECT $cache_key AS cache_key, f.*, "
               "p.kotak::UTINYINT AS kotak_sebelumnya FROM final f "
               "LEFT JOIN (SELECT nip, kotak FROM talent_score WHERE cache_key = $prev) p ON p.nip = f.nip")
        cur.execute(sql, {**params, **rule_params(rs, period, ""), "cache_key": key, "prev": prev})
        n = cur.execute("SELECT count(*) FROM talent_score WHERE cache_key = $k", {"k": key}).fetchall()[0][0]
        _write_counts(cur, key)
        cur.execute("INSERT INTO talent_score_key (cache_key, period, data_version, rules, n, seconds, built_at, "
                    "kunci_sebelumnya, counted) VALUES ($k, $t, $v, $r, $n, $s, $at, $prev, true)",
                    {"k": key, "t": period, "v": version, "r": rs.to_json(), "n": n,
                     "s": time.perf_counter() - t, "at": store.now(), "prev": prev})
        old = [r[0] for r in cur.execute(
            "SELECT cache_key FROM talent_score_key ORDER BY data_version = $v DESC, built_at DESC, cache_key "
            "OFFSET $keep", {"v": version, "keep": keep}).fetchall()]
        old += [r[0] for r in cur.execute("SELECT cache_key FROM talent_score_key WHERE data_version <> $v",
                                          {"v": version}).fetchall() if r[0] not in old]
        if old:
            cur.execute("DELETE FROM talent_score WHERE list_contains($old, cache_key)", {"old": old})
            cur.execute("DELETE FROM talent_score_count WHERE list_contains($old, cache_key)", {"old": old})
            cur.execute("DELETE FROM talent_score_count_unit WHERE list_contains($old, cache_key)", {"old": old})
            cur.execute("DELETE FROM talent_score_key WHERE list_contains($old, cache_key)", {"old": old})
    return key


COUNT_COLUMNS = FILTER_COLUMNS
# the coverage flags as overview._COVERAGE_CACHED reads them from an entry
COVERAGE_FLAGS = {"ada_kinerja": "skor_kinerja IS NOT NULL", "ada_asesmen": "tahun_asesmen IS NOT NULL",
                  "asesmen_kedaluwarsa": "tahun_asesmen IS NULL AND tahun_asesmen_terakhir IS NOT NULL"}
_COUNT_INSERT = ("INSERT INTO talent_score_count BY NAME SELECT cache_key, " + ", ".join(COUNT_COLUMNS) +
                 ", kotak, alasan_kode, " + ", ".join(f"{v} AS {k}" for k, v in COVERAGE_FLAGS.items()) +
                 ", count(*) AS n FROM talent_score WHERE cache_key = $k GROUP BY ALL")


_COUNT_UNIT_INSERT = ("INSERT INTO talent_score_count_unit SELECT cache_key, instansi, opd, unit_kerja, kotak, "
                      "alasan_kode, count(*) FROM talent_score WHERE cache_key = $k GROUP BY ALL")


def _write_counts(cur, key: str) -> None:
    """Entry ``key``'s counts (sql/018), replacing any left from an earlier build of the same key."""
    for table, insert in (("talent_score_count", _COUNT_INSERT), ("talent_score_count_unit", _COUNT_UNIT_INSERT)):
        cur.execute("DELETE FROM " + table + " WHERE cache_key = $k", {"k": key})     # table: a fixed name
        cur.execute(insert, {"k": key})


def build_counts(con, key: str) -> None:
    """The counts of entry ``key`` (sql/018) when it was built before they existed; idempotent."""
    with store.WRITE_LOCK, store.transaction(con) as cur:
        got = cur.execute("SELECT counted FROM talent_score_key WHERE cache_key = $k", {"k": key}).fetchall()
        if not got or got[0][0]:
            return
        _write_counts(cur, key)
        cur.execute("UPDATE talent_score_key SET counted = true WHERE cache_key = $k", {"k": key})


COUNT_DIMENSIONS = (*COUNT_COLUMNS, "kotak", "alasan_kode", *COVERAGE_FLAGS)


def counts(con, scope: Scope, filters: Filters, key: str | None, stamp: int | None = None,
           group: str | None = None, dims: tuple[str, ...] = ("kotak", "alasan_kode"),
           unit: bool = False, rs: RuleSet | None = None) -> pd.DataFrame | None:
    """Employees in scope per (``group``,) ``dims`` (columns ``group`` when asked, the dims, ``n``), summed from
    the stored counts of score-cache entry ``key`` (sql/018) in one round trip: what ``SELECT group, kotak,
    alasan_kode, count(*) FROM final GROUP BY ALL`` gives. ``group``: an expression over alias ``e`` and
    ``COUNT_COLUMNS`` only; ``dims`` from ``COUNT_DIMENSIONS``; ``unit``: from the counts per unit kerja (``group``
    may then use ``unit_kerja``; dims only kotak and alasan_kode; None under a jenis filter). None when the caller
    must count the entry itself:
    no entry, an entry without counts, or ``kotak`` asked under a basis that reads calibration moves (``stamp``
    as for ``query``).

    With no entry (``key`` None: scoring live) and ``rs`` given, the same counts come from ``live_counts``: one
    scoring pass of (scope, filters) kept for the other counts of the page (not per unit kerja: None)."""
    filters = privacy.published_filters(scope, filters)
    if "kotak" in dims and _overlay_mode(con, filters, False, stamp) is not None:
        return None
    if not set(dims) <= set(COUNT_DIMENSIONS if not unit else ("kotak", "alasan_kode")):
        raise ValueError(f"not a stored dimension: {sorted(dims)}")
    if key is None:
        if rs is None or unit:
            return None
        return _regroup(con, live_counts(con, scope, filters, rs), group, dims)
    if unit and (filters.jenis_jabatan or filters.jenis_asn):     # the unit counts keep no jenis columns
        return None
    where, params = employee_where(scope, filters)
    inner = _summed(group, dims, "talent_score_count_unit" if unit else "talent_score_count",
                    "e.cache_key = $cache_key AND " + where)
    df = store.query_df(con, "SELECT c.*, k.counted AS _counted FROM (SELECT counted FROM talent_score_key "
                             "WHERE cache_key = $cache_key) k LEFT JOIN (" + inner + ") c ON TRUE",
                        {**params, "cache_key": key})
    if not len(df) or not bool(df["_counted"].fillna(False).iloc[0]):
        return None
    return df.loc[df["n"].notna()].drop(columns="_counted").reset_index(drop=True)


# --- live counts: one scoring pass answers every count of a page ------------------------------------------------
# Scoring live (no score-cache entry: another rule set or period than the write path built, a read-only copy
# whose writer has not built it, ``scoring_live``), a page still asks for the talent map, the pool per OPD and
# the coverage of the same (scope, filters). The employees are scored once and counted per ``COUNT_DIMENSIONS``
# (what an entry's stored counts hold, sql/018); every count is then summed from those rows, which are kept per
# connection under (data version, rule values, period, scope, filters): an import or an undo changes the data
# version, so an old count is never served, and an entry holds only counts of a scope that is part of its key.
_LIVE_COUNTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_LIVE_COUNTS_SIZE = 4           # entries per connection (at 5,6M the whole population's counts are ~480k rows)
_LIVE_LOCK = threading.Lock()
_LIVE_SELECT = ("SELECT " + ", ".join(FILTER_COLUMNS) + ", kotak, alasan_kode, " +
                "{flags}, count(*) AS n FROM final GROUP BY ALL")


def live_counts(con, scope: Scope, filters: Filters, rs: RuleSet) -> pa.Table:
    """Employees in (scope, filters) per ``COUNT_DIMENSIONS`` (and ``n``), scored live under ``rs`` (the computed
    box, as the score cache holds it): one scoring pass, kept for the next call with the same arguments."""
    period = filters.need_period()
    memo_key = (data_version(con), rs.to_json(), period, scope, dataclasses.replace(filters, period=None, basis="terhitung"))
    with _LIVE_LOCK:
        memo = _LIVE_COUNTS.get(con)
        if memo is None:
            memo = _LIVE_COUNTS[con] = OrderedDict()
        if memo_key in memo:
            memo.move_to_end(memo_key)
            return memo[memo_key]
    head, params, whole = base(scope, filters)
    flags = ", ".join(f"{v} AS {k}" for k, v in COVERAGE_FLAGS.items())
    sql = head + chain("", False, whole) + "\n" + _LIVE_SELECT.replace("{flags}", flags)
    cur = con.cursor()
    try:
        table = cur.sql(sql, params={**params, **rule_params(rs, period, "")}).to_arrow_table()
    finally:
        cur.close()
    with _LIVE_LOCK:
        memo[memo_key] = table
        while len(memo) > _LIVE_COUNTS_SIZE:
            memo.popitem(last=False)
    return table


def forget_live_counts() -> None:
    """Empty every live-count memo (benchmarks timing the scoring pass itself)."""
    with _LIVE_LOCK:
        for memo in _LIVE_COUNTS.values():
            memo.clear()


def _regroup(con, table: pa.Table, group: str | None, dims: tuple[str, ...]) -> pd.DataFrame:
    """``table``'s counts summed per (``group``,) ``dims`` (``counts``' columns), in DuckDB over the Arrow rows."""
    sql = _summed(group, dims, "live_counts", "TRUE")
    cur = con.cursor()
    try:
        cur.register("live_counts", table)
        return cur.sql(sql).to_arrow_table().to_pandas()
    finally:
        cur.close()


def _summed(group: str | None, dims: tuple[str, ...], source: str, where: str) -> str:
    """Counts ``n`` of ``source`` (alias ``e``) summed per (``group``,) ``dims``: what ``counts`` returns."""
    return ("SELECT " + (group + ' AS "group", ' if group else "") + ", ".join("e." + d for d in dims) +
            ", sum(e.n)::BIGINT AS n FROM " + source + " e WHERE " + where + " GROUP BY ALL")


def build_active(con) -> list[str]:
    """Builder (``derived.BUILDERS``): the score-cache entries of the active rule set for every period in the
    data (every period a page may show, the trend included). Idempotent: built keys are kept."""
    from . import rulesets

    rs = rulesets.active(con)
    years = periods(con)
    # oldest first: each entry stores the box of the period before from that period's entry (the movement
    # between consecutive periods reads one entry); all of them are kept (keep >= their number)
    keep = max(CACHE_KEYS_KEPT, len(years) + 2)
    keys = [build_scores(con, t, rs, keep) for t in years]
    for key in keys:            # entries built before their counts existed (sql/018)
        build_counts(con, key)
    return keys


GROUP_COLUMNS = FILTER_COLUMNS        # the sidebar filters


def build_groups(con) -> None:
    """Builder (``derived.BUILDERS``): the population's filter combinations and their sizes (sql/017) for the
    current data version. Idempotent: nothing is done when this version's rows are there."""
    with store.WRITE_LOCK, store.transaction(con) as cur:
        version = data_version(cur)
        if cur.execute("SELECT count(*) FROM population_group WHERE data_version = $v", {"v": version}).fetchall()[0][0]:
            return
        cur.execute("DELETE FROM population_group")
        cols = ", ".join(GROUP_COLUMNS)
        cur.execute("INSERT INTO population_group SELECT $v, " + cols + ", count(*) FROM employee GROUP BY ALL",
                    {"v": version})


def groups(con, scope: Scope) -> pd.DataFrame | None:
    """The filter combinations in ``scope`` (columns ``GROUP_COLUMNS`` and ``n``, employees per combination) from
    what the write path stored for the current data version (one round trip); None when it has not (the caller
    then scans the master)."""
    where, params = scope.where("g")
    df = store.query_df(con, _GROUPS_SQL.replace("{where}", where), params)
    if not len(df) or not bool(df["_built"].iloc[0]):
        return None
    return df.loc[df["n"].notna(), [*GROUP_COLUMNS, "n"]].reset_index(drop=True)


_GROUPS_SQL = ("WITH v AS (" + _VERSION_SQL.replace("SELECT ", "SELECT concat_ws('-', ", 1) + ") AS version), "
               "cur AS (SELECT g.* FROM population_group g, v WHERE g.data_version = v.version) "
               "SELECT g.*, (SELECT count(*) > 0 FROM cur) AS _built FROM (SELECT 1) "
               "LEFT JOIN (SELECT " + ", ".join(GROUP_COLUMNS) + ", n FROM cur g WHERE {where}) g ON TRUE")


def extent(con, scope: Scope, filters: Filters) -> tuple[int, int]:
    """(instansi, OPD) the employees of ``scope`` under ``filters`` belong to, an OPD counted once per instansi
    ("Dinas Kesehatan" of two instansi is two): one aggregate over the combinations the write path stored, else
    over the master."""
    where, params = employee_where(scope, filters, "g")
    row = store.query_one(con, _EXTENT_SQL.replace("{where}", where), params)
    if row[0]:
        return int(row[1]), int(row[2])
    where, params = employee_where(scope, filters, "e")
    row = store.query_one(con, "SELECT count(DISTINCT instansi), count(DISTINCT (instansi, opd)) FROM employee e "
                               "WHERE " + where, params)
    return int(row[0]), int(row[1])


_EXTENT_SQL = ("WITH v AS (" + _VERSION_SQL.replace("SELECT ", "SELECT concat_ws('-', ", 1) + ") AS version), "
               "cur AS (SELECT g.* FROM population_group g, v WHERE g.data_version = v.version) "
               "SELECT (SELECT count(*) > 0 FROM cur), count(DISTINCT g.instansi), count(DISTINCT (g.instansi, g.opd)) "
               "FROM cur g WHERE {where}")


def previous_key(con, key: str) -> str | None:
    """The entry whose boxes ``key``'s entry stores as ``kotak_sebelumnya`` (the period before, same rule values
    and data), or None."""
    row = store.query_one(con, "SELECT kunci_sebelumnya FROM talent_score_key WHERE cache_key = $k", {"k": key})
    return row[0] if row else None


FINAL_COLUMNS = tuple(c.strip() for c in EMPLOYEE_COLUMNS.split(",")) + (
    "skor_kinerja", "dasar_kinerja", "tahun_asesmen", "jpm", "tahun_asesmen_terakhir", "skor_potensial",
    "kin_level", "pot_level", "kotak", "alasan_kinerja", "alasan_potensial", "alasan_kode")


def periods(con) -> list[int]:
    """The years with SKP or assessment rows (``overview.periods`` reads the same)."""
    df = store.query_df(con, "SELECT DISTINCT tahun FROM performance UNION SELECT DISTINCT tahun FROM assessment "
                             "ORDER BY 1")
    return [int(x) for x in df.iloc[:, 0]]
