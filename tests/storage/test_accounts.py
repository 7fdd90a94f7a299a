"""Accounts, sign-in lockout (with a fake clock), roles and the audit trail of every user change."""
import datetime as dt

import pytest

from talenta import access, accounts, audit, store
from talenta.access import OPERATOR, User
from talenta.errors import AccessDenied, SignInError, UsageError
from talenta.scope import Scope

PW = "kata-sandi-panjang-1"
SHORT = "Xq7zK"
T0 = dt.datetime(2026, 3, 2, 9, 0, 0)


class FakeClock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now

    def tick(self, **kw):
        self.now += dt.timedelta(**kw)


def _audit_rows(con, action=None):
    return audit.query(con, action=action)


def test_password_is_stored_only_as_an_argon2id_hash(tmp_path):
    db = tmp_path / "t.duckdb"
    con = store.connect(db)
    accounts.add_user(con, OPERATOR, "Budi", "analis", PW, name="Budi Santoso")
    stored = store.query_one(con, "SELECT password_hash FROM app_user WHERE username = 'budi'")[0]
    con.close()
    assert stored.startswith("$argon2id$") and PW not in stored
    assert PW.encode() not in db.read_bytes()
    assert PW.encode() not in (tmp_path / "t.duckdb.wal").read_bytes() if (tmp_path / "t.duckdb.wal").exists() else True


def test_sign_in_same_message_for_unknown_user_wrong_password_and_disabled_account(con):
    accounts.add_user(con, OPERATOR, "admin", "admin", PW)
    accounts.add_user(con, OPERATOR, "ani", "analis", PW)
    accounts.disable_user(con, OPERATOR, "ani")
    messages = []
    for name, pw in (("siapa", PW), ("admin", PW + "x"), ("ani", PW)):
        with pytest.raises(SignInError) as e:
            accounts.sign_in(con, name, pw)
        messages.append(str(e.value))
    assert messages == [accounts.WRONG] * 3
    user = accounts.sign_in(con, " ADMIN ", PW)
    assert user == User("admin", "admin", "admin")
    assert accounts.get(con, "admin")["last_login"] is not None
    log = _audit_rows(con, "login")
    assert list(log["hasil"]) == ["berhasil", "gagal", "gagal", "gagal"]
    assert PW not in log.to_csv()


def test_five_failures_lock_the_username_for_fifteen_minutes(con):
    accounts.add_user(con, OPERATOR, "budi", "analis", PW)
    clock = FakeClock()
    for i in range(4):
        with pytest.raises(SignInError, match="salah"):
            accounts.sign_in(con, "budi", "salah-salah-salah", clock=clock)
        clock.tick(minutes=3)
    with pytest.raises(SignInError, match="dikunci sampai 09.27"):       # 5th failure at 09.12
        accounts.sign_in(con, "budi", "salah-salah-salah", clock=clock)
    clock.tick(minutes=14, seconds=59)
    with pytest.raises(SignInError, match="dikunci"):                   # even the right password
        accounts.sign_in(con, "budi", PW, clock=clock)
    clock.tick(seconds=1)
    assert accounts.sign_in(con, "budi", PW, clock=clock).username == "budi"
    assert len(_audit_rows(con, "lockout")) == 1
    assert list(_audit_rows(con, "login")["hasil"]).count("gagal") == 6


def test_an_admin_ends_a_lock_by_unlocking_or_resetting_the_password(con):
    """Five wrong passwords locked an account for 15 minutes, and nothing an administrator did ended it, not even a
    new password (review 12, M3): anyone could keep the only admin out."""
    accounts.add_user(con, OPERATOR, "admin", "admin", PW)
    accounts.add_user(con, OPERATOR, "budi", "analis", PW)
    clock = FakeClock()

    def lock():
        for _ in range(5):
            with pytest.raises(SignInError):
                accounts.sign_in(con, "budi", "salah-salah-salah", clock=clock)
        assert accounts.locked_until(con, "budi", clock()) is not None

    lock()
    accounts.unlock(con, User("admin", "Admin", "admin"), "budi", clock=clock)
    assert accounts.locked_until(con, "budi", clock()) is None
    with pytest.raises(SignInError, match="salah"):         # the next failure counts from one: no lock
        accounts.sign_in(con, "budi", "salah-salah-salah", clock=clock)
    assert accounts.sign_in(con, "budi", PW, clock=clock).username == "budi"
    clock.tick(minutes=1)
    lock()
    accounts.set_password(con, OPERATOR, "budi", PW + "-baru")
    assert accounts.sign_in(con, "budi", PW + "-baru", clock=clock).username == "budi"
    row = _audit_rows(con, "user_unlock").iloc[0]
    assert (row["pengguna"], row["objek"], row["hasil"]) == ("admin", "budi", "berhasil")
    assert '"gagal": 5' in row["rincian"]


def test_parallel_attempts_cannot_outrun_the_lockout(con):
    """Review 8, D4: 15 sessions submitting at once all had their password checked (15 'kata sandi salah' rows)
    where the limit is 5. Attempts on one name now run one after another: five checks, then the lock."""
    from concurrent.futures import ThreadPoolExecutor

    accounts.add_user(con, OPERATOR, "pimpinan", "pimpinan", PW)

    def attempt(i):
        try:
            accounts.sign_in(con, "pimpinan", f"tebakan-ke-{i:02d}")
        except SignInError as exc:
            return "dikunci" in str(exc)
    with ThreadPoolExecutor(15) as pool:
        list(pool.map(attempt, range(15)))
    why = list(_audit_rows(con, "login")["rincian"])
    assert sum("kata sandi salah" in str(d) for d in why) == 5, why
    assert sum("terkunci" in str(d) for d in why) == 10


def test_a_very_long_name_is_cut_in_the_audit_log(con):
    """Review 8, D10: the login form wrote a 20.000-character name into the audit log in full."""
    with pytest.raises(SignInError):
        accounts.sign_in(con, "x" * 20_000, PW)
    assert _audit_rows(con, "login")["objek"].str.len().max() <= 101


def test_failures_spread_over_more_than_the_window_or_before_a_success_do_not_lock(con):
    accounts.add_user(con, OPERATOR, "budi", "analis", PW)
    clock = FakeClock()
    for _ in range(8):                                  # one every 4 minutes: never 5 within 15 minutes
        with pytest.raises(SignInError, match="salah"):
            accounts.sign_in(con, "budi", "salah-salah-salah", clock=clock)
        clock.tick(minutes=4)
    clock.tick(minutes=15)
    for _ in range(4):
        with pytest.raises(SignInError, match="salah"):
            accounts.sign_in(con, "budi", "salah-salah-salah", clock=clock)
    accounts.sign_in(con, "budi", PW, clock=clock)      # a success resets the count
    with pytest.raises(SignInError, match="salah"):
        accounts.sign_in(con, "budi", "salah-salah-salah", clock=clock)


def test_lock_settings_are_honoured_and_unknown_names_lock_too(con):
    clock = FakeClock()
    for _ in range(2):
        with pytest.raises(SignInError, match="salah"):
            accounts.sign_in(con, "hantu", "apa-saja-apa-saja", max_failures=3, lock_minutes=2, clock=clock)
    with pytest.raises(SignInError, match="dikunci sampai 09.02"):
        accounts.sign_in(con, "hantu", "apa-saja-apa-saja", max_failures=3, lock_minutes=2, clock=clock)


@pytest.mark.parametrize("idle, expired", [(dt.timedelta(minutes=30), False),
                                           (dt.timedelta(minutes=30, seconds=1), True)])
def test_idle_session_expiry_boundary(idle, expired):
    assert accounts.session_expired(T0, T0 + idle, 30) is expired
    assert accounts.session_expired(None, T0 + idle, 30) is False


ADMIN = User("root", "Root", "admin")


@pytest.mark.parametrize("action, call, ok", [
    ("user_add", lambda c: accounts.add_user(c, ADMIN, "baru", "tamu", PW), True),
    ("user_add", lambda c: accounts.add_user(c, ADMIN, "ani", "tamu", PW), False),          # taken
    ("user_add", lambda c: accounts.add_user(c, ADMIN, "baru", "raja", PW), False),         # unknown role
    ("user_add", lambda c: accounts.add_user(c, ADMIN, "baru", "opd", PW), False),          # opd without OPD
    ("user_add", lambda c: accounts.add_user(c, ADMIN, "baru", "tamu", SHORT), False),   # short password
    ("user_add", lambda c: accounts.add_user(c, User("x", "X", "analis"), "baru", "tamu", PW), False),  # no right
    ("user_disable", lambda c: accounts.disable_user(c, ADMIN, "ani"), True),
    ("user_disable", lambda c: accounts.disable_user(c, ADMIN, "tidakada"), False),
    ("user_disable", lambda c: accounts.disable_user(c, ADMIN, "admin"), False),            # the last admin
    ("user_enable", lambda c: accounts.enable_user(c, ADMIN, "ani"), True),
    ("user_passwd", lambda c: accounts.set_password(c, ADMIN, "ani", PW + "2"), True),
    ("user_passwd", lambda c: accounts.set_password(c, ADMIN, "ani", SHORT), False),
    ("user_unlock", lambda c: accounts.unlock(c, ADMIN, "ani"), True),
    ("user_unlock", lambda c: accounts.unlock(c, ADMIN, "tidakada"), False),
    ("user_unlock", lambda c: accounts.unlock(c, User("x", "X", "analis"), "ani"), False),    # no right
    ("user_role", lambda c: accounts.change_role(c, ADMIN, "ani", "opd", opd=["Dinas Kesehatan"]), True),
    ("user_role", lambda c: accounts.change_role(c, ADMIN, "ani", "opd"), False),
    ("user_role", lambda c: accounts.change_role(c, ADMIN, "admin", "tamu"), False),         # the last admin
])
def test_every_user_change_leaves_exactly_one_audit_row(con, action, call, ok):
    accounts.add_user(con, OPERATOR, "admin", "admin", PW)
    accounts.add_user(con, OPERATOR, "ani", "analis", PW)
    before_users, before = accounts.list_users(con), len(_audit_rows(con))
    if ok:
        call(con)
    else:
        with pytest.raises((UsageError, AccessDenied)):
            call(con)
        assert accounts.list_users(con) == before_users               # a refused change changes nothing
    log = _audit_rows(con)
    assert len(log) == before + 1
    row = log.iloc[0]
    assert (row["aksi"], row["hasil"]) == (action, "berhasil" if ok else "gagal")
    assert PW not in log.to_csv() and SHORT not in log.to_csv()


def test_role_change_takes_effect_and_disabled_account_is_not_active(con):
    accounts.add_user(con, OPERATOR, "ani", "analis", PW, instansi=["Pemerintah Kota Palembang"])
    accounts.change_role(con, OPERATOR, "ani", "opd", instansi=["Pemerintah Kota Palembang"], opd=["Inspektorat"])
    assert accounts.active_user(con, "ani") == User("ani", "ani", "opd", ("Pemerintah Kota Palembang",),
                                                    ("Inspektorat",))
    import json
    row = json.loads(_audit_rows(con, "user_role").iloc[0]["rincian"])      # what it replaced, too (review 12, L6)
    assert (row["peran"], row["opd"], row["peran_sebelumnya"], row["opd_sebelumnya"]) == (
        "opd", ["Inspektorat"], "analis", [])
    accounts.disable_user(con, OPERATOR, "ani")
    assert accounts.active_user(con, "ani") is None


def test_scope_for_follows_the_contract():
    opd = User("o", "O", "opd", ("Kota A",), ("Dinas Kesehatan",))
    assert access.scope_for(opd, presentation=False, min_group=5) == Scope(
        opd=frozenset({"Dinas Kesehatan"}), instansi=frozenset({"Kota A"}), mask_identity=False, min_group=0,
        may_unmask=True)
    assert access.scope_for(opd, presentation=True, min_group=5).min_group == 5
    tamu = access.scope_for(User("t", "T", "tamu"), presentation=False, min_group=5)
    assert (tamu.opd, tamu.mask_identity, tamu.min_group, tamu.may_unmask) == (None, True, 5, False)
    with pytest.raises(AccessDenied):
        tamu.unmasked()
    admin = access.scope_for(ADMIN, presentation=True, min_group=5)
    assert admin.unmasked() == Scope()


def test_a_file_is_masked_unless_identities_are_asked_for_and_allowed():
    """access.export_scope: the one rule the Ekspor page and the CLI's export build a file's scope with."""
    opd = access.scope_for(User("o", "O", "opd", ("Kota A",), ("Dinas Kesehatan",)), presentation=False, min_group=5)
    masked = access.export_scope(opd, min_group=7, unmasked=False)
    assert (masked.opd, masked.mask_identity, masked.min_group) == (frozenset({"Dinas Kesehatan"}), True, 7)
    shown = access.export_scope(opd, min_group=7, unmasked=True)
    assert (shown.opd, shown.mask_identity, shown.min_group) == (frozenset({"Dinas Kesehatan"}), False, 0)
    tamu = access.scope_for(User("t", "T", "tamu"), presentation=False, min_group=5)
    assert access.export_scope(tamu, min_group=3, unmasked=False).min_group == 5      # never less than its own
    with pytest.raises(AccessDenied):
        access.export_scope(tamu, min_group=5, unmasked=True)


@pytest.mark.parametrize("role, allowed, refused", [
    ("admin", ["users_manage", "audit_read", "backup", "ruleset_activate", "import"], []),
    ("analis", ["import", "undo", "ruleset_save", "export"], ["users_manage", "backup", "hipo_decide"]),
    ("komite", ["hipo_decide", "export"], ["import", "undo", "users_manage"]),
    ("pimpinan", ["export"], ["import", "hipo_decide", "users_manage"]),
    ("opd", ["export"], ["import", "undo", "users_manage", "audit_read"]),
    ("tamu", [], ["export", "export_unmasked", "import", "hipo_decide"]),
])
def test_library_refuses_actions_outside_the_role(role, allowed, refused):
    user = User("u", "U", role)
    for action in allowed:
        access.require(user, action)
    for action in refused:
        with pytest.raises(AccessDenied, match=f"Pengguna u .*tidak berhak"):
            access.require(user, action)


def test_audit_query_filters_and_file_columns(con, tmp_path):
    for i, (who, what) in enumerate([("ani", "login"), ("budi", "login"), ("ani", "export")]):
        audit.record(con, who, "analis", what, "x", {"baris": i}, at=T0 + dt.timedelta(days=i))
    assert list(audit.query(con, user="ani")["aksi"]) == ["export", "login"]
    assert list(audit.query(con, since=(T0 + dt.timedelta(days=1)).date())["pengguna"]) == ["ani", "budi"]
    assert list(audit.query(con, until=T0.date())["pengguna"]) == ["ani"]
    out = audit.write(audit.query(con), tmp_path / "a.xlsx")
    import pandas as pd
    df = pd.read_excel(out, engine="calamine")
    assert list(df.columns) == ["waktu", "pengguna", "peran", "aksi", "objek", "rincian", "hasil"] and len(df) == 3


@pytest.mark.parametrize("who", [User("a", "A", "analis"), User("k", "K", "komite"), User("o", "O", "opd"),
                                 User("l", "L", "admin", opd=frozenset({"Dinas Kesehatan"}))])
def test_the_library_gives_the_log_and_the_accounts_only_to_an_unlimited_administrator(con, who):
    """The Pengguna page's reads go through ``actions``, which check the account: a page that forgot its own check
    would still show nothing (the log names every OPD's readers; the accounts list every OPD's limits)."""
    from talenta import actions

    accounts.add_user(con, OPERATOR, "ani", "admin", "kata-sandi-cukup-panjang-1")
    audit.record(con, "ani", "admin", "login", "x", {})
    admin = User("ani", "Ani", "admin")
    assert len(actions.audit_log(con, admin)) >= 2 and "login" in actions.audit_actions(con, admin)
    assert "ani" in [u["username"] for u in actions.users(con, admin)]
    assert actions.locked_until(con, admin, "ani", T0) is None
    for read in (lambda: actions.audit_log(con, who), lambda: actions.audit_actions(con, who),
                 lambda: actions.users(con, who), lambda: actions.locked_until(con, who, "ani", T0)):
        with pytest.raises(AccessDenied):
            read()


def test_no_code_path_updates_or_deletes_the_audit_log():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    hits = [str(p) for p in list((root / "talenta").rglob("*.py")) + list((root / "views").glob("*.py"))
            + [root / "app.py"]
            if re.search(r"(UPDATE|DELETE\s+FROM|TRUNCATE|DROP\s+TABLE)\s+audit_log", p.read_text(), re.I)]
    assert hits == []


@pytest.mark.parametrize("password, why", [
    (" " * 12, "terlalu pendek"),                       # review 8, D9: ten spaces were an admin's password
    ("  pendek9  ", "terlalu pendek"),                  # spaces at either end do not count
    ("aaaaaaaaaaaa", "mudah ditebak"),
    ("1212121212", "mudah ditebak"),
    ("Kepala-BudiSantoso-1", "nama pengguna"),          # holds the account's name
])
def test_a_weak_password_is_refused_with_its_reason(con, password, why):
    with pytest.raises(UsageError, match=why):
        accounts.add_user(con, OPERATOR, "budisantoso", "admin", password)
    accounts.add_user(con, OPERATOR, "budisantoso", "admin", PW)
    with pytest.raises(UsageError, match=why):
        accounts.set_password(con, OPERATOR, "budisantoso", password)
    assert accounts.sign_in(con, "budisantoso", PW).username == "budisantoso"      # the old one stands


def test_an_opd_limit_the_data_does_not_hold_is_refused(db_copy):
    """``user add baru --role opd --opd Nope`` made an account that silently saw nothing, while an unknown instansi
    was already refused for that reason (review 20c, 9)."""
    con = store.connect(db_copy)
    with pytest.raises(UsageError, match="OPD tidak ada dalam data pegawai: Dinas Kesehatn"):
        accounts.add_user(con, OPERATOR, "baru", "opd", "sandi-yang-panjang-1", opd=["Dinas Kesehatn"])
    assert accounts.get(con, "baru") is None
    accounts.add_user(con, OPERATOR, "baru", "opd", "sandi-yang-panjang-1", opd=["Dinas Kesehatan"])
