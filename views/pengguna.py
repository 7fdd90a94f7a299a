"""Pengguna (admin only): add, disable, reset passwords, change roles and limits; the audit log with download."""
import datetime as dt

import pandas as pd
import streamlit as st

from talenta import access, accounts, export_safe, labels
from talenta.errors import TalentaError
from talenta.ui import actions, auth, fmt, queries, resources, tables

user = auth.current_user()
st.title("Pengguna dan log audit")
try:
    access.require(user, "users_manage")
except TalentaError as exc:
    st.error(str(exc))
    st.stop()

ROLE_LABELS = {k: f"{k} · {v.label}" for k, v in access.ROLES.items()}
options = queries.filter_options(resources.current_scope())


def run(action, done: str) -> None:
    """Run one user-management call (the library writes its audit row either way); on success redraw the
    page so the table shows the change."""
    try:
        action()
    except TalentaError as exc:
        st.error(auth.plain(exc))
    else:
        st.session_state["usr_done"] = done
        st.rerun()


def limits_inputs(prefix: str, current: dict | None = None):
    inst = st.multiselect("Batasi ke instansi (kosong: semua)", options=sorted(set(options.get("instansi", []))
                          | set(current["instansi"] if current else ())),
                          default=list(current["instansi"]) if current else [], key=f"{prefix}_instansi")
    opd = st.multiselect("Batasi ke OPD (kosong: semua; wajib untuk peran opd)",
                         options=sorted(set(options.get("opd", [])) | set(current["opd"] if current else ())),
                         default=list(current["opd"]) if current else [], key=f"{prefix}_opd")
    return inst, opd


tab_users, tab_log = st.tabs(["Pengguna", "Log audit"])
with tab_users:
    if done := st.session_state.pop("usr_done", None):
        st.success(done)
    users = actions.users()
    table = pd.DataFrame([{"Nama pengguna": u["username"], "Nama": u["name"], "Peran": ROLE_LABELS[u["role"]],
                           "Instansi": ", ".join(u["instansi"]) or "semua", "OPD": ", ".join(u["opd"]) or "semua",
                           "Aktif": bool(u["active"]), "Terakhir masuk": fmt.date(u["last_login"], with_time=True) if u["last_login"] else "–"} for u in users])
    st.dataframe(table, hide_index=True, width="stretch")

    with st.expander("Tambah pengguna"), st.form("usr_add", clear_on_submit=True):
        username = st.text_input("Nama pengguna", key="usr_add_username")
        name = st.text_input("Nama tampilan", key="usr_add_name")
        role = st.selectbox("Peran", list(access.ROLES), format_func=ROLE_LABELS.get, key="usr_add_role")
        inst, opd = limits_inputs("usr_add")
        password = st.text_input(f"Kata sandi (minimal {accounts.MIN_PASSWORD} karakter)", type="password",
                                 key="usr_add_password")
        if st.form_submit_button("Tambah", type="primary"):
            run(lambda: actions.add_user(username, role, password, name=name, instansi=inst, opd=opd),
                f"Akun {auth.plain(username)} dibuat.")

    names = [u["username"] for u in users]
    pick = st.selectbox("Ubah pengguna", names, index=None, placeholder="Pilih nama pengguna", key="usr_pick")
    if pick:
        current = next(u for u in users if u["username"] == pick)
        with st.form("usr_role"):
            role = st.selectbox("Peran", list(access.ROLES), index=list(access.ROLES).index(current["role"]),
                                format_func=ROLE_LABELS.get, key="usr_role_role")
            inst, opd = limits_inputs("usr_role", current)
            if st.form_submit_button("Simpan peran dan batas"):
                run(lambda: actions.change_role(pick, role, instansi=inst, opd=opd),
                    f"Peran dan batas {auth.plain(pick)} disimpan.")
        with st.form("usr_passwd", clear_on_submit=True):
            password = st.text_input("Kata sandi baru", type="password", key="usr_passwd_password")
            if st.form_submit_button("Atur ulang kata sandi"):
                run(lambda: actions.set_password(pick, password), f"Kata sandi {auth.plain(pick)} diganti.")
        if until := actions.locked_until(pick, auth.clock()):
            st.warning(f"Akun {auth.plain(pick)} terkunci sampai {fmt.date(until, with_time=True)} karena gagal masuk "
                       "berulang.")
            if st.button("Buka kunci", key="usr_unlock"):
                run(lambda: actions.unlock(pick), f"Kunci akun {auth.plain(pick)} dibuka.")
        if current["active"]:
            if st.button("Nonaktifkan akun", key="usr_disable"):
                run(lambda: actions.disable_user(pick), f"Akun {auth.plain(pick)} dinonaktifkan.")
        elif st.button("Aktifkan kembali", key="usr_enable"):
            run(lambda: actions.enable_user(pick), f"Akun {auth.plain(pick)} diaktifkan kembali.")


def audit_tab() -> None:
    """The log with its filters and downloads; the library refuses it to an account without ``audit_read``."""
    today = auth.clock().date()
    try:
        kinds = actions.audit_actions()
    except TalentaError as exc:
        st.error(auth.plain(exc))
        return
    c1, c2, c3 = st.columns([2, 1, 1])
    period = c1.date_input("Rentang tanggal", value=(today - dt.timedelta(days=30), today), key="aud_dates")
    who = c2.selectbox("Pengguna", names, index=None, placeholder="Semua", key="aud_user")
    what = c3.selectbox("Aksi", kinds, index=None, placeholder="Semua", key="aud_action")
    since, until = (tuple(period) + (None, None))[:2] if isinstance(period, (tuple, list)) else (period, period)
    log = actions.audit_log(since=since, until=until or since, who=who, action=what)
    st.caption(f"{len(log)} baris, terbaru di atas. Log ini hanya bisa ditambah, tidak bisa diubah atau dihapus.")
    tables.show(log.head(1000), key="aud_tbl")
    d1, d2 = st.columns(2)
    for col, kind in ((d1, "csv"), (d2, "xlsx")):
        actions.audited_file(col, f"Unduh {kind.upper()}",
                             lambda kind=kind: (export_safe.to_bytes(labels.relabel(log), kind, "Log audit"),
                                                {"baris": len(log)}),
                             kind, "log audit", f"log_audit_{today}.{kind}", key=f"aud_dl_{kind}")


with tab_log:
    audit_tab()
