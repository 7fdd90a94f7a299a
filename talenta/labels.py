"""One table of display names: every column name a user can see (pages, exports, downloads, CSV/XLSX
headers, chart axes) is shown through ``label``; no raw column name reaches a user.

New columns add their Indonesian name here, once. ``relabel`` renames a frame's columns for display
(columns without an entry keep their name; ``tests`` check that none is left raw).
"""
from __future__ import annotations

import pandas as pd

from . import schema

LABELS: dict[str, str] = {
    **{name: c.label for name, c in schema.COLUMNS.items()},
    "nip": "NIP", "nama": "Nama", "instansi": "Instansi", "opd": "OPD", "jenis_jabatan": "Jenis jabatan",
    "jabatan": "Jabatan", "skor_kinerja": "Skor kinerja", "kategori_kinerja": "Kategori kinerja",
    "skor_potensial": "Skor potensial", "kategori_potensial": "Kategori potensial", "kotak": "Kotak",
    "label": "Label kotak", "rekomendasi": "Rekomendasi", "krs": "KRS", "rule_set": "Aturan", "alasan": "Alasan",
    "dasar_kinerja": "Dasar kinerja", "tahun_asesmen": "Tahun asesmen", "jpm": "JPM", "group": "Kelompok",
    "total": "Total", "belum_terpetakan": "Belum terpetakan", "krs_persen": "% KRS", "cluster": "Klaster",
    "hipo": "Potensi tinggi", "confidence": "Keyakinan", "stability": "Stabilitas", "keputusan": "Keputusan",
    "perlu_kajian": "Perlu kajian", "status": "Status penanda", "batch": "Batch", "file": "Berkas", "sheet": "Lembar", "baris": "Baris",
    "reason": "Kode alasan", "pesan": "Penjelasan", "kolom": "Kolom", "nilai_asli": "Nilai asli",
    "tmt_jabatan": "TMT jabatan", "tmt_golongan": "TMT golongan",
    "kotak_terhitung": "Kotak terhitung", "kotak_terkalibrasi": "Kotak terkalibrasi",
    "alasan_kalibrasi": "Alasan kalibrasi", "kalibrasi_usang": "Dikalibrasi dari kotak terhitung lama",
    **{f"kotak_{i}": f"Kotak {i}" for i in range(1, 10)},
}


def label(name: str) -> str:
    """The Indonesian display name of a column (the name itself when none is declared)."""
    return LABELS.get(name, name)


def relabel(df: pd.DataFrame, extra: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` with display names as column headers (``extra`` overrides per call)."""
    names = {c: (extra or {}).get(c, label(c)) for c in df.columns if isinstance(c, str)}
    return df.rename(columns=names)
