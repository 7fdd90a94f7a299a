"""What the write path builds so that the read path only reads (issue 13 item 2).

After every change to the scored data or to the active rules (an import, an undo, a rule-set activation)
the write path calls ``refresh(con)``; it runs every builder in ``BUILDERS`` in order. A builder is
``"module:function"`` under ``talenta``, called as ``function(con)``; it stores what a page would otherwise
compute on its first visit (the score cache of every period of the active rule set, the high-potential
model of the latest period, the succession eligibility ...) and returns nothing. A builder must be
idempotent (a second call with nothing changed does no work) and must not fail a write that has already
landed: ``refresh`` logs a builder's failure and goes on, and the reader then computes what it needs live.
"""
from __future__ import annotations

import importlib
import logging
import time

log = logging.getLogger(__name__)

# in order: later builders may read what earlier ones stored
BUILDERS: tuple[str, ...] = (
    "population:build_groups",      # the filter combinations and their sizes (sidebar options, hipo's instansi)
    "population:build_active",      # the score cache of the active rule set, every period (the trend included)
    "derived:publish_pool",         # the pool per OPD as masked views without a sidebar filter show it
    "lookup:build",                 # the profile's point-lookup indexes (the importer drops them)
    "hipo:build_latest",
    "succession:build_cache",
)


# the builders of what masked views read already suppressed (the published pool tables): run again after a
# calibration close or reopen (the basis ``otomatis`` of the period changes; a move alone changes only the
# calibration stamp, and a reader then suppresses at read time) and after an account is added, enabled or given
# other limits (a new instansi limit gets its tables)
PUBLISHED: tuple[str, ...] = ("derived:publish_pool",)


def publish_pool(con) -> None:
    """Builder: ``pool.build_published`` at the settings' small-group threshold (read here: ``pool`` does not import
    the settings, which import ``fairness``, which imports ``pool``)."""
    from . import pool
    from .config import Settings

    pool.build_published(con, Settings.from_env().min_group)


def refresh(con, builders: tuple[str, ...] = BUILDERS) -> dict[str, float]:
    """Run every builder (of ``builders``); seconds per builder (a failed one is logged and reported as -1)."""
    spent: dict[str, float] = {}
    for spec in builders:
        mod, fn = spec.split(":")
        t = time.perf_counter()
        try:
            getattr(importlib.import_module("talenta." + mod), fn)(con)
            spent[spec] = time.perf_counter() - t
        except Exception:       # the write has landed; readers fall back to computing live
            log.exception("derived builder %s failed", spec)
            spent[spec] = -1.0
    return spent
