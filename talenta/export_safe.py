"""Write tables to CSV/XLSX safely: text that starts with = + - @ cannot run as a formula, and control
characters (invalid in XLSX, garbage in CSV) are removed.

The two media differ. In a CSV every field is text to the program that opens it, which then *parses* it:
a leading apostrophe (``escape.neutralise``) is the usual guard there. An XLSX cell has a type: text written
as a string cell (``t="s"``) is never evaluated, so it is stored as typed, without an apostrophe a reader
would see; its cell carries Excel's ``quotePrefix`` style, so that retyping the cell in Excel or Calc keeps it
text too. ``xlsx_writer`` turns off xlsxwriter's guessing (text to formula, URL or number)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .escape import FORMULA_START, neutralise, office, office_frame  # noqa: F401 (neutralise: the old home)

DATE_FORMAT = "dd-mm-yyyy"          # 17-08-2025, as every date the app writes (ui-style)
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def xlsx_writer(target) -> pd.ExcelWriter:
    """A pandas ExcelWriter (xlsxwriter) that writes every text as a string cell (never a formula or a link) and
    dates as ``DATE_FORMAT``."""
    return pd.ExcelWriter(target, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS},
                          date_format=DATE_FORMAT, datetime_format=DATE_FORMAT + " hh:mm")


def _text_columns(df: pd.DataFrame):
    return [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]


def xlsx_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A table for an XLSX sheet written by ``xlsx_writer``: control characters removed from text cells, the
    text otherwise as typed (no apostrophe). Returns a new frame."""
    out = df.copy()
    for c in _text_columns(out):
        out[c] = out[c].map(lambda v: office(v) if isinstance(v, str) else v)
    return out


def mark_formula_text(xw: pd.ExcelWriter, sheet: str, df: pd.DataFrame, startrow: int = 1) -> int:
    """Rewrite the text cells of ``df`` (written at ``startrow``) that start like a formula as strings with the
    ``quotePrefix`` style: shown as typed, kept as text when a reader edits them. Returns how many."""
    ws = xw.sheets[sheet]
    quoted = None
    n = 0
    for j, c in enumerate(df.columns):
        if c not in _text_columns(df):
            continue
        for i, v in enumerate(df[c].tolist()):
            if isinstance(v, str) and v.startswith(FORMULA_START):
                quoted = quoted or xw.book.add_format({"quote_prefix": True})
                ws.write_string(startrow + i, j, v, quoted)
                n += 1
    return n


def write_table(df: pd.DataFrame, path: Path, sheet: str = "Data") -> None:
    """Write ``df`` to ``path`` (.xlsx, else CSV in UTF-8 with BOM), escaped for the medium."""
    if path.suffix.lower() == ".xlsx":
        df = xlsx_frame(df)
        with xlsx_writer(path) as xw:
            df.to_excel(xw, index=False, sheet_name=sheet[:31])
            ws = xw.sheets[sheet[:31]]
            mark_formula_text(xw, sheet[:31], df)
            ws.freeze_panes(1, 0)
            for i, c in enumerate(df.columns):
                lengths = df[c].astype("string").str.len().fillna(0)
                typical = int(lengths.quantile(0.9)) if len(df) else 0
                ws.set_column(i, i, min(60, max(len(str(c)), typical) + 2))
    else:
        office_frame(df).to_csv(path, index=False, encoding="utf-8-sig")


def to_bytes(df: pd.DataFrame, fmt: str, sheet: str = "Data") -> bytes:
    """The same file as ``write_table``, in memory (for download buttons)."""
    import tempfile

    if fmt == "csv":
        return office_frame(df).to_csv(index=False).encode("utf-8-sig")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"x.{fmt}"
        write_table(df, p, sheet)
        return p.read_bytes()
