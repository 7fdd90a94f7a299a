"""Succession planning (issue 17): target posts, their candidates' eligibility, readiness and ranking.

Everything is set-based in DuckDB. Eligibility and readiness depend on the candidate and the target
*jenjang* only (not on the post), so they are computed once per (candidate, jenjang) in ``_ELIG``;
a post's candidate count is a group-by over that, and the (post, candidate) pairs are built only
for the posts asked for (one post on the page, all of them for the CLI and the bench). The only
per-pair part is the score's relevant experience (same OPD now or before).

Every time-bound rule is evaluated at a reference date (``tanggal``): 31 December of the period
unless given. Rules come from ``succession_rules`` (versioned, see docs/succession.md).
"""
from __future__ import annotations

import contextlib
import dataclasses
import contextvars
import datetime as dt
from typing import Iterator

import numpy as np
import pandas as pd

from . import population, privacy, rules, store
from .rules import RuleSet
from .scope import Filters, Scope
from .succession_rules import (GOLONGAN_PNS, HARD, JENJANG, PENDIDIKAN_LABEL, PENDIDIKAN_RANK,
                               PENGALAMAN_LABEL, READINESS, REQUIREMENTS, SuccessionRules)

CSV_COLUMNS = ["jabatan_id", "instansi", "opd", "jabatan", "jenjang", "pemangku_nip", "alasan_target", "nip",
               "nama", "kotak", "peringkat", "skor", "kesiapan", "memenuhi_syarat", "syarat_belum"]


def date_fixed(scope: Scope) -> bool:
    """Whether ``scope``'s reference date is fixed at 31 December of the period whatever its caller asks: a scope
    that may not see people (role ``tamu``). Whether a post is a target turns on its holder's BUP date (BUP within
    the horizon of the reference date), so moving the date day by day would give that date away (review 6)."""
    return not privacy.people_allowed(scope)


def reference_date(period: int, tanggal: dt.date | None = None, scope: Scope | None = None) -> dt.date:
    """The date every time-bound rule is evaluated at: ``tanggal`` or 31 December of ``period``; always the
    latter for a ``scope`` whose date is fixed (``date_fixed``)."""
    if scope is not None and date_fixed(scope):
        tanggal = None
    return tanggal or dt.date(int(period), 12, 31)


def fixed_date_note(period: int) -> str:
    """Why the reference date cannot be changed by a scope whose date is fixed (the page's caption, the CLI)."""
    return (f"Tanggal acuan tetap {reference_date(period):%d-%m-%Y} untuk tampilan agregat (peran tamu): tanggal "
            "lain dapat membuka tanggal pensiun (BUP) pemangku jabatan.")


def filtered_scope(scope: Scope, filters: Filters) -> Scope:
    """The scope succession reads under ``filters``: narrowed to the chosen instansi (the OPD filter is the
    readers' ``opd`` argument). A post's candidates come from its own instansi, so the chosen instansi's posts keep
    the counts they have unfiltered. An instansi filter used to be ignored: a province saw every instansi's posts."""
    return scope.within_instansi(filters.instansi)


def unused_filters_note(filters: Filters) -> str | None:
    """The sentence a succession view shows when a jenis filter is set: target posts are structural posts and their
    candidates are whoever the succession rules admit, so neither filter narrows them (the filter line above a
    page or slide names the filters, and the numbers must not seem to follow them)."""
    unused = [name for name, values in (("jenis jabatan", filters.jenis_jabatan), ("jenis ASN", filters.jenis_asn))
              if values]
    if not unused:
        return None
    return (f"Filter {' dan '.join(unused)} tidak membatasi suksesi: jabatan target adalah jabatan struktural dan "
            "kandidatnya ditentukan aturan suksesi.")


AGGREGATES_ONLY = ("Daftar jabatan target, pemangku dan kandidat tidak ditampilkan: tampilan ini hanya memuat angka "
                   "agregat per OPD (peran tamu).")


def _own_date(scope: Scope, tanggal: dt.date | None) -> dt.date | None:
    """The caller's ``tanggal``, or None (31 December of the period) for a scope whose date is fixed."""
    return None if date_fixed(scope) else tanggal


def _months(a: str, b: str) -> str:
    """Completed months from date ``a`` to date ``b`` (negative when b is earlier)."""
    g = f"age(CAST({b} AS TIMESTAMP), CAST({a} AS TIMESTAMP))"
    return f"(date_part('year', {g}) * 12 + date_part('month', {g}))"


def _dur(x: str) -> str:
    """'2 th 4 bl' for a number of months (SQL)."""
    return (f"coalesce(nullif(trim(CASE WHEN {x} >= 12 THEN ({x} // 12) || ' th ' ELSE '' END || "
            f"CASE WHEN {x} % 12 > 0 THEN ({x} % 12) || ' bl' ELSE '' END), ''), '0 bl')")


def _level(eselon: str, jabatan: str) -> str:
    """Jenjang level (0-3, 4 = eselon I) from eselon, or from a JF's level (penyetaraan)."""
    return (f"CASE WHEN {eselon} LIKE 'I.%' THEN 4 WHEN {eselon} LIKE 'II.%' THEN 3 WHEN {eselon} LIKE 'III.%' THEN 2 "
            f"WHEN {eselon} LIKE 'IV.%' THEN 1 WHEN {jabatan} ILIKE '%ahli utama%' THEN 3 "
            f"WHEN {jabatan} ILIKE '%ahli madya%' THEN 2 WHEN {jabatan} ILIKE '%ahli muda%' THEN 1 ELSE 0 END")




# The posts: a formasi where the instansi imported one, else the master's structural holders (a name
# held by several people in one OPD is told apart by unit kerja, then by a number).
_POSTS = """
, post_raw AS (
    SELECT f.jabatan_id, f.instansi, f.opd, f.jabatan, f.eselon, f.pemangku_nip, f.kritikal FROM formasi f
    UNION ALL
    SELECT jabatan_id(instansi, opd, jab), instansi, opd, jab, eselon, nip, false FROM (
        SELECT e.nip, e.instansi, e.opd, e.eselon,
               CASE WHEN count(*) OVER (PARTITION BY e.instansi, e.opd, e.jabatan) = 1 THEN e.jabatan
                    WHEN count(*) OVER (PARTITION BY e.instansi, e.opd, e.jabatan, e.unit_kerja) = 1
                         THEN e.jabatan || ' (' || coalesce(e.unit_kerja, '-') || ')'
                    ELSE e.jabatan || ' (' || coalesce(e.unit_kerja, '-') || ') ' ||
                         row_number() OVER (PARTITION BY e.instansi, e.opd, e.jabatan, e.unit_kerja ORDER BY e.nip)
               END AS jab
        FROM employee e
        WHERE e.jenis_jabatan = 'Struktural' AND e.eselon IS NOT NULL AND {post_where}
          AND e.instansi NOT IN (SELECT DISTINCT instansi FROM formasi))
), posts AS (
    SELECT p.*, {plevel} AS level, h.nama AS pemangku_nama, h.opd AS pemangku_opd,
           CASE WHEN h.nip IS NOT NULL THEN {bup_holder} END AS bup_pemangku
    FROM post_raw p LEFT JOIN employee h ON h.nip = p.pemangku_nip
    WHERE {post_where_p}
), targets AS (
    SELECT * FROM (
        SELECT *, list_filter([CASE WHEN pemangku_nama IS NULL THEN 'kosong' END,
                               CASE WHEN bup_pemangku <= $s_tgl + to_months($s_horizon) THEN 'bup' END,
                               CASE WHEN kritikal THEN 'kritikal' END], lambda x: x IS NOT NULL) AS alasan
        FROM posts WHERE level BETWEEN 1 AND 3 AND ($s_post IS NULL OR jabatan_id = $s_post))
    WHERE len(alasan) > 0
)"""

# Eligibility, readiness and the candidate's own score parts, per (candidate, target level).
_ELIG = """
, cpop AS (
    SELECT e.nip, e.nama, e.instansi, e.opd, e.jabatan, e.eselon, e.tanggal_lahir, e.pendidikan, e.golongan,
           e.tmt_cpns, e.kotak, e.skor_kinerja, e.skor_potensial, e.tahun_asesmen, e.jpm, {clevel} AS level
    FROM final e
    WHERE (NOT $s_pns OR e.jenis_asn = 'PNS') AND ($s_all OR list_contains($s_krs, e.kotak))
      AND e.instansi IN (SELECT DISTINCT instansi FROM targets)
), cx AS (
    SELECT c.*, c.level + d.d AS tlevel FROM cpop c CROSS JOIN (VALUES (0), (1)) d(d)
    WHERE c.level + d.d BETWEEN 1 AND 3 AND (d.d = 1 OR $s_rotasi)
      AND (c.instansi, c.level + d.d) IN (SELECT instansi, level FROM targets)
), rw AS (
    SELECT r.nip,
           sum(greatest({rmonths}, 0)) AS m0,
           sum(greatest({rmonths}, 0)) FILTER ({rlevel} >= 1) AS m1,
           sum(greatest({rmonths}, 0)) FILTER ({rlevel} >= 2) AS m2,
           list(DISTINCT r.opd ORDER BY r.opd) AS opds
    FROM riwayat_jabatan r WHERE r.tmt_mulai <= $s_tgl AND r.nip IN (SELECT nip FROM cx) GROUP BY r.nip
), s_kin AS (
    SELECT k.nip,
           count(*) FILTER (coalesce(list_extract($pts, list_position($pred, k.predikat)), k.nilai_kinerja)
                            >= $s_kin_pts - 1e-9) AS n_ok,
           count(*) FILTER (coalesce(list_extract($pts, list_position($pred, k.predikat)), k.nilai_kinerja)
                            < $s_kin_pts - 1e-9) AS n_bad,
           string_agg(k.tahun || ': ' || coalesce(k.predikat, 'nilai ' || k.nilai_kinerja), '; ' ORDER BY k.tahun) AS teks
    FROM performance k
    WHERE k.tahun BETWEEN $t - $s_kin_years + 1 AND $t AND (k.predikat IS NOT NULL OR k.nilai_kinerja IS NOT NULL)
      AND k.nip IN (SELECT nip FROM cx)
    GROUP BY k.nip
), hd AS (
    SELECT h.nip, string_agg(lower(h.tingkat) || ' (' || h.jenis_hukuman || ', ' || strftime(h.tmt_mulai, '%d-%m-%Y')
                             || ' s.d. ' || coalesce(strftime(h.tmt_selesai, '%d-%m-%Y'), 'berjalan') || ')', '; '
                             ORDER BY h.tmt_mulai) AS teks
    FROM hukuman_disiplin h
    WHERE list_contains($s_hd_tingkat, lower(h.tingkat)) AND h.tmt_mulai <= $s_tgl
      AND (h.tmt_selesai IS NULL OR h.tmt_selesai > $s_tgl - to_years($s_hd_years))
      AND h.nip IN (SELECT nip FROM cx)
    GROUP BY h.nip
), hd_any AS (SELECT count(*) > 0 AS ada FROM (SELECT 1 FROM hukuman_disiplin LIMIT 1)
), s_base AS (
    SELECT c.*, x.tmt_jabatan, x.tmt_golongan, rw.opds, s_kin.n_ok, s_kin.n_bad, s_kin.teks AS kin_teks, hd.teks AS hd_teks,
           hd_any.ada AS hd_ada, a.nilai_manajerial,
           list_extract($s_pend_rank, list_position($s_pend_names, c.pendidikan)) AS prank,
           CASE WHEN rw.nip IS NOT NULL THEN coalesce(list_extract([rw.m0, rw.m1, rw.m2], c.tlevel), 0)
                WHEN c.tlevel = 1 THEN {months_cpns}
                WHEN x.tmt_jabatan IS NOT NULL AND c.level >= c.tlevel - 1 THEN {months_jab} END AS exp_have,
           list_extract($s_exp_need, c.tlevel) AS exp_need,
           CAST(date_part('year', age(CAST($s_tgl AS TIMESTAMP), CAST(c.tanggal_lahir AS TIMESTAMP))) AS INTEGER) AS umur,
           list_extract($s_age_max, c.tlevel) AS age_max,
           {bup_cand} AS bup_date,
           list_position($s_gol, c.golongan) AS grank,
           list_extract($s_gol_min, c.tlevel) AS gneed
    FROM cx c LEFT JOIN employee x ON x.nip = c.nip LEFT JOIN rw ON rw.nip = c.nip LEFT JOIN s_kin ON s_kin.nip = c.nip
         LEFT JOIN hd ON hd.nip = c.nip CROSS JOIN hd_any
         LEFT JOIN assessment a ON a.nip = c.nip AND a.tahun = c.tahun_asesmen
), ck AS (
    SELECT *,
        CASE WHEN prank IS NULL THEN 'tanpa_data' WHEN prank >= list_extract($s_pend_min, tlevel) THEN 'memenuhi'
             ELSE 'belum' END AS s_pendidikan,
        coalesce(list_extract($s_pend_labels, list_position($s_pend_names, pendidikan)), pendidikan, 'tidak ada data')
            || ' (syarat >= ' || list_extract($s_pend_min_label, tlevel) || ')' AS v_pendidikan,
        CASE WHEN exp_have IS NULL THEN 'tanpa_data' WHEN exp_have >= exp_need THEN 'memenuhi' ELSE 'belum' END
            AS s_pengalaman,
        exp_have IS NOT NULL AND exp_need - exp_have <= $s_horizon AS w_pengalaman,
        list_extract($s_exp_label, tlevel) || ' ' || CASE WHEN exp_have IS NULL THEN 'tidak ada data'
             ELSE {dur_have} END || ' (syarat ' || {dur_need} || ')' AS v_pengalaman,
        CASE WHEN coalesce(n_bad, 0) > 0 THEN 'belum' WHEN coalesce(n_ok, 0) >= $s_kin_years THEN 'memenuhi'
             ELSE 'tanpa_data' END AS s_kinerja,
        coalesce(kin_teks, 'tidak ada SKP') || ' (syarat >= ' || $s_kin_min || ' ' || $s_kin_years
            || ' tahun terakhir)' AS v_kinerja,
        CASE WHEN hd_teks IS NOT NULL THEN 'belum' WHEN NOT hd_ada THEN 'tanpa_data' ELSE 'memenuhi' END
            AS s_hukuman_disiplin,
        coalesce(hd_teks, CASE WHEN hd_ada THEN 'tidak ada' ELSE 'data hukuman disiplin belum diimpor' END)
            || ' (syarat: tidak ada ' || $s_hd_text || ' berjalan atau berakhir dalam ' || $s_hd_years
            || ' tahun terakhir)' AS v_hukuman_disiplin,
        CASE WHEN age_max IS NULL THEN 'memenuhi' WHEN umur IS NULL THEN 'tanpa_data' WHEN umur <= age_max
             THEN 'memenuhi' ELSE 'belum' END AS s_usia,
        coalesce(umur || ' th', 'tanggal lahir kosong') || CASE WHEN age_max IS NULL
             THEN ' (tanpa batas usia untuk jenjang ini)' ELSE ' (syarat <= ' || age_max || ' th)' END AS v_usia,
        CASE WHEN bup_date IS NULL THEN 'tanpa_data' WHEN {months_bup} >= $s_bup_min THEN 'memenuhi' ELSE 'belum' END
            AS s_bup,
        CASE WHEN bup_date IS NULL THEN 'tanggal lahir kosong' ELSE 'BUP ' || strftime(bup_date, '%d-%m-%Y') || ', '
             || {months_bup} || ' bl lagi' END || ' (syarat >= ' || $s_bup_min || ' bl)' AS v_bup,
        CASE WHEN grank IS NULL THEN 'tanpa_data' WHEN grank >= gneed THEN 'memenuhi' ELSE 'belum' END AS s_golongan,
        grank = gneed - 1 AND tmt_golongan IS NOT NULL
            AND tmt_golongan + to_months($s_kp) <= $s_tgl + to_months($s_horizon) AS w_golongan,
        coalesce(golongan, 'tidak ada data') || ' (syarat >= ' || list_extract($s_gol, gneed) || ')'
            || CASE WHEN grank = gneed - 1 AND tmt_golongan IS NOT NULL THEN ', naik reguler paling cepat '
                    || strftime(tmt_golongan + to_months($s_kp), '%d-%m-%Y') ELSE '' END AS v_golongan,
        CASE WHEN list_contains($s_krs, kotak) THEN 'memenuhi' ELSE 'belum' END AS s_krs,
        coalesce('Kotak ' || kotak, 'belum terpetakan') || ' (syarat ' || $krs_text || ')' AS v_krs,
        round(skor_kinerja, 2) AS p_kinerja, round(least(skor_potensial, 100), 2) AS p_potensial,
        round(least(100, 100 * coalesce(nilai_manajerial, jpm) / list_extract($s_std, tlevel)), 2) AS p_kompetensi
    FROM s_base
), cl AS (
    SELECT *,
        list_filter([{codes}], lambda x: x IS NOT NULL) AS belum,
        CASE WHEN s_hukuman_disiplin = 'belum' OR s_bup = 'belum' OR s_usia = 'belum' OR s_krs = 'belum'
                  THEN 'tidak_memenuhi'
             WHEN {all_met} THEN 'siap_sekarang'
             WHEN s_pendidikan <> 'belum' AND s_kinerja <> 'belum' AND (s_pengalaman <> 'belum' OR w_pengalaman)
                  AND (s_golongan <> 'belum' OR w_golongan) THEN 'siap_1_2_tahun'
             ELSE 'kandidat_masa_depan' END AS kesiapan
    FROM ck
)"""

_CODES = ", ".join(f"CASE WHEN s_{c} = 'belum' THEN '{c}' END" for c in REQUIREMENTS)
_ALL_MET = " AND ".join(f"s_{c} = 'memenuhi'" for c in REQUIREMENTS)


def _sql() -> tuple[str, str]:
    """The posts' CTEs and the eligibility CTEs, formatted (``{post_where}`` and ``{post_where_p}`` stay)."""
    rmonths = _months("r.tmt_mulai", "least(coalesce(r.tmt_selesai, $s_tgl), $s_tgl)")
    posts = _POSTS.format(post_where="{post_where}", post_where_p="{post_where_p}",
                          plevel=_level("p.eselon", "p.jabatan"),
                          bup_holder=rules.retirement_date_sql("h.tanggal_lahir",
                                               "list_extract($s_bup_age, " + _level("p.eselon", "p.jabatan") + ")"))
    return posts, _ELIG.format(
        clevel=_level("e.eselon", "e.jabatan"),
        rlevel=_level("r.eselon", "r.jabatan"), rmonths=rmonths,
        bup_cand=rules.retirement_date_sql("c.tanggal_lahir", "list_extract($s_bup_age, c.tlevel)"),
        months_cpns=_months("c.tmt_cpns", "$s_tgl"), months_jab=_months("x.tmt_jabatan", "$s_tgl"),
        months_bup=_months("$s_tgl", "bup_date"), dur_have=_dur("exp_have"), dur_need=_dur("exp_need"),
        codes=_CODES, all_met=_ALL_MET)


_SQL_POSTS, _SQL_ELIG = _sql()
_SQL = _SQL_POSTS + _SQL_ELIG


def _params(srs: SuccessionRules, rs: RuleSet, tanggal: dt.date, all_: bool) -> dict:
    targets = JENJANG[1:]
    return {
        "s_tgl": tanggal, "s_horizon": srs.horizon_bulan, "s_pns": srs.hanya_pns, "s_all": bool(all_),
        "s_krs": list(rules.KRS_BOXES), "krs_text": rules.KRS_TEXT, "s_rotasi": srs.rotasi,
        "s_kin_pts": float(rs.predikat_points[srs.kinerja_min]), "s_kin_years": srs.kinerja_tahun,
        "s_kin_min": srs.kinerja_min,
        "s_hd_tingkat": [t.lower() for t in srs.hukdis_tingkat], "s_hd_years": srs.hukdis_tahun,
        "s_hd_text": "/".join(srs.hukdis_tingkat),
        "s_pend_names": list(PENDIDIKAN_RANK), "s_pend_rank": list(PENDIDIKAN_RANK.values()),
        "s_pend_labels": [PENDIDIKAN_LABEL[k] for k in PENDIDIKAN_RANK],
        "s_pend_min": [PENDIDIKAN_RANK[srs.pendidikan_min[j]] for j in targets],
        "s_pend_min_label": [PENDIDIKAN_LABEL[srs.pendidikan_min[j]] for j in targets],
        "s_exp_need": [int(srs.pengalaman_bulan[j]) for j in targets],
        "s_exp_label": [PENGALAMAN_LABEL[j] for j in targets],
        "s_age_max": [srs.usia_maks.get(j) for j in targets],
        "s_bup_age": [srs.bup_for_level(i) for i in (1, 2, 3)], "s_bup_min": srs.bup_bulan_min,
        "s_gol": GOLONGAN_PNS, "s_gol_min": [GOLONGAN_PNS.index(srs.golongan_min[j]) + 1 for j in targets],
        "s_kp": srs.kenaikan_pangkat_bulan,
        "s_std": [float(srs.standar_kompetensi[j]) for j in targets],
    }


def _population_scope(scope: Scope) -> Scope:
    """The candidates' population: the account's instansi and OPD limits (an account limited to some OPD sees
    candidates, counts and ranks among its own OPD only: no row, count or name from outside its scope)."""
    return Scope(instansi=scope.instansi, opd=scope.opd)


def _run(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, tanggal: dt.date,
         opd: tuple[str, ...], all_: bool, select: str, extra: dict | None = None) -> pd.DataFrame:
    """Run ``select`` after the posts, targets and eligibility CTEs (``final`` = the instansi's talent map)."""
    s_sql, s_params = scope.where("e", "ps")
    p_sql, p_params = scope.where("p", "pp")
    if opd:
        s_sql += " AND list_contains($s_opd, e.opd)"
        p_sql += " AND list_contains($s_opd, p.opd)"
    sql = _SQL.replace("{post_where}", s_sql).replace("{post_where_p}", p_sql) + "\n" + select
    params = {**_params(srs, rs, tanggal, all_), **s_params, **p_params, **({"s_opd": list(opd)} if opd else {}),
              **(extra or {})}
    return population.query(con, _population_scope(scope), Filters(period=period), rs, sql, params)


_POST_COUNTS = """
, counts AS (
    SELECT instansi, tlevel, count(*) FILTER (kesiapan = 'siap_sekarang') AS n1,
           count(*) FILTER (kesiapan = 'siap_1_2_tahun') AS n2,
           count(*) FILTER (kesiapan <> 'tidak_memenuhi') AS n3
    FROM cl GROUP BY ALL
)
"""
_POST_ROWS = """t.jabatan_id, t.instansi, t.opd, t.jabatan, list_extract($s_jenjang, t.level) AS jenjang, t.eselon,
       t.pemangku_nip, t.pemangku_nama, t.bup_pemangku, array_to_string(t.alasan, ';') AS alasan_target,
       coalesce(n.n1, 0) - CASE WHEN h.kesiapan = 'siap_sekarang' THEN 1 ELSE 0 END AS n_siap_sekarang,
       coalesce(n.n2, 0) - CASE WHEN h.kesiapan = 'siap_1_2_tahun' THEN 1 ELSE 0 END AS n_siap_1_2_tahun,
       coalesce(n.n3, 0) - CASE WHEN h.kesiapan IS NOT NULL AND h.kesiapan <> 'tidak_memenuhi' THEN 1 ELSE 0 END
           AS n_kandidat
FROM targets t LEFT JOIN counts n ON n.instansi = t.instansi AND n.tlevel = t.level
     LEFT JOIN cl h ON h.nip = t.pemangku_nip AND h.tlevel = t.level
ORDER BY t.opd, t.level DESC, t.jabatan, t.jabatan_id, t.pemangku_nip, alasan_target
"""
_POST_SELECT = _POST_COUNTS + "SELECT " + _POST_ROWS

# --- the eligibility cache (sql/015): built in the write path, read by the page ----------------------------------
# Only the default reference date (31 December of the period), KRS candidates (not ``all_``) and the rule sets
# in the key are cached; anything else is computed live by ``_run`` as before. Reads never write.
# Set (per thread/context) by ``computing_live``: reads ignore the cache (tests and the bench compare both ways).
_LIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("talenta_succession_live", default=False)


@contextlib.contextmanager
def computing_live() -> Iterator[None]:
    """Within the block, succession reads in this thread compute live instead of reading the cache the write
    path built (as ``population.scoring_live`` for the score cache); other threads are not affected."""
    token = _LIVE.set(True)
    try:
        yield
    finally:
        _LIVE.reset(token)


CACHE_KEYS_KEPT = 2

# what succession reads besides the scored tables (population.data_version covers employee, SKP, assessment)
_DATA_SQL = ("SELECT (SELECT count(*) FROM riwayat_jabatan), (SELECT count(*) FROM hukuman_disiplin), "
             "(SELECT count(*) FROM formasi)")
_TABLES = ("succession_post_cache", "succession_elig_cache")


def cache_key(con, period: int, rs: RuleSet, srs: SuccessionRules) -> tuple[str, str]:
    """The key of (period, default reference date, rule values, succession rule values, data, calibration)
    and the data version it rests on."""
    import hashlib

    version = "-".join([population.data_version(con), *(str(v) for v in store.query_one(con, _DATA_SQL)),
                        "cal" + str(population.calibration_stamp(con, period))])
    text = "|".join([str(period), reference_date(period).isoformat(), version, rs.to_json(), srs.to_json()])
    return hashlib.sha256(text.encode()).hexdigest()[:24], version


def _cached(con, period: int, rs: RuleSet, srs: SuccessionRules, tanggal: dt.date | None, all_: bool) -> str | None:
    """The cache key to read for this request, None to compute live (another date, ``all_``, not built)."""
    import duckdb

    if _LIVE.get() or all_ or reference_date(period, tanggal) != reference_date(period):
        return None
    try:
        key, _ = cache_key(con, period, rs, srs)
        row = store.query_one(con, "SELECT count(*) FROM succession_cache_key WHERE cache_key = $k", {"k": key})
    except duckdb.CatalogException:         # a database older than sql/015, opened read-only
        return None
    return key if row and row[0] else None


def _declared() -> str:
    """A CTE naming every rule parameter of ``_params`` once: a query over part of ``_SQL`` (the posts only) binds
    exactly the parameters it is given, all of them, and nothing is pruned by searching the SQL text (DuckDB
    refuses a parameter the statement does not name)."""
    names = _params(SuccessionRules(), rules.DEFAULT, dt.date(2000, 1, 1), False)
    return ", s_params AS (SELECT " + ", ".join(f"${k} AS {k}" for k in names) + ")"


def build_cache(con, period: int | None = None, rs: RuleSet | None = None,
                srs: SuccessionRules | None = None) -> str | None:
    """Write-path builder (``derived.BUILDERS``): store the target posts and every candidate's eligibility
    for the latest period (or ``period``) under the active rule sets (or the ones given). Idempotent: does
    nothing when the key is built. Returns the key (None: no period yet)."""
    import time

    from . import overview, rulesets, succession_rules

    if period is None:
        periods = overview.periods(con)
        if not periods:
            return None
        period = periods[-1]
    rs = rs or rulesets.active(con)
    srs = srs or succession_rules.active(con)
    with store.WRITE_LOCK:
        key, version = cache_key(con, period, rs, srs)
        if store.query_one(con, "SELECT count(*) FROM succession_cache_key WHERE cache_key = $k", {"k": key})[0]:
            return key
        t = time.perf_counter()
        cur = con.cursor()
        try:
            for table in _TABLES:           # an interrupted build's rows (their key row was never written)
                cur.execute("DELETE FROM " + table + " WHERE cache_key NOT IN "
                            "(SELECT cache_key FROM succession_cache_key)")
            tgl = reference_date(period)
            elig = _run(con, Scope(), period, rs, srs, tgl, (), False,
                        "SELECT * FROM cl ORDER BY instansi, tlevel, nip", {"s_post": None})
            cur.register("elig_frame", elig)
            cur.execute("INSERT INTO succession_elig_cache BY NAME SELECT $k AS cache_key, * FROM elig_frame",
                        {"k": key})
            cur.unregister("elig_frame")
            del elig
            sql = ("WITH cl AS (SELECT * EXCLUDE (cache_key) FROM succession_elig_cache WHERE cache_key = $k)"
                   + _declared() + _SQL_POSTS.replace("{post_where}", "TRUE").replace("{post_where_p}", "TRUE")
                   + _POST_COUNTS
                   + "INSERT INTO succession_post_cache BY NAME SELECT $k AS cache_key, " + _POST_ROWS)
            params = {**_params(srs, rs, tgl, False), "k": key, "s_post": None, "s_jenjang": list(JENJANG[1:])}
            cur.execute(sql, params)
            n_posts, n_elig = cur.execute(
                "SELECT (SELECT count(*) FROM succession_post_cache WHERE cache_key = $k), "
                "(SELECT count(*) FROM succession_elig_cache WHERE cache_key = $k)", {"k": key}).fetchall()[0]
            cur.execute("INSERT INTO succession_cache_key VALUES ($k, $t, $d, $v, $r, $sr, $np, $ne, $s, $at)",
                        {"k": key, "t": period, "d": tgl, "v": version, "r": rs.to_json(), "sr": srs.to_json(),
                         "np": n_posts, "ne": n_elig, "s": time.perf_counter() - t, "at": store.now()})
            old = [r[0] for r in cur.execute(
                "SELECT cache_key FROM succession_cache_key ORDER BY built_at DESC, cache_key OFFSET $keep",
                {"keep": CACHE_KEYS_KEPT}).fetchall()]
            if old:
                for table in (*_TABLES, "succession_cache_key"):
                    cur.execute("DELETE FROM " + table + " WHERE list_contains($old, cache_key)", {"old": old})
        finally:
            cur.close()
    return key


def _cached_prefix(scope: Scope, opd: tuple[str, ...]) -> tuple[str, dict]:
    """``targets`` and ``cl`` read from the cache (as ``_SQL`` computes them), within ``scope`` and ``opd``."""
    p_sql, p_params = scope.where("p", "pp")
    c_sql, c_params = _population_scope(scope).where("c", "pc")
    if opd:
        p_sql += " AND list_contains($s_opd, p.opd)"
        p_params["s_opd"] = list(opd)
    sql = ("WITH targets AS (SELECT jabatan_id, instansi, opd, jabatan, list_position($s_jenjang, jenjang) AS level, "
           "pemangku_nip, string_split(alasan_target, ';') AS alasan FROM succession_post_cache p "
           "WHERE cache_key = $sk AND " + p_sql + " AND ($s_post IS NULL OR jabatan_id = $s_post)), "
           "cl AS (SELECT * EXCLUDE (cache_key) FROM succession_elig_cache c WHERE cache_key = $sk AND " + c_sql +
           " AND (instansi, tlevel) IN (SELECT instansi, level FROM targets))")
    return sql, {**p_params, **c_params}


def _cached_targets(con, key: str, scope: Scope, opd: tuple[str, ...]) -> pd.DataFrame:
    p_sql, params = scope.where("p", "pp")
    if opd:
        p_sql += " AND list_contains($s_opd, p.opd)"
        params["s_opd"] = list(opd)
    order = " ORDER BY opd, list_position($s_jenjang, jenjang) DESC, jabatan, jabatan_id, pemangku_nip, alasan_target"
    params = {**params, "sk": key, "s_jenjang": list(JENJANG[1:])}
    if scope.opd is None:
        return store.query_df(con, "SELECT * EXCLUDE (cache_key) FROM succession_post_cache p WHERE cache_key = $sk "
                              "AND " + p_sql + order, params)
    # an account limited to some OPD: the stored counts are the instansi's; count its own candidates again
    c_sql, c_params = _population_scope(scope).where("c", "pc")
    sql = ("WITH t AS (SELECT * EXCLUDE (cache_key), list_position($s_jenjang, jenjang) AS level "
           "FROM succession_post_cache p WHERE cache_key = $sk AND " + p_sql + "), "
           "cl AS (SELECT * EXCLUDE (cache_key) FROM succession_elig_cache c WHERE cache_key = $sk AND " + c_sql + ")"
           + _POST_COUNTS +
           "SELECT t.* EXCLUDE (level) REPLACE ("
           "coalesce(n.n1, 0) - CASE WHEN h.kesiapan = 'siap_sekarang' THEN 1 ELSE 0 END AS n_siap_sekarang, "
           "coalesce(n.n2, 0) - CASE WHEN h.kesiapan = 'siap_1_2_tahun' THEN 1 ELSE 0 END AS n_siap_1_2_tahun, "
           "coalesce(n.n3, 0) - CASE WHEN h.kesiapan IS NOT NULL AND h.kesiapan <> 'tidak_memenuhi' THEN 1 ELSE 0 END "
           "AS n_kandidat) "
           "FROM t LEFT JOIN counts n ON n.instansi = t.instansi AND n.tlevel = t.level "
           "LEFT JOIN cl h ON h.nip = t.pemangku_nip AND h.tlevel = t.level" + order)
    return store.query_df(con, sql, {**params, **c_params})


def _pairs_query(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, tanggal: dt.date | None,
                 opd: tuple[str, ...], all_: bool, select: str, extra: dict) -> pd.DataFrame:
    """``select`` over the (post, candidate) pairs: from the cache when it holds this request, else live."""
    key = _cached(con, period, rs, srs, tanggal, all_)
    if key is None:
        return _run(con, scope, period, rs, srs, reference_date(period, tanggal), opd, all_, select, extra)
    prefix, params = _cached_prefix(scope, opd)
    sql = prefix + select
    return store.query_df(con, sql, {**params, **extra, "sk": key, "s_jenjang": list(JENJANG[1:])})


HEALTH_LABEL = {"hijau": "Sehat", "kuning": "Perlu perhatian", "merah": "Berisiko"}


def health_of(n_siap: int, n_siap12: int, n_kandidat: int) -> str:
    """Pipeline health colour of a post: hijau (>= 1 siap sekarang and >= 2 candidates), merah (nobody
    siap sekarang or siap 1-2 tahun), kuning otherwise."""
    if n_siap >= 1 and n_kandidat >= 2:
        return "hijau"
    if n_siap + n_siap12 == 0:
        return "merah"
    return "kuning"


def health_of_all(n_siap: pd.Series, n_siap12: pd.Series, n_kandidat: pd.Series) -> np.ndarray:
    """``health_of`` of every post at once (120.381 posts at 5,6M)."""
    return np.select([(n_siap >= 1) & (n_kandidat >= 2), (n_siap + n_siap12) == 0], ["hijau", "merah"],
                     "kuning").astype(object)


MASKED_HOLDER = "(disamarkan)"       # a post's holder in an aggregate view (not a hidden count: no "•")


def _targets(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, tanggal: dt.date | None,
             opd: tuple[str, ...], all_: bool) -> pd.DataFrame:
    """The target posts in scope with their candidate counts and health, unmasked (``targets`` and
    ``pipeline_summary`` decide what a scope receives)."""
    key = _cached(con, period, rs, srs, tanggal, all_)
    if key is not None:
        df = _cached_targets(con, key, scope, opd)
    else:
        df = _run(con, scope, period, rs, srs, reference_date(period, tanggal), opd, all_, _POST_SELECT,
                  {"s_jenjang": list(JENJANG[1:]), "s_post": None})
    for c in ("n_siap_sekarang", "n_siap_1_2_tahun", "n_kandidat"):
        df[c] = df[c].astype("int64")
    df["kesehatan"] = health_of_all(df["n_siap_sekarang"], df["n_siap_1_2_tahun"], df["n_kandidat"])
    # what the pipeline counts per post, kept as flags: the counts themselves may be hidden (``_hide_small``)
    df["ada_siap_sekarang"] = df["n_siap_sekarang"] >= 1
    df["dua_kandidat"] = df["n_kandidat"] >= 2
    return df


COUNT_COLUMNS = ("n_siap_sekarang", "n_siap_1_2_tahun", "n_kandidat")


def ready_flags(posts: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per post: whether it has a candidate siap sekarang, and at least two candidates (``targets``' flags, which
    stay when the counts are hidden; from the counts for a frame built without them)."""
    ada = posts["ada_siap_sekarang"] if "ada_siap_sekarang" in posts else posts["n_siap_sekarang"] >= 1
    dua = posts["dua_kandidat"] if "dua_kandidat" in posts else posts["n_kandidat"] >= 2
    return ada.astype(bool), dua.astype(bool)


def _hide_small(df: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """A post's candidate counts as a reader under small-group suppression may see them: a count of 1 to
    ``threshold`` - 1 people is hidden (``<NA>``); when one of siap sekarang / siap 1-2 tahun is hidden and the other
    shown, the number of candidates is hidden too (the rest, candidates further from ready, is not published, but
    a reader who guessed it zero would get the hidden count back). The flags (``ada_siap_sekarang``,
    ``dua_kandidat``) and the health colour stay: they count posts, not people."""
    if not threshold or df.empty:
        return df
    a, b, k = (df[c] for c in COUNT_COLUMNS)
    ha, hb = privacy.small(a, threshold), privacy.small(b, threshold)
    hk = privacy.small(k, threshold) | (ha != hb)
    out = df.copy()
    for c, hide in zip(COUNT_COLUMNS, (ha, hb, hk)):
        out[c] = df[c].astype("Int64").mask(np.asarray(hide, dtype=bool))
    return out


def targets(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, *, tanggal: dt.date | None = None,
            opd: tuple[str, ...] = (), all_: bool = False, identities: bool = True) -> pd.DataFrame:
    """Target posts in scope (vacant, holder reaching BUP within the horizon, critical) with their reasons,
    the holder, the holder's BUP date, candidate counts per readiness and the pipeline health colour.

    Under a masked scope the holder's NIP and name are masked. ``identities=False``: without the holder's NIP
    and name at all, for any scope (a caller that only counts posts, such as Ringkasan's pipeline chart).

    A scope that may not see people (role ``tamu``) gets no post at all: a post is named, and its reason ``bup``
    says that its holder retires within the horizon (review 6). Its aggregates are ``pipeline_summary``'s, at
    31 December of the period (``date_fixed``)."""
    df = _targets(con, scope, period, rs, srs, _own_date(scope, tanggal), tuple(opd), all_)
    if not privacy.people_allowed(scope):
        df = df.iloc[0:0].copy()
    if scope.mask_identity and (privacy.threshold(scope) or not privacy.people_allowed(scope)):
        # an aggregate view: a post names its holder, so the exact BUP date (a birth month) is not shown; that
        # the post has a holder reaching BUP within the horizon (reason "bup") stays
        df["bup_pemangku"] = None
    df = _hide_small(df, privacy.threshold(scope))
    if not identities:
        return df.drop(columns=["pemangku_nip", "pemangku_nama"])
    if scope.mask_identity and len(df):
        df["pemangku_nip"] = df["pemangku_nip"].where(df["pemangku_nip"].isna(), privacy.MASKED_NIP)
        if privacy.threshold(scope) or not privacy.people_allowed(scope):
            # an aggregate view: a post names its holder, so no initials; that the post has one stays
            df["pemangku_nama"] = df["pemangku_nama"].where(df["pemangku_nama"].isna(), MASKED_HOLDER)
        else:
            df["pemangku_nama"] = privacy.initials(df["pemangku_nama"].fillna("")).where(df["pemangku_nama"].notna())
    return df


_PAIRS = """
, pairs AS (
    SELECT t.jabatan_id, t.instansi, t.opd AS post_opd, t.jabatan AS post_jabatan, t.level AS post_level,
           t.pemangku_nip, array_to_string(t.alasan, ';') AS alasan_target, c.* EXCLUDE (instansi),
           CASE WHEN c.opd = t.opd THEN 100.0 WHEN list_contains(c.opds, t.opd) THEN 75.0 ELSE 0.0 END AS p_pengalaman
    FROM targets t JOIN cl c ON c.instansi = t.instansi AND c.tlevel = t.level AND c.nip IS DISTINCT FROM t.pemangku_nip
    WHERE $s_post IS NULL OR t.jabatan_id = $s_post
), s_scored AS (
    SELECT *, round(($w_kin * coalesce(p_kinerja, 0) + $w_pot * coalesce(p_potensial, 0)
                     + $w_kom * coalesce(p_kompetensi, 0) + $w_pen * p_pengalaman) / $w_sum, 2) AS skor
    FROM pairs
)"""

_PAIR_SELECT = _PAIRS + """
SELECT {cols}, row_number() OVER (PARTITION BY jabatan_id ORDER BY list_position($s_ready, kesiapan), skor DESC, nip)
          AS peringkat
FROM s_scored QUALIFY $s_top IS NULL OR peringkat <= $s_top ORDER BY jabatan_id, peringkat
"""
# the rows of the command line's table: one per post without a candidate, else its candidates (its first $s_top)
_ROW_COUNT = _PAIRS + """
SELECT (SELECT count(*) FROM targets)
       + coalesce((SELECT sum(least(n, coalesce($s_top, n)) - 1)
                   FROM (SELECT jabatan_id, count(*) AS n FROM pairs GROUP BY jabatan_id)), 0) AS n"""
# rows of the command line's table beyond which it asks for --top or --opd: a province's 200.000 ASN give 39,5
# million (post, candidate) pairs, and building them as one frame ran the 24 GB machine out of memory
FILE_MAX_ROWS = {"csv": 2_000_000, "xlsx": 1_048_575}

_RANK_SUMMARY = _PAIRS + """
, ranked AS (
    SELECT jabatan_id, kesiapan, row_number() OVER (PARTITION BY jabatan_id
               ORDER BY list_position($s_ready, kesiapan), skor DESC, nip) AS peringkat
    FROM s_scored
)
SELECT count(DISTINCT jabatan_id) AS jabatan_berkandidat, count(*) AS pasangan,
       count(*) FILTER (peringkat = 1 AND kesiapan = 'siap_sekarang') AS teratas_siap_sekarang
FROM ranked
"""


_SLIM = ("jabatan_id", "post_level", "pemangku_nip", "nip", "nama", "opd", "tanggal_lahir", "kotak", "skor",
         "kesiapan", "belum")


def _pair_params(srs: SuccessionRules, post: str | None, top: int | None) -> dict:
    w = srs.bobot
    return {"s_post": post, "s_top": top, "s_ready": list(READINESS), "w_kin": w["kinerja"], "w_pot": w["potensial"],
            "w_kom": w["kompetensi"], "w_pen": w["pengalaman"], "w_sum": float(sum(w.values()))}


def row_count(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, *, tanggal: dt.date | None = None,
              opd: tuple[str, ...] = (), all_: bool = False, top: int | None = None) -> int:
    """How many rows ``csv_frame`` would return (no ranking computed): each post's candidates (its first ``top``),
    one row for a post without any. The command line checks it against the file's limit before building the
    table (review 15, 3: with --top the check was skipped and a table too large for XLSX failed after 27 s)."""
    params = {k: v for k, v in _pair_params(srs, None, top).items() if k != "s_ready"}     # unranked
    df = _pairs_query(con, scope, period, rs, srs, _own_date(scope, tanggal), tuple(opd), all_, _ROW_COUNT, params)
    return int(df["n"].iloc[0]) if len(df) else 0


def candidates(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, *, post: str | None = None,
               tanggal: dt.date | None = None, opd: tuple[str, ...] = (), all_: bool = False,
               slim: bool = False, top: int | None = None) -> pd.DataFrame:
    """One row per (target post, candidate): every requirement's status (``s_<code>``: memenuhi / belum /
    tanpa_data) and value (``v_<code>``), ``syarat_belum``, ``kesiapan``, the score's parts (``p_*``), ``skor``
    and ``peringkat`` (readiness first, then score, ties by NIP). ``post`` keeps one post; ``slim`` returns
    only the columns of the CLI table (all posts of a country); ``top`` keeps each post's first ``top``.

    Identities are masked as ``scope`` requires; an account limited to some OPD sees candidates from
    other OPD of its instansi masked (counted and ranked, not named). A scope that may not see people gets none."""
    select = _PAIR_SELECT.replace("{cols}", ", ".join(_SLIM) if slim else "*")
    df = _pairs_query(con, scope, period, rs, srs, _own_date(scope, tanggal), tuple(opd), all_, select,
                      _pair_params(srs, post, None if top is None else int(top)))
    df["syarat_belum"] = [";".join(x) for x in df["belum"]]
    df["memenuhi_syarat"] = df["syarat_belum"] == ""
    df["jenjang"] = [JENJANG[int(x)] for x in df["post_level"]]
    df["kotak"] = df["kotak"].astype("Int64")
    return _mask_candidates(df, scope)


def ranking_summary(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, *,
                    tanggal: dt.date | None = None, all_: bool = False) -> dict:
    """Rank every target post's candidates inside DuckDB and return only counts (posts with candidates,
    (post, candidate) pairs, posts whose first-ranked candidate is siap sekarang): the bench's national
    figure, where the pairs themselves would not fit in memory as a frame."""
    w = srs.bobot
    df = _pairs_query(con, scope, period, rs, srs, _own_date(scope, tanggal), (), all_, _RANK_SUMMARY, {
        "s_post": None, "s_ready": list(READINESS), "w_kin": w["kinerja"], "w_pot": w["potensial"],
        "w_kom": w["kompetensi"], "w_pen": w["pengalaman"], "w_sum": float(sum(w.values()))})
    return {k: int(v) for k, v in df.iloc[0].items()}


def _mask_candidates(df: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    if not privacy.people_allowed(scope):       # aggregates only (role tamu): no candidate rows at all
        return df.iloc[0:0].copy()
    if df.empty:
        return df
    out = df.copy()
    hide = pd.Series(scope.mask_identity, index=out.index)
    if scope.opd is not None:
        hide |= ~out["opd"].isin(scope.opd)
    if hide.any():
        out.loc[hide, "nama"] = privacy.initials(out.loc[hide, "nama"]).to_numpy()
        out.loc[hide, "nip"] = privacy.MASKED_NIP
        out["tanggal_lahir"] = out["tanggal_lahir"].astype(object).where(~hide, None)
    if scope.mask_identity:
        out["pemangku_nip"] = out["pemangku_nip"].where(out["pemangku_nip"].isna(), privacy.MASKED_NIP)
    return out


def csv_frame(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, *, tanggal: dt.date | None = None,
              opd: tuple[str, ...] = (), all_: bool = False, top: int | None = None) -> pd.DataFrame:
    """The CLI's table: ``CSV_COLUMNS``, one row per (target post, candidate), each post's first ``top`` only when
    given; a post without candidates appears once with empty candidate columns. A scope that may not see people
    (role ``tamu``) gets the pipeline per OPD instead (``pipeline_summary``: ``PIPELINE_COLUMNS``, small counts
    hidden), at the fixed reference date."""
    if not privacy.people_allowed(scope):
        return pipeline_summary(con, scope, period, rs, srs, tanggal=tanggal, opd=opd, all_=all_)[0]
    posts = targets(con, scope, period, rs, srs, tanggal=tanggal, opd=opd, all_=all_)
    pairs = candidates(con, scope, period, rs, srs, tanggal=tanggal, opd=opd, all_=all_, slim=True, top=top)
    cand = pairs[["jabatan_id", "nip", "nama", "kotak", "peringkat", "skor", "kesiapan", "memenuhi_syarat",
                  "syarat_belum"]] if len(pairs) else pd.DataFrame(columns=CSV_COLUMNS[7:] + ["jabatan_id"])
    out = posts[["jabatan_id", "instansi", "opd", "jabatan", "jenjang", "pemangku_nip", "alasan_target"]].merge(
        cand, on="jabatan_id", how="left")
    out = out.sort_values(["opd", "jabatan", "jabatan_id", "peringkat"], kind="stable", na_position="last")
    out["peringkat"] = out["peringkat"].astype("Int64")
    out["kotak"] = out["kotak"].astype("Int64")
    return out[CSV_COLUMNS].reset_index(drop=True)


POST_FILE_COLUMNS = ["jabatan_id", "instansi", "opd_target", "jabatan_target", "jenjang", "pemangku_nip",
                     "alasan_target", "nip", "nama", "opd_kandidat", "jabatan_kandidat", "kotak", "peringkat", "skor",
                     "kesiapan", "memenuhi_syarat", "syarat_belum"]


def post_file(post: pd.Series, cands: pd.DataFrame) -> pd.DataFrame:
    """One target post's candidates as the Suksesi page's CSV: the post's columns (``opd_target``,
    ``jabatan_target``: the post, not the candidate's) then each candidate's, their current OPD and post as
    ``opd_kandidat`` and ``jabatan_kandidat`` (review 8, D11: "OPD" and "Jabatan" held the candidate's while the
    post's name was in no column); codes in words."""
    from .succession_rules import JENJANG_LABEL, READINESS_LABEL, REASON_LABEL, REQUIREMENT_LABEL

    out = cands.rename(columns={"opd": "opd_kandidat", "jabatan": "jabatan_kandidat"}).assign(
        jabatan_id=post.name if "jabatan_id" not in post else post["jabatan_id"], instansi=post.get("instansi"),
        opd_target=post["opd"], jabatan_target=post["jabatan"], jenjang=JENJANG_LABEL.get(post["jenjang"], post["jenjang"]),
        pemangku_nip=post.get("pemangku_nip"),
        alasan_target=", ".join(REASON_LABEL.get(r, r) for r in str(post["alasan_target"]).split(";")))
    out["kesiapan"] = out["kesiapan"].map(READINESS_LABEL).fillna(out["kesiapan"])
    if "syarat_belum" in out:
        out["syarat_belum"] = [", ".join(REQUIREMENT_LABEL.get(c, c) for c in str(v).split(";") if c)
                               if isinstance(v, str) else v for v in out["syarat_belum"]]
    return out[[c for c in POST_FILE_COLUMNS if c in out]]


def with_labels(cands: pd.DataFrame) -> pd.DataFrame:
    """Candidates with ``kesiapan_label`` and ``pilihan`` ("1. Nama (OPD)", the page's choice labels)."""
    from .succession_rules import READINESS_LABEL

    return cands.assign(kesiapan_label=cands["kesiapan"].map(READINESS_LABEL),
                        pilihan=cands["peringkat"].astype(str) + ". " + cands["nama"] + " (" + cands["opd"] + ")")


def checklist(row: pd.Series) -> pd.DataFrame:
    """A candidate's requirements, one row each: code, label, status (memenuhi / belum / tanpa_data), value."""
    from .succession_rules import REQUIREMENT_LABEL, STATUS_LABEL

    return pd.DataFrame({
        "syarat": list(REQUIREMENTS), "uraian": [REQUIREMENT_LABEL[c] for c in REQUIREMENTS],
        "status": [row[f"s_{c}"] for c in REQUIREMENTS],
        "keterangan_status": [STATUS_LABEL[row[f"s_{c}"]] for c in REQUIREMENTS],
        "nilai": [row[f"v_{c}"] for c in REQUIREMENTS],
        "keras": [c in HARD for c in REQUIREMENTS],
    })


def score_parts(row: pd.Series, srs: SuccessionRules) -> pd.DataFrame:
    """The score of one candidate as parts: value (0-100), weight (share) and contribution."""
    total = float(sum(srs.bobot.values()))
    rows = []
    for part in ("kinerja", "potensial", "kompetensi", "pengalaman"):
        v = row[f"p_{part}"]
        v = None if pd.isna(v) else float(v)
        rows.append({"bagian": part, "nilai": v, "bobot": srs.bobot[part] / total,
                     "kontribusi": round((v or 0.0) * srs.bobot[part] / total, 2)})
    return pd.DataFrame(rows)


def by_office(posts: pd.DataFrame) -> pd.DataFrame:
    """``posts`` with each OPD named as an office of its instansi, "Dinas Kesehatan (Kota Palembang)", when they
    come from several instansi (as ``pool.grouping`` names them): counted per OPD name, two governments' offices
    were one row (review 13, M1: "Dinas Kesehatan" 13 posts, 7 + 6)."""
    if posts.empty or "instansi" not in posts.columns or posts.attrs.get("per_kantor") \
            or posts["instansi"].nunique() <= 1:
        return posts
    out = posts.assign(opd=posts["opd"].astype(str) + " (" + posts["instansi"].astype(str) + ")")
    out.attrs["per_kantor"] = True          # named once: a second call leaves the names as they are
    return out


def pipeline(posts: pd.DataFrame, by: str = "opd") -> pd.DataFrame:
    """Pipeline health per ``by`` (opd or instansi) from ``targets``: target posts, share with at least one
    siap_sekarang candidate, share with at least two candidates, and the number of posts at risk (no one
    siap sekarang). An OPD is an office of its instansi (``by_office``)."""
    posts = by_office(posts) if by == "opd" else posts
    if posts.empty:
        return pd.DataFrame(columns=[by, "jabatan_target", "persen_siap_sekarang", "persen_dua_kandidat", "berisiko"])
    ada, dua = ready_flags(posts)
    g = posts.assign(siap=ada, dua=dua, risk=~ada).groupby(by, sort=True)
    out = pd.DataFrame({"jabatan_target": g.size(), "persen_siap_sekarang": g["siap"].mean() * 100,
                        "persen_dua_kandidat": g["dua"].mean() * 100, "berisiko": g["risk"].sum()}).reset_index()
    return out.sort_values(["persen_siap_sekarang", by], kind="stable").reset_index(drop=True)


PIPELINE_COLUMNS = ["jabatan_target", "persen_siap_sekarang", "persen_dua_kandidat", "berisiko"]   # after ``by``


def pipeline_summary(con, scope: Scope, period: int, rs: RuleSet, srs: SuccessionRules, *,
                     tanggal: dt.date | None = None, opd: tuple[str, ...] = (), all_: bool = False,
                     by: str | None = "opd") -> tuple[pd.DataFrame, dict]:
    """The pipeline per ``by`` (``pipeline``'s columns; None: per instansi when the posts span several, else per
    OPD) and its totals (``PIPELINE_COLUMNS``), computed from the target posts without handing them out: what a
    scope that may not see people (role ``tamu``) is shown instead of ``targets``. Small counts are hidden as
    the scope requires (``pipeline_counts``); that scope's reference date is fixed (``date_fixed``)."""
    posts = _targets(con, scope, period, rs, srs, _own_date(scope, tanggal), tuple(opd), all_)
    if by is None:
        by = "instansi" if posts["instansi"].nunique() > 1 else "opd"
    return pipeline_counts(posts, by, privacy.threshold(scope))


def pipeline_counts(posts: pd.DataFrame, by: str, threshold: int) -> tuple[pd.DataFrame, dict]:
    """``pipeline(posts, by)`` and its totals with the counts of posts below ``threshold`` hidden (``<NA>``,
    shares resting on a hidden count NaN) by ``privacy.suppress_rows``: per group the posts split two ways
    (with a candidate siap sekarang or at risk; with two candidates or fewer), each split protected with the
    group's size (``privacy.group_sizes_hidden``). A total is hidden when small, and both parts of a split when
    either is (the grand total would give it away). Ranked on the shares shown, hidden ones last by name, so a
    place bounds no hidden share. An OPD is an office of its instansi (``by_office``)."""
    posts = by_office(posts) if by == "opd" else posts
    ada, dua = ready_flags(posts)
    g = posts.assign(ada=ada, risk=~ada, dua=dua, kurang=~dua).groupby(by, sort=True)
    raw = pd.DataFrame({"jabatan_target": g.size(), "ada": g["ada"].sum(), "berisiko": g["risk"].sum(),
                        "dua": g["dua"].sum(), "kurang": g["kurang"].sum()}).reset_index()
    raw = raw.astype({c: "int64" for c in raw.columns if c != by})
    counts = ("jabatan_target", "ada", "berisiko", "dua", "kurang")
    total = {c: int(raw[c].sum()) for c in counts}
    shown = raw.astype({c: "Int64" for c in counts})
    if threshold > 1 and len(raw):
        for pair in (["ada", "berisiko"], ["dua", "kurang"]):
            part = privacy.suppress_rows(raw[[by, *pair, "jabatan_target"]], pair, threshold, total="jabatan_target")
            shown[pair] = part[pair]
        size = shown["jabatan_target"].copy()
        size[privacy.group_sizes_hidden(raw["jabatan_target"], threshold)] = pd.NA
        shown["jabatan_target"] = size
    if threshold > 1:
        small = {c: privacy.small(total[c], threshold) for c in counts}
        for pair in (("ada", "berisiko"), ("dua", "kurang")):
            if small["jabatan_target"] or small[pair[0]] or small[pair[1]]:
                small.update(dict.fromkeys(pair, True))
        total = {c: (pd.NA if small[c] else n) for c, n in total.items()}

    def share(num, den):
        return np.nan if privacy.hidden(num) or privacy.hidden(den) or not den else 100.0 * num / den

    table = pd.DataFrame({
        by: shown[by], "jabatan_target": shown["jabatan_target"],
        "persen_siap_sekarang": [share(a, n) for a, n in zip(shown["ada"], shown["jabatan_target"])],
        "persen_dua_kandidat": [share(d, n) for d, n in zip(shown["dua"], shown["jabatan_target"])],
        "berisiko": shown["berisiko"]})
    table = table.astype({"persen_siap_sekarang": "float64", "persen_dua_kandidat": "float64"})
    table = table.sort_values(["persen_siap_sekarang", by], kind="stable", na_position="last").reset_index(drop=True)
    totals = {"jabatan_target": total["jabatan_target"],
              "persen_siap_sekarang": share(total["ada"], total["jabatan_target"]),
              "persen_dua_kandidat": share(total["dua"], total["jabatan_target"]), "berisiko": total["berisiko"]}
    return table, totals


def filter_posts(posts: pd.DataFrame, *, opd=(), reasons=(), health=()) -> pd.DataFrame:
    """The target posts of the given OPD, with any of the given reasons, of the given health colours
    (empty: no limit)."""
    keep = pd.Series(True, index=posts.index)
    if opd:
        keep &= posts["opd"].isin(list(opd))
    if reasons:
        keep &= posts["alasan_target"].map(lambda a: any(r in a.split(";") for r in reasons))
    if health:
        keep &= posts["kesehatan"].isin(list(health))
    return posts[keep]


def risk_list(posts: pd.DataFrame) -> pd.DataFrame:
    """The posts at risk: no candidate siap sekarang (oldest BUP first, vacant posts on top)."""
    r = posts[~ready_flags(posts)[0]]
    return r.sort_values(["bup_pemangku", "opd", "jabatan"], na_position="first", kind="stable").reset_index(drop=True)


def box_history(con, scope: Scope, nips: list[str], periods: list[int], rs: RuleSet) -> pd.DataFrame:
    """Each NIP's computed box per period (``None`` when not placed): one row per (nip, tahun), for the NIPs inside
    ``scope`` only (a NIP of another OPD or instansi is not there)."""
    rows = []
    every = dataclasses.replace(scope, mask_identity=False, min_group=0)     # NIPs the caller holds, matched as given
    for t in periods:
        df = population.query(con, every, Filters(period=t, basis="terhitung"), rs,
                              "SELECT nip, kotak FROM final WHERE list_contains($nips, nip)", {"nips": list(nips)})
        rows.append(df.assign(tahun=t))
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["nip", "kotak", "tahun"])
    out["kotak"] = out["kotak"].astype("Int64")
    return out

