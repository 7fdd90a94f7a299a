"""The four single-kind files: detection from headers (never confused with master, kinerja or asesmen)
and the rules a user meets, with the message naming row, column, value and rule."""
import datetime as dt

import pandas as pd
import pytest

from talenta import schema
from talenta.errors import ImportFileError
from talenta.ingest import readers
from talenta.ingest.validate import map_headers, validate

NIP = "196711101992031001"
TODAY = dt.date(2026, 1, 1)


def _raw(header, rows):
    body = pd.DataFrame(rows, dtype=object)
    return readers._finish("uji.csv", None, list(header), body, 2, 1)


@pytest.mark.parametrize("header, kind", [
    (["NIP_BARU", "NAMA", "UNOR_INDUK_NAMA", "JABATAN_NAMA", "TMT_JABATAN", "TMT_GOLONGAN"], "pegawai"),
    (["NIP_BARU", "JABATAN_NAMA", "UNOR_INDUK_NAMA", "TMT_JABATAN", "NOMOR_SK"], "riwayat_jabatan"),
    (["NIP_BARU", "JABATAN_NAMA", "UNOR_NAMA", "TMT_JABATAN"], "riwayat_jabatan"),
    (["NIP", "JABATAN", "OPD", "TMT_MULAI", "TMT_SELESAI"], "riwayat_jabatan"),
    (["NIP", "Tingkat Hukuman", "Jenis Hukuman", "TMT Hukuman", "Akhir Hukuman"], "hukuman_disiplin"),
    (["NIP", "HUKUMAN_TANGGAL", "AKHIR_HUKUMAN_TANGGAL", "JENIS_HUKUMAN_NAMA", "JENIS_TINGKAT_HUKUMAN"],
     "hukuman_disiplin"),
    (["NIP_BARU", "LATIHAN_STRUKTURAL_NAMA", "TAHUN"], "diklat"),
    (["INSTANSI", "OPD", "JABATAN", "ESELON", "NIP_PEMANGKU", "KRITIKAL"], "formasi"),
    (["NIP", "TAHUN", "PREDIKAT"], "kinerja"),
    (["NIP", "TAHUN", "JPM"], "asesmen"),
])
def test_kind_from_headers(header, kind):
    assert map_headers(header).kinds == [kind]


def test_siasn_spellings_mean_the_kinds_columns():
    m = map_headers(["NIP_BARU", "JABATAN_NAMA", "UNOR_NAMA", "TMT_JABATAN", "NOMOR_SK"])
    assert m.columns == {"nip": "NIP_BARU", "jabatan": "JABATAN_NAMA", "opd": "UNOR_NAMA", "tmt_mulai": "TMT_JABATAN"}
    assert m.unknown == ["NOMOR_SK"]
    m = map_headers(["NIP", "LATIHAN_STRUKTURAL_NAMA", "TAHUN", "PREDIKAT"])
    assert m.columns == {"nip": "NIP", "nama_diklat": "LATIHAN_STRUKTURAL_NAMA", "tahun": "TAHUN"}
    assert "tidak dipakai" in m.ignored["PREDIKAT"]
    master = map_headers(["NIP", "NAMA", "OPD", "TMT_JAB", "TMT_PANGKAT"])
    assert master.columns["tmt_jabatan"] == "TMT_JAB" and master.columns["tmt_golongan"] == "TMT_PANGKAT"


@pytest.mark.parametrize("header, words", [
    (["NIP", "TINGKAT_HUKUMAN", "NAMA_DIKLAT"], "satu jenis data"),
    (["NIP", "JABATAN", "TMT_SELESAI"], "TMT mulai"),
    (["OPD", "JABATAN", "KRITIKAL"], "NIP pemangku"),
    (["NIP", "JENIS_HUKUMAN", "TMT_HUKUMAN"], "Tingkat hukuman"),
])
def test_a_file_missing_its_columns_is_refused_naming_them(header, words):
    with pytest.raises(ImportFileError) as e:
        map_headers(header, "x.csv")
    assert words in e.value.message


def test_riwayat_rules_and_messages():
    header = ["NIP", "JABATAN", "ESELON", "TMT_MULAI", "TMT_SELESAI"]
    v = validate(_raw(header, [[NIP, "Kepala Seksi A", "41", "01-01-2015", "31-12-2019"],
                               [NIP, "Kepala Seksi B", "41", "01-01-2020", "31-12-2019"],
                               [NIP, "Kepala Seksi C", "IV.z", "01-01-2021", ""]]), today=TODAY)
    assert v.frames["riwayat_jabatan"].to_pylist() == [
        {"nip": NIP, "jabatan": "Kepala Seksi A", "eselon": "IV.a", "tmt_mulai": dt.date(2015, 1, 1),
         "tmt_selesai": dt.date(2019, 12, 31), "row_number": 2}]
    msgs = dict(zip(v.rejected["row_number"], v.rejected["message"]))
    assert msgs[3] == "Baris 3, kolom TMT_SELESAI: nilai '31-12-2019' TMT selesai lebih awal dari TMT mulai."
    assert msgs[4].startswith("Baris 4, kolom ESELON: nilai 'IV.z' eselon harus")


def test_hukuman_tingkat_spellings_and_bad_one():
    header = ["NIP", "TINGKAT_HUKUMAN", "JENIS_HUKUMAN", "TMT_HUKUMAN"]
    v = validate(_raw(header, [[NIP, "Hukuman Disiplin Sedang", "Pemotongan tunjangan", "01-02-2024"],
                               [NIP, "B", "Penurunan jabatan", "01-03-2024"],
                               [NIP, "parah", "Teguran", "01-04-2024"]]), today=TODAY)
    assert [r["tingkat"] for r in v.frames["hukuman_disiplin"].to_pylist()] == ["sedang", "berat"]
    assert v.rejected["message"].tolist() == [
        "Baris 4, kolom TINGKAT_HUKUMAN: nilai 'parah' tingkat hukuman disiplin harus ringan, sedang atau berat."]


def test_diklat_leadership_names_and_free_text():
    header = ["NIP", "NAMA_DIKLAT", "JENIS_DIKLAT", "TAHUN"]
    v = validate(_raw(header, [[NIP, "Diklatpim Tingkat III", "", "2005"], [NIP, "Pelatihan X", "pim 4", "2010"],
                               [NIP, "Pelatihan Y", "Teknis", "2011"], [NIP, "Pelatihan Z", "", "2012"],
                               [NIP, "Kursus Lama", "Teknis", "1959"]]), today=TODAY)
    assert [r["jenis_diklat"] for r in v.frames["diklat"].to_pylist()] == ["PIM III", "PIM IV", "Teknis", None]
    assert list(v.rejected["reason_codes"][0]) == ["tahun_diklat_tidak_valid"]


def test_formasi_vacant_kritikal_and_instansi_from_the_setting():
    header = ["OPD", "JABATAN", "NIP_PEMANGKU", "KRITIKAL"]
    v = validate(_raw(header, [["Dinas A", "Kepala Bidang B", NIP, "Ya"], ["Dinas A", "Kepala Seksi C", "", ""],
                               ["Dinas A", "Kepala Seksi D", "", "barangkali"]]), instansi="Pemkot Uji", today=TODAY)
    assert [(r["instansi"], r["jabatan"], r["pemangku_nip"], r["kritikal"])
            for r in v.frames["formasi"].to_pylist()] == [("Pemkot Uji", "Kepala Bidang B", NIP, True),
                                                         ("Pemkot Uji", "Kepala Seksi C", None, False)]
    assert list(v.rejected["reason_codes"][0]) == ["kritikal_tidak_dikenal"]


def test_schema_declares_the_contract_with_migration_009():
    assert schema.KIND_KEYS == {"riwayat_jabatan": ["nip", "tmt_mulai", "jabatan"],
                                "hukuman_disiplin": ["nip", "tmt_mulai", "jenis_hukuman"],
                                "diklat": ["nip", "nama_diklat", "tahun"], "formasi": ["instansi", "opd", "jabatan"]}
    assert schema.TINGKAT_HUKUMAN == ["ringan", "sedang", "berat"]
