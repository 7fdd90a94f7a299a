"""Typed errors. Pages catch these (and only these) and show the message in Indonesian."""
from __future__ import annotations


class TalentaError(Exception):
    """Base class of every error the library raises on purpose."""


class SettingsError(TalentaError):
    """A TALENTA_* environment variable holds an unusable value."""


class StoreError(TalentaError):
    """The database cannot be opened or migrated."""


class ImportFileError(TalentaError):
    """A file cannot be imported at all (unreadable, not a table, no year, unknown kind).

    Nothing is written to the database when this is raised.
    """

    def __init__(self, file_name: str, message: str):
        super().__init__(f"{file_name}: {message}")
        self.file_name = file_name
        self.message = message


class UsageError(TalentaError):
    """A command-line or API call with arguments that do not make sense."""


class AccessDenied(TalentaError):
    """Tindakan atau data di luar hak akses pengguna."""
