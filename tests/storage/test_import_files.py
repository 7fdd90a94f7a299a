"""Importing several files at once (the next files are read and validated while one is stored) stores
exactly what importing them one by one stores, in the same order."""
import pandas as pd

from talenta import demo, store
from talenta.ingest import import_file
from talenta.ingest import loader
from talenta.ingest.loader import import_files

TABLES = ["employee", "performance", "assessment", "employee_history", "performance_history", "assessment_history"]


def _state(con) -> dict[str, pd.DataFrame]:
    out = {t: store.query_df(con, f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}
    out["batches"] = store.query_df(con, "SELECT batch_id, file_name, rows_read, rows_accepted, rows_rejected "
                                         "FROM import_batch ORDER BY batch_id")
    out["rejected"] = store.query_df(con, "SELECT batch_id, row_number, message FROM rejected_row ORDER BY ALL")
    return out


def test_many_files_at_once_equal_one_by_one(tmp_path, monkeypatch):
    data = demo.generate(800, 3)
    paths = demo.write_files(data, tmp_path / "f", fmt="csv")
    # the employee master last but one: SKP rows before it are refused (NIP not yet known), after it accepted;
    # one file three times: right after itself (both read before the first is stored) and at the end; the
    # copies are recognised as already imported
    emp = [p for p in paths if "pegawai" in p.name]
    rest = [p for p in paths if "pegawai" not in p.name]
    order = rest[:1] + rest[:1] + emp + rest[1:] + rest[:1]
    one = store.connect(tmp_path / "one.duckdb")
    expected = [import_file(one, p) for p in order]
    monkeypatch.setattr(loader, "LOOKAHEAD", 3)
    many = store.connect(tmp_path / "many.duckdb")
    got = import_files(many, order)
    assert [(r.file, r.status, r.accepted, r.rejected) for r in got] == \
        [(r.file, r.status, r.accepted, r.rejected) for r in expected]
    assert got[0].rejected > 0 and got[1].status == got[-1].status == "sudah_ada"
    want, have = _state(one), _state(many)
    assert len(have["performance"]) > 0 and len(have["rejected"]) == got[0].rejected
    for name in want:
        pd.testing.assert_frame_equal(have[name], want[name], obj=name)
