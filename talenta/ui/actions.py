"""The dashboard's writes: ``talenta.actions`` as the signed-in user, then stale cached reads discarded.

This is the one place that invalidates what a write makes stale; pages never call ``clear_caches``.
"""
from __future__ import annotations

import streamlit as st

from .. import accounts, actions, talentmap
from . import resources
from .queries import hipo_fit, hipo_result
from .resources import current_user


def clear_caches() -> None:
    """After an import, undo or calibration: every cached query result is stale (and the fitted high-potential
    model)."""
    st.cache_data.clear()
    hipo_result.clear()
    hipo_fit.clear()
    talentmap.forget_figures()      # keyed by the data version anyway; a write is a good moment to let go


def _user():
    user = current_user()
    if user is None:                       # app.py's gate runs first; this is a programming error
        raise RuntimeError("no signed-in user")
    return user


def _then_clear(result):
    clear_caches()
    return result


def import_one(path, **kw):
    """Import one file; a page importing several passes ``refresh=False`` and calls ``after_imports`` once."""
    return _then_clear(actions.import_one(resources.get_connection(), _user(), path,
                                          instansi=resources.get_settings().instansi, **kw))


def after_imports() -> None:
    """After a group of imports: build what the pages read (once for the group), then discard stale reads."""
    try:
        with st.spinner("Menyiapkan ringkasan untuk semua halaman…"):
            actions.refresh(resources.get_connection())
    finally:
        clear_caches()


def undo(batch: int, **kw):
    try:
        return actions.undo(resources.get_connection(), _user(), batch, **kw)
    finally:
        clear_caches()


def save_rule_set(rs, **kw):
    return _then_clear(actions.save_rule_set(resources.get_connection(), _user(), rs, **kw))


def activate_rule_set(rule_set_id: int):
    return _then_clear(actions.activate_rule_set(resources.get_connection(), _user(), rule_set_id))


def hipo_decision(nip: str, period: int, keputusan: str, catatan: str) -> None:
    actions.hipo_decision(resources.get_connection(), _user(), nip, period, keputusan, catatan)
    clear_caches()


def calibrate(scope, period: int, rs, nip: str, to_box: int, reason_code: str, reason: str, *,
              seen: int | None = None) -> dict:
    return _then_clear(actions.calibrate(resources.get_connection(), _user(), scope, period, rs, nip, to_box,
                                         reason_code, reason, seen=seen))


def close_calibration(instansi: str, period: int):
    return _then_clear(actions.close_calibration(resources.get_connection(), _user(), instansi, period))


def reopen_calibration(instansi: str, period: int, reason: str):
    return _then_clear(actions.reopen_calibration(resources.get_connection(), _user(), instansi, period, reason))


def add_calibration_participant(instansi: str, period: int, name: str) -> None:
    actions.add_calibration_participant(resources.get_connection(), _user(), instansi, period, name)
    clear_caches()


def export_berita_acara(scope, filters, instansi: str, rs) -> tuple[str, bytes]:
    return actions.export_berita_acara(resources.get_connection(), _user(), scope, filters, instansi, rs)


def succession_decision(post: str, nip: str, step: str, reason: str, **kw) -> int:
    """One succession workflow step as the signed-in user (see ``talenta.actions.succession_decision``)."""
    return _then_clear(actions.succession_decision(resources.get_connection(), _user(), post, nip, step, reason, **kw))


# --- accounts (Pengguna). ``talenta.accounts`` checks the permission and writes the audit row; nothing cached
# depends on an account (each run reads the signed-in account again: ``auth.current_user``), so nothing is cleared.

def add_user(username: str, role: str, password: str, **kw) -> None:
    accounts.add_user(resources.get_connection(), _user(), username, role, password, **kw)


def change_role(username: str, role: str, **kw) -> None:
    accounts.change_role(resources.get_connection(), _user(), username, role, **kw)


def set_password(username: str, password: str) -> None:
    accounts.set_password(resources.get_connection(), _user(), username, password)


def unlock(username: str) -> None:
    accounts.unlock(resources.get_connection(), _user(), username)


def users() -> list[dict]:
    return actions.users(resources.get_connection(), _user())


def locked_until(username: str, now):
    return actions.locked_until(resources.get_connection(), _user(), username, now)


def audit_log(*, since=None, until=None, who=None, action=None):
    return actions.audit_log(resources.get_connection(), _user(), since=since, until=until, who=who, action=action)


def audit_actions() -> list[str]:
    return actions.audit_actions(resources.get_connection(), _user())


def disable_user(username: str) -> None:
    accounts.disable_user(resources.get_connection(), _user(), username)


def enable_user(username: str) -> None:
    accounts.enable_user(resources.get_connection(), _user(), username)


def backup_now():
    return actions.backup_now(resources.get_connection(), _user(), resources.get_settings().backup_dir)


def made_for(scope, filters, rs, *extra) -> tuple:
    """What a built file depends on: the account, its scope and masking, the filters, the period, the rule values,
    the data and the period's calibration events. A page offers a file it built earlier (kept in the session)
    only while this is unchanged: after identities are switched off, a filter changes or a session is closed,
    the old file (perhaps unmasked, perhaps of other people) is not offered again (review 9, 3)."""
    from .. import population

    period = filters.need_period()
    con = resources.get_connection()
    return (_user().username, repr(scope), repr(filters), period, rs.to_json(), population.data_version(con),
            population.calibration_stamp(con, period), *extra)


def export_file(kind: str, scope, filters, rs):
    """(file name, bytes) of the deck or workbook for ``scope``, audited as the signed-in user."""
    s = resources.get_settings()
    return actions.export_file(resources.get_connection(), _user(), scope, kind, s.instansi, filters, rs,
                               hipo_params=s.hipo_params())


def download_button(where, label: str, frame, kind: str, what: str, file_name: str, *, key: str,
                    sheet: str | None = None, **kw) -> None:
    """A download of a list of people (CSV/XLSX) with Indonesian headers (``labels.relabel``).

    The file is built when clicked, in Streamlit's worker thread, and building it leaves one audit row for the
    signed-in user (what, which filters, how many rows): the user, the connection and the filters are taken
    here, in the script run. The click starts no rerun (``on_click="ignore"``): a rerun registers the button's
    file again under a new id and may drop the id the browser has just asked for before it is served, and the
    download then never comes (a clean-clone CI run saw it). ``frame`` is a frame or a callable returning one
    (called then: a list longer than the screen's is read only when asked for)."""
    from .. import export_safe, labels

    if not callable(frame) and frame.empty:      # nothing to download (a masked or empty list): no button
        return

    def build() -> tuple[bytes, dict]:
        df = frame() if callable(frame) else frame
        df = labels.relabel(df)
        return (export_safe.to_bytes(df, kind, sheet) if sheet else export_safe.to_bytes(df, kind)), {"baris": len(df)}

    audited_file(where, label, build, kind, what, file_name, key=key, **kw)


def audited_file(where, label: str, build, kind: str, what: str, file_name: str, *, key: str, **kw) -> None:
    """A download button whose file ``build()`` (-> bytes, details for the audit row) makes when clicked, for the
    account as it still is then, leaving one ``download`` audit row (what, format, filters with the account's
    limits, and the details); see ``download_button``. Every download of personal data goes through here (review
    8, D8: the profile's files and the audit log left no row)."""
    from .. import accounts, audit
    from ..errors import AccessDenied
    from .auth import STAMP_KEY
    from .filters import current_filters

    con, user = resources.get_connection(), _user()
    # the filters as the page's header says them, the account's limits included (review 8, D7)
    described = current_filters().describe(resources.current_scope())
    stamp = st.session_state.get(STAMP_KEY)             # the password signed in with

    def data() -> bytes:
        # The click runs no script, so the sign-in check of the next run does not guard it (review 8, D1: a
        # disabled account downloaded 13.529 named rows): the account is read again here.
        now, now_stamp = accounts.active_with_stamp(con, user.username)
        if now != user or (stamp is not None and stamp != now_stamp):
            audit.record(con, user, None, "download", what, {"format": kind, "filter": described,
                                                             "sebab": "akun nonaktif atau berubah"}, audit.FAILED)
            raise AccessDenied("Akun ini dinonaktifkan atau hak aksesnya diubah; berkas tidak dibuat. Muat ulang "
                               "halaman dan masuk lagi.")
        body, details = build()
        actions.record_read(con, user, what, {"format": kind, **details, "filter": described})
        return body

    where.download_button(label, data, file_name, key=key, on_click="ignore", **kw)


def read_profile(scope, nip: str, period: int, rs, **kw):
    """The profile of ``nip``; the first view of each (nip, period) in a session leaves one audit row."""
    seen = st.session_state.setdefault("_profil_dicatat", set())
    first = (nip, period) not in seen
    prof = actions.read_profile(resources.get_connection(), _user(), scope, nip, period, rs, audit_it=first, **kw)
    seen.add((nip, period))
    return prof
