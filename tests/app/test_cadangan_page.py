"""Cadangan page: 'Cadangkan sekarang' snapshots through the app's own connection; the daily thread keeps N."""
import time

from talenta import backup


def test_backup_now_from_the_page_and_listed(app, db_copy, tmp_path, monkeypatch):
    folder = tmp_path / "cadangan"
    monkeypatch.setenv("TALENTA_BACKUP_DIR", str(folder))
    at = app(db_copy, "views/cadangan.py")
    assert not at.exception and at.title[0].value == "Cadangan"
    assert "Belum ada cadangan" in " ".join(m.value for m in at.markdown)
    assert "belum aktif" in " ".join(c.value for c in at.caption)
    at.button(key="cad_go").click().run()               # the app holds the writer: the backup runs in-process
    assert not at.exception
    [snap] = backup.snapshots(folder)
    assert snap.name.startswith("talenta-manual-")
    assert any(snap.name in s.value for s in at.success)
    made = backup.verify(snap)                           # it opens and its counts match its manifest
    assert made.tables["employee"] == 1500 and made.tables["performance"] > 0
    listed = next(d.value for d in at.dataframe if "berkas" in d.value.columns)
    assert listed["berkas"].tolist() == [snap.name] and listed["baris"].tolist() == [made.rows]
    # the restore command names this dashboard's database and folder, whatever the operator's shell has
    # (review 12, L3: it read data/cadangan/<berkas> with no database)
    command = at.code[0].value
    assert f"TALENTA_DB_PATH={db_copy.resolve()}" in command and str(folder.resolve() / snap.name) in command


def test_daily_setting_makes_the_running_app_take_a_snapshot(app, db_copy, tmp_path, monkeypatch):
    folder = tmp_path / "harian"
    monkeypatch.setenv("TALENTA_BACKUP_DIR", str(folder))
    monkeypatch.setenv("TALENTA_BACKUP_DAILY", "1")
    monkeypatch.setenv("TALENTA_BACKUP_KEEP", "2")
    at = app(db_copy, "views/cadangan.py")
    assert not at.exception and "Cadangan harian aktif" in " ".join(c.value for c in at.caption)
    deadline = time.time() + 30
    while not backup.snapshots(folder) and time.time() < deadline:
        time.sleep(0.2)
    [snap] = backup.snapshots(folder)
    assert snap.name.startswith("talenta-harian-")
    while not (folder / (snap.name + ".json")).exists() and time.time() < deadline:
        time.sleep(0.2)
    assert backup.verify(snap).tables["employee"] == 1500
