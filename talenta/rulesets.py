"""Versioned rule sets in DuckDB: who created which values, when, and which one is active."""
from __future__ import annotations

import pandas as pd

from . import store
from .errors import UsageError
from .rules import RuleSet


def _from_row(row) -> RuleSet:
    rid, name, params, note, by, at = row
    return RuleSet.from_json(params, id=int(rid), name=name, note=note or "", created_by=by or "",
                             created_at=str(at) if at else "")


_COLS = "rule_set_id, name, params, note, created_by, created_at"


def active(con) -> RuleSet:
    row = store.query_one(con, "SELECT " + _COLS + " FROM rule_set WHERE active ORDER BY rule_set_id DESC LIMIT 1")
    if row is None:
        raise UsageError("Tidak ada aturan aktif; jalankan 'python -m talenta init'.")
    return _from_row(row)


def get(con, rule_set_id: int) -> RuleSet:
    row = store.query_one(con, "SELECT " + _COLS + " FROM rule_set WHERE rule_set_id = ?", [rule_set_id])
    if row is None:
        raise UsageError(f"Aturan #{rule_set_id} tidak ada.")
    return _from_row(row)


def history(con) -> pd.DataFrame:
    return store.query_df(con, """
        SELECT rule_set_id, name, note, created_by, created_at, active, activated_by, activated_at, params
        FROM rule_set ORDER BY rule_set_id DESC""")


def save(con, rs: RuleSet, *, name: str, note: str, user: str, activate: bool = True) -> RuleSet:
    """Store ``rs`` as a new version (and make it the active one)."""
    if not name.strip():
        raise UsageError("Beri nama aturan baru (misalnya 'Keputusan Komite Talenta 2026').")
    with store.transaction(con) as cur:
        rid = cur.execute("SELECT nextval('seq_rule_set')").fetchall()[0][0]
        now = store.now()
        if activate:
            cur.execute("UPDATE rule_set SET active = false WHERE active")
        cur.execute(
            "INSERT INTO rule_set (rule_set_id, name, params, note, created_by, created_at, active, activated_by,"
            " activated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [rid, name.strip(), rs.to_json(), note.strip(), user, now, activate, user if activate else None,
             now if activate else None])
    return get(con, rid)


def activate(con, rule_set_id: int, user: str) -> RuleSet:
    rs = get(con, rule_set_id)
    with store.transaction(con) as cur:
        cur.execute("UPDATE rule_set SET active = false WHERE active")
        cur.execute("UPDATE rule_set SET active = true, activated_by = ?, activated_at = ? WHERE rule_set_id = ?",
                    [user, store.now(), rule_set_id])
    return rs
