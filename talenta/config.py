"""Settings: one frozen dataclass, every field documented, read from ``TALENTA_*`` variables.

Each field carries its help text in ``metadata["help"]``; the README's settings table is
checked against this list by a test, so a new setting cannot go undocumented.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

from . import rules
from .fairness_params import FairnessParams, parse_age_bands
from .hipo_params import HipoParams
from typing import Any

from .errors import SettingsError

PREFIX = "TALENTA_"

# The range each numeric setting must lie in (inclusive; None: no bound). A value outside is refused when the
# settings are read, in words: TALENTA_MIN_GROUP=0 silently switched off small-group suppression (review 12, M2),
# TALENTA_BACKUP_KEEP=0 deleted each daily snapshot as it was taken (L2).
RANGES: dict[str, tuple[float | None, float | None]] = {
    "demo_employees": (1, None), "min_group": (2, None), "period_min_share": (0, 1), "max_upload_mb": (1, None),
    "cache_ttl_seconds": (0, None), "duckdb_threads": (0, None), "hipo_k_max": (2, None), "hipo_bootstrap": (0, None),
    "hipo_stability": (0, 1), "hipo_fit_sample": (2, None), "fairness_alpha": (0, 1), "fairness_min_gap_pp": (0, 100),
    "login_max_failures": (1, None), "login_lock_minutes": (1, None), "session_idle_minutes": (1, None),
    "backup_keep": (1, None), "max_xlsx_rows": (1, None), "max_xlsx_columns": (1, None), "max_xlsx_cells": (1, None),
    "max_xlsx_unzipped_mb": (1, None), "max_xlsx_ratio": (1, None), "max_field_chars": (1, None),
}
_TRUE, _FALSE = {"1", "true", "ya", "yes", "on"}, {"0", "false", "tidak", "no", "off", ""}


def _f(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Run-time settings. Override any field with the environment variable ``TALENTA_<NAME>``."""

    db_path: str = _f("data/talenta.duckdb", "Path of the DuckDB database file.")
    instansi: str = _f(
        "Pemerintah Kota Palembang",
        "Instansi name used when an imported employee file has no instansi column, and in titles.",
    )
    seed: int = _f(20251017, "Random seed for demo data and for clustering (reproducible results).")
    demo_dir: str = _f("data/demo", "Folder where the demo generator writes its input files.")
    demo_employees: int = _f(21700, "Number of employees the demo generator creates by default.")
    min_group: int = _f(
        5,
        "Small-group threshold: when identities are masked, groups smaller than this are shown as '<N'.",
    )
    period_min_share: float = _f(0.5, "The dashboard opens on the latest period whose SKP rows are at least this share "
                                      "of the most in an earlier period; a barely loaded period (one OPD's early "
                                      "upload) is offered but not chosen, and Ringkasan says so when it is chosen.")
    max_upload_mb: int = _f(200, "Largest file (MB) accepted by the Impor Data page.")
    cache_ttl_seconds: int = _f(600, "How long cached query results live in the dashboard (seconds).")
    duckdb_memory_limit: str = _f("", "DuckDB memory_limit (e.g. '8GB'); empty keeps DuckDB's default.")
    duckdb_threads: int = _f(0, "DuckDB worker threads; 0 keeps DuckDB's default (all cores).")
    hipo_k_max: int = _f(6, "Potensi Tinggi: the largest number of mixture components tried (chosen by BIC from 2).")
    hipo_bootstrap: int = _f(20, "Potensi Tinggi: bootstrap refits used to measure the stability of each flag.")
    hipo_stability: float = _f(0.8, "Potensi Tinggi: flags found in fewer bootstrap refits than this share are "
                                    "marked 'perlu kajian'.")
    hipo_fit_sample: int = _f(50000, "Potensi Tinggi: the model is fitted on at most this many employees "
                                     "(then applied to all).")
    fairness_alpha: float = _f(0.05, "Uji kesetaraan: a KRS gap between groups is flagged only when the test's p-value "
                                      "is below this.")
    fairness_min_gap_pp: float = _f(5.0, "Uji kesetaraan: a KRS gap is flagged only when the largest difference in "
                                         "KRS share between two groups is at least this many percentage points.")
    fairness_age_bands: str = _f(",".join(str(b) for b, _ in rules.USIA_KELOMPOK),
                                 "Uji kesetaraan: lower limits (years, at 31 December of the period) of the age groups "
                                 "after the first (by default the Talent Pool's kelompok usia, talenta/rules.py).")
    login_max_failures: int = _f(5, "Failed sign-ins for one username (within the lock period) that lock it.")
    login_lock_minutes: int = _f(15, "How long (minutes) failed sign-ins count, and how long a locked username stays "
                                     "locked.")
    session_idle_minutes: int = _f(30, "A dashboard session without activity for this many minutes is signed out.")
    backup_dir: str = _f("data/cadangan", "Folder of database snapshots (Cadangan page, daily snapshots, "
                                          "default of the backup command).")
    backup_daily: bool = _f(False, "1: the running dashboard takes a snapshot once a day into backup_dir.")
    backup_keep: int = _f(7, "How many daily snapshots are kept (older ones are deleted; manual ones never).")
    max_xlsx_rows: int = _f(2_000_000, "Import: a worksheet with more rows than this is refused before it is read.")
    max_xlsx_columns: int = _f(500, "Import: a worksheet with more columns than this is refused before it is read.")
    max_xlsx_cells: int = _f(60_000_000, "Import: a worksheet whose used range (rows x columns) or number of cells "
                                         "exceeds this is refused before it is read (memory guard).")
    max_xlsx_unzipped_mb: int = _f(2048, "Import: an .xlsx whose parts unpack to more than this many MB is refused.")
    max_xlsx_ratio: int = _f(1000, "Import: an .xlsx part compressed more than this many times (a zip bomb) is "
                                   "refused.")
    max_field_chars: int = _f(131072, "Import: a CSV cell longer than this many characters rejects its row.")
    user: str = _f("operator", "Name recorded as the author of the command line's writes (imports, undo) run by the "
                   "server's operator; the dashboard records the signed-in account. Not an account's name: an audit "
                   "row of the operator read as the demo account 'analis'.")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        """Build settings from ``TALENTA_*`` variables (``env`` defaults to ``os.environ``)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            key = PREFIX + f.name.upper()
            if key not in env:
                continue
            raw = env[key]
            if isinstance(f.default, bool):
                word = raw.strip().lower()
                if word not in _TRUE | _FALSE:
                    raise SettingsError(f"{key}={raw!r} bukan 1 atau 0 (setting {f.name}: 1 menyalakan, 0 mematikan).")
                values[f.name] = word in _TRUE
            elif isinstance(f.default, float):
                try:
                    values[f.name] = float(raw.replace(",", "."))
                except ValueError as exc:
                    raise SettingsError(f"{key}={raw!r} bukan angka (setting {f.name}).") from exc
            elif isinstance(f.default, int):
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise SettingsError(
                        f"{key}={raw!r} bukan bilangan bulat (setting {f.name} harus angka)."
                    ) from exc
            else:
                values[f.name] = raw
            low, high = RANGES.get(f.name, (None, None))
            v = values[f.name]
            if not isinstance(v, (bool, str)) and ((low is not None and v < low) or (high is not None and v > high)):
                span = (f"antara {low} dan {high}" if high is not None else f"{low} atau lebih")
                raise SettingsError(f"{key}={raw!r} di luar rentang: setting {f.name} harus {span}.")
        return cls(**values)

    def hipo_params(self, **overrides: Any) -> HipoParams:
        values = dict(k_max=self.hipo_k_max, bootstrap=self.hipo_bootstrap, stability_threshold=self.hipo_stability,
                      fit_sample=self.hipo_fit_sample, random_state=self.seed)
        return HipoParams(**{**values, **overrides})

    def fairness_params(self) -> FairnessParams:
        return FairnessParams(alpha=self.fairness_alpha, min_gap_pp=self.fairness_min_gap_pp,
                              age_bands=parse_age_bands(self.fairness_age_bands))

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)


def describe() -> list[dict[str, str]]:
    """Name, environment variable, default and help of every setting (for docs and tests)."""
    return [
        {
            "name": f.name,
            "env": PREFIX + f.name.upper(),
            "default": str(f.default),
            "help": f.metadata["help"],
        }
        for f in fields(Settings)
    ]
