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
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in prs.slides]
    assert titles[0] == "Peta Talenta ASN 2025" and "Yang perlu diputuskan" in titles
    assert titles[-1].startswith("Lampiran · ")       # the method after the decisions
    assert dl.value.suggested_filename == "talenta_2025.pptx"
