"""``calibrate`` and ``--basis`` on the command line: the contract of issue 18 (exit 2 with a message for each
refusal, audited), and ``map``/``pool`` following the basis."""
import pandas as pd
import pytest

from talenta import accounts, audit, cli, rulesets, store, talentmap
from talenta.access import OPERATOR
from talenta.scope import Filters, Scope

T = "2025"


@pytest.fixture
def db(db_copy):
    return db_copy


def run(db, *argv) -> int:
    return cli.main(["--db", str(db), *argv])


def _placed(db, box=5, limit=2):
    con = store.connect(db)
    try:
        rs = rulesets.active(con)
        return talentmap.placements(con, Scope(), Filters(period=2025).at(2025), rs, kotak=box, limit=limit)
    finally:
        con.close()


def _unplaced(db) -> str:
    con = store.connect(db)
    try:
        rs = rulesets.active(con)
        return talentmap.placements(con, Scope(), Filters(period=2025).at(2025), rs, placed=False, limit=1)["nip"].iloc[0]
    finally:
        con.close()


def move(db, nip, to="9", code="wawancara", reason="Hasil wawancara", user="komite"):
    return run(db, "calibrate", "--period", T, "--nip", nip, "--to", to, "--reason-code", code, "--reason", reason,
               "--as", user)


def test_calibrate_refusals_exit_2_with_a_message(db, capsys):
    p = _placed(db).iloc[0]
    nip = p["nip"]
    con = store.connect(db)
    other = store.query_one(con, "SELECT min(opd) FROM employee WHERE opd <> $o", {"o": p["opd"]})[0]
    accounts.add_user(con, OPERATOR, "komite_opd", "komite", "kata-sandi-uji-123", opd=[other])
    con.close()
    cases = [
        (dict(reason="  "), "Alasan kalibrasi wajib diisi"),
        (dict(code="rapat"), "Kode alasan 'rapat' tidak dikenal"),
        (dict(to="10"), "di luar 1-9"),
        (dict(to="nol"), "tidak sah"),
        (dict(nip=_unplaced(db)), "belum terpetakan"),
        (dict(user="komite_opd"), "tidak ditemukan dalam cakupan data Anda"),   # as a NIP that exists nowhere
        (dict(user="analis"), "tidak berhak memindahkan"),
        (dict(user="pimpinan"), "tidak berhak memindahkan"),
    ]
    for kw, message in cases:
        args = {"nip": nip, **kw}
        assert move(db, **args) == 2, kw
        assert message in capsys.readouterr().err, kw
    con = store.connect(db)
    rows = audit.query(con, action="calibrate")
    assert len(rows) == len(cases) and (rows["hasil"] == "gagal").all()
    con.close()

    assert move(db, nip) == 0
    assert "dipindahkan ke kotak 9" in capsys.readouterr().out
    assert run(db, "calibrate", "--period", T, "--close", "--as", "komite") == 2
    assert "tidak berhak menetapkan" in capsys.readouterr().err
    assert run(db, "calibrate", "--period", T, "--close", "--as", "pimpinan") == 0
    assert "ditetapkan oleh pimpinan" in capsys.readouterr().out
    assert move(db, _placed(db).iloc[1]["nip"]) == 2
    assert "sudah ditetapkan" in capsys.readouterr().err
    assert run(db, "calibrate", "--period", T, "--close", "--as", "admin") == 2


def test_map_and_pool_follow_the_basis(db, tmp_path, capsys):
    p = _placed(db).iloc[0]
    assert move(db, p["nip"], to="9", code="bukti_kinerja", reason="Penghargaan nasional") == 0
    out_c, out_k = tmp_path / "c.csv", tmp_path / "k.csv"
    assert run(db, "map", "--period", T, "--basis", "terhitung", "--out", str(out_c)) == 0
    assert "Dasar kotak: terhitung" in capsys.readouterr().out
    assert run(db, "map", "--period", T, "--basis", "terkalibrasi", "--out", str(out_k)) == 0
    assert "Dasar kotak: terkalibrasi" in capsys.readouterr().out
    c = pd.read_csv(out_c, dtype={"nip": str}).set_index("nip")
    k = pd.read_csv(out_k, dtype={"nip": str}).set_index("nip")
    assert {"kotak_terhitung", "kotak_terkalibrasi", "alasan_kalibrasi"} <= set(c.columns)
    assert c.loc[p["nip"], "kotak"] == 5 and k.loc[p["nip"], "kotak"] == 9
    assert (c.loc[p["nip"], "kotak_terhitung"], c.loc[p["nip"], "kotak_terkalibrasi"]) == (5, 9)
    assert k.loc[p["nip"], "alasan_kalibrasi"] == "bukti_kinerja: Penghargaan nasional"
    assert (c["kotak"].fillna(0) != k["kotak"].reindex(c.index).fillna(0)).sum() == 1
    # the default (otomatis) is the computed box while the session is open
    out_o = tmp_path / "o.csv"
    assert run(db, "map", "--period", T, "--out", str(out_o)) == 0
    assert pd.read_csv(out_o, dtype={"nip": str}).set_index("nip").loc[p["nip"], "kotak"] == 5

    pool_c, pool_k = tmp_path / "pc.csv", tmp_path / "pk.csv"
    assert run(db, "pool", "--period", T, "--basis", "terhitung", "--out", str(pool_c)) == 0
    assert run(db, "pool", "--period", T, "--basis", "terkalibrasi", "--out", str(pool_k)) == 0
    a = pd.read_csv(pool_c).set_index("group")
    b = pd.read_csv(pool_k).set_index("group")
    assert b.loc[p["opd"], "kotak_9"] == a.loc[p["opd"], "kotak_9"] + 1
    assert b.loc[p["opd"], "kotak_5"] == a.loc[p["opd"], "kotak_5"] - 1
    assert b.loc[p["opd"], "krs"] == a.loc[p["opd"], "krs"] + 1
    with pytest.raises(SystemExit) as exit_:
        run(db, "map", "--period", T, "--basis", "semua", "--out", str(out_o))
    assert exit_.value.code == 2 and "argumen --basis: pilihan 'semua' tidak dikenal" in capsys.readouterr().err


def test_the_reason_code_is_said_as_labelled(db, capsys):
    """Review 14, 8: the move's message lower-cased the label: 'data asesmen atau skp keliru'."""
    nip = _placed(db).iloc[0]["nip"]
    assert move(db, nip, code="data_keliru", reason="SKP 2025 salah input") == 0
    out = capsys.readouterr().out
    assert "jenis alasan: Data asesmen atau SKP keliru." in out, out
