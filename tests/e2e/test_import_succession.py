"""Upload a formasi file in the real browser: the preview names the kind and the unknown pemangku,
the import stores the posts and quarantines the row with its reason."""
import os

from .conftest import wait_ready

CSV = ("INSTANSI,OPD,JABATAN,ESELON,NIP_PEMANGKU,KRITIKAL\n"
       "Pemerintah Kota Palembang,Dinas Sosial,Kepala Seksi Uji Kosong,IV.a,,ya\n"
       "Pemerintah Kota Palembang,Dinas Sosial,Kepala Seksi Uji Pemangku,IV.a,{nip},tidak\n"
       "Pemerintah Kota Palembang,Dinas Sosial,Kepala Seksi Uji Asing,IV.a,199001012021211999,tidak\n")


def test_formasi_upload_preview_and_import(page, server, demo_data, tmp_path):
    nip = demo_data.employees.loc[demo_data.employees["jenis_jabatan"] == "Pelaksana", "nip"].iloc[0]
    f = tmp_path / "formasi_uji.csv"
    f.write_text(CSV.format(nip=nip), encoding="utf-8")
    page.goto(server.url + "/impor")
    page.get_by_role("heading", name="Impor Data").wait_for()
    wait_ready(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
    page.get_by_text("1 ditolak karena NIP belum ada di data pegawai").wait_for()
    assert page.get_by_text("Formasi jabatan (jabatan target)").count() >= 1
    if os.environ.get("TALENTA_SHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["TALENTA_SHOT_DIR"], "impor_formasi.png"), full_page=True)
    page.get_by_role("button", name="Impor 1 berkas").click()
    page.get_by_text("3 baris dibaca = 2 diterima + 1 ditolak").wait_for()
    wait_ready(page)
    if os.environ.get("TALENTA_SHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["TALENTA_SHOT_DIR"], "impor_formasi_done.png"), full_page=True)
