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


def _os_reason(exc: OSError) -> str:
    """An OS error's cause in Indonesian (the message a user reads, not errno's English)."""
    import errno

    return {errno.EISDIR: "itu sebuah folder", errno.ENOENT: "foldernya tidak ada",
            errno.ENOTDIR: "bagian jalurnya bukan folder", errno.EACCES: "tidak ada izin menulis di sana",
            errno.EPERM: "tidak ada izin menulis di sana", errno.EROFS: "sistem berkasnya hanya-baca",
            errno.ENAMETOOLONG: "nama berkasnya terlalu panjang", errno.ENOSPC: "disk penuh",
            errno.EFBIG: "berkasnya melampaui batas ukuran"}.get(exc.errno, f"galat sistem {exc.errno}")


def check_writable(path: Path) -> Path:
    """Refuse, before any work is done, an output path that cannot be written (a folder, a missing folder, no
    permission, a name too long), with the reason in Indonesian; nothing is created."""
    import os

    from .errors import UsageError

    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        if not parent.is_dir():
            raise UsageError(f"Tidak dapat menulis {path}: foldernya tidak ada. Tidak ada yang ditulis.")
        try:
            max_name = os.pathconf(parent, "PC_NAME_MAX")
        except (OSError, ValueError):
            max_name = 255
        # the temporary file beside it (``write_atomic``) takes its name and about 60 characters more
        if len(os.fsencode(path.name[:40])) + 60 > max_name or len(os.fsencode(path.name)) > max_name:
            raise UsageError(f"Tidak dapat menulis {path}: nama berkasnya terlalu panjang. Tidak ada yang ditulis.")
        if path.is_dir():
            raise UsageError(f"Tidak dapat menulis {path}: itu sebuah folder. Tidak ada yang ditulis.")
    except OSError as exc:
        raise UsageError(f"Tidak dapat menulis {path}: {_os_reason(exc)}. Tidak ada yang ditulis.") from None
    if not os.access(parent, os.W_OK):
        raise UsageError(f"Tidak dapat menulis {path}: tidak ada izin menulis di sana. Tidak ada yang ditulis.")
    return path


def write_atomic(path: Path, write) -> None:
    """Call ``write(temporary path)`` beside ``path``, then put it in place in one step: a failure (disk full, a file
    size limit) leaves an existing file as it was and no half-written one; the reason is said in Indonesian."""
    import os
    import tempfile

    from .errors import UsageError

    path = check_writable(Path(path))
    fd, tmp = tempfile.mkstemp(prefix="." + path.name[:40] + ".", suffix=".tmp" + path.suffix, dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"Tidak dapat menulis {path}: {_os_reason(exc)}. Berkas yang sudah ada tidak diubah.") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_table(df: pd.DataFrame, path: Path, sheet: str = "Data") -> None:
    """Write ``df`` to ``path`` (.xlsx, else CSV in UTF-8 with BOM), escaped for the medium, in one step
    (``write_atomic``)."""
    write_atomic(Path(path), lambda tmp: _write_table(df, tmp, sheet))


def write_bytes(path: Path, data: bytes) -> None:
    """``data`` to ``path`` in one step (``write_atomic``)."""
    write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def _write_table(df: pd.DataFrame, path: Path, sheet: str) -> None:
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
        _write_table(df, p, sheet)
        return p.read_bytes()
