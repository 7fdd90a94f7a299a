"""DuckDB storage: connect, numbered idempotent migrations, transactions.

One connection per process; every query runs on its own ``con.cursor()`` so that Streamlit's
session threads never share a cursor. Values are always bound as parameters.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import threading
from importlib import resources
from pathlib import Path
from typing import Iterator

import duckdb

from .errors import DatabaseBusyError, StoreError

MIGRATIONS_PACKAGE = "talenta.sql"

# Every write to the current tables (imports, undos) and to the score cache happens under this lock:
# writers in one process run one after another (DuckDB allows one writing process), which keeps each
# key stored once without a key index (sql/005) and builds each score-cache entry once.
WRITE_LOCK = threading.RLock()


def _migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every ``NNN_name.sql`` file, in order."""
    out = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            out.append((int(name[:3]), name[4:-4], entry.read_text(encoding="utf-8")))
    return sorted(out)


LATEST_VERSION = max(v for v, _, _ in _migrations())


DUCKDB_MAGIC = b"DUCK"        # bytes 8-11 of every DuckDB database file


def _refuse_other_file(p: Path) -> None:
    """A path that exists and is not a DuckDB database (a folder, a CSV given to ``--db`` by mistake): DuckDB 2.0
    opened a CSV as an empty in-memory database and every import into it was lost without a word."""
    if p.is_dir():
        raise StoreError(f"{p} adalah folder, bukan berkas basis data. Tidak ada yang diubah.")
    if p.exists() and p.stat().st_size > 0:
        with p.open("rb") as f:
            head = f.read(12)
        if head[8:12] != DUCKDB_MAGIC:
            raise StoreError(f"Berkas {p} bukan basis data Talenta (DuckDB): mungkin berkas data yang tertukar "
                             "dengan --db atau TALENTA_DB_PATH. Tidak ada yang diubah.")


def connect(path: str | Path, read_only: bool = False, *, memory_limit: str = "",
            threads: int = 0, migrate: bool = True, older: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and, when writable, create or migrate) the database at ``path``.

    Extension auto-install and auto-load are off, so nothing ever waits on the network.
    ``path`` may be ``":memory:"``. A database of a newer schema than this code is refused (an older release
    would write rows the newer schema does not expect; review 12, M5). ``older``: a read-only connection accepts
    an older schema as it is (a backup before an upgrade; M4).
    """
    config: dict[str, object] = {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    }
    if memory_limit:
        config["memory_limit"] = memory_limit
    if threads:
        config["threads"] = threads
    path = str(path)
    if path != ":memory:":
        p = Path(path)
        if read_only and not p.exists():
            raise StoreError(f"Basis data {path} belum ada. Jalankan 'python -m talenta init' atau 'make run'.")
        _refuse_other_file(p)
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(path, read_only=read_only, config=config)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusyError(
                f"Basis data {path} sedang dipakai proses lain (misalnya dashboard yang dijalankan dengan "
                "'make run'). DuckDB hanya mengizinkan satu proses penulis: hentikan proses itu lalu ulangi, "
                f"atau jalankan perintah ini pada salinan berkasnya. Rincian: {exc}") from exc
        raise StoreError(f"Basis data {path} tidak dapat dibuka: {exc}") from exc
    v = schema_version(con)
    if v > LATEST_VERSION:
        con.close()
        raise StoreError(f"Basis data {path} berskema versi {v}, lebih baru dari Talenta ini (versi skema "
                         f"{LATEST_VERSION}); jalankan Talenta versi yang membuatnya atau yang lebih baru. Tidak ada "
                         "yang diubah.")
    if read_only:
        if v < LATEST_VERSION and not older:
            con.close()
            raise StoreError(
                f"Basis data {path} masih versi skema {v} (terbaru {LATEST_VERSION}); "
                "jalankan 'python -m talenta init' untuk memperbaruinya."
            )
    elif migrate:
        apply_migrations(con)
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    cur = con.cursor()
    exists = cur.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply every migration not yet recorded; each in its own transaction. Returns versions applied."""
    cur = con.cursor()
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {r[0] for r in cur.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for version, name, sql in _migrations():
        if version in done:
            continue
        with transaction(con) as tx:
            tx.execute(sql)
            tx.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, now()])
        applied.append(version)
    return applied


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run a block in one transaction on a fresh cursor: commit on success, roll back on any error."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    else:
        cur.execute("COMMIT")
    finally:
        cur.close()


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def query_df(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None):
    """Run a query on its own cursor and return a pandas frame (via Arrow: fast with text)."""
    cur = con.cursor()
    try:
        rel = cur.sql(sql, params=params) if params else cur.sql(sql)
        return rel.to_arrow_table().to_pandas()
    finally:
        cur.close()


def query_one(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None):
    cur = con.cursor()
    try:
        rows = cur.execute(sql, params or {}).fetchall()
        return rows[0] if rows else None
    finally:
        cur.close()
