"""The reader's size guards at their boundaries, and the encoding rules of CSV decoding."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from talenta.errors import ImportFileError
from talenta.ingest import readers


@given(st.integers(1, 20_000), st.integers(1, 20_000))
def test_far_cell_pattern_matches_exactly_the_cells_beyond(max_col, col):
    beyond = readers._cells_beyond(max_col, 1_048_576)
    ref = f' r="{readers._col_letters(col)}7"'.encode()
    assert bool(beyond.fullmatch(ref)) == (col > max_col)


@given(st.integers(1, 10**7), st.integers(1, 10**7))
def test_far_cell_pattern_matches_exactly_the_rows_beyond(max_row, row):
    beyond = readers._cells_beyond(16384, max_row)
    assert bool(beyond.fullmatch(f' r="B{row}"'.encode())) == (row > max_row)


def _sheet(tmp_path, n_cols, n_rows=2):
    import xlsxwriter
    p = tmp_path / f"s{n_cols}x{n_rows}.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Data")
    for r in range(n_rows):
        ws.write_row(r, 0, [f"r{r}c{c}" for c in range(n_cols)])
    wb.close()
    return p


@pytest.mark.parametrize("n_cols, n_rows, refused", [(3, 4, False), (4, 4, True), (3, 5, True)])
def test_xlsx_limits_are_inclusive(tmp_path, n_cols, n_rows, refused):
    limits = readers.Limits(max_rows=4, max_columns=3, max_cells=12)
    p = _sheet(tmp_path, n_cols, n_rows)
    if refused:
        with pytest.raises(ImportFileError, match="terlalu besar"):
            readers.check_xlsx(p, p.name, limits)
    else:
        readers.check_xlsx(p, p.name, limits)


def test_cell_count_limit_counts_the_used_range(tmp_path):
    p = _sheet(tmp_path, 3, 4)
    with pytest.raises(ImportFileError, match="menyatakan ukuran 4 baris × 3 kolom"):
        readers.check_xlsx(p, p.name, readers.Limits(max_cells=11))


def test_utf16_is_decoded_and_broken_utf16_refused():
    text, enc, bad = readers.decode("NIP,NAMA\n1,Ñ\n".encode("utf-16"))
    assert (text, enc, bad) == ("NIP,NAMA\n1,Ñ\n", "utf-16", set())
    with pytest.raises(ImportFileError, match="UTF-16 rusak atau belum didukung; simpan sebagai UTF-8"):
        readers.decode("NIP,NAMA\n".encode("utf-16") + b"\x00\xd8\x41")   # a lone surrogate, odd length


def test_cp1252_only_when_no_line_is_utf8():
    assert readers.decode("José\nAni\n".encode("cp1252"))[1] == "cp1252"
    text, enc, bad = readers.decode("José\r\n".encode() + "Ñúñez\r\n".encode("cp1252") + b"Ani")
    assert enc == "utf-8+campur" and bad == {2} and text.startswith("José\n")


def test_error_cells_and_formulas_without_result_are_found_whatever_the_chunk_size(tmp_path, monkeypatch):
    """``check_xlsx`` streams a sheet in chunks; every unreadable cell is found once, wherever a chunk ends. A
    stored result (numeric, or empty text of a string formula) is not reported."""
    import xlsxwriter
    p = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Data & Lain")
    want = []
    for r in range(1, 60):
        ws.write_row(r, 0, [f"n{r}", r])
        if r % 7 == 0:
            ws.write_formula(r, 2, f"=B{r + 1}/0", None, "#DIV/0!")
            want.append((r + 1, 3, "#DIV/0!", "sel_galat_excel"))
        elif r % 5 == 0:
            ws.write_formula(r, 3, f"=B{r + 1}&\"<x>\"", None, "")
            want.append((r + 1, 4, f"=B{r + 1}&\"<x>\"", "rumus_tanpa_nilai"))
        else:
            ws.write_formula(r, 2, f"=B{r + 1}*2", None, 2 * r)
    wb.close()
    assert readers.check_xlsx(p, p.name) == {"Data & Lain": want}
    for size in (37, 64, 101, 256):
        monkeypatch.setattr(readers, "_CHUNK", size)
        # (with chunks this small the workbook part naming the sheets is not read: the sheet keeps its part name)
        assert list(readers.check_xlsx(p, p.name, readers.Limits(max_unzipped_mb=10**6)).values()) == [want]
    # a string formula whose stored result is empty text is a value
    xml = b'<row r="2"><c r="A2" t="str"><f>IF(B2&gt;0,"","x")</f><v></v></c><c r="B2"><f>1+1</f></c></row>'
    assert readers.unreadable_cells(xml) == [(2, 2, "=1+1", "rumus_tanpa_nilai")]


def test_merges_over_too_many_data_cells_refuse_the_file(tmp_path, monkeypatch):
    """A merge's cells become one problem each (``sel_gabungan``); past ``MAX_MERGED_CELLS`` data cells the file is
    refused naming the range, so a hostile merge over a big table cannot fill memory with problems. A merge of
    the title above the header counts nothing."""
    import xlsxwriter
    p = tmp_path / "gabung.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Data")
    ws.merge_range("A1:C1", "Judul")
    ws.write_row(1, 0, ["NIP", "NAMA", "OPD"])
    for r in range(2, 12):
        ws.write_row(r, 0, [f"1990010120150310{r:02d}", f"Nama {r}"])
    ws.merge_range("C3:C12", "Dinas Gabung")
    wb.close()
    table = readers.read_file(p, p.name)
    assert len(table.cell_problems) == 9 and {c[3] for c in table.cell_problems} == {"sel_gabungan"}
    monkeypatch.setattr(readers, "MAX_MERGED_CELLS", 8)
    with pytest.raises(ImportFileError, match=r"menutupi lebih dari 8 sel data \(rentang C3:C12\)"):
        readers.read_file(p, p.name)


def test_a_sheet_declaring_a_huge_size_is_read_at_the_size_of_its_values(tmp_path):
    """Formatting left far below or right of a small table: refused before, read now with a note (review 5, item
    16). A value far away still refuses the file, and a check without room for fixes refuses as before."""
    import xlsxwriter
    p = tmp_path / "format.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, ["NIP", "NAMA", "OPD"])
    ws.write_row(1, 0, ["197002022000031004", "Budi", "Dinas A"])
    ws.write_blank(1048575, 16383, None, wb.add_format({"border": 1}))
    wb.close()
    with pytest.raises(ImportFileError, match="menyatakan ukuran 1.048.576 baris × 16.384 kolom"):
        readers.check_xlsx(p, p.name)
    fixes = {}
    readers.check_xlsx(p, p.name, fixes=fixes)
    [fix] = fixes.values()
    assert (fix.sheet, fix.declared, fix.used, fix.ref) == ("Data", (1048576, 16384), (2, 3), b"A1:C2")
    table = readers.read_file(p)
    assert table.frame["NAMA"].tolist() == ["Budi"]
    assert "1.048.576 baris × 16.384 kolom" in table.sheet_note and "sampai baris 2, kolom C" in table.sheet_note
