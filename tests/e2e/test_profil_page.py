"""Profil Talenta in a real browser: from a box's list of people (select a row, "Buka profil") to the
person's page, and a link /profil?nip=... that survives the login page."""
import re

from talenta import rulesets, store, talentmap
from talenta.scope import Filters, Scope

from .conftest import wait_ready
from .test_peta_page import _grid_cell_centre


def _first_of_box(db, kotak: int) -> tuple[str, str]:
    con = store.connect(db, read_only=True)
    try:
        df = talentmap.placements(con, Scope(), Filters(period=2025).at(2025), rulesets.active(con), kotak=kotak)
    finally:
        con.close()
    return df.iloc[0]["nip"], df.iloc[0]["nama"]


def test_open_a_profile_from_the_box_list(page, server, demo_db_file):
    nip, nama = _first_of_box(demo_db_file, 9)
    page.goto(server.url + "/peta-talenta")
    page.get_by_role("heading", name="Peta Talenta 2025").wait_for()
    wait_ready(page)
    page.locator(".js-plotly-plot .annotation-text").first.wait_for()
    x, y = _grid_cell_centre(page, 9)
    page.mouse.click(x, y)
    page.get_by_role("heading", name=re.compile(r"^Kotak 9 ")).wait_for()
    wait_ready(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)          # the selection box of the first row
    button = page.get_by_role("button", name=re.compile(r"^Buka profil"))
    button.wait_for()
    assert nip in button.inner_text()
    button.click()
    page.get_by_role("heading", name=re.compile(r"^Profil Talenta")).wait_for()
    wait_ready(page)
    page.get_by_role("heading", name=re.compile(re.escape(nama))).wait_for()
    assert page.get_by_text(f"NIP {nip}").count() >= 1
    page.locator(".js-plotly-plot").first.wait_for()                 # the box-per-period chart (drawn after the text)


def test_a_link_to_a_profile_survives_the_login(page, server, demo_db_file):
    nip, nama = _first_of_box(demo_db_file, 5)
    page.goto(server.url + f"/profil?nip={nip}")
    page.get_by_role("heading", name=re.compile(r"^Profil Talenta")).wait_for(timeout=60000)
    wait_ready(page)
    page.get_by_role("heading", name=re.compile(re.escape(nama))).wait_for()
