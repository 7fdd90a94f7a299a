"""Backups that restore: back up, damage the database, restore, and find every table identical (issue 15/6)."""
import datetime as dt
import json

import duckdb
import pytest

from talenta import audit, backup, export, hipo, rulesets, store
from talenta.errors import BackupError
from talenta.scope import Filters, Scope

from .test_cli import cli


def dump(db) -> dict:
    """Every table's full contents (sorted), every column's type and every sequence's position."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        out = {t: con.execute(backup._stmt("SELECT * FROM {t} ORDER BY ALL", t=t)).fetchall() for t in tables}
        out["(types)"] = con.execute("SELECT table_name, column_name, data_type, is_nullable "
                                     "FROM information_schema.columns ORDER BY ALL").fetchall()
        out["(sequences)"] = con.execute("SELECT sequence_name, coalesce(last_value, start_value - increment_by) "
                                         "FROM duckdb_sequences() ORDER BY 1").fetchall()
        return out
    finally:
        con.close()


@pytest.fixture
def db(db_copy, demo_data):
    """The demo database plus what exists nowhere else: a committee decision, a second rule set, an export."""
    con = store.connect(db_copy)
    nip = demo_data.employees["nip"].iloc[0]
    hipo.record_decision(con, nip, 2025, "disetujui", "Catatan komite <b>uji</b>", "komite", scope=Scope())
    rs = rulesets.save(con, rulesets.active(con), name="Aturan 2026", note="uji cadangan", user="admin")
    export.log_export(con, export.stamp(con, "Instansi Uji", Filters(period=2025).at(2025), rs, "analis", True),
                      "xlsx", "uji.xlsx")
    con.close()
    return db_copy


def _damage(db, how: str) -> None:
    if how == "corrupt":
        size = db.stat().st_size
        with open(db, "r+b") as f:          # zero a stretch in the middle, then cut the tail off
            f.seek(size // 3)
            f.write(b"\0" * 65536)
            f.truncate(size // 2)
        return
    con = store.connect(db)
    if how == "rows":
        con.execute("DELETE FROM hipo_decision")
        con.execute("DELETE FROM employee WHERE opd = (SELECT min(opd) FROM employee)")
        con.execute("UPDATE performance SET predikat = 'Sangat Kurang'")
    else:
        con.execute("DROP TABLE rule_set")
        con.execute("DROP TABLE export_log")
    con.close()


@pytest.mark.parametrize("how", ["rows", "drop", "corrupt"])
def test_backup_damage_restore_every_table_identical(db, tmp_path, how):
    before = dump(db)
    assert before["hipo_decision"] and len(before["rule_set"]) == 2 and before["export_log"]
    snap = tmp_path / "cadangan" / "snap.duckdb"
    r = cli("backup", "--out", str(snap), "--json", db=db)
    assert r.returncode == 0, r.stderr
    made = json.loads(r.stdout)
    manifest = json.loads((tmp_path / "cadangan" / "snap.duckdb.json").read_text())
    assert made["tables"] == manifest["tables"] and manifest["tables"]["hipo_decision"] == 1
    assert manifest["schema_version"] == store.LATEST_VERSION and len(manifest["sha256"]) == 64
    assert {oct(p.stat().st_mode & 0o777) for p in (snap, snap.with_name("snap.duckdb.json"))} == {"0o600"}

    _damage(db, how)
    if how != "corrupt":
        assert dump(db) != before
    r = cli("restore", str(snap), db=db)
    assert r.returncode == 0, r.stderr
    assert "dipulihkan" in r.stdout
    after = dump(db)
    *kept_rows, restored = after["audit_log"]       # the restore is the restored database's latest audit row
    assert kept_rows == before["audit_log"] and restored[4:6] == ("restore", "snap.duckdb")
    after["audit_log"] = kept_rows
    after["(sequences)"] = [(n, v - 1 if n == "seq_audit" else v) for n, v in after["(sequences)"]]
    assert after == before
    kept = list(tmp_path.glob("talenta.duckdb.sebelum-pulih-*"))
    assert len(kept) == 1 and str(kept[0]) in r.stdout          # the replaced (damaged) database is kept
    assert not list(tmp_path.glob("*.pulih-sementara*"))
    con = store.connect(db)                                      # and the restored one works as before
    assert store.schema_version(con) == store.LATEST_VERSION
    con.close()


def test_restore_refused_while_another_process_holds_the_database(db, tmp_path):
    snap = backup.take(store.connect(db, read_only=True), tmp_path / "cad")
    store.connect(db, read_only=True).close()
    before = dump(db)
    holder = store.connect(db)          # like the running dashboard
    try:
        r = cli("restore", str(snap.path), db=db)
        b = cli("backup", "--out", str(tmp_path / "lagi.duckdb"), db=db)
    finally:
        holder.close()
    assert r.returncode == 2 and "Pemulihan ditolak" in r.stderr and "sedang dipakai" in r.stderr
    assert b.returncode == 2 and "Cadangkan sekarang" in b.stderr and not (tmp_path / "lagi.duckdb").exists()
    assert dump(db) == before
    assert not list(tmp_path.glob("talenta.duckdb.*"))


def test_snapshot_not_matching_its_manifest_is_refused_and_nothing_changes(db, tmp_path):
    con = store.connect(db)
    snap = backup.take(con, tmp_path / "cad")
    con.close()
    before = dump(db)
    altered = duckdb.connect(str(snap.path))
    altered.execute("DELETE FROM hipo_decision")
    altered.close()
    with pytest.raises(BackupError, match="SHA-256 tidak cocok"):
        backup.restore(snap.path, db)
    (tmp_path / "cad" / (snap.path.name + ".json")).unlink()     # without the manifest beside it: the counts
    with pytest.raises(BackupError, match="hipo_decision: ada \\[0\\], seharusnya \\[1\\]"):
        backup.restore(snap.path, db)
    junk = tmp_path / "bukan.duckdb"
    junk.write_bytes(b"bukan basis data" * 1000)
    r = cli("restore", str(junk), db=db)
    assert r.returncode == 2 and "tidak dapat dibuka" in r.stderr
    assert dump(db) == before and not list(tmp_path.glob("talenta.duckdb.*"))


def test_a_snapshot_with_damaged_blocks_and_no_manifest_beside_it_is_refused(db, tmp_path):
    """Bytes flipped in a snapshot whose .json was left behind: the row counts still matched (count(*) reads no data
    block) and the restore put the damaged file in place, failing on the next page (review 12, H1). Now a restore
    either refuses it or, where the damage lies outside the tables' data (an index block), restores data identical
    to what was backed up (the file is rewritten from the tables, its indexes built afresh)."""
    con = store.connect(db)
    snap = backup.take(con, tmp_path / "cad")
    con.close()
    (tmp_path / "cad" / (snap.path.name + ".json")).unlink()
    original = dump(db)
    size = snap.path.stat().st_size
    refused = 0
    for i, at in enumerate(range(size // 10, size - 8192, size // 10)):    # 4 KB flipped at one of 9 places each
        copy = tmp_path / f"kopi-{i}.duckdb"
        copy.write_bytes(snap.path.read_bytes())
        with open(copy, "r+b") as f:
            f.seek(at)
            chunk = f.read(4096)
            f.seek(at)
            f.write(bytes(b ^ 0xFF for b in chunk))
        target = tmp_path / f"pulih-{i}" / "talenta.duckdb"
        target.parent.mkdir()
        try:
            backup.restore(copy, target)
        except BackupError as exc:
            assert "rusak" in str(exc)
            assert not target.exists()                  # nothing put in place
            refused += 1
            continue
        assert dump(target) == original                 # every row readable and as backed up
    assert refused >= 1


def test_what_a_killed_snapshot_left_is_removed_by_the_next_one(db, tmp_path):
    import os
    folder = tmp_path / "cad"
    old, fresh = folder / ".sebagian-lama", folder / ".sebagian-baru"     # a killed one, and one maybe in progress
    for d in (old, fresh):
        d.mkdir(parents=True)
        (d / "talenta-manual-x.duckdb").write_bytes(b"sebagian")
    hours_ago = dt.datetime.now().timestamp() - (backup.PARTIAL_HOURS + 1) * 3600
    os.utime(old, (hours_ago, hours_ago))
    con = store.connect(db)
    backup.take(con, folder)
    con.close()
    assert not old.exists() and fresh.exists()


def test_a_dashboard_started_during_a_restore_is_refused_not_lost(db, tmp_path, monkeypatch):
    """restore checked the lock, let it go, copied and renamed: a dashboard opening the file in between wrote into the
    file being replaced, and its writes were lost (review 12, L7). The lock is now held until the rename."""
    import subprocess
    import sys

    con = store.connect(db)
    snap = backup.take(con, tmp_path / "cad")
    employees = store.query_one(con, "SELECT count(*) FROM employee")[0]
    con.close()
    tried = []
    real = backup._copy_held

    def copy_while_another_process_opens(fd, out):
        r = subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.connect({str(db)!r})"], capture_output=True,
                           text=True)
        tried.append(r)
        real(fd, out)

    monkeypatch.setattr(backup, "_copy_held", copy_while_another_process_opens)
    backup.restore(snap.path, db)
    [r] = tried
    assert r.returncode != 0 and "lock" in r.stderr.lower()
    [kept] = tmp_path.glob("talenta.duckdb.sebelum-pulih-*")           # the replaced database, copied whole
    c = duckdb.connect(str(kept), read_only=True)
    assert c.execute("SELECT count(*) FROM employee").fetchone()[0] == employees
    c.close()


def test_a_restore_into_a_folder_that_does_not_exist_is_refused_in_words(db, tmp_path):
    con = store.connect(db)
    snap = backup.take(con, tmp_path / "cad")
    con.close()
    r = cli("restore", str(snap.path), db=tmp_path / "tidak" / "ada" / "talenta.duckdb")
    assert r.returncode == 2 and "Folder basis data" in r.stderr and "tak terduga" not in r.stderr
    assert not (tmp_path / "tidak").exists()


def test_a_manifest_damaged_by_hand_lists_as_none_and_is_refused(db, tmp_path):
    con = store.connect(db)
    snap = backup.take(con, tmp_path / "cad")
    con.close()
    side = tmp_path / "cad" / (snap.path.name + ".json")
    side.write_text('{"created_at": "kemarin", "tables": {}}', encoding="utf-8")
    listed = backup.listing(tmp_path / "cad")                   # the Cadangan page's list (it broke the page)
    assert len(listed) == 1 and not listed["manifest"].iloc[0] and listed["baris"].isna().all()
    side.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(BackupError, match="bukan manifest cadangan"):
        backup.verify(snap.path)


def test_daily_snapshot_once_a_day_keeping_the_last_n(db, tmp_path):
    folder = tmp_path / "cad"
    con = store.connect(db)
    manual = backup.take(con, folder, "manual", now=dt.datetime(2026, 1, 1, 8))
    day = dt.datetime(2026, 1, 1, 9)
    for i in range(5):
        assert backup.daily(con, folder, keep=3, now=day + dt.timedelta(days=i)) is not None
        assert backup.daily(con, folder, keep=3, now=day + dt.timedelta(days=i, hours=5)) is None
    con.close()
    names = [p.name for p in backup.snapshots(folder)]
    assert names == [manual.path.name, "talenta-harian-20260103-090000.duckdb",
                     "talenta-harian-20260104-090000.duckdb", "talenta-harian-20260105-090000.duckdb"]
    assert sorted(p.name for p in folder.glob("*.json")) == sorted(n + ".json" for n in names)
    table = backup.listing(folder)
    assert table["berkas"].tolist()[0] == "talenta-harian-20260105-090000.duckdb"
    # each daily snapshot holds the audit rows of the daily snapshots before it (one row each; review 12, L6)
    assert table["manifest"].all() and table["baris"].tolist() == [manual.rows + 4, manual.rows + 3, manual.rows + 2, manual.rows]
    assert backup.verify(folder / names[0]).tables == manual.tables
    con = store.connect(db)
    rows = audit.query(con, action="backup")
    con.close()
    assert len(rows) == 5 and set(rows["pengguna"]) == {"sistem"} and '"jenis": "harian"' in rows["rincian"].iloc[0]


def test_snapshot_is_one_moment_while_another_cursor_keeps_writing(db, tmp_path):
    """Like the dashboard: a writer on the same connection commits pairs of rows into two tables while the
    snapshot runs; the snapshot holds both rows of every pair or neither."""
    import threading
    import time

    con = store.connect(db)
    con.execute("CREATE TABLE uji_a (x INTEGER); CREATE TABLE uji_b (x INTEGER)")
    stop, written = threading.Event(), []

    def writer():
        i = 0
        while not stop.is_set():
            with store.transaction(con) as cur:
                cur.execute("INSERT INTO uji_a VALUES (?)", [i])
                cur.execute("INSERT INTO uji_b VALUES (?)", [i])
            written.append(i)
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        deadline = time.time() + 60
        while len(written) < 50 and time.time() < deadline:
            time.sleep(0.01)
        snaps = [backup.take(con, tmp_path / "cad", now=dt.datetime(2026, 1, 1, 0, 0, i)) for i in range(3)]
    finally:
        stop.set()
        t.join()
    con.close()
    for s in snaps:
        v = backup.verify(s.path)
        snap = duckdb.connect(str(s.path), read_only=True)
        a = snap.execute("SELECT x FROM uji_a ORDER BY x").fetchall()
        assert a == snap.execute("SELECT x FROM uji_b ORDER BY x").fetchall() and len(a) == v.tables["uji_a"] >= 50
        snap.close()


def test_a_backup_from_the_command_line_leaves_one_audit_row(db, tmp_path):
    """The Cadangan page's backup was audited, the CLI's was not (review 20c)."""
    r = cli("backup", "--out", str(tmp_path / "c.duckdb"), db=db)
    assert r.returncode == 0, r.stderr
    con = store.connect(db)
    rows = audit.query(con, action="backup")
    con.close()
    assert len(rows) == 1 and rows["objek"].iloc[0] == "c.duckdb" and '"sumber": "cli"' in rows["rincian"].iloc[0]


def _forged(path, manifest, tables=("x",)):
    con = duckdb.connect(str(path))
    for t in tables:                        # identifiers quoted as the backup module quotes them
        con.execute(backup._stmt("CREATE TABLE {t} (a INTEGER)", t=t))
    con.execute(backup._stmt("CREATE TABLE {m} (manifest VARCHAR NOT NULL)", m=backup.MANIFEST_TABLE))
    con.execute(backup._stmt("INSERT INTO {m} VALUES (?)", m=backup.MANIFEST_TABLE), [json.dumps(manifest)])
    con.close()
    return path


@pytest.mark.parametrize("manifest, words", [
    ([], "bukan daftar isian"),
    ({"format": backup.FORMAT}, "daftar tabel di manifest tidak sah"),
    ({"format": backup.FORMAT, "tables": None, "schema_version": 1, "created_at": "2026-01-01 00:00:00"},
     "daftar tabel di manifest tidak sah"),
    ({"format": backup.FORMAT, "tables": {"x": 0}, "schema_version": "21", "created_at": "2026-01-01 00:00:00"},
     "versi skema '21' di manifest tidak sah"),
    ({"format": backup.FORMAT, "tables": {"x": 0}, "schema_version": 1, "created_at": "kemarin"},
     "waktu pembuatan 'kemarin' di manifest tidak sah"),
    # another application's DuckDB file with a manifest of its own tables: it was restored and migrated into an
    # empty Talenta without accounts
    ({"format": backup.FORMAT, "tables": {"x": 0}, "schema_version": 1, "created_at": "2026-01-01 00:00:00"},
     "tabel Talenta schema_version, import_batch, employee tidak ada di dalamnya"),
])
def test_a_forged_snapshot_is_refused_in_words_and_nothing_changes(db, tmp_path, manifest, words):
    """Hostile pass, session 22: a manifest of the wrong types ended in 'kesalahan tak terduga' and a traceback."""
    before = dump(db)
    forged = _forged(tmp_path / "palsu.duckdb", manifest)
    with pytest.raises(BackupError, match=words):
        backup.restore(forged, db)
    assert dump(db) == before
