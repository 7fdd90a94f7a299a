"""Append-only audit log: who did what, to which object, with which outcome.

There is deliberately no function that updates or deletes a row. Write actions (sign-in, user
changes, import, undo, rule sets, high-potential decisions, exports) call ``record``; inside a
transaction that also writes other rows, call ``insert`` on the transaction's cursor instead so
the audit row commits or rolls back with the change.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from . import store
from .access import User
from .errors import UsageError

COLUMNS = ["waktu", "pengguna", "peran", "aksi", "objek", "rincian", "hasil"]
OK, FAILED = "berhasil", "gagal"


def insert(cur, user_or_name: User | str, role: str | None, action: str, obj: str | None,
           details: dict | None = None, outcome: str = OK, *, at: dt.datetime | None = None) -> None:
    """Append one row on ``cur`` (a cursor, typically a transaction's). ``role`` defaults to the user's."""
    if outcome not in (OK, FAILED):
        raise ValueError(f"outcome must be {OK!r} or {FAILED!r}, not {outcome!r}")
    if isinstance(user_or_name, User):
        name, role = user_or_name.username, role or user_or_name.role
    else:
        name = str(user_or_name)
    cur.execute(
        "INSERT INTO audit_log VALUES (nextval('seq_audit'), ?, ?, ?, ?, ?, ?, ?)",
        [at or store.now(), name, role, action, obj,
         json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str), outcome])


def record(con, user_or_name: User | str, role: str | None, action: str, obj: str | None,
           details: dict | None = None, outcome: str = OK, *, at: dt.datetime | None = None) -> None:
    """Append one audit row in its own transaction.

    ``details`` is any JSON-able dict (what, which filters, how many rows); never put a password in it.
    ``outcome`` is ``"berhasil"`` or ``"gagal"``.
    """
    with store.transaction(con) as tx:
        insert(tx, user_or_name, role, action, obj, details, outcome, at=at)


def query(con, *, since: dt.date | None = None, until: dt.date | None = None, user: str | None = None,
          action: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Audit rows, newest first, with columns ``COLUMNS``. ``until`` includes that whole day."""
    parts, params = ["TRUE"], {}
    if since is not None:
        parts.append("waktu >= $since")
        params["since"] = dt.datetime.combine(since, dt.time())
    if until is not None:
        parts.append("waktu < $until")
        params["until"] = dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
    if user:
        parts.append("pengguna = $user")
        params["user"] = user
    if action:
        parts.append("aksi = $action")
        params["action"] = action
    sql = (f"SELECT {', '.join(COLUMNS)} FROM audit_log WHERE {' AND '.join(parts)} "
           "ORDER BY waktu DESC, audit_id DESC")
    if limit is not None:
        sql += " LIMIT $limit"
        params["limit"] = int(limit)
    return store.query_df(con, sql, params)


def actions(con) -> list[str]:
    """Every action name present in the log (for filter choices)."""
    return [r[0] for r in con.cursor().execute("SELECT DISTINCT aksi FROM audit_log ORDER BY 1").fetchall()]


def write(df: pd.DataFrame, path: str | Path) -> Path:
    """Write audit rows to ``.csv`` or ``.xlsx`` (text that looks like a formula is neutralised)."""
    from . import export_safe

    path = Path(path)
    if path.suffix.lower() not in {".csv", ".xlsx"}:
        raise UsageError(f"Berkas keluaran {path.name} harus berakhiran .csv atau .xlsx.")
    export_safe.write_table(df[COLUMNS], path, sheet="Log audit")
    return path
