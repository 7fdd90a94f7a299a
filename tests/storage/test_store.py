"""Real DuckDB: migrations, transactions, the import path, idempotency, undo."""
import duckdb
import pytest

from talenta import demo, overview, store
from talenta.errors import StoreError
from talenta.ingest import import_file, undo_batch


def test_migrations_run_twice_safely(tmp_path):
    p = tmp_path / "t.duckdb"
    con = store.connect(p)
    assert store.schema_version(con) == store.LATEST_VERSION
    assert store.apply_migrations(con) == []
    con.close()
    con = store.connect(p)  # reopening migrates nothing and keeps data
    rows = store.query_df(con, "SELECT version FROM schema_version")
    assert rows["version"].tolist() == list(range(1, store.LATEST_VERSION + 1))


def test_extension_autoload_is_off(con):
    settings = dict(store.query_df(con, "SELECT name, value FROM duckdb_settings() WHERE name LIKE 'auto%known%'")
                    .itertuples(index=False))
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_read_only_requires_existing_current_database(tmp_path):
    with pytest.raises(StoreError, match="belum ada"):
        store.connect(tmp_path / "missing.duckdb", read_only=True)


def test_transaction_rolls_back_on_error(con):
    with pytest.raises(RuntimeError):
        with store.transaction(con) as cur:
            cur.execute("INSERT INTO employee (nip, nama, instansi, opd, batch_id) VALUES ('1', 'A', 'I', 'O', 1)")
            raise RuntimeError("boom")
    assert store.query_one(con, "SELECT count(*) FROM employee")[0] == 0


def test_cursors_from_two_threads(con):
    import threading

    errors = []

    def work():
        try:
            for _ in range(20):
                store.query_df(con, "SELECT count(*) FROM employee")
        except duckdb.Error as exc:  # pragma: no cover - the failure we guard against
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_demo_import_counts_match_generated(tmp_path):
    con = store.connect(tmp_path / "d.duckdb")
    results = demo.build(con, tmp_path / "files", n=600, seed=11)
    data = demo.generate(600, 11)
    st = overview.status(con)
    assert st["employees"] == 600
    assert st["performance_per_period"] == {str(t): int((data.kinerja["tahun"] == t).sum()) for t in demo.PERIODS}
    assert sum(st["assessments_per_period"].values()) == len(data.asesmen)
    assert all(r.rows_read == r.accepted + r.rejected for r in results)
    assert st["rejected_rows"] == 0
    # values survived the trip through CSV/XLSX: predikat (also derived from ratings), JPM
    k = store.query_df(con, "SELECT nip, tahun, predikat FROM performance")
    merged = k.merge(data.kinerja, on=["nip", "tahun"], suffixes=("", "_src"))
    assert len(merged) == len(k) and (merged["predikat"] == merged["predikat_src"]).all()
    a = store.query_df(con, "SELECT nip, tahun, jpm FROM assessment")
    merged = a.merge(data.asesmen, on=["nip", "tahun"], suffixes=("", "_src"))
    assert (merged["jpm"] - merged["jpm_src"]).abs().max() < 1e-9


def test_demo_twice_changes_nothing(tmp_path):
    con = store.connect(tmp_path / "d.duckdb")
    demo.build(con, tmp_path / "files", n=300, seed=2)
    before = overview.status(con)
    again = demo.build(con, tmp_path / "files", n=300, seed=2)
    assert all(r.status == "sudah_ada" for r in again)
    after = overview.status(con)
    assert before == after


def test_newer_file_replaces_and_undo_restores(con, tmp_path):
    master = tmp_path / "pegawai.csv"
    master.write_text("NIP_BARU,NAMA,UNOR_INDUK_NAMA\n196711101992031001,Budi,Dinas A\n", encoding="utf-8")
    k1 = tmp_path / "skp_a.csv"
    k1.write_text("nip,tahun,predikat\n196711101992031001,2024,Baik\n", encoding="utf-8")
    k2 = tmp_path / "skp_b.csv"
    k2.write_text("nip;tahun;hasil_akhir\n196711101992031001;2024;SB\n", encoding="utf-8")
    import_file(con, master)
    r1 = import_file(con, k1)
    r2 = import_file(con, k2)
    row = store.query_one(con, "SELECT predikat, batch_id FROM performance")
    assert row == ("Sangat Baik", r2.batch)
    undo_batch(con, r2.batch, "tester")
    row = store.query_one(con, "SELECT predikat, batch_id FROM performance")
    assert row == ("Baik", r1.batch)
    undo_batch(con, r1.batch, "tester")
    assert store.query_one(con, "SELECT count(*) FROM performance")[0] == 0
