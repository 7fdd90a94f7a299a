"""In a real browser: every page's own address opens that page after signing in (no "Page not found"),
and the upload box speaks Indonesian (Streamlit's own texts replaced by CSS)."""
import pytest

from .conftest import ARTIFACTS, wait_ready

PAGES = [("ringkasan", "Ringkasan Manajemen Talenta"), ("peta-talenta", "Peta Talenta"),
         ("talent-pool", "Talent Pool"), ("data", "Data yang dimuat"), ("ekspor", "Ekspor dan presentasi"),
         ("impor", "Impor Data"), ("aturan", "Aturan penilaian"), ("pengguna", "Pengguna dan log audit"),
         ("cadangan", "Cadangan")]


@pytest.mark.parametrize("path, heading", PAGES)
def test_a_direct_link_lands_on_its_page(page, server, path, heading):
    page.goto(f"{server.url}/{path}")             # signs in on the login page it lands on
    page.locator("h1").filter(has_text=heading).first.wait_for()
    wait_ready(page)
    assert page.locator("h1").first.inner_text().startswith(heading)
    assert "not found" not in page.locator("body").inner_text().lower()


def test_upload_box_reads_indonesian(page, server):
    page.goto(server.url + "/impor")
    page.get_by_role("heading", name="Impor Data").wait_for()
    wait_ready(page)
    zone = page.locator("[data-testid='stFileUploaderDropzone']")
    zone.wait_for()
    shown = zone.evaluate("""z => {
        const seen = [];
        for (const el of z.querySelectorAll('*')) {
            const own = getComputedStyle(el), after = getComputedStyle(el, '::after').content;
            const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
            if (text && parseFloat(own.fontSize) > 0) seen.push(text);
            if (after && after !== 'none' && after !== 'normal') seen.push(after.replace(/^"|"$/g, ''));
        }
        return seen;
    }""")
    visible = " ".join(shown)
    assert "Pilih berkas" in visible and "MB per berkas" in visible, shown
    for english in ("Upload", "Browse files", "Drag and drop", "per file", "Limit"):
        assert english not in visible, shown
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    zone.screenshot(path=str(ARTIFACTS / "upload_box.png"))
