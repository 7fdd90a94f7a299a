"""An import running while sessions read never shows a half-imported state and never fails a query."""
import threading

from talenta import store
from talenta.ingest import import_file


def test_readers_see_before_or_after_never_between(tmp_path):
    con = store.connect(tmp_path / "c.duckdb")
    rows = "".join(f"1980{1 + i // 28 % 12:02d}{1 + i % 28:02d}2005011{i % 999 + 1:03d},Nama {i},Dinas {i % 9},2025,B\n"
                   for i in range(20000))
    big = tmp_path / "gabungan.csv"
    big.write_text("nip,nama,opd,tahun,predikat\n" + rows, encoding="utf-8")
    before = store.query_one(con, "SELECT (SELECT count(*) FROM employee), (SELECT count(*) FROM performance)")
    seen, errors = set(), []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen.add(store.query_one(con, "SELECT (SELECT count(*) FROM employee), "
                                              "(SELECT count(*) FROM performance)"))
            except Exception as exc:  # noqa: BLE001 - any failure of a reader is the bug we test for
                errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    result = import_file(con, big)
    stop.set()
    for t in threads:
        t.join()
    after = store.query_one(con, "SELECT (SELECT count(*) FROM employee), (SELECT count(*) FROM performance)")
    assert result.accepted == 20000 and after == (20000, 20000)
    assert errors == []
    assert seen <= {before, after} and len(seen) >= 1
