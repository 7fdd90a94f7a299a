"""A small count is never broken down for a masked scope (``privacy._hide_breakdowns``): a filter leaving five
people of whom one to four are placed showed eight boxes at 0 beside one hidden box to ``tamu``, which told the
meeting that every placed person of that group sits in that box. Checked on every such group of the demo, on
every figure a page shows of it: the grid, the headline, the unplaced reasons and the group's row in the pool."""
import pytest

from talenta import access, pool, population, privacy, rulesets, store, talentmap
from talenta.scope import Filters, Scope

T = 5
TAMU = access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=T)
# a presenter's masked view: the presenter chooses the filters (a guest chooses none: privacy.published_filters)
PRESENTER = access.scope_for(access.User("k", "k", "komite"), presentation=True, min_group=T)
BOXES = [f"kotak_{i}" for i in range(1, 10)]


@pytest.fixture(scope="module")
def con(demo_db_file):
    c = store.connect(demo_db_file, read_only=True)
    yield c
    c.close()


def _few_placed(con, rs):
    """(opd, jenis jabatan, size, placed, unplaced) of every group of at least five with one to four placed."""
    return population.query(con, Scope(), Filters(period=2025).at(2025), rs,
                            "SELECT opd, jenis_jabatan, count(*) AS n, count(kotak) AS placed, "
                            "count(*) - count(kotak) AS unplaced FROM final GROUP BY ALL "
                            "HAVING n >= $t AND count(kotak) BETWEEN 1 AND $t - 1 ORDER BY opd, jenis_jabatan",
                            {"t": T})


def test_a_small_placed_count_hides_every_box_of_the_map_and_of_its_pool_row(con):
    rs = rulesets.active(con)
    groups = _few_placed(con, rs)
    assert len(groups) >= 5                                   # the demo has such groups (Kecamatan Sako: 6, 1 placed)
    for g in groups.itertuples():
        f = Filters(period=2025, opd=(g.opd,), jenis_jabatan=(g.jenis_jabatan,))
        talentmap.forget_figures()
        boxes = talentmap.box_counts(con, PRESENTER, f.at(2025), rs)
        assert boxes["n"].isna().all(), (g, boxes)           # zeros too: none tells where the few are
        head = talentmap.summary(con, PRESENTER, f.at(2025), rs)
        assert all(privacy.hidden(head[k]) for k in ("terpetakan", "krs", "kotak_9", "kotak_1")), (g, head)
        assert head["pegawai"] == g.n                         # the group's size (five or more) stays shown
        reasons = talentmap.unplaced_counts(con, PRESENTER, f.at(2025), rs)
        if g.unplaced < T:                                   # a small unplaced count: its reasons hidden, all listed
            assert len(reasons) == len(privacy.REASONS) and reasons["n"].isna().all(), (g, reasons)
        row = pool.pool_table(con, PRESENTER, f.at(2025), rs, "opd").set_index("group").loc[g.opd]
        assert all(privacy.hidden(row[b]) for b in BOXES) and privacy.hidden(row["krs"]), (g, row)


def test_a_guest_reads_one_view_whatever_filters_it_asks_for(con):
    """Review 8, D2: each filter choice was suppressed on its own, so a guest putting overlapping choices side by
    side (PNS + PPPK against PNS + Paruh Waktu) read counts of 1-4 as their difference. A guest's filters are
    dropped: every choice reads the guest's whole scope, the same figures."""
    rs = rulesets.active(con)
    talentmap.forget_figures()
    whole = talentmap.summary(con, TAMU, Filters(period=2025).at(2025), rs)
    for f in (Filters(period=2025, jenis_asn=("PNS", "PPPK")), Filters(period=2025, jenis_asn=("PNS",)),
              Filters(period=2025, opd=("Kesbangpol",), jenis_jabatan=("Struktural",))):
        assert privacy.published_filters(TAMU, f) == Filters(period=2025)
        talentmap.forget_figures()
        assert talentmap.summary(con, TAMU, f.at(2025), rs) == whole
    presenter = Filters(period=2025, jenis_asn=("PNS",))        # a presenter's choice stands
    assert privacy.published_filters(PRESENTER, presenter) == presenter


def test_the_unfiltered_pool_hides_the_boxes_of_every_group_with_few_placed(con):
    rs = rulesets.active(con)
    counts = population.query(con, Scope(), Filters(period=2025).at(2025), rs,
                              "SELECT opd, count(kotak) AS placed FROM final GROUP BY opd")
    talentmap.forget_figures()
    table = pool.pool_table(con, TAMU, Filters(period=2025).at(2025), rs, "opd").set_index("group")
    few = counts[(counts["placed"] > 0) & (counts["placed"] < T)]["opd"]
    for opd in few:
        assert all(privacy.hidden(table.loc[opd, b]) for b in BOXES), table.loc[opd]
    # the operator sees every count as it is
    plain = pool.pool_table(con, Scope(), Filters(period=2025).at(2025), rs, "opd")
    assert not plain[BOXES].isna().any().any()
