"""Backups that restore: consistent snapshots of the whole database, verified before a restore replaces anything.

A snapshot is one DuckDB file made by ``COPY FROM DATABASE`` inside a single transaction, so it is consistent
even while the dashboard keeps writing (DuckDB's MVCC: the copy sees one moment). It keeps every table with its
types, constraints and sequence positions (committee decisions, rule sets, export log, batches, quarantine,
histories, score cache). Its manifest (row count of every table, schema version, time, source) is stored twice:
inside the snapshot (table ``talenta_cadangan_manifest``) and beside it as ``FILE.json`` with the file's SHA-256.

DuckDB allows one read-write process XOR many read-only ones: the running dashboard holds the only writer, so it
takes its snapshots through its own connection (:func:`take`, the Cadangan page, the daily thread), while the
``backup`` command opens the file itself and is refused while the dashboard runs. :func:`restore` refuses too.
"""
from __future__ import annotations

import atexit
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from . import fmt, store
from .errors import BackupError, DatabaseBusyError, StoreError

FORMAT = "talenta-cadangan/1"
MANIFEST_TABLE = "talenta_cadangan_manifest"
KINDS = ("manual", "harian")
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """One snapshot file and its manifest."""

    path: Path
    created_at: dt.datetime
    schema_version: int
    tables: dict[str, int] = field(default_factory=dict)
    size: int = 0
    source: str = ""

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def summary(self) -> str:
        rows, mb = fmt.num(self.rows), fmt.num(self.size / 1024 / 1024, 1)
        return (f"{self.path.name}: {len(self.tables)} tabel, {rows} baris, {mb} MB, skema versi "
                f"{self.schema_version}, dibuat {self.created_at:%Y-%m-%d %H:%M:%S}.")


def _stmt(template: str, **names: str) -> str:
    """A statement with its identifiers quoted: catalog and table names read from DuckDB's own catalog or generated
    here, never from a user (DuckDB cannot bind identifiers; values are still bound with ``?``)."""
    return template.format(**{k: '"' + v.replace('"', '""') + '"' for k, v in names.items()})


def _tables(cur, catalog: str) -> list[str]:
    rows = cur.execute("SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
                       "AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name",
                       [catalog]).fetchall()
    return [r[0] for r in rows if r[0] != MANIFEST_TABLE]


def _counts(cur, catalog: str) -> dict[str, int]:
    return {t: cur.execute(_stmt("SELECT count(*) FROM {c}.main.{t}", c=catalog, t=t)).fetchall()[0][0]
            for t in _tables(cur, catalog)}


def _read_every_block(cur, catalog: str) -> None:
    """Read every column of every row of every table: DuckDB checks a block's checksum when it reads it, and
    ``count(*)`` is answered from metadata without reading any (a snapshot with damaged blocks passed; review 12,
    H1). Raises duckdb.Error on a damaged block."""
    for t in _tables(cur, catalog):
        cur.execute(_stmt("SELECT bit_xor(hash(x)) FROM {c}.main.{t} AS x", c=catalog, t=t)).fetchall()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(str(path) + ".wal").unlink(missing_ok=True)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".json")


PARTIAL_HOURS = 6


def _sweep_partial(folder: Path, hours: float = PARTIAL_HOURS) -> list[Path]:
    """Remove what a killed snapshot left behind (``.sebagian-*``, a partial copy of personal data) once it is older
    than ``hours``: a snapshot at national size takes minutes, so an older one is no snapshot in progress
    (review 12, L7: they were never removed)."""
    limit = dt.datetime.now().timestamp() - hours * 3600
    gone = []
    for d in folder.glob(".sebagian-*"):
        try:
            if d.is_dir() and d.stat().st_mtime < limit:
                shutil.rmtree(d, ignore_errors=True)
                gone.append(d)
        except OSError:
            continue
    return gone


def snapshot(con: duckdb.DuckDBPyConnection, out: str | Path, *, source: str = "",
             now: dt.datetime | None = None) -> Snapshot:
    """Write a consistent snapshot of the database behind ``con`` to ``out`` (which must not exist).

    Works on a read-only connection and on the dashboard's own connection while other cursors write.
    The file appears under its final name only when complete (written in a private folder beside it, then
    renamed). ``source`` says who or what took it (a user, ``harian``, ``cli``); it goes into the manifest.
    """
    out = Path(out)
    if out.exists():
        raise BackupError(f"Berkas cadangan {out} sudah ada; pilih nama lain (cadangan tidak pernah ditimpa).")
    out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)     # snapshots hold personal data: owner only
    _sweep_partial(out.parent)
    work = Path(tempfile.mkdtemp(prefix=".sebagian-", dir=out.parent))   # private (700) while being written
    part = work / out.name
    created = (now or store.now()).replace(microsecond=0)
    alias = "cadangan_" + uuid.uuid4().hex[:12]
    cur = con.cursor()
    try:
        src = cur.execute("SELECT current_database()").fetchall()[0][0]
        cur.execute(_stmt("ATTACH ? AS {a} (READ_WRITE)", a=alias), [str(part)])
        try:
            cur.execute("BEGIN TRANSACTION")
            try:
                cur.execute(_stmt("COPY FROM DATABASE {s} TO {a}", s=src, a=alias))
                counts, copied = _counts(cur, src), _counts(cur, alias)
                version = cur.execute(_stmt("SELECT coalesce(max(version), 0) FROM {s}.main.schema_version",
                                                s=src)).fetchall()[0][0]
                if counts != copied:
                    raise BackupError(f"Salinan tidak sama dengan sumbernya ({copied} ≠ {counts}); cadangan batal.")
                manifest = {"format": FORMAT, "created_at": created.isoformat(sep=" "), "source": source,
                            "schema_version": version, "tables": counts}
                cur.execute(_stmt("CREATE TABLE {a}.main.{m} (manifest VARCHAR NOT NULL)", a=alias, m=MANIFEST_TABLE))
                cur.execute(_stmt("INSERT INTO {a}.main.{m} VALUES (?)", a=alias, m=MANIFEST_TABLE),
                            [json.dumps(manifest)])
                cur.execute("COMMIT")
            except BaseException:
                try:
                    cur.execute("ROLLBACK")
                except duckdb.Error:        # the failure (a full disk) may have ended the transaction already:
                    pass                    # its own error is the one to report (review 12, M6)
                raise
            cur.execute(_stmt("CHECKPOINT {a}", a=alias))
        finally:
            cur.execute(_stmt("DETACH {a}", a=alias))
        os.chmod(part, 0o600)
        os.replace(part, out)
    except duckdb.Error as exc:
        raise BackupError(f"Cadangan ke {out} gagal: {exc}") from exc
    finally:
        cur.close()
        shutil.rmtree(work, ignore_errors=True)
    manifest["sha256"] = _sha256(out)
    fd = os.open(_sidecar(out), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
    return Snapshot(out, created, version, counts, out.stat().st_size, source)


# the tables every Talenta database has had since its first schema: a DuckDB file of another application with a
# manifest of its own tables was restored, and migrated into an empty Talenta without accounts (session 22)
CORE_TABLES = ("schema_version", "import_batch", "employee")


def _checked_manifest(manifest, path: Path) -> dict:
    """The manifest inside a snapshot, refused (BackupError, in words) unless it has the shape ``create`` writes:
    a manifest of the wrong types ended in "kesalahan tak terduga" and a traceback (hostile pass, session 22)."""
    def bad(why: str) -> BackupError:
        return BackupError(f"{path} bukan cadangan Talenta yang utuh: {why}; tidak ada yang dipulihkan.")

    if not isinstance(manifest, dict):
        raise bad("manifest di dalamnya bukan daftar isian")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: format cadangan {manifest.get('format')!r} tidak dikenal (diharapkan {FORMAT}).")
    tables, version = manifest.get("tables"), manifest.get("schema_version")
    if not isinstance(tables, dict) or not all(isinstance(k, str) and type(v) is int for k, v in tables.items()):
        raise bad("daftar tabel di manifest tidak sah")
    if type(version) is not int or version < 1:
        raise bad(f"versi skema {version!r} di manifest tidak sah")
    try:
        dt.datetime.fromisoformat(str(manifest.get("created_at")))
    except ValueError:
        raise bad(f"waktu pembuatan {manifest.get('created_at')!r} di manifest tidak sah") from None
    if not isinstance(manifest.get("source", ""), str):
        raise bad("sumber di manifest tidak sah")
    missing = [t for t in CORE_TABLES if t not in tables]
    if missing:
        raise bad(f"tabel Talenta {', '.join(missing)} tidak ada di dalamnya")
    return manifest


def verify(path: str | Path, *, read_blocks: bool = True) -> Snapshot:
    """Check that a snapshot opens and that every table's row count matches its manifest (and, when the
    ``.json`` beside it exists, that the file's SHA-256 and counts match it too), and, with ``read_blocks``, that
    every data block reads (``_read_every_block``). Raises BackupError."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Berkas cadangan {path} tidak ditemukan.")
    side = None
    if _sidecar(path).is_file():
        try:
            side = json.loads(_sidecar(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"Manifest {_sidecar(path)} tidak dapat dibaca: {exc}") from exc
        if not isinstance(side, dict):
            raise BackupError(f"Manifest {_sidecar(path)} tidak dapat dibaca: isinya bukan manifest cadangan.")
        if side.get("sha256") != _sha256(path):
            raise BackupError(f"Berkas cadangan {path} berubah atau rusak sejak dibuat (SHA-256 tidak cocok dengan "
                              f"{_sidecar(path).name}); tidak ada yang dipulihkan.")
    try:
        con = duckdb.connect(str(path), read_only=True, config=_CONFIG)
    except duckdb.Error as exc:
        raise BackupError(f"Berkas cadangan {path} tidak dapat dibuka sebagai basis data DuckDB: {exc}") from exc
    try:
        cur = con.cursor()
        catalog = cur.execute("SELECT current_database()").fetchall()[0][0]
        has_manifest = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_catalog = ? AND "
                                   "table_schema = 'main' AND table_name = ?", [catalog, MANIFEST_TABLE]).fetchall()
        if not has_manifest[0][0]:
            raise BackupError(f"{path} bukan cadangan Talenta (manifest di dalamnya tidak ada).")
        try:
            manifest = json.loads(cur.execute(_stmt("SELECT manifest FROM {m}", m=MANIFEST_TABLE)).fetchall()[0][0])
        except (IndexError, ValueError, TypeError) as exc:
            raise BackupError(f"Berkas cadangan {path} rusak: manifest di dalamnya tidak terbaca; tidak ada yang "
                              "dipulihkan.") from exc
        counts = _counts(cur, catalog)
        if read_blocks:
            _read_every_block(cur, catalog)
    except duckdb.Error as exc:
        raise BackupError(f"Berkas cadangan {path} rusak: {exc}; tidak ada yang dipulihkan.") from exc
    finally:
        con.close()
    manifest = _checked_manifest(manifest, path)
    if counts != manifest["tables"]:
        diff = sorted(t for t in set(counts) | set(manifest["tables"])
                      if counts.get(t) != manifest["tables"].get(t))
        raise BackupError(f"{path}: isi tidak cocok dengan manifest (tabel {', '.join(diff)}: ada "
                          f"{[counts.get(t) for t in diff]}, seharusnya {[manifest['tables'].get(t) for t in diff]}); "
                          "tidak ada yang dipulihkan.")
    if side is not None and {k: side.get(k) for k in manifest} != manifest:
        raise BackupError(f"{path}: manifest di dalam berkas berbeda dengan {_sidecar(path).name}.")
    if manifest["schema_version"] > store.LATEST_VERSION:
        raise BackupError(f"{path} berskema versi {manifest['schema_version']}, lebih baru dari Talenta ini "
                          f"({store.LATEST_VERSION}); perbarui Talenta dulu.")
    return Snapshot(path, dt.datetime.fromisoformat(manifest["created_at"]), manifest["schema_version"],
                    manifest["tables"], path.stat().st_size, manifest.get("source", ""))


@dataclass(frozen=True)
class Restored:
    snapshot: Snapshot
    db: Path
    previous: Path | None       # the database that was replaced, kept beside it


def restore(path: str | Path, db: str | Path, *, now: dt.datetime | None = None) -> Restored:
    """Replace the database file ``db`` with the snapshot at ``path``, atomically, after verifying it.

    Refused (DatabaseBusyError) while the dashboard or another process holds ``db``. The replaced database is
    kept beside it as ``<db>.sebelum-pulih-<time>``, so a restore can itself be undone.
    """
    snap = verify(path, read_blocks=False)      # the rewrite below reads every block (one pass, not two)
    db = Path(db)
    if not db.parent.is_dir():
        raise BackupError(f"Folder basis data {db.parent} tidak ada; periksa TALENTA_DB_PATH. Tidak ada yang "
                          "dipulihkan.")
    stamp = (now or store.now()).strftime("%Y%m%d-%H%M%S")
    wal = Path(str(db) + ".wal")
    held = None
    if db.exists():
        _refuse_if_held(db)
        # DuckDB's lock held until the rename: a dashboard started meanwhile is refused instead of writing into the
        # file about to be replaced, its writes lost (review 12, L7)
        held = _hold(db)
    tmp = db.with_name(db.name + ".pulih-sementara")
    _remove(tmp)
    try:
        # rewritten from the snapshot's tables, not copied byte for byte: every data block is read (its checksum
        # checked) and the indexes are built afresh, so damage the row counts cannot see, in a data or an index
        # block, is refused or left behind (review 12, H1)
        con = duckdb.connect(str(tmp), config=_CONFIG)
        try:
            alias = "pulih_" + uuid.uuid4().hex[:12]
            target = con.execute("SELECT current_database()").fetchall()[0][0]
            con.execute(_stmt("ATTACH ? AS {a} (READ_ONLY)", a=alias), [str(snap.path)])
            try:
                con.execute(_stmt("COPY FROM DATABASE {a} TO {t}", a=alias, t=target))
            except duckdb.Error as exc:
                raise BackupError(f"Berkas cadangan {snap.path} rusak: {exc}; tidak ada yang dipulihkan.") from exc
            finally:
                con.execute(_stmt("DETACH {a}", a=alias))
            con.execute(_stmt("DROP TABLE {m}", m=MANIFEST_TABLE))
            con.execute("CHECKPOINT")
            catalog = con.execute("SELECT current_database()").fetchall()[0][0]
            if _counts(con.cursor(), catalog) != snap.tables:
                raise BackupError(f"Salinan {tmp} tidak cocok dengan manifest; tidak ada yang diubah.")
        finally:
            con.close()
        previous = None
        if held is not None:
            previous = db.with_name(f"{db.name}.sebelum-pulih-{stamp}")
            _copy_held(held, previous)
            if wal.exists():        # a damaged database's log must not be replayed onto the restored file
                os.replace(wal, Path(str(previous) + ".wal"))
        os.replace(tmp, db)
    finally:
        _remove(tmp)
        if held is not None:
            os.close(held)
    return Restored(snap, db, previous)


def _hold(db: Path) -> int:
    """An open descriptor of ``db`` holding the exclusive lock DuckDB takes (fcntl), refused when another process
    holds it. POSIX drops a process's lock when any descriptor of the file closes: the file is read through this
    descriptor only until it is closed (``_copy_held``)."""
    fd = os.open(db, os.O_RDWR)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        raise DatabaseBusyError(_BUSY.format(db=db)) from exc
    return fd


def _copy_held(fd: int, out: Path) -> None:
    """Copy the file open as ``fd`` (``_hold``) to ``out`` without opening it again (which would drop the lock)."""
    os.lseek(fd, 0, os.SEEK_SET)
    with open(out, "wb") as f:
        while chunk := os.read(fd, 1 << 20):
            f.write(chunk)


def _refuse_if_held(db: Path) -> None:
    """Refuse while another process has ``db`` open; fold a healthy database's WAL into its file first."""
    try:
        held = store.connect(db, migrate=False)
    except DatabaseBusyError as exc:
        raise DatabaseBusyError(_BUSY.format(db=db)) from exc
    except StoreError:          # damaged beyond opening: make sure no process holds DuckDB's lock on it
        fd = os.open(db, os.O_RDWR)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise DatabaseBusyError(_BUSY.format(db=db)) from exc
        finally:
            os.close(fd)        # (also drops our probe lock)
        return
    try:
        held.execute("CHECKPOINT")
    except duckdb.Error:        # opens but cannot write back: damaged, it is replaced as it is (and kept)
        pass
    finally:
        held.close()


_BUSY = ("Pemulihan ditolak: basis data {db} sedang dipakai (dashboard atau perintah lain). Hentikan dashboard dulu "
         "(Ctrl+C pada 'make run'), lalu ulangi; tidak ada yang diubah.")


def _name(kind: str, when: dt.datetime) -> str:
    return f"talenta-{kind}-{when:%Y%m%d-%H%M%S}.duckdb"


def take(con: duckdb.DuckDBPyConnection, folder: str | Path, kind: str = "manual", *, source: str = "",
         now: dt.datetime | None = None) -> Snapshot:
    """A snapshot named ``talenta-<kind>-<time>.duckdb`` in ``folder`` (through the caller's connection)."""
    if kind not in KINDS:
        raise BackupError(f"Jenis cadangan {kind!r} tidak dikenal ({', '.join(KINDS)}).")
    now = (now or store.now()).replace(microsecond=0)
    return snapshot(con, Path(folder) / _name(kind, now), source=source, now=now)


def snapshots(folder: str | Path) -> list[Path]:
    """Snapshot files in ``folder``, oldest first."""
    folder = Path(folder)
    found = folder.glob("talenta-*-*.duckdb") if folder.is_dir() else []
    return sorted(found, key=lambda p: (p.name.split("-", 2)[-1], p.name))      # by time, whatever the kind


def listing(folder: str | Path) -> pd.DataFrame:
    """The snapshots in ``folder``, newest first: file, kind, time, size, tables, rows, schema version (from each
    one's ``.json`` manifest; a file without one is listed with ``manifest`` False)."""
    rows = []
    for p in reversed(snapshots(folder)):
        st = p.stat()
        try:
            m = json.loads(_sidecar(p).read_text(encoding="utf-8"))
            # a manifest edited or damaged by hand is listed as none (one bad file broke the page; review 12, L1)
            read = {"waktu": dt.datetime.fromisoformat(m["created_at"]), "tabel": len(m["tables"]),
                    "baris": int(sum(m["tables"].values())), "versi_skema": int(m["schema_version"])}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            m, read = None, {"waktu": dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0), "tabel": None,
                             "baris": None, "versi_skema": None}
        rows.append({"berkas": p.name, "jenis": p.name.split("-")[1], "waktu": read["waktu"],
                     "ukuran_mb": round(st.st_size / 1024 / 1024, 2), "tabel": read["tabel"],
                     "baris": read["baris"], "versi_skema": read["versi_skema"], "manifest": m is not None})
    return pd.DataFrame(rows, columns=["berkas", "jenis", "waktu", "ukuran_mb", "tabel", "baris", "versi_skema",
                                       "manifest"])


def prune(folder: str | Path, keep: int, kind: str = "harian") -> list[Path]:
    """Delete all but the newest ``keep`` snapshots of ``kind`` (and their manifests); returns what was deleted."""
    mine = [p for p in snapshots(folder) if p.name.startswith(f"talenta-{kind}-")]
    gone = mine[:-keep] if keep > 0 else mine
    for p in gone:
        p.unlink(missing_ok=True)
        _sidecar(p).unlink(missing_ok=True)
    return gone


def daily(con: duckdb.DuckDBPyConnection, folder: str | Path, keep: int, *,
          now: dt.datetime | None = None) -> Snapshot | None:
    """Take today's snapshot unless one exists, then keep the newest ``keep`` daily ones."""
    now = (now or store.now()).replace(microsecond=0)
    if any(p.name.startswith(f"talenta-harian-{now:%Y%m%d}-") for p in snapshots(folder)):
        return None
    snap = take(con, folder, "harian", source="harian", now=now)
    gone = prune(folder, keep)
    from . import audit         # (the daily snapshot is an operation on personal data like the page's button)

    audit.record(con, "sistem", None, "backup", str(folder), {"jenis": "harian", "berkas": str(snap.path),
                                                              "dihapus": [p.name for p in gone]})
    return snap


_started: dict[str, threading.Thread] = {}
_lock = threading.Lock()
_stop = threading.Event()


def _stop_daily() -> None:
    """At exit: let a snapshot in progress finish, then end the threads (they hold the connection)."""
    _stop.set()
    for t in list(_started.values()):
        t.join(timeout=30)


def start_daily(con: duckdb.DuckDBPyConnection, folder: str | Path, keep: int, *,
                check_seconds: float = 600) -> threading.Thread:
    """Start (once per process and folder) a daemon thread that runs :func:`daily` every ``check_seconds``.

    Only the process that holds the writer (the dashboard) can run it; errors are logged, never raised.
    """
    key = str(Path(folder).resolve())
    with _lock:
        if key in _started and _started[key].is_alive():
            return _started[key]
        if not _started:
            atexit.register(_stop_daily)

        def loop() -> None:
            while not _stop.is_set():
                try:
                    snap = daily(con, folder, keep)
                    if snap:
                        log.info("cadangan harian: %s", snap.summary())
                except (BackupError, StoreError, OSError, duckdb.Error):
                    log.exception("cadangan harian gagal (dicoba lagi dalam %s detik)", check_seconds)
                _stop.wait(check_seconds)

        t = threading.Thread(target=loop, name="talenta-cadangan-harian", daemon=True)
        t.start()
        _started[key] = t
        return t
