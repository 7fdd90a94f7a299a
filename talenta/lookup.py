"""Point lookups of one person (profil talenta): ART indexes on ``nip``, built when first needed.

The current tables carry no key index (sql/005): maintaining one during an import made storing 12M SKP
rows 3-4x slower (measured again on two cores: 3 x 1M rows into 12M, 6,6 s without, 24,5 s with). The
profile, though, must read one person's rows without scanning the country (at 5,6M a scan of the
SKP table takes 0,3-0,9 s; an index lookup about 1 ms). So an import of ``DROP_FROM`` rows or more drops these
indexes when it writes (``drop``, inside its transaction: instant), and the write path builds them again right after
the import (``build``, a builder of ``derived.BUILDERS``: about 5 s per million SKP rows; milliseconds at a pemda's
size). A smaller import (a correction of a few hundred rows) keeps them: updating them costs next to nothing, and
rebuilding them cost 11,7 s of the refresh after a 100-row correction at 5,6M. An undo does the same by the rows
it restores.
Reads never build them: a database whose writer has not built them reads the same rows by a scan.
"""
from __future__ import annotations

from . import store

# table -> index name; only tables a profile reads by nip
INDEXES: dict[str, str] = {
    "employee": "lookup_employee_nip",
    "performance": "lookup_performance_nip",
    "assessment": "lookup_assessment_nip",
}


# rows an import writes from which it drops the indexes (and the refresh builds them again): below it the
# indexes are kept and updated with the rows
DROP_FROM = 50_000


def _present(con) -> set[str]:
    rows = store.query_df(con, "SELECT index_name FROM duckdb_indexes() WHERE list_contains($names, index_name)",
                          {"names": list(INDEXES.values())})
    return set(rows["index_name"])


def build(con) -> None:
    """Builder (``derived.BUILDERS``): create the missing lookup indexes (nothing to do when all are there)."""
    if _present(con) == set(INDEXES.values()):
        return
    with store.WRITE_LOCK, store.transaction(con) as cur:
        for table, name in INDEXES.items():
            cur.execute("CREATE INDEX IF NOT EXISTS " + name + " ON " + table + " (nip)")


def drop(cur) -> None:
    """Drop the lookup indexes (the importer calls this inside its write transaction, before writing)."""
    for name in INDEXES.values():
        cur.execute("DROP INDEX IF EXISTS " + name)
