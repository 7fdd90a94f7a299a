"""What the command line says on the demo database: a guest's refused export says that no file was written and
why, and success messages write numbers the Indonesian way (21.700, 0,71) while the files keep their
columns and plain values."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from talenta import accounts, audit, fmt, store
from talenta.access import OPERATOR
from tests.cli_run import cli

PASSWORD = "rahasia-uji-12345"


@pytest.fixture
def guest_db(db_copy):
    con = store.connect(db_copy)
    accounts.add_user(con, OPERATOR, "tamu_rapat", "tamu", PASSWORD)
    con.close()
    return db_copy


def _audit_rows(db) -> pd.DataFrame:
    con = store.connect(db, read_only=True)
    try:
        return audit.query(con)
    finally:
        con.close()


@pytest.mark.parametrize("unmasked", [True, False], ids=["unmasked", "masked"])
def test_a_guest_export_says_no_file_was_written_and_why(guest_db, tmp_path, unmasked):
    out = tmp_path / "rapat.pptx"
    r = cli("export", "--period", "2025", "--format", "pptx", *(["--unmasked"] if unmasked else []),
            "--as", "tamu_rapat", "--out", out, db=guest_db)
    assert r.returncode == 2 and not out.exists() and r.stdout == ""
    assert r.stderr.startswith("Gagal: Tidak ada berkas yang ditulis.")
    assert "peran Tamu tidak boleh mengekspor bahan rapat (deck, buku kerja, berita acara), baik disamarkan maupun " \
        "tidak" in r.stderr and "Tabel angka agregat tetap dapat ditulis peran ini" in r.stderr
    assert "Administrator, Analis, Komite Talenta, Pimpinan atau Pengelola OPD" in r.stderr
    assert ("identitas pegawai juga tidak dapat dibuka (--unmasked) untuk peran ini" in r.stderr) == unmasked
    assert "data tetap disamarkan" not in r.stderr          # read as "a masked file was written"
    row = _audit_rows(guest_db).iloc[0]
    assert (row["pengguna"], row["aksi"], row["objek"], row["hasil"]) == \
        ("tamu_rapat", "export", "pptx 2025", audit.FAILED)
    assert "Tidak ada berkas yang ditulis" in row["rincian"]


def test_an_account_that_may_export_still_exports(guest_db, tmp_path):
    """The refusal is the guest's only: an OPD account gets its masked deck."""
    con = store.connect(guest_db)
    opd = con.execute("SELECT min(opd) FROM employee").fetchone()[0]
    accounts.add_user(con, OPERATOR, "kepala_opd", "opd", PASSWORD, opd=[opd])
    con.close()
    out = tmp_path / "opd.xlsx"
    r = cli("export", "--period", "2025", "--format", "xlsx", "--as", "kepala_opd", "--out", out, db=guest_db)
    assert r.returncode == 0, r.stderr
    size = re.search(r"\((\S+) KB\)", r.stdout).group(1)
    assert size == fmt.num(out.stat().st_size / 1024)
    assert "identitas disamarkan" in r.stdout


def test_success_messages_write_indonesian_numbers(db_copy, tmp_path):
    out = tmp_path / "suksesi.csv"
    r = cli("succession", "--period", "2025", "--all", "--out", out, db=db_copy)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rows, posts = int((df["nip"] != "").sum()), df["jabatan_id"].nunique()
    assert rows >= 1000                 # big enough to need a thousands separator
    assert f"{fmt.num(posts)} jabatan target, {fmt.num(rows)} baris kandidat ditulis" in r.stdout
    assert "tanggal acuan 31 Desember 2025;" in r.stdout

    r = cli("hipo", "--period", "2025", "--out", tmp_path / "hipo.csv", db=db_copy)
    assert r.returncode == 0, r.stderr
    assert re.search(r"ARI [01],\d\d\)", r.stdout) and not re.search(r"ARI \d\.\d", r.stdout)

    r = cli("status", db=db_copy)
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("Pegawai:"))
    assert line.startswith("Pegawai: 1.500 di ")
    formasi = re.search(r"formasi: (\S+) jabatan", r.stdout).group(1)
    assert not re.fullmatch(r"\d{4,}", formasi)          # 1.279, not 1279
    assert re.search(r"^Impor terakhir: \d{1,2} [A-Z][a-z]+ \d{4}, \d\d\.\d\d$", r.stdout, re.M)

    r = cli("audit", "--out", tmp_path / "audit.csv", db=db_copy)
    n = len(pd.read_csv(tmp_path / "audit.csv"))
    assert r.returncode == 0 and f"{fmt.num(n)} baris log audit ditulis" in r.stdout


def test_file_values_stay_plain(db_copy, tmp_path):
    """The messages changed, not the contract: numbers in CSV files are still written with a decimal point."""
    out = tmp_path / "pool.csv"
    assert cli("pool", "--period", "2025", "--by", "jenis_jabatan", "--out", out, db=db_copy).returncode == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("group,total,kotak_1")
    p = pd.read_csv(out)
    assert p["krs_persen"].dtype == float and p["total"].dtype.kind == "i"


def test_a_closed_pipe_is_not_an_unexpected_error(tmp_path):
    """``user list | head`` (the reader gone before the output is written): exit 0, no "kesalahan tak terduga" and
    no error id in the log (review 5: it was reported as an unexpected error)."""
    import os
    import subprocess
    import sys

    db = tmp_path / "t.duckdb"
    subprocess.run([sys.executable, "-m", "talenta", "--db", str(db), "init"], check=True, capture_output=True)
    r, w = os.pipe()
    os.close(r)                                     # nobody reads: the first write fails with EPIPE
    proc = subprocess.run([sys.executable, "-m", "talenta", "--db", str(db), "status"], stdout=w,
                          stderr=subprocess.PIPE, text=True, cwd=os.getcwd())
    os.close(w)
    assert proc.returncode == 0, proc.stderr
    assert "tak terduga" not in proc.stderr


@pytest.mark.parametrize("command", ["map", "hipo"])
def test_a_guest_list_of_people_is_refused_before_a_file_is_written(guest_db, tmp_path, command):
    """'map --as tamu' wrote a file of column headers and said '800 pegawai (527 terpetakan, 273 belum) ditulis'
    (hostile pass, session 22): the list is refused, naming the command for aggregates."""
    out = tmp_path / "daftar.csv"
    r = cli(command, "--period", "2025", "--as", "tamu_rapat", "--out", out, db=guest_db)
    assert r.returncode == 2 and not out.exists() and r.stdout == ""
    assert r.stderr.startswith(f"Gagal: Tidak ada berkas yang ditulis. Perintah {command} menulis daftar per pegawai")
    assert "Angka per OPD: perintah pool." in r.stderr
