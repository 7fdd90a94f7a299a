"""Ringkasan and Talent Pool in a real browser: figures render, a heatmap click lists employees."""
import re

from .conftest import wait_ready


def test_ringkasan_renders_without_a_click(page, server):
    page.goto(server.url + "/")
    page.get_by_role("heading", name="Ringkasan Manajemen Talenta 2025").wait_for()
    wait_ready(page)
    value = page.locator("[data-testid='stMetric']").filter(has_text="ASN dalam filter") \
        .locator("[data-testid='stMetricValue']").inner_text()
    assert value == "1.500"
    page.locator(".js-plotly-plot").nth(2).wait_for()
    assert page.locator(".js-plotly-plot").count() == 3           # small nine-box, the trend, the succession pipeline
    page.get_by_text("OPD dengan bagian KRS tertinggi").wait_for()


def test_talent_pool_heatmap_click_lists_group(page, server):
    page.goto(server.url + "/talent-pool")
    page.get_by_role("heading", name="Talent Pool 2025").wait_for()
    wait_ready(page)
    heat = page.locator(".js-plotly-plot").first
    heat.locator(".hm").first.wait_for(state="attached")
    ticks = heat.locator(".ytick text")
    labels = ticks.all_text_contents()
    assert len(labels) >= 40                                        # every OPD is a row
    top = min(range(len(labels)), key=lambda i: ticks.nth(i).bounding_box()["y"])
    # click the cell of the first group (top row), column "Kotak 5"
    plot_area = heat.locator(".nsewdrag").first.bounding_box()
    rows, cols = len(labels), 10
    x = plot_area["x"] + plot_area["width"] * (4.5 / cols)
    y = plot_area["y"] + plot_area["height"] * (0.5 / rows)
    page.mouse.click(x, y)
    page.get_by_role("heading", name=re.compile(rf"^OPD {re.escape(labels[top])}, kotak 5: ")).wait_for()

