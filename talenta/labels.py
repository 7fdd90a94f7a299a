"""One table of display names: every column name a user can see (pages, exports, downloads, CSV/XLSX
headers, chart axes) is shown through ``label``; no raw column name reaches a user.

New columns add their Indonesian name here, once. ``relabel`` renames a frame's columns for display
(columns without an entry keep their name; ``tests`` check that none is left raw).
"""
from __future__ import annotations

import pandas as pd

from . import rules, schema

LABELS: dict[str, str] = {
    **{name: c.label for name, c in schema.COLUMNS.items()},
    "nip": "NIP", "nama": "Nama", "instansi": "Instansi", "opd": "OPD", "jenis_jabatan": "Jenis jabatan",
    "jabatan": "Jabatan", "skor_kinerja": "Skor kinerja", "kategori_kinerja": "Kategori kinerja",
    "skor_potensial": "Skor potensial", "kategori_potensial": "Kategori potensial", "kotak": "Kotak",
    "label": "Label kotak", "rekomendasi": "Rekomendasi", "krs": "KRS", "rule_set": "Aturan", "alasan": "Alasan",
    "dasar_kinerja": "Dasar kinerja", "tahun_asesmen": "Tahun asesmen", "jpm": "JPM", "group": "Kelompok",
    "total": "Total", "belum_terpetakan": "Belum terpetakan", "krs_persen": "% KRS", "cluster": "Klaster",
    "hipo": "Potensi tinggi", "confidence": "Keyakinan", "stability": "Stabilitas", "keputusan": "Keputusan",
    "perlu_kajian": "Perlu kajian", "batch": "Batch", "file": "Berkas", "sheet": "Lembar", "baris": "Baris",
    "reason": "Alasan", "pesan": "Penjelasan", "kolom": "Kolom", "nilai_asli": "Nilai asli",
    "tmt_jabatan": "TMT jabatan", "tmt_golongan": "TMT golongan",
    "kotak_terhitung": "Kotak terhitung", "kotak_terkalibrasi": "Kotak terkalibrasi",
    "alasan_kalibrasi": "Alasan kalibrasi", "kalibrasi_usang": "Dikalibrasi dari kotak terhitung lama",
    **{f"kotak_{i}": f"Kotak {i}" for i in range(1, 10)},
    # counts and shares
    "n": "Pegawai", "pegawai": "Pegawai", "terpetakan": "Terpetakan", "persen": "Persentase", "periode": "Periode",
    "tahun": "Tahun", "ada_kinerja": "Ada kinerja",
    "ada_asesmen": "Ada asesmen", "lengkap": "Lengkap", "persen_lengkap": "% lengkap", "kekurangan": "Kekurangan",
    "persen_terpetakan": "% terpetakan", "tanpa_kinerja": "Tanpa kinerja", "tanpa_asesmen": "Belum pernah asesmen",
    "asesmen_kedaluwarsa": "Asesmen kedaluwarsa", "tanpa_kinerja_dan_asesmen": "Tanpa kinerja dan asesmen",
    # movement and bench strength (Talent Pool)
    "naik": "Naik", "tetap": "Tetap", "turun": "Turun", "baru_terpetakan": "Baru terpetakan",
    "tidak_terpetakan_lagi": "Tidak terpetakan lagi", "jabatan_manajerial": "Jabatan manajerial", "jpt": "JPT",
    "administrator": "Administrator", "pengawas": "Pengawas", "pensiun_2_tahun": f"Pensiun ≤ {rules.BUP_HORIZON_YEARS} tahun",
    "krs_pejabat": "KRS yang sudah pejabat", "krs_per_jabatan": "KRS per jabatan", "tanpa_suksesor": "Tanpa suksesor",
    # imports, exports, rule sets, audit, backups
    "batch_id": "Batch", "file_name": "Berkas", "isi": "Isi", "rows_read": "Dibaca", "rows_accepted": "Diterima",
    "rows_rejected": "Ditolak", "imported_at": "Waktu impor", "imported_by": "Oleh", "dibatalkan": "Dibatalkan",
    "kolom_berkas": "Kolom di berkas", "kolom_talenta": "Dibaca sebagai", "status": "Status",
    "export_id": "No.", "kind": "Jenis", "period": "Periode", "masked": "Disamarkan", "generated_at": "Waktu",
    "generated_by": "Oleh", "rule_set_id": "No.", "name": "Nama", "note": "Catatan", "created_by": "Dibuat oleh",
    "created_at": "Dibuat", "active": "Aktif", "activated_by": "Diaktifkan oleh", "activated_at": "Diaktifkan",
    "catatan": "Catatan", "diputuskan_oleh": "Diputuskan oleh", "diputuskan_pada": "Waktu keputusan",
    "username": "Nama pengguna", "role": "Peran", "opd_scope": "OPD", "display_name": "Nama tampilan",
    "email": "E-mail", "disabled": "Nonaktif", "last_login": "Terakhir masuk", "at": "Waktu", "actor": "Oleh",
    "action": "Tindakan", "target": "Sasaran", "details": "Rincian", "outcome": "Hasil",
    "tabel": "Tabel", "versi_skema": "Versi skema", "ukuran_mb": "Ukuran (MB)", "berkas": "Berkas", "dibuat": "Dibuat",
    "waktu": "Waktu", "pengguna": "Pengguna", "peran": "Peran", "aksi": "Aksi", "objek": "Objek",
    "rincian": "Rincian", "hasil": "Hasil", "jenis": "Jenis", "manifest": "Manifest",
    "alasan_kinerja": "Alasan (kinerja)", "alasan_potensial": "Alasan (potensial)", "reasons": "Alasan",
    # succession and calibration (issues 17, 18)
    "jabatan_id": "ID jabatan", "jabatan_target": "Jabatan target", "opd_target": "OPD jabatan target",
    "opd_kandidat": "OPD kandidat", "jabatan_kandidat": "Jabatan kandidat saat ini", "jenjang": "Jenjang",
    "alasan_target": "Alasan target", "skor": "Skor", "memenuhi_syarat": "Memenuhi syarat",
    "syarat_belum": "Syarat belum terpenuhi",
    "langkah": "Langkah", "peringkat": "Peringkat", "kesiapan": "Kesiapan", "justifikasi": "Justifikasi",
    "oleh": "Oleh", "pada": "Waktu", "kode_alasan": "Kode alasan", "tanggal_acuan": "Tanggal acuan",
}


# why an employee is not on the talent map (``privacy.REASONS``, exclusive): one wording for every page
UNPLACED: dict[str, str] = {
    "tanpa_asesmen": "belum pernah asesmen",
    "tanpa_kinerja": "tanpa kinerja (SKP) yang berlaku",
    "tanpa_kinerja_dan_asesmen": "tanpa kinerja dan asesmen",
    "asesmen_kedaluwarsa": "asesmennya di luar masa berlaku",
}


# short names of the import's reason codes (``ingest.validate.RULES`` holds the full rule text)
REASON_CODES: dict[str, str] = {
    "wajib_kosong": "Wajib diisi tetapi kosong", "tahun_tidak_valid": "Tahun tidak valid",
    "angka_tidak_valid": "Bukan angka", "di_luar_rentang": "Di luar rentang",
    "predikat_tidak_dikenal": "Predikat tidak dikenal", "rating_tidak_dikenal": "Rating tidak dikenal",
    "kinerja_kosong": "Kinerja kosong", "rating_tidak_lengkap": "Rating tidak lengkap",
    "asesmen_kosong": "Asesmen kosong", "tanggal_tidak_valid": "Tanggal tidak terbaca",
    "golongan_tidak_valid": "Golongan tidak valid", "baris_ganda": "Baris ganda", "nip_konflik": "NIP ganda berbeda isi",
    "nip_tidak_terdaftar": "NIP belum ada di data pegawai", "karakter_kendali": "Karakter kendali",
    "jumlah_kolom": "Jumlah isian tidak cocok", "penyandian_campur": "Penyandian bercampur",
    "sel_terlalu_panjang": "Sel terlalu panjang", "nip_kosong": "NIP kosong", "nip_hilang_digit": "NIP kehilangan digit",
    "nip_bukan_angka": "NIP bukan angka", "nip_panjang": "NIP tidak 18 digit", "nip_tgl_lahir": "NIP: tanggal lahir",
    "nip_tmt": "NIP: TMT", "nip_jenis_kelamin": "NIP: jenis kelamin", "nip_urut": "NIP: nomor urut 000",
    "tidak_sesuai_nip": "Tidak sesuai NIP",
}


def reason(code: str) -> str:
    """The short Indonesian name of an import reason code (unknown codes read as words, never snake_case)."""
    if code in REASON_CODES:
        return REASON_CODES[code]
    words = code.replace("_", " ").strip()
    return (words[:1].upper() + words[1:]).replace("Nip ", "NIP ").replace(" nip", " NIP")


def columns_text(names: str, sep: str = ", ") -> str:
    """A list of column names ("nip, tanggal_lahir") in display names ("NIP, Tanggal lahir")."""
    return sep.join(label(c.strip()) for c in str(names).split(",") if c.strip()) if names else names


def label(name: str) -> str:
    """The Indonesian display name of a column (the name itself when none is declared)."""
    return LABELS.get(name, name)


def relabel(df: pd.DataFrame, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` with display names as column headers (``extra`` overrides per call)."""
    names = {c: (extra or {}).get(c, label(c)) for c in df.columns if isinstance(c, str)}
    return df.rename(columns=names)
