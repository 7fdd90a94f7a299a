"""Every awkward and bad file of the corpus imports exactly as expected; the counts always add up."""
import pytest

from talenta import store
from talenta.errors import ImportFileError
from talenta.ingest import import_file

from .corpus import CASES, MASTER


@pytest.fixture
def master_con(tmp_path):
    con = store.connect(tmp_path / "c.duckdb")
    p = tmp_path / "master.csv"
    p.write_text(MASTER, encoding="utf-8")
    r = import_file(con, p, instansi="Pemerintah Kota Uji")
    assert r.accepted == 3
    return con


def test_corpus_is_big_enough():
    assert len(CASES) >= 25


def _state(con):
    return {t: store.query_one(con, "SELECT count(*) FROM " + t)[0]
            for t in ("employee", "performance", "assessment", "import_batch", "rejected_row")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_case(name, master_con, tmp_path, monkeypatch):
    path, exp = CASES[name](tmp_path)
    for k, v in exp.env.items():
        monkeypatch.setenv(k, v)
    before = _state(master_con)
    if exp.file_error:
        with pytest.raises(ImportFileError) as e:
            import_file(master_con, path, period=exp.period, sheet=exp.sheet)
        assert exp.file_error in e.value.message
        assert _state(master_con) == before, "a failed import must change nothing"
        return
    r = import_file(master_con, path, period=exp.period, sheet=exp.sheet)
    assert r.rows_read == r.accepted + r.rejected
    assert (r.rows_read, r.accepted, r.rejected) == (exp.rows_read, exp.accepted, exp.rejected), \
        r.rejected_rows[["row_number", "message"]].to_string() if r.rejected_rows is not None else ""
    assert len(r.skipped) == exp.skipped
    if exp.kinds:
        assert r.kinds == exp.kinds
    stored = store.query_df(master_con, "SELECT reason_codes, message, row_number FROM rejected_row WHERE batch_id = $b",
                            {"b": r.batch})
    assert len(stored) == exp.rejected
    codes = {c for cs in stored["reason_codes"] for c in cs}
    assert exp.codes <= codes, codes
    for msg, rn in zip(stored["message"], stored["row_number"]):
        assert f"Baris {rn}" in msg          # every message names the row the user sees
    if exp.check:
        exp.check(master_con)
    again = import_file(master_con, path, period=exp.period, sheet=exp.sheet)
    assert again.status == "sudah_ada" and again.batch == r.batch


def test_unknown_columns_are_reported(master_con, tmp_path):
    path, _ = CASES["unknown_columns_listed"](tmp_path)
    r = import_file(master_con, path)
    assert r.unknown_columns == ["HOBI", "KEDUDUKAN_HUKUM_NAMA"]


def test_rejected_row_keeps_original_values(master_con, tmp_path):
    import json

    path, _ = CASES["nip_scientific_notation"](tmp_path)
    r = import_file(master_con, path)
    orig = store.query_df(master_con, "SELECT original FROM rejected_row WHERE batch_id = $b", {"b": r.batch})
    assert json.loads(orig["original"][0]) == {"NIP": "1.97002E+17", "Nama": "Budi", "OPD": "Dinas A"}
