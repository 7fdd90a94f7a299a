"""Talent-pool statistics per group (OPD and other groupings), bench strength, movement.

Every count is aggregated in DuckDB on top of the talent-map SQL. Grouping columns come from the
allow-list ``GROUPINGS`` only (their SQL is fixed here, never built from user input). Every count is
returned as the scope may see it (``talenta.privacy``: hidden counts are ``<NA>``).
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import population, privacy, rules, store, talentmap
from .rules import RuleSet
from .scope import Filters, Scope

log = logging.getLogger(__name__)

AGE_SQL = "date_part('year', age(make_date($t, 12, 31), e.tanggal_lahir))"


def _lit(v) -> str:
    """A constant of ``rules`` as an SQL literal (ints as digits, text quoted): the SQL below is built from the
    rules once at import, never from user input."""
    return str(int(v)) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'"


_AGE_BANDS = ("CASE WHEN e.tanggal_lahir IS NULL THEN 'Tidak diisi' " +
              "".join("WHEN " + AGE_SQL + " < " + _lit(top) + " THEN " + _lit(label) + " "
                      for top, label in rules.USIA_KELOMPOK) + "ELSE " + _lit(rules.USIA_TERTUA) + " END")
GROUPINGS: dict[str, tuple[str, str]] = {
    "opd": ("OPD", "e.opd"),
    "unit_kerja": ("Unit kerja", "coalesce(e.unit_kerja, 'Tidak diisi')"),
    "instansi": ("Instansi", "e.instansi"),
    "jenis_jabatan": ("Jenis jabatan", "coalesce(e.jenis_jabatan, 'Tidak diisi')"),
    "eselon": ("Eselon", "coalesce(e.eselon, 'Non-eselon')"),
    "golongan": ("Golongan", "coalesce(e.golongan, 'Tidak diisi')"),
    "jenis_asn": ("Jenis ASN", "coalesce(e.jenis_asn, 'Tidak diisi')"),
    "jenis_kelamin": ("Jenis kelamin", "coalesce(e.jenis_kelamin, 'Tidak diisi')"),
    "kelompok_usia": ("Kelompok usia", _AGE_BANDS),
    "pendidikan": ("Pendidikan", "coalesce(e.pendidikan, 'Tidak diisi')"),
}
BOX_COLS = [f"kotak_{i}" for i in range(1, 10)]
POOL_COLUMNS = ["group", "total", *BOX_COLS, "belum_terpetakan", "krs", "krs_persen"]


def group_sql(by: str) -> str:
    if by not in GROUPINGS:
        from .errors import UsageError
        raise UsageError(f"Pengelompokan '{by}' tidak dikenal; pilih salah satu: {', '.join(GROUPINGS)}.")
    return GROUPINGS[by][1]


# An OPD is an office of one instansi and a unit kerja a unit of one OPD: two governments' "Dinas Kesehatan" are two
# OPD, and the "Sekretariat" of every OPD are as many units. A view over several instansi groups by OPD and
# instansi, labelled "Dinas Kesehatan (Kota Palembang)"; a view over several OPD groups unit kerja by unit and OPD
# ("Sekretariat (Dinas Kesehatan)", "Sekretariat (Dinas Kesehatan · Kota Palembang)" over several instansi: OPD
# names hold commas, "Dinas Kebudayaan, Pariwisata, ..."). A view of one instansi (one OPD) keeps the plain names.
_UNIT = "coalesce(e.unit_kerja, 'Tidak diisi')"
# an office's name per (grouping, what the view spans), the one place the format is written: ``grouping`` turns it
# into SQL, ``_labelled`` into the names of counted rows
_NAMES = {("opd", "plain"): "{opd}", ("opd", "instansi"): "{opd} ({instansi})",
          ("unit_kerja", "plain"): "{unit}", ("unit_kerja", "opd"): "{unit} ({opd})",
          ("unit_kerja", "instansi"): "{unit} ({opd} · {instansi})"}
_FIELDS = {"instansi": "e.instansi", "opd": "e.opd", "unit": _UNIT}      # in the order of an office's parts
_FIELD = re.compile(r"\{(\w+)\}")


def _span(by: str, n_instansi: int, n_opd: int) -> str:
    """Which name ``_NAMES`` gives an office of ``by`` in a view of ``n_instansi`` instansi and ``n_opd`` OPD."""
    return "instansi" if n_instansi > 1 else "opd" if by == "unit_kerja" and n_opd > 1 else "plain"


def _name_sql(template: str) -> str:
    pieces = _FIELD.split(template)     # text, field, text, field, ...
    return " || ".join(_FIELDS[x] if i % 2 else _lit(x) for i, x in enumerate(pieces) if i % 2 or x)


def view_extent(con, scope: Scope, filters: Filters) -> tuple[int, int]:
    """(instansi, OPD) of the view (``population.extent``): one round trip, for the readers that filter or group by
    ``grouping``'s SQL (a group's list, the movement, the fairness test, the bench's names). The pool's own counts
    are labelled from their rows (``_labelled``)."""
    return population.extent(con, scope, filters)


def grouping(con, scope: Scope, filters: Filters, by: str) -> str:
    """The SQL of grouping ``by`` (``group_sql``) for the view of ``scope`` under ``filters``: an OPD within its
    instansi when the view holds several instansi, a unit kerja within its OPD when it holds several OPD
    (``_NAMES``), so same-named offices of two governments or units of two OPD stay two rows (review 11, D1)."""
    if by not in _PARTS:
        return group_sql(by)
    return _name_sql(_NAMES[(by, _span(by, *view_extent(con, scope, filters)))])


# The pool's own counts are grouped by the office itself, (instansi, OPD) or (instansi, OPD, unit kerja) as one
# text, and labelled once counted (``_labelled``): the rows say how many instansi and OPD the view holds, so the
# labels cost no query of their own (``grouping`` asks ``view_extent``, one more round trip per pool table).
_SEP = "\x1f"
_PARTS = {"opd": ("instansi", "opd"), "unit_kerja": ("instansi", "opd", "unit")}


def _office_sql(by: str) -> str:
    """The SQL a pool count groups ``by``: the office's parts joined by ``_SEP`` for opd and unit kerja."""
    return " || chr(31) || ".join(_FIELDS[f] for f in _PARTS[by]) if by in _PARTS else group_sql(by)


def _labelled(df: pd.DataFrame, by: str) -> pd.DataFrame:
    """``df`` grouped by ``_office_sql`` with its ``group`` as ``grouping`` names it: "Dinas Kesehatan (Kota
    Palembang)" when the rows hold several instansi, "Sekretariat (Dinas Kesehatan)" when several OPD."""
    if by not in _PARTS or df.empty:
        return df
    codes, offices = pd.factorize(df["group"], use_na_sentinel=False)
    split = pd.Series(offices.astype(str)).str.split(_SEP, expand=True)
    parts = {f: split[i] for i, f in enumerate(_PARTS[by])}
    span = _span(by, parts["instansi"].nunique(), len(split[[0, 1]].drop_duplicates()))
    pieces = _FIELD.split(_NAMES[(by, span)])
    names = None
    for piece in (parts[x] if i % 2 else x for i, x in enumerate(pieces) if i % 2 or x):
        names = piece if names is None else names + piece
    # the office's instansi too: its counts are suppressed per instansi (``_suppressed``); a unit's OPD, per OPD
    extra = {INSTANSI_COLUMN: parts["instansi"].to_numpy(dtype=object)[codes]}
    if by == "unit_kerja":
        extra[OPD_COLUMN] = (parts["instansi"] + _SEP + parts["opd"]).to_numpy(dtype=object)[codes]
    return df.assign(group=names.to_numpy(dtype=object)[codes], **extra)


INSTANSI_COLUMN = "_instansi"
OPD_COLUMN = "_opd"


def group_members(con, scope: Scope, filters: Filters, rs: RuleSet, by: str, value: str, *,
                  kotak: int | None = None, placed: bool | None = None, search: str = "",
                  limit: int | None = None) -> pd.DataFrame:
    """The people of one group (``talentmap.placements`` of one cell of the pool table), listed only when
    that cell's count is shown."""
    filters = privacy.published_filters(scope, filters)
    expr = grouping(con, scope, filters, by)
    count = None
    if privacy.threshold(scope):
        table = pool_table(con, scope, filters, rs, by)
        row = table[table["group"].astype(str) == str(value)]
        if row.empty:
            count = 0
        elif kotak:
            count = row[f"kotak_{kotak}"].iloc[0]
        elif placed is False:
            count = row["belum_terpetakan"].iloc[0]
        elif placed:        # the placed people: total - unplaced, hidden when either is (its length would tell)
            total, unplaced = row["total"].iloc[0], row["belum_terpetakan"].iloc[0]
            count = pd.NA if privacy.hidden(total) or privacy.hidden(unplaced) else total - unplaced
        else:
            count = row["total"].iloc[0]
    return talentmap.placements(con, scope, filters, rs, kotak=kotak, placed=placed, search=search,
                                limit=limit, group=(by, value), group_expr=expr, group_count=count)


CHART_ROWS = 60      # groups a chart of the pool table draws at most (the table and its files keep every one)


def extremes(table: pd.DataFrame, each: int = CHART_ROWS // 2) -> tuple[pd.DataFrame, int, bool]:
    """The rows a chart draws of a pool table: all of them up to ``2 * each``; else the ``each`` strongest and the
    ``each`` weakest by KRS share among the groups whose share is shown (a hidden share is in no ranking, where its
    place would bound it; review 13, M3); else, when fewer than ``2 * each`` shares are shown, the table's first
    ``2 * each`` rows (the shown shares in order, then hidden ones by name, as the table lists them: a masked screen
    hiding every share drew nothing; review 15, 2). Returns the rows, how many groups are left out, and whether the
    rows are the two ends (a line between them). Over several instansi every office is its own row, 7.500 at 2
    million ASN: a heatmap of all of them kept the browser busy for over ten minutes (found by make bench)."""
    if len(table) <= 2 * each:
        return table, 0, False
    ranked = table[table["krs_persen"].notna()]
    if len(ranked) > 2 * each:
        shown = pd.concat([ranked.head(each), ranked.tail(each)])
        return shown, len(table) - len(shown), True
    return table.head(2 * each), len(table) - 2 * each, False


def pool_table(con, scope: Scope, filters: Filters, rs: RuleSet, by: str = "opd") -> pd.DataFrame:
    """One row per group: total, kotak_1..kotak_9, belum_terpetakan, krs, krs_persen (the KRS percentage of the
    placed, 0-100: 40.0 is 40 %), sorted by KRS share.

    Under a scope with a small-group threshold the counts are suppressed together with the talent map
    they add up to (``privacy.suppress_pool``); the groups are ranked on the shares shown, those whose share is
    hidden last by name (a place between two shown shares would bound a hidden one)."""
    return pool_with_counts(con, scope, filters, rs, by)[0]


# Under a threshold the suppression needs the whole talent map (the unplaced reasons too): the employees are
# counted once per (group, box, reason), a few rows per group, and those rows are added up here per group and
# for the map (``_cells``). The same numbers as ``talentmap.counted_figures_sql`` per group, without a second
# aggregate of seventeen filtered sums in SQL.
_BY_CELL = 'SELECT {group} AS "group", e.kotak, e.alasan_kode, count(*) AS n FROM final e GROUP BY ALL'


# the groupings over the columns the score cache's counts keep (population.COUNT_COLUMNS), and unit kerja (its own
# counts, read when no jenis filter is set)
COUNTED = ("opd", "instansi", "jenis_jabatan", "jenis_asn", "unit_kerja")


def _stored_cells(con, scope, filters, rs, by, key, stamp) -> pd.DataFrame | None:
    if by not in COUNTED:
        return None
    rows = population.counts(con, scope, filters, key, stamp, _office_sql(by), unit=by == "unit_kerja", rs=rs)
    return None if rows is None else _labelled(rows, by)


def _counted_cells(con, scope, filters, rs, by, key, stamp) -> pd.DataFrame:
    """Employees per (group, kotak, alasan_kode): from the entry's stored counts when it has them, else counted."""
    rows = _stored_cells(con, scope, filters, rs, by, key, stamp)
    if rows is None:
        rows = _labelled(population.query(con, scope, filters, rs, _BY_CELL.replace("{group}", _office_sql(by)),
                                          key=key, stamp=stamp), by)
    return rows


def _cells(rows: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """The counts per (group, kotak, alasan_kode) ``rows`` as the pool's counts per group (``POOL_COLUMNS`` but
    krs_persen, groups in order of first appearance) and the talent map's figures (``privacy.MAP_KEYS``)."""
    codes, groups = pd.factorize(rows["group"], use_na_sentinel=False)
    n = rows["n"].to_numpy(np.int64)
    # the box as a column: 0 not placed, 1-9, 10 any other value (counted as placed, in no box)
    kotak = rows["kotak"].to_numpy(dtype=float, na_value=np.nan)
    box = np.where(np.isnan(kotak), 0, np.where(np.isin(kotak, np.arange(1, 10)), kotak, 10)).astype(np.int64)
    cells = np.zeros((len(groups), 11), np.int64)
    np.add.at(cells, (codes, box), n)
    reason = rows["alasan_kode"].to_numpy(dtype=float, na_value=0)
    reasons = {r: int(n[reason == i].sum()) for i, r in enumerate(privacy.REASONS, 1)}
    krs = cells[:, list(rules.KRS_BOXES)].sum(axis=1)
    df = pd.DataFrame({"group": groups, "total": cells.sum(axis=1),
                       **{f"kotak_{i}": cells[:, i] for i in range(1, 10)}, "belum_terpetakan": cells[:, 0], "krs": krs})
    whole = cells.sum(axis=0)
    raw = {"pegawai": int(whole.sum()), "terpetakan": int(whole[1:].sum()), "belum_terpetakan": int(whole[0]),
           **{f"kotak_{i}": int(whole[i]) for i in range(1, 10)}, "krs": int(krs.sum()), **reasons}
    return df, raw


def pool_with_counts(con, scope: Scope, filters: Filters, rs: RuleSet,
                     by: str = "opd") -> tuple[pd.DataFrame, pd.DataFrame]:
    """``pool_table`` and, for the library only (never shown), its unsuppressed counts in the same order: a
    check that needs the per-group boxes as well (``fairness.check``) reads them from the same scan."""
    period = filters.need_period()
    filters = privacy.published_filters(scope, filters)
    t = privacy.threshold(scope)
    closed = None
    if t:
        key, stamp, closed = population.lookup_closed(con, filters, rs)
    else:
        key, stamp = population.lookup(con, filters, rs)
    if t:
        # the suppression of this table is decided once per (data, rules, calibration, scope, filters, grouping)
        memo_key = ("pool", key, population.basis_stamp(con, filters, stamp), scope, filters, period, by, t)
        kept = talentmap.recall_table(con, memo_key) if key else None
        if kept is None:
            # what the write path published for this view (``build_published``), else suppressed here
            kept = _read_published(con, key, closed, scope, filters, by, t)
            if kept is None:
                kept = _suppressed(con, scope, filters, rs, by, t, key, stamp)
            if key:
                talentmap.keep_table(con, memo_key, kept)
        shown, counts, raw = kept
        # the talent map this table adds up to (every employee is in exactly one group): kept for the rest of
        # the page
        talentmap.remember_figures(con, scope, filters, rs, raw, key=key, stamp=stamp)
        return shown.copy(), counts.copy()          # deep: the kept frames are shared by sessions
    rows = _stored_cells(con, scope, filters, rs, by, key, stamp)
    if rows is not None:            # the entry's stored counts: a few sums, no scan of the population
        df, raw = _cells(rows)
        talentmap.remember_figures(con, scope, filters, rs, raw, key=key, stamp=stamp)
    else:
        boxes = ", ".join(f"count(*) FILTER (e.kotak = {i}) AS kotak_{i}" for i in range(1, 10))
        select = ("SELECT " + _office_sql(by) + " AS \"group\", count(*) AS total, " + boxes +
                  ", count(*) FILTER (e.kotak IS NULL) AS belum_terpetakan, " + talentmap.figure_sql("krs") +
                  " AS krs FROM final e GROUP BY ALL")
        df = _labelled(population.query(con, scope, filters, rs, select, talentmap.KRS_PARAMS, key=key,
                                        stamp=stamp), by)
    df = _ranked(df)
    return df[POOL_COLUMNS], df[POOL_COLUMNS]


def _ranked(df: pd.DataFrame) -> pd.DataFrame:
    """The counts per group with their KRS share, ranked by the true shares BEFORE any suppression decision:
    suppression hides a count, it never moves or drops a group in the ranking (a hidden share keeps its place);
    ties broken by size then name, so the order is the same on every run (and between page, download and deck)."""
    placed = df["total"] - df["belum_terpetakan"]
    df["krs_persen"] = np.where(placed > 0, 100.0 * df["krs"] / placed.where(placed > 0, 1), np.nan)
    return df.sort_values(["krs_persen", "total", "group"], ascending=[False, False, True],
                          na_position="last").reset_index(drop=True)


def _suppressed(con, scope: Scope, filters: Filters, rs: RuleSet, by: str, t: int, key, stamp
                ) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The pool table of a scope with threshold ``t``, suppressed now: (shown, counts, the talent map's figures).
    Under a threshold the suppression needs the whole talent map (the unplaced reasons too), counted in the same
    pass as the table."""
    if by in NESTED:
        shown, df, raw = _suppressed_nested(con, scope, filters, rs, by, t, key, stamp)
        return _hidden_last(shown, df, raw)
    rows = _counted_cells(con, scope, filters, rs, by, key, stamp)
    df, raw = _cells(rows)
    df = _ranked(df)
    if OPD_COLUMN in rows and rows[OPD_COLUMN].nunique() > 1:
        # units of several OPD: the OPD grouping publishes each OPD's figures beside them, so each OPD's units are
        # protected as if its figures were known. Suppressed as one table, "RSUD Gandus" 7 beside "RSUD Gandus
        # (RSUD Gandus)" 6 gave the hidden unit beside it: 1 person (hostile pass, session 22). The units of one
        # OPD are the view's talent map broken down, protected with that map as shown (every figure taken as known
        # hid nearly every cell of a presentation filtered to one OPD)
        shown, df = _suppressed_per_instansi(rows, t, OPD_COLUMN)
    elif INSTANSI_COLUMN in rows and rows[INSTANSI_COLUMN].nunique() > 1:
        shown, df = _suppressed_per_instansi(rows, t)
    else:
        shown = privacy.suppress_pool(df, raw, t)       # same index (0..n-1) and columns (POOL_COLUMNS)
    return _hidden_last(shown, df, raw)


def _hidden_last(shown: pd.DataFrame, df: pd.DataFrame, raw: dict) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    shown = shown if list(shown.columns) == POOL_COLUMNS else shown[POOL_COLUMNS]
    # ranked on the shares shown; a hidden (or undefined) share last, by name: ranked on its true share, its place
    # between two shown shares bounded it ("2 placed, above 31,3 %": at least one in KRS; review 13, M3), as the
    # succession pipeline already ranks
    hidden = shown["krs_persen"].isna().to_numpy()
    if hidden.any():
        order = np.concatenate([np.flatnonzero(~hidden),
                                np.flatnonzero(hidden)[np.argsort(shown["group"].astype(str).to_numpy()[hidden],
                                                                  kind="stable")]])
        shown, df = shown.iloc[order].reset_index(drop=True), df.iloc[order].reset_index(drop=True)
    return shown, df, dict(raw)


# Groupings that nest: an eselon lies in one jenis jabatan (II.a..IV.b are Struktural; "Non-eselon" is Fungsional
# and Pelaksana together), a PNS golongan (III/a) in PNS and a PPPK golongan (IX) in the two PPPK. Suppressed one
# table at a time, a shown "Struktural" beside its shown eselon rows gives their hidden rows' sum, and a shown
# eselon row a hidden complementary jenis jabatan cell (session 22, after the unit-in-OPD leak). Both tables of a
# pair are read from one protected table of the pair's cells (jenis jabatan x eselon): a count of either table is
# the sum of its cells, shown only when every one of them is shown, so whatever either shows is a sum of shown
# cells of one protected table.
NESTED = {"eselon": ("jenis_jabatan", "eselon"), "jenis_jabatan": ("jenis_jabatan", "eselon"),
          "golongan": ("jenis_asn", "golongan"), "jenis_asn": ("jenis_asn", "golongan")}
_FIGURE_COLUMNS = ["total", *BOX_COLS, "belum_terpetakan", "krs"]


def _suppressed_nested(con, scope: Scope, filters: Filters, rs: RuleSet, by: str, t: int, key, stamp
                       ) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    outer, inner = NESTED[by]
    pair = group_sql(outer) + " || chr(31) || " + group_sql(inner)
    rows = population.query(con, scope, filters, rs, _BY_CELL.replace("{group}", pair), key=key, stamp=stamp)
    cells, raw = _cells(rows)
    hidden = privacy.suppress_pool(_ranked(cells), raw, t)       # same order as _ranked(cells)
    side = 0 if by == outer else 1
    part = hidden["group"].astype(str).str.split(_SEP).str[side].to_numpy()
    df, _ = _cells(rows.assign(group=rows["group"].str.split(_SEP).str[side].astype(rows["group"].dtype)))
    df = _ranked(df)
    figures = hidden[_FIGURE_COLUMNS].astype("Float64")
    summed = figures.groupby(part).sum().mask(figures.isna().groupby(part).any())
    summed = summed.reindex(df["group"].to_numpy())
    shown = pd.DataFrame({"group": df["group"].to_numpy(),
                          **{c: pd.array(summed[c].to_numpy(dtype=float, na_value=np.nan), dtype="Float64")
                             .astype("Int64") for c in _FIGURE_COLUMNS}})
    placed = shown["total"].astype("Float64") - shown["belum_terpetakan"].astype("Float64")
    share = 100.0 * shown["krs"].astype("Float64") / placed.where(placed > 0)
    shown["krs_persen"] = share.to_numpy(dtype=float, na_value=np.nan)
    return shown, df, raw


def _suppressed_per_instansi(rows: pd.DataFrame, t: int, block_by: str = INSTANSI_COLUMN
                             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The offices (or units) of several instansi, suppressed one instansi at a time: (shown, counts), ranked on the
    true shares as ``_ranked`` ranks the whole table. ``block_by=OPD_COLUMN``: units, one OPD at a time (the OPD
    grouping publishes each OPD's figures, as the instansi's totals are here).

    Every office lies in one instansi, and the table's only other equations, its column totals, are the sums of the
    instansi's column totals. Each instansi's block is protected as if the reader knew all of its totals
    (``suppress_pool(margins_known=True)``: a stronger reader than any page makes, since a single instansi's map
    may hide some of them), so no hidden cell of a block can be solved from the block's equations, and the
    whole table adds only sums of those totals. The check over one table of 7.500 offices (142 instansi at 2
    million ASN) ran a round per leak over all of them: 169 s per import; per instansi it is 142 small tables."""
    shown, counts = [], []
    for _inst, block in rows.groupby(block_by, sort=True):
        d, raw = _cells(block)
        d = _ranked(d)
        shown.append(privacy.suppress_pool(d, raw, t, margins_known=True))
        counts.append(d)
    shown, counts = pd.concat(shown, ignore_index=True), pd.concat(counts, ignore_index=True)
    order = _ranked(counts.assign(_at=np.arange(len(counts))))["_at"].to_numpy()
    return shown.iloc[order].reset_index(drop=True), counts.iloc[order].reset_index(drop=True)


# --- the pool tables published to masked views (sql/020-021) -------------------------------------------

PUBLISHED_BY = ("opd",)         # the groupings the write path publishes: the Talent Pool page's and Ringkasan's


def scope_key(scope: Scope) -> str | None:
    """A scope's limits as the published tables key them: '*' for every instansi, else its instansi (JSON, sorted);
    None for a scope limited to OPDs (not published: its tables are small, and suppressed at read time)."""
    if scope.opd is not None:
        return None
    return "*" if scope.instansi is None else json.dumps(sorted(scope.instansi), ensure_ascii=False)


def _published_view(scope: Scope, filters: Filters, by: str) -> str | None:
    """The ``scope_key`` when the write path publishes the view (``scope``, ``filters``, ``by``), else None."""
    if by not in PUBLISHED_BY or not filters.unlimited or filters.basis != "otomatis":
        return None
    return scope_key(scope)


@functools.cache
def published_version() -> str:
    """The code a published table was built by: a hash of the modules that count and suppress it
    (``PUBLISHED_MODULES``: their source, or their compiled code where no source is installed) and of the numeric
    libraries' versions. A table of another version is never read (the reader suppresses at read time) and the next
    build replaces it: a fix to the suppression cannot be outlived by a table the old code published."""
    import importlib
    import marshal

    import scipy

    h = hashlib.sha256()
    for name in PUBLISHED_MODULES:
        mod = importlib.import_module("talenta." + name)
        try:
            data = Path(mod.__file__).read_bytes()
        except (OSError, TypeError):            # (an install of compiled modules only)
            data = marshal.dumps(mod.__loader__.get_code(mod.__name__))
        h.update(name.encode() + b"\0" + data)
    h.update(f"numpy {np.__version__} scipy {scipy.__version__} pandas {pd.__version__}".encode())
    return h.hexdigest()[:16]


# what decides a published table: the counts (population, rules, scope), this module's table and the suppression
PUBLISHED_MODULES = ("pool", "privacy", "population", "rules", "scope")


CELLS = ["total", *BOX_COLS, "belum_terpetakan", "krs"]          # a pool table's counts (POOL_COLUMNS but group, share)


def _encoded(shown: pd.DataFrame, counts: pd.DataFrame) -> tuple[str, bytes, bytes, bytes]:
    """A suppressed pool table as it is stored (sql/021): groups, counts, hidden cells, shares (shown, true)."""
    groups = [None if pd.isna(g) else str(g) for g in counts["group"]]
    values = np.ascontiguousarray(counts[CELLS].to_numpy(np.int64))
    hidden = np.ascontiguousarray(shown[CELLS].isna().to_numpy(np.uint8))
    shares = np.ascontiguousarray(np.column_stack([shown["krs_persen"].to_numpy(float),
                                                   counts["krs_persen"].to_numpy(float)]))
    return json.dumps(groups, ensure_ascii=False), values.tobytes(), hidden.tobytes(), shares.tobytes()


def _decoded(row, t: int):
    """(shown, counts, raw) of a stored row (groups, counts, hidden, shares, raw) when it is whole and consistent,
    else None: arrays of the table's shape, the map's figures all there and equal to the column sums of the
    counts, no shown count under the threshold, and no shown share resting on a hidden count. (A row that fails
    is never shown: the reader suppresses at read time and the next build replaces it.)"""
    try:
        groups = json.loads(row[0])
        n, w = len(groups), len(CELLS)
        values = np.frombuffer(row[1], np.int64).reshape(n, w)
        hidden = np.frombuffer(row[2], np.uint8).reshape(n, w).astype(bool)
        shares = np.frombuffer(row[3], np.float64).reshape(n, 2)
        raw = {k: int(v) for k, v in json.loads(row[4]).items()}
    except Exception:
        return None
    if set(raw) != set(privacy.MAP_KEYS) or not all(g is None or isinstance(g, str) for g in groups):
        return None
    sums = dict(zip(CELLS, values.sum(axis=0).tolist()))
    at = {c: j for j, c in enumerate(CELLS)}
    shown = values[~hidden]
    bad_share = ~np.isnan(shares[:, 0]) & (hidden[:, at["krs"]] | hidden[:, at["total"]] |
                                             hidden[:, at["belum_terpetakan"]])
    if (sums["total"] != raw["pegawai"] or sums["belum_terpetakan"] != raw["belum_terpetakan"]
            or sums["krs"] != raw["krs"] or raw["terpetakan"] != raw["pegawai"] - raw["belum_terpetakan"]
            or any(sums[b] != raw[b] for b in BOX_COLS)
            or sum(raw[r] for r in privacy.REASONS) != raw["belum_terpetakan"]
            or privacy.small(shown, t).any() or bad_share.any()):
        return None
    group = pd.array(groups, dtype="str")
    cols = values.T
    counts = pd.DataFrame({"group": group, **{c: cols[j] for j, c in enumerate(CELLS)}, "krs_persen": shares[:, 1]})
    mask = hidden.T
    shown_df = pd.DataFrame({"group": group.copy(), **{c: pd.arrays.IntegerArray(cols[j].copy(), mask[j].copy())
                                                      for j, c in enumerate(CELLS)},
                             "krs_persen": shares[:, 0].copy()})
    return shown_df, counts.copy(), raw


_PUBLISHED_SQL = ("SELECT groups, counts, hidden, shares, raw FROM published_pool WHERE cache_key = $k AND "
                  "stamp = $closed AND scope_key = $scope AND grouping = $by AND threshold = $th AND version = $v")


def _read_published(con, key, closed: int | None, scope: Scope, filters: Filters, by: str, t: int):
    """(shown, counts, raw) of the view as the write path published it, or None when it did not (or the row is
    not whole: ``_decoded``). ``closed``: the period's close/reopen stamp (``population.lookup_closed``)."""
    scope_k = _published_view(scope, filters, by) if key and closed is not None else None
    if scope_k is None:
        return None
    try:
        version = published_version()
    except Exception:               # (never seen; the reader then suppresses as it did before tables were published)
        log.exception("the published tables' code version cannot be computed; suppressed at read time")
        return None
    row = store.query_one(con, _PUBLISHED_SQL, {"k": key, "closed": closed, "scope": scope_k, "by": by, "th": t,
                                                "v": version})
    if row is None:
        return None
    got = _decoded(row, t)
    if got is None:
        log.warning("published pool table of %s (%s, %s) is not whole; suppressed at read time", key, scope_k, by)
    return got


def published_scopes(con, threshold: int) -> list[Scope]:
    """The masked scopes the write path publishes tables for: every instansi, and the instansi limits of every
    active account not limited to OPDs (every role's presentation mode masks), in ``scope_key`` order."""
    df = store.query_df(con, "SELECT DISTINCT list_sort(instansi) AS i FROM app_user WHERE active AND len(opd) = 0 "
                             "AND len(instansi) > 0")
    limits = [None, *(frozenset(i) for i in df["i"])]
    scopes = [Scope(instansi=lim, mask_identity=True, min_group=threshold, may_unmask=False) for lim in limits]
    return sorted(scopes, key=scope_key)


def _current(con, rs: RuleSet) -> dict[int, tuple[str, int]]:
    """Per period with a score-cache entry of ``rs``: its key and close/reopen stamp."""
    out = {}
    for period in population.periods(con):
        key, _ = population.lookup(con, Filters(period=period), rs)
        if key:
            out[period] = (key, population.closed_stamp(con, period))
    return out


def build_published(con, threshold: int) -> None:
    """The pool tables a masked view without a sidebar filter reads (sql/020-021), for every period's score-cache
    entry of the active rule set, every ``published_scopes`` and ``PUBLISHED_BY``, at ``threshold`` (the builder
    ``derived.publish_pool`` passes the settings' ``min_group``), by this code (``published_version``). Suppressed by
    the function the reader would call (``_suppressed``), outside the write lock; stored under it when the data,
    rules and calibration it was built for are still current. Dropped: tables of another entry, stamp or code
    version, of limits no active account has any more, and rows that are not whole (rebuilt). Tables of another
    threshold stay while their entry is current (a CLI run with another setting does not undo the dashboard's).
    Idempotent."""
    from . import rulesets

    t = privacy.threshold(Scope(min_group=threshold))
    version = published_version()
    rs = rulesets.active(con)
    stored = store.query_df(con, "SELECT cache_key, stamp, scope_key, grouping, threshold, version, groups, counts, "
                                 "hidden, shares, raw FROM published_pool")
    have, broken = set(), []
    for r in stored.itertuples(index=False):
        at = tuple(r[:6])
        if r.version == version and _decoded(tuple(r[6:]), int(r.threshold)) is None:
            broken.append(at)
        else:
            have.add(at)
    current = _current(con, rs)
    scopes = published_scopes(con, t) if t else []
    rows = []
    for period, (key, stamp) in current.items():
        for scope in scopes:
            for by in PUBLISHED_BY:
                at = (key, stamp, scope_key(scope), by, t, version)
                if at not in have:
                    shown, counts, raw = _suppressed(con, scope, Filters(period=period), rs, by, t, key,
                                                     population.calibration_stamp(con, period))
                    rows.append((*at, *_encoded(shown, counts), json.dumps(raw), store.now()))
    with store.WRITE_LOCK:
        if rulesets.active(con) != rs:          # another rule set was activated meanwhile: its refresh publishes
            return
        now = _current(con, rs)                 # (an import or a close may have landed while this one computed)
        live = set(now.values())
        keys = {scope_key(s) for s in published_scopes(con, t)} if t else set()
        stale = broken + [at for at in have
                          if (at[0], at[1]) not in live or at[5] != version or (at[4] == t and at[2] not in keys)]
        rows = [r for r in rows if (r[0], r[1]) in live]
        if not rows and not stale:
            return
        with store.transaction(con) as cur:
            for at in stale:
                cur.execute("DELETE FROM published_pool WHERE cache_key = ? AND stamp = ? AND scope_key = ? AND "
                            "grouping = ? AND threshold = ? AND version = ?", list(at))
            for r in rows:              # (a concurrent build of the same key: the first stays)
                cur.execute("INSERT INTO published_pool VALUES (" + ", ".join("?" * len(r)) + ") "
                            "ON CONFLICT DO NOTHING", list(r))


def shares(df: pd.DataFrame) -> pd.DataFrame:
    """Box shares within each group's placed employees (NaN where counts are hidden)."""
    placed = df[BOX_COLS].sum(axis=1, min_count=9).astype(float)
    out = df[["group"]].copy()
    for c in BOX_COLS:
        out[c] = df[c].astype(float) / placed.where(placed > 0)
    return out


# --- bench strength -----------------------------------------------------------------------------

# the retirement age (BUP) of each employee's post, from rules.BUP_RULES
BUP_SQL = ("CASE " + " ".join(
    "WHEN " + " OR ".join(("e.eselon LIKE " + _lit(x + "%")) if col == "eselon" else ("e.jabatan ILIKE " + _lit("%" + x + "%"))
                          for x in values) + " THEN " + _lit(age)
    for col, values, age in rules.BUP_RULES) + " ELSE " + _lit(rules.BUP_LAIN) + " END")
MANAGERIAL_SQL = "(e.jenis_jabatan = 'Struktural' OR e.eselon IS NOT NULL)"


def bench_strength(con, scope: Scope, filters: Filters, rs: RuleSet,
                   as_of: dt.date | None = None) -> pd.DataFrame:
    """Per OPD: managerial positions (JPT, Administrator, Pengawas), their holders reaching BUP within
    ``rules.BUP_HORIZON_YEARS`` of ``as_of``, KRS members, and KRS members per position. Weakest first."""
    as_of = as_of or dt.date.today()
    # each row's name in the pool table by OPD (its KRS count is the pool's, suppressed as there): "OPD (instansi)"
    # over several instansi (review 13, M2: looked up by the plain name, every office's KRS was hidden)
    label = grouping(con, scope, privacy.published_filters(scope, filters), "opd")
    select = """
        SELECT e.instansi, e.opd, """ + label + """ AS pool_group,
               count(*) FILTER (""" + MANAGERIAL_SQL + """) AS jabatan_manajerial,
               count(*) FILTER (e.eselon LIKE 'I.%' OR e.eselon LIKE 'II.%') AS jpt,
               count(*) FILTER (e.eselon LIKE 'III.%') AS administrator,
               count(*) FILTER (e.eselon LIKE 'IV.%') AS pengawas,
               count(*) FILTER (""" + MANAGERIAL_SQL + """ AND e.tanggal_lahir IS NOT NULL
                                AND """ + rules.retirement_date_sql("e.tanggal_lahir", BUP_SQL) + """
                                    <= $as_of + to_years($bup_years)) AS pensiun_2_tahun,
               count(*) FILTER (list_contains($krs_boxes, e.kotak)) AS krs,
               count(*) FILTER (list_contains($krs_boxes, e.kotak) AND """ + MANAGERIAL_SQL + """) AS krs_pejabat
        FROM final e
        GROUP BY ALL HAVING count(*) FILTER (""" + MANAGERIAL_SQL + """) > 0"""
    df = population.query(con, scope, filters, rs, select,
                          {"as_of": as_of, "bup_years": rules.BUP_HORIZON_YEARS, **talentmap.KRS_PARAMS})
    t = privacy.threshold(scope)
    if t:
        df = _suppress_bench(df, pool_table(con, scope, filters, rs, "opd"), t)
    df = df.drop(columns="pool_group")
    df["krs_per_jabatan"] = df["krs"].astype(float) / df["jabatan_manajerial"].astype(float)
    df["tanpa_suksesor"] = (df["krs"] == 0).astype("boolean")
    return df.sort_values(["krs_per_jabatan", "pensiun_2_tahun", "instansi", "opd"],
                          ascending=[True, False, True, True]).reset_index(drop=True)


BENCH_COUNTS = ("jabatan_manajerial", "jpt", "administrator", "pengawas", "pensiun_2_tahun", "krs", "krs_pejabat")


def _suppress_bench(df: pd.DataFrame, pool_by_opd: pd.DataFrame, t: int) -> pd.DataFrame:
    """Bench counts below ``t`` hidden, with complementary counts so that none can be worked out from the sums a
    reader knows per OPD: the managerial posts are JPT + Administrator + Pengawas (+ the structural posts of no
    such eselon, unpublished; a reader takes them as 0 when they are), the holders reaching BUP and the others
    (unpublished) make up the posts, the KRS officials and the other KRS members (unpublished) make up the KRS,
    whose count is the Talent Pool's, suppressed as there. A row of fewer than ``t`` posts is hidden whole."""
    out = df.copy()
    shown_krs = pool_by_opd.drop_duplicates("group", keep=False).set_index("group")["krs"]
    unique = ~df["pool_group"].duplicated(keep=False)
    krs_hidden = [not u or pd.isna(shown_krs.get(o, pd.NA)) for o, u in zip(df["pool_group"], unique)]
    fig = privacy.Figures()
    cells, whole = [], []
    for k, r in enumerate(df[list(BENCH_COUNTS)].astype("int64").itertuples(index=False)):
        post, jpt, adm, peng, pensiun, krs, krs_pejabat = r
        idx = {c: fig.add(v) for c, v in zip(BENCH_COUNTS, r)}
        rest = post - jpt - adm - peng
        fig.sum(idx["jabatan_manajerial"], [idx["jpt"], idx["administrator"], idx["pengawas"],
                                            fig.add(rest, published=rest == 0)])
        fig.sum(idx["jabatan_manajerial"], [idx["pensiun_2_tahun"], fig.add(post - pensiun, published=False)])
        fig.sum(idx["krs"], [idx["krs_pejabat"], fig.add(krs - krs_pejabat, published=False)])
        fig.fix(idx["krs"], krs_hidden[k] or post < t)
        fig.fix(idx["jabatan_manajerial"], post < t)
        if post < t:
            whole += idx.values()
        cells.append(idx)
    hide = fig.protect(t, whole)
    for c in BENCH_COUNTS:
        col = df[c].astype("Int64")
        out[c] = col.mask(np.array([bool(hide[idx[c]]) for idx in cells], bool), pd.NA)
    return out


# --- movement between two periods ----------------------------------------------------------------

def movement(con, scope: Scope, filters: Filters, period_from: int, period_to: int, rs: RuleSet) -> pd.DataFrame:
    """10 x 10 transition matrix from the box at ``period_from`` to the box at ``period_to`` (0 = belum)."""
    return talentmap.transitions(con, scope, filters, (period_from, rs), (period_to, rs))


MOVES = ("naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi")


def movement_by_group(con, scope: Scope, filters: Filters, period_from: int, period_to: int, rs: RuleSet,
                      by: str = "opd") -> pd.DataFrame:
    """Per group: employees placed in both periods who moved up (to a higher box number), stayed, or
    moved down; plus newly placed and no longer placed."""
    filters = privacy.published_filters(scope, filters)
    pairs = talentmap.compare(con, scope, filters, (period_from, rs), (period_to, rs),
                              grouping(con, scope, filters, by))
    both = (pairs["dari"] > 0) & (pairs["ke"] > 0)
    pairs["arah"] = np.select(
        [both & (pairs["ke"] > pairs["dari"]), both & (pairs["ke"] == pairs["dari"]),
         both & (pairs["ke"] < pairs["dari"]), (pairs["dari"] == 0) & (pairs["ke"] > 0),
         (pairs["dari"] > 0) & (pairs["ke"] == 0)],
        ["naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi"], "belum_keduanya")
    out = pairs.pivot_table(index="grp", columns="arah", values="n", aggfunc="sum", fill_value=0)
    for c in MOVES:
        if c not in out:
            out[c] = 0
    if "belum_keduanya" not in out:
        out["belum_keduanya"] = 0
    out = out[[*MOVES, "belum_keduanya"]].reset_index()
    if privacy.threshold(scope):
        # not published under masking: suppressed on its own, this table and the movement matrix (suppressed
        # with both talent maps) could be combined to work out a small total (found by the privacy property
        # test: 3 newly placed); the matrix and the deck's totals (sums of shown cells only) stay
        for c in MOVES:
            out[c] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out[["grp", *MOVES]].rename(columns={"grp": "group"}).sort_values("group").reset_index(drop=True)


def trend(con, scope: Scope, filters: Filters, periods: list[int], rs: RuleSet) -> pd.DataFrame:
    """Per period: employees in scope, placed, KRS and krs_persen, the KRS percentage of the placed (0-100;
    suppressed as each period's map)."""
    rows = []
    for t in periods:
        s = talentmap.summary(con, scope, filters.at(t), rs)
        rows.append({"periode": t, "pegawai": s["pegawai"], "terpetakan": s["terpetakan"], "krs": s["krs"],
                     "krs_persen": s["krs_persen"]})
    out = pd.DataFrame(rows, columns=["periode", "pegawai", "terpetakan", "krs", "krs_persen"])
    return out.astype({"pegawai": "Int64", "terpetakan": "Int64", "krs": "Int64", "krs_persen": float})


def strongest_weakest(table: pd.DataFrame, n: int = 5, min_placed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` groups with the highest and the lowest KRS share among groups with enough placed employees.

    Each row also carries ``terpetakan``, the group's placed employees (the size its share rests on; <NA>
    when its total or unplaced count is hidden, as the pool table shows them). The two lists never share a
    group: with fewer than ``2 n`` eligible groups the weakest list takes only those not already strongest."""
    placed = table["total"].astype("Float64") - table["belum_terpetakan"].astype("Float64")
    eligible = table.assign(terpetakan=placed.round().astype("Int64"))
    eligible = eligible[(placed.fillna(0) >= min_placed).to_numpy(dtype=bool) & table["krs_persen"].notna().to_numpy()]
    ordered = eligible.sort_values("krs_persen", ascending=False, kind="stable")
    best = ordered.head(n)
    worst = ordered.iloc[len(best):].tail(n).iloc[::-1]
    return best.reset_index(drop=True), worst.reset_index(drop=True)


def ranking_by(con, scope: Scope, filters: Filters) -> str:
    """The grouping of the strongest/weakest lists: ``unit_kerja`` when the view holds one OPD of one instansi
    (one chosen in the filter, or an account limited to one OPD; "Dinas Kesehatan" of two instansi is two OPD),
    else ``opd``."""
    one = len(filters.opd) == 1 or (not filters.opd and scope.opd is not None and len(scope.opd) == 1)
    return "unit_kerja" if one and view_extent(con, scope, privacy.published_filters(scope, filters))[1] <= 1 else "opd"
