"""Accounts: argon2id password hashes, sign-in with lockout, user management (each change audited).

Passwords are hashed with argon2id (``argon2-cffi``); the clear text is never stored, logged or put in
an error message. Time comes from an injectable ``clock`` (a function returning a naive local
``datetime``) so that lockout and idle expiry are testable without waiting.
"""
from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Callable, Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from . import audit, store
from .access import ROLES, User, require
from .errors import SignInError, TalentaError, UsageError

MIN_PASSWORD = 10
WRONG = "Nama pengguna atau kata sandi salah."
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
_HASHER = PasswordHasher()          # argon2id with the library's recommended (RFC 9106 low-memory) parameters
_DUMMY_HASH = _HASHER.hash("tidak-dipakai-untuk-masuk")   # equal work for unknown usernames
Clock = Callable[[], dt.datetime]
# account writes in one process run one after another: two sessions signing in as the same user at once
# would otherwise both update its row and DuckDB would refuse one ("Conflict on update")
_WRITE_LOCK = threading.Lock()
# One sign-in per username at a time (check the lock, verify, record): parallel attempts from many sessions
# otherwise all passed the lock check before any failure was written, and 15 passwords were tried where the
# limit is 5 (review 8, D4). A fixed set of locks chosen by the name's hash: bounded whatever names are tried.
_SIGN_IN_LOCKS = tuple(threading.Lock() for _ in range(64))
# a name as long as this is kept in full in the audit log; a longer one (no account has one) is cut
_AUDIT_NAME_MAX = 100


def hash_password(password: str, username: str = "") -> str:
    """An argon2id hash of ``password`` after checking it (``check_password``)."""
    check_password(password, username)
    return _HASHER.hash(password)


MIN_DISTINCT = 5


def check_password(password: str, username: str = "") -> None:
    """At least ``MIN_PASSWORD`` characters not counting spaces at either end, at least ``MIN_DISTINCT`` different
    characters, and not containing the account's name (review 8, D9: ten spaces were accepted for an admin)."""
    core = password.strip()
    if len(core) < MIN_PASSWORD:
        raise UsageError(f"Kata sandi terlalu pendek: {len(core)} karakter selain spasi di awal dan akhir, minimal "
                         f"{MIN_PASSWORD}.")
    if len(set(core)) < MIN_DISTINCT:
        raise UsageError(f"Kata sandi terlalu mudah ditebak: hanya {len(set(core))} karakter berbeda, minimal "
                         f"{MIN_DISTINCT}.")
    name = normalise_username(username) if username else ""
    if len(name) >= 3 and name in core.lower():
        raise UsageError("Kata sandi tidak boleh memuat nama pengguna.")


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def _check_username(username: str) -> str:
    u = normalise_username(username)
    if not USERNAME_RE.match(u):
        raise UsageError(f"Nama pengguna '{username}' tidak sah: 2-64 karakter huruf kecil, angka, titik, "
                         "garis bawah, @ atau tanda hubung, diawali huruf atau angka.")
    return u


def _check_role(role: str, opd: tuple[str, ...]) -> None:
    if role not in ROLES:
        raise UsageError(f"Peran '{role}' tidak dikenal; pilih salah satu: {', '.join(ROLES)}.")
    if role == "opd" and not opd:
        raise UsageError("Peran opd wajib dibatasi ke minimal satu OPD (--opd NAMA).")


def _check_limits(tx, inst: tuple[str, ...], opds: tuple[str, ...]) -> None:
    """Limits that name the data (review 11): an instansi or an OPD the employee data does not hold is refused (a
    typo gave an account that silently saw nothing), and an OPD named by several instansi needs its instansi (the account
    read the health offices of four governments as one). Before any employee is imported, anything goes."""
    have = {r[0]: r[1] for r in tx.execute("SELECT instansi, list(DISTINCT opd) FROM employee GROUP BY ALL").fetchall()}
    if not have:
        return
    unknown = [i for i in inst if i not in have]
    if unknown:
        known = sorted(have)
        raise UsageError(f"Instansi tidak ada dalam data pegawai: {', '.join(unknown)}. Instansi yang ada: "
                         f"{', '.join(known[:10])}{' …' if len(known) > 10 else ''}.")
    within = {o for i, names in have.items() if not inst or i in inst for o in names}
    missing = [o for o in opds if o not in within]
    if missing:             # the same typo for an OPD: an account that silently saw nothing (review 20c, 9)
        near = sorted(within)
        raise UsageError(f"OPD tidak ada dalam data pegawai{' instansi itu' if inst else ''}: {', '.join(missing)}. "
                         f"OPD yang ada: {', '.join(near[:10])}{' …' if len(near) > 10 else ''}.")
    if opds and not inst:
        shared = {o: sorted(i for i, names in have.items() if o in names) for o in opds}
        shared = {o: i for o, i in shared.items() if len(i) > 1}
        if shared:
            o, where = next(iter(shared.items()))
            raise UsageError(f"OPD '{o}' ada di {len(where)} instansi ({', '.join(where[:5])}"
                             f"{' …' if len(where) > 5 else ''}); sebutkan instansinya (--instansi NAMA, atau "
                             "'Batasi ke instansi') agar akun hanya melihat OPD instansi itu.")


def _clean(values: Iterable[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in (values or ()) if v and v.strip()))


# --- reading -------------------------------------------------------------------------------------

_SELECT = "SELECT username, display_name, role, instansi, opd, email, active, created_at, last_login FROM app_user"


def _row_dict(row) -> dict:
    keys = ["username", "name", "role", "instansi", "opd", "email", "active", "created_at", "last_login"]
    d = dict(zip(keys, row))
    d["instansi"], d["opd"] = tuple(d["instansi"] or ()), tuple(d["opd"] or ())
    return d


def get(con, username: str) -> dict | None:
    """The account ``username`` as a dict (no password hash), or None."""
    row = store.query_one(con, _SELECT + " WHERE username = ?", [normalise_username(username)])
    return _row_dict(row) if row else None


def _user(d: dict) -> User:
    return User(d["username"], d["name"], d["role"], d["instansi"], d["opd"])


def active_user(con, username: str) -> User | None:
    """The ``User`` of an active account (the dashboard re-reads it on every run), else None."""
    d = get(con, username)
    return _user(d) if d and d["active"] else None


def user_for_email(con, email: str) -> User | None:
    """The active account whose e-mail matches (single sign-on), else None."""
    row = store.query_one(con, _SELECT + " WHERE lower(email) = ? AND active",
                          [(email or "").strip().lower()])
    return _user(_row_dict(row)) if row else None


def list_users(con) -> list[dict]:
    """Every account (no password hash), by username."""
    cur = con.cursor()
    return [_row_dict(r) for r in cur.execute(_SELECT + " ORDER BY username").fetchall()]


def any_accounts(con) -> bool:
    return bool(store.query_one(con, "SELECT count(*) FROM app_user")[0])


# --- management (each call leaves exactly one audit row, 'gagal' when refused) --------------------

# account changes after which the tables published to masked views are built for the account's limits
_REPUBLISH = ("user_add", "user_enable", "user_role")


def _managed(con, actor: User, action: str, obj: str, details: dict, work: Callable) -> None:
    try:
        require(actor, "users_manage")
        with _WRITE_LOCK, store.transaction(con) as tx:
            work(tx)
            audit.insert(tx, actor, None, action, obj, details)
    except TalentaError as exc:
        audit.record(con, actor, None, action, obj, {**details, "alasan": str(exc)}, audit.FAILED)
        raise
    if action in _REPUBLISH:
        from . import derived

        derived.refresh(con, derived.PUBLISHED)       # (a failure is logged; readers then suppress at read time)


def _existing(tx, username: str) -> tuple:
    row = tx.execute("SELECT role, active FROM app_user WHERE username = ?", [username]).fetchone()
    if row is None:
        raise UsageError(f"Pengguna '{username}' tidak ada.")
    return row


def _keep_an_admin(tx, username: str) -> None:
    others = tx.execute("SELECT count(*) FROM app_user WHERE role = 'admin' AND active AND username <> ?",
                        [username]).fetchone()[0]
    if not others:
        raise UsageError(f"'{username}' adalah admin aktif terakhir; tambahkan admin lain lebih dulu.")


def add_user(con, actor: User, username: str, role: str, password: str, *, name: str | None = None,
             instansi: Iterable[str] = (), opd: Iterable[str] = (), email: str | None = None,
             clock: Clock = store.now) -> User:
    """Create an account. Raises ``UsageError`` for a taken or invalid username, an unknown role, an
    ``opd`` role without OPD, or a password under 10 characters."""
    inst, opds = _clean(instansi), _clean(opd)
    details = {"peran": role, "instansi": list(inst), "opd": list(opds)}
    user: list[User] = []

    def work(tx):
        u = _check_username(username)
        _check_role(role, opds)
        _check_limits(tx, inst, opds)
        if tx.execute("SELECT 1 FROM app_user WHERE username = ?", [u]).fetchone():
            raise UsageError(f"Nama pengguna '{u}' sudah dipakai.")
        tx.execute("INSERT INTO app_user VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, NULL)",
                   [u, (name or "").strip() or u, role, list(inst), list(opds),
                    (email or "").strip().lower() or None, hash_password(password, u), clock()])
        user.append(User(u, (name or "").strip() or u, role, inst, opds))

    _managed(con, actor, "user_add", normalise_username(username), details, work)
    return user[0]


def disable_user(con, actor: User, username: str) -> None:
    """Disable an account: it can no longer sign in, and an open session ends on its next click."""
    u = normalise_username(username)

    def work(tx):
        role, _ = _existing(tx, u)
        if role == "admin":
            _keep_an_admin(tx, u)
        tx.execute("UPDATE app_user SET active = FALSE WHERE username = ?", [u])

    _managed(con, actor, "user_disable", u, {}, work)


def enable_user(con, actor: User, username: str) -> None:
    """Re-enable a disabled account."""
    u = normalise_username(username)

    def work(tx):
        _existing(tx, u)
        tx.execute("UPDATE app_user SET active = TRUE WHERE username = ?", [u])

    _managed(con, actor, "user_enable", u, {}, work)


def set_password(con, actor: User, username: str, password: str) -> None:
    """Reset an account's password (at least 10 characters). It also ends a lock from failed sign-ins: the failures
    were against the old password (a reset left the account locked; review 12, M3)."""
    u = normalise_username(username)

    def work(tx):
        _existing(tx, u)
        tx.execute("UPDATE app_user SET password_hash = ? WHERE username = ?", [hash_password(password, u), u])
        tx.execute("DELETE FROM login_failure WHERE username = ?", [u])

    _managed(con, actor, "user_passwd", u, {}, work)


def unlock(con, actor: User, username: str, clock: Clock = store.now) -> None:
    """End the lock on an account from failed sign-ins, and forget those failures (they stay in the audit log), so
    the next wrong password counts from one. An administrator's answer to "hubungi administrator"; the only admin
    could be kept out by anyone sending five wrong passwords every 15 minutes (review 12, M3)."""
    u = normalise_username(username)
    details: dict = {}

    def work(tx):
        _existing(tx, u)
        row = tx.execute("SELECT count(*), max(locked_until) FROM login_failure WHERE username = ?", [u]).fetchone()
        details.update({"gagal": int(row[0]), "terkunci_sampai": row[1] if row[1] and row[1] > clock() else None})
        tx.execute("DELETE FROM login_failure WHERE username = ?", [u])

    _managed(con, actor, "user_unlock", u, details, work)


def change_role(con, actor: User, username: str, role: str, *, instansi: Iterable[str] = (),
                opd: Iterable[str] = ()) -> None:
    """Set an account's role and its instansi/OPD limits (empty: no limit)."""
    u, inst, opds = normalise_username(username), _clean(instansi), _clean(opd)

    details = {"peran": role, "instansi": list(inst), "opd": list(opds)}

    def work(tx):
        old_role, _ = _existing(tx, u)
        before = tx.execute("SELECT instansi, opd FROM app_user WHERE username = ?", [u]).fetchone()
        # what the change replaced, in its audit row (review 12, L6: only the new role was kept)
        details.update({"peran_sebelumnya": old_role, "instansi_sebelumnya": list(before[0] or []),
                        "opd_sebelumnya": list(before[1] or [])})
        _check_role(role, opds)
        _check_limits(tx, inst, opds)
        if old_role == "admin" and role != "admin":
            _keep_an_admin(tx, u)
        tx.execute("UPDATE app_user SET role = ?, instansi = ?, opd = ? WHERE username = ?",
                   [role, list(inst), list(opds), u])

    _managed(con, actor, "user_role", u, details, work)


# --- sign-in -------------------------------------------------------------------------------------

def locked_until(con, username: str, now: dt.datetime) -> dt.datetime | None:
    """When the lock on ``username`` ends, if it is locked at ``now``."""
    row = store.query_one(con, "SELECT max(locked_until) FROM login_failure WHERE username = ? AND locked_until > ?",
                          [normalise_username(username), now])
    return row[0] if row else None


def sign_in(con, username: str, password: str, *, max_failures: int = 5, lock_minutes: int = 15,
            clock: Clock = store.now) -> User:
    """Check a username and password; return the ``User`` or raise ``SignInError``.

    An unknown username, a wrong password and a disabled account get the same message. The
    ``max_failures``-th failure within ``lock_minutes`` (counted since the last successful sign-in)
    locks the username for ``lock_minutes``; while locked even the right password is refused.
    Every attempt leaves an audit row ('login', and 'lockout' when a lock starts).
    """
    u = normalise_username(username)
    if len(u) > _AUDIT_NAME_MAX:        # never an account (USERNAME_RE): the audit keeps its head (review 8, D10)
        u = u[:_AUDIT_NAME_MAX] + "…"
    with _SIGN_IN_LOCKS[hash(u) % len(_SIGN_IN_LOCKS)]:
        return _sign_in(con, u, password, max_failures, lock_minutes, clock())


def _sign_in(con, u: str, password: str, max_failures: int, lock_minutes: int, now: dt.datetime) -> User:
    until = locked_until(con, u, now)
    if until is not None:
        audit.record(con, u, None, "login", u, {"sebab": "terkunci", "sampai": until}, audit.FAILED, at=now)
        raise SignInError(_locked_message(until))
    row = store.query_one(con, "SELECT role, active, password_hash, last_login FROM app_user WHERE username = ?", [u])
    if row is None:
        _verify(_DUMMY_HASH, password)
        why = "pengguna tidak dikenal"
    elif not _verify(row[2], password):
        why = "kata sandi salah"
    elif not row[1]:
        why = "akun nonaktif"
    else:
        with _WRITE_LOCK, store.transaction(con) as tx:
            tx.execute("UPDATE app_user SET last_login = ? WHERE username = ?", [now, u])
            audit.insert(tx, u, row[0], "login", u, {}, at=now)
        return active_user(con, u)
    role, last_login = (row[0], row[3]) if row else (None, None)
    window_start = max(now - dt.timedelta(minutes=lock_minutes), last_login or dt.datetime.min)
    earlier = store.query_one(con, "SELECT count(*) FROM login_failure WHERE username = ? AND failed_at > ?",
                              [u, window_start])[0]
    lock = now + dt.timedelta(minutes=lock_minutes) if earlier + 1 >= max_failures else None
    with _WRITE_LOCK, store.transaction(con) as tx:
        tx.execute("INSERT INTO login_failure VALUES (?, ?, ?)", [u, now, lock])
        audit.insert(tx, u, role, "login", u, {"sebab": why}, audit.FAILED, at=now)
        if lock:
            audit.insert(tx, u, role, "lockout", u, {"gagal": earlier + 1, "sampai": lock}, audit.FAILED, at=now)
    raise SignInError(_locked_message(lock) if lock else WRONG)


def _locked_message(until: dt.datetime) -> str:
    return (f"Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini; dikunci sampai "
            f"{until:%H.%M}. Coba lagi setelah itu atau hubungi administrator.")


def _stamp(password_hash: str) -> str:
    import hashlib

    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def credential_stamp(con, username: str) -> str | None:
    """A short fingerprint of the account's password hash (None: no such account). A session keeps the one it
    signed in with; a password reset changes it and ends the sessions signed in with the old password (review 8,
    D6). The hash itself never leaves this module."""
    return active_with_stamp(con, username)[1]


def active_with_stamp(con, username: str) -> tuple[User | None, str | None]:
    """``active_user`` and ``credential_stamp`` in one read (every run of a signed-in page asks for both)."""
    row = store.query_one(con, _SELECT.replace(" FROM", ", password_hash FROM", 1) + " WHERE username = ?",
                          [normalise_username(username)])
    if row is None:
        return None, None
    d = _row_dict(row[:-1])
    return (_user(d) if d["active"] else None), _stamp(row[-1])


def sign_out(con, user: User, reason: str | None = None) -> None:
    """Record the end of a session (the dashboard clears its own state)."""
    audit.record(con, user, None, "logout", user.username, {"sebab": reason} if reason else {})


def session_expired(last_seen: dt.datetime | None, now: dt.datetime, idle_minutes: int) -> bool:
    """Whether a session last active at ``last_seen`` has been idle longer than ``idle_minutes``."""
    return last_seen is not None and now - last_seen > dt.timedelta(minutes=idle_minutes)


# --- demo marker ---------------------------------------------------------------------------------

def mark_demo(con) -> None:
    """Mark the database as the synthetic demo (the login page then shows the demo password)."""
    with store.transaction(con) as tx:
        tx.execute("INSERT OR REPLACE INTO app_meta VALUES ('demo', 'ya')")


def is_demo(con) -> bool:
    row = store.query_one(con, "SELECT value FROM app_meta WHERE key = 'demo'")
    return bool(row and row[0] == "ya")
