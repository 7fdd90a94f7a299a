"""An undo that removes employees named in standing decisions says so before it is confirmed (hostile pass,
session 22: undoing a master batch removed a set successor and a calibrated employee without a word; the Suksesi
page then read '(tidak ada di data pegawai) ... ditetapkan' and the calibration move vanished from its session)."""
from talenta import accounts, actions, rulesets, store, succession, succession_rules, talentmap
from talenta.ingest.loader import undo_plan
from talenta.scope import Filters, Scope
from tests.cli_run import cli


def _master_batch(con) -> int:
    return store.query_one(con, "SELECT min(batch_id) FROM import_batch WHERE list_contains(kinds, 'pegawai')")[0]


def test_the_undo_plan_names_the_successors_and_calibrated_employees_it_removes(db_copy):
    con = store.connect(db_copy)
    rs, srs = rulesets.active(con), succession_rules.active(con)
    master = _master_batch(con)
    assert undo_plan(con, master).decisions == []
    placed = talentmap.placements(con, Scope(), Filters(period=2025, basis="terhitung"), rs, kotak=5)
    moved = placed.iloc[0]["nip"]
    actions.calibrate(con, accounts.active_user(con, "komite"), Scope(), 2025, rs, moved, 8, "wawancara",
                      "Panel menilai kepemimpinannya tinggi")
    back = placed.iloc[1]["nip"]        # moved and moved back: no longer in force
    komite = accounts.active_user(con, "komite")
    actions.calibrate(con, komite, Scope(), 2025, rs, back, 7, "wawancara", "naik")
    actions.calibrate(con, komite, Scope(), 2025, rs, back, 5, "wawancara", "kembali")
    cands = succession.candidates(con, Scope(), 2025, rs, srs, slim=True)
    c = cands.iloc[0]
    actions.succession_decision(con, accounts.active_user(con, "analis"), c["jabatan_id"], c["nip"], "usul",
                                "Calon terkuat di OPD", period=2025, rs=rs, srs=srs)
    refused = cands[cands["nip"] != c["nip"]].iloc[0]
    analis, pimpinan = accounts.active_user(con, "analis"), accounts.active_user(con, "pimpinan")
    actions.succession_decision(con, analis, refused["jabatan_id"], refused["nip"], "usul", "usul",
                                period=2025, rs=rs, srs=srs)
    actions.succession_decision(con, pimpinan, refused["jabatan_id"], refused["nip"], "tolak", "tidak bersedia",
                                period=2025, rs=rs, srs=srs)

    plan = undo_plan(con, master)
    by_nip = {nip: (nama, what) for nip, nama, what in plan.decisions}
    assert set(by_nip) == {moved, c["nip"]}              # the move undone and the refused proposal are not named
    assert by_nip[moved][1].startswith("dipindahkan dari kotak 5 ke kotak 8 dalam kalibrasi ")
    assert by_nip[c["nip"]][1].startswith("diusulkan sebagai suksesor ") and by_nip[c["nip"]][1].endswith("2025")
    assert by_nip[moved][0] == store.query_one(con, "SELECT nama FROM employee WHERE nip = ?", [moved])[0]
    # an SKP batch removes nobody: nothing to name
    skp = store.query_one(con, "SELECT max(batch_id) FROM import_batch WHERE list_contains(kinds, 'kinerja')")[0]
    assert undo_plan(con, skp).decisions == []
    con.close()

    # the CLI's undo says it too (on stderr, after the undo it made)
    out = cli("undo", master, "--with-dependents", db=db_copy)
    assert out.returncode == 0, out.stderr
    assert "2 pegawai yang dikeluarkan tercatat dalam keputusan suksesi atau perpindahan kalibrasi" in out.stderr
    assert f"  {moved} " in out.stderr and f"  {c['nip']} " in out.stderr
