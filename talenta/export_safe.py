"""Write tables to CSV/XLSX safely: text that starts with = + - @ cannot run as a formula, and control
characters (invalid in XLSX, garbage in CSV) are removed (``escape.office_frame``)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .escape import FORMULA_START, neutralise, office_frame  # noqa: F401 (neutralise: the old home)

def write_table(df: pd.DataFrame, path: Path, sheet: str = "Data") -> None:
    """Write ``df`` to ``path`` (.xlsx, else CSV in UTF-8 with BOM), escaped for office files."""
    df = office_frame(df)
    if path.suffix.lower() == ".xlsx":
        with pd.ExcelWriter(path, engine="xlsxwriter") as xw:
            df.to_excel(xw, index=False, sheet_name=sheet[:31])
            ws = xw.sheets[sheet[:31]]
            ws.freeze_panes(1, 0)
            for i, c in enumerate(df.columns):
                lengths = df[c].astype("string").str.len().fillna(0)
                typical = int(lengths.quantile(0.9)) if len(df) else 0
                ws.set_column(i, i, min(60, max(len(str(c)), typical) + 2))
    else:
        df.to_csv(path, index=False, encoding="utf-8-sig")


def to_bytes(df: pd.DataFrame, fmt: str, sheet: str = "Data") -> bytes:
    """The same file as ``write_table``, in memory (for download buttons)."""
    import tempfile

    if fmt == "csv":
        return office_frame(df).to_csv(index=False).encode("utf-8-sig")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"x.{fmt}"
        write_table(df, p, sheet)
        return p.read_bytes()
