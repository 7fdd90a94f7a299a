"""Potensi Tinggi renders in a real browser: the caveat, both charts, the flagged list."""
from .conftest import wait_ready


def test_potensi_tinggi_page(page, server):
    page.goto(server.url + "/potensi-tinggi")
    page.get_by_role("heading", name="Potensi Tinggi 2025").wait_for()
    page.get_by_text("Saran, bukan keputusan.").wait_for()
    page.get_by_role("heading", name="Pegawai yang ditandai").wait_for(timeout=90000)
    wait_ready(page)
    page.locator(".js-plotly-plot").nth(1).wait_for()
    assert page.locator(".js-plotly-plot").count() == 2
    value = page.locator("[data-testid='stMetric']").filter(has_text="Ditandai potensi tinggi") \
        .locator("[data-testid='stMetricValue']").inner_text()
    assert int(value.replace(".", "")) > 0
    # the cluster size and the flags reconcile in one sentence; the statistics wait in an expander
    page.get_by_text("beranggotakan").wait_for()
    page.get_by_text("Metode (untuk analis)").click()
    page.get_by_text("dipilih dengan BIC").wait_for()
    # the hidden-talent list is sent only when its tab is clicked
    assert page.get_by_text("tetapi tidak di kotak 7-8-9").count() == 0
    page.get_by_role("tab", name="Talenta tersembunyi").click()
    page.get_by_text("tetapi tidak di kotak 7-8-9").wait_for(timeout=60000)
    wait_ready(page)
    page.get_by_role("button", name="Unduh semua (CSV)").wait_for()
    # every assessed employee, flagged or not, reaches the analyst as a file (no command line needed)
    import pandas as pd

    page.get_by_text("setiap unduhan berisi semua baris daftarnya").wait_for()
    with page.expect_download(timeout=60000) as dl:
        page.get_by_role("button", name="Unduh semua pegawai berasesmen (CSV)").click()
    rows = pd.read_csv(dl.value.path(), dtype={"NIP": str})
    assert set(rows["Potensi tinggi"]) == {True, False}
    assert rows["NIP"].is_unique and rows["NIP"].str.fullmatch(r"\d{18}").all()
    flagged = int(rows["Potensi tinggi"].sum())
    assert flagged == int(value.replace(".", "")) and len(rows) > flagged
