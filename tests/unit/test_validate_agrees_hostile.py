"""Both validators agree on the rules for hostile input: control characters in any column, and rows
the reader could not read faithfully (rejected for that reason only, never with shifted values)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talenta.ingest.validate import validate

from . import validate_reference
from .test_validate_agrees import TODAY, _outcome, _raw, single_tables, tables

CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"]
ALLOWED = ["\t", "\n", "\r", "\x7f", "\u0085"]
READER = ["jumlah_kolom", "penyandian_campur", "sel_terlalu_panjang"]
CELL = [("#N/A", "sel_galat_excel"), ("=AVERAGE(C2:D2)", "rumus_tanpa_nilai")]


@st.composite
def hostile_tables(draw):
    columns, rows, numeric, period, instansi = draw(st.one_of(tables(), single_tables()))
    rows = [dict(r) for r in rows]
    for r in rows:                                   # a control (or allowed) character in some cells
        for c in columns:
            if r[c] is not None and draw(st.integers(0, 6)) == 0:
                ch = draw(st.sampled_from(CONTROL + ALLOWED))
                at = draw(st.integers(0, len(r[c])))
                r[c] = r[c][:at] + ch + r[c][at:]
    marks = [draw(st.sampled_from([None] * 6 + READER)) for _ in rows]
    # .xlsx cells the reader saw as empty (an error value, a formula without a result), in any column
    cells = [(i, c, draw(st.sampled_from(CELL))) for i in range(len(rows)) for c in columns
             if draw(st.integers(0, 9)) == 0]
    return columns, rows, numeric, period, instansi, (marks, cells)


def _with_reader_problems(columns, rows, numeric, marks):
    marks, cells = marks if isinstance(marks, tuple) else (marks, [])
    raw = _raw(columns, rows, numeric)
    raw.row_problems = [(rn, columns[1] if code == "sel_terlalu_panjang" else None, f"isi baris {rn}", code)
                        for rn, code in ((rn, marks[rn - 2]) for rn in raw.row_numbers) if code]
    raw.cell_problems = [(i + 2, c, value, code) for i, c, (value, code) in cells]   # row i is source row i + 2
    return raw


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_tables())
def test_validators_agree_on_control_characters_and_reader_problems(case):
    columns, rows, numeric, period, instansi, marks = case
    new = _outcome(validate, _with_reader_problems(columns, rows, numeric, marks), period, instansi)
    old = _outcome(validate_reference.validate, _with_reader_problems(columns, rows, numeric, marks), period, instansi)
    assert new == old


@pytest.mark.parametrize("fn", [validate, validate_reference.validate], ids=["duckdb", "pandas"])
def test_a_row_with_a_reader_problem_is_rejected_for_that_reason_only(fn):
    columns = ["nip", "nama", "opd"]
    rows = [{"nip": "196711101992031001", "nama": "Budi Santoso", "opd": " S.Kom"},     # shifted by a comma
            {"nip": "bukan nip", "nama": "A\x00", "opd": "Dinas A"},                   # would fail twice
            {"nip": "198508172010012002", "nama": "Ani", "opd": "Dinas A"}]
    raw = _raw(columns, rows, [False] * 3)
    raw.row_problems = [(2, None, "196711101992031001,Budi Santoso, S.Kom,Dinas A", "jumlah_kolom"),
                        (3, None, "bukan nip,A\x00,Dinas A", "penyandian_campur")]
    v = fn(raw, instansi="Pemkot", today=TODAY)
    rej = v.rejected.set_index("row_number")
    assert [list(rej.loc[2, "reason_codes"]), list(rej.loc[3, "reason_codes"])] == [["jumlah_kolom"], ["penyandian_campur"]]
    assert rej.loc[2, "message"].startswith("Baris 2: jumlah isian baris ini berbeda dari jumlah judul kolom")
    assert "'196711101992031001,Budi Santoso, S.Kom,Dinas A'" in rej.loc[2, "message"]
    assert "bukan nip,A\\x00,Dinas A" in rej.loc[3, "message"]        # a control character is shown, not sent raw
    assert v.frames["pegawai"].num_rows if hasattr(v.frames["pegawai"], "num_rows") else len(v.frames["pegawai"]) == 1


@pytest.mark.parametrize("fn", [validate, validate_reference.validate], ids=["duckdb", "pandas"])
def test_control_character_names_the_column_and_shows_it_escaped(fn):
    columns = ["nip", "nama", "opd", "catatan"]
    rows = [{"nip": "196711101992031001", "nama": "Budi", "opd": "Dinas\x1bA", "catatan": "ok\x00"},
            {"nip": "198508172010012002", "nama": "Ani\tRahma", "opd": "Dinas A", "catatan": "baris\r\nbaru"}]
    v = fn(_raw(columns, rows, [False] * 2), instansi="Pemkot", today=TODAY)
    assert v.rejected["row_number"].tolist() == [2]
    row = v.rejected.iloc[0]
    assert list(row["reason_codes"]) == ["karakter_kendali"] and list(row["columns"]) == ["opd", "catatan"]
    assert row["message"].startswith("Baris 2, kolom opd: nilai 'Dinas\\x1bA' berisi karakter kendali")
    assert "\x00" not in row["message"] and "\x1b" not in row["message"]
