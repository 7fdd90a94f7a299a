"""Read CSV and XLSX files into an all-text table, finding the header row below a title block.

Every value stays text (NIP above all); types are decided later by the normaliser. Each data row
keeps the row number the user sees in Excel or a text editor, so messages can point at it.
"""
from __future__ import annotations

import csv
import html
import io
import posixpath
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import fmt, schema
from ..errors import ImportFileError

HEADER_SCAN_ROWS = 40
FOOTER_SCAN_ROWS = 50
FOOTER_WORDS = re.compile(
    r"^\s*(total|jumlah|grand\s*total|sub\s*total|keterangan|catatan|dicetak|mengetahui|"
    r"kepala|sumber|ttd|tanda\s*tangan)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """Sizes a file may have before it is read (see the ``TALENTA_MAX_*`` settings)."""

    max_rows: int = 2_000_000
    max_columns: int = 500
    max_cells: int = 60_000_000
    max_unzipped_mb: int = 2048
    max_ratio: int = 1000
    max_field_chars: int = 131072

    @classmethod
    def from_settings(cls, settings=None) -> "Limits":
        """The limits of ``settings`` (default: the ``TALENTA_*`` environment)."""
        from ..config import Settings

        s = settings or Settings.from_env()
        return cls(s.max_xlsx_rows, s.max_xlsx_columns, s.max_xlsx_cells, s.max_xlsx_unzipped_mb, s.max_xlsx_ratio,
                   s.max_field_chars)


def _n(x: int) -> str:
    return fmt.num(x)


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
    # rows the reader could not read faithfully: (row_number, header or None, value, reason code);
    # the validator rejects them with that reason only (their cells may be shifted or garbled)
    row_problems: list[tuple[int, str | None, str, str]] = field(default_factory=list)
    sheet_note: str | None = None             # which worksheet was read and why (hidden sheets are not)
    source_header: list[str] | None = None    # the header texts as written (before _unique), for messages
    first_column: int = 0                     # 0-based sheet column of the table's first column (A = 0)
    # cells an .xlsx holds but the reader sees as empty (``unreadable_cells``): (row_number, header, value as
    # written, reason code); the validator rejects the row when the column is one it imports
    cell_problems: list[tuple[int, str, str, str]] = field(default_factory=list)
    _frame: pd.DataFrame | None = field(default=None, repr=False)

    def column_place(self, header: str) -> str:
        """Where column ``header`` is, as a user finds it: ``kolom ke-3, C``."""
        i = self.header.index(header)
        return f"kolom ke-{i + 1}, {_col_letters(self.first_column + i + 1)}"

    def header_text(self, header: str) -> str:
        """Column ``header`` as the file writes it (``NAMA``, not the made-unique ``NAMA (2)``)."""
        i = self.header.index(header)
        if self.source_header is not None and i < len(self.source_header):
            return self.source_header[i]
        return header

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


def _two_row_header(rows: list[list[object]], hidx: int) -> tuple[int, list[str]] | None:
    """A header spanning two rows (review 5, item 17: a group title NILAI merged above POTENSI, MANAJERIAL and JPM,
    or NIP merged down beside them): the row above or below the header names known columns over header cells
    that are empty. Returns (that row's index, the names) or None."""
    header = rows[hidx]
    for j in (hidx - 1, hidx + 1):
        if 0 <= j < len(rows):
            known = [str(v).strip() for k, v in enumerate(rows[j])
                     if v is not None and schema.normalize_header(v) in schema.ALIAS_INDEX
                     and (k >= len(header) or header[k] is None or not str(header[k]).strip())]
            if known:
                return j, known
    return None


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
            first_row_number: int, header_row_number: int, row_numbers: np.ndarray | None = None) -> RawTable:
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
    if row_numbers is None:
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
        # a trailing run of footer rows: "Jumlah", "Total", "Mengetahui", ... (see ``_footer_rows``)
        start = max(0, table.num_rows - FOOTER_SCAN_ROWS)   # footers sit at the end; never scan the whole sheet
        tail = table.slice(start).to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
        first_text, is_footer = _footer_rows(tail, header)
        n_footer = 0
        for flag in is_footer[::-1]:
            if not flag:
                break
            n_footer += 1
        if n_footer:
            cut = table.num_rows - n_footer
            for rn, text in zip(row_numbers[cut:], first_text.to_numpy()[len(first_text) - n_footer:]):
                skipped.append((int(rn), f"dilewati sebagai baris penutup/total: '{text}'"))
            table, row_numbers = table.slice(0, cut), row_numbers[:cut]
    return RawTable(file_name, sheet, header, table, row_numbers, header_row_number, skipped)


_NIP_FIELDS = ("nip", "pemangku_nip")


def _footer_rows(tail: pd.DataFrame, header: list[str]) -> tuple[pd.Series, np.ndarray]:
    """Each row's first text, and whether the row is a footer rather than data.

    A footer starts with a footer word (*Jumlah, Total, Kepala, Sumber, ...*) and does not look
    like a data row: no NIP-like value (nine digits or more) in a NIP column, and most of its other
    cells empty. So a post "Kepala Seksi Data" with its OPD and eselon, or an employee named "Total
    Wijaya" with a NIP, is data (checked by the row rules like any row), never dropped as a footer.
    """
    first_text = tail.astype(object).bfill(axis=1).iloc[:, 0].fillna("").astype(str)
    starts = first_text.str.match(FOOTER_WORDS.pattern, case=False).to_numpy(dtype=bool)
    filled = tail.notna().sum(axis=1).to_numpy()
    others = max(len(header) - 1, 1)
    mostly_empty = (filled - 1) * 2 < others
    has_nip = np.zeros(len(tail), dtype=bool)
    for i, h in enumerate(header):
        if schema.ALIAS_INDEX.get(schema.normalize_header(h), ("",))[0] in _NIP_FIELDS:
            digits = tail.iloc[:, i].fillna("").astype(str).str.count(r"\d").to_numpy()
            has_nip |= digits >= 9
    return first_text, starts & mostly_empty & ~has_nip


# --- CSV ---------------------------------------------------------------------------------

UTF16_REFUSED = "penyandian UTF-16 rusak atau belum didukung; simpan sebagai UTF-8 (CSV UTF-8) lalu impor ulang."


def _utf16(data: bytes) -> str | None:
    """'utf-16' / 'utf-16-le' / 'utf-16-be' when the bytes look like UTF-16 text (BOM or NUL pattern)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:4096]
    half = len(head) // 2
    if half < 2:
        return None
    even, odd = head[0:2 * half:2].count(0), head[1:2 * half:2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, file_name: str = "") -> tuple[str, str, set[int]]:
    """Text, encoding name and the (1-based) numbers of lines that are not valid in that encoding.

    UTF-8 (with or without BOM) and UTF-16 (BOM or NUL pattern) are decoded; a file without any valid
    UTF-8 multi-byte character is Windows-1252 (old Excel "CSV"). A file mixing UTF-8 lines and
    other lines is read as UTF-8 and its undecodable lines are returned, never reinterpreted.
    """
    enc16 = _utf16(data)
    if enc16:
        try:
            text = data.decode(enc16)
        except UnicodeDecodeError as exc:
            raise ImportFileError(file_name, UTF16_REFUSED) from exc
        return text.lstrip("\ufeff"), enc16, set()
    enc = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data, enc = data[3:], "utf-8-sig"
    try:
        return data.decode("utf-8"), enc, set()
    except UnicodeDecodeError:
        pass
    lines = re.split(rb"\r\n|\r|\n", data)      # numbered as the CSV reader numbers them
    bad, utf8_multibyte = set(), False
    for i, line in enumerate(lines, start=1):
        try:
            if not line.isascii():
                line.decode("utf-8")
                utf8_multibyte = True
        except UnicodeDecodeError:
            bad.add(i)
    if not utf8_multibyte and enc == "utf-8":
        return data.decode("cp1252", errors="replace"), "cp1252", set()
    text = "\n".join(line.decode("utf-8", errors="replace") for line in lines)
    return text, enc + "+campur", bad


MAX_LINE_CHARS = 1 << 20     # a CSV line longer than this (1 MiB) is refused, not split


def _lines(text: str, n: int) -> list[str]:
    """The first ``n`` lines (split like the CSV reader does: at CR, LF or CRLF only)."""
    out = []
    for line in io.StringIO(text, newline=""):
        out.append(line.rstrip("\r\n"))
        if len(out) >= n:
            break
    return out


def read_csv_bytes(data: bytes, file_name: str, limits: Limits | None = None) -> RawTable:
    """Read CSV bytes: encoding, separator and header row found; rows that cannot be read faithfully
    (a field count unlike the header's, an undecodable line, an oversize cell) are kept as
    ``row_problems`` so that they are rejected with a reason, never shifted or dropped."""
    limits = limits or Limits()
    text, enc, bad_lines = decode(data, file_name)
    if not text.strip():
        raise ImportFileError(file_name, "berkas kosong (tidak ada baris sama sekali).")
    if csv.field_size_limit() < sys.maxsize:
        # oversize cells are reported per row below, not by the csv module's exception (process-wide setting)
        csv.field_size_limit(sys.maxsize)
    head_lines = _lines(text[:MAX_LINE_CHARS + 1], HEADER_SCAN_ROWS + 5)
    long = next((i for i, line in enumerate(head_lines, 1) if len(line) > MAX_LINE_CHARS), None)
    if long is not None:        # (splitting such a line into fields would take gigabytes: refused before)
        raise ImportFileError(file_name, f"baris {_n(long)} berkas ini lebih panjang dari {_n(MAX_LINE_CHARS)} "
                                         "karakter; berkas data kepegawaian tidak memiliki baris sepanjang itu. "
                                         "Periksa apakah berkasnya benar (misalnya bukan satu baris tanpa ganti baris).")
    if len(text) > 1 << 20 and len(head_lines) < HEADER_SCAN_ROWS + 5:
        head_lines = _lines(text, HEADER_SCAN_ROWS + 5)
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
    names = next(csv.reader([head_lines[hidx]], delimiter=sep))
    if len(names) > limits.max_columns:
        raise ImportFileError(file_name, f"baris judul (baris {_n(hidx + 1)}) memiliki {_n(len(names))} kolom, melebihi "
                                         f"batas {_n(limits.max_columns)} kolom (pengaturan TALENTA_MAX_XLSX_COLUMNS, "
                                         "berlaku juga untuk CSV).")
    header = _unique(names)
    min_width = len(names)       # a row may leave out the fields under empty trailing header cells ("NIP,NAMA,")
    while min_width > 1 and not names[min_width - 1].strip():
        min_width -= 1
    if enc in ("utf-8", "utf-8-sig"):
        fast = _read_csv_arrow(data, enc, sep, hidx, head_lines[hidx], len(header), limits)
        if fast is not None:
            raw = _finish(file_name, None, header, fast, hidx + 2, hidx + 1)
            raw.source_header = [n.strip() for n in names]
            return raw
    body, numbers, problems = _read_csv_rows(text, sep, hidx, header, limits, bad_lines, min_width)
    raw = _finish(file_name, None, header, body, hidx + 2, hidx + 1, numbers)
    raw.source_header = [n.strip() for n in names]
    kept = set(raw.row_numbers.tolist())
    raw.row_problems = [p for p in problems if p[0] in kept]    # footer rows stay "skipped"
    return raw


def _shown(value: str, limit: int = 120) -> str:
    return value if len(value) <= limit else value[:limit] + f"… ({_n(len(value))} karakter)"


def _read_csv_rows(text: str, sep: str, hidx: int, header: list[str], limits: Limits,
                   bad_lines: set[int], min_width: int) -> tuple[pa.Table, np.ndarray, list]:
    """Rows below the header with Python's csv module: each row's first line number and problems."""
    width = len(header)
    src = io.StringIO(text, newline="")
    for _ in range(hidx + 1):
        src.readline()
    reader = csv.reader(src, delimiter=sep, quotechar='"')
    limit = limits.max_field_chars
    body: list[list[str]] = []
    numbers: list[int] = []
    problems: list[tuple[int, str | None, str, str]] = []
    line = hidx + 1                                  # lines consumed so far
    for row in reader:
        rn, line = line + 1, hidx + 1 + reader.line_num
        if not row:
            continue                                 # a blank line
        numbers.append(rn)
        if len(row) == width and max(map(len, row)) <= limit and not (bad_lines and rn in bad_lines) \
                and line == rn:
            body.append(row)                         # the common case, kept cheap
            continue
        problem = _row_problem(row, rn, line, sep, header, limit, bad_lines, min_width)
        if problem:
            problems.append(problem)
        body.append([f if len(f) <= limit else "" for f in row[:width]] + [""] * (width - len(row)))
    columns = list(zip(*body)) if body else [()] * width
    table = pa.table([pa.array(c, pa.string()) for c in columns], names=[str(i) for i in range(width)])
    return table, np.asarray(numbers, dtype=np.int64), problems


def _row_problem(row: list[str], rn: int, line: int, sep: str, header: list[str], limit: int,
                 bad_lines: set[int], min_width: int) -> tuple[int, str | None, str, str] | None:
    """Why a row (source lines ``rn``..``line``) cannot be read faithfully, or None."""
    width = len(header)
    span = f"[baris {rn}-{line}] " if line > rn else ""    # a quoted value over several lines
    if any(n in bad_lines for n in range(rn, line + 1)):
        return rn, None, span + _shown(sep.join(row)), "penyandian_campur"
    too_long = [i for i, f in enumerate(row) if len(f) > limit]
    if too_long:
        i = too_long[0]
        return rn, header[i] if i < width else None, span + _shown(row[i], 40), "sel_terlalu_panjang"
    if (len(row) < min_width and any(f.strip() for f in row)) or any(f.strip() for f in row[width:]):
        return rn, None, span + _shown(sep.join(row)), "jumlah_kolom"
    return None


def _read_csv_arrow(data: bytes, enc: str, sep: str, hidx: int, header_line: str, width: int,
                    limits: Limits) -> pa.Table | None:
    """The body below the header read by Arrow's multi-threaded parser, or None to use the row reader.

    Used only when every source line is exactly one row (no blank lines, no line breaks inside
    quoted values, every row as wide as the header, no cell over the length limit), so row numbers
    stay exact and nothing needs reporting; anything else goes through the row reader.
    """
    import pyarrow.csv as pacsv

    if len(data) < (1 << 20):
        return None          # small files: the row reader is as fast
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
        return None          # old-Mac line ends: let the row reader handle them
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
    for col in table.columns:
        longest = pc.max(pc.utf8_length(col)).as_py()
        if longest is not None and longest > limits.max_field_chars:
            return None      # the row reader reports the row
    return table


# --- XLSX ---------------------------------------------------------------------------------

XLSX_CORRUPT = ("berkas XLSX rusak atau tidak lengkap ({detail}); buka di Excel, simpan ulang sebagai .xlsx, "
                "lalu impor ulang.")
ENCRYPTED = ("berkas dilindungi kata sandi; buka di Excel, hapus kata sandinya (File > Info > Lindungi Buku Kerja), "
             "simpan ulang, lalu impor ulang.")
_CHUNK = 1 << 20
_SHEET_PART = re.compile(r"xl/worksheets/.+\.xml")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="\$?([A-Z]{1,3})?\$?(\d+)?(?::\$?([A-Z]{1,3})\$?(\d+))?"')
_ROW_R = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
_PREFIXED_ROW_R = re.compile(rb'<\w+:row\b[^>]*?\sr="(\d+)"')
# A cell's value that calamine and fastexcel both read as empty: an Excel error (t="e": #DIV/0!, #N/A, #REF!) and
# a formula without a stored result (written by a tool that does not calculate). Left alone they would become a
# missing score on an accepted row; ``unreadable_cells`` finds them in the sheet's XML.
_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_CELL_REF = re.compile(rb'''\br=["']\$?([A-Z]{1,3})\$?(\d+)["']''')
_CELL_TYPE = re.compile(rb'''\bt=["'](\w+)["']''')
_FORMULA = re.compile(rb'<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)', re.S)
_VALUE = re.compile(rb'<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)', re.S)
# a formula whose stored result may be empty text (a string result, ="" for instance)
_TEXT_TYPES = (b"str", b"s", b"inlineStr")
# Which stretches of XML are parsed (``_suspect``): parsing every cell would cost about 1 s per 100.000 formulas,
# one search of the bytes about 1 ms per megabyte. An error cell has t="e"; a formula without a result is a
# formula ("<f") followed by an empty or missing value. Prefixed tags (<x:c ...>) are always parsed.
_NO_RESULT = (b"<v></v>", b"<v/>", b"f></c>", b"/></c>")


# A merged range (``<mergeCell ref="C4:C6"/>``, after the sheet's rows): the reader sees its value in the first
# cell only, so the other rows of a vertical merge (one OPD over three rows) were empty: "wajib diisi" with no
# hint, or an optional value silently missing (review 5, item 15). ``_placed`` turns the ranges into cell problems
# (code ``sel_gabungan``) in the table's rows; a merge covering more data cells than this refuses the file.
_MERGE = re.compile(rb'''<(?:\w+:)?mergeCell\b[^>]*?\bref=["']\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)["']''')
MAX_MERGED_CELLS = 200_000


def merged_ranges(xml: bytes) -> list[tuple[int, int, str, str]]:
    """The merged ranges of a worksheet's XML as (first row, first column, "C4:C6", "sel_gabungan")."""
    out = []
    for m in _MERGE.finditer(xml):
        c1, r1, c2, r2 = m.group(1).decode(), int(m.group(2)), m.group(3).decode(), int(m.group(4))
        out.append((r1, _col_number(c1), f"{c1}{r1}:{c2}{r2}", "sel_gabungan"))
    return out


def _suspect(xml: bytes) -> bool:
    if b't="e"' in xml or b":c " in xml:
        return True
    return b"<f" in xml and any(s in xml for s in _NO_RESULT)


def unreadable_cells(xml: bytes) -> list[tuple[int, int, str, str]]:
    """(row, column (1-based), value as written, reason code) of the error cells and the formulas without a
    stored result among the whole cells of a worksheet's XML ``xml``."""
    out = []
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2) or b""
        t = _CELL_TYPE.search(attrs)
        kind = t.group(1) if t else b"n"
        if kind != b"e" and b"f" not in body:
            continue
        v = _VALUE.search(body)
        value = None if v is None else (v.group(1) or b"")
        if kind == b"e":
            code, shown = "sel_galat_excel", (value or b"#galat").decode("utf-8", "replace")
        else:
            f = _FORMULA.search(body)
            if f is None or (value is not None and (value != b"" or kind in _TEXT_TYPES)):
                continue
            text = (f.group(1) or b"").decode("utf-8", "replace")
            code, shown = "rumus_tanpa_nilai", ("=" + text) if text else "(rumus bersama)"
        ref = _CELL_REF.search(attrs)
        if ref:                  # a cell without a reference (rare) cannot be placed; calamine places it
            out.append((int(ref.group(2)), _col_number(ref.group(1).decode()), html.unescape(shown), code))
    return out


# A number shown as a percentage: Excel stores 87,5% as 0.875 and the reader gives "0.875", so a JPM typed as
# "87,5%" in a column formatted as percent was stored as 0,875 and accepted (hostile pass, session 22). A cell whose
# style's number format scales by 100 is read as Excel shows it ("87.5%"), as a CSV's "87,5%" is read; every rule
# then applies to that value. Built-in formats 9 and 10 are 0% and 0.00%; a custom format scales when it has a
# % outside quotes and escapes (0.0"%" and 0.0\% show a literal sign and do not scale).
_BUILTIN_PERCENT = {9, 10}
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b([^>]*)>')
_NUMFMT_ID = re.compile(rb'''\bnumFmtId=["'](\d+)["']''')
_FORMAT_CODE = re.compile(rb'\bformatCode=(?:"([^"]*)"|\'([^\']*)\')')
_CELL_XFS = re.compile(rb'<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>', re.S)
_XF = re.compile(rb'<(?:\w+:)?xf\b([^>]*?)/?>')
_CELL_STYLE = re.compile(rb'''\bs=["'](\d+)["']''')
_MAX_STYLES_BYTES = 16 * _CHUNK


def _scales_by_100(code: str) -> bool:
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in plain


def percent_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the workbook's cell styles (``cellXfs``) whose number format shows a percentage."""
    part = next((i for i in zf.infolist() if re.fullmatch(r"xl/[^/]*styles\.xml", i.filename, re.I)), None)
    if part is None or part.file_size > _MAX_STYLES_BYTES:
        return frozenset()
    xml = zf.read(part)
    percent = set(_BUILTIN_PERCENT)
    for m in _NUMFMT.finditer(xml):
        fid, code = _NUMFMT_ID.search(m.group(1)), _FORMAT_CODE.search(m.group(1))
        if fid and code and _scales_by_100(html.unescape((code.group(1) or code.group(2) or b"").decode(
                "utf-8", "replace"))):
            percent.add(int(fid.group(1)))
    xfs = _CELL_XFS.search(xml)
    if xfs is None:
        return frozenset()
    out = set()
    for k, m in enumerate(_XF.finditer(xfs.group(1))):
        f = _NUMFMT_ID.search(m.group(1))
        if f and int(f.group(1)) in percent:
            out.add(k)
    return frozenset(out)


def _percent_pattern(styles: frozenset[int]) -> re.Pattern:
    alts = b"|".join(str(k).encode() for k in sorted(styles))
    return re.compile(rb'<(?:\w+:)?c\b[^>]*?\bs=["\'](?:' + alts + rb')["\']')


def percent_cells(xml: bytes, styles: frozenset[int]) -> list[tuple[int, int, str, str]]:
    """(row, column (1-based), value as Excel shows it, "sel_persen") of the number cells of a worksheet's XML
    whose style shows a percentage: stored 0.875 -> "87.5%"."""
    from decimal import Decimal, InvalidOperation

    out = []
    for m in _CELL.finditer(xml):
        attrs, body = m.group(1), m.group(2) or b""
        st = _CELL_STYLE.search(attrs)
        if st is None or int(st.group(1)) not in styles:
            continue
        t = _CELL_TYPE.search(attrs)
        if t and t.group(1) != b"n":
            continue
        v = _VALUE.search(body)
        ref = _CELL_REF.search(attrs)
        if v is None or not v.group(1) or ref is None:
            continue
        try:
            shown = format((Decimal(v.group(1).decode()) * 100).normalize(), "f")
        except (InvalidOperation, UnicodeDecodeError):
            continue
        out.append((int(ref.group(2)), _col_number(ref.group(1).decode()), f"{shown}%", "sel_persen"))
    return out


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _greater(text: str, alphabet: str) -> str:
    """A regex matching the strings over ``alphabet`` (no leading 'zero') that sort after ``text``
    as numbers: longer ones, or as long and greater at the first difference."""
    first = alphabet[1:] if alphabet[0] == "0" else alphabet
    alts = [f"[{first[0]}-{first[-1]}][{alphabet[0]}-{alphabet[-1]}]{{{len(text)},}}"]
    for i, ch in enumerate(text):
        higher = alphabet[alphabet.index(ch) + 1:]
        if higher:
            rest = f"[{alphabet[0]}-{alphabet[-1]}]{{{len(text) - i - 1}}}"
            alts.append(re.escape(text[:i]) + f"[{higher[0]}-{higher[-1]}]" + rest)
    return "(?:" + "|".join(alts) + ")"


def _cells_beyond(max_col: int, max_row: int) -> re.Pattern:
    """Cell references in a column after ``max_col`` or a row after ``max_row``."""
    col = _greater(_col_letters(max_col), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    row = _greater(str(max_row), "0123456789")
    return re.compile((r' r="(?:' + col + r"[0-9]+|[A-Z]+" + row + ')"').encode())


def _sheet_names_by_part(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part (``xl/worksheets/sheet1.xml``) -> sheet name, from the workbook's small XML parts."""
    def small(name: str) -> bytes:
        try:
            info = zf.getinfo(name)
        except KeyError:
            return b""
        return zf.read(name) if info.file_size < 16 * _CHUNK else b""
    rels = {m.group(1): m.group(2) for m in re.finditer(
        rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"', small("xl/_rels/workbook.xml.rels"))}
    out = {}
    for m in re.finditer(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"', small("xl/workbook.xml")):
        target = rels.get(m.group(2), b"").decode("utf-8", "replace")
        # absolute from the package root, else relative to xl/ ("data/s.xml", "../xl/s.xml")
        part = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target))
        out[part] = m.group(1).decode("utf-8", "replace")
    return out


def check_xlsx(path: str | Path, file_name: str, limits: Limits | None = None,
               fixes: dict[str, "DimensionFix"] | None = None) -> dict[str, list]:
    """Refuse an .xlsx that would need more memory than the limits allow, before calamine reads it.

    Checks the zip (readable, total unpacked size, compression ratio of each part), then streams each
    worksheet's XML once: the declared ``<dimension>``, the rows and the cell references (a single
    cell at XFD1048576 makes the reader allocate every cell of that range), and the number of cells.
    Returns, per sheet name, the cells the reader would see as empty (``unreadable_cells``).

    ``fixes``: a sheet whose declared size, or whose farthest cell, is over the limits while its cells holding a
    value are not (formatting left far below the table, "Ctrl+End" at row 1.048.576) is then not refused: its
    part gets a ``DimensionFix`` here, and ``read_xlsx`` reads a copy declaring the size of its values.
    """
    limits = limits or Limits()
    found: dict[str, list] = {}
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(file_name, XLSX_CORRUPT.format(detail="bukan arsip zip yang utuh")) from exc
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > limits.max_unzipped_mb * _CHUNK:
            raise ImportFileError(file_name, f"isi berkas .xlsx setelah diekstrak {_n(total // _CHUNK)} MB, melebihi "
                                  f"batas {_n(limits.max_unzipped_mb)} MB (pengaturan TALENTA_MAX_XLSX_UNZIPPED_MB).")
        for i in infos:
            if i.file_size > _CHUNK and i.file_size > limits.max_ratio * max(i.compress_size, 1):
                raise ImportFileError(
                    file_name, f"bagian '{i.filename}' terkompresi {_n(i.file_size // max(i.compress_size, 1))} kali, "
                    f"melebihi batas {_n(limits.max_ratio)} kali (pengaturan TALENTA_MAX_XLSX_RATIO); berkas seperti "
                    "ini biasanya sengaja dibuat untuk menghabiskan memori.")
        names = _sheet_names_by_part(zf)
        percent = percent_styles(zf)
        for i in infos:
            # every worksheet the workbook points to, wherever it lies in the archive (a sheet outside
            # xl/worksheets/ is read all the same), and anything under xl/worksheets/
            if _SHEET_PART.fullmatch(i.filename) or i.filename in names:
                name = names.get(i.filename, i.filename)
                try:
                    found[html.unescape(name)] = _check_sheet(zf, i.filename, name, file_name, limits, fixes,
                                                               percent)
                except ImportFileError:
                    raise
                except Exception as exc:    # zlib.error, BadZipFile (bad CRC), EOFError, ...
                    raise ImportFileError(file_name, XLSX_CORRUPT.format(detail=f"bagian {i.filename}")) from exc
    return found


@dataclass(frozen=True)
class DimensionFix:
    """A sheet read with the size of its values instead of the size it declares (``check_xlsx``'s ``fixes``)."""

    sheet: str
    declared: tuple[int, int]       # (rows, columns) the sheet declared, or its farthest (empty) cell
    used: tuple[int, int]           # (rows, columns) up to the farthest cell holding a value

    @property
    def ref(self) -> bytes:
        return f"A1:{_col_letters(max(self.used[1], 1))}{max(self.used[0], 1)}".encode()

    def note(self) -> str:
        return (f"Ukuran lembar yang tercatat di berkas ({_n(self.declared[0])} baris × {_n(self.declared[1])} "
                f"kolom, biasanya format yang tersisa di bawah atau di kanan tabel) diabaikan: isinya sampai baris "
                f"{_n(self.used[0])}, kolom {_col_letters(max(self.used[1], 1))}.")


def _check_sheet(zf: zipfile.ZipFile, part: str, sheet: str, file_name: str, limits: Limits,
                 fixes: dict[str, DimensionFix] | None = None, percent: frozenset[int] = frozenset()) -> list:
    def refuse(rows: int, cols: int, declared: bool) -> None:
        why = (f"lembar itu menyatakan ukuran {_n(rows)} baris × {_n(cols)} kolom" if declared else
               f"sel terjauhnya ada di baris {_n(rows)}, kolom {_n(cols)} ({_col_letters(cols)})")
        raise ImportFileError(
            file_name,
            f"lembar '{sheet}' terlalu besar untuk dibaca: {why} "
            f"(batas {_n(limits.max_rows)} baris, {_n(limits.max_columns)} kolom, {_n(limits.max_cells)} sel; "
            "pengaturan TALENTA_MAX_XLSX_ROWS, _COLUMNS, _CELLS). Biasanya ada isi atau format tersisa jauh di "
            "bawah atau di kanan tabel: di Excel tekan Ctrl+End, hapus baris dan kolom kosong setelah tabel, "
            "simpan, lalu impor ulang.")

    def over(rows: int, cols: int) -> bool:
        return rows > limits.max_rows or cols > limits.max_columns or rows * cols > limits.max_cells

    too_big: list[tuple[int, int]] = []     # with ``fixes``: the size over the limits, decided by the values later

    def too(rows: int, cols: int, declared: bool) -> None:
        if fixes is None:
            refuse(rows, cols, declared)
        too_big.append((rows, cols))

    max_row = max_col = 0
    n_rows = n_cells = 0
    beyond = _cells_beyond(1, 1)
    tail, first = b"", True
    unreadable: list = []
    rows_tail = b""          # the XML after the last whole row: its cells are looked at with the next chunk

    shown_as_percent = _percent_pattern(percent) if percent else None

    def look(xml: bytes) -> None:
        if _suspect(xml):
            unreadable.extend(unreadable_cells(xml))
        if shown_as_percent is not None and shown_as_percent.search(xml):
            unreadable.extend(percent_cells(xml, percent))
        if b"mergeCell" in xml:
            unreadable.extend(merged_ranges(xml))

    with zf.open(part) as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                look(rows_tail + tail)
                break
            buf = tail + chunk
            cut = buf.rfind(b"<")
            buf, tail = (buf[:cut], buf[cut:]) if cut > 0 else (buf, b"")
            if first:
                first = False
                m = _DIMENSION.search(buf)
                if m and m.group(3):
                    rows, cols = int(m.group(4)), _col_number(m.group(3).decode())
                    if over(rows, cols):
                        too(rows, cols, True)
            if b'\nr="' in buf or b'\tr="' in buf or b'\rr="' in buf:
                buf = re.sub(rb'[\t\n\r]r="', b' r="', buf)      # the cell search below expects ' r="'
            whole = rows_tail + buf
            end = whole.rfind(b"row>") + 4          # after the last </row> (or </x:row>); 3 when there is none
            if end > 3:
                look(whole[:end])
                rows_tail = whole[end:]
            else:
                rows_tail = whole
            n_rows += buf.count(b"<row") + buf.count(b":row ")
            n_cells += buf.count(b"<c ") + buf.count(b"<c>") + buf.count(b":c ")
            row_r = [int(x) for x in _ROW_R.findall(buf)]
            if b":row" in buf:
                row_r += [int(x) for x in _PREFIXED_ROW_R.findall(buf)]
            if max(row_r + [n_rows]) > max_row:
                max_row = max(row_r + [n_rows])
                beyond = _cells_beyond(max(max_col, 1), max_row)
            changed = True
            while changed:             # cells right of or below every cell seen so far (rare)
                changed = False
                for ref in beyond.findall(buf):
                    m = re.fullmatch(rb' r="([A-Z]+)([0-9]+)"', ref)
                    if m:
                        max_col = max(max_col, _col_number(m.group(1).decode()))
                        max_row = max(max_row, int(m.group(2)))
                        changed = True
                if changed:
                    if over(max_row, max_col) and not too_big:
                        too(max_row, max(max_col, 1), False)
                    beyond = _cells_beyond(max(max_col, 1), max(max_row, 1))
            if over(max_row, max(max_col, 1)) and not too_big:
                too(max_row, max(max_col, 1), False)
            if n_cells > limits.max_cells:
                raise ImportFileError(file_name, f"lembar '{sheet}' berisi lebih dari {_n(limits.max_cells)} sel "
                                      "(pengaturan TALENTA_MAX_XLSX_CELLS); bagi berkas menjadi beberapa berkas.")
    if too_big:
        used = _valued_extent(zf, part)
        if used is None:            # a value without a cell reference: its place is unknown, the size stands
            refuse(*too_big[0], True)
        if over(*used):
            refuse(used[0], used[1], False)
        declared = (max(r for r, _ in too_big), max(c for _, c in too_big))
        fixes[part] = DimensionFix(html.unescape(sheet), declared, used)
    return unreadable


_HOLDS_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is|f)\b")


def _valued_extent(zf: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """(row, column) of the farthest cells holding a value (a value, inline text or a formula) of a worksheet part,
    streamed whole row by whole row; None when such a cell has no reference. Only for a sheet whose size is over
    the limits (one parse of its cells)."""
    rows = cols = 0
    tail = b""
    with zf.open(part) as f:
        while True:
            chunk = f.read(_CHUNK)
            whole = tail + chunk
            end = len(whole) if not chunk else whole.rfind(b"row>") + 4
            if end <= 3:
                tail = whole
                continue
            for m in _CELL.finditer(whole[:end]):
                body = m.group(2)
                if not body or not _HOLDS_VALUE.search(body):
                    continue
                ref = _CELL_REF.search(m.group(1))
                if ref is None:
                    return None
                cols = max(cols, _col_number(ref.group(1).decode()))
                rows = max(rows, int(ref.group(2)))
            tail = whole[end:]
            if not chunk:
                return rows, cols


def _with_dimensions(src: Path, dst: Path, fixes: dict[str, DimensionFix]) -> Path:
    """A copy of the workbook ``src`` at ``dst`` whose fixed sheets declare the size of their values (the first
    ``<dimension ref>`` of each such part rewritten; every other byte copied as it is, streamed)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            with zin.open(info) as fin, zout.open(zipfile.ZipInfo(info.filename, info.date_time), "w",
                                                  force_zip64=True) as fout:
                first = info.filename in fixes
                while True:
                    chunk = fin.read(_CHUNK)
                    if not chunk:
                        break
                    if first:
                        chunk = re.sub(rb'(<(?:\w+:)?dimension\b[^>]*?\bref=")[^"]*(")',
                                       lambda m: m.group(1) + fixes[info.filename].ref + m.group(2), chunk, count=1)
                        first = False
                    fout.write(chunk)
    return dst


def _calamine_error(file_name: str, exc: Exception) -> ImportFileError:
    detail = " ".join(str(exc).split())[:160] or type(exc).__name__
    return ImportFileError(file_name, XLSX_CORRUPT.format(detail=detail))


def read_xlsx(path: Path, file_name: str, sheet: str | None = None, limits: Limits | None = None) -> RawTable:
    """Read the first worksheet holding a recognised table (or ``sheet``), after :func:`check_xlsx`.

    A sheet declaring a size over the limits whose values lie within them (formatting left down to row 1.048.576)
    is read from a private copy declaring the size of its values, and its note says so (review 5, item 16: the
    file was refused, the user sent to Excel to delete empty rows)."""
    fixes: dict[str, DimensionFix] = {}
    unreadable = check_xlsx(path, file_name, limits, fixes)
    try:
        if not fixes:
            return _read_xlsx(path, file_name, sheet, unreadable)
        with tempfile.TemporaryDirectory(prefix="talenta-xlsx-") as work:
            table = _read_xlsx(_with_dimensions(Path(path), Path(work) / "lembar.xlsx", fixes), file_name, sheet,
                               unreadable)
        fix = next((f for f in fixes.values() if f.sheet == table.sheet), None)
        if fix is not None:
            table.sheet_note = f"{table.sheet_note} {fix.note()}"
        return table
    except ImportFileError:
        raise
    except Exception as exc:   # calamine and fastexcel raise private types (XmlError, ZipError, ...)
        raise _calamine_error(file_name, exc) from exc


def _read_xlsx(path: Path, file_name: str, sheet: str | None, unreadable: dict[str, list] | None = None) -> RawTable:
    import fastexcel
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    meta = wb.sheets_metadata
    worksheets = [m for m in meta if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    visible = [m.name for m in worksheets if m.visible == python_calamine.SheetVisibleEnum.Visible]
    hidden = [m.name for m in worksheets if m.visible != python_calamine.SheetVisibleEnum.Visible]
    if sheet is not None and sheet not in wb.sheet_names:
        raise ImportFileError(file_name, f"lembar '{sheet}' tidak ada; lembar yang ada: {', '.join(wb.sheet_names)}.")
    tab = _active_tab(path)
    active = meta[tab].name if tab is not None and tab < len(meta) and meta[tab].name in visible else None
    # without a sheet named: the sheet Excel opens on (the active one), then the other visible ones in
    # order; a hidden sheet (often old data) is read only when named
    candidates = [sheet] if sheet else ([active] if active else []) + [n for n in visible if n != active]
    hidden_note = (f"; lembar tersembunyi {', '.join(repr(h) for h in hidden)} tidak dibaca (sebutkan namanya "
                   "bila tabelnya di sana)") if hidden and not sheet else ""
    if not candidates:
        if hidden:
            raise ImportFileError(
                file_name, f"buku kerja hanya berisi lembar tersembunyi ({', '.join(repr(h) for h in hidden)}); "
                "lembar tersembunyi tidak dibaca tanpa disebut namanya. Tampilkan lembarnya di Excel (Unhide), "
                "atau sebutkan namanya (opsi --sheet pada CLI, atau kolom Nama lembar di halaman Impor Data).")
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
        if two := _two_row_header(top.values.tolist(), hidx):
            here, there = start_row + hidx + 1, start_row + two[0] + 1
            raise ImportFileError(
                file_name, f"judul kolom tampaknya dua baris (baris {min(here, there)} dan {max(here, there)}: "
                f"{', '.join(two[1])} ada di baris {there}, di atas atau di bawah sel judul yang kosong); Talenta "
                "membaca satu baris judul. Jadikan satu baris judul (semua judul kolom dalam satu baris, tanpa judul "
                "kelompok yang digabung), lalu impor ulang.")
        header = _unique(top.iloc[hidx].tolist())
        body = arrow.slice(hidx + 1)
        table = _finish(file_name, name, header, body, start_row + hidx + 2, start_row + hidx + 1)
        table.numeric_cells = _numeric_cell_probe(wb, name, hidx, table, start_row)
        table.source_header = ["" if c is None else str(c).strip() for c in top.iloc[hidx].tolist()]
        table.first_column = cal_sheet.start[1] if cal_sheet.start else 0
        placed = _placed(table, (unreadable or {}).get(name, []))
        table.cell_problems = [c for c in placed if c[3] != "sel_persen"]
        percent_note = _as_shown(table, [c for c in placed if c[3] == "sel_persen"])
        why = ("lembar yang disebut" if sheet else "lembar aktif" if name == active
               else "lembar terlihat pertama yang berisi tabel")
        table.sheet_note = f"Dibaca lembar '{name}' ({why}){hidden_note}.{percent_note}"
        return table
    where = f"lembar '{sheet}'" if sheet else "lembar terlihat mana pun"
    raise ImportFileError(
        file_name,
        f"tidak ditemukan tabel dengan judul kolom yang dikenali di {where} "
        f"(misalnya NIP, NAMA, TAHUN, PREDIKAT){hidden_note}.",
    )


def _placed(table: RawTable, cells: list[tuple[int, int, str, str]]) -> list[tuple[int, str, str, str]]:
    """The unreadable cells that lie in the table's rows and columns, as (row_number, header, value, code); a
    merged range gives each of its cells but the first (which holds the value) in the table's rows."""
    if not cells:
        return []
    rows = set(int(r) for r in table.row_numbers)
    numbers = np.asarray(table.row_numbers)
    out, merged = [], 0
    for row, col, value, code in cells:
        if code == "sel_gabungan":
            m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", value)
            r2, c2 = int(m.group(4)), _col_number(m.group(3))
            inside = numbers[np.searchsorted(numbers, row):np.searchsorted(numbers, r2, side="right")]
            columns = [c for c in range(col, c2 + 1) if 0 <= c - 1 - table.first_column < len(table.header)]
            merged += len(inside) * len(columns)
            if merged > MAX_MERGED_CELLS:
                raise ImportFileError(table.file_name, f"sel gabungan (merge) menutupi lebih dari "
                                      f"{_n(MAX_MERGED_CELLS)} sel data (rentang {value}); pisahkan gabungan sel "
                                      "(Unmerge Cells) dan isi setiap baris, lalu impor ulang.")
            out += [(int(r), table.header[c - 1 - table.first_column], value, code)
                    for r in inside for c in columns if (int(r), c) != (row, col)]
            continue
        i = col - 1 - table.first_column
        if row in rows and 0 <= i < len(table.header):
            out.append((row, table.header[i], value, code))
    return out


def _as_shown(table: RawTable, cells: list[tuple[int, str, str, str]]) -> str:
    """Put the percent cells' values as Excel shows them ("87.5%") into ``table``; the sentence the sheet note
    adds (empty without such cells)."""
    if not cells:
        return ""
    numbers = np.asarray(table.row_numbers)
    by_column: dict[str, list[tuple[int, str]]] = {}
    for row, header, value, _ in cells:
        by_column.setdefault(header, []).append((int(np.searchsorted(numbers, row)), value))
    columns = table.table.column_names
    for header, changes in by_column.items():
        values = table.table.column(header).to_pylist()
        for pos, value in changes:
            values[pos] = value
        table.table = table.table.set_column(columns.index(header), header, pa.array(values, pa.string()))
    table._frame = None
    row, header, value, _ = cells[0]
    return (f" {_n(len(cells))} sel berformat persen dibaca seperti yang tampil di Excel (mis. kolom "
            f"{table.header_text(header)} baris {_n(row)}: {value}), bukan sebagai pecahan.")


_ACTIVE_TAB = re.compile(rb'<(?:\w+:)?workbookView\b[^>]*?\bactiveTab="(\d+)"')


def _active_tab(path: Path) -> int | None:
    """Position of the sheet Excel opens on (``workbookView activeTab``; absent means the first)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 16 * _CHUNK:
                return 0
            m = _ACTIVE_TAB.search(zf.read(info))
    except (KeyError, zipfile.BadZipFile, OSError):
        return 0
    return int(m.group(1)) if m else 0


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
    """Names of the worksheets (not chart sheets) of an xlsx file (call after :func:`read_file`)."""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        return [m.name for m in wb.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    except Exception as exc:
        raise _calamine_error(Path(path).name, exc) from exc


def is_xlsx(data_head: bytes) -> bool:
    return data_head[:4] == b"PK\x03\x04"


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def read_file(path: str | Path, file_name: str | None = None, sheet: str | None = None,
              limits: Limits | None = None) -> RawTable:
    """Read a CSV or XLSX file (told apart by content, not only by extension).

    ``limits`` defaults to the ``TALENTA_MAX_*`` settings, so the command line, the import and the
    upload preview all read under the same limits. Every failure is an ``ImportFileError``.
    """
    path = Path(path)
    file_name = file_name or path.name
    limits = limits or Limits.from_settings()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(file_name, f"berkas tidak dapat dibuka ({exc.strerror}).") from exc
    if not data:
        raise ImportFileError(file_name, "berkas kosong (0 byte).")
    if is_xlsx(data):
        return read_xlsx(path, file_name, sheet, limits)
    if data[:8] == OLE2:
        if _ENCRYPTION_INFO in data:     # an encrypted .xlsx is an OLE2 file with EncryptionInfo
            raise ImportFileError(file_name, ENCRYPTED)
        raise ImportFileError(file_name, "format .xls lama belum didukung; simpan ulang sebagai .xlsx atau CSV.")
    head = data[:4096]
    if _utf16(data) is None and sum(head.count(b) for b in _CONTROL_BYTES) > max(8, len(head) // 20):
        # many control bytes: a binary file. A few (a NUL in a value) reject only their rows.
        raise ImportFileError(file_name, "bukan berkas teks CSV maupun Excel .xlsx.")
    return read_csv_bytes(data, file_name, limits)
