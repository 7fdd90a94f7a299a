"""Import defects found by hostile review 5: each file from the review (rebuilt here as code) and what
the user must see, in the preview and in the import alike."""
import pytest

from talenta import quarantine, store
from talenta.errors import ImportFileError
from talenta.ingest import import_file
from talenta.ingest.loader import preview

from .corpus import KNOWN, MASTER

NEW = "199002072015031006"
NEW2 = "199001202015031019"


def _file(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def con(tmp_path):
    c = store.connect(tmp_path / "r5.duckdb")
    assert import_file(c, _file(tmp_path, "master.csv", MASTER), instansi="Pemerintah Kota Uji").accepted == 3
    yield c
    c.close()


def _count(con, sql):
    return store.query_one(con, sql)[0]


# --- item 8: a master without a Nama column ---------------------------------------------------------

@pytest.mark.parametrize("text", [
    f"NIP_BARU,UNOR_INDUK_NAMA\n{NEW},Dinas Uji\n{KNOWN[0]},Dinas Pindahan\n",             # m01 + m02
    f"NIP_BARU,,UNOR_INDUK_NAMA,\n{NEW},Tanpa Judul,Dinas Uji,isi\n{KNOWN[0]},x,Dinas Pindahan,\n",  # c09
])
def test_a_master_without_nama_rejects_new_nips_and_updates_known_ones(con, tmp_path, text):
    """It used to fail at store time ("Terjadi kesalahan tak terduga", NOT NULL employee.nama) after a
    preview promising success; now the new NIP's row is rejected on Nama, in the preview and the import."""
    path = _file(tmp_path, "tanpa_nama.csv", text)
    pv = preview(con, path)
    assert (pv.rows_read, pv.rejected_now, pv.unknown_nip) == (2, 1, 0)
    assert pv.rejected["baris"].tolist() == [2] and pv.rejected["reason"].tolist() == ["wajib_kosong"]
    assert pv.rejected["kolom"].tolist() == ["Nama"]
    msg = pv.rejected["pesan"][0]
    assert msg.startswith("Baris 2, kolom Nama: wajib diisi") and NEW in msg and "tidak punya kolom Nama" in msg
    r = import_file(con, path)
    assert (r.rows_read, r.accepted, r.rejected) == (2, 1, 1)
    assert quarantine.rejected_rows(con, r.batch)["pesan"].tolist() == [msg]
    assert _count(con, f"SELECT count(*) FROM employee WHERE nip = '{NEW}'") == 0
    assert store.query_one(con, f"SELECT nama, opd FROM employee WHERE nip = '{KNOWN[0]}'") == ("Pegawai 0",
                                                                                                 "Dinas Pindahan")


def test_a_blank_header_over_names_is_pointed_at(con, tmp_path):
    path = _file(tmp_path, "c09.csv", f"NIP_BARU,,UNOR_INDUK_NAMA\n{NEW2},Tanpa Judul,Dinas Uji\n")
    r = import_file(con, path)
    assert (r.accepted, r.rejected) == (0, 1)
    assert "Kolom ke-2 tidak berjudul" in r.rejected_rows["message"][0]


def test_a_combined_file_without_nama_rejects_every_row_of_a_new_nip(con, tmp_path):
    """Master + kinerja over two years: both rows of the new NIP go, the known NIP's rows stay."""
    text = ("NIP_BARU,UNOR_INDUK_NAMA,TAHUN,PREDIKAT\n"
            f"{NEW},Dinas A,2023,Baik\n{NEW},Dinas A,2024,Baik\n{KNOWN[1]},Dinas A,2024,Baik\n")
    path = _file(tmp_path, "gabung.csv", text)
    pv = preview(con, path)
    r = import_file(con, path)
    assert (r.rows_read, r.accepted, r.rejected) == (3, 1, 2)
    assert pv.rows_read - pv.rejected_now - pv.unknown_nip == r.accepted
    assert set(r.rejected_rows["reason_codes"].map(tuple)) == {("wajib_kosong",)}
    assert _count(con, f"SELECT count(*) FROM performance WHERE nip = '{NEW}'") == 0


# --- item 10: a column header twice ------------------------------------------------------------------

def _tables(con):
    return {t: _count(con, "SELECT count(*) FROM " + t) for t in ("employee", "import_batch", "rejected_row")}


def test_two_columns_meaning_the_same_field_with_different_values_refuse_the_file(con, tmp_path):
    """c08: NAMA twice and NIP_BARU + NIP; the second of each used to be dropped without a word."""
    text = ("NIP_BARU,NAMA,NAMA,UNOR_INDUK_NAMA,NIP\n"
            "199001182015031017,Nama Satu,Nama Dua,Dinas Uji,199001192015031018\n"
            "199001182015031025,Ani,Ani,Dinas Uji,199001182015031025\n")
    path = _file(tmp_path, "c08.csv", text)
    before = _tables(con)
    with pytest.raises(ImportFileError) as pv:
        preview(con, path)
    with pytest.raises(ImportFileError) as imp:
        import_file(con, path)
    assert pv.value.message == imp.value.message
    msg = imp.value.message
    assert ("kolom 'NAMA' (kolom ke-2, B) dan 'NAMA' (kolom ke-3, C) sama-sama berarti Nama, tetapi isinya berbeda "
            "di 1 baris, misalnya baris 2: 'Nama Satu' dan 'Nama Dua'") in msg
    assert "'NIP_BARU' (kolom ke-1, A) dan 'NIP' (kolom ke-5, E)" in msg and "199001192015031018" in msg
    assert _tables(con) == before


def test_two_columns_with_the_same_values_are_accepted_and_recorded(con, tmp_path):
    text = "NIP_BARU,NAMA,NAMA,UNOR_INDUK_NAMA\n199001182015031017,Nama Satu,Nama Satu,Dinas Uji\n"
    r = import_file(con, _file(tmp_path, "sama.csv", text))
    assert (r.accepted, r.rejected) == (1, 0)
    note = ("Kolom 'NAMA' (kolom ke-3, C) tidak dipakai: isinya sama persis dengan kolom 'NAMA' (kolom ke-2, B); "
            "keduanya berarti Nama.")
    assert note in r.summary()
    import json
    record = json.loads(store.query_one(con, f"SELECT header_mapping FROM import_batch WHERE batch_id = {r.batch}")[0])
    assert record["nama"] == "NAMA" and "isinya sama persis" in record["tidak_dipakai"]["NAMA (2)"]


def test_a_duplicated_header_in_a_sheet_names_the_excel_columns(con, tmp_path):
    import xlsxwriter
    p = tmp_path / "dup.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 1, ["NIP", "Tahun", "Predikat", "Predikat"])      # the table starts in column B
    ws.write_string(1, 1, KNOWN[0]); ws.write_row(1, 2, [2025, "Baik", "Sangat Baik"])
    wb.close()
    with pytest.raises(ImportFileError) as e:
        import_file(con, p)
    assert "'Predikat' (kolom ke-3, D) dan 'Predikat' (kolom ke-4, E)" in e.value.message


# --- item 2: a hidden first worksheet ----------------------------------------------------------------

def _workbook(path, sheets, active=None, hidden=()):
    """sheets: name -> rows (row 0 the header); NIPs are written as text."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    made = {}
    for name, rows in sheets.items():
        ws = made[name] = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                ws.write_string(r, c, str(v))
    if active:
        made[active].activate()
    for name in hidden:
        made[name].hide()
    wb.close()
    return path


def _master_rows(name, opd):
    return [["NIP", "NAMA", "OPD"], [NEW, name, opd]]


def test_a_hidden_first_sheet_is_not_read(con, tmp_path):
    """x01: sheet 1 'Lama' (hidden, old data), sheet 2 'Data' (visible, active): the old data was imported."""
    path = _workbook(tmp_path / "x01.xlsx", {"Lama": _master_rows("DATA LAMA TERSEMBUNYI", "Dinas Lama"),
                                             "Data": _master_rows("Data Baru", "Dinas Baru")},
                     active="Data", hidden=["Lama"])
    pv = preview(con, path)
    assert pv.sheet == "Data"
    r = import_file(con, path)
    assert r.sheet == "Data" and r.accepted == 1
    assert store.query_one(con, f"SELECT nama, opd FROM employee WHERE nip = '{NEW}'") == ("Data Baru", "Dinas Baru")
    assert ("Dibaca lembar 'Data' (lembar aktif); lembar tersembunyi 'Lama' tidak dibaca (sebutkan namanya bila "
            "tabelnya di sana).") in r.summary()
    assert pv.sheet_note == r.sheet_note


def test_a_hidden_sheet_is_read_when_named(con, tmp_path):
    path = _workbook(tmp_path / "x01b.xlsx", {"Lama": _master_rows("Lama", "Dinas Lama"),
                                              "Data": _master_rows("Baru", "Dinas Baru")},
                     active="Data", hidden=["Lama"])
    r = import_file(con, path, sheet="Lama")
    assert r.sheet == "Lama" and "Dibaca lembar 'Lama' (lembar yang disebut)." in r.summary()


def test_the_active_sheet_is_read_before_the_first(con, tmp_path):
    path = _workbook(tmp_path / "two.xlsx", {"2024": _master_rows("Satu", "Dinas 2024"),
                                             "2025": _master_rows("Dua", "Dinas 2025")}, active="2025")
    r = import_file(con, path)
    assert r.sheet == "2025" and "Dibaca lembar '2025' (lembar aktif)." in r.summary()


def test_a_workbook_with_only_hidden_sheets_is_refused(con, tmp_path):
    path = _workbook(tmp_path / "hid.xlsx", {"Petunjuk": [["Isi lembar Lama"]],
                                             "Lama": _master_rows("Lama", "Dinas Lama")},
                     active="Petunjuk", hidden=["Lama"])
    with pytest.raises(ImportFileError) as e:
        import_file(con, path)
    assert "lembar tersembunyi 'Lama' tidak dibaca" in e.value.message
    assert _count(con, f"SELECT count(*) FROM employee WHERE nip = '{NEW}'") == 0


# --- item 12: SKP before the appointment year in the NIP ----------------------------------------------

def test_skp_before_the_appointment_year_is_rejected_naming_the_year(con, tmp_path):
    """A PPPK appointed 2021 (NIP digits 9-12) with SKP 2020, a PNS with TMT CPNS 2010-01 with SKP 2009: rejected,
    the message naming the row, the TAHUN column, the year and the rule; the appointment years themselves pass."""
    text = (f"NIP,TAHUN,PREDIKAT\n{KNOWN[2]},2020,Baik\n{KNOWN[2]},2021,Baik\n{KNOWN[1]},2009,Sangat Baik\n"
            f"{KNOWN[1]},2010,Baik\n")
    path = _file(tmp_path, "skp.csv", text)
    pv = preview(con, path)
    r = import_file(con, path)
    assert (r.accepted, r.rejected) == (2, 2) and pv.rejected_now == 2
    rej = quarantine.rejected_rows(con, r.batch)
    assert rej["baris"].tolist() == [2, 4]
    assert rej["pesan"][0].startswith("Baris 2, kolom TAHUN: nilai '2020' tahun kinerja lebih awal dari tahun "
                                      "pengangkatan yang tertulis dalam NIP")
    assert "'2009'" in rej["pesan"][1]
    assert store.query_df(con, "SELECT nip, tahun FROM performance ORDER BY nip, tahun").values.tolist() == \
        [[KNOWN[1], 2010], [KNOWN[2], 2021]]
