"""A corpus of awkward and bad files, built from code, each with the outcome it must have.

Every case is a function writing one file into a folder and returning ``Expect``. The master
holds three employees (``KNOWN``) so that kinerja/asesmen files can refer to them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

KNOWN = ["196711101992031001", "198508172010012002", "199001012021211003"]
UNKNOWN_VALID = "197002022000031004"


@dataclass
class Expect:
    rows_read: int | None = None
    accepted: int | None = None
    rejected: int | None = None
    codes: set[str] = field(default_factory=set)      # reason codes that must appear
    file_error: str | None = None                     # substring of the file-level error
    period: int | None = None
    sheet: str | None = None
    kinds: list[str] | None = None
    skipped: int = 0
    check: object = None                              # callable(con) -> None, extra assertions
    env: dict[str, str] = field(default_factory=dict)  # TALENTA_* settings for this case
    hostile: bool = False                             # also run through the command line


CASES: dict[str, callable] = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def _w(path: Path, text: str, encoding="utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


MASTER = "NIP_BARU,NAMA,UNOR_INDUK_NAMA,GOL\n" + "\n".join(
    f"{n},Pegawai {i},Dinas Uji,{'III/a' if n[12] != '2' else 'IX'}" for i, n in enumerate(KNOWN)) + "\n"


def _q(con, sql):
    from talenta import store
    return store.query_df(con, sql)


@case
def csv_comma_utf8(d):
    return _w(d / "a.csv", "NIP,Nama,OPD\n197002022000031004,Budi Santoso,Dinas A\n"), Expect(1, 1, 0)


@case
def csv_semicolon_cp1252(d):
    def check(con):
        assert _q(con, "SELECT nama FROM employee WHERE nip = '197002022000031004'")["nama"][0] == "Désy Rahmawati"
    return _w(d / "b.csv", "NIP;NAMA;UNOR_INDUK_NAMA\n197002022000032004;Désy Rahmawati;Dinas A\n"
              .replace("197002022000032004", UNKNOWN_VALID), "cp1252"), Expect(1, 1, 0, check=check)


@case
def csv_tab_utf8_bom(d):
    return _w(d / "c.csv", "\ufeffNIP_BARU\tNAMA\tUNOR_INDUK_NAMA\n" + UNKNOWN_VALID + "\tAni\tDinas B\n"), \
        Expect(1, 1, 0)


@case
def csv_title_block_and_footer(d):
    text = ("DAFTAR PEGAWAI PEMERINTAH KOTA\nKeadaan 31 Desember 2025\n\n\n"
            "No,NIP,Nama,OPD\n1," + UNKNOWN_VALID + ",Budi,Dinas A\n\n"
            "2,198001012005011005,Citra,Dinas A\n\nJumlah,2,,\nMengetahui,,,\n")
    return _w(d / "d.csv", text), Expect(2, 2, 0, skipped=2)


@case
def nip_scientific_notation(d):
    return _w(d / "e.csv", "NIP,Nama,OPD\n1.97002E+17,Budi,Dinas A\n" + UNKNOWN_VALID + ",Ani,Dinas A\n"), \
        Expect(2, 1, 1, {"nip_hilang_digit"})


@case
def nip_spaces_dots_apostrophe(d):
    def check(con):
        got = set(_q(con, "SELECT nip FROM employee")["nip"])
        assert {"197002022000031004", "198001012005011005", "198101012005012006"} <= got
    text = ("NIP,Nama,OPD\n'197002022000031004,A,X\n19800101 200501 1 005,B,X\n19810101.200501.2.006,C,X\n")
    return _w(d / "f.csv", text), Expect(3, 3, 0, check=check)


@case
def nip_invalid_variants(d):
    text = ("NIP,Nama,OPD\n19700202200003100,A,X\n197013022000031004,B,X\n197002022000131004,C,X\n"
            "197002022000033004,D,X\n19700202200003100A,E,X\n,F,X\n197002022000031000,G,X\n")
    return _w(d / "g.csv", text), Expect(7, 0, 7, {"nip_panjang", "nip_tgl_lahir", "nip_tmt", "nip_jenis_kelamin",
                                                   "nip_bukan_angka", "nip_kosong", "nip_urut"})


@case
def duplicate_rows(d):
    row = UNKNOWN_VALID + ",Budi,Dinas A\n"
    return _w(d / "h.csv", "NIP,Nama,OPD\n" + row + row + row), Expect(3, 1, 2, {"baris_ganda"})


@case
def same_nip_two_names(d):
    return _w(d / "i.csv", "NIP,Nama,OPD\n" + UNKNOWN_VALID + ",Budi,Dinas A\n" + UNKNOWN_VALID + ",Budiman,Dinas A\n"), \
        Expect(2, 0, 2, {"nip_konflik"})


@case
def scores_out_of_range(d):
    text = ("nip,tahun,nilai_jpm,nilai_potensi,nilai_teknis\n" + KNOWN[0] + ",2025,250,80,70\n"
            + KNOWN[1] + ",2025,90,120,70\n" + KNOWN[2] + ",2025,200,100,0\n")
    return _w(d / "j.csv", text), Expect(3, 1, 2, {"di_luar_rentang"})


@case
def predikat_spellings(d):
    def check(con):
        got = _q(con, "SELECT nip, tahun, predikat FROM performance ORDER BY tahun")
        assert got["predikat"].tolist() == ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang",
                                            "Kurang", "Sangat Baik"]
    rows = [("2019", "SB"), ("2020", "b"), ("2021", "BP"), ("2022", "K"), ("2023", "sk"), ("2024", "Kurang/Misconduct"),
            ("2025", "  sangat   BAIK ")]
    text = "NIP,Tahun,Predikat\n" + "".join(f"{KNOWN[0]},{t},{p}\n" for t, p in rows)
    return _w(d / "k.csv", text), Expect(7, 7, 0, check=check)


@case
def predikat_unknown(d):
    return _w(d / "l.csv", "NIP,Tahun,Predikat\n" + KNOWN[0] + ",2025,Istimewa\n"), Expect(1, 0, 1, {"predikat_tidak_dikenal"})


@case
def ratings_only(d):
    def check(con):
        got = _q(con, "SELECT tahun, predikat FROM performance ORDER BY tahun")["predikat"].tolist()
        assert got == ["Sangat Baik", "Baik", "Kurang", "Butuh Perbaikan"]
    text = ("nip,tahun,rating_hasil_kerja,rating_perilaku_kerja\n"
            f"{KNOWN[0]},2022,Di atas ekspektasi,Di atas ekspektasi\n{KNOWN[0]},2023,Sesuai ekspektasi,Di atas ekspektasi\n"
            f"{KNOWN[0]},2024,di atas,di bawah\n{KNOWN[0]},2025,Di bawah ekspektasi,Sesuai ekspektasi\n")
    return _w(d / "m.csv", text), Expect(4, 4, 0, check=check)


@case
def jpm_decimal_comma_percent(d):
    def check(con):
        assert sorted(_q(con, "SELECT jpm FROM assessment")["jpm"].tolist()) == [87.5, 88.25, 101.0]
    text = f"NIP;TAHUN;JPM (%)\n{KNOWN[0]};2025;87,5%\n{KNOWN[1]};2025;\"88,25\"\n{KNOWN[2]};2025;101\n"
    return _w(d / "n.csv", text), Expect(3, 3, 0, check=check)


@case
def dates_and_golongan_variants(d):
    def check(con):
        got = _q(con, "SELECT nip, tanggal_lahir, golongan FROM employee ORDER BY nip")
        got = got[~got["nip"].isin(KNOWN)]
        assert len(got) == 4 and set(got["golongan"]) == {"III/a"}
        assert all(str(x) == f"{n[:4]}-{n[4:6]}-{n[6:8]}" for n, x in zip(got["nip"], got["tanggal_lahir"]))
    text = ("NIP,NAMA,UNOR_INDUK_NAMA,TGL_LAHIR,GOL\n"
            "197002022000031004,A,X,02-02-1970,III/a\n198001012005011005,B,X,01/01/1980,III a\n"
            "198101012005012006,C,X,1981-01-01,3a\n198201012006011007,D,X,01-01-1982,III-A\n")
    return _w(d / "o.csv", text), Expect(4, 4, 0, check=check)


@case
def birth_date_contradicts_nip(d):
    return _w(d / "p.csv", "NIP,NAMA,OPD,TGL_LAHIR\n" + UNKNOWN_VALID + ",A,X,03-02-1970\n"), \
        Expect(1, 0, 1, {"tidak_sesuai_nip"})


@case
def tmt_cpns_contradicts_nip(d):
    """A PNS's TMT CPNS is the year and month in digits 9-14 of the NIP (review 5, item 5): another month is
    rejected naming the column; the same month on another day is accepted; an empty cell follows the NIP."""
    def check(con):
        got = _q(con, "SELECT row_number, message FROM rejected_row")
        assert got["row_number"].tolist() == [2]
        assert got["message"][0].startswith("Baris 2, kolom TMT_CPNS: nilai '01-04-2000' tidak sesuai dengan")
        got = _q(con, "SELECT strftime(tmt_cpns, '%Y-%m-%d') AS t FROM employee WHERE nip LIKE '197002022000%' "
                      "ORDER BY nip")
        assert got["t"].tolist() == ["2000-03-15", "2000-03-01"]
    text = ("NIP,NAMA,OPD,TMT_CPNS\n" + UNKNOWN_VALID + ",A,X,01-04-2000\n" + UNKNOWN_VALID[:-1] + "5,B,X,15-03-2000\n"
            + UNKNOWN_VALID[:-1] + "6,C,X,\n")
    return _w(d / "tmt.csv", text), Expect(3, 2, 1, {"tidak_sesuai_nip"}, check=check)


@case
def kinerja_nip_not_in_master(d):
    return _w(d / "q.csv", f"nip,tahun,predikat\n{KNOWN[0]},2025,Baik\n{UNKNOWN_VALID},2025,Baik\n"), \
        Expect(2, 1, 1, {"nip_tidak_terdaftar"})


@case
def no_year_column_with_period(d):
    def check(con):
        assert _q(con, "SELECT tahun FROM performance")["tahun"].tolist() == [2024]
    return _w(d / "r.csv", f"nip,predikat\n{KNOWN[0]},Baik\n"), Expect(1, 1, 0, period=2024, check=check)


@case
def no_year_column_no_period(d):
    return _w(d / "s.csv", f"nip,predikat\n{KNOWN[0]},Baik\n"), Expect(file_error="tidak ada kolom tahun")


@case
def empty_file(d):
    return _w(d / "t.csv", ""), Expect(file_error="kosong")


@case
def not_a_table(d):
    return _w(d / "u.csv", "Yth. Kepala BKPSDM,\nBersama ini kami sampaikan laporan.\nHormat kami\n"), \
        Expect(file_error="tidak ditemukan baris judul kolom")


@case
def legacy_xls(d):
    p = d / "v.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return p, Expect(file_error=".xls")


@case
def xlsx_only_chart_sheet(d):
    import xlsxwriter
    p = d / "w.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    cs = wb.add_chartsheet("Grafik")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Grafik!$A$1:$A$2"})
    cs.set_chart(chart)
    wb.close()
    return p, Expect(file_error="lembar tabel")


@case
def xlsx_title_block_row8_numeric_nip(d):
    import xlsxwriter
    p = d / "x.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Laporan")
    ws.merge_range("A1:F1", "LAPORAN PENILAIAN KINERJA PEGAWAI")
    ws.merge_range("A2:F2", "PEMERINTAH KOTA")
    ws.write_row(7, 0, ["No", "NIP", "Nama", "Tahun Penilaian", "Hasil Akhir", "Nilai SKP"])
    ws.write_row(8, 0, [1]); ws.write_string(8, 1, KNOWN[0]); ws.write_row(8, 2, ["A", 2025, "Baik", 82.5])
    ws.write_row(9, 0, [2]); ws.write_number(9, 1, float(KNOWN[1])); ws.write_row(9, 2, ["B", 2025, "SB", 95])
    ws.write_row(11, 0, ["Jumlah", 2])
    wb.close()

    def check(con):
        from talenta import store
        msg = store.query_df(con, "SELECT row_number, message FROM rejected_row")
        assert msg["row_number"].tolist() == [10] and "Baris 10" in msg["message"][0]
    return p, Expect(2, 1, 1, {"nip_hilang_digit"}, skipped=1, check=check)


@case
def xlsx_second_sheet_holds_table(d):
    import xlsxwriter
    p = d / "y.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Petunjuk").write(0, 0, "Isi lembar Data dengan hasil asesmen.")
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["NIP", "Tahun", "Nilai Potensi", "Nilai Manajerial", "Nilai Sosial", "Nilai Teknis", "Nilai JPM"])
    ws.write_string(1, 0, KNOWN[2]); ws.write_row(1, 1, [2024, 80, 81, 82, 83, 91.5])
    wb.close()
    return p, Expect(1, 1, 0, kinds=["asesmen"])


@case
def xlsx_error_cell_and_formula_without_result(d):
    """An Excel error (#DIV/0!) and a formula without a stored result (a tool that does not calculate) in an
    imported column reject their row naming the cell; calamine reads both as empty, which used to become a
    missing JPM on an accepted row (review 5, item 9). A stored result is read; an error in a column that is
    not imported rejects nothing."""
    import xlsxwriter
    p = d / "rumus.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["NIP", "TAHUN", "NILAI_POTENSI", "NILAI_MANAJERIAL", "JPM", "CATATAN"])
    for r, nip in enumerate(KNOWN, start=1):
        ws.write_string(r, 0, nip)
        ws.write_row(r, 1, [2024, 80, 70])
    ws.write_formula(1, 4, "=AVERAGE(C2:D2)", None, 75)          # stored result 75
    ws.write_formula(1, 5, "=1/0", None, "#DIV/0!")              # not imported: kept aside, no rejection
    ws.write_formula(2, 4, "=AVERAGE(C3:D3)", None, "")          # no stored result
    ws.write_formula(3, 4, "=C4/0", None, "#DIV/0!")             # an error value
    wb.close()

    def check(con):
        assert _q(con, "SELECT nip, jpm FROM assessment").values.tolist() == [[KNOWN[0], 75.0]]
        got = _q(con, "SELECT row_number, reason_codes, message FROM rejected_row ORDER BY row_number")
        assert got["row_number"].tolist() == [3, 4]
        assert [list(c) for c in got["reason_codes"]] == [["rumus_tanpa_nilai"], ["sel_galat_excel"]]
        assert got["message"][0].startswith("Baris 3, kolom JPM: nilai '=AVERAGE(C3:D3)' adalah rumus tanpa hasil")
        assert got["message"][1].startswith("Baris 4, kolom JPM: nilai '#DIV/0!' adalah galat Excel")
    return p, Expect(3, 1, 2, {"rumus_tanpa_nilai", "sel_galat_excel"}, kinds=["asesmen"], check=check)


@case
def xlsx_merged_cell_in_the_data(d):
    """OPD merged over rows 4-6 (review 5, item 15): the reader sees "Dinas Gabung" in row 4 only. Rows 5 and 6 are
    rejected naming the merged range and what to do, not only "wajib diisi"; a merged optional column (JABATAN
    over rows 2-3) rejects row 3 instead of storing it without its jabatan. A merged title above the header
    rejects nothing."""
    import xlsxwriter
    p = d / "gabung.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Data")
    ws.merge_range("A1:D1", "Daftar pegawai (judul digabung)")
    ws.write_row(1, 0, ["NIP_BARU", "NAMA", "UNOR_INDUK_NAMA", "JABATAN"])
    nips = [*KNOWN, "199002072015031006", "199001202015031019"]
    for r, nip in enumerate(nips, start=2):
        ws.write_string(r, 0, nip)
        ws.write_string(r, 1, f"Pegawai {r}")
    ws.write_string(2, 2, "Dinas Uji")
    ws.write_string(3, 2, "Dinas Uji")
    ws.merge_range("C5:C7", "Dinas Gabung")
    ws.merge_range("D3:D4", "Analis")
    for r in (4, 5, 6):
        ws.write_string(r, 3, "Pengadministrasi")
    wb.close()

    def check(con):
        # rows 3 and 5 are stored; row 4's employee (from the master imported before) keeps no jabatan
        got = _q(con, "SELECT nip, opd, jabatan FROM employee ORDER BY nip").astype(object)
        got = got.where(got.notna(), None).values.tolist()
        assert got == sorted([[KNOWN[0], "Dinas Uji", "Analis"], [KNOWN[1], "Dinas Uji", None],
                              [KNOWN[2], "Dinas Gabung", "Pengadministrasi"]])
        got = _q(con, "SELECT row_number, reason_codes, message FROM rejected_row ORDER BY row_number")
        assert got["row_number"].tolist() == [4, 6, 7]
        assert [list(c) for c in got["reason_codes"]] == [["sel_gabungan"], ["sel_gabungan", "wajib_kosong"],
                                                          ["sel_gabungan", "wajib_kosong"]]
        assert got["message"][0].startswith("Baris 4, kolom JABATAN: sel ini bagian dari sel gabungan (merge)")
        assert "(rentang D3:D4)" in got["message"][0] and "(rentang C5:C7)" in got["message"][1]
        assert "Unmerge Cells" in got["message"][2]
    return p, Expect(5, 2, 3, {"sel_gabungan"}, kinds=["pegawai"], check=check)


def _two_row_header(path, down: list[str], values: list) -> Path:
    """A sheet whose ``down`` headers are merged over two rows beside a group title NILAI merged over POTENSI,
    MANAJERIAL and JPM on the second row; one data row (NIP, then ``values``)."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    for j, name in enumerate(down):
        ws.merge_range(0, j, 1, j, name)
    n = len(down)
    ws.merge_range(0, n, 0, n + 2, "NILAI")
    ws.write_row(1, n, ["POTENSI", "MANAJERIAL", "JPM"])
    ws.write_string(2, 0, KNOWN[0])
    ws.write_row(2, 1, values)
    wb.close()
    return path


@case
def xlsx_two_row_header(d):
    """A group title NILAI merged above POTENSI, MANAJERIAL and JPM (review 5, item 17): refused saying the header
    seems to span two rows, not "jenis isi tidak dikenali" (JPM is there, a row lower)."""
    p = _two_row_header(d / "dua_baris.xlsx", ["NIP", "TAHUN"], [2024, 80, 70, 85])
    return p, Expect(file_error="judul kolom tampaknya dua baris (baris 1 dan 2: NIP, TAHUN ada di baris 1")


@case
def xlsx_two_row_header_title_above(d):
    """The review's own file: NIP, NAMA and TAHUN merged down two rows, NILAI merged over the three scores below
    it; the header found is the first row, and the row below names MANAJERIAL and JPM under empty cells."""
    p = _two_row_header(d / "dua_baris_2.xlsx", ["NIP", "NAMA", "TAHUN"], ["Ani", 2024, 80, 70, 85])
    return p, Expect(file_error="judul kolom tampaknya dua baris (baris 1 dan 2: MANAJERIAL, JPM ada di baris 2")


@case
def xlsx_named_sheet(d):
    import xlsxwriter
    p = d / "z.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    for name, year in (("2024", 2024), ("2025", 2025)):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["NIP", "Tahun", "Predikat"])
        ws.write_string(1, 0, KNOWN[0]); ws.write_row(1, 1, [year, "Baik"])
    wb.close()

    def check(con):
        assert _q(con, "SELECT tahun FROM performance")["tahun"].tolist() == [2025]
    return p, Expect(1, 1, 0, sheet="2025", check=check)


@case
def combined_sheet(d):
    def check(con):
        assert _q(con, "SELECT count(*) AS n FROM employee WHERE opd = 'Dinas Gabungan'")["n"][0] == 1
        assert _q(con, "SELECT predikat FROM performance")["predikat"].tolist() == ["Sangat Baik", "Baik"]
        assert _q(con, "SELECT jpm FROM assessment")["jpm"].tolist() == [92.0]
    text = (f"nip,nama,opd,tahun,predikat,jpm\n{UNKNOWN_VALID},Budi,Dinas Gabungan,2024,SB,\n"
            f"{UNKNOWN_VALID},Budi,Dinas Gabungan,2025,B,92\n")
    return _w(d / "comb.csv", text), Expect(2, 2, 0, kinds=["pegawai", "kinerja", "asesmen"], check=check)


@case
def unknown_columns_listed(d):
    return _w(d / "unk.csv", f"NIP,NAMA,OPD,HOBI,KEDUDUKAN_HUKUM_NAMA\n{UNKNOWN_VALID},A,X,catur,Aktif\n"), \
        Expect(1, 1, 0)


@case
def missing_required_values(d):
    text = f"NIP,NAMA,OPD\n{UNKNOWN_VALID},,Dinas A\n198001012005011005,Budi,\n"
    return _w(d / "req.csv", text), Expect(2, 0, 2, {"wajib_kosong"})


@case
def kinerja_row_without_values(d):
    text = f"nip,tahun,predikat,nilai_skp\n{KNOWN[0]},2025,,\n{KNOWN[1]},2025,,88\n"
    return _w(d / "kk.csv", text), Expect(2, 1, 1, {"kinerja_kosong"})


@case
def bad_numbers_and_dates(d):
    text = (f"NIP,NAMA,OPD,TGL_LAHIR,GOL\n{UNKNOWN_VALID},A,X,31-02-1970,III/a\n"
            f"198001012005011005,B,X,,III/z\n")
    return _w(d / "bn.csv", text), Expect(2, 0, 2, {"tanggal_tidak_valid", "golongan_tidak_valid"})


# --- riwayat jabatan, hukuman disiplin, diklat, formasi (issue 17) ------------------------------------

@case
def riwayat_siasn_export(d):
    """A SIASN riwayat jabatan export: TMT_JABATAN is each post's start, UNOR_NAMA its unit, SK columns."""
    def check(con):
        r = _q(con, "SELECT jabatan, eselon, opd, tmt_mulai, tmt_selesai FROM riwayat_jabatan ORDER BY tmt_mulai")
        assert r["eselon"].tolist() == ["IV.a", "III.b"] and r["opd"].tolist() == ["Bidang Sosial", "Dinas Sosial"]
        assert r["tmt_mulai"].astype(str).tolist() == ["2015-01-01", "2020-03-01"]
    text = ("NIP_BARU,JABATAN_NAMA,ESELON_ID,UNOR_NAMA,TMT_JABATAN,NOMOR_SK\n"
            f"{KNOWN[0]},Kepala Seksi A,41,Bidang Sosial,01-01-2015,800/1/2015\n"
            f"{KNOWN[0]},Kepala Bidang B,32,Dinas Sosial,01-03-2020,800/2/2020\n")
    return _w(d / "rj.csv", text), Expect(2, 2, 0, kinds=["riwayat_jabatan"], check=check)


@case
def riwayat_bad_rows(d):
    text = ("NIP,JABATAN,TMT_MULAI,TMT_SELESAI\n"
            f"{KNOWN[0]},Kepala Seksi A,01-01-2015,31-12-2014\n"          # ends before it starts
            f"{KNOWN[1]},,01-01-2015,\n"                                    # no jabatan
            f"{UNKNOWN_VALID},Kepala Seksi A,01-01-2015,\n"                 # NIP not in the master
            f"{KNOWN[2]},Kepala Seksi A,2015-13-01,\n"                      # no such date
            f"{KNOWN[2]},Kepala Seksi B,01-01-2016,\n"
            f"{KNOWN[2]},Kepala Seksi B,01-01-2016,31-12-2017\n")           # same key, other end: both
    return _w(d / "rb.csv", text), Expect(6, 0, 6, {"tmt_selesai_sebelum_mulai", "wajib_kosong", "nip_tidak_terdaftar",
                                                     "tanggal_tidak_valid", "konflik_riwayat_jabatan"})


@case
def hukuman_xlsx_title_block(d):
    def check(con):
        h = _q(con, "SELECT tingkat, tmt_selesai FROM hukuman_disiplin ORDER BY tingkat")
        assert h["tingkat"].tolist() == ["berat", "sedang"]
    p = _xlsx(d / "hk.xlsx", [["REKAP HUKUMAN DISIPLIN"], [], ["NIP", "Tingkat Hukuman", "Jenis Hukuman", "TMT Hukuman",
                                                                 "Akhir Hukuman"],
                               [KNOWN[0], "Sedang", "Pemotongan tunjangan kinerja", "01-02-2024", "31-07-2024"],
                               [KNOWN[1], "HUKDIS BERAT", "Penurunan jabatan", "01-02-2025", ""],
                               [KNOWN[2], "parah", "Teguran", "01-02-2025", ""]])
    return p, Expect(3, 2, 1, {"tingkat_tidak_dikenal"}, kinds=["hukuman_disiplin"], check=check)


@case
def diklat_siasn_names(d):
    def check(con):
        got = _q(con, "SELECT nama_diklat, jenis_diklat FROM diklat ORDER BY tahun")
        assert got["jenis_diklat"].tolist() == ["PIM IV", "PKA", "Teknis"]
    text = ("NIP_BARU,LATIHAN_STRUKTURAL_NAMA,JENIS_DIKLAT,TAHUN\n"
            f"{KNOWN[0]},Diklatpim Tingkat IV,,1998\n{KNOWN[0]},Pelatihan Kepemimpinan Administrator,,2019\n"
            f"{KNOWN[1]},Pelatihan Pengadaan,Teknis,2021\n{KNOWN[1]},Pelatihan Lama,Teknis,1950\n")
    return _w(d / "dk.csv", text), Expect(4, 3, 1, {"tahun_diklat_tidak_valid"}, kinds=["diklat"], check=check)


@case
def formasi_vacant_critical_and_twice(d):
    def check(con):
        f = _q(con, "SELECT jabatan_id, jabatan, pemangku_nip, kritikal FROM formasi ORDER BY jabatan")
        assert f["jabatan"].tolist() == ["Kepala Seksi Data"] and f["pemangku_nip"].isna().all()
        assert bool(f["kritikal"][0]) and len(f["jabatan_id"][0]) == 9 and f["jabatan_id"][0].startswith("J")
    text = ("INSTANSI,OPD,JABATAN,ESELON,NIP_PEMANGKU,KRITIKAL\n"
            f"Pemerintah Kota Uji,Dinas Uji,Kepala Bidang A,III.b,{KNOWN[0]},ya\n"
            f"Pemerintah Kota Uji,Dinas Uji,Kepala Seksi B,IV.a,{KNOWN[0]},tidak\n"      # one pemangku, two posts
            "Pemerintah Kota Uji,Dinas Uji,Kepala Seksi Data,IV.a,,Y\n"                   # vacant, critical
            f"Pemerintah Kota Uji,Dinas Uji,Kepala Seksi C,IV.a,{UNKNOWN_VALID},\n"
            f"Pemerintah Kota Uji,Dinas Uji,Kepala Seksi D,IV.a,{KNOWN[1]},mungkin\n")
    return _w(d / "fm.csv", text), Expect(5, 1, 4, {"pemangku_ganda", "nip_tidak_terdaftar", "kritikal_tidak_dikenal"},
                                          kinds=["formasi"], check=check)


@case
def two_single_kinds_in_one_file(d):
    text = f"NIP,TINGKAT_HUKUMAN,JENIS_HUKUMAN,NAMA_DIKLAT,TMT_MULAI\n{KNOWN[0]},Ringan,Teguran,PKA,01-01-2020\n"
    return _w(d / "two.csv", text), Expect(file_error="satu jenis data", hostile=True)


@case
def riwayat_without_start_column(d):
    text = f"NIP,JABATAN,TMT_SELESAI\n{KNOWN[0]},Kepala Seksi A,01-01-2020\n"
    return _w(d / "nostart.csv", text), Expect(file_error="tidak ada kolom TMT mulai", hostile=True)


@case
def formasi_hostile_text(d):
    """Formula-like and control-character text in a formasi: stored as text or rejected, never run."""
    def check(con):
        assert _q(con, "SELECT jabatan FROM formasi")["jabatan"].tolist() == ["=HYPERLINK(\"http://x\")"]
    text = ("OPD,JABATAN,NIP_PEMANGKU\n"
            "Dinas Uji,\"=HYPERLINK(\"\"http://x\"\")\",\n"
            "Dinas Uji,Kepala\x00Seksi,\n")
    return _w(d / "fh.csv", text), Expect(2, 1, 1, {"karakter_kendali"}, kinds=["formasi"], check=check, hostile=True)


# --- hostile inputs (issue 15): files that used to crash the reader, or were read wrongly ---------------
# ``hostile=True`` cases also run through the command line (tests/storage/test_import_corpus.py).

def _nip(i: int) -> str:
    """A valid NIP per ``i`` (born 1970-02-02, CPNS 2000-03, male, serial i)."""
    return f"197002022000031{i:03d}"


def _employees(n: int, start: int = 1) -> list[str]:
    return [f"{_nip(i)},Pegawai {i},Dinas Uji" for i in range(start, start + n)]


def _xlsx(path: Path, rows: list[list], far_cell: tuple[int, int] | None = None) -> Path:
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write_string(r, c, str(v))
    if far_cell:
        ws.write_string(*far_cell, "x")
    wb.close()
    return path


def _rezip(src: Path, dst: Path, edit) -> Path:
    """Copy an xlsx, passing each part's bytes through ``edit(name, data)``."""
    import zipfile
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(info.filename, edit(info.filename, z.read(info.filename)))
    src.unlink()
    return dst


def _no_employee_with(text: str):
    def check(con):
        got = _q(con, "SELECT nip, nama, opd, jabatan FROM employee")
        assert not got.astype(str).apply(lambda c: c.str.contains(text, regex=False)).any().any(), got
    return check


@case
def xlsx_huge_declared_dimension(d):
    """1,6 KB: header plus one cell at XFD1048576, so the sheet declares A1:XFD1048576 (calamine aborted)."""
    p = _xlsx(d / "huge.xlsx", [["NIP", "NAMA", "OPD"], [UNKNOWN_VALID, "Budi", "Dinas A"]], (1048575, 16383))
    assert p.stat().st_size < 8000
    return p, Expect(file_error="terlalu besar", hostile=True)


@case
def xlsx_formatting_left_down_to_the_last_row(d):
    """A small table whose sheet declares A1:XFD1048576 because an empty cell far away keeps a border (Excel's
    "Ctrl+End" lands on XFD1048576): refused as too big before (review 5, item 16); read now from a copy declaring
    the size of its values, saying so, and every row of the table imported."""
    import xlsxwriter
    p = d / "format_tersisa.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Data")
    for r, row in enumerate([["NIP", "NAMA", "OPD"], [UNKNOWN_VALID, "Budi", "Dinas A"]]):
        ws.write_row(r, 0, row)
    ws.write_blank(1048575, 16383, None, wb.add_format({"border": 1}))
    wb.close()
    import zipfile
    assert b'<dimension ref="A1:XFD1048576"/>' in zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml")

    def check(con):
        assert _q(con, f"SELECT nama FROM employee WHERE nip = '{UNKNOWN_VALID}'")["nama"].tolist() == ["Budi"]
    return p, Expect(1, 1, 0, check=check, hostile=True)


@case
def xlsx_far_cell_behind_small_dimension(d):
    """The same far cell, but the sheet lies that its size is A1:C2: the cells themselves are checked."""
    import re
    p = _xlsx(d / "far_src.xlsx", [["NIP", "NAMA", "OPD"], [UNKNOWN_VALID, "Budi", "Dinas A"]], (1048575, 16383))
    return _rezip(p, d / "far.xlsx", lambda n, b: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:C2"/>', b)), \
        Expect(file_error="sel terjauhnya ada di baris 1.048.576, kolom 16.384 (XFD)", hostile=True)


@case
def xlsx_far_cell_in_a_sheet_outside_worksheets(d):
    """The same far cell in a worksheet stored outside xl/worksheets/ (the workbook points to xl/data/s.xml, and to
    an absolute path): the reader follows the workbook, so the check must too (the process aborted)."""
    import re
    import zipfile
    p = _xlsx(d / "moved_src.xlsx", [["NIP", "NAMA", "OPD"], [UNKNOWN_VALID, "Budi", "Dinas A"]], (1048575, 16383))
    out = d / "moved.xlsx"
    with zipfile.ZipFile(p) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info.filename)
            name = info.filename
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/data/s.xml"
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:C2"/>', data)
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b'Target="worksheets/sheet1.xml"', b'Target="/xl/data/s.xml"')
            elif name == "[Content_Types].xml":
                data = data.replace(b"/xl/worksheets/sheet1.xml", b"/xl/data/s.xml")
            w.writestr(name, data)
    p.unlink()
    return out, Expect(file_error="sel terjauhnya ada di baris 1.048.576, kolom 16.384 (XFD)", hostile=True)


@case
def csv_header_with_too_many_columns(d):
    """600 columns: refused by the header's count before any row is read (5 million took 7 GB and aborted)."""
    head = "NIP,NAMA,OPD," + ",".join(f"X{i}" for i in range(597))
    return _w(d / "wide.csv", head + "\n" + UNKNOWN_VALID + ",Budi,Dinas A" + "," * 597 + "\n"), \
        Expect(file_error="600 kolom, melebihi batas 500 kolom", hostile=True)


@case
def csv_one_endless_line(d):
    """2 MB without a line break: refused by its length, never split into fields."""
    return _w(d / "line.csv", "NIP,NAMA,OPD," + "x," * (1 << 20)), \
        Expect(file_error="lebih panjang dari 1.048.576 karakter", hostile=True)


@case
def xlsx_too_many_columns_by_setting(d):
    return _xlsx(d / "wide.xlsx", [["NIP", "NAMA", "OPD", "A", "B", "C"], [UNKNOWN_VALID, "Budi", "Dinas A", 1, 2, 3]]), \
        Expect(file_error="sel terjauhnya ada di baris 2, kolom 6 (F)", env={"TALENTA_MAX_XLSX_COLUMNS": "5"}, hostile=True)


@case
def xlsx_zip_bomb_part(d):
    """A part that unpacks 1000 times larger than it is stored (refused by ratio, here with a low limit)."""
    p = _xlsx(d / "bomb_src.xlsx", [["NIP", "NAMA", "OPD"], [UNKNOWN_VALID, "Budi", "Dinas A"]])
    import zipfile
    with zipfile.ZipFile(p, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/nol.bin", b"\0" * (4 << 20))
    return p, Expect(file_error="terkompresi", env={"TALENTA_MAX_XLSX_RATIO": "100"}, hostile=True)


@case
def xlsx_unpacked_total_over_limit(d):
    import random
    import zipfile
    p = _xlsx(d / "big.xlsx", [["NIP", "NAMA", "OPD"], [UNKNOWN_VALID, "Budi", "Dinas A"]])
    with zipfile.ZipFile(p, "a", zipfile.ZIP_STORED) as z:
        z.writestr("xl/media/foto.bin", random.Random(1).randbytes(3 << 20))
    return p, Expect(file_error="setelah diekstrak 3 MB", env={"TALENTA_MAX_XLSX_UNZIPPED_MB": "2"}, hostile=True)


@case
def xlsx_truncated_zip(d):
    p = _xlsx(d / "full.xlsx", [["NIP", "NAMA", "OPD"], [UNKNOWN_VALID, "Budi", "Dinas A"]])
    t = d / "potong.xlsx"
    t.write_bytes(p.read_bytes()[:900])
    return t, Expect(file_error="berkas XLSX rusak", hostile=True)


@case
def xlsx_broken_sheet_xml(d):
    """A whole zip whose sheet XML is cut off in the middle (calamine's XmlError was a traceback)."""
    p = _xlsx(d / "xml_src.xlsx", [["NIP", "NAMA", "OPD"], [UNKNOWN_VALID, "Budi", "Dinas A"]])
    return _rezip(p, d / "xml.xlsx", lambda n, b: b[:b.find(b"</row>") + 3] if n.startswith("xl/worksheets/") else b), \
        Expect(file_error="berkas XLSX rusak", hostile=True)


@case
def xlsx_password_protected(d):
    """Excel saves an encrypted workbook as an OLE2 compound file with an EncryptionInfo stream."""
    p = d / "rahasia.xlsx"
    entry = "EncryptionInfo".encode("utf-16-le").ljust(64, b"\0")
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1016 + entry + b"\0" * 960)
    return p, Expect(file_error="berkas dilindungi kata sandi", hostile=True)


@case
def csv_utf16_with_bom(d):
    def check(con):
        assert _q(con, f"SELECT nama FROM employee WHERE nip = '{_nip(1)}'")["nama"][0] == "José Núñez"
    text = f"NIP,NAMA,OPD\n{_nip(1)},José Núñez,Dinas A\n{_nip(2)},Ani,Dinas A\n"
    return _w(d / "u16.csv", text, "utf-16"), Expect(2, 2, 0, check=check, hostile=True)


@case
def csv_utf16_le_without_bom(d):
    text = f"NIP;NAMA;OPD\n{_nip(1)};Siti Aminah;Dinas A\n"
    return _w(d / "u16le.csv", text, "utf-16-le"), Expect(1, 1, 0, hostile=True)


@case
def csv_mixed_utf8_and_cp1252_rows(d):
    """One row saved as UTF-8, one as Windows-1252: never read the whole file as cp1252 (JosÃ©)."""
    def check(con):
        names = _q(con, "SELECT nama FROM employee WHERE nip LIKE '197002022000031%'")["nama"].tolist()
        assert names == ["José Núñez", "Ani"], names
        msg = _q(con, "SELECT message FROM rejected_row")["message"][0]
        assert "Baris 3" in msg and "UTF-8" in msg
    data = (f"NIP,NAMA,OPD\n{_nip(1)},José Núñez,Dinas A\n".encode("utf-8")
            + f"{_nip(2)},José Ñúñez,Dinas A\n".encode("cp1252")
            + f"{_nip(3)},Ani,Dinas A\n".encode("utf-8"))
    p = d / "campur.csv"
    p.write_bytes(data)
    return p, Expect(3, 2, 1, {"penyandian_campur"}, check=check, hostile=True)


@case
def csv_field_over_limit(d):
    """A cell of 131.073 characters (the csv module's limit used to end in a traceback)."""
    def check(con):
        msg = _q(con, "SELECT message FROM rejected_row")["message"][0]
        assert "kolom NAMA" in msg and "131.073 karakter" in msg
    rows = _employees(2)
    rows.insert(1, f"{_nip(9)},{'A' * 131073},Dinas A")
    return _w(d / "panjang.csv", "NIP,NAMA,OPD\n" + "\n".join(rows) + "\n"), \
        Expect(3, 2, 1, {"sel_terlalu_panjang"}, check=check, hostile=True)


@case
def csv_unclosed_quote_swallows_rest(d):
    """An opening quote never closed: the rest of the file is one cell; the row says which lines it spans."""
    def check(con):
        msg = _q(con, "SELECT message FROM rejected_row")["message"][0]
        assert "baris 3-5" in msg, msg
    text = f"NIP,NAMA,OPD\n{_nip(1)},Ani,Dinas A\n{_nip(2)},\"Budi,Dinas A\n{_nip(3)},Citra,Dinas A\n{_nip(4)},Dedi,Dinas A\n"
    return _w(d / "kutip.csv", text), Expect(2, 1, 1, {"jumlah_kolom"}, check=check, hostile=True)


@case
def csv_unquoted_comma_in_name(d):
    """``Budi Santoso, S.Kom,Dinas A``: four fields under three headers; never stored with opd='S.Kom'."""
    def check(con):
        _no_employee_with("S.Kom")(con)
        msg = _q(con, "SELECT message FROM rejected_row")["message"][0]
        assert msg.startswith("Baris 3: jumlah isian") and "Budi Santoso, S.Kom,Dinas A" in msg, msg
    text = f"NIP,NAMA,OPD\n{_nip(1)},Ani,Dinas A\n{_nip(2)},Budi Santoso, S.Kom,Dinas A\n{_nip(3)},Citra,Dinas B\n"
    return _w(d / "koma.csv", text), Expect(3, 2, 1, {"jumlah_kolom"}, check=check, hostile=True)


@case
def csv_row_with_too_few_fields(d):
    text = f"NIP;NAMA;OPD;JABATAN\n{_nip(1)};Ani;Dinas A;Analis\n{_nip(2)};Budi;Dinas A\n"
    return _w(d / "kurang.csv", text), Expect(2, 1, 1, {"jumlah_kolom"}, hostile=True)


@case
def csv_header_with_trailing_separator(d):
    """``NIP,NAMA,OPD,`` over rows of three fields: nothing is missing, nothing is rejected."""
    text = f"NIP,NAMA,OPD,\n{_nip(1)},Ani,Dinas A\n{_nip(2)},Budi,Dinas B,\n"
    return _w(d / "ekor.csv", text), Expect(2, 2, 0, hostile=True)


@case
def csv_nul_after_first_4kb(d):
    """A NUL byte far into the file (only the first 4 KB used to be looked at): that row is rejected."""
    def check(con):
        assert _q(con, "SELECT count(*) AS n FROM employee WHERE contains(nama, chr(0))")["n"][0] == 0
        msg = _q(con, "SELECT message FROM rejected_row")["message"][0]
        assert "kolom NAMA" in msg and "Bu\\x00di" in msg, msg
    rows = _employees(200)
    rows[150] = f"{_nip(151)},Bu\0di,Dinas A"
    return _w(d / "nul.csv", "NIP,NAMA,OPD\n" + "\n".join(rows) + "\n"), \
        Expect(200, 199, 1, {"karakter_kendali"}, check=check, hostile=True)


@case
def csv_control_characters_in_any_column(d):
    """ESC in OPD, BEL in an unknown column; a tab inside a value is allowed."""
    def check(con):
        cols = _q(con, "SELECT columns FROM rejected_row ORDER BY row_number")["columns"].tolist()
        assert [list(c) for c in cols] == [["OPD"], ["CATATAN"]]
        assert _q(con, f"SELECT nama FROM employee WHERE nip = '{_nip(3)}'")["nama"][0] == "Citra Dewi"
    text = (f"NIP;NAMA;OPD;CATATAN\n{_nip(1)};Ani;Dinas\x1bA;-\n{_nip(2)};Budi;Dinas A;bel\x07\n"
            f"{_nip(3)};Citra\tDewi;Dinas A;-\n")
    return _w(d / "kendali.csv", text), Expect(3, 1, 2, {"karakter_kendali"}, check=check, hostile=True)


def _large(d: Path, name: str, bad: str, at: int = 15000, n: int = 30000) -> Path:
    """A clean CSV over 1 MB (read by the Arrow fast path) with one bad line in the middle."""
    rows = [f"19700202{2000 + i // 11988:04d}{1 + i // 999 % 12:02d}1{i % 999 + 1:03d},Pegawai {i},Dinas {i % 7},"
            "Analis Kepegawaian Ahli Muda" for i in range(n)]
    rows[at] = bad
    p = _w(d / name, "NIP,NAMA,OPD,JABATAN\n" + "\n".join(rows) + "\n")
    assert p.stat().st_size > 1 << 20
    return p


@case
def csv_large_file_with_unquoted_comma(d):
    def check(con):
        _no_employee_with("S.Kom")(con)
        assert _q(con, "SELECT row_number FROM rejected_row")["row_number"].tolist() == [15002]
    bad = f"{_nip(1)},Budi Santoso, S.Kom,Dinas A,Analis"
    return _large(d, "besar_koma.csv", bad), Expect(30000, 29999, 1, {"jumlah_kolom"}, check=check)


@case
def csv_large_file_with_nul(d):
    def check(con):
        assert _q(con, "SELECT row_number FROM rejected_row")["row_number"].tolist() == [25002]
    return _large(d, "besar_nul.csv", f"{_nip(1)},Budi\0,Dinas A,Analis", at=25000), \
        Expect(30000, 29999, 1, {"karakter_kendali"}, check=check)


@case
def binary_file_named_csv(d):
    p = d / "gambar.csv"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8)
    return p, Expect(file_error="bukan berkas teks", hostile=True)


# --- hostile review 5: rows that start with a footer word at the end of a file are data -------------------

@case
def formasi_kepala_posts_last(d):
    """f01: a formasi listed top-down ends with "Kepala ..." posts; they were dropped as footer rows."""
    def check(con):
        assert _q(con, "SELECT count(*) AS n FROM formasi")["n"][0] == 4
    text = ("JABATAN,OPD,ESELON,PEMANGKU_NIP,KRITIKAL\n"
            "Sekretaris Dinas Uji,Dinas Uji Formasi,III.a,,ya\n"
            "Kepala Bidang Uji,Dinas Uji Formasi,III.b,,tidak\n"
            "Kepala Seksi Uji Satu,Dinas Uji Formasi,IV.a,,tidak\n"
            "Kepala Seksi Uji Dua,Dinas Uji Formasi,IV.a,,tidak\n"
            "Jumlah,4,,,\n")
    return _w(d / "f01.csv", text), Expect(4, 4, 0, kinds=["formasi"], skipped=1, check=check)


@case
def csv_names_that_start_with_footer_words(d):
    """f02: NAMA first; employees named "Kepala Suku" and "Total Wijaya" (with a NIP) are data. A row without a
    NIP that fills most cells is data too (rejected, visible); only "Sumber: SIASN" is a footer."""
    def check(con):
        names = set(_q(con, "SELECT nama FROM employee")["nama"])
        assert {"Kepala Suku", "Total Wijaya"} <= names
    text = (f"NAMA,NIP_BARU,UNOR_INDUK_NAMA\nBudi,{_nip(1)},Dinas Uji\nKepala Suku,{_nip(2)},Dinas Uji\n"
            f"Total Wijaya,{_nip(3)},Dinas Uji\nCatatan Harian,,Dinas Uji\nSumber: SIASN,,\n")
    return _w(d / "f02.csv", text), Expect(4, 3, 1, {"nip_kosong"}, skipped=1, check=check, hostile=True)


@case
def predikat_with_a_sign(d):
    """s01: "B+" and "B-" used to be stored as Baik (punctuation was stripped before the lookup)."""
    def check(con):
        msgs = _q(con, "SELECT message FROM rejected_row ORDER BY row_number")["message"].tolist()
        assert msgs[0] == ("Baris 2, kolom PREDIKAT: nilai 'B+' predikat harus Sangat Baik, Baik, Butuh Perbaikan, "
                           "Kurang atau Sangat Kurang (atau SB, B, BP, K, SK).")
        assert _q(con, "SELECT predikat FROM performance")["predikat"].tolist() == ["Sangat Baik"]
    text = f"NIP,TAHUN,PREDIKAT\n{KNOWN[0]},2023,B+\n{KNOWN[1]},2023,B-\n{KNOWN[2]},2023,S.B.\n"
    return _w(d / "s01.csv", text), Expect(3, 1, 2, {"predikat_tidak_dikenal"}, check=check)


@case
def same_nip_different_opd_over_two_years(d):
    """m03: master + kinerja, one NIP in 2023 and 2024 with two OPDs; the message named only the NIP column."""
    def check(con):
        msgs = _q(con, "SELECT message, columns FROM rejected_row ORDER BY row_number")
        assert msgs["message"][0] == (
            "Baris 2, kolom UNOR_INDUK_NAMA: NIP yang sama muncul dengan isi berbeda di berkas ini (baris 2, 3): "
            "UNOR_INDUK_NAMA 'Dinas A' (baris 2), 'Dinas B' (baris 3).")
        assert list(msgs["columns"][1]) == ["UNOR_INDUK_NAMA"]
    text = (f"NIP_BARU,NAMA,UNOR_INDUK_NAMA,TAHUN,PREDIKAT\n{UNKNOWN_VALID},Gabungan,Dinas A,2023,Baik\n"
            f"{UNKNOWN_VALID},Gabungan,Dinas B,2024,Sangat Baik\n")
    return _w(d / "m03.csv", text), Expect(2, 0, 2, {"nip_konflik"}, check=check)


@case
def formasi_conflict_names_the_column(d):
    def check(con):
        msg = _q(con, "SELECT message FROM rejected_row ORDER BY row_number")["message"][0]
        assert msg == ("Baris 2, kolom ESELON: instansi, OPD dan jabatan yang sama muncul dengan isi berbeda di berkas "
                       "ini (baris 2, 3): ESELON 'III.b' (baris 2), 'IV.a' (baris 3).")
    text = ("OPD,JABATAN,ESELON,PEMANGKU_NIP\nDinas Uji,Kepala Bidang A,III.b,\nDinas Uji,Kepala Bidang A,IV.a,\n")
    return _w(d / "fk.csv", text), Expect(2, 0, 2, {"konflik_formasi"}, kinds=["formasi"], check=check)
