"""Presentation mode in a real browser at 1920 x 1080: every step fits the screen, keeps the OPD filter and the
stepper, and the sidebar is collapsed. Screenshots of each step go to the test's temporary folder."""
import re

from talenta import rulesets, store, talentmap
from talenta.demo import DEMO_PASSWORD
from talenta.scope import Filters, Scope
from talenta.ui import fmt

from .conftest import sign_in, wait_ready as _wait_ready

OPD = "Dinas Kesehatan"
TITLES = ["Ringkasan Manajemen Talenta 2025", "Bagian KRS per unit kerja 2025", "Peta Talenta 2025",
          "Talent Pool per unit kerja 2025", "Potensi Tinggi 2025"]
TOLERANCE = 4     # px
SCROLL = """() => { const m = document.querySelector('[data-testid="stMain"]');
  return {doc: document.scrollingElement.scrollHeight, view: innerHeight,
          main: m.scrollHeight, mainView: m.clientHeight}; }"""


def wait_ready(pg):
    """Streamlit's run has finished: its status widget shows neither "Running" nor the "Stop" button (until
    then the previous step's elements stay on screen, greyed)."""
    _wait_ready(pg)
    pg.wait_for_function("() => { const s = document.querySelector('[data-testid=\"stStatusWidget\"]');"
                         " return !s || !/Running|Stop/.test(s.innerText); }", timeout=120000)


def test_presentation_steps_fit_the_screen_and_keep_the_filter(browser, server, demo_db_file, tmp_path):
    con = store.connect(demo_db_file)
    expected = fmt.num(talentmap.summary(con, Scope().masked(5), Filters(period=2025, opd=(OPD,)).at(2025),
                                         rulesets.active(con))["pegawai"])
    con.close()
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="id-ID")
    pg = ctx.new_page()
    pg.set_default_timeout(120000)
    try:
        pg.goto(server.url + "/")
        pg.get_by_role("heading", name="Masuk ke Talenta").wait_for()
        sign_in(pg, "admin", DEMO_PASSWORD)
        sidebar = pg.locator("[data-testid='stSidebar']")
        sidebar.get_by_role("button", name="Keluar").wait_for()
        wait_ready(pg)
        opd = sidebar.locator("[data-testid='stMultiSelect']").filter(has_text="OPD").locator("input")
        opd.click()
        opd.fill(OPD)
        pg.keyboard.press("Enter")
        pg.keyboard.press("Escape")
        wait_ready(pg)
        sidebar.get_by_text("Mode presentasi").click()
        pg.get_by_text(f"Tampilan 1 dari {len(TITLES)}").wait_for()
        wait_ready(pg)
        assert pg.get_by_test_id("stExpandSidebarButton").is_visible()     # the sidebar is collapsed
        for i, title in enumerate(TITLES):
            pg.get_by_role("heading", name=title, exact=True).wait_for()
            pg.get_by_text(f"Tampilan {i + 1} dari {len(TITLES)}").wait_for()
            wait_ready(pg)
            if i != 1:                                               # the steps with a chart draw it
                pg.locator("[data-testid='stMain'] .js-plotly-plot").first.wait_for()
            pg.wait_for_timeout(500)
            pg.screenshot(path=str(tmp_path / f"presentasi_{i + 1}.png"))
            size = pg.evaluate(SCROLL)
            assert size["doc"] <= size["view"] + TOLERANCE, (title, size)
            assert size["main"] <= size["mainView"] + TOLERANCE, (title, size)
            main = pg.locator("[data-testid='stMain']")
            if i == 0:
                shown = main.locator("[data-testid='stMetric']").filter(has_text="ASN dalam filter") \
                    .locator("[data-testid='stMetricValue']").inner_text()
            else:
                shown = re.search(r"([\d.•]+) ASN dalam filter", main.inner_text()).group(1)
            assert shown == expected, title
            assert main.locator("[data-testid='stDownloadButton'], [data-testid='stTextInput']").count() == 0
            if i > 0:
                assert pg.locator(f".st-key-pres_prev_{i} button").is_visible()
            if i < len(TITLES) - 1:
                nxt = pg.locator(f".st-key-pres_next_{i} button")
                assert nxt.is_visible()
                nxt.click()
        assert pg.locator(".st-key-pres_next_4").count() == 0
    finally:
        ctx.close()
