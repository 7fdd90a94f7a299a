"""A real click on a nine-box cell lists that cell's employees; the sidebar switches pages."""
import collections
import io
import re

import pandas as pd

from talenta import rulesets, store, talentmap
from talenta.scope import Filters, Scope

from .conftest import wait_ready


def _grid_cell_centre(page, kotak: int):
    """Screen position near the middle of the cell of ``kotak``, from the cell's rectangle."""
    rect = page.locator(".js-plotly-plot .shapelayer path").nth(kotak - 1)
    rect.wait_for(state="attached")
    box = rect.bounding_box()
    return box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.7   # off-centre on purpose


def test_click_on_cell_lists_its_employees(page, server):
    page.goto(server.url + "/peta-talenta")
    page.get_by_role("heading", name="Peta Talenta 2025").wait_for()
    wait_ready(page)
    page.locator(".js-plotly-plot .annotation-text").first.wait_for()
    cell_text = page.locator(".js-plotly-plot .annotation-text").all_text_contents()
    count_9 = int(cell_text[cell_text.index("Kotak 9") + 2].replace(".", ""))
    x, y = _grid_cell_centre(page, 9)
    page.mouse.click(x, y)
    page.get_by_role("heading", name=re.compile(r"^Kotak 9 \(Kinerja di atas ekspektasi")).wait_for()
    wait_ready(page)
    page.get_by_text("Dipromosikan dan dipertahankan").first.wait_for()
    caption = page.get_by_text(re.compile(r"^\d[\d.]* pegawai · Aturan #1")).inner_text()
    assert int(caption.split(" ")[0].replace(".", "")) == count_9 > 0
    assert page.locator("[data-testid='stDataFrame']").count() >= 1


def _search_term(db) -> str:
    """A name part shared by a few of box 9's employees in the demo database (not by all of them)."""
    con = store.connect(db, read_only=True)
    try:
        rs = rulesets.active(con)
        box9 = talentmap.placements(con, Scope(), Filters(period=2025).at(2025), rs, kotak=9)
    finally:
        con.close()
    words = collections.Counter(w for n in box9["nama"] for w in set(n.lower().split()) if len(w) > 3)
    return next(w for w, n in words.most_common() if 2 <= n < len(box9) // 2)


def _caption_count(page) -> int:
    text = page.get_by_text(re.compile(r"^\d[\d.]* pegawai · Aturan #1")).inner_text()
    return int(text.split(" ")[0].replace(".", ""))


def test_search_after_a_click_keeps_the_box_and_filters_its_list(page, server, demo_db_file):
    term = _search_term(demo_db_file)
    page.goto(server.url + "/peta-talenta")
    page.get_by_role("heading", name="Peta Talenta 2025").wait_for()
    wait_ready(page)
    page.locator(".js-plotly-plot .annotation-text").first.wait_for()
    page.mouse.click(*_grid_cell_centre(page, 9))
    heading = page.get_by_role("heading", name=re.compile(r"^Kotak 9 \(Kinerja di atas ekspektasi"))
    heading.wait_for()
    wait_ready(page)
    everyone = _caption_count(page)
    box = page.get_by_label("Cari NIP, nama, OPD atau jabatan")
    box.fill(term)
    box.press("Enter")
    narrowed = page.get_by_text(re.compile(r"^\d[\d.]* pegawai · Aturan #1")).filter(
        has_not_text=re.compile(rf"^{everyone:,} ".replace(",", ".")))
    dropped = page.get_by_text("Klik sebuah kotak untuk melihat")
    narrowed.or_(dropped).first.wait_for()                # the rerun after Enter has drawn the page
    wait_ready(page)
    assert dropped.count() == 0, "the search dropped the chosen box"
    assert heading.is_visible()
    found = _caption_count(page)
    assert 2 <= found < everyone
    # the download carries the same filtered list of box 9, and the list stays
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh CSV").click()
    rows = pd.read_csv(io.BytesIO(open(dl.value.path(), "rb").read()), dtype=str, encoding="utf-8-sig")
    assert len(rows) == found and set(rows["Kotak"]) == {"9"}          # Indonesian headers (labels.py)
    searched = rows["Nama"] + " " + rows["NIP"] + " " + rows["OPD"] + " " + rows["Jabatan"].fillna("")
    assert searched.str.lower().str.contains(term, regex=False).all()
    wait_ready(page)
    assert heading.is_visible() and _caption_count(page) == found
    # building the file left one audit row for the signed-in admin (the log as the Pengguna page downloads it)
    page.goto(server.url + "/pengguna")
    page.get_by_role("heading", name="Pengguna dan log audit").wait_for()
    page.get_by_role("tab", name="Log audit").click()
    wait_ready(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh CSV").click()
    log = pd.read_csv(io.BytesIO(open(dl.value.path(), "rb").read()), dtype=str, encoding="utf-8-sig")
    ours = log[(log.iloc[:, 3] == "download") & (log.iloc[:, 4] == "peta kotak 9")]
    assert len(ours) == 1, log.head(5).to_string()
    assert ours.iloc[0, 1] == "admin" and f'"baris": {found}' in ours.iloc[0, 5]


def test_sidebar_navigation_switches_pages(page, server):
    page.goto(server.url + "/")
    page.get_by_role("heading", name="Ringkasan Manajemen Talenta 2025").wait_for()
    page.locator("[data-testid='stSidebarNav']").get_by_text("Peta Talenta", exact=True).click()
    page.get_by_role("heading", name="Peta Talenta 2025").wait_for()
    assert page.url.endswith("/peta-talenta")
    page.locator("[data-testid='stSidebarNav']").get_by_text("Data", exact=True).click()
    page.get_by_role("heading", name="Data yang dimuat").wait_for()
    assert page.url.endswith("/data")
    page.locator("[data-testid='stSidebarNav']").get_by_text("Aturan", exact=True).click()
    page.get_by_role("heading", name="Aturan penilaian").wait_for()
    wait_ready(page)
    assert page.get_by_text("Skor kinerja").count() >= 1
