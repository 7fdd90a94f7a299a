"""A real browser: the Komite Talenta member calibrates one person and the Peta Talenta changes."""
import re

import pytest

from talenta import rulesets, store, talentmap
from talenta.scope import Filters, Scope

from .conftest import _tab, wait_ready


@pytest.fixture
def komite_page(browser, server, request):
    """A browser tab whose ``goto`` signs in as the demo ``komite`` first."""
    yield from _tab(browser, server, request, "komite")


def _box5_nip(db) -> str:
    con = store.connect(db, read_only=True)
    try:
        rs = rulesets.active(con)
        return talentmap.placements(con, Scope(), Filters(period=2025).at(2025), rs, kotak=5, limit=1)["nip"].iloc[0]
    finally:
        con.close()


def _count(page, kotak: int) -> int:
    page.locator(".js-plotly-plot .annotation-text").first.wait_for()
    cells = page.locator(".js-plotly-plot").first.locator(".annotation-text").all_text_contents()
    return int(cells[cells.index(f"Kotak {kotak}") + 2].replace(".", ""))


def _choose(page, label: str, option: str) -> None:
    """Type into a select box and take the first match (the option list may open outside the viewport)."""
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).locator("input")
    box.click()
    box.fill(option)
    page.get_by_role("option").first.wait_for()
    box.press("Enter")


def test_komite_calibrates_one_person_and_the_map_changes(komite_page, server, demo_db_file):
    page = komite_page
    nip = _box5_nip(demo_db_file)
    page.goto(server.url + "/peta-talenta")
    page.get_by_role("heading", name="Peta Talenta 2025").wait_for()
    wait_ready(page)
    _choose(page, "Dasar kotak", "Terkalibrasi")
    wait_ready(page)
    page.get_by_text(re.compile("Dasar kotak: terkalibrasi")).first.wait_for()
    before9, before5 = _count(page, 9), _count(page, 5)

    page.locator("[data-testid='stSidebar']").get_by_role("link", name="Kalibrasi").click()
    page.get_by_role("heading", name="Kalibrasi 2025").wait_for()
    wait_ready(page)
    page.get_by_label("NIP pegawai").fill(nip)
    _choose(page, "Ke kotak", "Kotak 9")
    _choose(page, "Kode alasan", "Hasil wawancara")
    page.get_by_label("Alasan (wajib)").fill("Wawancara Komite: memimpin program lintas OPD")
    page.get_by_role("button", name="Pindahkan").click()
    page.get_by_text(re.compile(r"dipindahkan dari kotak 5 ke kotak 9")).wait_for(timeout=60000)
    wait_ready(page)

    page.locator("[data-testid='stSidebar']").get_by_role("link", name="Peta Talenta").click()
    page.get_by_role("heading", name="Peta Talenta 2025").wait_for()
    wait_ready(page)
    page.get_by_text(re.compile("Dasar kotak: terkalibrasi")).first.wait_for()
    assert (_count(page, 9), _count(page, 5)) == (before9 + 1, before5 - 1)
