"""Kalibrasi: the Komite Talenta's session: move people between boxes with a reason, before/after, close, reopen, minutes."""
from dataclasses import replace

import streamlit as st

from talenta import access, calibration, charts, privacy, rules
from talenta.errors import TalentaError
from talenta.escape import markdown as md
from talenta.ui import actions, errors, filters, fmt, people, presentation, queries, resources, tables, talent
from talenta.ui import fairness as fairness_ui

scope, user, con = resources.current_scope(), resources.current_user(), resources.get_connection()
flt = filters.page_header("Kalibrasi")
period, rs = flt.period, queries.active_rule_set()
known = queries.filter_options(scope).get("instansi", [])
if flt.instansi:        # the sidebar's choice: the page opened the first instansi whatever was chosen (review 11, D3)
    known = [k for k in known if k in flt.instansi]
if not known:
    st.info("Belum ada data pegawai dalam hak akses Anda.")
    st.stop()
instansi = known[0] if len(known) == 1 else st.selectbox("Instansi", known, key="kal_instansi")
flt = replace(flt, instansi=(instansi,))
s = calibration.session(con, instansi, period)
if "kal_done" in st.session_state:            # the outcome of the write that started this rerun
    st.success(st.session_state.pop("kal_done"))


def done(message: str) -> None:
    """Keep the outcome for the next run and redraw the page (the grids above show the new counts)."""
    st.session_state["kal_done"] = message
    st.rerun()


st.info(md(calibration.describe_session(con, scope, s, rs)) if s else "Belum ada sesi kalibrasi untuk periode ini: sesi dibuka dengan perpindahan "
        "pertama. Sampai sesi ditetapkan, peta dan ekspor memakai kotak terhitung (kecuali Dasar kotak diubah).")
editing = not presentation.active()
may_move = editing and access.can(user, "calibrate") and not (s and s.ditetapkan)
computed, calibrated = replace(flt, basis="terhitung"), replace(flt, basis="terkalibrasi")

left, right = st.columns([3, 2])
selected = talent.kept_selection("kal_grid")
box = int(selected[0]) if selected else None
left.plotly_chart(charts.nine_box(queries.box_counts(scope, computed, rs),
                                  title=f"Peta terhitung {period}: klik kotak untuk daftar pegawainya",
                                  footnote=talent.footnote(scope, computed, rs, queries.last_import()),
                                  selected=box, compact=True, height=480),
                  on_select="rerun", selection_mode="points", key="kal_grid", config=presentation.CHART_CONFIG)
right.plotly_chart(charts.nine_box(queries.box_counts(scope, calibrated, rs),
                                   title=f"Peta terkalibrasi {period}", compact=True, height=480,
                                   footnote="Kotak terhitung ditambah perpindahan sesi ini (juga yang belum ditetapkan)."),
                   key="kal_grid_after", config=presentation.CHART_CONFIG)

COLS = {"nip": "NIP", "nama": "Nama", "opd": "OPD", "jabatan": "Jabatan", "skor_kinerja": "Skor kinerja",
        "skor_potensial": "Skor potensial", "kotak_terhitung": "Kotak terhitung",
        "kotak_terkalibrasi": "Kotak terkalibrasi", "alasan_kalibrasi": "Alasan kalibrasi"}
members = None
if box is not None:
    st.subheader(rules.BOX[box].title)
    members = queries.placements(scope, computed, rs, kotak=box, limit=tables.SCREEN_ROWS)
    if privacy.threshold(scope) and members.empty:
        st.info(privacy.withheld(scope))
    people.show(members[[c for c in COLS if c in members]], key="kal_tbl_box", scope=scope, height=300, labels=COLS,
                decimals={"skor_kinerja": 2, "skor_potensial": 2})

if may_move:
    with st.form("kal_move"):     # not cleared: a double click repeats the same move, refused as no change
        st.markdown("**Pindahkan pegawai** (kotak terhitung tetap tersimpan; perpindahan kembali ke kotak terhitung "
                    "membatalkan kalibrasinya)")
        c1, c2, c3 = st.columns([2, 1, 1])
        options = list(members["nip"]) if members is not None and "nama" in members and len(members) else []
        names = dict(zip(members["nip"], members["nama"])) if options else {}
        nip = c1.selectbox("Pegawai", options, format_func=lambda n: f"{n} · {names.get(n, '')}", key="kal_nip_pick") \
            if options else c1.text_input("NIP pegawai", key="kal_nip")
        to = c2.selectbox("Ke kotak", [b.number for b in rules.BOXES][::-1], key="kal_to",
                          format_func=lambda k: f"Kotak {k} ({rules.BOX[k].short})")
        code = c3.selectbox("Kode alasan", list(calibration.REASON_CODES), key="kal_code",
                            format_func=calibration.REASON_CODES.get)
        reason = st.text_area("Alasan (wajib)", key="kal_reason", max_chars=calibration.MAX_REASON_CHARS)
        # the session's newest event this page drew, kept from the run that drew the form: a move of the same
        # person by someone else since then is refused, not silently replaced (review 14, 2)
        seen_key = f"kal_seen_{instansi}_{period}"
        if st.form_submit_button("Pindahkan", type="primary", key="kal_move_go"):
            try:
                # within the session on screen: a NIP of another instansi went to that instansi's session
                r = actions.calibrate(scope.within_instansi((instansi,)), period, rs, nip, to, code, reason,
                                      seen=st.session_state.get(seen_key))
                done(f"Pegawai {md(r['nip'])} " + ("kembali ke kotak terhitungnya." if r["batal"] else
                           f"dipindahkan dari kotak {r['kotak_terhitung']} ke kotak {r['kotak_ke']}."))
            except TalentaError as exc:
                errors.show(exc)
        st.session_state[seen_key] = calibration.watermark(con, instansi, period)
elif editing and access.can(user, "calibrate"):
    if st.session_state.get("kal_move_go"):    # "Pindahkan" pressed on a form drawn before the session was closed
        typed = (st.session_state.get("kal_reason") or "").strip()
        st.error("Perpindahan tidak dicatat: sesi kalibrasi sudah ditetapkan pimpinan sebelum Anda menekan "
                 "Pindahkan." + (f" Alasan yang Anda ketik: “{md(typed)}”." if typed else ""))
    st.caption("Sesi sudah ditetapkan: perpindahan terkunci sampai pimpinan atau administrator membukanya kembali.")

st.subheader("Perpindahan dalam sesi")
moved = calibration.moves(con, scope, period, rs, instansi, flt)
if privacy.threshold(scope):
    st.caption(privacy.note(privacy.threshold(scope)) + " Daftar perpindahan per orang tidak ditampilkan.")
elif moved.empty:
    st.caption("Belum ada pegawai yang dipindahkan.")
else:
    people.show(calibration.readable(moved), key="kal_tbl_moves", scope=scope, labels=calibration.MOVE_LABELS)
    if note := calibration.stale_note(moved, closed=bool(s and s.ditetapkan), escape=md):    # a list: names escaped
        st.warning(note)

st.subheader("Sebelum dan sesudah kalibrasi")
m1, m2 = st.columns([3, 2])
m1.plotly_chart(charts.transition_heatmap(calibration.before_after(con, scope, flt, rs),
                                          f"Kotak terhitung ke kotak terkalibrasi, {period}",
                                          x_title="Terkalibrasi", y_title="Terhitung"),
                key="kal_matrix", config=presentation.CHART_CONFIG)
with m2:
    tables.show(calibration.distribution(con, scope, flt, rs), key="kal_tbl_dist",
                labels={"kotak": "Kotak", "terhitung": "Terhitung", "terkalibrasi": "Terkalibrasi",
                        "selisih": "Selisih"}, ints=("terhitung", "terkalibrasi", "selisih"))

if editing and access.can(user, "calibration_close") and access.holds_instansi(user, instansi):
    st.subheader("Penetapan")
    if not (s and s.ditetapkan):
        ok = st.checkbox("Saya menetapkan hasil kalibrasi ini; sesudahnya peta, talent pool dan ekspor memakai kotak "
                         "terkalibrasi dan sesi terkunci.", key="kal_confirm")
        if st.button("Tetapkan hasil kalibrasi", disabled=not ok, type="primary", key="kal_close"):
            try:
                done(md(calibration.describe_session(con, scope, actions.close_calibration(instansi, period), rs)))
            except TalentaError as exc:
                errors.show(exc)
    else:
        why = st.text_input("Alasan membuka kembali (wajib)", key="kal_reopen_reason")
        if st.button("Buka kembali sesi", key="kal_reopen"):
            try:
                done(md(calibration.describe_session(con, scope, actions.reopen_calibration(instansi, period, why),
                                                        rs)))
            except TalentaError as exc:
                errors.show(exc)

with st.expander("Peserta dan riwayat sesi", expanded=False):
    st.markdown("**Peserta:** " + (md(", ".join(s.peserta)) if s else "–"))
    if may_move:
        who = st.text_input("Tambah peserta rapat (nama dan jabatan)", key="kal_participant")
        if st.button("Tambah peserta", key="kal_add_participant"):
            try:
                actions.add_calibration_participant(instansi, period, who)
                st.rerun()
            except TalentaError as exc:
                errors.show(exc)
    tables.show(calibration.readable(calibration.history(con, scope, period, instansi)), key="kal_tbl_history",
                labels=calibration.HISTORY_LABELS)

if editing and access.can(user, "export"):
    ba_for = actions.made_for(scope, flt, rs, instansi)
    if st.button("Buat berita acara kalibrasi (XLSX)", key="kal_make_ba"):
        try:
            st.session_state["kal_ba"] = (*actions.export_berita_acara(scope, flt, instansi, rs), ba_for)
        except TalentaError as exc:
            errors.show(exc)
    if "kal_ba" in st.session_state and st.session_state["kal_ba"][2] != ba_for:
        del st.session_state["kal_ba"]      # built before a move, a close or another filter: not offered again
        st.caption("Berita acara yang dibuat sebelumnya tidak ditawarkan lagi: sesi atau filter sudah berubah. Buat lagi.")
    if "kal_ba" in st.session_state:
        name, data, _ = st.session_state["kal_ba"]
        st.download_button(f"Unduh {name} ({fmt.num(len(data) / 1024)} KB)", data, name, key="kal_dl_ba",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

# did the calibration widen a gap? the same check, computed and calibrated side by side (talenta/ui/fairness.py)
fairness_ui.section(scope, flt, rs, key="kal_fair")
