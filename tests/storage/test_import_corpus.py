"""Every awkward and bad file of the corpus imports exactly as expected; the counts always add up."""
import shutil

import pytest

from talenta import store
from talenta.errors import ImportFileError
from talenta.ingest import import_file

from .corpus import CASES, MASTER


@pytest.fixture(scope="module")
def master_db(tmp_path_factory):
    """A database holding the corpus master (three employees), imported once for the module."""
    d = tmp_path_factory.mktemp("corpus_master")
    con = store.connect(d / "c.duckdb")
    p = d / "master.csv"
    p.write_text(MASTER, encoding="utf-8")
    r = import_file(con, p, instansi="Pemerintah Kota Uji")
    assert r.accepted == 3
    con.close()
    return d / "c.duckdb"


@pytest.fixture
def master_con(master_db, tmp_path):
    """A private copy of the master database, open."""
    shutil.copy(master_db, tmp_path / "c.duckdb")
    con = store.connect(tmp_path / "c.duckdb")
    yield con
    con.close()


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


# --- hostile inputs: the reader itself, the upload preview and the command line -----------------------

FILE_CASES = sorted(n for n in CASES if n.startswith(("xlsx_", "csv_", "binary_")))   # employee files or refusals


@pytest.mark.parametrize("name", FILE_CASES)
def test_reader_refuses_or_reports_each_hostile_file(name, tmp_path, monkeypatch):
    from talenta.ingest import readers

    path, exp = CASES[name](tmp_path)
    for k, v in exp.env.items():
        monkeypatch.setenv(k, v)
    if exp.file_error:
        with pytest.raises(ImportFileError) as e:
            readers.read_file(path)
        assert exp.file_error in e.value.message
        return
    raw = readers.read_file(path)
    assert raw.table.num_rows == exp.rows_read
    codes = {c for _, _, _, c in raw.row_problems}
    assert codes == exp.codes & {"jumlah_kolom", "penyandian_campur", "sel_terlalu_panjang"}


def test_upload_preview_runs_under_the_same_limits(master_con, tmp_path):
    """The Impor Data page previews through ``preview``: the 1,6 KB sheet is refused, not read."""
    from talenta.ingest import preview

    path, exp = CASES["xlsx_huge_declared_dimension"](tmp_path)
    with pytest.raises(ImportFileError, match="terlalu besar"):
        preview(master_con, path)


def _cli(args, env_extra=None):
    import os

    from tests.cli_run import cli       # python -m talenta ARGS in a child process

    return cli(*args, env={**os.environ, **(env_extra or {})})


def test_command_line_imports_every_hostile_file_without_a_crash(tmp_path):
    """``python -m talenta import FILE --json``: exit 2 for a refused file, JSON with the cause, and
    never a traceback or an abort (the huge-dimension sheet used to end with exit 134)."""
    import json

    groups: dict[tuple, list] = {}
    for name in FILE_CASES:
        d = tmp_path / name
        d.mkdir()
        path, exp = CASES[name](d)
        if exp.hostile:
            groups.setdefault(tuple(sorted(exp.env.items())), []).append((name, path, exp))
    assert sum(len(g) for g in groups.values()) >= 15
    for i, (env, cases) in enumerate(groups.items()):
        db = tmp_path / f"cli{i}.duckdb"
        res = _cli(["--db", str(db), "import", *[str(p) for _, p, _ in cases], "--json"], dict(env))
        assert "Traceback" not in res.stderr and res.returncode in (0, 2), (res.returncode, res.stderr[-2000:])
        out = json.loads(res.stdout)
        assert len(out) == len(cases)
        assert res.returncode == (2 if any(e.file_error for _, _, e in cases) else 0)
        for (name, _, exp), got in zip(cases, out):
            if exp.file_error:
                assert exp.file_error in got["error"], (name, got)
            else:
                assert (got["rows_read"], got["accepted"], got["rejected"]) == \
                    (exp.rows_read, exp.accepted, exp.rejected), (name, got)


def test_command_line_huge_sheet_plain_text(tmp_path):
    path, _ = CASES["xlsx_huge_declared_dimension"](tmp_path)
    res = _cli(["--db", str(tmp_path / "x.duckdb"), "import", str(path)])
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "huge.xlsx: lembar 'Data' terlalu besar untuk dibaca" in res.stderr


@pytest.mark.parametrize("as_json", [False, True])
def test_unexpected_error_shows_an_id_and_logs_the_traceback(tmp_path, monkeypatch, capsys, as_json):
    """A bug in the import is not shown as a traceback: the user gets a code, the log file the details."""
    import json
    import re

    from talenta import cli, ingest

    def broken(*a, **k):
        raise RuntimeError("rusak di dalam")
    monkeypatch.setattr(ingest, "import_file", broken)
    path = tmp_path / "a.csv"
    path.write_text("NIP,NAMA,OPD\n197002022000031004,Budi,Dinas A\n", encoding="utf-8")
    db = tmp_path / "x.duckdb"
    status = cli.main(["--db", str(db), "import", str(path)] + (["--json"] if as_json else []))
    out, err = capsys.readouterr()
    assert status == 1 and "Traceback" not in out + err and "rusak di dalam" not in out + err
    said = json.loads(out)[0]["error"] if as_json else err      # import --json: one object per file
    code = re.search(r"Terjadi kesalahan tak terduga \(kode ([0-9A-F]{6})\)", said).group(1)
    log = (tmp_path / "talenta-errors.log").read_text(encoding="utf-8")
    assert code in log and "Traceback" in log and "RuntimeError: rusak di dalam" in log
    assert f"tercatat di {tmp_path / 'talenta-errors.log'}" in said          # which log (review 12, L7)


def test_a_missing_output_folder_is_named_and_nothing_runs(demo_db_file, tmp_path, capsys):
    """`map --out` into a folder that does not exist: exit 2 naming the folder, not an unexpected error."""
    from talenta import cli

    status = cli.main(["--db", str(demo_db_file), "map", "--period", "2025", "--out", str(tmp_path / "tidak_ada" / "p.csv")])
    err = capsys.readouterr().err
    assert status == 2 and "Folder tujuan --out tidak ada" in err and "tidak_ada" in err
    assert "tak terduga" not in err


def test_an_unexpected_error_outside_an_import_does_not_speak_of_an_import(tmp_path, monkeypatch, capsys):
    from talenta import cli, store

    store.connect(tmp_path / "x.duckdb").close()
    monkeypatch.setattr(cli, "COMMANDS", {**cli.COMMANDS, "status": lambda *a: 1 / 0})
    status = cli.main(["--db", str(tmp_path / "x.duckdb"), "status"])
    err = capsys.readouterr().err
    assert status == 1 and "kesalahan tak terduga" in err and "Impor" not in err
