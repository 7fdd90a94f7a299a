"""Undo restores exactly what a batch changed, column by column, and never leaves orphans."""
from pathlib import Path

import pandas as pd
import pytest

from talenta import demo, store
from talenta.errors import DependentBatchesError, UsageError
from talenta.ingest import import_file, undo_batch
from talenta.ingest.loader import TABLE_COLUMNS, undo_plan
from tests.cli_run import cli

MASTER_COLS = ["nip", "nama", "gelar_belakang", "opd", "unit_kerja", "jenis_jabatan", "jabatan", "golongan",
               "pendidikan"]


@pytest.fixture(scope="module")
def people():
    """40 synthetic employees, those appointed by 2024 first: the files below give the first ones SKP 2024, which
    must not be before the appointment year in the NIP (``tahun_sebelum_pengangkatan``)."""
    emp = demo.generate(40, 5).employees
    late = emp["nip"].str[8:12].astype(int) > 2024
    return pd.concat([emp[~late], emp[late]]).reset_index(drop=True)


def _write(path: Path, df: pd.DataFrame) -> Path:
    df.to_csv(path, index=False)
    return path


def _master(tmp_path, people, name="pegawai.csv", opd=None):
    df = people[MASTER_COLS].copy()
    if opd:
        df["opd"] = opd
    return _write(tmp_path / name, df)


def _partial(tmp_path, people, name, tag, predikat, jpm):
    """The issue's file: only NIP, NAMA, OPD, TAHUN, PREDIKAT, JPM, for the first 20 employees."""
    df = pd.DataFrame({"NIP": people["nip"][:20], "NAMA": [f"{tag} {i}" for i in range(20)], "OPD": f"Dinas {tag}",
                       "TAHUN": 2024, "PREDIKAT": predikat, "JPM": jpm})
    return _write(tmp_path / name, df)


def _state(con) -> dict[str, pd.DataFrame]:
    """The current tables, with each row's batch named by its file (batch numbers differ between databases)."""
    out = {}
    for table, cols in TABLE_COLUMNS.items():
        out[table] = store.query_df(
            con, "SELECT " + ", ".join("t." + c for c in cols) + ", b.file_name, t.row_number FROM " + table +
            " t JOIN import_batch b USING (batch_id) ORDER BY ALL")
    return out


def _assert_same(a, b):
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table], obj=table)


def _replay(tmp_path, files, name="replay.duckdb"):
    con = store.connect(tmp_path / name)
    for f in files:
        assert import_file(con, f, instansi="Kota Uji").status == "diimpor"
    return con


def test_undo_of_a_partial_file_restores_only_its_columns(con, tmp_path, people):
    master, x, y = (_master(tmp_path, people), _partial(tmp_path, people, "x.csv", "X", "Baik", 80),
                    _partial(tmp_path, people, "y.csv", "Y", "Kurang", 60))
    import_file(con, master, instansi="Kota Uji")
    after_master = _state(con)
    rx = import_file(con, x, instansi="Kota Uji")
    after_x = _state(con)
    ry = import_file(con, y, instansi="Kota Uji")
    assert store.query_one(con, "SELECT count(*) FROM employee WHERE opd = 'Dinas Y' AND jabatan IS NOT NULL")[0] == 20
    undo_batch(con, ry.batch, "tester")
    _assert_same(_state(con), after_x)           # jabatan, golongan, ... kept; NAMA/OPD back to X
    assert store.query_one(con, "SELECT count(*) FROM employee WHERE jenis_jabatan IS NULL OR golongan IS NULL")[0] == 0
    undo_batch(con, rx.batch, "tester")
    _assert_same(_state(con), after_master)


def test_undo_of_an_earlier_batch_equals_replaying_the_others(con, tmp_path, people):
    master, x, y = (_master(tmp_path, people), _partial(tmp_path, people, "x.csv", "X", "Baik", 80),
                    _partial(tmp_path, people, "y.csv", "Y", "Kurang", 60))
    # a second, full master after Y: undoing X must keep Y's kinerja/asesmen and the new master's columns
    master2 = _master(tmp_path, people, "pegawai_baru.csv", opd="Dinas Baru")
    rx = [import_file(con, f, instansi="Kota Uji") for f in (master, x, y, master2)][1]
    undo_batch(con, rx.batch, "tester")
    replay = _replay(tmp_path, [master, y, master2])
    _assert_same(_state(con), _state(replay))
    assert store.query_one(con, "SELECT min(predikat), min(jpm) FROM performance JOIN assessment USING (nip)") == \
        ("Kurang", 60.0)


def test_a_predikat_only_file_replaces_the_ratings_and_undo_brings_them_back(con, tmp_path, people):
    """Predikat and the two ratings are one fact: a file with a predikat only used to leave the earlier ratings
    (which mean Baik) beside its "Butuh Perbaikan" (review 10, 3). Now it empties them; undo restores all three."""
    nip = people["nip"][0]
    import_file(con, _master(tmp_path, people), instansi="Kota Uji")
    ratings = _write(tmp_path / "rating.csv", pd.DataFrame({"NIP": [nip], "TAHUN": [2024],
                                                             "RATING_HASIL_KERJA": ["Di atas ekspektasi"],
                                                             "RATING_PERILAKU": ["Sesuai ekspektasi"]}))
    assert import_file(con, ratings, instansi="Kota Uji").accepted == 1
    row = "SELECT predikat, rating_hasil_kerja, rating_perilaku FROM performance WHERE nip = $n AND tahun = 2024"
    before = store.query_one(con, row, {"n": nip})
    assert before == ("Baik", "Di atas ekspektasi", "Sesuai ekspektasi")
    only = _write(tmp_path / "predikat.csv", pd.DataFrame({"NIP": [nip], "TAHUN": [2024],
                                                            "PREDIKAT": ["Butuh Perbaikan"]}))
    r = import_file(con, only, instansi="Kota Uji")
    assert store.query_one(con, row, {"n": nip}) == ("Butuh Perbaikan", None, None)
    undo_batch(con, r.batch, "tester")
    assert store.query_one(con, row, {"n": nip}) == before


def test_a_master_batch_with_dependents_is_refused_or_undone_with_them(con, tmp_path, people):
    master = _master(tmp_path, people)
    skp = _write(tmp_path / "skp.csv", pd.DataFrame({"nip": people["nip"][:10], "tahun": 2024, "predikat": "Baik"}))
    ases = _write(tmp_path / "asesmen.csv", pd.DataFrame({"nip": people["nip"][5:15], "tahun": 2024, "jpm": 77.5}))
    m, k, a = (import_file(con, f, instansi="Kota Uji").batch for f in (master, skp, ases))
    before = _state(con)
    plan = undo_plan(con, m)
    assert plan.dependents == [(k, "skp.csv"), (a, "asesmen.csv")] and plan.orphans == 15
    assert plan.columns["employee"] == ["nip", "nama", "gelar_belakang", "instansi", "opd", "unit_kerja", "jenis_asn",
                                        "jenis_kelamin", "tanggal_lahir", "jenis_jabatan", "jabatan", "golongan",
                                        "pendidikan", "tmt_cpns"]
    with pytest.raises(DependentBatchesError) as err:
        undo_batch(con, m, "tester")
    assert f"batch {k} (skp.csv), {a} (asesmen.csv)" in str(err.value) and "15 pegawai" in str(err.value)
    _assert_same(_state(con), before)             # a refused undo changes nothing
    with pytest.raises(DependentBatchesError):    # the confirmed list must be the whole list
        undo_batch(con, m, "tester", with_dependents=[k])
    counts = undo_batch(con, m, "tester", with_dependents=[k, a])
    assert counts == {"employee": 40, "performance": 10, "assessment": 10,
                      "riwayat_jabatan": 0, "hukuman_disiplin": 0, "diklat": 0, "formasi": 0}
    assert store.query_one(con, "SELECT (SELECT count(*) FROM employee) + (SELECT count(*) FROM performance) + "
                                "(SELECT count(*) FROM assessment)")[0] == 0
    assert store.query_one(con, "SELECT count(*) FROM import_batch WHERE undone_at IS NOT NULL")[0] == 3


def test_an_employee_kept_by_another_master_is_no_dependency(con, tmp_path, people):
    master, master2 = _master(tmp_path, people), _master(tmp_path, people, "pegawai_baru.csv", opd="Dinas Baru")
    skp = _write(tmp_path / "skp.csv", pd.DataFrame({"nip": people["nip"][:10], "tahun": 2024, "predikat": "Baik"}))
    m, _, _ = (import_file(con, f, instansi="Kota Uji").batch for f in (master, skp, master2))
    assert undo_plan(con, m).dependents == []
    with pytest.raises(UsageError, match="dapat dibatalkan sendiri"):     # nothing else is undone on the way
        undo_batch(con, m, "tester", with_dependents=[2])
    undo_batch(con, m, "tester")
    assert store.query_one(con, "SELECT count(*), min(opd) FROM employee") == (40, "Dinas Baru")
    assert store.query_one(con, "SELECT count(*) FROM performance")[0] == 10


def test_unknown_or_undone_batch_is_a_clear_refusal(con, tmp_path, people):
    b = import_file(con, _master(tmp_path, people), instansi="Kota Uji").batch
    with pytest.raises(UsageError, match="Batch 99 tidak ada"):
        undo_batch(con, 99)
    undo_batch(con, b)
    with pytest.raises(UsageError, match=f"Batch {b} \\(pegawai.csv\\) sudah dibatalkan"):
        undo_batch(con, b)


def test_migration_7_backfills_the_columns_each_batch_wrote(tmp_path):
    con = store.connect(tmp_path / "d.duckdb")
    demo.build(con, tmp_path / "files", n=300, seed=4)
    partial = tmp_path / "p.csv"
    nips = store.query_df(con, "SELECT nip FROM employee ORDER BY nip LIMIT 5")["nip"]
    _write(partial, pd.DataFrame({"NIP": nips, "NAMA": "A", "OPD": "B", "TAHUN": 2025, "PREDIKAT": "Baik", "JPM": 70}))
    pb = import_file(con, partial).batch
    # the tables before migration 9 (riwayat, hukuman, diklat and formasi batches cannot predate migration 7)
    old = "SELECT * FROM import_batch_column WHERE table_name IN ('employee', 'performance', 'assessment') ORDER BY ALL"
    recorded = store.query_df(con, old)
    # nor can a master batch carrying TMT jabatan/golongan (migration 9 columns)
    recorded["columns"] = recorded["columns"].map(lambda cs: [c for c in cs if c not in ("tmt_jabatan", "tmt_golongan")])
    # nor a predikat-only batch writing the two ratings empty (loader._whole_predikat, after migration 7)
    later = (recorded["batch_id"] == pb) & (recorded["table_name"] == "performance")
    recorded.loc[later, "columns"] = recorded.loc[later, "columns"].map(
        lambda cs: [c for c in cs if c not in ("rating_hasil_kerja", "rating_perilaku")])
    assert len(recorded) == 5 + 3 and set(recorded["table_name"]) == {"employee", "performance", "assessment"}
    assert store.query_one(con, "SELECT count(*) FROM import_batch_column")[0] == len(TABLE_COLUMNS) - 3 + 8
    con.execute("DELETE FROM import_batch_column")      # as in a database imported before migration 7
    sql = dict((v, s) for v, _, s in store._migrations())[7]
    con.execute(sql)
    pd.testing.assert_frame_equal(store.query_df(con, old), recorded)


def _cli(*args, db):
    return cli(*args, db=db)            # python -m talenta ARGS in a child process (tests/cli_run.py)


def test_cli_undo_refuses_dependents_unknown_and_repeated(tmp_path, people):
    db = tmp_path / "c.duckdb"
    con = store.connect(db)
    master = _master(tmp_path, people)
    skp = _write(tmp_path / "skp.csv", pd.DataFrame({"nip": people["nip"][:3], "tahun": 2024, "predikat": "Baik"}))
    m, k = (import_file(con, f, instansi="Kota Uji").batch for f in (master, skp))
    con.close()
    r = _cli("undo", str(m), db=db)
    assert r.returncode == 2 and f"batch {k} (skp.csv)" in r.stderr and "--with-dependents" in r.stderr
    assert "Traceback" not in r.stderr
    r = _cli("undo", "42", db=db)
    assert r.returncode == 2 and "Batch 42 tidak ada" in r.stderr
    r = _cli("undo", str(m), "--with-dependents", db=db)
    assert r.returncode == 0, r.stderr
    assert f"Batch {m}" in r.stdout and f"{k} (skp.csv)" in r.stdout
    r = _cli("undo", str(k), db=db)
    assert r.returncode == 2 and "sudah dibatalkan" in r.stderr
    con = store.connect(db, read_only=True)
    assert store.query_one(con, "SELECT count(*) FROM employee")[0] == 0
