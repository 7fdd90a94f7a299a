"""Uploaded files: size-checked, written to a private temporary folder only while a reader needs them,
previewed once per file and options.

Each use gets its own ``tempfile.mkdtemp()`` folder (mode 700, readable by this process's user only)
that is removed as soon as the preview or the import is done, so no upload outlives the request.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from .. import population
from ..errors import ImportFileError, report_unexpected, unexpected_message
from ..ingest import preview
from . import fmt
from .resources import get_connection, get_settings

MB = 1024 * 1024          # Streamlit's megabyte (server.maxUploadSize, file_uploader's max_upload_size)


def too_large(uploaded) -> str | None:
    """The refusal message when a file is over ``TALENTA_MAX_UPLOAD_MB``, else None."""
    limit = get_settings().max_upload_mb
    if uploaded.size <= limit * MB:
        return None
    return (f"{uploaded.name} berukuran {fmt.num(uploaded.size / MB, 1)} MB, melebihi batas unggah "
            f"{fmt.num(limit)} MB (setelan TALENTA_MAX_UPLOAD_MB). Berkas tidak dibaca dan tidak ada data yang "
            "berubah; pecah berkasnya atau minta administrator menaikkan batasnya.")


@contextlib.contextmanager
def saved(uploaded) -> Iterator[Path]:
    """The uploaded bytes as a file in a fresh private temporary folder, removed (with the file) on exit."""
    folder = tempfile.mkdtemp(prefix="talenta-upload-")          # mode 700
    try:
        path = Path(folder) / ("unggahan" + (Path(uploaded.name).suffix.lower() or ".csv"))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(uploaded.getvalue())
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def digest(uploaded) -> str:
    """A short content hash: names the preview cache entry and the page's widget keys."""
    return hashlib.sha256(uploaded.getvalue()).hexdigest()[:16]


def preview_of(uploaded, period: int | None, sheet: str | None, along: tuple[str, ...] = (), also_known=None):
    """(content hash, preview or the ImportFileError explaining why the file cannot be imported). ``along``: the
    content hashes of the employee files uploaded with it, whose NIPs (``also_known``) the NIP check counts as
    known (``loader.preview``)."""
    # under the data version: an import or undo since (in this session or another) changes what the preview says
    # (already imported, NIPs not yet in the employee data)
    key = ("pv", digest(uploaded), Path(uploaded.name).suffix.lower(), period, sheet,
           population.data_version(get_connection()), along)
    cache = st.session_state.setdefault("imp_previews", {})
    if key not in cache:
        with saved(uploaded) as path:
            try:
                cache[key] = preview(get_connection(), path, file_name=uploaded.name, period=period, sheet=sheet,
                                     instansi=get_settings().instansi, also_known=also_known if along else None)
            except ImportFileError as exc:
                cache[key] = exc
            except Exception as exc:      # a bug: logged with an id; the user sees the id, not a traceback
                if type(exc).__module__.startswith("streamlit"):
                    raise
                code = report_unexpected(exc, "pratinjau unggahan")
                cache[key] = ImportFileError(uploaded.name, unexpected_message(code))
    return key[1], cache[key]


def forget_previews() -> None:
    st.session_state.pop("imp_previews", None)
