"""Real browser: open a target post on the Suksesi page and compare two of its candidates side by side."""
from __future__ import annotations

import re
import shutil

import pytest

from talenta import store
from tests import succession_data as sd
from tests.e2e.conftest import ARTIFACTS, Server, _signing_in, wait_ready


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
        # open another post than the first one offered
        first = pg.locator("h3").filter(has_text=" · ").first
        first.wait_for()
        before = first.inner_text()
        wait_ready(pg)
        option = pg.get_by_role("option").nth(1)
        for _ in range(6):                   # a click during a rerun may not open the list: try again
            pg.locator("[data-testid='stSelectbox']").filter(has_text="Pilih jabatan target").click()
            try:
                option.wait_for(timeout=10000)
                break
            except Exception:
                pg.keyboard.press("Escape")
                wait_ready(pg)
        opd, rest = option.inner_text().split(" · ", 1)
        jabatan = rest.rsplit(" (", 1)[0]
        option.click()
        heading = pg.locator("h3").filter(has_text=f"{jabatan} · {opd}").first
        heading.wait_for()
        assert heading.inner_text() != before
        # the comparison opens with the candidates ranked 1 and 2
        cmp = pg.locator("[data-testid='stMultiSelect']").filter(has_text="Bandingkan 2-4 kandidat")
        for _ in range(720):                 # the previous post's widget stays until the rerun ends
            if cmp.count() == 1:
                break
            pg.wait_for_timeout(250)
        cmp = cmp.last
        cmp.get_by_text(re.compile(r"^2\. ")).first.wait_for()
        pg.get_by_text("Perbandingan", exact=False).first.wait_for()
        grid = pg.locator("[data-testid='stDataFrame']").filter(has_text="Pengalaman jabatan")
        grid.wait_for()
        wait_ready(pg)
        for _ in range(40):                  # the widget and the grid are redrawn by one rerun: read until they agree
            tags = [t for t in cmp.inner_text().split("\n") if re.match(r"^\d+\. ", t)]
            shown = grid.text_content()
            if len(tags) == 2 and tags[0] in shown and tags[1] in shown:
                break
            pg.wait_for_timeout(250)
        assert len(tags) == 2 and tags[0].startswith("1. ") and tags[1].startswith("2. ")
        grid.scroll_into_view_if_needed()
        text = grid.text_content()
        for row in ("Pendidikan", "Pengalaman jabatan", "Kesiapan", "Skor"):
            assert row in text
        assert tags[0] in text and tags[1] in text           # one column per compared candidate
        pg.screenshot(path=str(ARTIFACTS / "suksesi_compare.png"), full_page=True)
    finally:
        ctx.close()
    log = succ_server.log_text()
    assert "Uncaught app execution" not in log and 'views/suksesi.py"' not in log, log[-3000:]
