"""What is loaded: counts for the Data page and the ``status`` command (aggregated in DuckDB)."""
from __future__ import annotations

import pandas as pd

from . import population, privacy, rules, rulesets, schema, store
from .rules import RuleSet
from .scope import Filters, Scope, employee_where


def _windows(con, period: int, rs: RuleSet | None) -> dict:
    """The data windows of ``rs`` (default: the active rule set) as the coverage queries bind them."""
    rs = rs or rulesets.active(con)
    return {"t": period, "kin_years": rs.kinerja_years, "ases_years": rs.asesmen_years}


_SUCCESSION_TABLES = (("riwayat_jabatan", "riwayat_jabatan"), ("hukuman_disiplin", "hukuman_disiplin"),
                      ("diklat", "diklat"))


def status(con, scope: Scope | None = None) -> dict:
    """Counts of what is stored (for the CLI ``status``): the whole database, or what ``scope`` may see.

    For a limited scope the employee, OPD, kinerja and assessment counts are those of its OPD/instansi;
    under a small-group threshold a count below it is ``None`` (shown as hidden). Import batches and
    rejected rows are counts of files and rows, not of people, and are the same for everyone.
    """
    scope = scope or Scope()
    where, params = scope.where("e")
    q = lambda sql, p=None: store.query_one(con, sql, p)[0]  # noqa: E731
    # everyone: no join with the master (every stored NIP is in it: the importer checks), 6 s of CPU less at 5,6M
    per = ("SELECT x.tahun, count(*) AS n FROM {t} x" +
           ("" if scope.unlimited else " JOIN employee e USING (nip) WHERE " + where) +
           " GROUP BY x.tahun ORDER BY x.tahun")
    per_params = {} if scope.unlimited else params
    perf = store.query_df(con, per.format(t="performance"), per_params)
    ases = store.query_df(con, per.format(t="assessment"), per_params)
    last = last_import(con)
    limit = scope.min_group if scope.min_group > 1 else 0
    small = lambda n: None if 0 < int(n) < limit else int(n)  # noqa: E731
    groups = population.groups(con, scope)        # the stored combinations (sql/017), else the master
    if groups is not None:
        people = {"employees": int(groups["n"].sum()), "instansi": groups["instansi"].nunique(),
                  "opd": len(groups[["instansi", "opd"]].drop_duplicates())}
    else:
        people = {"employees": q("SELECT count(*) FROM employee e WHERE " + where, params),
                  "instansi": q("SELECT count(DISTINCT instansi) FROM employee e WHERE " + where, params),
                  "opd": q("SELECT count(DISTINCT (instansi, opd)) FROM employee e WHERE " + where, params)}
    return {
        "employees": small(people["employees"]),
        "instansi": int(people["instansi"]),
        "opd": int(people["opd"]),
        "performance_per_period": {str(int(t)): small(n) for t, n in zip(perf["tahun"], perf["n"])},
        # the succession data (issue 17): rows of people in scope; formasi: posts of the OPD in scope
        **{key: small(q("SELECT count(*) FROM " + table + " x" +
                        ("" if scope.unlimited else " JOIN employee e USING (nip) WHERE " + where), per_params))
           for key, table in _SUCCESSION_TABLES},
        "formasi": int(q("SELECT count(*) FROM formasi e WHERE " + where, params)),
        "assessments_per_period": {str(int(t)): small(n) for t, n in zip(ases["tahun"], ases["n"])},
        "periods": periods(con),
        "import_batches": int(q("SELECT count(*) FROM import_batch WHERE undone_at IS NULL")),
        "import_batches_undone": int(q("SELECT count(*) FROM import_batch WHERE undone_at IS NOT NULL")),
        "rejected_rows": int(q(
            "SELECT count(*) FROM rejected_row r JOIN import_batch b USING (batch_id) WHERE b.undone_at IS NULL")),
        "last_import": last,
        "schema_version": store.schema_version(con),
    }


def last_import(con) -> str | None:
    """When the latest import that is not undone ran (ISO text, None when nothing is imported): what a page's
    footnote needs, without ``status``'s counts."""
    last = store.query_one(con, "SELECT max(imported_at) FROM import_batch WHERE undone_at IS NULL")[0]
    return last.isoformat(sep=" ") if last else None


def periods(con) -> list[int]:
    """The years with SKP or assessment rows."""
    return population.periods(con)


def period_counts(con) -> pd.DataFrame:
    """Every period with SKP or assessment rows (``periods``) and its SKP rows (``kinerja``), in one scan: the
    sidebar's periods and ``default_period`` read it (a few milliseconds more than the periods alone)."""
    return store.query_df(con, "SELECT tahun::INTEGER AS tahun, sum(k)::BIGINT AS kinerja FROM ("
                               "SELECT tahun, count(*) AS k FROM performance GROUP BY tahun "
                               "UNION ALL SELECT DISTINCT tahun, 0 FROM assessment) GROUP BY tahun ORDER BY tahun")


def loaded_share(counts: pd.DataFrame, period: int) -> float | None:
    """The period's SKP rows (``period_counts``) as a share of the most in an earlier period (None without one)."""
    earlier = counts.loc[counts["tahun"] < period, "kinerja"]
    if earlier.empty or earlier.max() == 0:
        return None
    return float(counts.loc[counts["tahun"] == period, "kinerja"].sum()) / float(earlier.max())


def default_period(counts: pd.DataFrame, min_share: float) -> int | None:
    """The period a dashboard opens on: the latest whose SKP rows are at least ``min_share`` of the most in an
    earlier period. A barely loaded period (one OPD's early upload) is offered but not chosen: its figures against
    the year before read as a collapse ("Terpetakan -4.858"; review 10, 4)."""
    for p in reversed(counts["tahun"].tolist()):
        share = loaded_share(counts, p)
        if share is None or share >= min_share:
            return int(p)
    return int(counts["tahun"].iloc[-1]) if len(counts) else None


def thin_period_note(counts: pd.DataFrame, period: int, min_share: float) -> str | None:
    """What Ringkasan says on a barely loaded period (``default_period`` does not open on it)."""
    share = loaded_share(counts, period)
    if share is None or share >= min_share:
        return None
    from . import fmt

    return (f"Periode {period} baru sebagian dimuat: data SKP-nya baru {fmt.pct(share)} dari periode sebelumnya. "
            f"Angka periode ini dan selisihnya terhadap {period - 1} belum sebanding; dasbor dibuka pada periode "
            "terakhir yang sudah lengkap.")


def instansi_label(names: list[str], chosen: tuple[str, ...], default: str) -> str:
    """The instansi a view or a file is about: the one chosen, or the only one in scope (``names``); "4 instansi"
    for several; ``default`` (the ``TALENTA_INSTANSI`` setting) without data. An instansi's deck and screens read
    the setting's name, "Pemerintah Kota Palembang", for another instansi's data (review 11, D2)."""
    pick = [n for n in names if n in chosen] if chosen else list(names)
    if len(pick) == 1:
        return pick[0]
    return f"{len(pick)} instansi" if pick else default


def filter_options(con, scope: Scope) -> dict[str, list[str]]:
    """Distinct values of each sidebar filter, within the user's scope."""
    stored = population.groups(con, scope)       # what the write path counted (sql/017): 127.353 rows at 5,6M
    if stored is not None:
        return {col: sorted(stored[col].dropna().unique().tolist()) for col in FILTER_OPTION_COLUMNS}
    where, params = scope.where("e")
    if scope.unlimited:      # four DISTINCT scans of single columns: cheap without a filter
        out = {}
        for col in FILTER_OPTION_COLUMNS:
            sql = "SELECT DISTINCT " + col + " AS v FROM employee e WHERE " + where + " AND " + col + \
                  " IS NOT NULL ORDER BY 1"
            out[col] = store.query_df(con, sql, params)["v"].tolist()
        return out
    # a limited scope: one filtered scan for the combinations (a few thousand rows), then each column's values
    combos = store.query_df(con, "SELECT " + ", ".join(FILTER_OPTION_COLUMNS) + " FROM employee e WHERE " + where +
                            " GROUP BY ALL", params)
    return {col: sorted(combos[col].dropna().unique().tolist()) for col in FILTER_OPTION_COLUMNS}


FILTER_OPTION_COLUMNS = ("instansi", "opd", "jenis_jabatan", "jenis_asn")


_COVERAGE_CTE = """
WITH pop AS (
    SELECT e.nip, e.instansi, e.opd, e.nama, e.jabatan FROM employee e WHERE {where}
), kin AS (
    SELECT DISTINCT nip FROM performance WHERE tahun BETWEEN $t - $kin_years + 1 AND $t
), ases AS (
    SELECT nip, max(tahun) AS tahun_asesmen FROM assessment WHERE tahun <= $t GROUP BY nip
), cov AS (
    SELECT pop.*, kin.nip IS NOT NULL AS ada_kinerja,
           ases.tahun_asesmen IS NOT NULL AND ases.tahun_asesmen > $t - $ases_years AS ada_asesmen,
           ases.tahun_asesmen IS NOT NULL AND ases.tahun_asesmen <= $t - $ases_years AS asesmen_kedaluwarsa
    FROM pop LEFT JOIN kin USING (nip) LEFT JOIN ases USING (nip)
)
"""


# The same flags read from the score-cache entry of (period, rule set) that the write path built
# (``population.build_active``): one scan of a narrow stored table instead of the SKP and assessment tables.
# ``ada_kinerja`` is then "a scored SKP in the window" (the placement's own input); the window values stay bound.
_COVERAGE_CACHED = """
WITH w AS (SELECT $t AS t, $kin_years AS kin_years, $ases_years AS ases_years), cov AS (
    SELECT e.nip, e.instansi, e.opd, e.nama, e.jabatan, e.skor_kinerja IS NOT NULL AS ada_kinerja,
           e.tahun_asesmen IS NOT NULL AS ada_asesmen,
           e.tahun_asesmen IS NULL AND e.tahun_asesmen_terakhir IS NOT NULL AS asesmen_kedaluwarsa
    FROM talent_score e WHERE e.cache_key = $cache_key AND {where}
)
"""


def _coverage_sql(con, where: str, params: dict, period: int, rs: RuleSet | None) -> tuple[str, dict]:
    """The ``cov`` CTE (nip, instansi, opd, nama, jabatan, ada_kinerja, ada_asesmen, asesmen_kedaluwarsa) and its
    parameters: from the score cache when the write path built the entry, else from the SKP and assessment tables."""

    rs = rs or rulesets.active(con)
    params = {**params, **_windows(con, period, rs)}
    key = population.cache_key(con, period, rs)
    if key is None:
        return _COVERAGE_CTE.replace("{where}", where), params
    return _COVERAGE_CACHED.replace("{where}", where), {**params, "cache_key": key}


def coverage_summary(con, scope: Scope, filters: Filters, rs: RuleSet | None = None) -> dict[str, int]:
    """How many employees in scope have what the talent map needs for ``filters.period`` under the windows of ``rs``
    (default: the active rule set); ``pd.NA`` when hidden."""
    return privacy.suppress_coverage(_coverage_raw(con, scope, filters, rs), privacy.threshold(scope))


_FLAGS = tuple(population.COVERAGE_FLAGS)


def _stored_coverage(con, scope: Scope, filters: Filters, rs: RuleSet | None,
                     dims: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """Employees per (``dims``, coverage flags) summed from the score-cache entry's stored counts (sql/018);
    None when the entry or its counts are not built (the caller reads the employees)."""
    period = filters.need_period()
    rs = rs or rulesets.active(con)
    return population.counts(con, scope, filters, population.cache_key(con, period, rs),
                             dims=(*dims, *_FLAGS), rs=rs)


def _coverage_of(rows: pd.DataFrame, by: list[str] | None = None):
    """The coverage counts of ``_coverage_raw`` (or per ``by``) from counts per coverage flags."""
    k, a, old = (rows[f].fillna(False).astype(bool) for f in _FLAGS)
    n = rows["n"].astype("int64")
    parts = {"pegawai": n, "ada_kinerja": n.where(k, 0), "ada_asesmen": n.where(a, 0), "lengkap": n.where(k & a, 0),
             "tanpa_kinerja": n.where(~k, 0), "tanpa_asesmen": n.where(~a & ~old, 0),
             "asesmen_kedaluwarsa": n.where(old, 0), "tidak_lengkap": n.where(~(k & a), 0)}
    frame = pd.DataFrame(parts)
    if by is None:
        return {c: int(v) for c, v in frame.sum().items()}
    return pd.concat([rows[by], frame], axis=1).groupby(by, sort=False, dropna=False).sum().reset_index()


def _coverage_raw(con, scope: Scope, filters: Filters, rs: RuleSet | None = None) -> dict[str, int]:
    period = filters.need_period()
    stored = _stored_coverage(con, scope, filters, rs)
    if stored is not None:
        return _coverage_of(stored)
    where, params = employee_where(scope, filters)
    cte, params = _coverage_sql(con, where, params, period, rs)
    sql = cte + """
    SELECT count(*) AS pegawai,
           count(*) FILTER (ada_kinerja) AS ada_kinerja,
           count(*) FILTER (ada_asesmen) AS ada_asesmen,
           count(*) FILTER (ada_kinerja AND ada_asesmen) AS lengkap,
           count(*) FILTER (NOT ada_kinerja) AS tanpa_kinerja,
           count(*) FILTER (NOT ada_asesmen AND NOT asesmen_kedaluwarsa) AS tanpa_asesmen,
           count(*) FILTER (asesmen_kedaluwarsa) AS asesmen_kedaluwarsa,
           count(*) FILTER (NOT (ada_kinerja AND ada_asesmen)) AS tidak_lengkap
    FROM cov"""
    df = store.query_df(con, sql, params)
    return {k: int(v) for k, v in df.iloc[0].items()}


def coverage_by_opd(con, scope: Scope, filters: Filters, rs: RuleSet | None = None) -> pd.DataFrame:
    """Per OPD: employees, with kinerja, with assessment, complete, and the complete share (suppressed);
    the windows of ``rs`` (default: the active rule set)."""
    period = filters.need_period()
    rs = rs or rulesets.active(con)
    stored = _stored_coverage(con, scope, filters, rs, dims=("instansi", "opd"))
    if stored is not None:
        df = _coverage_of(stored, ["instansi", "opd"])[["instansi", "opd", "pegawai", "ada_kinerja", "ada_asesmen",
                                                        "lengkap"]]
        df["persen_lengkap"] = df["lengkap"] / df["pegawai"]
        df = df.sort_values(["pegawai", "opd", "instansi"], ascending=[False, True, True]).reset_index(drop=True)
    else:
        where, params = employee_where(scope, filters)
        cte, params = _coverage_sql(con, where, params, period, rs)
        sql = cte + """
        SELECT instansi, opd, count(*) AS pegawai,
               count(*) FILTER (ada_kinerja) AS ada_kinerja,
               count(*) FILTER (ada_asesmen) AS ada_asesmen,
               count(*) FILTER (ada_kinerja AND ada_asesmen) AS lengkap,
               count(*) FILTER (ada_kinerja AND ada_asesmen) / count(*) AS persen_lengkap
        FROM cov GROUP BY instansi, opd ORDER BY pegawai DESC, opd, instansi"""
        df = store.query_df(con, sql, params)
    t = privacy.threshold(scope)
    if not t:
        return df
    return privacy.suppress_coverage_rows(df, _coverage_raw(con, scope, filters, rs), t)


def per_period(con, scope: Scope, filters: Filters) -> pd.DataFrame:
    """Employees in scope with an SKP and with an assessment, per year (``<NA>`` when the count, or the
    employees in scope without one, is below the threshold)."""
    where, params = employee_where(scope, filters)
    # everyone: no join with the master (every stored NIP is in it: the importer checks), seconds less at 5,6M
    join = "" if scope.unlimited and filters.unlimited else " JOIN pop USING (nip)"
    sql = """
    WITH pop AS (SELECT e.nip FROM employee e WHERE """ + where + """),
    k AS (SELECT tahun, count(*) AS kinerja FROM performance""" + join + """ GROUP BY tahun),
    a AS (SELECT tahun, count(*) AS asesmen FROM assessment""" + join + """ GROUP BY tahun)
    SELECT tahun, coalesce(kinerja, 0) AS kinerja, coalesce(asesmen, 0) AS asesmen,
           (SELECT count(*) FROM pop) AS pegawai
    FROM k FULL JOIN a USING (tahun) ORDER BY tahun"""
    df = store.query_df(con, sql, params)
    t = privacy.threshold(scope)
    for c in ("kinerja", "asesmen") if t else ():   # neither the count nor those without it (pegawai - count)
        rest = df["pegawai"] - df[c]
        small = privacy.small(df[c], t) | privacy.small(rest, t) | (df["pegawai"] < t).to_numpy()
        df[c] = df[c].astype("Int64").mask(small, pd.NA)
    return df.drop(columns="pegawai")


def incomplete_employees(con, scope: Scope, filters: Filters, limit: int = 1000,
                         rs: RuleSet | None = None) -> pd.DataFrame:
    """Employees who lack a kinerja record or an assessment for ``filters.period`` under the windows of ``rs``
    (default: the active rule set); the first ``limit`` rows.

    Masked as ``privacy.mask_people``; with small groups suppressed, empty unless their count is shown."""
    period = filters.need_period()
    rs = rs or rulesets.active(con)
    where, params = employee_where(scope, filters)
    if privacy.threshold(scope) and not privacy.list_allowed(
            scope, coverage_summary(con, scope, filters, rs)["tidak_lengkap"]):
        limit = 0
    # the first ``limit`` by (opd, nama): the OPDs those rows can come from are found by counting per OPD (from the
    # entry's stored counts when it has them: then only those OPDs' rows are read), and only their rows are sorted
    # by name (at 5,6M a top-N sort of 2,3M names took 0,8 s; this takes a fraction)
    stored = _stored_coverage(con, scope, filters, rs, dims=("opd",))
    if stored is not None:
        per = _coverage_of(stored, ["opd"]).sort_values("opd")
        per = per[per["tidak_lengkap"] > 0]
        before = per["tidak_lengkap"].cumsum() - per["tidak_lengkap"]
        where += " AND list_contains(CAST($cut_opd AS VARCHAR[]), e.opd)"
        params = {**params, "cut_opd": per.loc[before < limit, "opd"].tolist()}
        cut = ""
    else:
        cut = """, cut AS (
        SELECT opd FROM (SELECT opd, count(*) AS n FROM todo GROUP BY opd)
        QUALIFY sum(n) OVER (ORDER BY opd ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n < $limit
    )"""
    cte, params = _coverage_sql(con, where, params, period, rs)
    sql = cte + """, todo AS (
        SELECT * FROM cov WHERE NOT (ada_kinerja AND ada_asesmen)
    )""" + cut + """
    SELECT c.nip, c.nama, c.opd, c.jabatan,
           CASE WHEN NOT ada_kinerja AND NOT ada_asesmen THEN $r_both
                WHEN NOT ada_kinerja THEN 'Belum ada kinerja (SKP) tahun ' ||
                     CASE WHEN $kin_years = 1 THEN $t::VARCHAR ELSE ($t - $kin_years + 1) || '-' || $t END
                WHEN asesmen_kedaluwarsa THEN 'Asesmen terakhir lebih dari ' || $ases_years || ' tahun lalu'
                ELSE $r_ases END AS kekurangan
    FROM todo c""" + (" SEMI JOIN cut ON c.opd IS NOT DISTINCT FROM cut.opd" if cut else "") + """
    ORDER BY c.opd, c.nama, c.nip LIMIT $limit"""
    df = store.query_df(con, sql, {**params, "limit": limit,
                                   "r_both": rules.UNPLACED_GROUP_LABELS["tanpa_kinerja_dan_asesmen"],
                                   "r_ases": rules.UNPLACED_GROUP_LABELS["tanpa_asesmen"]})
    return privacy.mask_people(df, scope)


BATCH_COUNTS = ("rows_read", "rows_accepted", "rows_rejected")


def recent_batches(con, limit: int = 20, scope: Scope | None = None) -> pd.DataFrame:
    """The latest import batches; ``isi`` names the kinds of content in Indonesian (``schema.KIND_LABELS``).

    A file's row counts are the whole instansi's (21.700 employees, 43 disciplinary records): an account limited to
    some OPD or instansi gets the batches without them (``BATCH_COUNTS``) and without who imported them (review
    6: an OPD account learnt the other OPDs' employees and disciplinary records)."""
    kinds = list(schema.KIND_LABELS)
    df = store.query_df(con, """
        SELECT batch_id, file_name,
               array_to_string(list_transform(kinds, lambda k: coalesce(list_extract($labels, list_position($kinds, k)), k)),
                               ', ') AS isi,
               rows_read, rows_accepted, rows_rejected, imported_at, imported_by, undone_at IS NOT NULL AS dibatalkan
        FROM import_batch ORDER BY batch_id DESC LIMIT $limit""",
        {"limit": limit, "kinds": kinds, "labels": [schema.KIND_LABELS[k] for k in kinds]})
    if scope is not None and not scope.unlimited:
        df = df.drop(columns=[*BATCH_COUNTS, "imported_by"])
    return df


HEADLINE_COUNTS = ("pegawai", "terpetakan", "belum_terpetakan", "krs", "kotak_9", "kotak_1")


def previous_period(all_periods: list[int], period: int) -> int | None:
    """The latest period before ``period`` among ``all_periods`` (None when ``period`` is the first)."""
    earlier = [p for p in all_periods if p < period]
    return max(earlier) if earlier else None


def changes(current: dict, previous: dict | None) -> dict[str, float | None]:
    """The change of each headline figure (``talentmap.summary``) against the previous period's.

    Counts change by people; ``krs_persen`` (a percentage) and ``persen_terpetakan`` (a share: 0.012 -> 1.2) by
    percentage points.
    A change is None when there is no previous period or when either figure is hidden (a change must not
    reveal a suppressed count)."""
    out: dict[str, float | None] = {}
    for key in (*HEADLINE_COUNTS, "krs_persen", "persen_terpetakan"):
        a, b = current.get(key), (previous or {}).get(key)
        if previous is None or privacy.hidden(a) or privacy.hidden(b):
            out[key] = None
        elif key in HEADLINE_COUNTS:
            out[key] = int(a) - int(b)
        elif key == "krs_persen":           # already a percentage (0-100)
            out[key] = round(float(a) - float(b), 6)
        else:
            out[key] = round((float(a) - float(b)) * 100, 6)
    return out
