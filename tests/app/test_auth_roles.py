"""Sign-in gate and roles in the dashboard: navigation per role, scope in the sidebar, idle expiry, sign-out."""
import datetime as dt

import pytest

from talenta import accounts, audit, overview, store
from talenta.errors import SignInError
from talenta.demo import DEMO_OPD, DEMO_PASSWORD
from talenta.ui import auth

from .conftest import shown

PAGES = {"ringkasan": "views/ringkasan.py", "peta-talenta": "views/peta.py", "talent-pool": "views/pool.py",
         "potensi-tinggi": "views/hipo.py", "data": "views/data.py", "ekspor": "views/ekspor.py",
         "impor": "views/impor.py", "aturan": "views/aturan.py", "pengguna": "views/pengguna.py",
         "profil": "views/profil.py",
         "suksesi": "views/suksesi.py"}
KEY = {"ringkasan", "peta-talenta", "talent-pool", "potensi-tinggi"}
EXPECTED = {   # the role table of issue 14
    "admin": set(PAGES),
    "analis": set(PAGES) - {"pengguna"},
    "komite": KEY | {"data", "ekspor", "profil", "suksesi"},
    "pimpinan": KEY | {"data", "ekspor", "profil", "suksesi"},
    "opd": KEY | {"data", "ekspor", "profil", "suksesi"},
    "tamu": KEY | {"suksesi"},      # issue 17: pipeline aggregates only
}


def _navigable(at) -> set[str]:
    found = set()
    for name, path in PAGES.items():
        try:
            at.switch_page(path)
        except ValueError:          # not registered by st.navigation for this role
            continue
        found.add(name)
    return found


@pytest.mark.parametrize("role", list(EXPECTED))
def test_navigation_and_sidebar_per_role(app, db_copy, role):
    at = app(db_copy, user=role)
    assert not at.exception
    assert _navigable(at) == EXPECTED[role]
    sidebar_text = " ".join(t.value for t in at.sidebar.text)
    assert "(demo)" in sidebar_text and {"admin": "Administrator", "tamu": "Tamu", "opd": "Pengelola OPD"}.get(
        role, "") in sidebar_text
    assert [b.label for b in at.sidebar.button] == ["Keluar"]
    if role == "tamu":          # a guest reads one view per period (review 8, D2): no OPD or jenis filter
        assert not [m for m in at.sidebar.multiselect] and any("Akun tamu" in c.value for c in at.sidebar.caption)
        return
    opd_options = at.sidebar.multiselect(key="flt_opd").options
    if role == "opd":
        assert opd_options == [DEMO_OPD]
    else:
        assert len(opd_options) > 40


def test_opd_account_sees_only_its_opd_in_the_figures(app, db_copy):
    admin, opd = app(db_copy, user="admin"), app(db_copy, user="opd")
    count = lambda at: int(at.metric[0].value.replace(".", ""))  # noqa: E731  "ASN dalam filter"
    con = store.connect(db_copy)
    from talenta.scope import Scope
    in_opd = overview.filter_options(con, Scope(opd=frozenset({DEMO_OPD})))["opd"]
    con.close()
    assert in_opd == [DEMO_OPD]
    assert 0 < count(opd) < count(admin)
    # the filter line names the account's OPD, not "semua" (its figures are that OPD's)
    line = lambda at: next(shown(c.value) for c in at.main.caption if c.value.startswith("Filter aktif"))  # noqa: E731
    assert f"OPD: {DEMO_OPD}" in line(opd) and "OPD: semua" in line(admin)


@pytest.mark.parametrize("page", [None, "views/peta.py", "views/pool.py"])
def test_an_opd_accounts_chart_footnotes_name_its_opd(app, db_copy, page):
    """Review 6 #10: the nine-box and the Talent Pool heatmap said "Instansi: semua · OPD: semua" to an OPD
    account (the footnote described the filters without the scope)."""
    import json

    at = app(db_copy, page, user="opd")
    assert not at.exception
    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    notes = [s for s in specs if "PermenPANRB" in s]
    assert notes and all(f"OPD: {DEMO_OPD}" in s and "OPD: semua" not in s for s in notes)


def test_nothing_is_read_before_sign_in(app, db_copy, monkeypatch):
    from talenta import derived

    calls, building = [], []
    for name in ("periods", "filter_options", "coverage_summary"):
        real = getattr(overview, name)
        monkeypatch.setattr(overview, name, lambda *a, _real=real, _n=name, **k:
                            (building or calls.append(_n)) and False or _real(*a, **k))
    real_refresh = derived.refresh

    def refresh(*a, **k):       # the server's own upkeep when it opens the database (the write path's builders)
        building.append(1)
        try:
            return real_refresh(*a, **k)
        finally:
            building.pop()

    monkeypatch.setattr(derived, "refresh", refresh)
    at = app(db_copy, user=None)
    assert not at.exception
    assert at.title[0].value == "Masuk ke Talenta" and len(at.title) == 1
    assert calls == [] and not at.sidebar.selectbox and not at.sidebar.button
    assert any(DEMO_PASSWORD in i.value for i in at.info)          # the demo database shows its password
    # the browser's chart and table code is loaded while the user types: one empty chart, one empty table, no data
    import json
    charts = at.get("plotly_chart")
    assert len(charts) == 1 and json.loads(charts[0].proto.spec).get("data", []) == []
    assert len(at.dataframe) == 1 and at.dataframe[0].value.empty


def test_login_form_same_message_then_signs_in(app, db_copy):
    at = app(db_copy, user=None)
    messages = []
    for name, pw in (("komite", "bukan-ini-sandinya"), ("tidak-ada", "bukan-ini-sandinya")):
        at.text_input[0].input(name)
        at.text_input[1].input(pw)
        at.button[0].click().run()
        messages.append(at.error[0].value)
    assert messages == [accounts.WRONG, accounts.WRONG]
    at.text_input[0].input("komite")
    at.text_input[1].input(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value.startswith("Ringkasan") and at.session_state[auth.USER_KEY] == "komite"


def test_a_password_reset_ends_the_sessions_signed_in_with_the_old_password(app, db_copy):
    """Review 8, D6: an admin resets a password because the account may be compromised; the intruder's session
    went on. Now its next run is the login page; signing in with the new password works."""
    from talenta.access import OPERATOR

    at = app(db_copy, user=None)
    at.text_input[0].input("komite")
    at.text_input[1].input(DEMO_PASSWORD)
    at.button[0].click().run()
    assert at.title[0].value.startswith("Ringkasan")
    at.run()
    assert at.title[0].value.startswith("Ringkasan")            # nothing changed: the session goes on
    con = store.connect(db_copy)
    accounts.set_password(con, OPERATOR, "komite", "sandi-baru-rapat-2026")
    con.close()
    at.run()
    assert at.title[0].value == "Masuk ke Talenta" and auth.USER_KEY not in at.session_state
    assert any("sudah diganti" in i.value for i in at.info)
    at.text_input[0].input("komite")
    at.text_input[1].input("sandi-baru-rapat-2026")
    at.button[0].click().run()
    assert at.title[0].value.startswith("Ringkasan")


def test_idle_session_expires_and_sign_out_clears_the_session(app, db_copy, monkeypatch):
    now = [dt.datetime(2026, 5, 4, 10, 0)]
    monkeypatch.setattr(auth, "clock", lambda: now[0])
    at = app(db_copy, user="analis")
    now[0] += dt.timedelta(minutes=29)
    at.run()
    assert at.title[0].value.startswith("Ringkasan")
    now[0] += dt.timedelta(minutes=30, seconds=1)
    at.run()
    assert at.title[0].value == "Masuk ke Talenta"
    assert any("tanpa aktivitas" in i.value for i in at.info)
    assert auth.USER_KEY not in at.session_state

    at = app(db_copy, user="analis")
    at.sidebar.multiselect(key="flt_opd").select("Inspektorat").run()
    at.sidebar.button(key="auth_sign_out").click().run()
    assert at.title[0].value == "Masuk ke Talenta" and "flt_opd" not in at.session_state
    con = store.connect(db_copy)
    log = audit.query(con, user="analis", action="logout")
    con.close()
    assert list(log["rincian"]) == ["{}", '{"sebab": "tidak aktif"}']


def test_disabled_account_is_signed_out_on_its_next_click(app, db_copy):
    at = app(db_copy, user="pimpinan")
    con = store.connect(db_copy)
    from talenta.access import OPERATOR
    accounts.disable_user(con, OPERATOR, "pimpinan")
    con.close()
    at.run()
    assert at.title[0].value == "Masuk ke Talenta"
    assert any("tidak aktif lagi" in i.value for i in at.info)


def test_empty_database_says_how_to_create_the_first_account(app, tmp_path):
    store.connect(tmp_path / "baru.duckdb").close()         # python -m talenta init
    at = app(tmp_path / "baru.duckdb", user=None)
    assert not at.exception
    assert "user add admin --role admin" in at.code[0].value and "--password-stdin" in at.code[0].value
    assert not at.text_input


def test_a_database_that_cannot_be_opened_tells_a_visitor_a_code_not_the_server(app, tmp_path, caplog):
    """Before sign-in a visitor read the database path, the interpreter's path and a PID, with advice for an
    operator (review 12, M1); a mistyped path made a new empty database (L4)."""
    missing = tmp_path / "salah" / "ketik" / "talenta.duckdb"
    at = app(missing, user=None)
    assert not at.exception
    text = " ".join(e.value for e in at.error)
    assert "Basis data tidak dapat dibuka" in text and "kode" in text
    assert str(tmp_path) not in text and "duckdb" not in text.lower()
    assert not missing.parent.exists()                           # nothing created
    assert any(str(missing) in r.getMessage() for r in caplog.records)   # the operator finds it in the log


def test_an_unusable_setting_is_a_message_not_streamlits_error_page(app, db_copy, monkeypatch):
    monkeypatch.setenv("TALENTA_MIN_GROUP", "0")
    at = app(db_copy, user=None)
    assert not at.exception
    assert any("Pengaturan server tidak valid" in e.value for e in at.error)


def test_pengguna_page_adds_a_user_with_one_audit_row(app, db_copy):
    at = app(db_copy, "views/pengguna.py")
    assert not at.exception
    at.text_input(key="usr_add_username").input("dinkes2")
    at.text_input(key="usr_add_name").input("Pengelola Dinkes")
    at.selectbox(key="usr_add_role").select("opd")
    at.multiselect(key="usr_add_opd").select(DEMO_OPD)
    at.text_input(key="usr_add_password").input("kata-sandi-dinkes-1")
    next(b for b in at.button if b.label == "Tambah").click().run()
    assert not at.exception and at.success and not at.error
    con = store.connect(db_copy)
    assert accounts.active_user(con, "dinkes2").opd == (DEMO_OPD,)
    rows = audit.query(con, action="user_add", user="admin")
    con.close()
    assert len(rows) == 1 and rows.iloc[0]["objek"] == "dinkes2" and rows.iloc[0]["hasil"] == "berhasil"
    assert "dinkes2" in at.dataframe[0].value["Nama pengguna"].tolist()


def test_pengguna_page_unlocks_a_locked_account(app, db_copy):
    """"Hubungi administrator", said the lock, and the administrator had nothing to press (review 12, M3)."""
    con = store.connect(db_copy)
    for _ in range(5):
        with pytest.raises(SignInError):
            accounts.sign_in(con, "analis", "bukan-kata-sandinya")
    con.close()
    at = app(db_copy, "views/pengguna.py")
    at.selectbox(key="usr_pick").select("analis").run()
    assert not at.exception
    assert any("terkunci sampai" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Buka kunci").click().run()
    assert not at.exception and any("Kunci akun analis dibuka" in s.value for s in at.success)
    con = store.connect(db_copy)
    assert accounts.sign_in(con, "analis", DEMO_PASSWORD).username == "analis"
    assert len(audit.query(con, action="user_unlock", user="admin")) == 1
    con.close()


@pytest.mark.parametrize("email, signed_in", [("Dinkes@Pemda.go.id", True), ("orang.lain@pemda.go.id", False)])
def test_single_sign_on_matches_the_email_to_an_account(app, db_copy, monkeypatch, email, signed_in):
    from streamlit.testing.v1 import AppTest

    from talenta.access import OPERATOR
    from tests.app.conftest import ROOT

    con = store.connect(db_copy)
    accounts.add_user(con, OPERATOR, "dinkes.sso", "opd", "kata-sandi-sso-1", opd=[DEMO_OPD],
                      email="dinkes@pemda.go.id")
    con.close()
    monkeypatch.setenv("TALENTA_DB_PATH", str(db_copy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "uji"}
    at.user = {"is_logged_in": True, "email": email}
    at.run()
    assert not at.exception
    if signed_in:
        assert at.title[0].value.startswith("Ringkasan")
        assert at.sidebar.multiselect(key="flt_opd").options == [DEMO_OPD]
    else:
        assert at.title[0].value == "Masuk ke Talenta"
        assert any("Tidak ada akun aktif untuk e-mail orang\\.lain@pemda\\.go\\.id" in i.value for i in at.info)
    con = store.connect(db_copy)
    log = audit.query(con, action="login").iloc[0]
    con.close()
    assert (log["hasil"] == "berhasil") is signed_in and '"sso": true' in log["rincian"]


def test_opening_the_database_builds_what_a_killed_import_left_unbuilt(app, db_copy):
    """An import killed after its commit and before its refresh left the score cache of the new data unbuilt, and
    the pages scored live until the next import (review 12, L7): the dashboard builds what is missing when it opens
    the database."""
    con = store.connect(db_copy)
    con.execute("DELETE FROM talent_score_count")
    con.execute("DELETE FROM talent_score_count_unit")
    con.execute("DELETE FROM talent_score")
    con.execute("DELETE FROM talent_score_key")
    con.close()
    at = app(db_copy, user=None)
    assert not at.exception
    con = store.connect(db_copy)
    built = store.query_one(con, "SELECT count(*) FROM talent_score_key")[0]
    con.close()
    assert built > 0


def test_an_opd_accounts_filter_box_names_its_opd(app, db_copy):
    """The sidebar's OPD box read 'Semua' for an account limited to Dinas Kesehatan while the filter line said
    'OPD: Dinas Kesehatan' (review 20d, 6)."""
    at = app(db_copy, user="opd")
    box = at.sidebar.multiselect(key="flt_opd")
    assert box.placeholder == "Semua: Dinas Kesehatan"
    assert app(db_copy).sidebar.multiselect(key="flt_opd").placeholder == "Semua"
