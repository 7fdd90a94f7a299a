"""Cached wrappers around library queries (the cache lives here, at the UI seam)."""
from __future__ import annotations

import streamlit as st

from .. import calibration, charts, hipo, overview, pool, population, privacy, quarantine, rulesets, talentmap
from ..scope import Filters, Scope
from ..config import Settings
from .resources import get_connection

def _ttl() -> int:
    """The cache lifetime, fixed when the module loads (decorators need it). An unusable setting is reported by
    ``app.py``'s own reading of the settings, which stops the page; the default here only lets the module load."""
    from ..errors import SettingsError

    try:
        return Settings.from_env().cache_ttl_seconds
    except SettingsError:
        return Settings().cache_ttl_seconds


TTL = _ttl()


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def filter_options(scope: Scope) -> dict:
    return overview.filter_options(get_connection(), scope)


@st.cache_data(ttl=TTL, max_entries=1, show_spinner=False)
def is_demo() -> bool:
    """Whether the database is the synthetic demo (``accounts.mark_demo``)."""
    from .. import accounts

    return accounts.is_demo(get_connection())


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def period_counts():
    return overview.period_counts(get_connection())


def periods() -> list[int]:
    """The periods with SKP or assessment rows (``period_counts``: one cached scan for this and the default)."""
    return [int(t) for t in period_counts()["tahun"]]


def default_period(min_share: float) -> int | None:
    return overview.default_period(period_counts(), min_share)


def thin_period_note(period: int, min_share: float) -> str | None:
    return overview.thin_period_note(period_counts(), period, min_share)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def coverage_summary(scope: Scope, filters: Filters) -> dict:
    return overview.coverage_summary(get_connection(), scope, filters)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def coverage_by_opd(scope: Scope, filters: Filters):
    return overview.coverage_by_opd(get_connection(), scope, filters)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def per_period(scope: Scope, filters: Filters):
    return overview.per_period(get_connection(), scope, filters)


@st.cache_data(ttl=TTL, max_entries=32, show_spinner=False)
def incomplete_employees(scope: Scope, filters: Filters, limit: int):
    return overview.incomplete_employees(get_connection(), scope, filters, limit)


# rows in a download of employees with incomplete data (the screen shows ``tables.SCREEN_ROWS``)
INCOMPLETE_FILE_ROWS = 100_000


def incomplete_employees_file(scope: Scope, filters: Filters, limit: int = INCOMPLETE_FILE_ROWS):
    """For a download: a callable reading the first ``limit`` employees with incomplete data when the file is
    built (on the click, in Streamlit's worker thread, on a cursor of its own), not on every visit."""
    con = get_connection()
    return lambda: overview.incomplete_employees(con, scope, filters, limit)


@st.cache_data(ttl=60, max_entries=8, show_spinner=False)
def recent_batches(scope: Scope, limit: int = 20):
    return overview.recent_batches(get_connection(), limit, scope)


@st.cache_data(ttl=60, max_entries=8, show_spinner=False)
def rejected_rows(batch: int | None = None):
    return quarantine.rejected_rows(get_connection(), batch)


@st.cache_data(ttl=60, max_entries=4, show_spinner=False)
def last_import() -> str | None:
    """``overview.last_import``: the footnotes' date, one small query (``status`` counts every table)."""
    return overview.last_import(get_connection())


def last_import_date():
    """Date of the latest import that is not undone (None when nothing is imported)."""
    import datetime as dt

    text = last_import()
    return dt.datetime.fromisoformat(text) if text else None


@st.cache_data(ttl=60, max_entries=4, show_spinner=False)
def status() -> dict:
    return overview.status(get_connection())


# --- talent map ---------------------------------------------------------------------------------

@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def active_rule_set():
    return rulesets.active(get_connection())


@st.cache_data(ttl=TTL, max_entries=8, show_spinner=False)
def rule_set_history():
    return rulesets.history(get_connection())


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def rule_set(rule_set_id: int):
    return rulesets.get(get_connection(), rule_set_id)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def talent_summary(scope: Scope, filters: Filters, rs):
    return talentmap.summary(get_connection(), scope, filters, rs)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def box_counts(scope: Scope, filters: Filters, rs):
    return talentmap.box_counts(get_connection(), scope, filters, rs)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def unplaced_counts(scope: Scope, filters: Filters, rs):
    return talentmap.unplaced_counts(get_connection(), scope, filters, rs)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def placements(scope: Scope, filters: Filters, rs, kotak=None, placed=None, search="", limit=None,
               group=None):
    if group is not None:
        return pool.group_members(get_connection(), scope, filters, rs, group[0], group[1], kotak=kotak,
                                  placed=placed, search=search, limit=limit)
    return talentmap.placements(get_connection(), scope, filters, rs, kotak=kotak, placed=placed,
                                search=search, limit=limit)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def individuals(scope: Scope, filters: Filters, rs, limit: int = 5000):
    return talentmap.individuals(get_connection(), scope, filters, rs, limit)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def sensitivity(scope: Scope, filters: Filters, current, candidate):
    return talentmap.sensitivity(get_connection(), scope, filters, current, candidate)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def basis_note(scope: Scope, filters: Filters) -> str:
    """Which box the views show (computed or calibrated) and why; cleared by every calibration write."""
    return calibration.basis_note(get_connection(), filters, scope)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def resolved_basis(scope: Scope, filters: Filters) -> str:
    """``terhitung`` or ``terkalibrasi``: what the filters' basis means for ``filters.period`` in ``scope``."""
    return calibration.resolve_basis(get_connection(), filters, scope)


# --- talent pool --------------------------------------------------------------------------------

@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def pool_table(scope: Scope, filters: Filters, rs, by: str):
    return pool.pool_table(get_connection(), scope, filters, rs, by)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def ranking_by(scope: Scope, filters: Filters) -> str:
    return pool.ranking_by(get_connection(), scope, filters)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def bench_strength(scope: Scope, filters: Filters, rs, as_of):
    return pool.bench_strength(get_connection(), scope, filters, rs, as_of)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def movement(scope: Scope, filters: Filters, period_from: int, period_to: int, rs):
    return pool.movement(get_connection(), scope, filters, period_from, period_to, rs)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def movement_totals(scope: Scope, filters: Filters, period_from: int, period_to: int, rs):
    return talentmap.movement_totals(get_connection(), scope, filters, (period_from, rs), (period_to, rs))


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def movement_by_group(scope: Scope, filters: Filters, period_from: int, period_to: int, rs, by: str):
    return pool.movement_by_group(get_connection(), scope, filters, period_from, period_to, rs, by)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def trend(scope: Scope, filters: Filters, periods: tuple, rs):
    return pool.trend(get_connection(), scope, filters, list(periods), rs)


# --- potensi tinggi -----------------------------------------------------------------------------

@st.cache_resource(ttl=TTL, max_entries=4, show_spinner="Menghitung pengelompokan dan stabilitasnya…")
def hipo_fit(instansi: tuple | None, period: int, rs, params, version: str):
    """The model fitted on the whole instansi (``hipo.fit_population``: the write path's stored fit when it has
    this key, else fitted here), one per (instansi, period, rule set, parameters, data version), shared by every
    session and every filter: READ ONLY.

    A resource, not data: at national size the table has 3,5 million rows and ``cache_data`` unpickled a
    copy on every rerun (4,5 s).
    """
    return hipo.fit_population(get_connection(), instansi, period, rs, params)


@st.cache_resource(ttl=TTL, max_entries=8, show_spinner=False)
def hipo_result(scope: Scope, filters: Filters, rs, params):
    """The whole-instansi model's rows for the scope and filters (``hipo.restrict``): READ ONLY. Filters never
    refit; they only choose rows. Pages read ``hipo_view`` and take full lists from here for downloads."""
    period = filters.need_period()
    con = get_connection()
    try:
        whole = hipo_fit(hipo.fit_instansi(con, scope, filters), period, rs, params, population.data_version(con))
    except hipo.TooFewAssessed as exc:     # the instansi's count, read as the scope may read counts
        raise exc.for_scope(scope) from None
    return hipo.calibrated(con, hipo.restrict(whole, scope, filters), scope, filters, rs)


@st.cache_data(ttl=TTL, max_entries=16, show_spinner=False)
def hipo_view(scope: Scope, filters: Filters, rs, params, limit: int):
    """What the page shows (counts, capped lists, chart cells): small, copied per rerun cheaply. Computed in the
    database from the stored model when the write path has stored it (no model rows loaded), else from the
    model fitted here."""
    con = get_connection()
    raw_map = talentmap.raw_figures(con, scope, filters, rs) if privacy.threshold(scope) else None
    got = hipo.stored_view(con, scope, filters, rs, params, limit, raw_map)
    if got is not None:
        return got
    result = hipo_result(scope, filters, rs, params)
    return hipo.view(result, limit, scope, raw_map), charts.cluster_cells(hipo.scatter_rows(result, scope))


def hipo_decisions(period: int):
    return hipo.decisions(get_connection(), period)


@st.cache_data(ttl=TTL, max_entries=64, show_spinner=False)
def find_people(scope: Scope, text: str):
    """People in scope matching a NIP prefix or a name (the Profil Talenta search box)."""
    from .. import profile

    return profile.find(get_connection(), scope, text)
