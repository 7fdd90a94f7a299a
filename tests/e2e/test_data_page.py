"""The Data page in a real browser shows the demo counts; the sidebar filter re-runs it."""
from .conftest import wait_ready


def test_data_page_shows_demo_counts(page, server):
    page.goto(server.url + "/data")
    page.get_by_text("Data yang dimuat").wait_for()
    wait_ready(page)
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Pegawai (ASN)")
    assert metric.locator("[data-testid='stMetricValue']").inner_text() == "1.500"
    # the chart rendered with its bars (plotly draws SVG)
    page.locator(".js-plotly-plot .bars path").first.wait_for()
    assert page.locator(".js-plotly-plot .bars path").count() >= 6


def test_sidebar_filter_reruns_page(page, server):
    page.goto(server.url + "/data")
    page.get_by_text("Data yang dimuat").wait_for()
    wait_ready(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("combobox", name="OPD").click()
    page.keyboard.type("Inspektorat")
    page.get_by_role("option", name="Inspektorat").click()
    page.keyboard.press("Escape")
    page.get_by_text("OPD: Inspektorat").wait_for()
    wait_ready(page)
    value = page.locator("[data-testid='stMetric']").filter(has_text="Pegawai (ASN)") \
        .locator("[data-testid='stMetricValue']").inner_text()
    assert value != "1.500" and int(value.replace(".", "")) > 0
