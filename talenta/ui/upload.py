"""Uploaded files: kept as temporary files for the reader, previewed once per file and options."""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from ..errors import ImportFileError
from ..ingest import preview
from .resources import get_connection, get_settings

_DIR = Path(tempfile.gettempdir()) / "talenta-upload"


def save(uploaded) -> Path:
    """Write an uploaded file to a private temp path named by its content hash."""
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    _DIR.mkdir(parents=True, exist_ok=True)
    suffix = Path(uploaded.name).suffix.lower() or ".csv"
    path = _DIR / f"{digest}{suffix}"
    if not path.exists():
        path.write_bytes(data)
    return path


def preview_of(uploaded, period: int | None, sheet: str | None):
    """Preview (or the ImportFileError explaining why the file cannot be imported)."""
    path = save(uploaded)
    key = ("pv", path.name, period, sheet)
    cache = st.session_state.setdefault("imp_previews", {})
    if key not in cache:
        try:
            cache[key] = preview(get_connection(), path, file_name=uploaded.name, period=period, sheet=sheet,
                                 instansi=get_settings().instansi)
        except ImportFileError as exc:
            cache[key] = exc
    return path, cache[key]


def forget_previews() -> None:
    st.session_state.pop("imp_previews", None)
