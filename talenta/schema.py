"""Canonical columns, their types, allowed values and the header aliases real files use.

This module is data: the importer, the storage schema, the docs (docs/import.md) and the tests
all read from it. To accept a new header spelling, add it to ``ALIASES``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# --- kinds of content -------------------------------------------------------------------
PEGAWAI = "pegawai"      # employee master (SIASN-style)
KINERJA = "kinerja"      # SKP performance per year (e-Kinerja)
ASESMEN = "asesmen"      # potential / competency assessment per year
RIWAYAT = "riwayat_jabatan"    # posts held, with start and end (SIASN riwayat jabatan)
HUKUMAN = "hukuman_disiplin"   # disciplinary sanctions (SIASN riwayat hukuman disiplin)
DIKLAT = "diklat"              # leadership and other training (SIASN riwayat diklat)
FORMASI = "formasi"            # structural posts of an instansi with their holder (jabatan target)
# a file of these kinds holds that kind only (detected from its headers, see ``map_headers``)
SINGLE_KINDS = (RIWAYAT, HUKUMAN, DIKLAT, FORMASI)
KINDS = (PEGAWAI, KINERJA, ASESMEN) + SINGLE_KINDS
KIND_LABELS = {PEGAWAI: "Data pegawai", KINERJA: "Kinerja (SKP)", ASESMEN: "Asesmen potensi/kompetensi",
               RIWAYAT: "Riwayat jabatan", HUKUMAN: "Hukuman disiplin", DIKLAT: "Diklat/pelatihan",
               FORMASI: "Formasi jabatan (jabatan target)"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str          # which kind of content it belongs to (nip/tahun: several)
    type: str          # text | int | float | date | bool
    label: str         # Indonesian label for tables and messages
    min: float | None = None
    max: float | None = None


_C = Column
COLUMNS: dict[str, Column] = {c.name: c for c in [
    _C("nip", "key", "text", "NIP"),
    _C("tahun", "key", "int", "Tahun", 2000, 2100),
    # pegawai
    _C("nama", PEGAWAI, "text", "Nama"),
    _C("gelar_depan", PEGAWAI, "text", "Gelar depan"),
    _C("gelar_belakang", PEGAWAI, "text", "Gelar belakang"),
    _C("instansi", PEGAWAI, "text", "Instansi"),
    _C("opd", PEGAWAI, "text", "OPD"),
    _C("unit_kerja", PEGAWAI, "text", "Unit kerja"),
    _C("jenis_asn", PEGAWAI, "text", "Jenis ASN"),
    _C("jenis_kelamin", PEGAWAI, "text", "Jenis kelamin"),
    _C("tanggal_lahir", PEGAWAI, "date", "Tanggal lahir"),
    _C("jenis_jabatan", PEGAWAI, "text", "Jenis jabatan"),
    _C("jabatan", PEGAWAI, "text", "Jabatan"),
    _C("eselon", PEGAWAI, "text", "Eselon"),
    _C("golongan", PEGAWAI, "text", "Golongan"),
    _C("pendidikan", PEGAWAI, "text", "Pendidikan"),
    _C("tmt_cpns", PEGAWAI, "date", "TMT CPNS"),
    _C("tmt_jabatan", PEGAWAI, "date", "TMT jabatan"),
    _C("tmt_golongan", PEGAWAI, "date", "TMT golongan"),
    # kinerja
    _C("predikat", KINERJA, "text", "Predikat kinerja"),
    _C("rating_hasil_kerja", KINERJA, "text", "Rating hasil kerja"),
    _C("rating_perilaku", KINERJA, "text", "Rating perilaku kerja"),
    _C("nilai_kinerja", KINERJA, "float", "Nilai kinerja", 0, 100),
    # asesmen
    _C("jpm", ASESMEN, "float", "JPM (%)", 0, 200),
    _C("nilai_potensi", ASESMEN, "float", "Nilai potensi", 0, 100),
    _C("nilai_manajerial", ASESMEN, "float", "Nilai manajerial", 0, 100),
    _C("nilai_sosial_kultural", ASESMEN, "float", "Nilai sosial kultural", 0, 100),
    _C("nilai_teknis", ASESMEN, "float", "Nilai teknis", 0, 100),
    _C("kategori_jpm", ASESMEN, "text", "Kategori JPM"),
    _C("rekomendasi_asesmen", ASESMEN, "text", "Rekomendasi asesor"),
    # riwayat jabatan, hukuman disiplin (they share the two dates), diklat, formasi; jabatan,
    # jenis_jabatan, eselon, opd and instansi are the master's columns with the same rules
    _C("tmt_mulai", RIWAYAT, "date", "TMT mulai"),
    _C("tmt_selesai", RIWAYAT, "date", "TMT selesai"),
    _C("tingkat", HUKUMAN, "text", "Tingkat hukuman"),
    _C("jenis_hukuman", HUKUMAN, "text", "Jenis hukuman"),
    _C("nama_diklat", DIKLAT, "text", "Nama diklat"),
    _C("jenis_diklat", DIKLAT, "text", "Jenis diklat"),
    _C("pemangku_nip", FORMASI, "text", "NIP pemangku"),
    _C("kritikal", FORMASI, "bool", "Kritikal"),
]}

PEGAWAI_COLUMNS = ["nip"] + [c.name for c in COLUMNS.values() if c.kind == PEGAWAI]
KINERJA_COLUMNS = ["nip", "tahun"] + [c.name for c in COLUMNS.values() if c.kind == KINERJA]
ASESMEN_COLUMNS = ["nip", "tahun"] + [c.name for c in COLUMNS.values() if c.kind == ASESMEN]
RIWAYAT_COLUMNS = ["nip", "jabatan", "jenis_jabatan", "eselon", "opd", "tmt_mulai", "tmt_selesai"]
HUKUMAN_COLUMNS = ["nip", "tingkat", "jenis_hukuman", "tmt_mulai", "tmt_selesai"]
DIKLAT_COLUMNS = ["nip", "nama_diklat", "jenis_diklat", "tahun"]
FORMASI_COLUMNS = ["instansi", "opd", "jabatan", "eselon", "pemangku_nip", "kritikal"]
KIND_COLUMNS = {PEGAWAI: PEGAWAI_COLUMNS, KINERJA: KINERJA_COLUMNS, ASESMEN: ASESMEN_COLUMNS,
                RIWAYAT: RIWAYAT_COLUMNS, HUKUMAN: HUKUMAN_COLUMNS, DIKLAT: DIKLAT_COLUMNS,
                FORMASI: FORMASI_COLUMNS}
# the key of a row of each single kind (one row per key in a file and in the table)
KIND_KEYS = {RIWAYAT: ["nip", "tmt_mulai", "jabatan"], HUKUMAN: ["nip", "tmt_mulai", "jenis_hukuman"],
             DIKLAT: ["nip", "nama_diklat", "tahun"], FORMASI: ["instansi", "opd", "jabatan"]}
# columns a file of that kind must have, and that every row must fill (instansi: or the setting)
KIND_REQUIRED = {RIWAYAT: ["jabatan", "tmt_mulai"], HUKUMAN: ["tingkat", "jenis_hukuman", "tmt_mulai"],
                 DIKLAT: ["nama_diklat", "tahun"], FORMASI: ["opd", "jabatan"]}
KINERJA_VALUES = ["predikat", "rating_hasil_kerja", "rating_perilaku", "nilai_kinerja"]
ASESMEN_SCORES = ["jpm", "nilai_potensi", "nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis"]

# The dates a file may hold (hostile pass, session 22: "01-03-0018" and "01-01-2099" were stored, a post of 2099
# became the current one and a typo met a succession experience requirement): from 1 January of the earliest
# birth year a NIP may hold (``talenta.nip.MIN_BIRTH_YEAR``) to some years after the import day: a TMT may be
# set a little ahead, a punishment's end lies ahead, a birth date does not.
DATE_FIRST_YEAR = 1940
DATE_YEARS_AHEAD = {"tanggal_lahir": 0, "tmt_selesai": 5}      # any other date column: 1


def date_bounds(name: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """(first, last) date column ``name`` may hold on an import made ``today``."""
    year = today.year + DATE_YEARS_AHEAD.get(name, 1)
    try:
        last = today.replace(year=year)
    except ValueError:          # 29 February
        last = dt.date(year, 2, 28)
    return dt.date(DATE_FIRST_YEAR, 1, 1), last


# --- header aliases -----------------------------------------------------------------------
# Left: the canonical column. Right: spellings seen in SIASN, e-Kinerja and assessment files.
# Matching ignores case, spaces, punctuation and a unit in brackets ("JPM (%)" == "jpm").
ALIASES: dict[str, list[str]] = {
    "nip": ["nip_baru", "nip", "nip_pegawai", "nomor_induk_pegawai", "ni_pppk", "nip_nipppk"],
    "nama": ["nama", "nama_pegawai", "nama_lengkap", "nama_asn"],
    "gelar_depan": ["gelar_depan"],
    "gelar_belakang": ["gelar_belakang"],
    "instansi": ["instansi_induk_nama", "instansi", "instansi_induk", "nama_instansi", "pemda"],
    "opd": ["unor_induk_nama", "opd", "perangkat_daerah", "unit_organisasi_induk", "skpd", "nama_opd"],
    "unit_kerja": ["unor_nama", "unit_kerja", "unor", "satuan_kerja", "sub_unit"],
    "jenis_asn": ["jenis_asn", "status_kepegawaian", "jenis_pegawai", "kedudukan"],
    "jenis_kelamin": ["jenis_kelamin", "jk", "sex", "gender", "kelamin"],
    "tanggal_lahir": ["tgl_lahir", "tanggal_lahir", "tgllahir"],
    "jenis_jabatan": ["jenis_jabatan", "jenis_jabatan_nama", "jenis_jab"],
    "jabatan": ["jabatan_nama", "jabatan", "nama_jabatan"],
    "eselon": ["eselon_id", "eselon", "eselon_nama"],
    "golongan": ["gol", "nama_golongan", "golongan", "gol_ruang", "pangkat_golongan", "golongan_ruang"],
    "pendidikan": ["tingkat_pendidikan_nama", "pendidikan", "pendidikan_terakhir", "tingkat_pendidikan"],
    "tmt_cpns": ["tmt_cpns", "tmt_pengangkatan", "tmt_cpns_pppk"],
    "tmt_jabatan": ["tmt_jabatan", "tmt_jab", "tmt_jabatan_terakhir"],
    "tmt_golongan": ["tmt_golongan", "tmt_gol", "tmt_pangkat", "tmt_gol_akhir", "tmt_pangkat_golongan"],
    "tahun": ["tahun_penilaian", "periode", "tahun", "tahun_skp", "tahun_asesmen", "periode_penilaian"],
    "predikat": ["hasil_akhir", "predikat_kinerja", "predikat", "predikat_skp", "nilai_predikat"],
    "rating_hasil_kerja": ["rating_hasil_kerja", "hasil_kerja"],
    "rating_perilaku": ["rating_perilaku", "rating_perilaku_kerja", "perilaku_kerja"],
    "nilai_kinerja": ["nilai_skp", "nilai_kinerja", "skor_kinerja"],
    "jpm": ["nilai_jpm", "jpm", "job_person_match"],
    "nilai_potensi": ["nilai_potensi", "potensi", "skor_potensi"],
    "nilai_manajerial": ["nilai_manajer", "nilai_manajerial", "manajerial", "kompetensi_manajerial"],
    "nilai_sosial_kultural": ["nilai_sosial", "nilai_sosial_kultural", "sosial_kultural", "kompetensi_sosial_kultural"],
    "nilai_teknis": ["nilai_teknis", "teknis", "kompetensi_teknis"],
    "kategori_jpm": ["kategori_jpm", "kategori"],
    "rekomendasi_asesmen": ["rekomendasi", "rekomendasi_asesor", "saran_pengembangan"],
    "tmt_mulai": ["tmt_mulai", "tmt_awal", "tanggal_mulai", "tgl_mulai"],
    "tmt_selesai": ["tmt_selesai", "tmt_akhir", "tanggal_selesai", "tgl_selesai", "tmt_berakhir"],
    "tingkat": ["tingkat_hukuman", "jenis_tingkat_hukuman", "tingkat_hukuman_disiplin", "tingkat_hukdis"],
    "jenis_hukuman": ["jenis_hukuman_nama", "jenis_hukuman", "hukuman", "jenis_hukdis", "nama_hukuman"],
    "nama_diklat": ["nama_diklat", "latihan_struktural_nama", "nama_pelatihan", "diklat_nama", "nama_kursus"],
    "jenis_diklat": ["jenis_diklat", "jenis_pelatihan", "jenis_diklat_nama", "rumpun_diklat"],
    "pemangku_nip": ["pemangku_nip", "nip_pemangku", "nip_pejabat", "nip_pemegang_jabatan"],
    "kritikal": ["kritikal", "jabatan_kritikal", "kritis", "critical"],
}
# spellings that mean another column in a file of one kind: a SIASN riwayat jabatan export calls
# the start of each post TMT_JABATAN and its unit UNOR_NAMA; a riwayat hukuman disiplin export
# names its dates HUKUMAN_TANGGAL and AKHIR_HUKUMAN_TANGGAL; a riwayat diklat the year TAHUN_DIKLAT.
# Matched before ``ALIASES`` (the kind is decided first); lower position wins as there.
KIND_ALIASES: dict[str, dict[str, list[str]]] = {
    RIWAYAT: {"tmt_mulai": ["tmt_mulai", "tmt_jabatan", "tmt_awal", "tanggal_mulai", "tmt_jab"],
              "opd": ["unor_induk_nama", "opd", "perangkat_daerah", "skpd", "nama_opd", "unor_nama", "unit_kerja"]},
    HUKUMAN: {"tingkat": ["tingkat_hukuman", "jenis_tingkat_hukuman", "tingkat_hukuman_disiplin", "tingkat_hukdis",
                          "tingkat"],
              "tmt_mulai": ["tmt_mulai", "hukuman_tanggal", "tmt_hukuman", "tanggal_hukuman", "tmt_hukdis",
                            "tmt_awal", "tanggal_mulai"],
              "tmt_selesai": ["tmt_selesai", "akhir_hukuman_tanggal", "tmt_akhir_hukuman", "akhir_hukuman",
                              "tanggal_akhir_hukuman", "tmt_akhir", "tanggal_selesai"]},
    DIKLAT: {"tahun": ["tahun", "tahun_diklat", "tahun_lulus", "tahun_pelatihan", "tahun_kursus"]},
    FORMASI: {"pemangku_nip": ["pemangku_nip", "nip_pemangku", "nip_pejabat", "nip_pemegang_jabatan", "nip_baru",
                               "nip"]},
}
# header spellings that tell a kind's file (see ``talenta.ingest.validate.map_headers``)
KIND_MARKERS = {
    FORMASI: ["pemangku_nip", "kritikal"],
    HUKUMAN: ["tingkat", "jenis_hukuman"],
    DIKLAT: ["nama_diklat", "jenis_diklat"],
    RIWAYAT: ["tmt_mulai", "tmt_selesai"],
}
# a SIASN riwayat jabatan export: no end date, the start is TMT_JABATAN, with SK columns the master lacks
RIWAYAT_SK_HEADERS = ["nomor_sk", "no_sk", "tanggal_sk", "tgl_sk", "sk_nomor", "sk_tanggal", "tmt_pelantikan"]


def normalize_header(text: object) -> str:
    """``"JPM (%)"`` -> ``"jpm"``; ``"NIP_BARU"`` -> ``"nipbaru"``; ``" Nama  Pegawai"`` -> ``"namapegawai"``."""
    s = str(text or "").strip().lower()
    s = re.sub(r"\(.*?\)|\[.*?\]", "", s)
    return re.sub(r"[^0-9a-z]", "", s)


# normalised spelling -> (canonical, priority); lower priority wins when two headers collide
ALIAS_INDEX: dict[str, tuple[str, int]] = {}
for _canon, _names in ALIASES.items():
    for _prio, _name in enumerate(_names):
        ALIAS_INDEX.setdefault(normalize_header(_name), (_canon, _prio))
# per kind: the kind's own spellings first, then every other spelling of the kind's columns
KIND_ALIAS_INDEX: dict[str, dict[str, tuple[str, int]]] = {}
for _kind, _over in KIND_ALIASES.items():
    _index: dict[str, tuple[str, int]] = {}
    for _canon, _names in _over.items():
        for _prio, _name in enumerate(_names):
            _index.setdefault(normalize_header(_name), (_canon, _prio))
    for _h, (_canon, _prio) in ALIAS_INDEX.items():
        if _canon in KIND_COLUMNS[_kind] or _canon == "nip":
            _index.setdefault(_h, (_canon, _prio + 100))
    KIND_ALIAS_INDEX[_kind] = _index

# --- allowed values -------------------------------------------------------------------------
PREDIKAT = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
JENIS_ASN = ["PNS", "PPPK", "PPPK Paruh Waktu"]
JENIS_JABATAN = ["Struktural", "Fungsional", "Pelaksana"]
JENIS_KELAMIN = ["Laki-laki", "Perempuan"]
ESELON = ["I.a", "I.b", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b", "V.a"]
GOLONGAN_PNS = [f"{g}/{s}" for g, subs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
                for s in subs]
GOLONGAN_PPPK = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
                 "XIV", "XV", "XVI", "XVII"]
TINGKAT_HUKUMAN = ["ringan", "sedang", "berat"]        # PP 94/2021 pasal 8
# leadership training (PermenPANRB/LAN): PKN II ~ PIM II (JPT pratama), PKA ~ PIM III (administrator),
# PKP ~ PIM IV (pengawas). Other training is kept as written (free text), e.g. "Teknis", "Fungsional".
JENIS_DIKLAT = ["PKN II", "PKA", "PKP", "PIM II", "PIM III", "PIM IV"]
KRITIKAL = {"ya": True, "tidak": False}          # empty: tidak
DIKLAT_YEARS = (1960, 2100)                      # a diklat's tahun (older than the assessment years)
