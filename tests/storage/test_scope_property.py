"""For random OPD-limited accounts, every public query function and the export's data return no row, count
or name outside the account's scope, and the counts are exactly those of the account's own people."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from talenta import access, export, hipo, overview, pool, rulesets, store, talentmap
from talenta.config import Settings
from talenta.scope import Filters


@pytest.fixture(scope="module")
def con(demo_db_file):
    c = store.connect(demo_db_file, read_only=True)
    yield c
    c.close()


def _opds(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT opd FROM employee ORDER BY 1").fetchall()]


def _n(con, opds) -> int:
    return con.execute("SELECT count(*) FROM employee WHERE list_contains(?, opd)", [list(opds)]).fetchone()[0]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_opd_account_sees_only_its_own_people_everywhere(con, data):
    opds = _opds(con)
    mine = set(data.draw(st.lists(st.sampled_from(opds), min_size=1, max_size=3, unique=True)))
    user = access.User("u", "U", "opd", opd=tuple(sorted(mine)))
    scope = access.scope_for(user, presentation=False, min_group=5)
    rs, f, n = rulesets.active(con), Filters(period=2025), _n(con, mine)

    assert set(overview.filter_options(con, scope)["opd"]) == mine
    people = talentmap.placements(con, scope, f.at(2025), rs)
    assert set(people["opd"]) <= mine and len(people) == n
    s = talentmap.summary(con, scope, f.at(2025), rs)
    assert s["pegawai"] == n
    assert int(talentmap.box_counts(con, scope, f.at(2025), rs)["n"].sum()) == s["terpetakan"]
    dots = talentmap.individuals(con, scope, f.at(2025), rs)
    assert dots is None or set(dots["opd"]) <= mine
    table = pool.pool_table(con, scope, f.at(2025), rs, "opd")
    assert set(table["group"]) == mine and int(table["total"].sum()) == n
    assert set(pool.bench_strength(con, scope, f.at(2025), rs)["opd"]) <= mine
    moved = pool.movement(con, scope, Filters(), 2024, 2025, rs)
    assert int(moved.to_numpy().sum()) <= n
    assert set(pool.movement_by_group(con, scope, Filters(), 2024, 2025, rs, "opd")["group"]) <= mine
    assert (pool.trend(con, scope, Filters(), [2023, 2024, 2025], rs)["terpetakan"] <= n).all()
    assert set(overview.coverage_by_opd(con, scope, f.at(2025))["opd"]) <= mine
    assert overview.coverage_summary(con, scope, f.at(2025))["pegawai"] == n
    assert set(overview.incomplete_employees(con, scope, f.at(2025))["opd"]) <= mine
    assert set(hipo.features(con, scope, f.at(2025), rs)["opd"]) <= mine
    assert overview.status(con, scope)["employees"] == n
    # asking for another OPD through the filters gives nothing, never that OPD's people
    other = next(o for o in opds if o not in mine)
    assert talentmap.placements(con, scope, Filters(period=2025, opd=(other,)).at(2025), rs).empty
    assert talentmap.summary(con, scope, Filters(period=2025, opd=(other,)).at(2025), rs)["pegawai"] == 0


def test_the_export_of_an_opd_account_holds_only_its_opd(con):
    opds = _opds(con)
    user = access.User("u", "U", "opd", opd=(opds[0],))
    scope = access.scope_for(user, presentation=False, min_group=5)
    rs = rulesets.active(con)
    content = export.gather(con, "Pemkot", Filters(period=2025).at(2025), rs, "u", scope=scope,
                            hipo_params=Settings().hipo_params(bootstrap=2, k_max=3))
    assert set(content.pool["group"]) == {opds[0]}
    assert content.summary["pegawai"] == _n(con, {opds[0]})
    if content.hipo_list is not None and "opd" in content.hipo_list:
        assert set(content.hipo_list["opd"]) <= {opds[0]}
