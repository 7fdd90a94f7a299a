"""A deck is built and downloaded in the real browser, and opens with python-pptx."""
from pptx import Presentation

from .conftest import wait_ready


def test_download_deck(page, server):
    page.goto(server.url + "/ekspor")
    page.get_by_role("heading", name="Ekspor dan presentasi").wait_for()
    wait_ready(page)
    page.get_by_role("button", name="Buat bahan rapat (PPTX)").click()
    button = page.get_by_role("button", name=__import__("re").compile(r"^Unduh talenta_2025\.pptx"))
    button.wait_for(timeout=120000)
    with page.expect_download(timeout=60000) as dl:
        button.click()
    path = dl.value.path()
    prs = Presentation(path)
    assert len(prs.slides) == 8
    assert dl.value.suggested_filename == "talenta_2025.pptx"
