"""The movement matrix counts the boxes of the basis the maps beside it show (review 20b, 6): it read the computed
boxes while the talent maps it is protected with followed the sidebar's basis (a masked view: the calibrated one
once a session is closed), so its column sums disagreed with the map on the same screen."""
import pytest

from talenta import accounts, actions, population, rulesets, store, talentmap
from talenta.scope import Filters, Scope

A, B = 2024, 2025


def _sums(con, filters, live):
    rs = rulesets.active(con)
    ctx = population.scoring_live() if live else None
    if ctx:
        ctx.__enter__()
    try:
        m = talentmap.matrix(talentmap.compare(con, Scope(), filters, (A, rs), (B, rs)))
        maps = [talentmap.raw_figures(con, Scope(), filters.at(t), rs) for t in (A, B)]
    finally:
        if ctx:
            ctx.__exit__(None, None, None)
    return m, maps


@pytest.mark.parametrize("live", [False, True])
def test_the_matrix_margins_are_the_maps_of_its_basis(db_copy, live):
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    people = talentmap.placements(con, Scope(), Filters(period=B, basis="terhitung").at(B), rs, kotak=5, placed=True)
    komite = accounts.active_user(con, "komite")
    for nip in people["nip"].head(4):
        actions.calibrate(con, komite, Scope(), B, rs, nip, 9, "wawancara", "uji")
    actions.close_calibration(con, accounts.active_user(con, "pimpinan"), people["instansi"].iloc[0], B)
    for basis in ("terhitung", "otomatis", "terkalibrasi"):
        m, (fa, fb) = _sums(con, Filters(period=B, basis=basis), live)
        assert [int(m.loc[b].sum()) for b in range(1, 10)] == [fa[f"kotak_{b}"] for b in range(1, 10)], basis
        assert [int(m[b].sum()) for b in range(1, 10)] == [fb[f"kotak_{b}"] for b in range(1, 10)], basis
    computed, _ = _sums(con, Filters(period=B, basis="terhitung"), live)
    calibrated, _ = _sums(con, Filters(period=B, basis="otomatis"), live)
    assert int(calibrated[9].sum()) == int(computed[9].sum()) + 4 and int(calibrated[5].sum()) == int(computed[5].sum()) - 4
