"""Every write action leaves exactly one audit row with the real user (a refused or failed one a 'gagal' row),
and the library refuses what a role may not do even when no page hides the button."""

import pandas as pd
import pytest

from talenta import actions, audit, hipo, rules, rulesets, store
from talenta.access import User
from talenta.errors import AccessDenied, UsageError
from talenta.scope import Filters, Scope

ANALIS = User("ani", "Ani Analis", "analis")
KOMITE = User("kiki", "Kiki Komite", "komite")
ADMIN = User("adi", "Adi Admin", "admin")
TAMU = User("tamu", "Tamu Rapat", "tamu")
OPD = User("oda", "Oda OPD", "opd", opd=("Dinas Kesehatan",))


@pytest.fixture
def dbcon(db_copy):
    c = store.connect(db_copy)
    yield c
    c.close()


def _log(con) -> pd.DataFrame:
    return audit.query(con).iloc[::-1].reset_index(drop=True)      # oldest first


def _master_csv(path, nip="198001012005011001"):
    path.write_text("NIP,NAMA,OPD,TAHUN,PREDIKAT\n"
                    f"{nip},Budi Uji,Dinas Kesehatan,2025,Baik\n", encoding="utf-8")
    return path


def test_import_and_undo_leave_one_audit_row_each_with_the_user(dbcon, tmp_path):
    before = len(_log(dbcon))
    r = actions.import_one(dbcon, ANALIS, _master_csv(tmp_path / "a.csv"))
    log = _log(dbcon)
    assert len(log) == before + 1
    row = log.iloc[-1]
    assert (row["pengguna"], row["peran"], row["aksi"], row["objek"], row["hasil"]) == \
        ("ani", "analis", "import", "a.csv", audit.OK)
    assert f'"batch": {r.batch}' in row["rincian"]
    actions.undo(dbcon, ANALIS, r.batch)
    log = _log(dbcon)
    assert len(log) == before + 2
    assert (log.iloc[-1]["aksi"], log.iloc[-1]["objek"], log.iloc[-1]["hasil"]) == \
        ("undo", f"batch {r.batch}", audit.OK)


def test_refused_actions_leave_one_failed_row_and_change_nothing(dbcon, tmp_path):
    n_emp = store.query_one(dbcon, "SELECT count(*) FROM employee")[0]
    before = len(_log(dbcon))
    with pytest.raises(AccessDenied):
        actions.import_one(dbcon, KOMITE, _master_csv(tmp_path / "b.csv", "198001012005011002"))
    with pytest.raises(AccessDenied):
        actions.undo(dbcon, TAMU, 1)
    with pytest.raises(AccessDenied):
        actions.activate_rule_set(dbcon, ANALIS, 1)
    with pytest.raises(AccessDenied):
        actions.hipo_decision(dbcon, OPD, "198001012005011001", 2025, "disetujui", "x")
    log = _log(dbcon)
    assert len(log) == before + 4
    assert list(log["hasil"].iloc[-4:]) == [audit.FAILED] * 4
    assert list(log["pengguna"].iloc[-4:]) == ["kiki", "tamu", "ani", "oda"]
    assert store.query_one(dbcon, "SELECT count(*) FROM employee")[0] == n_emp


def test_a_failed_write_is_audited_as_failed(dbcon):
    before = len(_log(dbcon))
    with pytest.raises(UsageError):
        actions.undo(dbcon, ADMIN, 99999)
    log = _log(dbcon)
    assert len(log) == before + 1
    assert log.iloc[-1]["hasil"] == audit.FAILED
    assert "99999" in log.iloc[-1]["rincian"]


def test_an_analyst_proposes_a_rule_set_and_an_admin_activates_it(dbcon):
    active_before = rulesets.active(dbcon)
    proposal = actions.save_rule_set(dbcon, ANALIS, rules.DEFAULT, name="Usulan analis", note="coba")
    assert rulesets.active(dbcon).id == active_before.id          # a proposal, not yet active
    actions.activate_rule_set(dbcon, ADMIN, proposal.id)
    assert rulesets.active(dbcon).id == proposal.id
    log = _log(dbcon)
    assert list(log["aksi"].iloc[-2:]) == ["ruleset_save", "ruleset_activate"]
    assert list(log["pengguna"].iloc[-2:]) == ["ani", "adi"]


def test_a_committee_member_limited_to_an_opd_decides_only_inside_it(dbcon):
    """The library used to take any NIP in the database from any Komite account: only the page's list stood
    between an account limited to one OPD and another OPD's employees."""
    inside, outside = (store.query_one(dbcon, "SELECT min(nip) FROM employee WHERE " + cond, ["Dinas Kesehatan"])[0]
                       for cond in ("opd = ?", "opd <> ?"))
    limited = User("kia", "Kia Komite", "komite", opd=("Dinas Kesehatan",))
    with pytest.raises(UsageError, match="tidak ada di data pegawai dalam cakupan akun Anda"):
        actions.hipo_decision(dbcon, limited, outside, 2025, "disetujui", "")
    assert hipo.decision_history(dbcon, 2025, outside, scope=Scope()).empty
    assert _log(dbcon).iloc[-1]["hasil"] == audit.FAILED
    actions.hipo_decision(dbcon, limited, inside, 2025, "disetujui", "")
    assert hipo.decision_history(dbcon, 2025, inside, scope=Scope())["oleh"].tolist() == ["kia"]


def test_a_committee_decision_is_recorded_with_its_author(dbcon):
    nip = store.query_one(dbcon, "SELECT nip FROM employee ORDER BY nip LIMIT 1")[0]
    actions.hipo_decision(dbcon, KOMITE, nip, 2025, "disetujui", "sesuai profil")
    hist = hipo.decision_history(dbcon, 2025, scope=Scope())
    assert nip in set(hist["nip"])
    row = _log(dbcon).iloc[-1]
    assert (row["pengguna"], row["aksi"], row["objek"]) == ("kiki", "hipo_decide", nip)


def test_a_limited_account_may_not_do_what_changes_or_reads_the_whole_database(dbcon, tmp_path):
    """An analis limited to Dinas Kesehatan imported SKP rows of Dinas Pendidikan and undid every OPD's batch; an
    admin limited to an OPD created unlimited accounts and lifted his own limit (review 20, 7 and 8)."""
    from talenta import access, accounts

    analis_dinkes = User("and", "Analis Dinkes", "analis", opd=("Dinas Kesehatan",))
    admin_inst = User("adm", "Admin Instansi", "admin", instansi=("Pemerintah Kota Palembang",))
    n_emp = store.query_one(dbcon, "SELECT count(*) FROM employee")[0]
    with pytest.raises(AccessDenied, match="hanya akun tanpa batas"):
        actions.import_one(dbcon, analis_dinkes, _master_csv(tmp_path / "c.csv", "198001012005011003"))
    with pytest.raises(AccessDenied, match="hanya akun tanpa batas"):
        actions.undo(dbcon, analis_dinkes, 1)
    with pytest.raises(AccessDenied, match="hanya akun tanpa batas"):
        accounts.add_user(dbcon, admin_inst, "admin_baru", "admin", "kata-sandi-panjang")
    with pytest.raises(AccessDenied, match="hanya akun tanpa batas"):
        actions.activate_rule_set(dbcon, admin_inst, 1)
    assert store.query_one(dbcon, "SELECT count(*) FROM employee")[0] == n_emp
    assert accounts.active_user(dbcon, "admin_baru") is None
    assert not access.may_open(analis_dinkes, "impor") and access.may_open(analis_dinkes, "aturan")
    assert not access.may_open(admin_inst, "pengguna") and not access.may_open(admin_inst, "cadangan")
    assert access.may_open(ADMIN, "pengguna") and access.may_open(ANALIS, "impor")
    actions.save_rule_set(dbcon, analis_dinkes, rulesets.active(dbcon), name="usulan Dinkes", note="")  # a proposal


def test_an_action_refuses_a_scope_wider_than_the_accounts_own(dbcon):
    """The actions took the scope their caller passed: a Komite member limited to Dinas Kesehatan moved a Dinas
    Pendidikan employee, an OPD account read another OPD's profile and exported the whole instansi by passing
    Scope() (review 20, 1)."""
    rs = rulesets.active(dbcon)
    komite_dinkes = User("kod", "Komite Dinkes", "komite", opd=("Dinas Kesehatan",))
    other = store.query_one(dbcon, "SELECT min(nip) FROM employee WHERE opd <> 'Dinas Kesehatan'")[0]
    with pytest.raises(AccessDenied, match="melampaui cakupan akun kod"):
        actions.calibrate(dbcon, komite_dinkes, Scope(), 2025, rs, other, 1, "lainnya", "x")
    with pytest.raises(AccessDenied, match="melampaui cakupan akun oda"):
        actions.read_profile(dbcon, OPD, Scope(), other, 2025, rs)
    with pytest.raises(AccessDenied, match="melampaui cakupan akun oda"):
        actions.read_profile(dbcon, OPD, Scope(), other, 2025, rs, audit_it=False)
    with pytest.raises(AccessDenied, match="melampaui cakupan akun oda"):
        actions.export_file(dbcon, OPD, Scope().masked(5), "xlsx", "Pemerintah Kota Palembang", Filters(period=2025).at(2025), rs)
    with pytest.raises(AccessDenied, match="tidak berhak melihat identitas"):
        actions.read_profile(dbcon, TAMU, Scope(), other, 2025, rs)
    assert store.query_one(dbcon, "SELECT count(*) FROM kalibrasi_event")[0] == 0
    assert store.query_one(dbcon, "SELECT count(*) FROM export_log")[0] == 0
    own = Scope(opd=frozenset({"Dinas Kesehatan"}), mask_identity=True, min_group=5)
    name, _ = actions.export_file(dbcon, OPD, own, "xlsx", "Pemerintah Kota Palembang", Filters(period=2025).at(2025), rs)
    assert name.endswith(".xlsx")


def test_the_berita_acara_of_an_instansi_outside_the_account_is_refused(dbcon):
    """``export --format kalibrasi --as`` an account of another instansi wrote Palembang's session: who opened and
    closed it, its participants and the reasons to reopen it (review 20, 2)."""
    rs = rulesets.active(dbcon)
    komite_b = User("kob", "Komite B", "komite", instansi=("Kabupaten Lain",))
    scope_b = Scope(instansi=frozenset({"Kabupaten Lain"}), mask_identity=True, min_group=5)
    with pytest.raises(AccessDenied, match="tidak mencakup instansi Pemerintah Kota Palembang"):
        actions.export_berita_acara(dbcon, komite_b, scope_b, Filters(period=2025).at(2025), "Pemerintah Kota Palembang", rs)
    from talenta import export
    with pytest.raises(AccessDenied, match="di luar cakupan"):
        export.produce(dbcon, "kalibrasi", "Pemerintah Kota Palembang", Filters(period=2025).at(2025), rs, "kob",
                       scope=scope_b)
    assert store.query_one(dbcon, "SELECT count(*) FROM export_log")[0] == 0
