"""Read CSV and XLSX files into an all-text table, finding the header row below a title block.

Every value stays text (NIP above all); types are decided later by the normaliser. Each data row
keeps the row number the user sees in Excel or a text editor, so messages can point at it.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from ..errors import ImportFileError

HEADER_SCAN_ROWS = 40
FOOTER_SCAN_ROWS = 50
FOOTER_WORDS = re.compile(
    r"^\s*(total|jumlah|grand\s*total|sub\s*total|keterangan|catatan|dicetak|mengetahui|"
    r"kepala|sumber|ttd|tanda\s*tangan)\b", re.IGNORECASE)


@dataclass
class RawTable:
    """A table as read: text cells, the header row found, and each row's number in the source."""

    file_name: str
    sheet: str | None
    header: list[str]                 # the original header texts (made unique)
    table: pa.Table                   # text cells (stripped), null for empty; columns = header
    row_numbers: np.ndarray           # 1-based row number in the source, per table row
    header_row_number: int
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row_number, why) footers
    numeric_cells: Callable[[str], pd.Series] | None = None       # column -> cell held a number
    _frame: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def frame(self) -> pd.DataFrame:
        """The cells as a pandas frame (string dtype, NA for empty); built on first use."""
        if self._frame is None:
            self._frame = self.table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
        return self._frame


def _score_header(cells: list[object]) -> int:
    return sum(1 for c in cells if c is not None and schema.normalize_header(c) in schema.ALIAS_INDEX)


def _find_header(rows: list[list[object]]) -> int | None:
    """Index of the most header-like row among the first rows (at least two known column names)."""
    best, best_score = None, 1
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _score_header(row)
        if score > best_score:
            best, best_score = i, score
    return best


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, n in enumerate(names):
        n = str(n).strip() if n is not None and str(n).strip() and str(n) != "nan" else f"kolom_{i + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n} ({seen[n]})"
        else:
            seen[n] = 1
        out.append(n)
    return out


def _finish(file_name: str, sheet: str | None, header: list[str], body: pd.DataFrame | pa.Table,
            first_row_number: int, header_row_number: int) -> RawTable:
    """Strip cells, drop blank rows, split off trailing footer rows (totals, signatures)."""
    if isinstance(body, pd.DataFrame):
        body = pa.table([pa.array(body.iloc[:, i].astype(object).where(body.iloc[:, i].notna(), None),
                                  pa.string(), from_pandas=True)
                         for i in range(min(len(header), body.shape[1]))],
                        names=[str(i) for i in range(min(len(header), body.shape[1]))])
    n = body.num_rows
    columns = []
    for i in range(len(header)):
        if i < body.num_columns:
            c = pc.utf8_trim_whitespace(body.column(i).cast(pa.string()))
            c = pc.if_else(pc.equal(c, ""), pa.scalar(None, pa.string()), c)
        else:
            c = pa.nulls(n, pa.string())
        columns.append(c)
    table = pa.table(columns, names=header)
    row_numbers = np.arange(first_row_number, first_row_number + n)
    if n:
        nonblank = columns[0].is_valid()
        for c in columns[1:]:
            nonblank = pc.or_(nonblank, c.is_valid())
        keep = nonblank.to_numpy(zero_copy_only=False)
        if not keep.all():
            table, row_numbers = table.filter(pa.array(keep)), row_numbers[keep]
    skipped: list[tuple[int, str]] = []
    if table.num_rows:
        # a trailing run of rows that start with "Jumlah", "Total", "Mengetahui", ... is a footer
        start = max(0, table.num_rows - FOOTER_SCAN_ROWS)   # footers sit at the end; never scan the whole sheet
        tail = table.slice(start).to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
        first_text = tail.astype(object).bfill(axis=1).iloc[:, 0].fillna("").astype(str)
        is_footer = first_text.str.match(FOOTER_WORDS.pattern, case=False).to_numpy()
        n_footer = 0
        for flag in is_footer[::-1]:
            if not flag:
                break
            n_footer += 1
        if n_footer:
            cut = table.num_rows - n_footer
            for rn, text in zip(row_numbers[cut:], first_text.to_numpy()[len(first_text) - n_footer:]):
                skipped.append((int(rn), f"baris penutup/total diabaikan: '{text}'"))
            table, row_numbers = table.slice(0, cut), row_numbers[:cut]
    return RawTable(file_name, sheet, header, table, row_numbers, header_row_number, skipped)


# --- CSV ------------------------------------------------------------------------------------

def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 with BOM, UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def read_csv_bytes(data: bytes, file_name: str) -> RawTable:
    text, enc = decode(data)
    if not text.strip():
        raise ImportFileError(file_name, "berkas kosong (tidak ada baris sama sekali).")
    head_lines = text[:1 << 20].splitlines()[: HEADER_SCAN_ROWS + 5]
    if len(text) > 1 << 20 and len(head_lines) < HEADER_SCAN_ROWS + 5:
        head_lines = text.splitlines()[: HEADER_SCAN_ROWS + 5]
    best: tuple[int, int, str, int] | None = None  # (score, ncols, sep, header_index)
    for sep in (",", ";", "\t", "|"):
        rows = list(csv.reader(head_lines, delimiter=sep))
        idx = _find_header(rows)
        if idx is None:
            continue
        cand = (_score_header(rows[idx]), len(rows[idx]), sep, idx)
        if best is None or cand[:2] > best[:2]:
            best = cand
    if best is None:
        raise ImportFileError(
            file_name,
            "tidak ditemukan baris judul kolom yang dikenali (misalnya NIP, NAMA, TAHUN, PREDIKAT). "
            "Pastikan berkas berupa tabel dengan satu baris judul kolom.",
        )
    _, _, sep, hidx = best
    header = _unique(next(csv.reader([head_lines[hidx]], delimiter=sep)))
    fast = _read_csv_arrow(data, enc, sep, hidx, head_lines[hidx], len(header))
    if fast is not None:
        return _finish(file_name, None, header, fast, hidx + 2, hidx + 1)
    try:
        body = pd.read_csv(
            io.StringIO(text), sep=sep, header=None, skiprows=hidx + 1, dtype=str,
            keep_default_na=False, skip_blank_lines=False, names=range(len(header)),
            quotechar='"', engine="c", index_col=False,
        )
    except pd.errors.ParserError as exc:
        raise ImportFileError(file_name, f"baris CSV tidak terbaca ({exc}).") from exc
    return _finish(file_name, None, header, body, hidx + 2, hidx + 1)


def _read_csv_arrow(data: bytes, enc: str, sep: str, hidx: int, header_line: str, width: int) -> pa.Table | None:
    """The body below the header read by Arrow's multi-threaded parser, or None to use pandas.

    Used only when every source line is exactly one row (no blank lines, no line breaks inside
    quoted values, every row as wide as the header), so row numbers stay exact; anything else
    goes through the pandas reader.
    """
    import pyarrow.csv as pacsv

    if enc not in ("utf-8", "utf-8-sig") or len(data) < (1 << 20):
        return None          # small files: the pandas reader is as fast
    start = 3 if enc == "utf-8-sig" else 0
    for _ in range(hidx + 1):
        nl = data.find(b"\n", start)
        if nl < 0:
            return None
        line = data[start:nl]
        start = nl + 1
    if line.rstrip(b"\r").decode("utf-8", errors="replace") != header_line:
        return None
    body = memoryview(data)[start:]
    n_lines = data.count(b"\n", start) + (0 if data.endswith(b"\n") else 1)
    if b"\r" in data[start:start + 65536].replace(b"\r\n", b""):
        return None          # old-Mac line ends: let pandas handle them
    bad: list[int] = []

    def invalid(row) -> str:
        bad.append(row.number)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=[str(i) for i in range(width)], use_threads=True,
                                           block_size=8 << 20),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                             newlines_in_values=False, ignore_empty_lines=True,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types={str(i): pa.string() for i in range(width)},
                                                 strings_can_be_null=False, null_values=[]))
    except pa.ArrowInvalid:
        return None
    if bad or table.num_rows != n_lines:
        return None
    return table


# --- XLSX -----------------------------------------------------------------------------------

def read_xlsx(path: Path, file_name: str, sheet: str | None = None) -> RawTable:
    import fastexcel
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several private error types
        raise ImportFileError(file_name, f"berkas Excel tidak dapat dibaca ({exc}).") from exc
    worksheets = [m.name for m in wb.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    if sheet is not None and sheet not in wb.sheet_names:
        raise ImportFileError(file_name, f"lembar '{sheet}' tidak ada; lembar yang ada: {', '.join(wb.sheet_names)}.")
    candidates = [sheet] if sheet else worksheets
    if not candidates:
        raise ImportFileError(file_name, "buku kerja tidak berisi lembar tabel (hanya grafik atau kosong).")
    reader = fastexcel.read_excel(str(path))
    for name in candidates:
        cal_sheet = wb.get_sheet_by_name(name)
        if cal_sheet.height == 0:
            continue
        start_row = cal_sheet.start[0] if cal_sheet.start else 0
        arrow = reader.load_sheet(name, header_row=None, dtypes="string", whitespace_as_null=True).to_arrow()
        head = arrow.slice(0, HEADER_SCAN_ROWS).to_pandas()
        top = head.astype(object).where(head.notna(), None)
        hidx = _find_header(top.values.tolist())
        if hidx is None:
            if sheet:
                break
            continue
        header = _unique(top.iloc[hidx].tolist())
        body = arrow.slice(hidx + 1)
        table = _finish(file_name, name, header, body, start_row + hidx + 2, start_row + hidx + 1)
        table.numeric_cells = _numeric_cell_probe(wb, name, hidx, table, start_row)
        return table
    where = f"lembar '{sheet}'" if sheet else "lembar mana pun"
    raise ImportFileError(
        file_name,
        f"tidak ditemukan tabel dengan judul kolom yang dikenali di {where} "
        "(misalnya NIP, NAMA, TAHUN, PREDIKAT).",
    )


def _numeric_cell_probe(wb, sheet_name: str, hidx: int, table: RawTable, start_row: int):
    """Return a function telling, for one column, which rows held a number (not text) in Excel.

    Only needed for NIP: an 18-digit number stored as a number has lost digits, and its text form
    cannot tell. The sheet is re-read with cell types only when that column holds long digits.
    """
    def probe(column: str) -> pd.Series:
        s = table.table.column(column).to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
        long_digits = s.str.fullmatch(r"\d{16,}").fillna(False)
        result = pd.Series(False, index=s.index)
        if not long_digits.any():
            return result
        col_idx = table.header.index(column)
        rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=True)
        row_pos = table.row_numbers - start_row - 1  # position in the used range
        values = [rows[p][col_idx] if p < len(rows) and col_idx < len(rows[p]) else None for p in row_pos]
        result[:] = [isinstance(v, (int, float)) and not isinstance(v, bool) for v in values]
        return result
    return probe


def sheet_names(path: str | Path) -> list[str]:
    """Names of the worksheets (not chart sheets) of an xlsx file."""
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    return [m.name for m in wb.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]


def is_xlsx(data_head: bytes) -> bool:
    return data_head[:4] == b"PK\x03\x04"


def read_file(path: str | Path, file_name: str | None = None, sheet: str | None = None) -> RawTable:
    """Read a CSV or XLSX file (told apart by content, not only by extension)."""
    path = Path(path)
    file_name = file_name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(file_name, f"berkas tidak dapat dibuka ({exc.strerror}).") from exc
    if not data:
        raise ImportFileError(file_name, "berkas kosong (0 byte).")
    if is_xlsx(data):
        return read_xlsx(path, file_name, sheet)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(file_name, "format .xls lama belum didukung; simpan ulang sebagai .xlsx atau CSV.")
    if b"\x00" in data[:4096]:
        raise ImportFileError(file_name, "bukan berkas teks CSV maupun Excel .xlsx.")
    return read_csv_bytes(data, file_name)
