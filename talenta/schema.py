"""Canonical columns, their types, allowed values and the header aliases real files use.

This module is data: the importer, the storage schema, the docs (docs/import.md) and the tests
all read from it. To accept a new header spelling, add it to ``ALIASES``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# --- kinds of content -------------------------------------------------------------------
PEGAWAI = "pegawai"      # employee master (SIASN-style)
KINERJA = "kinerja"      # SKP performance per year (e-Kinerja)
ASESMEN = "asesmen"      # potential / competency assessment per year
KINDS = (PEGAWAI, KINERJA, ASESMEN)
KIND_LABELS = {PEGAWAI: "Data pegawai", KINERJA: "Kinerja (SKP)", ASESMEN: "Asesmen potensi/kompetensi"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str          # which kind of content it belongs to (nip/tahun: several)
    type: str          # text | int | float | date
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
]}

PEGAWAI_COLUMNS = ["nip"] + [c.name for c in COLUMNS.values() if c.kind == PEGAWAI]
KINERJA_COLUMNS = ["nip", "tahun"] + [c.name for c in COLUMNS.values() if c.kind == KINERJA]
ASESMEN_COLUMNS = ["nip", "tahun"] + [c.name for c in COLUMNS.values() if c.kind == ASESMEN]
KIND_COLUMNS = {PEGAWAI: PEGAWAI_COLUMNS, KINERJA: KINERJA_COLUMNS, ASESMEN: ASESMEN_COLUMNS}
KINERJA_VALUES = ["predikat", "rating_hasil_kerja", "rating_perilaku", "nilai_kinerja"]
ASESMEN_SCORES = ["jpm", "nilai_potensi", "nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis"]

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
}


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

# --- allowed values -------------------------------------------------------------------------
PREDIKAT = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]
RATING = ["Di atas ekspektasi", "Sesuai ekspektasi", "Di bawah ekspektasi"]
JENIS_ASN = ["PNS", "PPPK", "PPPK Paruh Waktu"]
JENIS_JABATAN = ["Struktural", "Fungsional", "Pelaksana"]
JENIS_KELAMIN = ["Laki-laki", "Perempuan"]
PENDIDIKAN = ["SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"]
ESELON = ["I.a", "I.b", "II.a", "II.b", "III.a", "III.b", "IV.a", "IV.b", "V.a"]
GOLONGAN_PNS = [f"{g}/{s}" for g, subs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
                for s in subs]
GOLONGAN_PPPK = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
                 "XIV", "XV", "XVI", "XVII"]
