"""Real browser, a database whose OPD names hold markup: they show as typed, nothing is linked or fetched."""
import pytest

from talenta import escape
from tests import hostile_db

from .conftest import ARTIFACTS, CHROMIUM, Server, wait_ready

TRAP = "127.0.0.1:9"          # every address in the hostile names points here (the discard port)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """This module's own server, on the hostile database (built by importing generated CSV files)."""
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: `make test` installs it as root (apt-get install chromium)")
    d = tmp_path_factory.mktemp("hostile_e2e")
    db = hostile_db.build(d / "talenta.duckdb", d / "files")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    srv = Server(db, ARTIFACTS / "streamlit_hostile.log")
    yield srv
    srv.stop()


@pytest.fixture
def requests_to_trap(page):
    seen = []
    page.on("request", lambda r: seen.append(r.url) if TRAP in r.url else None)
    return seen


def test_pool_heatmap_shows_markup_in_opd_names_as_text(page, server, requests_to_trap):
    page.goto(server.url + "/talent-pool")
    page.get_by_role("heading", name="Talent Pool 2025").wait_for()
    wait_ready(page)
    heat = page.locator(".js-plotly-plot").first
    heat.locator(".hm").first.wait_for(state="attached")
    labels = heat.locator(".ytick text").all_text_contents()
    assert hostile_db.LINK_OPD in labels and hostile_db.BOLD_OPD in labels and hostile_db.IMAGE_OPD in labels
    assert heat.locator("svg a").count() == 0                   # plotly draws <a href> as a live link
    assert page.locator(f"a[href*='{TRAP}'], img[src*='{TRAP}']").count() == 0
    assert requests_to_trap == []


def test_hostile_opd_chosen_in_the_sidebar_fetches_nothing(page, server, requests_to_trap):
    page.goto(server.url + "/")
    page.get_by_role("heading", name="Ringkasan Manajemen Talenta 2025").wait_for()
    wait_ready(page)
    opd = page.get_by_test_id("stSidebar").locator("[data-testid='stMultiSelect']").filter(has_text="OPD")
    opd.locator("input").click()
    opd.locator("input").fill("Dinas Gambar")
    page.keyboard.press("Enter")
    caption = page.get_by_text("Filter aktif:").filter(has_text="Dinas Gambar")
    caption.wait_for()
    wait_ready(page)
    shown = caption.inner_text().replace(escape.WORD_JOINER, "")
    assert hostile_db.IMAGE_OPD in shown                          # shown as typed, image syntax included
    assert page.locator(f"a[href*='{TRAP}'], img[src*='{TRAP}']").count() == 0
    value = page.locator("[data-testid='stMetric']").filter(has_text="ASN dalam filter") \
        .locator("[data-testid='stMetricValue']").inner_text()
    assert value == "10"                                          # the filter still selects that OPD's people
    assert requests_to_trap == []
