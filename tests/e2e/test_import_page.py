"""Upload a real file in the real browser, see the mapping, import it, see the summary and the rejected row."""
from .conftest import wait_ready

CSV = (
    "Rekap SKP Tahunan\n"
    "\n"
    "NIP;Nama;Tahun;Predikat Kinerja\n"
    "{nip};Pegawai Uji;2025;SB\n"
    "199001012021211999;Tidak Ada;2025;Baik\n"
    "Jumlah;2\n"
)


def test_upload_preview_import_and_rejected_reason(page, server, demo_data, tmp_path):
    nip = demo_data.employees["nip"].iloc[0]
    f = tmp_path / "skp_uji.csv"
    f.write_text(CSV.format(nip=nip), encoding="cp1252")
    page.goto(server.url + "/impor")
    page.get_by_role("heading", name="Impor Data").wait_for()
    wait_ready(page)
    drawn = """e => [...e.querySelectorAll('span')].map(s => getComputedStyle(s, '::after').content)
                     .filter(c => c && c !== 'none' && c !== 'normal')"""
    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    assert [c for c in zone.evaluate(drawn) if "Seret berkas" in c]           # the Indonesian hint, drawn by CSS
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
    page.get_by_text("Judul kolom ditemukan di baris 3").wait_for()
    # with a file chosen no CSS text is drawn over the file chip (the drop text was, over the chip and the add
    # button: hostile pass, session 22)
    page.locator("[data-testid='stFileChip']").first.wait_for()
    assert zone.evaluate(drawn) == []
    assert page.get_by_text("Kinerja (SKP)").count() >= 1
    page.get_by_text("Baris yang akan ditolak (1)").wait_for()      # the preview lists it before importing
    page.get_by_role("button", name="Impor 1 berkas").click()
    # the footer row "Jumlah;2" is counted among the rows read, as skipped
    page.get_by_text("3 baris dibaca = 1 diterima + 1 ditolak + 1 dilewati", exact=False).wait_for()
    wait_ready(page)
    table = page.locator("[data-testid='stDataFrame']").filter(has_text="Penjelasan").first
    table.wait_for()
    # the rejected row is listed with its row number and reason (the grid is a canvas: use the download)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Unduh CSV").click()
    text = open(dl.value.path(), encoding="utf-8-sig").read()
    assert "NIP belum ada di data pegawai" in text and "Baris 5" in text and "199001012021211999" in text
    assert "Alasan" in text.splitlines()[0] and "reason" not in text.splitlines()[0]     # Indonesian headers
