"""Typed errors. Pages catch these (and only these) and show the message in Indonesian."""
from __future__ import annotations

import sys
from pathlib import Path


class TalentaError(Exception):
    """Base class of every error the library raises on purpose."""


class SettingsError(TalentaError):
    """A TALENTA_* environment variable holds an unusable value."""


class StoreError(TalentaError):
    """The database cannot be opened or migrated."""


class DatabaseBusyError(StoreError):
    """Another process (the dashboard, another command) holds the database: DuckDB allows one writer."""


class ImportFileError(TalentaError):
    """A file cannot be imported at all (unreadable, not a table, no year, unknown kind).

    Nothing is written to the database when this is raised.
    """

    def __init__(self, file_name: str, message: str):
        super().__init__(f"{file_name}: {message}")
        self.file_name = file_name
        self.message = message


class BackupError(TalentaError):
    """A snapshot cannot be written, or a snapshot is not fit to restore (nothing was replaced)."""


class UsageError(TalentaError):
    """A command-line or API call with arguments that do not make sense."""


class AccessDenied(TalentaError):
    """Tindakan atau data di luar hak akses pengguna."""


class SignInError(TalentaError):
    """Sign-in refused: unknown user, wrong password, disabled or locked account (one message per cause)."""


class DependentBatchesError(UsageError):
    """Undoing a batch alone would leave kinerja/asesmen rows of later batches without their employee.

    ``plan`` is the ``talenta.ingest.loader.UndoPlan``; ``plan.dependents`` lists (batch, file) to undo
    with it.
    """

    def __init__(self, plan):
        names = ", ".join(f"{b} ({f})" for b, f in plan.dependents)
        super().__init__(
            f"Batch {plan.batch} ({plan.file}) tidak dibatalkan: {plan.orphans} pegawai yang hanya ada di batch ini "
            f"masih punya data kinerja/asesmen dari batch {names}. Membatalkannya sendiri akan meninggalkan data "
            "tanpa pegawai. Batalkan batch itu lebih dulu, atau batalkan semuanya bersama (perintah "
            f"'python -m talenta undo {plan.batch} --with-dependents', atau konfirmasi di halaman Impor Data).")
        self.plan = plan


def report_unexpected_to(exc: BaseException, where: str, log_file: str | Path) -> tuple[str, Path | None]:
    """``report_unexpected`` into ``log_file`` (the command line's), and the file the record went to: ``log_file``,
    or the private file in the temporary folder when it cannot be opened; None when neither could be (review 12,
    L7: "tercatat di log aplikasi" did not say which)."""
    return _report(exc, where, log_file)


def report_unexpected(exc: BaseException, where: str, log_file: str | Path | None = None) -> str:
    """Log an error that is a bug (not a ``TalentaError``) with its traceback; return a short id.

    The id is shown to the user (see :func:`unexpected_message`) so that an administrator can find
    the traceback in the log; the user never sees the traceback itself. ``log_file`` (used by the
    command line, whose stderr the user reads) receives the record instead of the process's log
    handlers; when it cannot be opened, a private file in the temporary folder is used.
    """
    return _report(exc, where, log_file)[0]


def _report(exc: BaseException, where: str, log_file: str | Path | None) -> tuple[str, Path | None]:
    import logging
    import secrets

    code = secrets.token_hex(3).upper()
    logger = logging.getLogger("talenta")
    handler = _file_handler(log_file) if log_file else None
    written = Path(handler.baseFilename) if isinstance(handler, logging.FileHandler) else None
    if handler:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        logger.error("kesalahan tak terduga %s (%s)", code, where, exc_info=exc)
    finally:
        if handler:
            logger.removeHandler(handler)
            logger.propagate = True
            try:
                handler.close()
            except OSError:         # (a full disk: the record is lost, the user still gets the code)
                pass
    return code, written


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or an error it was raised from) is a full disk: an OSError ENOSPC, or DuckDB's IO error
    saying so. Not a bug: the user is told so instead of a code (review 12, M6)."""
    import errno

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if "no space left on device" in str(exc).lower():
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


DISK_FULL = ("ruang disk server penuh, sehingga data tidak dapat ditulis. Kosongkan ruang di folder basis data "
             "(atau folder tujuan), lalu ulangi.")


def report_operator(exc: BaseException, where: str) -> str:
    """Log a fault of the installation (the database cannot be opened, a setting is unusable) with its whole
    message, which names server paths and processes, and return a short id. A visitor, signed in or not, is told
    the id only (review 12, M1: the login page showed the database path, the interpreter and a PID)."""
    import logging
    import secrets

    code = secrets.token_hex(3).upper()
    logging.getLogger("talenta").error("server belum dapat melayani %s (%s): %s", code, where, exc)
    return code


def _file_handler(path: str | Path):
    import logging
    import os
    import tempfile

    for candidate in (Path(path), Path(tempfile.gettempdir()) / f"talenta-errors-{os.getuid()}.log"):
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
            handler = logging.FileHandler(candidate, encoding="utf-8")
        except OSError:
            continue
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        # a record that cannot be written (a full disk) is one line on stderr, not logging's traceback
        handler.handleError = lambda record, c=candidate: print(f"Log {c} tidak dapat ditulis.", file=sys.stderr)
        return handler
    return logging.NullHandler()


def unexpected_message(code: str, importing: bool = True, log: Path | None = None) -> str:
    """The sentence a user sees for an unexpected error logged under ``code`` (``importing``: it interrupted an
    import, which then changed nothing: every file is stored in one transaction); ``log`` names the file it went to
    (the command line's user is the operator; a dashboard visitor is told the code only)."""
    where = f"di {log}" if log else "di log aplikasi"
    return (f"Terjadi kesalahan tak terduga (kode {code}). Rinciannya tercatat {where} dengan kode itu; "
            "sampaikan kode ini kepada pengelola aplikasi." + (" Impor yang gagal tidak mengubah data." if importing else ""))
