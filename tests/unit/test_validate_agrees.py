"""The DuckDB validator gives exactly what the plain pandas version of the same rules gives.

``validate_reference.py`` is the first, row-by-column pandas implementation (kept as the oracle).
Random messy tables (every column's good, odd and bad spellings, missing cells, duplicate and
conflicting rows, NIPs stored as numbers) must give the same rejected rows with the same codes and
messages, and the same accepted values, from both.

Each property runs 60 random tables by default (with the regressions a random run found, as explicit
examples); ``TALENTA_VALIDATE_EXAMPLES=1000`` runs deeper.
"""
from __future__ import annotations

import datetime as dt
import math
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from talenta import schema
from talenta.errors import ImportFileError
from talenta.ingest import readers
from talenta.ingest.validate import validate

from . import validate_reference

TODAY = dt.date(2026, 1, 1)
EXAMPLES = int(os.environ.get("TALENTA_VALIDATE_EXAMPLES", "60"))   # was 150: 0,3 s each, both validators
NIPS = ["196711101992031001", "198508172010012002", "199001012021211003", "199001012025292001",
        "1967 1110 1992 03 1 001", "'198508172010012002", "1.96711E+17", "19671110199203100", "19671110199203100A",
        "196713101992031001", "196711101992131001", "196711101992031301", "196711101992031000",
        "199001012018292001", "\u00a0199001012021211003", "196711101992031001.0", None]
VALUES = {
    "nama": ["Budi Santoso", " Budi  Santoso ", "Siti\u00a0Aminah", "Ána Lestari", "x", None],
    "gelar_depan": ["Dr.", "dr", None],
    "instansi": ["Pemerintah Kota Uji", "Pemkot  Uji", None],
    "opd": ["Dinas Pendidikan", "dinas  pendidikan", "Badan\tKeuangan", None],
    "unit_kerja": ["Bidang A", "Bidang\u2003B", None],
    "jenis_asn": ["PNS", "PPPK", "P3K", "PPPK Paruh Waktu", "honorer", None],
    "jenis_kelamin": ["L", "P", "Perempuan", "laki-laki", "x", None],
    "tanggal_lahir": ["10-11-1967", "1967-11-10", "17/08/1985", "31120", "32-13-2000", "1990-01-01 00:00:00",
                      "01.01.1990", "kemarin", None],
    "jenis_jabatan": ["Struktural", "JFT", "pelaksana", "tukang", None],
    "jabatan": ["Analis SDM Aparatur Ahli Muda", "Kepala  Dinas", None],
    "eselon": ["II.a", "21", "non eselon", "IIIb", "4a", "bogus", "VI.a", None],
    "golongan": ["III/a", "3a", "IX", "IV/e", "II/e", "iii - b", "XVIII", None],
    "pendidikan": ["S1", "Sarjana", "D-III", "Paket C", None],
    "tmt_cpns": ["01-03-1992", "1992-03-01", "nanti", None],
    "tahun": ["2024", "2025", "2025.0", "abc", "1999", None],
    "predikat": ["Baik", "SB", "sangat  baik", "baik sekali", None],
    "rating_hasil_kerja": ["Di atas ekspektasi", "sesuai", "bawah", "luar biasa", None],
    "rating_perilaku": ["Di atas ekspektasi", "Sesuai Ekspektasi", "di bawah", "??", None],
    "nilai_kinerja": ["87,5", "87.5", "101", "1.234,5", "90%", "abc", None],
    "jpm": ["85", "250", "79,25", "abc", None],
    "nilai_potensi": ["80", "-1", "75.5", None],
    "kategori_jpm": ["Optimal", "Cukup Optimal", None],
}
SETS = {
    "pegawai": ["nama", "instansi", "opd", "unit_kerja", "jenis_asn", "jenis_kelamin", "tanggal_lahir",
                "jenis_jabatan", "jabatan", "eselon", "golongan", "pendidikan", "tmt_cpns", "gelar_depan"],
    "kinerja": ["tahun", "predikat", "rating_hasil_kerja", "rating_perilaku", "nilai_kinerja"],
    "asesmen": ["tahun", "jpm", "nilai_potensi", "kategori_jpm"],
}


@st.composite
def tables(draw):
    groups = draw(st.lists(st.sampled_from(sorted(SETS)), min_size=1, max_size=3, unique=True))
    pool = sorted({c for g in groups for c in SETS[g]})
    columns = ["nip"] + draw(st.lists(st.sampled_from(pool), min_size=1, max_size=len(pool), unique=True))
    if "pegawai" in groups and "opd" not in columns:
        columns.append("opd")
    n = draw(st.integers(1, 25))
    base = [{c: draw(st.sampled_from(NIPS if c == "nip" else VALUES[c])) for c in columns} for _ in range(n)]
    rows = []
    for r in base:                         # repeats: exact duplicates, or the same NIP with one change
        rows.append(r)
        if draw(st.integers(0, 4)) == 0:
            rows.append(dict(r))
        if draw(st.integers(0, 5)) == 0:
            c = draw(st.sampled_from(columns))
            rows.append({**r, c: draw(st.sampled_from(NIPS if c == "nip" else VALUES[c]))})
    numeric = [draw(st.integers(0, 9)) == 0 for _ in rows]
    period = draw(st.sampled_from([None, 2025]))
    instansi = draw(st.sampled_from(["", "Pemerintah Kota Uji"]))
    return columns, rows, numeric, period, instansi


def _raw(columns, rows, numeric) -> readers.RawTable:
    body = pd.DataFrame([[r[c] for c in columns] for r in rows], dtype=object)
    raw = readers._finish("acak.csv", None, list(columns), body, 2, 1)
    flags = pd.Series([numeric[rn - 2] for rn in raw.row_numbers])
    raw.numeric_cells = lambda column: flags.set_axis(range(len(flags)))
    return raw


def _plain(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def _records(frame) -> list[dict]:
    if isinstance(frame, pd.DataFrame):
        return [{k: _plain(v) for k, v in r.items()} for r in frame.astype(object).to_dict("records")]
    return [{k: _plain(v) for k, v in r.items()} for r in frame.to_pylist()]


def _outcome(fn, raw, period, instansi):
    try:
        v = fn(raw, period=period, instansi=instansi, today=TODAY)
    except ImportFileError as e:
        return ("error", e.message)
    rejected = v.rejected[["row_number", "nip", "reason_codes", "columns", "message", "original"]]
    rejected = [{k: (list(x) if isinstance(x, (list, np.ndarray)) else _plain(x)) for k, x in r.items()}
                for r in rejected.astype(object).to_dict("records")]
    frames = {k: _records(f) for k, f in v.frames.items()}
    return (v.rows_read, rejected, frames, v.mapping.kinds)


# found by a random run: one NIP, two rows of 2024 that conflict and a 2025 row with another OPD. The
# DuckDB validator's per-NIP check ran after the per-(nip, tahun) conflicts were stored and no longer
# saw the 2024 rows, so the 2025 row with the conflicting OPD was accepted.
CONFLICT_BOTH_WAYS = (
    ["nip", "gelar_depan", "tahun", "opd"],
    [{"nip": "199001012021211003", "gelar_depan": None, "tahun": "2024", "opd": "Dinas Pendidikan"},
     {"nip": "199001012021211003", "gelar_depan": "dr", "tahun": "2024", "opd": "Dinas Pendidikan"},
     {"nip": "199001012021211003", "gelar_depan": None, "tahun": "2025", "opd": "Badan Keuangan"}],
    [False, False, False], 2025, "")

# found by a random run: a master file with a tahun column, two rows without tahun that conflict and a
# third of 2025. The (nip, tahun) check did not match the empty tahun (NULL = NULL is not a join match),
# so those rows' message lacked the "(baris 2, 3)" sentence the reference gives.
EMPTY_YEAR = (
    ["nip", "tahun", "unit_kerja", "opd"],
    [{"nip": "1967 1110 1992 03 1 001", "tahun": None, "unit_kerja": "Bidang B", "opd": "dinas  pendidikan"},
     {"nip": "1967 1110 1992 03 1 001", "tahun": None, "unit_kerja": "Bidang B", "opd": "Dinas Pendidikan"},
     {"nip": "196711101992031001", "tahun": "2025.0", "unit_kerja": "Bidang B", "opd": "dinas  pendidikan"}],
    [False, False, False], 2025, "")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
@example(CONFLICT_BOTH_WAYS)
@example(EMPTY_YEAR)
def test_duckdb_validator_agrees_with_pandas_reference(case):
    columns, rows, numeric, period, instansi = case
    raw = _raw(columns, rows, numeric)
    new = _outcome(validate, raw, period, instansi)
    old = _outcome(validate_reference.validate, _raw(columns, rows, numeric), period, instansi)
    assert new == old


@pytest.mark.parametrize("n", [10_000])
def test_plain_values_skip_the_python_rules_and_still_agree(n):
    """A large clean table (the fast path: plain NIPs and text) agrees too, row for row."""
    rng = np.random.default_rng(1)
    births = pd.to_datetime("1970-01-01") + pd.to_timedelta(rng.integers(0, 9000, n), unit="D")
    nips = [f"{b:%Y%m%d}{2000 + i % 20}0{1 + i % 2}{i % 2 + 1}{i % 900 + 1:03d}" for i, b in enumerate(births)]
    rows = [{"nip": nip, "nama": f"Pegawai {i}", "opd": f"Dinas {i % 40}", "golongan": ["III/a", "IX"][i % 2],
             "jenis_kelamin": ["L", "P"][i % 2], "tanggal_lahir": f"{b:%d-%m-%Y}"}
            for i, (nip, b) in enumerate(zip(nips, births))]
    columns = list(rows[0])
    new = _outcome(validate, _raw(columns, rows, [False] * n), None, "Pemkot")
    old = _outcome(validate_reference.validate, _raw(columns, rows, [False] * n), None, "Pemkot")
    assert new[1] == old[1]
    assert new[2] == old[2]
    assert len(new[2]["pegawai"]) + len(new[1]) == n


def test_a_row_conflicting_per_year_and_per_nip_is_rejected_once_with_both_reasons():
    columns, rows, numeric, period, instansi = CONFLICT_BOTH_WAYS
    v = validate(_raw(columns, rows, numeric), period=period, instansi=instansi, today=TODAY)
    rejected = v.rejected.set_index("row_number")
    assert sorted(rejected.index) == [2, 3, 4]          # the 2025 row's OPD disagrees with the 2024 rows
    assert list(rejected.loc[2, "reason_codes"]) == ["nip_konflik"]
    # each sentence names the column(s) that differ and their values (review 5 item 13)
    assert rejected.loc[2, "message"] == (
        "Baris 2, kolom gelar_depan: NIP yang sama muncul dengan isi berbeda di berkas ini (baris 2, 3): "
        "gelar_depan kosong (baris 2), 'dr' (baris 3). "
        "Baris 2, kolom gelar_depan: NIP yang sama muncul dengan isi berbeda di berkas ini (baris 2, 3, 4): "
        "gelar_depan kosong (baris 2, 4), 'dr' (baris 3); opd 'Dinas Pendidikan' (baris 2, 3), 'Badan Keuangan' "
        "(baris 4).")
    assert rejected.loc[4, "message"].count("NIP yang sama") == 1
    assert all(len(f) == 0 for f in v.frames.values())


# --- riwayat jabatan, hukuman disiplin, diklat, formasi: one kind per file
SINGLE_VALUES = {
    "jabatan": ["Kepala Seksi Pelayanan", "Kepala  Seksi Pelayanan", "Kepala Bidang\u00a0Program", None],
    "jenis_jabatan": ["Struktural", "JFT", "tukang", None],
    "eselon": ["41", "IV.a", "III/b", "non eselon", "bogus", None],
    "opd": ["Dinas Sosial", "dinas  sosial", None],
    "instansi": ["Pemerintah Kota Uji", None],
    "tmt_mulai": ["01-01-2015", "2015-01-01", "01-01-2020", "31-02-2020", "kemarin", None],
    "tmt_selesai": ["31-12-2019", "2014-12-31", "1-1-2020", "nanti", None],
    "tingkat": ["Ringan", "hukuman disiplin sedang", "B", "parah", None],
    "jenis_hukuman": ["Teguran tertulis", "Pemotongan  tunjangan", None],
    "nama_diklat": ["Diklatpim Tingkat IV", "Pelatihan Kepemimpinan Administrator", "Teknis SIASN", " ", None],
    "jenis_diklat": ["PKP", "pim 3", "Teknis", None],
    "tahun": ["2012", "1995", "1950", "2019.0", "abc", None],
    "kritikal": ["ya", "Tidak", "Y", "mungkin", None],
}
SINGLE_HEADERS = {
    schema.RIWAYAT: (["NIP_BARU", "JABATAN_NAMA", "TMT_JABATAN"], ["JENIS_JABATAN", "ESELON_ID", "UNOR_INDUK_NAMA",
                                                                   "TMT_SELESAI"]),
    schema.HUKUMAN: (["NIP", "TINGKAT_HUKUMAN", "JENIS_HUKUMAN", "TMT_HUKUMAN"], ["AKHIR_HUKUMAN"]),
    schema.DIKLAT: (["NIP", "LATIHAN_STRUKTURAL_NAMA", "TAHUN"], ["JENIS_DIKLAT"]),
    schema.FORMASI: (["OPD", "JABATAN", "NIP_PEMANGKU"], ["INSTANSI", "ESELON", "KRITIKAL"]),
}
CANON = {"NIP_BARU": "nip", "NIP": "nip", "JABATAN_NAMA": "jabatan", "TMT_JABATAN": "tmt_mulai",
         "JENIS_JABATAN": "jenis_jabatan", "ESELON_ID": "eselon", "UNOR_INDUK_NAMA": "opd", "TMT_SELESAI": "tmt_selesai",
         "TINGKAT_HUKUMAN": "tingkat", "JENIS_HUKUMAN": "jenis_hukuman", "TMT_HUKUMAN": "tmt_mulai",
         "AKHIR_HUKUMAN": "tmt_selesai", "LATIHAN_STRUKTURAL_NAMA": "nama_diklat", "TAHUN": "tahun",
         "JENIS_DIKLAT": "jenis_diklat", "OPD": "opd", "JABATAN": "jabatan", "NIP_PEMANGKU": "nip",
         "INSTANSI": "instansi", "ESELON": "eselon", "KRITIKAL": "kritikal"}


@st.composite
def single_tables(draw):
    kind = draw(st.sampled_from(sorted(SINGLE_HEADERS)))
    required, optional = SINGLE_HEADERS[kind]
    columns = required + draw(st.lists(st.sampled_from(optional), unique=True, max_size=len(optional)))
    if kind == schema.RIWAYAT and "TMT_SELESAI" not in columns:
        columns.append("TMT_SELESAI")          # without it, a file with UNOR_INDUK_NAMA is a master
    def value(c):
        return draw(st.sampled_from(NIPS if CANON[c] == "nip" else SINGLE_VALUES[CANON[c]]))
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        r = {c: value(c) for c in columns}
        rows.append(r)
        if draw(st.integers(0, 3)) == 0:
            rows.append(dict(r))
        if draw(st.integers(0, 3)) == 0:
            c = draw(st.sampled_from(columns))
            rows.append({**r, c: value(c)})
    numeric = [draw(st.integers(0, 9)) == 0 for _ in rows]
    return columns, rows, numeric, None, draw(st.sampled_from(["", "Pemerintah Kota Uji"]))


# a formasi where one pemangku holds two posts and one post is listed twice with different holders
PEMANGKU_TWICE = (
    ["OPD", "JABATAN", "NIP_PEMANGKU", "KRITIKAL"],
    [{"OPD": "Dinas Sosial", "JABATAN": "Kepala Seksi Pelayanan", "NIP_PEMANGKU": "196711101992031001", "KRITIKAL": "ya"},
     {"OPD": "Dinas Sosial", "JABATAN": "Kepala Bidang Program", "NIP_PEMANGKU": "196711101992031001", "KRITIKAL": None},
     {"OPD": "Dinas Sosial", "JABATAN": "Kepala Bidang Program", "NIP_PEMANGKU": "198508172010012002", "KRITIKAL": None},
     {"OPD": "Dinas Sosial", "JABATAN": "Kepala Seksi Data", "NIP_PEMANGKU": None, "KRITIKAL": "tidak"}],
    [False] * 4, None, "Pemerintah Kota Uji")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(single_tables())
@example(PEMANGKU_TWICE)
def test_single_kind_files_agree_with_the_reference(case):
    columns, rows, numeric, period, instansi = case
    new = _outcome(validate, _raw(columns, rows, numeric), period, instansi)
    old = _outcome(validate_reference.validate, _raw(columns, rows, numeric), period, instansi)
    assert new == old


def test_pemangku_in_two_posts_and_a_post_listed_twice_are_rejected():
    columns, rows, numeric, period, instansi = PEMANGKU_TWICE
    v = validate(_raw(columns, rows, numeric), period=period, instansi=instansi, today=TODAY)
    rejected = v.rejected.set_index("row_number")
    assert list(rejected.loc[2, "reason_codes"]) == ["pemangku_ganda"]
    assert list(rejected.loc[3, "reason_codes"]) == ["konflik_formasi", "pemangku_ganda"]
    assert list(rejected.loc[4, "reason_codes"]) == ["konflik_formasi"]
    assert rejected.loc[2, "message"] == ("Baris 2, kolom NIP_PEMANGKU: NIP pemangku yang sama tercatat pada lebih "
                                          "dari satu jabatan di berkas ini (baris 2, 3).")
    vacant = v.frames[schema.FORMASI].to_pylist()
    assert [(r["jabatan"], r["pemangku_nip"], r["kritikal"], r["instansi"]) for r in vacant] == [
        ("Kepala Seksi Data", None, False, "Pemerintah Kota Uji")]
