"""Profil Talenta page: search, a person's page, refusals for tamu and outside an OPD account's scope."""
from talenta import store
from talenta.demo import DEMO_OPD
from talenta.ui import people

from .conftest import ensure_account, shown


def _nip(db, where: str = "TRUE", params=None) -> str:
    con = store.connect(db, read_only=True)
    try:
        return store.query_one(con, "SELECT min(nip) FROM employee WHERE " + where, params or {})[0]
    finally:
        con.close()


def test_search_then_profile(app, db_copy):
    nip = _nip(db_copy, "jenis_jabatan = 'Struktural'")
    at = app(db_copy, "views/profil.py")
    assert not at.exception
    at.text_input(key="profil_cari").input(nip[:10]).run()
    at.selectbox(key="profil_pilih").select(nip).run()
    assert not at.exception
    assert any(nip in shown(c.value) for c in at.caption)
    assert [m.label for m in at.metric][:5] == ["Golongan", "Pendidikan", "Eselon", "Usia", "BUP"]
    headers = [h.value for h in at.subheader]
    assert {"Kinerja (SKP) per tahun", "Asesmen per tahun", "Saran pengembangan", "Potensi tinggi"} <= set(headers)


def test_a_whole_nip_typed_opens_the_profile_at_once(app, db_copy):
    """One match needs no second choice: typing a whole NIP said '1 pegawai cocok' and waited on 'Pilih pegawai'."""
    nip = _nip(db_copy, "jenis_jabatan = 'Struktural'")
    at = app(db_copy, "views/profil.py")
    at.text_input(key="profil_cari").input(nip).run()
    assert not at.exception
    assert at.selectbox(key="profil_pilih").value == nip
    assert any(nip in shown(c.value) for c in at.caption)
    at.text_input(key="profil_cari").input(nip[:4]).run()            # several (a birth year): the user chooses
    assert at.selectbox(key="profil_pilih").label != "1 pegawai cocok"


def test_opd_account_cannot_open_another_opd(app, db_copy):
    other = _nip(db_copy, "opd <> $o", {"o": DEMO_OPD})
    ensure_account(db_copy, "opd", "opd", opd=[DEMO_OPD])
    at = app(db_copy, user="opd")
    at.session_state[people.PROFILE_NIP] = other
    at.switch_page("views/profil.py")
    at.run()
    assert not at.exception
    assert any("tidak ditemukan dalam cakupan" in shown(e.value) for e in at.error)
    assert not at.metric


def test_tamu_has_no_profile_page(app, db_copy):
    at = app(db_copy, user="tamu")
    try:
        at.switch_page("views/profil.py")
    except ValueError:
        return                              # not in the navigation at all
    raise AssertionError("tamu must not reach Profil Talenta")


def test_every_file_of_a_profile_leaves_an_audit_row(app, db_copy, downloads):
    """Review 8, D8: the printable form, the XLSX and the JSON of one person's record left the system with no
    ``download`` row; they are built when clicked, for the account as it still is, and each is audited."""
    import json

    from talenta import audit

    nip = _nip(db_copy, "jenis_jabatan = 'Struktural'")
    at = app(db_copy, "views/profil.py", user="komite")
    at.text_input(key="profil_cari").input(nip[:10]).run()
    at.selectbox(key="profil_pilih").select(nip).run()
    assert not at.exception
    files = {label: downloads[label] for label in ("Formulir siap cetak (HTML)", "Unduh XLSX", "Unduh JSON")}
    assert all(callable(f) for f in files.values())              # nothing is built before a click
    assert json.loads(files["Unduh JSON"]())["nip"] == nip
    assert b"<!DOCTYPE html>" in files["Formulir siap cetak (HTML)"]()
    assert files["Unduh XLSX"]()[:2] == b"PK"
    con = store.connect(db_copy)
    rows = audit.query(con, action="download")
    con.close()
    assert len(rows) == 3 and set(rows["objek"]) == {f"profil {nip}"} and set(rows["pengguna"]) == {"komite"}
    assert sorted(json.loads(r)["format"] for r in rows["rincian"]) == ["html", "json", "xlsx"]
