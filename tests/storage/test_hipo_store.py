"""Potensi Tinggi against a real database: features, decisions that survive re-runs, the CLI."""
import pytest

from talenta import hipo, rulesets, store
from talenta.config import Settings
from talenta.errors import UsageError
from talenta.scope import Filters, Scope

PARAMS = Settings().hipo_params(bootstrap=4, k_max=4, random_state=3)


def test_features_one_row_per_assessed_employee(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs = rulesets.active(con)
    f = hipo.features(con, Scope(), Filters(period=2025), rs)
    assert f["nip"].is_unique
    n_assessed = store.query_one(con, "SELECT count(DISTINCT nip) FROM assessment WHERE tahun BETWEEN 2023 AND 2025")[0]
    assert len(f) == n_assessed
    assert set(hipo.DEFAULT_FEATURES) <= set(f.columns)
    assert f["tren_kinerja"].dropna().isin([-80, -60, -40, -20, 0, 20, 40, 60, 80]).all()


def test_decisions_survive_rerun_and_keep_history(db_copy):
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    first = hipo.run(con, Scope(), Filters(period=2025), rs, PARAMS)
    nip = first.table.loc[first.table["hipo"], "nip"].iloc[0]
    hipo.record_decision(con, nip, 2025, "diusulkan", "dibahas rapat 1", "sekretaris komite", scope=Scope())
    hipo.record_decision(con, nip, 2025, "disetujui", "rapat 2: setuju", "ketua komite", scope=Scope())
    again = hipo.run(con, Scope(), Filters(period=2025), rs, PARAMS)
    row = again.table.set_index("nip").loc[nip]
    assert row["keputusan"] == "disetujui" and row["hipo"]
    hist = hipo.decision_history(con, 2025, nip, scope=Scope())
    assert hist["keputusan"].tolist() == ["disetujui", "diusulkan"]
    assert hist["oleh"].tolist() == ["ketua komite", "sekretaris komite"]
    # the same decision sent twice (a double click on the form) is recorded once; a changed note is a new row
    assert hipo.record_decision(con, nip, 2025, "disetujui", " rapat 2: setuju ", "ketua komite",
                                scope=Scope()) is False
    assert hipo.record_decision(con, nip, 2025, "disetujui", "rapat 3: tetap setuju", "ketua komite",
                                scope=Scope()) is True
    assert len(hipo.decision_history(con, 2025, nip, scope=Scope())) == 3
    with pytest.raises(UsageError, match="tidak dikenal"):
        hipo.record_decision(con, nip, 2025, "mungkin", "", "x", scope=Scope())
    with pytest.raises(UsageError, match="tidak ada"):
        hipo.record_decision(con, "199001012021211999", 2025, "ditolak", "", "x", scope=Scope())


def test_decision_history_reads_only_the_readers_scope(db_copy):
    """The history under the Komite's form read every decision: an account limited to an instansi or an OPD read
    other employees' NIPs and notes. An employee since removed from the master stays for an unlimited reader."""
    con = store.connect(db_copy)
    two = store.query_df(con, "SELECT opd, min(nip) AS nip FROM employee GROUP BY opd ORDER BY opd LIMIT 2")
    for nip in two["nip"]:
        con.execute("INSERT INTO hipo_decision SELECT coalesce(max(decision_id), 0) + 1, $n, 2025, "
                           "'diusulkan', 'catatan', 'komite', now() FROM hipo_decision", {"n": nip})
    con.execute("INSERT INTO hipo_decision SELECT max(decision_id) + 1, '199001012021211999', 2025, "
                       "'ditolak', 'keluar', 'komite', now() FROM hipo_decision")
    everyone = hipo.decision_history(con, 2025, scope=Scope())
    assert set(everyone["nip"]) == {*two["nip"], "199001012021211999"}
    mine = hipo.decision_history(con, 2025, scope=Scope(opd=frozenset({two["opd"][0]})))
    assert mine["nip"].tolist() == [two["nip"][0]]


def test_masked_run_hides_identities(db_copy):
    con = store.connect(db_copy)
    r = hipo.run(con, Scope(mask_identity=True), Filters(period=2025), rulesets.active(con), PARAMS)
    assert not r.table["nip"].str.contains(r"\d").any()
