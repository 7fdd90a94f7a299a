"""A kill in the middle of an import leaves the database exactly as before, and usable."""
import subprocess
import sys
import textwrap

from talenta import store
from talenta.ingest import import_file

CHILD = textwrap.dedent("""
    import sys, time
    from talenta import store
    from talenta.ingest import loader

    real = loader._upsert
    def slow_upsert(cur, table, frame, batch):
        n = real(cur, table, frame, batch)      # rows are written inside the open transaction...
        print("IN_TX", flush=True)
        time.sleep(60)                          # ...and the process is killed here
        return n
    loader._upsert = slow_upsert
    con = store.connect(sys.argv[1])
    loader.import_file(con, sys.argv[2])
""")


def _state(con):
    return {t: store.query_one(con, "SELECT count(*) FROM " + t)[0]
            for t in ("employee", "employee_history", "performance", "import_batch", "rejected_row")}


def test_kill_mid_import_changes_nothing(tmp_path):
    db = tmp_path / "k.duckdb"
    con = store.connect(db)
    first = tmp_path / "pegawai1.csv"
    first.write_text("NIP,NAMA,OPD\n196711101992031001,Awal,Dinas A\n", encoding="utf-8")
    import_file(con, first)
    before = _state(con)
    con.close()

    rows = "".join(f"1980{1 + i // 28 % 12:02d}{1 + i % 28:02d}2005011{i % 999 + 1:03d},Nama {i},Dinas {i % 7}\n"
                   for i in range(1800))
    big = tmp_path / "pegawai2.csv"
    big.write_text("NIP,NAMA,OPD\n196711101992031001,Diubah,Dinas B\n" + rows, encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(big)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "IN_TX"
    finally:
        child.kill()
        child.wait(10)

    con = store.connect(db)
    assert _state(con) == before
    assert store.query_one(con, "SELECT nama, opd FROM employee")[0:2] == ("Awal", "Dinas A")
    r = import_file(con, big)  # still usable: the same file now imports completely
    assert r.status == "diimpor" and r.accepted == r.rows_read
    assert store.query_one(con, "SELECT nama FROM employee WHERE nip = '196711101992031001'")[0] == "Diubah"
