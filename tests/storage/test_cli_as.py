"""Reading commands run ``--as`` an account return exactly what that account may see, masked as it is
masked, and leave an audit row; the operator (no ``--as``) sees everything, as before."""
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from talenta import accounts, audit, cli, store
from talenta.access import OPERATOR

PASSWORD = "rahasia-uji-12345"


@pytest.fixture(scope="module")
def db(demo_db_file, tmp_path_factory):
    """The demo database with accounts limited to random OPD sets added as the test goes."""
    import shutil

    p = tmp_path_factory.mktemp("as") / "t.duckdb"
    shutil.copy(demo_db_file, p)
    return p


def _opds(db) -> list[str]:
    con = store.connect(db, read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT DISTINCT opd FROM employee ORDER BY 1").fetchall()]
    finally:
        con.close()


def _account(db, username: str, role: str, opd=()) -> None:
    con = store.connect(db)
    try:
        if accounts.get(con, username) is None:
            accounts.add_user(con, OPERATOR, username, role, PASSWORD, opd=list(opd))
    finally:
        con.close()


def _run(db, *argv) -> int:
    return cli.main(["--db", str(db), *argv])


def _audit(db) -> pd.DataFrame:
    con = store.connect(db, read_only=True)
    try:
        return audit.query(con)
    finally:
        con.close()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_opd_account_reads_only_its_opd_through_every_reading_command(db, tmp_path_factory, data):
    opds = _opds(db)
    mine = data.draw(st.lists(st.sampled_from(opds), min_size=1, max_size=3, unique=True))
    user = "opd_" + str(abs(hash(tuple(mine))) % 10**8)
    _account(db, user, "opd", mine)
    out = tmp_path_factory.mktemp("out")
    before = len(_audit(db))

    assert _run(db, "map", "--period", "2025", "--as", user, "--out", str(out / "m.csv")) == 0
    m = pd.read_csv(out / "m.csv", dtype=str)
    assert set(m["opd"]) <= set(mine) and len(m) > 0
    assert _run(db, "pool", "--period", "2025", "--by", "opd", "--as", user, "--out", str(out / "p.csv")) == 0
    p = pd.read_csv(out / "p.csv", dtype={"group": str})
    assert set(p["group"]) <= set(mine)
    assert _run(db, "movement", "--from", "2024", "--to", "2025", "--as", user, "--out", str(out / "mv.csv")) == 0
    mv = pd.read_csv(out / "mv.csv").drop(columns=["dari_2024"])
    assert mv.sum().sum() == len(m)            # every person counted is one of the account's own
    # an OPD outside the account is refused, not silently widened
    other = next(o for o in opds if o not in mine)
    assert _run(db, "map", "--period", "2025", "--opd", other, "--as", user, "--out", str(out / "x.csv")) == 2
    log = _audit(db)
    new = log.iloc[: len(log) - before]
    assert set(new["pengguna"]) == {user}
    assert sorted(new["objek"]) == ["cli:map", "cli:movement", "cli:pool"]


def test_a_guest_gets_no_identity_and_no_small_count(db, tmp_path):
    _account(db, "tamu_uji", "tamu")
    # aggregates only: no row about a single person (initials beside exact scores name one in a small OPD); a list
    # of people is refused with no file (a file of column headers said "800 pegawai ... ditulis": session 22)
    assert _run(db, "map", "--period", "2025", "--as", "tamu_uji", "--out", str(tmp_path / "m.csv")) == 2
    assert _run(db, "map", "--period", "2025", "--opd", "Dinas Perindustrian", "--as", "tamu_uji",
                "--out", str(tmp_path / "m1.csv")) == 2
    assert _run(db, "hipo", "--period", "2025", "--all", "--as", "tamu_uji", "--out", str(tmp_path / "h.csv")) == 2
    assert not {"m.csv", "m1.csv", "h.csv"} & {p.name for p in tmp_path.iterdir()}
    assert _run(db, "succession", "--period", "2025", "--as", "tamu_uji", "--out", str(tmp_path / "s.csv")) == 0
    s = pd.read_csv(tmp_path / "s.csv")
    # the pipeline per OPD, no post (a post's reason "bup" is its holder's), no small count (review 6)
    assert list(s.columns) == ["opd", "jabatan_target", "persen_siap_sekarang", "persen_dua_kandidat", "berisiko"]
    assert len(s) > 0 and s["opd"].is_unique
    counts = s[["jabatan_target", "berisiko"]].to_numpy().ravel()
    assert not ((counts > 0) & (counts < 5)).any()
    assert _run(db, "pool", "--period", "2025", "--as", "tamu_uji", "--out", str(tmp_path / "p.csv")) == 0
    p = pd.read_csv(tmp_path / "p.csv")
    counts = p[[c for c in p.columns if c.startswith("kotak_")]].to_numpy().ravel()
    counts = counts[~pd.isna(counts)]
    assert not ((counts > 0) & (counts < 5)).any()
    # identities on request: refused for a guest (exit 2 with a message), and the refusal is audited
    assert _run(db, "export", "--period", "2025", "--format", "xlsx", "--unmasked", "--as", "tamu_uji",
                "--out", str(tmp_path / "e.xlsx")) == 2
    assert not (tmp_path / "e.xlsx").exists()
    row = _audit(db).iloc[0]
    assert (row["pengguna"], row["aksi"], row["hasil"]) == ("tamu_uji", "export", audit.FAILED)
    # and the quarantine (raw rows of any OPD) is not a guest's
    assert _run(db, "rejected", "--as", "tamu_uji", "--out", str(tmp_path / "r.csv")) == 2


def test_succession_as_an_opd_account_names_only_its_own_people(db, tmp_path):
    """Review 4: 40.766 of 46.438 candidate rows of ``succession --as opd`` were people of other OPD."""
    _account(db, "opd_suk", "opd", ["Dinas Kesehatan"])
    assert _run(db, "succession", "--period", "2025", "--as", "opd_suk", "--out", str(tmp_path / "s.csv")) == 0
    s = pd.read_csv(tmp_path / "s.csv", dtype=str)
    assert len(s) > 0 and set(s["opd"]) == {"Dinas Kesehatan"}
    con = store.connect(db, read_only=True)
    nips = {r[0] for r in con.execute("SELECT nip FROM employee WHERE opd = 'Dinas Kesehatan'").fetchall()}
    con.close()
    assert set(s["nip"].dropna()) <= nips and s["nip"].notna().any()


def test_status_as_an_opd_account_counts_its_opd_only(db, capsys):
    opds = _opds(db)
    _account(db, "opd_status", "opd", [opds[0]])
    assert _run(db, "status", "--json") == 0
    everyone = json.loads(capsys.readouterr().out)
    assert _run(db, "status", "--json", "--as", "opd_status") == 0
    mine = json.loads(capsys.readouterr().out)
    con = store.connect(db, read_only=True)
    n = con.execute("SELECT count(*) FROM employee WHERE opd = ?", [opds[0]]).fetchone()[0]
    con.close()
    assert mine["employees"] == n < everyone["employees"]
    assert mine["opd"] == 1


def test_unknown_or_disabled_account_is_refused(db, tmp_path):
    assert _run(db, "map", "--period", "2025", "--as", "tidak_ada", "--out", str(tmp_path / "m.csv")) == 2
    _account(db, "mantan", "analis")
    con = store.connect(db)
    accounts.disable_user(con, OPERATOR, "mantan")
    con.close()
    assert _run(db, "pool", "--period", "2025", "--as", "mantan", "--out", str(tmp_path / "p.csv")) == 2
