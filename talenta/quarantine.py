"""The quarantine: rejected rows with their reasons, for the page and the ``rejected`` command."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import store


def rejected_rows(con, batch: int | None = None, include_undone: bool = False) -> pd.DataFrame:
    """One row per rejected source row: file, sheet, row, NIP, reason codes and readable message."""
    sql = """
        SELECT r.batch_id AS batch, r.file_name AS file, r.sheet, r.row_number AS baris, r.nip,
               array_to_string(r.reason_codes, ';') AS reason, r.message AS pesan,
               array_to_string(r.columns, ', ') AS kolom, r.original AS nilai_asli
        FROM rejected_row r JOIN import_batch b USING (batch_id)
        WHERE ($batch IS NULL OR r.batch_id = $batch) AND ($all OR b.undone_at IS NULL)
        ORDER BY r.batch_id, r.row_number"""
    return store.query_df(con, sql, {"batch": batch, "all": include_undone})


def write(df: pd.DataFrame, path: str | Path) -> None:
    from .export_safe import write_table

    write_table(df, Path(path), sheet="Baris ditolak")
