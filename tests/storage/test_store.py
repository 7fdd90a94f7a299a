"""Real DuckDB: migrations, transactions, the import path, idempotency, undo."""
import duckdb
import pytest

from talenta import audit, demo, overview, store
from talenta.errors import StoreError
from talenta.ingest import import_file, undo_batch
from talenta.scope import Scope
from tests.conftest import DEMO_N, DEMO_SEED


def test_migrations_run_twice_safely(tmp_path):
    p = tmp_path / "t.duckdb"
    con = store.connect(p)
    assert store.schema_version(con) == store.LATEST_VERSION
    assert store.apply_migrations(con) == []
    con.close()
    con = store.connect(p)  # reopening migrates nothing and keeps data
    rows = store.query_df(con, "SELECT version FROM schema_version")
    assert rows["version"].tolist() == [v for v, _, _ in store._migrations()]   # every migration file, once


def test_extension_autoload_is_off(con):
    settings = dict(store.query_df(con, "SELECT name, value FROM duckdb_settings() WHERE name LIKE 'auto%known%'")
                    .itertuples(index=False))
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_read_only_requires_existing_current_database(tmp_path):
    with pytest.raises(StoreError, match="belum ada"):
        store.connect(tmp_path / "missing.duckdb", read_only=True)


def test_a_database_of_a_newer_schema_is_refused_and_an_older_one_can_be_backed_up(tmp_path):
    """After rolling a release back, the older code opened and wrote a newer schema without a word (review 12, M5);
    an older database could not be backed up before 'init' upgraded it in place (M4)."""
    from tests.cli_run import cli

    db = tmp_path / "t.duckdb"
    con = store.connect(db)
    con.execute("INSERT INTO schema_version VALUES (?, 'masa_depan', now())", [store.LATEST_VERSION + 1])
    con.close()
    for read_only in (False, True):
        with pytest.raises(StoreError, match="lebih baru dari Talenta ini"):
            store.connect(db, read_only=read_only)
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM schema_version WHERE version >= ?", [store.LATEST_VERSION - 1])
    con.close()
    with pytest.raises(StoreError, match="masih versi skema"):
        store.connect(db, read_only=True)
    r = cli("backup", "--out", str(tmp_path / "sebelum.duckdb"), db=db)
    assert r.returncode == 0 and "Cadangan dibuat" in r.stdout, r.stderr
    assert store.schema_version(duckdb.connect(str(db), read_only=True)) == store.LATEST_VERSION - 2   # untouched


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


def test_demo_import_counts_match_generated(demo_build, demo_data):
    path, results = demo_build              # the suite's demo database: demo.build of DEMO_N, DEMO_SEED
    con = store.connect(path, read_only=True)
    data = demo_data
    st = overview.status(con)
    assert st["employees"] == DEMO_N
    assert st["performance_per_period"] == {str(t): int((data.kinerja["tahun"] == t).sum()) for t in demo.PERIODS}
    assert sum(st["assessments_per_period"].values()) == len(data.asesmen)
    # the succession files are counted too (status and the CLI name every kind of data stored)
    assert (st["riwayat_jabatan"], st["hukuman_disiplin"], st["diklat"], st["formasi"]) == (
        len(data.riwayat), len(data.hukuman), len(data.diklat), len(data.formasi))
    assert all(r.rows_read == r.accepted + r.rejected for r in results)
    assert st["rejected_rows"] == 0
    # values survived the trip through CSV/XLSX: predikat (also derived from ratings), JPM
    k = store.query_df(con, "SELECT nip, tahun, predikat FROM performance")
    merged = k.merge(data.kinerja, on=["nip", "tahun"], suffixes=("", "_src"))
    assert len(merged) == len(k) and (merged["predikat"] == merged["predikat_src"]).all()
    a = store.query_df(con, "SELECT nip, tahun, jpm FROM assessment")
    merged = a.merge(data.asesmen, on=["nip", "tahun"], suffixes=("", "_src"))
    assert (merged["jpm"] - merged["jpm_src"]).abs().max() < 1e-9
    con.close()


def test_demo_twice_changes_nothing(db_copy, tmp_path):
    con = store.connect(db_copy)            # built by demo.build(n=DEMO_N, seed=DEMO_SEED)
    before = overview.status(con)
    logged = audit.query(con, action="import")
    assert sorted(logged["objek"]) == sorted(store.query_df(con, "SELECT file_name FROM import_batch")["file_name"])
    again = demo.build(con, tmp_path / "files", n=DEMO_N, seed=DEMO_SEED)
    assert all(r.status == "sudah_ada" for r in again)
    after = overview.status(con)
    assert before == after
    # the re-run is in the log too, one row per file, each saying it found the same bytes
    rerun = audit.query(con, action="import").iloc[:len(again)]
    assert len(audit.query(con, action="import")) == 2 * len(logged) and \
        all('"sudah_ada"' in d for d in rerun["rincian"])


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


def _unique(con, table, keys):
    return store.query_one(con, f"SELECT count(*) = count(DISTINCT ({keys})) FROM {table}")[0]


def test_keys_stay_unique_through_updates_undo_and_concurrent_imports(con, tmp_path):
    """The current tables have no key index (sql/005): the import path alone keeps keys unique."""
    import threading

    nips = ["196711101992031001", "198508172010012002", "199001012021211003"]
    master = tmp_path / "pegawai.csv"
    master.write_text("NIP_BARU,NAMA,UNOR_INDUK_NAMA,ESELON\n" + "".join(f"{n},P{i},Dinas A,II.a\n" for i, n in enumerate(nips)),
                      encoding="utf-8")
    import_file(con, master)
    files = []
    for j, pred in enumerate(["Baik", "SB", "Kurang", "Butuh Perbaikan"]):
        p = tmp_path / f"skp_{j}.csv"
        p.write_text("nip,tahun,predikat\n" + "".join(f"{n},2024,{pred}\n" for n in nips), encoding="utf-8")
        files.append(p)
    errors = []

    def run(p):
        try:
            import_file(con, p)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.query_one(con, "SELECT count(*) FROM performance")[0] == 3
    assert _unique(con, "performance", "nip, tahun")
    last = store.query_one(con, "SELECT max(batch_id) FROM import_batch")[0]
    assert store.query_one(con, "SELECT count(DISTINCT batch_id) FROM performance")[0] == 1
    assert store.query_one(con, "SELECT min(batch_id) FROM performance")[0] == last
    # a master without ESELON updates the names and keeps the eselon already stored
    update = tmp_path / "pegawai_baru.csv"
    update.write_text("NIP_BARU,NAMA,UNOR_INDUK_NAMA\n" + "".join(f"{n},Baru{i},Dinas B\n" for i, n in enumerate(nips)),
                      encoding="utf-8")
    r = import_file(con, update)
    assert store.query_one(con, "SELECT count(*), min(nama), min(eselon), min(opd) FROM employee") == (3, "Baru0", "II.a", "Dinas B")
    undo_batch(con, r.batch, "tester")
    assert store.query_one(con, "SELECT count(*), min(nama), min(opd) FROM employee") == (3, "P0", "Dinas A")
    assert _unique(con, "employee", "nip")


def test_migration_5_keeps_the_data_of_an_older_database(tmp_path):
    p = tmp_path / "v4.duckdb"
    con = store.connect(p, migrate=False)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    for version, name, sql in store._migrations():
        if version <= 4:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, name])
    con.execute("INSERT INTO employee (nip, nama, instansi, opd, batch_id) VALUES ('196711101992031001', 'A', 'I', 'O', 1)")
    con.execute("INSERT INTO performance (nip, tahun, predikat, batch_id) VALUES ('196711101992031001', 2024, 'Baik', 1)")
    con.close()
    con = store.connect(p)
    assert store.schema_version(con) == store.LATEST_VERSION
    assert store.query_one(con, "SELECT nama FROM employee") == ("A",)
    assert store.query_one(con, "SELECT predikat FROM performance") == ("Baik",)
    indexes = store.query_one(con, "SELECT count(*) FROM duckdb_constraints() WHERE table_name IN "
                                   "('employee', 'performance', 'assessment') AND constraint_type = 'PRIMARY KEY'")
    assert indexes == (0,)


def test_national_build_streams_chunks_of_many_instansi(tmp_path):
    """`demo --instansi K`: every instansi arrives, NIPs unique across the country, files cleaned up."""
    con = store.connect(tmp_path / "n.duckdb")
    stats: dict = {}
    results = demo.build(con, tmp_path / "files", n=4000, seed=5, n_instansi=6, chunk_employees=1500, stats=stats)
    assert len(results) >= 18 and len(results) % 9 == 0           # at least two chunks of nine files
    assert all(r.rejected == 0 for r in results)
    assert store.query_one(con, "SELECT count(*), count(DISTINCT nip), count(DISTINCT instansi) FROM employee") \
        == (4000, 4000, 6)
    per_instansi = store.query_df(con, "SELECT instansi, count(*) AS n FROM employee GROUP BY ALL")
    assert per_instansi["n"].min() >= 50
    assert store.query_one(con, "SELECT count(*) FROM performance p ANTI JOIN employee e USING (nip)") == (0,)
    # the succession files of every instansi: each holder's riwayat, the posts with their holder, vacant ones
    assert store.query_one(con, "SELECT count(DISTINCT instansi), count(*) - count(pemangku_nip) FROM formasi") \
        == (6, 6 * len(demo.VACANT))
    assert store.query_one(con, "SELECT count(*) FROM formasi f ANTI JOIN employee e ON e.nip = f.pemangku_nip "
                                "WHERE f.pemangku_nip IS NOT NULL") == (0,)
    assert store.query_one(con, "SELECT count(DISTINCT nip) FROM riwayat_jabatan WHERE tmt_selesai IS NULL") == \
        store.query_one(con, "SELECT count(*) FROM employee WHERE jenis_jabatan = 'Struktural'")
    assert stats["import_s"] > 0 and stats["generate_s"] > 0
    assert not any((tmp_path / "files").rglob("*.csv"))
    # every chunk's files are in the audit log with their batch, as an import on the Impor page is
    logged = audit.query(con, action="import")
    assert len(logged) == len(results) and set(logged["pengguna"]) == {"demo"}


def test_recent_batches_name_their_content_in_indonesian(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    isi = set(overview.recent_batches(con, 50)["isi"])
    con.close()
    assert "Data pegawai" in isi and "Kinerja (SKP)" in isi and "Riwayat jabatan" in isi
    assert not any(k in ", ".join(isi).split(", ") for k in ("pegawai", "kinerja", "asesmen", "riwayat"))


def test_counts_per_year_for_everyone_equal_the_counts_through_the_master(demo_db_file):
    """Everyone's counts skip the join with the master; a filter naming every instansi takes the join: same."""
    from talenta.scope import Filters, Scope

    con = store.connect(demo_db_file, read_only=True)
    every = Filters(instansi=tuple(overview.filter_options(con, Scope())["instansi"]))
    assert not every.unlimited
    assert overview.per_period(con, Scope(), Filters()).equals(overview.per_period(con, Scope(), every))
    assert overview.per_period(con, Scope(), Filters())["kinerja"].sum() == store.query_one(
        con, "SELECT count(*) FROM performance")[0]


def test_recent_batches_give_an_opd_account_no_instansi_wide_counts(demo_db_file):
    """Review 6: the Data page showed an OPD account the rows of every file (21.700 employees, 43 disciplinary
    records) beside its own OPD's 3.127 and 8."""
    con = store.connect(demo_db_file, read_only=True)
    full = overview.recent_batches(con, 50)
    assert (full["rows_read"] > 0).any() and "imported_by" in full
    for scope in (Scope(opd=frozenset({"Dinas Kesehatan"})), Scope(instansi=frozenset({"Pemkot Palembang"}))):
        limited = overview.recent_batches(con, 50, scope)
        assert not set(limited.columns) & {*overview.BATCH_COUNTS, "imported_by"}
        assert limited["batch_id"].tolist() == full["batch_id"].tolist()
    con.close()


def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_was(tmp_path):
    """``--db siasn_pegawai.csv import ...`` said '1 diterima; batch 1': DuckDB opened the CSV as an empty database
    in memory and the import was lost (review 20c, 2)."""
    from talenta.errors import StoreError

    csv = tmp_path / "siasn_pegawai.csv"
    csv.write_text("NIP,NAMA\n198001012005011001,Budi\n", encoding="utf-8")
    for read_only in (False, True):
        with pytest.raises(StoreError, match="bukan basis data Talenta"):
            store.connect(csv, read_only=read_only)
    assert csv.read_text(encoding="utf-8") == "NIP,NAMA\n198001012005011001,Budi\n"
    with pytest.raises(StoreError, match="adalah folder"):
        store.connect(tmp_path)
    db = tmp_path / "t.duckdb"
    store.connect(db).close()                      # a real database still opens, again and read-only
    store.connect(db, read_only=True).close()


def test_the_demo_is_not_built_into_a_database_with_real_accounts_or_employees(tmp_path):
    """``demo`` on a pemda's database added 50 made-up employees and admin/analis/... accounts with the public demo
    password, and marked it a demo (the login page then shows that password) (review 20c, 1)."""
    from talenta import accounts
    from talenta.access import OPERATOR
    from talenta.errors import UsageError

    con = store.connect(tmp_path / "real.duckdb")
    accounts.add_user(con, OPERATOR, "kepala", "admin", "sandi-yang-panjang-1")
    with pytest.raises(UsageError, match="bukan demo"):
        demo.build(con, tmp_path / "files", n=50, seed=1)
    assert not accounts.is_demo(con) and accounts.get(con, "admin") is None
    assert store.query_one(con, "SELECT count(*) FROM employee")[0] == 0
    fresh = store.connect(tmp_path / "demo.duckdb")
    demo.build(fresh, tmp_path / "files", n=50, seed=1)
    demo.build(fresh, tmp_path / "files", n=50, seed=1)          # again on the demo: changes nothing
    assert accounts.is_demo(fresh) and store.query_one(fresh, "SELECT count(*) FROM employee")[0] == 50


def test_the_same_file_again_says_which_later_batch_is_in_force(tmp_path):
    """After a correction file moved an employee to another OPD, importing the original master again said only
    'sudah diimpor sebagai batch 1; tidak ada yang berubah', and the user took the file's values to be back
    (review 20c, 10). The rule stays (the same bytes change nothing); the message names the batch in force."""
    con = store.connect(tmp_path / "t.duckdb")
    master = tmp_path / "pegawai.csv"
    master.write_text("NIP,NAMA,OPD\n198001012005011001,Budi,Dinas Kesehatan\n"
                      "198001012005011002,Ani,Dinas Kesehatan\n", encoding="utf-8")
    fix = tmp_path / "koreksi.csv"
    fix.write_text("NIP,NAMA,OPD\n198001012005011001,Budi,Dinas Pendidikan\n", encoding="utf-8")
    first = import_file(con, master)
    corrected = import_file(con, fix)
    again = import_file(con, master)
    assert again.status == "sudah_ada" and again.batch == first.batch
    assert (f"Batch {corrected.batch} (koreksi.csv) yang lebih baru kini berlaku untuk 1 baris data pegawai dari "
            f"berkas ini; untuk kembali ke nilai berkas ini, batalkan batch {corrected.batch}.") in again.summary()
    undo_batch(con, corrected.batch)
    assert import_file(con, master).summary().endswith("tidak ada yang berubah.")


def _two_sheet_skp(path):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    for name, rows in (("2024", [("198001012005011001", 2024, "Baik"), ("198001012005011002", 2024, "Baik")]),
                       ("2025", [("198001012005011001", 2025, "Sangat Baik")])):
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["NIP", "TAHUN", "PREDIKAT"])
        for i, row in enumerate(rows, start=1):
            ws.write_string(i, 0, row[0])
            ws.write_row(i, 1, row[1:])
    wb.close()


def test_another_sheet_or_year_of_the_same_file_is_imported(tmp_path):
    """The same-bytes check looked at the bytes only: sheet 2025 of a workbook whose sheet 2024 was imported, or
    a year-less SKP file given another year, said 'sudah diimpor … tidak ada yang berubah' and the sheet or year
    was never read (hostile pass, session 22). The same sheet, or the same year, still changes nothing."""
    from talenta.ingest import preview

    con = store.connect(tmp_path / "t.duckdb")
    master = tmp_path / "pegawai.csv"
    master.write_text("NIP,NAMA,OPD\n198001012005011001,Budi,Dinas Kesehatan\n"
                      "198001012005011002,Ani,Dinas Kesehatan\n", encoding="utf-8")
    import_file(con, master)
    book = tmp_path / "skp.xlsx"
    _two_sheet_skp(book)
    first = import_file(con, book, sheet="2024")
    assert preview(con, book, sheet="2025").already_imported is None
    assert preview(con, book, sheet="2024").already_imported == first.batch
    second = import_file(con, book, sheet="2025")
    assert second.status == "diimpor" and second.accepted == 1
    assert import_file(con, book, sheet="2025").status == "sudah_ada"
    got = store.query_df(con, "SELECT tahun, count(*) AS n FROM performance GROUP BY tahun ORDER BY tahun")
    assert got.values.tolist() == [[2024, 2], [2025, 1]]

    yearless = tmp_path / "skp_tanpa_tahun.csv"
    yearless.write_text("NIP,PREDIKAT\n198001012005011001,Butuh Perbaikan\n198001012005011002,Sangat Baik\n",
                        encoding="utf-8")
    assert import_file(con, yearless, period=2023).accepted == 2
    again = import_file(con, yearless, period=2022)
    assert again.status == "diimpor" and again.accepted == 2
    assert import_file(con, yearless, period=2023).status == "sudah_ada"
    assert store.query_df(con, "SELECT tahun FROM performance WHERE predikat = 'Butuh Perbaikan' ORDER BY tahun"
                          )["tahun"].tolist() == [2022, 2023]
    # a file naming its own years is the same import whatever year is typed beside it
    master_again = import_file(con, master, period=2021)
    assert master_again.status == "sudah_ada"


def test_a_score_formatted_as_percent_is_read_as_excel_shows_it(tmp_path):
    """Excel stores 87,5% as 0.875; the reader gave "0.875" and a JPM typed as 87,5% in a column formatted as
    percent was stored as 0,875 and accepted (hostile pass, session 22). It reads as Excel shows it, as a CSV's
    "87,5%" is; a literal sign (0.0"%") shows the number itself, and 87,5 typed into a percent column shows
    8750% and is refused naming that value."""
    import xlsxwriter

    con = store.connect(tmp_path / "t.duckdb")
    master = tmp_path / "pegawai.csv"
    master.write_text("NIP,NAMA,OPD\n" + "".join(f"19800101200501100{i},Nama {i},Dinas Kesehatan\n"
                                                  for i in range(1, 4)), encoding="utf-8")
    import_file(con, master)
    book = tmp_path / "asesmen.xlsx"
    wb = xlsxwriter.Workbook(str(book))
    ws = wb.add_worksheet("Hasil")
    pct, pct1, literal = (wb.add_format({"num_format": f}) for f in ("0%", "0.0%", '0.0"%"'))
    ws.write_row(0, 0, ["NIP", "TAHUN", "JPM", "NILAI POTENSI"])
    rows = [("198001012005011001", 0.875, pct1, 80), ("198001012005011002", 0.9, pct, 70.5),
            ("198001012005011003", 87.5, pct1, 60)]
    for r, (nip, jpm, f, potensi) in enumerate(rows, start=1):
        ws.write_string(r, 0, nip)
        ws.write_number(r, 1, 2025)
        ws.write_number(r, 2, jpm, f)
        ws.write_number(r, 3, potensi, literal)
    wb.close()
    result = import_file(con, book)
    assert (result.accepted, result.rejected) == (2, 1)
    got = store.query_df(con, "SELECT nip, jpm, nilai_potensi FROM assessment ORDER BY nip")
    assert got.values.tolist() == [["198001012005011001", 87.5, 80.0], ["198001012005011002", 90.0, 70.5]]
    assert "8750%" in result.rejected_rows["message"].iloc[0]
    assert "3 sel berformat persen dibaca seperti yang tampil di Excel" in (result.sheet_note or "")


def test_a_date_outside_the_possible_range_is_refused_naming_it(tmp_path):
    """'01-03-0018' and '01-01-2099' were stored: a post of 2099 became the current one and a typo met a
    succession experience requirement (hostile pass, session 22). A date before 1940, or later than a year after
    the import (a punishment's end: five years), is refused naming row, column and value."""
    import datetime as dt

    con = store.connect(tmp_path / "t.duckdb")
    today = dt.date.today()
    master = tmp_path / "pegawai.csv"
    master.write_text(
        "NIP_BARU,NAMA,UNOR_INDUK_NAMA,TMT_JABATAN,TMT_GOLONGAN\n"
        "196804261998091001,Rudi,Dinas Pendidikan,01-01-0001,01-04-2010\n"
        "196809022000122001,Desi,Dinas Pendidikan,01-01-2099,17/08/0085\n"
        f"196809022000121002,Adi,Dinas Pendidikan,01-03-2018,{today:%d-%m-%Y}\n", encoding="utf-8")
    result = import_file(con, master)
    assert (result.accepted, result.rejected) == (1, 2)
    messages = result.rejected_rows.sort_values("row_number")["message"].tolist()
    assert "Baris 2, kolom TMT_JABATAN: nilai '01-01-0001'" in messages[0] and "01-01-1940" in messages[0]
    assert "'01-01-2099'" in messages[1] and "'17/08/0085'" in messages[1]
    hukuman = tmp_path / "hukuman.csv"
    ahead = today.replace(year=today.year + 3)
    hukuman.write_text("NIP,JENIS_HUKUMAN,TINGKAT_HUKUMAN,TMT_MULAI,TMT_SELESAI\n"
                       f"196809022000121002,Penurunan jabatan,berat,{today:%d-%m-%Y},{ahead:%d-%m-%Y}\n"
                       "196809022000121002,Teguran lisan,ringan,01-03-0018,\n", encoding="utf-8")
    h = import_file(con, hukuman)
    assert (h.accepted, h.rejected) == (1, 1) and "tanggal_di_luar_rentang" in h.rejected_rows["reason_codes"].iloc[0]


def test_a_file_without_data_rows_is_refused_and_leaves_no_batch(tmp_path):
    """A header alone made an empty batch ('0 baris dibaca'), listed for undo, that changed nothing (hostile
    pass, session 22); a table whose rows are all footers likewise."""
    from talenta.errors import ImportFileError

    con = store.connect(tmp_path / "t.duckdb")
    header_only = tmp_path / "skp_kosong.csv"
    header_only.write_text("NIP,TAHUN,PREDIKAT\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"tidak ada baris data di bawah judul kolom \(baris 1\); tidak ada "):
        import_file(con, header_only)
    assert store.query_one(con, "SELECT count(*) FROM import_batch")[0] == 0


def test_a_bidirectional_control_in_a_value_is_refused_naming_it(tmp_path):
    """An OPD '\u202eDinas RTL\u202c' was stored and shown reversed (hostile pass, session 22)."""
    con = store.connect(tmp_path / "t.duckdb")
    master = tmp_path / "pegawai.csv"
    master.write_text("NIP,NAMA,OPD\n198001012005011001,Budi,\u202eDinas RTL\u202c\n"
                      "198001012005011002,Ani,Dinas Kesehatan\n", encoding="utf-8")
    result = import_file(con, master)
    assert (result.accepted, result.rejected) == (1, 1)
    message = result.rejected_rows["message"].iloc[0]
    assert "karakter pengarah teks" in message and "\\u202eDinas RTL\\u202c" in message and "\u202e" not in message
