"""CLI contract of `user` and `audit`: names, flags, JSON keys, file columns and exit codes as documented."""
import json
import pandas as pd

from talenta import accounts, store
from tests.cli_run import cli            # python -m talenta ARGS in a child process, stdin= its input

PW = "rahasia-operator-1"


def test_user_add_list_disable_passwd_and_audit_file(tmp_path):
    db = tmp_path / "t.duckdb"
    r = cli("user", "add", "Admin", "--role", "admin", "--name", "Admin BKPSDM", "--password-stdin", db=db,
            stdin=PW + "\n")
    assert r.returncode == 0, r.stderr
    r = cli("user", "add", "dinkes", "--role", "opd", "--opd", "Dinas Kesehatan", "--opd", "RSUD Bari",
            "--instansi", "Pemerintah Kota Palembang", "--password-stdin", db=db, stdin=PW)
    assert r.returncode == 0, r.stderr
    listed = json.loads(cli("user", "list", "--json", db=db).stdout)
    assert listed == [
        {"username": "admin", "role": "admin", "instansi": [], "opd": [], "active": True, "last_login": None},
        {"username": "dinkes", "role": "opd", "instansi": ["Pemerintah Kota Palembang"],
         "opd": ["Dinas Kesehatan", "RSUD Bari"], "active": True, "last_login": None}]
    assert cli("user", "disable", "dinkes", db=db).returncode == 0
    assert cli("user", "passwd", "admin", "--password-stdin", db=db, stdin="kata-sandi-baru-2\n").returncode == 0
    con = store.connect(db)
    assert accounts.sign_in(con, "admin", "kata-sandi-baru-2").username == "admin"
    assert accounts.active_user(con, "dinkes") is None
    con.close()
    assert json.loads(cli("user", "list", "--json", db=db).stdout)[1]["active"] is False
    assert cli("user", "enable", "dinkes", db=db).returncode == 0
    r = cli("user", "enable", "dinkes", db=db)                 # a second time: says nothing changed (review 13, L6)
    assert r.returncode == 0 and "sudah aktif" in r.stdout
    assert "tidak terkunci" in cli("user", "unlock", "dinkes", db=db).stdout
    con = store.connect(db)
    for _ in range(5):
        try:
            accounts.sign_in(con, "dinkes", "bukan-kata-sandinya")
        except Exception:
            pass
    con.close()
    r = cli("user", "unlock", "dinkes", db=db)
    assert r.returncode == 0 and "dibuka" in r.stdout, r.stderr
    con = store.connect(db)
    assert accounts.sign_in(con, "dinkes", PW).username == "dinkes"        # enabled and unlocked
    con.close()
    assert cli("user", "disable", "dinkes", db=db).returncode == 0

    out = tmp_path / "audit.csv"
    r = cli("audit", "--user", "operator", "--out", str(out), db=db)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert list(df.columns) == ["waktu", "pengguna", "peran", "aksi", "objek", "rincian", "hasil"]
    assert sorted(df["aksi"]) == ["user_add", "user_add", "user_disable", "user_disable", "user_enable", "user_enable",
                                  "user_passwd", "user_unlock", "user_unlock"]
    assert PW not in out.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "login.xlsx"
    assert cli("audit", "--action", "login", "--since", "2000-01-01", "--out", str(xlsx), db=db).returncode == 0
    assert list(pd.read_excel(xlsx, engine="calamine")["aksi"]) == ["login"] * 7     # admin; dinkes 5 wrong, 1 right
    assert cli("audit", "--since", "2999-01-01", "--out", str(out), db=db).returncode == 0
    assert len(pd.read_csv(out, encoding="utf-8-sig")) == 0


def test_user_add_refusals_exit_2_with_a_message(tmp_path):
    db = tmp_path / "t.duckdb"
    assert cli("user", "add", "ani", "--role", "analis", "--password-stdin", db=db, stdin=PW).returncode == 0
    cases = [
        (["ani", "--role", "tamu"], PW, "sudah dipakai"),
        (["budi", "--role", "raja"], PW, "Peran 'raja' tidak dikenal"),
        (["budi", "--role", "opd"], PW, "wajib dibatasi ke minimal satu OPD"),
        (["budi", "--role", "tamu"], "pendek12\n", "minimal 10"),
    ]
    for args, stdin, message in cases:
        r = cli("user", "add", *args, "--password-stdin", db=db, stdin=stdin)
        assert r.returncode == 2 and message in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr
    assert cli("user", "add", "budi", "--role", "tamu", db=db, stdin=PW).returncode == 2   # no --password-stdin
    assert cli("user", "disable", "siapa", db=db).returncode == 2
    assert cli("audit", "--out", str(tmp_path / "a.txt"), db=db).returncode == 2
    assert cli("audit", "--since", "kemarin", "--out", str(tmp_path / "a.csv"), db=db).returncode == 2
    assert [u["username"] for u in json.loads(cli("user", "list", "--json", db=db).stdout)] == ["ani"]
