"""A real click on a nine-box cell lists that cell's employees; the sidebar switches pages."""
import re

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
