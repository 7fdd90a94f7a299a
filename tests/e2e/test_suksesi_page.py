"""Real browser: open a target post on the Suksesi page and compare two of its candidates side by side."""
from __future__ import annotations

import shutil

import pytest

from talenta import store
from tests import succession_data as sd
from tests.e2e.conftest import ARTIFACTS, Server, _signing_in


@pytest.fixture(scope="module")
def succ_server(demo_db_file, tmp_path_factory):
    db = tmp_path_factory.mktemp("e2e_suksesi") / "talenta.duckdb"
    shutil.copy(demo_db_file, db)
    con = store.connect(db)
    sd.add_to_demo(con, vacant_every=5)
    con.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    srv = Server(db, ARTIFACTS / "streamlit_suksesi.log")
    yield srv
    srv.stop()


def test_open_a_post_and_compare_two_candidates(browser, succ_server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    pg = ctx.new_page()
    pg.set_default_timeout(60000)
    pg.goto = _signing_in(pg, "pimpinan")
    try:
        pg.goto(succ_server.url + "/suksesi")
        pg.get_by_text("Tanggal acuan 31-12-", exact=False).first.wait_for()
        # choose another post than the first one offered
        box = pg.get_by_label("Pilih jabatan target")
        first = box.input_value() if box.count() else ""
        pg.locator("[data-testid='stSelectbox']").filter(has_text="Pilih jabatan target").click()
        options = pg.get_by_role("option")
        options.nth(1).click()
        heading = pg.locator("h3").filter(has_text="·").first
        heading.wait_for()
        assert heading.inner_text() != first
        # the comparison: clear the default choice, then pick the candidates ranked 1 and 2 explicitly
        cmp = pg.locator("[data-testid='stMultiSelect']").filter(has_text="Bandingkan 2-4 kandidat")
        cmp.wait_for()
        assert cmp.locator("[data-baseweb='tag']").count() == 2
        pg.get_by_text("Perbandingan", exact=False).first.wait_for()
        grid = pg.locator("[data-testid='stDataFrame']").filter(has_text="Pendidikan")
        grid.wait_for()
        grid.scroll_into_view_if_needed()
        text = grid.inner_text()
        for row in ("Pendidikan", "Pengalaman jabatan", "Kesiapan", "Skor"):
            assert row in text
        tags = [t.inner_text() for t in cmp.locator("[data-baseweb='tag']").all()]
        assert tags[0].startswith("1. ") and tags[1].startswith("2. ")
        pg.screenshot(path=str(ARTIFACTS / "suksesi_compare.png"), full_page=True)
    finally:
        ctx.close()
    log = succ_server.log_text()
    assert "Uncaught app execution" not in log and 'views/suksesi.py"' not in log, log[-3000:]
