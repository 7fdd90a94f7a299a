"""The command line: contract of names, JSON keys and exit codes."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from tests.cli_run import cli            # python -m talenta ARGS in a child process (tests/cli_run.py)

ROOT = Path(__file__).resolve().parents[2]


def python_m_talenta(*args, db):
    """The entry point itself: a new interpreter running ``python -m talenta``."""
    return subprocess.run([sys.executable, "-m", "talenta", "--db", str(db), *args], capture_output=True,
                          text=True, cwd=ROOT)


def test_init_status_import_rejected_undo(tmp_path):
    db = tmp_path / "c.duckdb"
    assert cli("init", db=db).returncode == 0
    master = tmp_path / "pegawai.csv"
    master.write_text("NIP_BARU;NAMA;UNOR_INDUK_NAMA\n196711101992031001;Budi;Dinas A\n1.96711E+17;X;Dinas A\n")
    skp = tmp_path / "skp.csv"
    skp.write_text("nip,predikat\n196711101992031001,SB\n")
    r = cli("import", str(master), str(skp), "--period", "2025", "--json", db=db)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [o["file"] for o in out] == ["pegawai.csv", "skp.csv"]
    for key in ("file", "rows_read", "accepted", "rejected", "batch"):
        assert key in out[0]
    assert (out[0]["rows_read"], out[0]["accepted"], out[0]["rejected"]) == (2, 1, 1)
    st = json.loads(cli("status", "--json", db=db).stdout)
    assert st["employees"] == 1 and st["performance_per_period"] == {"2025": 1} and st["rejected_rows"] == 1

    for ext in ("csv", "xlsx"):
        out_file = tmp_path / f"rej.{ext}"
        r = cli("rejected", "--out", str(out_file), db=db)
        assert r.returncode == 0, r.stderr
        df = pd.read_csv(out_file) if ext == "csv" else pd.read_excel(out_file, engine="calamine")
        assert df["reason"].tolist() == ["nip_hilang_digit"]
        assert "Teks" in df["pesan"][0]

    r = cli("undo", str(out[1]["batch"]), db=db)
    assert r.returncode == 0
    st = json.loads(cli("status", "--json", db=db).stdout)
    assert st["performance_per_period"] == {} and st["import_batches_undone"] == 1


def test_human_output_and_rerun(tmp_path):
    db = tmp_path / "c.duckdb"
    f = tmp_path / "pegawai.csv"
    f.write_text("NIP,NAMA,OPD,HOBI\n196711101992031001,Budi,Dinas A,catur\n")
    first = cli("import", str(f), db=db)
    assert "1 baris dibaca = 1 diterima + 0 ditolak" in first.stdout and "HOBI" in first.stdout
    again = cli("import", str(f), db=db)
    assert again.returncode == 0 and "tidak ada yang berubah" in again.stdout


def test_unreadable_file_exit_2_with_reason(tmp_path):
    db = tmp_path / "c.duckdb"
    bad = tmp_path / "surat.csv"
    bad.write_text("Yth. Bapak Kepala\nDengan hormat,\n")
    r = cli("import", str(bad), db=db)
    assert r.returncode == 2 and "judul kolom" in r.stderr
    r = cli("import", str(tmp_path / "tidak_ada.csv"), db=db)
    assert r.returncode == 2 and "tidak ditemukan" in r.stderr


def test_bad_usage_exit_2_in_indonesian(tmp_path):
    r = python_m_talenta("import", db=tmp_path / "c.duckdb")
    assert r.returncode == 2 and "Kesalahan penggunaan" in r.stderr
    r = python_m_talenta("rejected", "--out", str(tmp_path / "x.pdf"), db=tmp_path / "c.duckdb")
    assert r.returncode == 2


def test_map_pool_movement_contract(demo_db_file, tmp_path):
    import shutil

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db_file, db)
    out = tmp_path / "peta.csv"
    r = cli("map", "--period", "2025", "--opd", "Dinas Kesehatan", "--out", str(out), db=db)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out, dtype={"nip": str})
    assert list(df.columns[:16]) == ["nip", "nama", "instansi", "opd", "jenis_jabatan", "jabatan", "skor_kinerja",
                                     "kategori_kinerja", "skor_potensial", "kategori_potensial", "kotak", "label",
                                     "rekomendasi", "krs", "rule_set", "alasan"]
    assert set(df["opd"]) == {"Dinas Kesehatan"} and df["nip"].str.len().eq(18).all()
    assert df.loc[df["kotak"].isna(), "alasan"].notna().all() and df.loc[df["kotak"].notna(), "alasan"].isna().all()

    out = tmp_path / "pool.xlsx"
    r = cli("pool", "--period", "2025", "--by", "jenis_jabatan", "--min-group", "5", "--out", str(out), db=db)
    assert r.returncode == 0, r.stderr
    p = pd.read_excel(out, engine="calamine")
    assert list(p.columns) == ["group", "total"] + [f"kotak_{i}" for i in range(1, 10)] + \
        ["belum_terpetakan", "krs", "krs_persen"]
    counts = p[[f"kotak_{i}" for i in range(1, 10)]].to_numpy(dtype=float)
    assert not ((counts > 0) & (counts < 5)).any()
    shown = p.dropna(subset=["krs_persen"])
    percent = 100 * shown["krs"] / (shown["total"] - shown["belum_terpetakan"])     # 0-100, not a fraction
    assert shown["krs_persen"].round(6).tolist() == percent.round(6).tolist() and shown["krs_persen"].max() > 1

    out = tmp_path / "peta_samar.csv"
    r = cli("map", "--period", "2025", "--opd", "Dinas Kesehatan", "--min-group", "5", "--out", str(out), db=db)
    assert r.returncode == 0, r.stderr
    masked = pd.read_csv(out, dtype=str)
    assert not {"jabatan", "opd", "instansi", "alasan"} & set(masked.columns)
    assert len(masked) and not masked["nip"].str.contains(r"\d").any()

    out = tmp_path / "mv.csv"
    r = cli("movement", "--from", "2024", "--to", "2025", "--out", str(out), db=db)
    assert r.returncode == 0, r.stderr
    m = pd.read_csv(out)
    assert m.columns[0] == "dari_2024" and m.shape == (10, 11)
    assert m.iloc[:, 1:].to_numpy().sum() == 1500
    assert cli("pool", "--period", "2025", "--by", "hobi", "--out", str(out), db=db).returncode == 2


def test_hipo_cli_columns(demo_db_file, tmp_path):
    import os
    import shutil

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db_file, db)
    out = tmp_path / "hipo.csv"
    env = {**os.environ, "TALENTA_HIPO_BOOTSTRAP": "3", "TALENTA_HIPO_K_MAX": "4"}
    r = cli("hipo", "--period", "2025", "--out", str(out), db=db, env=env)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out, dtype={"nip": str})
    assert list(df.columns[:10]) == ["nip", "nama", "opd", "kotak", "cluster", "hipo", "confidence", "stability",
                                     "alasan", "keputusan"]
    assert df["hipo"].all() and "saran" in r.stdout


def test_export_cli_writes_deck_and_logs_it(demo_db_file, tmp_path):
    import os
    import shutil

    from pptx import Presentation

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db_file, db)
    out = tmp_path / "rapat.pptx"
    env = {**os.environ, "TALENTA_HIPO_BOOTSTRAP": "3", "TALENTA_HIPO_K_MAX": "4"}
    r = cli("export", "--period", "2025", "--format", "pptx", "--out", str(out), db=db, env=env)
    assert r.returncode == 0, r.stderr
    titles = [next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in Presentation(str(out)).slides]
    assert titles[0] == "Peta Talenta ASN 2025" and "Yang perlu diputuskan" in titles and "disamarkan" in r.stdout
    bad = cli("export", "--period", "2025", "--format", "xlsx", "--out", str(tmp_path / "x.pptx"), db=db)
    assert bad.returncode == 2
    from talenta import export, store
    from talenta.scope import Scope
    con = store.connect(db, read_only=True)
    assert export.export_history(con, Scope(), "admin")["file_name"].tolist() == ["rapat.pptx"]


def test_demo_reports_its_phases_and_peak_memory(tmp_path):
    db = tmp_path / "d.duckdb"
    r = python_m_talenta("demo", "--employees", "600", "--instansi", "3", "--out", str(tmp_path / "files"), db=db)
    assert r.returncode == 0, r.stderr
    last = next(line for line in r.stdout.splitlines() if "memori puncak" in line)
    assert "membangkitkan" in last and "impor" in last and "memori puncak" in last
    assert "Akun demo (kata sandi semuanya 'talenta-demo-2026'): admin (admin)," in r.stdout
    peak = int(last.split("memori puncak ")[1].split(" MB")[0].replace(".", ""))
    assert 50 < peak < 8000
    st = json.loads(cli("status", "--json", db=db).stdout)
    assert st["employees"] == 600



def test_min_group_below_one_is_refused_not_silently_unsuppressed(demo_db_file, tmp_path):
    """``--min-group -3`` used to switch suppression off while the file still said it was masked."""
    import shutil

    db = tmp_path / "c.duckdb"
    shutil.copy(demo_db_file, db)
    out = tmp_path / "x.xlsx"
    for n in ("0", "-3", "lima"):
        r = cli("export", "--period", "2025", "--format", "xlsx", "--out", out, "--min-group", n, db=db)
        assert r.returncode == 2 and not out.exists()
        assert "bilangan bulat 1 atau lebih" in r.stderr
    r = cli("pool", "--period", "2025", "--by", "opd", "--out", tmp_path / "p.csv", "--min-group", "0", db=db)
    assert r.returncode == 2 and "bilangan bulat 1 atau lebih" in r.stderr


def test_export_of_a_period_without_data_exits_2(demo_db_file, tmp_path):
    """A deck of 1999 used to be written: "Kotak 9 paling banyak (0,0 %)", every OPD hidden as small."""
    import shutil

    db = tmp_path / "c.duckdb"
    shutil.copy(demo_db_file, db)
    out = tmp_path / "deck.pptx"
    r = cli("export", "--period", "1999", "--format", "pptx", "--out", out, db=db)
    assert r.returncode == 2 and not out.exists()
    assert "tidak ada data SKP atau asesmen untuk periode 1999" in r.stderr and "2025" in r.stderr


def test_export_cli_writes_the_berita_acara_under_the_stamp_it_logs(demo_db_file, tmp_path):
    """The berita acara used to stamp and log itself outside the export pipeline, its 'Dibuat' read from another
    clock than its log row and no import batch named; now ``export --format kalibrasi`` (and the page) go through
    ``export.produce``: the file and its log row carry the same time and batches."""
    import io
    import shutil

    from talenta import export, store
    from talenta.scope import Scope

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db_file, db)
    bad = cli("export", "--period", "2025", "--format", "kalibrasi", "--out", tmp_path / "ba.pptx", db=db)
    assert bad.returncode == 2 and "--out harus berakhiran .xlsx" in bad.stderr
    out = tmp_path / "ba.xlsx"
    r = cli("export", "--period", "2025", "--format", "kalibrasi", "--out", out, db=db)
    assert r.returncode == 0, r.stderr
    head = pd.read_excel(io.BytesIO(out.read_bytes()), sheet_name="Berita acara", engine="calamine", dtype=str)
    rows = dict(zip(head["Butir"], head["Isi"]))
    con = store.connect(db, read_only=True)
    log = export.export_history(con, Scope(), "admin")
    assert log["file_name"].tolist() == ["ba.xlsx"] and log["kind"].tolist() == ["kalibrasi"]
    assert log["masked"].tolist() == [True] and rows["Identitas"] == "disamarkan"
    logged = store.query_df(con, "SELECT generated_at, batches, stamp FROM export_log")
    assert rows["Dibuat"].startswith(f"{logged['generated_at'][0]:%d-%m-%Y %H.%M} oleh ")
    batches = list(logged["batches"][0])
    assert batches and all(f"#{b} " in rows["Batch impor"] for b in batches)
    assert rows["Batch impor"] in logged["stamp"][0]


def test_an_output_that_cannot_be_written_is_refused_before_anything_is_made_or_logged(demo_db_file, tmp_path):
    """``export --out`` a folder built the deck, logged it and audited it as made, then failed with 'kesalahan tak
    terduga'; a file name too long gave the same; a failed write could leave a half-written file (review 20c, 3-4)."""
    import shutil

    from talenta import store

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db_file, db)
    folder = tmp_path / "rapat.xlsx"
    folder.mkdir()
    for out, said in ((folder, "itu sebuah folder"), (tmp_path / ("a" * 300 + ".xlsx"), "nama berkasnya terlalu panjang")):
        r = cli("export", "--period", "2025", "--format", "xlsx", "--out", out, db=db)
        assert r.returncode == 2 and said in r.stderr and "tak terduga" not in r.stderr, r.stderr
        r = cli("map", "--period", "2025", "--out", out, db=db)
        assert r.returncode == 2 and said in r.stderr, r.stderr
    con = store.connect(db, read_only=True)
    assert store.query_one(con, "SELECT count(*) FROM export_log")[0] == 0
    assert store.query_one(con, "SELECT count(*) FROM audit_log WHERE aksi = 'export'")[0] == 0


def test_a_failed_write_leaves_the_existing_file_as_it_was(tmp_path):
    import errno

    import pytest

    from talenta import export_safe
    from talenta.errors import UsageError

    target = tmp_path / "peta.csv"
    target.write_text("lama\n", encoding="utf-8")

    def full(tmp):
        tmp.write_text("setengah", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(UsageError, match="disk penuh. Berkas yang sudah ada tidak diubah"):
        export_safe.write_atomic(target, full)
    assert target.read_text(encoding="utf-8") == "lama\n" and [p.name for p in tmp_path.iterdir()] == ["peta.csv"]
    export_safe.write_table(pd.DataFrame({"nip": ["=1+1"]}), target)
    assert pd.read_csv(target, dtype=str)["nip"].tolist() == ["'=1+1"]


def test_a_mistyped_db_is_not_made_by_a_command_that_reads(tmp_path):
    """``--db`` with a typo made the folder and an empty database, and status said '0 pegawai' (review 20c, 5)."""
    db = tmp_path / "salah" / "ketik.duckdb"
    for args in (("status",), ("audit", "--out", tmp_path / "a.csv"), ("undo", "1"), ("user", "list")):
        r = cli(*args, db=db)
        assert r.returncode == 2 and "belum ada" in r.stderr, (args, r.stderr)
    assert not (tmp_path / "salah").exists() and not (tmp_path / "a.csv").exists()
    assert cli("init", db=db).returncode == 0 and db.exists()


def test_an_option_given_empty_is_refused_not_taken_as_absent(tmp_path):
    """``--as ""`` ran a succession decision as the operator, ``--db ""`` made data/talenta.duckdb in the current
    folder, ``backup --out ""`` wrote to the default folder (review 20c, 8)."""
    db = tmp_path / "t.duckdb"
    assert cli("init", db=db).returncode == 0
    for args, flag in ((("status", "--as", ""), "--as"), (("backup", "--out", ""), "--out"),
                       (("map", "--period", "2025", "--out", "  "), "--out")):
        r = cli(*args, db=db, cwd=tmp_path)
        assert r.returncode == 2 and f"{flag} tidak boleh kosong" in r.stderr, (args, r.stderr)
    r = cli("--db", "", "status", cwd=tmp_path)
    assert r.returncode == 2 and "--db tidak boleh kosong" in r.stderr and not (tmp_path / "data").exists()


def test_a_period_or_batch_without_data_is_refused_by_every_command(demo_db_file, tmp_path):
    """map/pool/movement/profile wrote files of 'semua belum terpetakan' for period 99999, succession crashed on a
    year out of range, calibrate opened and closed a session for period -1, rejected --batch 999 wrote an empty file
    (review 20c, 6)."""
    import shutil

    from talenta import store

    db = tmp_path / "d.duckdb"
    shutil.copy(demo_db_file, db)
    out = tmp_path / "x.csv"
    for args in (("map", "--period", "99999", "--out", out), ("pool", "--period", "0", "--out", out),
                 ("movement", "--from", "2024", "--to", "-1", "--out", out),
                 ("succession", "--period", "99999", "--out", out), ("calibrate", "--period", "-1", "--close"),
                 ("fairness", "--period", "1999", "--by", "opd", "--out", out)):
        r = cli(*args, db=db)
        assert r.returncode == 2 and "tidak ada data SKP atau asesmen untuk periode" in r.stderr, (args, r.stderr)
        assert "2025" in r.stderr and not out.exists()
    r = cli("rejected", "--batch", "999", "--out", out, db=db)
    assert r.returncode == 2 and "Batch 999 tidak ada" in r.stderr and not out.exists()
    con = store.connect(db, read_only=True)
    assert store.query_one(con, "SELECT count(*) FROM kalibrasi_sesi")[0] == 0
