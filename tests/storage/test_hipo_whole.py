"""Potensi Tinggi is fitted on the whole instansi: filters and an OPD account only choose rows (issue 16)."""
import pandas as pd
import pytest

from talenta import hipo, rulesets, store, talentmap
from talenta.config import Settings
from talenta.scope import Filters, Scope

PARAMS = Settings().hipo_params(bootstrap=4, k_max=4, random_state=3)
KEPT = ["hipo", "confidence", "cluster", "status", "alasan", "stability"]


@pytest.fixture(scope="module")
def fitted(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs = rulesets.active(con)
    whole = hipo.fit_population(con, hipo.fit_instansi(con, Scope(), Filters(period=2025)), 2025, rs, PARAMS)
    yield con, rs, whole
    con.close()


def cases(whole):
    """Sidebar filters of every kind, alone and combined, on a large and a small OPD (values people assessed have)."""
    t = whole.table
    opd = list(t["opd"].value_counts().sort_index(kind="stable").sort_values(ascending=False, kind="stable").index)
    jj = list(t["jenis_jabatan"].value_counts().index)
    ja = list(t["jenis_asn"].value_counts().index)
    return [Filters(period=2025, opd=(opd[0],)), Filters(period=2025, opd=(opd[-1], opd[3])),
            Filters(period=2025, jenis_jabatan=(jj[-1],)), Filters(period=2025, jenis_asn=(ja[-1],)),
            Filters(period=2025, opd=(opd[0],), jenis_jabatan=(jj[0],), jenis_asn=(ja[0],))]


def test_no_filter_changes_any_flag_or_confidence_and_the_list_is_the_exact_subset(fitted):
    con, rs, whole = fitted
    base = whole.table.set_index("nip")[KEPT]
    assert whole.table["hipo"].sum() > 0
    for flt in cases(whole):
        assert hipo.fit_instansi(con, Scope(), flt) is None            # the same population whatever the filter
        r = hipo.restrict(whole, Scope(), flt)
        got = r.table.set_index("nip")[KEPT]
        # the rows are exactly the employees the filter selects in SQL (with a valid assessment)
        assert set(got.index) == set(hipo.features(con, Scope(), flt.at(2025), rs)["nip"])
        assert 0 < len(got) < len(base)
        pd.testing.assert_frame_equal(got, base.loc[got.index])
        flagged = set(r.table.loc[r.table["hipo"], "nip"])
        assert flagged == set(whole.table.loc[whole.table["hipo"], "nip"]) & set(got.index)
        v = hipo.view(r, 10)
        assert v.n == len(got) and v.n_hipo == len(flagged)


def test_the_command_line_path_refits_the_whole_instansi_and_gets_the_same_flags(fitted):
    con, rs, whole = fitted
    flt = cases(whole)[0]
    r = hipo.run(con, Scope(), flt.at(2025), rs, PARAMS)        # what `python -m talenta hipo --opd` runs
    got = r.table.set_index("nip")[KEPT]
    pd.testing.assert_frame_equal(got, whole.table.set_index("nip")[KEPT].loc[got.index])


def test_an_opd_account_sees_its_people_flagged_as_on_the_whole_instansi_and_nothing_else(fitted):
    con, rs, whole = fitted
    opd = cases(whole)[0].opd[0]
    scope = Scope(opd=frozenset({opd}))
    assert hipo.fit_instansi(con, scope, Filters(period=2025)) == tuple(
        store.query_df(con, "SELECT DISTINCT instansi FROM employee WHERE opd = ?", [opd])["instansi"])
    r = hipo.restrict(whole, scope, Filters(period=2025))
    assert set(r.table["opd"]) == {opd}
    got = r.table.set_index("nip")[KEPT]
    pd.testing.assert_frame_equal(got, whole.table.set_index("nip")[KEPT].loc[got.index])
    # no count of the rest of the instansi: cluster sizes are this OPD's, the fitted population's size is withheld
    assert r.profiles["pegawai"].sum() == len(r.table) and r.n_fit is None and r.n_population is None
    # masked, with small groups suppressed: the reconciling counts are protected with the rest of the page
    masked = scope.masked(5)
    v = hipo.view(hipo.restrict(whole, masked, Filters(period=2025)), 10, masked,
                  talentmap.raw_figures(con, masked, Filters(period=2025).at(2025), rs))
    for k in ("n_member", "n_member_unflagged", "n_flag_verify", "n_hipo"):
        x = getattr(v, k)
        assert x is pd.NA or not 0 < x < 5, (k, x)
