"""`import --json` prints JSON with an `error` on every failure, and exits non-zero (issue 15, item 4)."""
import json

from talenta import store

from .test_cli import cli

KEYS = ("file", "rows_read", "accepted", "rejected", "batch", "error")


def _master(tmp_path):
    f = tmp_path / "pegawai.csv"
    f.write_text("NIP,NAMA,OPD\n196711101992031001,Budi,Dinas A\n", encoding="utf-8")
    return f


def _json(r) -> list[dict]:
    out = json.loads(r.stdout)
    assert isinstance(out, list)
    return out


def test_missing_file_is_json_and_nothing_imported(tmp_path):
    db = tmp_path / "c.duckdb"
    good = _master(tmp_path)
    r = cli("import", str(good), str(tmp_path / "hilang.csv"), "--json", db=db)
    assert r.returncode == 2
    good_out, missing = _json(r)
    assert missing["file"] == "hilang.csv" and "tidak ditemukan" in missing["error"]
    assert good_out["file"] == "pegawai.csv" and "tidak diimpor" in good_out["error"]
    assert all(k in o for o in (good_out, missing) for k in KEYS)
    st = cli("status", "--json", db=db)                # nothing imported: not even a database made
    assert st.returncode == 2 and "belum ada" in json.loads(st.stdout)["error"] and not db.exists()


def test_refused_file_is_json_beside_the_imported_one(tmp_path):
    db = tmp_path / "c.duckdb"
    bad = tmp_path / "surat.csv"
    bad.write_text("Yth. Bapak Kepala\nDengan hormat,\n", encoding="utf-8")
    r = cli("import", str(_master(tmp_path)), str(bad), "--json", db=db)
    assert r.returncode == 2
    ok, refused = _json(r)
    assert ok["accepted"] == 1 and ok["batch"] and "error" not in ok
    assert refused["file"] == "surat.csv" and "judul kolom" in refused["error"]
    assert refused["batch"] is None and refused["accepted"] is None


def test_locked_database_is_json_naming_the_lock(tmp_path):
    db = tmp_path / "c.duckdb"
    holder = store.connect(db)          # this test process holds the only writer, like a running dashboard
    try:
        r = cli("import", str(_master(tmp_path)), "--json", db=db)
    finally:
        holder.close()
    assert r.returncode == 2
    [out] = _json(r)
    assert out["file"] == "pegawai.csv" and out["error_code"] == "db_busy"
    assert "sedang dipakai proses lain" in out["error"]
    assert all(k in out for k in KEYS)
    # plain output keeps the human message on stderr
    holder = store.connect(db)
    try:
        r = cli("import", str(_master(tmp_path)), db=db)
    finally:
        holder.close()
    assert r.returncode == 2 and "sedang dipakai proses lain" in r.stderr and r.stdout == ""
