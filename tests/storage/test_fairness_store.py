"""Uji kesetaraan against a real database: the counts in SQL, a planted gap, the bases, the CLI."""
from dataclasses import replace

import pandas as pd
import pytest

from talenta import fairness, pool, rulesets, store, talentmap
from talenta.scope import Filters, Scope
from tests.cli_run import cli            # python -m talenta ARGS in a child process

FLT = Filters(period=2025)


def test_counts_per_group_are_the_talent_pools(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs = rulesets.active(con)
    for by in fairness.GROUPS:
        r = fairness.check(con, Scope(), FLT.at(2025), rs, by)
        pt = pool.pool_table(con, Scope(), FLT.at(2025), rs, by).set_index("group")
        placed = (pt["total"] - pt["belum_terpetakan"])
        placed = placed[placed > 0]
        got = r.table.set_index("group")
        assert got["n"].to_dict() == placed.to_dict(), by
        assert got["krs"].to_dict() == pt.loc[placed.index, "krs"].to_dict(), by
        assert got["krs_persen"].round(1).tolist() == (got["krs"] / got["n"] * 100).round(1).tolist()
    con.close()


def test_a_gap_planted_in_the_data_is_flagged_and_the_demo_is_not(db_copy, live_scoring):
    # the data below is changed in place (no import, no refresh): scored live
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    before = fairness.check(con, Scope(), FLT.at(2025), rs, "jenis_kelamin")
    assert not before.flagged and before.gap_pp < 5
    # a third of the women get a low SKP predikat in the kinerja window: none of them can be in the KRS
    con.execute("""UPDATE performance SET predikat = 'Kurang', nilai_kinerja = NULL
                   WHERE tahun BETWEEN 2024 AND 2025 AND right(nip, 1) IN ('1', '4', '7')
                     AND nip IN (SELECT nip FROM employee WHERE jenis_kelamin = 'Perempuan')""")
    after = fairness.check(con, Scope(), FLT.at(2025), rs, "jenis_kelamin")
    assert after.flagged and after.table["ditandai"].all()
    share = after.table.set_index("group")["krs_persen"]
    assert share["Perempuan"] < share["Laki-laki"] - 5
    assert after.sentence.startswith("Perempuan ") and "bermakna" in after.sentence
    con.close()


def test_the_calibrated_basis_counts_the_komite_moves(db_copy):
    """Before any calibration both bases agree; after the Komite moves people, the calibrated basis counts each
    in their calibrated box, exactly as the talent map does with the calibrated basis."""
    from talenta import accounts, actions, calibration

    con = store.connect(db_copy)
    rs = rulesets.active(con)
    computed = fairness.check(con, Scope(), FLT.at(2025), rs, "jenis_kelamin")
    same = fairness.check(con, Scope(), FLT.at(2025), rs, "jenis_kelamin", basis="terkalibrasi")
    assert same.table.equals(computed.table) and same.basis_used == "terhitung"    # no move yet
    women = talentmap.placements(con, Scope(), replace(FLT, basis="terhitung").at(2025), rs, placed=True)
    women = women[(women["krs"] == False) & women["nip"].isin(store.query_df(  # noqa: E712
        con, "SELECT nip FROM employee WHERE jenis_kelamin = 'Perempuan'")["nip"])].head(6)
    komite = accounts.active_user(con, "komite")
    for nip in women["nip"]:
        actions.calibrate(con, komite, Scope(), 2025, rs, nip, 9, "wawancara", "Hasil wawancara panel")
    assert calibration.fairness_boxes(con, 2025, rs)[1] == {"fb_period": 2025}
    cal = fairness.check(con, Scope(), FLT.at(2025), rs, "jenis_kelamin", basis="terkalibrasi")
    assert cal.basis_used == "terkalibrasi"
    c, k = computed.table.set_index("group"), cal.table.set_index("group")
    assert k.loc["Perempuan", "krs"] == c.loc["Perempuan", "krs"] + len(women)
    assert k.loc["Laki-laki", "krs"] == c.loc["Laki-laki", "krs"]
    mapped = talentmap.placements(con, Scope(), replace(FLT, basis="terkalibrasi").at(2025), rs, placed=True)
    sex = store.query_df(con, "SELECT nip, jenis_kelamin FROM employee")
    krs = mapped.merge(sex, on="nip").groupby("jenis_kelamin")["krs"].sum()
    assert int(krs["Perempuan"]) == int(k.loc["Perempuan", "krs"])
    con.close()


def test_age_groups_follow_the_setting(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs = rulesets.active(con)
    params = fairness.FairnessParams(age_bands=(35, 45))
    r = fairness.check(con, Scope(), FLT.at(2025), rs, "kelompok_usia", params)
    assert set(r.table["group"]) <= {"< 35", "35-44", "45+", "Tidak diisi"} and len(r.table) >= 3
    assert r.table["n"].sum() == talentmap.summary(con, Scope(), FLT.at(2025), rs)["terpetakan"]
    con.close()


def test_fairness_cli_columns_exactly(demo_db_file, tmp_path):
    out = tmp_path / "f.csv"
    r = cli("fairness", "--period", "2025", "--by", "golongan", "--out", str(out), db=demo_db_file)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out)
    assert list(df.columns) == ["group", "n", "krs", "krs_persen", "chi2", "p_value", "selisih_maks_pp", "ditandai"]
    assert (df["krs_persen"] == (df["krs"] / df["n"] * 100).round(1)).all()      # percent: 40.0, not 0.4
    assert df["krs_persen"].max() > 1
    assert df["p_value"].nunique() == 1 and df["ditandai"].nunique() == 1
    assert df["selisih_maks_pp"].iloc[0] == pytest.approx(df["krs_persen"].max() - df["krs_persen"].min(), abs=0.11)
    assert "Uji kesetaraan golongan" in r.stdout
    # masked: no small group's count, the small ones merged into "lainnya"
    r = cli("fairness", "--period", "2025", "--by", "golongan", "--min-group", "5", "--basis", "terkalibrasi",
            "--out", str(out), db=demo_db_file)
    assert r.returncode == 0, r.stderr
    masked = pd.read_csv(out)
    for v in (masked["n"], masked["krs"], masked["n"] - masked["krs"]):
        assert not ((v > 0) & (v < 5)).any()
    assert masked["n"].sum() == df["n"].sum()
    r = cli("fairness", "--period", "2025", "--by", "agama", "--out", str(out), db=demo_db_file)
    assert r.returncode == 2 and "agama" in r.stderr


def test_fairness_as_an_account_is_its_scope_masked_as_it_is_and_audited(db_copy, tmp_path):
    from talenta import accounts, audit, cli
    from talenta.access import OPERATOR

    con = store.connect(db_copy)
    opd = store.query_one(con, "SELECT opd FROM employee GROUP BY opd ORDER BY count(*) DESC, opd LIMIT 1")[0]
    for name, role, limit in (("tamu_uji", "tamu", []), ("opd_uji", "opd", [opd])):
        if accounts.get(con, name) is None:
            accounts.add_user(con, OPERATOR, name, role, "rahasia-uji-12345", opd=limit)
    con.close()
    out = tmp_path / "f.csv"
    assert cli.main(["--db", str(db_copy), "fairness", "--period", "2025", "--by", "opd", "--as", "opd_uji",
                     "--out", str(out)]) == 0
    assert pd.read_csv(out)["group"].tolist() == [opd]             # only its own OPD
    assert cli.main(["--db", str(db_copy), "fairness", "--period", "2025", "--by", "golongan", "--as", "tamu_uji",
                     "--out", str(out)]) == 0
    guest = pd.read_csv(out)
    for v in (guest["n"], guest["krs"], guest["n"] - guest["krs"]):
        assert not ((v > 0) & (v < 5)).any()
    con = store.connect(db_copy, read_only=True)
    log = audit.query(con)
    con.close()
    assert (log["objek"] == "cli:fairness").sum() == 2
