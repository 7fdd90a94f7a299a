"""Typed errors. Pages catch these (and only these) and show the message in Indonesian."""
from __future__ import annotations


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
