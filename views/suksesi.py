"""Suksesi: target posts per OPD, their candidates' eligibility, readiness and ranking, and the decisions."""

import pandas as pd
import streamlit as st

from talenta import access, succession as sc, succession_report as rep, succession_workflow as wf
from talenta.errors import TalentaError
from talenta.escape import markdown as md
from talenta.succession_rules import (JENJANG_LABEL, READINESS_LABEL, REASON_LABEL, REQUIREMENT_LABEL, SCORE_PART_LABEL,
                                       STATUS_LABEL)
from talenta.ui import actions, errors, filters, fmt, presentation, queries, resources, suksesi as q, tables

scope, user = resources.current_scope(), resources.current_user()
TOP = (20, 100, tables.SCREEN_ROWS)      # candidates on screen
fmt_date = lambda d: "–" if pd.isna(d) else f"{d:%d-%m-%Y}"  # noqa: E731


def decision_section(post_id: str, cands: pd.DataFrame, all_cands: pd.DataFrame, dec: pd.DataFrame) -> None:
    """A post's decisions and the form to add one: the candidates shown, and the set one wherever he is now."""
    steps = [s for s in wf.STEPS if access.can(user, wf.STEP_ACTION[s])] if user else []
    st.subheader("Keputusan")
    if done := st.session_state.pop("suk_done", None):
        st.success(done)
    choices, stale = wf.form_choices(cands, all_cands, dec)
    if stale and "tolak" in steps:      # for who may refuse him: another reader's candidates are not all of them
        st.warning(md(stale))
    if len(dec):
        # the step and the readiness in words, not their codes (review 9, 8)
        readable = dec.assign(**{c: dec[c].map(m).fillna(dec[c]) for c, m in
                                 (("langkah", wf.STEP_LABEL),
                                  ("kesiapan", {**READINESS_LABEL, wf.NOT_CANDIDATE: wf.NOT_CANDIDATE_LABEL}))
                                 if c in dec})
        tables.show(readable, key="suk_dec", labels={"pada": "Waktu", "nip": "NIP", "nama": "Nama", "langkah": "Langkah",
                    "alasan": "Alasan", "justifikasi": "Justifikasi (bukan peringkat 1 / belum siap)",
                    "peringkat": "Peringkat", "kesiapan": "Kesiapan", "oleh": "Oleh", "peran": "Peran",
                    "tanggal_acuan": "Tanggal acuan", "direkomendasikan_komite": "Direkomendasikan Komite"})
    else:
        st.caption("Belum ada keputusan untuk jabatan ini.")
    if steps and len(choices) and not presentation.active() and not scope.mask_identity:
        with st.form("suk_form"):
            who = st.selectbox("Kandidat", choices["pilihan"].tolist(), key="suk_who")
            step = st.selectbox("Langkah", steps, format_func=wf.STEP_LABEL.get, key="suk_step")
            reason = st.text_area("Alasan (wajib)", key="suk_reason")
            just = st.text_area("Justifikasi (wajib bila menetapkan kandidat bukan peringkat 1, kecuali yang skor "
                                "dan kesiapannya sama dengan peringkat 1, atau belum siap sekarang)", key="suk_just")
            if st.form_submit_button("Catat keputusan"):
                r = choices.set_index("pilihan").loc[who]
                try:
                    actions.succession_decision(post_id, r["nip"], step, reason, justification=just, period=period,
                                                rs=rs, srs=srs, tanggal=tgl)
                except TalentaError as exc:
                    errors.show(exc)
                else:       # read the list again (it is drawn above the form), the message kept for that run
                    unrecommended = step == "tetapkan" and not q.recommended(post_id, r["nip"])
                    st.session_state["suk_done"] = (
                        f"Keputusan '{wf.STEP_LABEL.get(step, step)}' untuk {md(r['nama'])} dicatat atas nama "
                        f"{md(user.username)}." + (" Catatan: Komite Talenta belum merekomendasikan kandidat ini "
                                                   "untuk jabatan ini; penetapan tercatat tanpa rekomendasi."
                                                   if unrecommended else ""))
                    st.rerun()


flt = filters.page_header("Suksesi")
scope = sc.filtered_scope(scope, flt)         # the instansi filter (the OPD filter is each reader's argument)
if note := sc.unused_filters_note(flt):
    st.caption(note)
period, rs, srs = flt.period, queries.active_rule_set(), q.active_rules()
fixed = sc.date_fixed(scope)          # tamu: the library uses 31 December of the period whatever is asked
# one input per period: its default is 31 December of that period, and a date chosen for one period stays with it
# (one key for every period kept the first period's date after the period changed: posts of 2024 at 31-12-2025)
date_key, chosen = f"suk_tgl_{period}", st.session_state.setdefault("suk_tgl_chosen", {})
if fixed:
    st.session_state.pop(date_key, None)       # the input shows the date in force
    chosen.clear()
tgl = st.date_input("Tanggal acuan", value=chosen.get(period) or sc.reference_date(period), format="DD-MM-YYYY",
                    key=date_key,
                    disabled=fixed,
                    help="Semua syarat berbasis waktu (pengalaman, usia, BUP, horizon 24 bulan) dihitung pada tanggal ini.")
if not fixed and tgl:
    chosen[period] = tgl
tgl = sc.reference_date(period, tgl, scope)
st.caption(f"Tanggal acuan **{tgl:%d-%m-%Y}** · peta talenta {period} · {md(rs.label)} · {md(srs.label)}")
if fixed:       # aggregates only: no post (a post's reason "bup" is its holder's), small counts hidden
    st.caption(sc.fixed_date_note(period))
    q.show_aggregates(scope, period, rs, srs, flt.opd)
    st.stop()
posts = q.targets(scope, period, rs, srs, tgl, flt.opd)
if posts.empty:
    st.info("Tidak ada jabatan target (kosong, pemangku mencapai BUP dalam 24 bulan, atau kritikal) dalam filter ini.")
    st.stop()
by, weakest, _ = rep.weakest(posts)      # a province or the country: per instansi; the weakest groups
pipe = sc.pipeline(posts, by)
c = st.columns(4)
c[0].metric("Jabatan target", fmt.num(len(posts)))
c[1].metric("Ada kandidat siap sekarang", fmt.pct(posts["ada_siap_sekarang"].mean()))
c[2].metric("Punya ≥ 2 kandidat", fmt.pct(posts["dua_kandidat"].mean()))
c[3].metric("Berisiko (tak ada yang siap sekarang)", fmt.num(int((~posts["ada_siap_sekarang"]).sum())))

tab_posts, tab_pipe, tab_rules = st.tabs(["Jabatan target", "Kesehatan pipeline", "Aturan suksesi"])
with tab_pipe:
    st.plotly_chart(rep.pipeline_chart(weakest, by=by, footnote=f"Tanggal acuan {tgl:%d-%m-%Y}; {rs.label}"),
                    key="suk_pipe", config=presentation.CHART_CONFIG)
    if chart_note := rep.chart_note(by, len(pipe)):
        st.caption(chart_note + ".")
    tables.show(pipe.head(tables.SCREEN_ROWS), key="suk_pipe_tbl", labels={"opd": "OPD", "instansi": "Instansi", "jabatan_target": "Jabatan target",
                "persen_siap_sekarang": "% ada siap sekarang", "persen_dua_kandidat": "% ≥ 2 kandidat",
                "berisiko": "Berisiko"}, ints=("jabatan_target", "berisiko"),
                decimals={"persen_siap_sekarang": 1, "persen_dua_kandidat": 1})
    st.subheader("Daftar risiko: jabatan tanpa kandidat siap sekarang")
    risk = sc.risk_list(posts).head(tables.SCREEN_ROWS)
    tables.show(risk[["opd", "jabatan", "alasan_target", "bup_pemangku", "n_siap_1_2_tahun", "n_kandidat"]],
                key="suk_risk", labels={"opd": "OPD", "jabatan": "Jabatan", "alasan_target": "Alasan",
                "bup_pemangku": "BUP pemangku", "n_siap_1_2_tahun": "Siap 1-2 tahun", "n_kandidat": "Kandidat"})
with tab_rules:
    for line in srs.describe():
        st.markdown("- " + line)
    st.caption("Sumber dan pilihan lokal: docs/succession.md. Data kosong = perlu verifikasi, bukan gugur.")

with tab_posts:
    f1, f2, f3 = st.columns([2, 2, 2])
    opd_pick = f1.multiselect("OPD", sorted(posts["opd"].unique()), key="suk_opd", placeholder="Semua")
    why = f2.multiselect("Alasan", list(REASON_LABEL), format_func=REASON_LABEL.get, key="suk_why", placeholder="Semua")
    health = f3.multiselect("Kesehatan", list(rep.HEALTH_MARK), format_func=rep.HEALTH_MARK.get, key="suk_health",
                            placeholder="Semua")
    shown = sc.filter_posts(posts, opd=opd_pick, reasons=why, health=health)
    top_posts = shown.head(tables.SCREEN_ROWS)       # format only the rows shown (the country has 120.000)
    view = top_posts.assign(jenjang=top_posts["jenjang"].map(JENJANG_LABEL),
                            kesehatan=top_posts["kesehatan"].map(rep.HEALTH_MARK),
                            pemangku_nama=top_posts["pemangku_nama"].fillna("(kosong)"),
                            bup_pemangku=[fmt_date(d) for d in top_posts["bup_pemangku"]],
                            alasan_target=[", ".join(REASON_LABEL[r] for r in a.split(";"))
                                           for a in top_posts["alasan_target"]])
    tables.show(view[["opd", "jabatan", "jenjang", "pemangku_nama", "alasan_target", "bup_pemangku", "n_siap_sekarang",
                      "n_siap_1_2_tahun", "kesehatan"]].head(tables.SCREEN_ROWS), key="suk_posts", height=320,
                labels={"opd": "OPD", "jabatan": "Jabatan", "jenjang": "Jenjang", "pemangku_nama": "Pemangku",
                        "alasan_target": "Alasan", "bup_pemangku": "BUP pemangku", "n_siap_sekarang": "Siap sekarang",
                        "n_siap_1_2_tahun": "Siap 1-2 tahun", "kesehatan": "Kesehatan pipeline"},
                ints=("n_siap_sekarang", "n_siap_1_2_tahun"))
    if shown.empty:
        st.stop()
    if len(shown) > tables.SCREEN_ROWS:
        st.caption(f"{fmt.num(tables.SCREEN_ROWS)} dari {fmt.num(len(shown))} jabatan target ditampilkan; "
                   "persempit dengan OPD, alasan atau kesehatan (CLI 'succession' memuat semuanya).")
        shown = shown.head(tables.SCREEN_ROWS)
    ids = shown["jabatan_id"].tolist()
    label = dict(zip(shown["jabatan_id"], shown["opd"] + " · " + shown["jabatan"] + " (" + shown["jabatan_id"] + ")"))
    post_id = st.selectbox("Pilih jabatan target", ids, format_func=label.get, key="suk_post")
    post = shown.set_index("jabatan_id").loc[post_id]
    holder = "kosong" if pd.isna(post["pemangku_nama"]) else md(post["pemangku_nama"]) + (
        "" if pd.isna(post["bup_pemangku"]) else f", BUP {fmt_date(post['bup_pemangku'])}")   # no BUP date: masked
    st.subheader(f"{md(post['jabatan'])} · {md(post['opd'])}")
    st.caption(f"{JENJANG_LABEL[post['jenjang']]} · pemangku: {holder} · alasan: "
               + ", ".join(REASON_LABEL[r] for r in post["alasan_target"].split(";")))
    all_cands = q.candidates(scope, period, rs, srs, tgl, post_id)
    dec = q.decisions(scope, post_id)
    if all_cands.empty:     # the decisions stay below: a candidate set earlier can still be refused
        st.warning("Belum ada kandidat dari KRS pada jenjang di bawahnya (atau jenjang yang sama) di instansi ini.")
        decision_section(post_id, sc.with_labels(all_cands), all_cands, dec)
        st.stop()
    top = st.segmented_control("Kandidat ditampilkan", TOP, default=TOP[0], key="suk_top",
                               format_func=lambda n: f"{n} teratas") or TOP[0]
    cands = sc.with_labels(all_cands.head(top))
    tables.show(cands[["peringkat", "nip", "nama", "opd", "jabatan", "kotak", "kesiapan_label", "skor", "syarat_belum"]],
                key="suk_cands", height=320,
                labels={"peringkat": "Peringkat", "nip": "NIP", "nama": "Nama", "opd": "OPD", "jabatan": "Jabatan kini",
                        "kotak": "Kotak", "kesiapan_label": "Kesiapan", "skor": "Skor", "syarat_belum": "Syarat belum"},
                decimals={"skor": 2})
    st.caption(f"{fmt.num(len(all_cands))} kandidat ({fmt.num(int((all_cands['kesiapan'] == 'siap_sekarang').sum()))} "
               f"siap sekarang; layar: {fmt.num(len(cands))} teratas, semuanya di CSV), urut kesiapan lalu skor "
               "(sama: NIP). Skor = "
               + ", ".join(f"{SCORE_PART_LABEL[k]} {fmt.pct(v / sum(srs.bobot.values()))}" for k, v in srs.bobot.items())
               + ".")
    actions.download_button(st, "Unduh semua kandidat (CSV)", sc.post_file(post, all_cands), "csv",
                            f"suksesi {post_id}", f"suksesi_{post_id}.csv", key="suk_dl")

    picks = st.multiselect("Bandingkan 2-4 kandidat", cands["pilihan"].tolist(), max_selections=4, key=f"suk_cmp_{post_id}",
                           default=cands["pilihan"].tolist()[:2])
    chosen = cands.set_index("pilihan").loc[picks] if picks else cands.head(0).set_index("pilihan")
    if len(chosen):
        mark = {"memenuhi": "✓", "belum": "✗", "tanpa_data": "?"}
        rows = {REQUIREMENT_LABEL[code]: [f"{mark[r[f's_{code}']]} {r[f'v_{code}']}" for _, r in chosen.iterrows()]
                for code in sc.REQUIREMENTS}
        rows["Kesiapan"] = [READINESS_LABEL[k] for k in chosen["kesiapan"]]
        for part in ("kinerja", "potensial", "kompetensi", "pengalaman"):
            rows[f"Skor {SCORE_PART_LABEL[part]} (bobot {fmt.pct(srs.bobot[part] / sum(srs.bobot.values()))})"] = \
                ["–" if pd.isna(v) else fmt.num(v, 2) for v in chosen[f"p_{part}"]]     # as "Skor" below
        rows["Skor"] = [fmt.num(v, 2) for v in chosen["skor"]]
        hist = q.box_history(scope, tuple(chosen["nip"]), tuple(p for p in queries.periods() if p <= period), rs)
        for t, g in hist.groupby("tahun"):
            by_nip = dict(zip(g["nip"], g["kotak"]))
            rows[f"Kotak {t}"] = ["–" if pd.isna(by_nip.get(n)) else str(by_nip.get(n)) for n in chosen["nip"]]
        st.markdown("**Perbandingan** (✓ memenuhi · ✗ belum · ? " + STATUS_LABEL["tanpa_data"].lower() + ")")
        # the aspects as a column wide enough for "Skor pengalaman di OPD target (bobot 10,0 %)" (the index column cut it)
        table = pd.DataFrame(rows, index=list(chosen.index)).T.rename_axis("Aspek").reset_index()
        st.dataframe(table, key="suk_compare", width="stretch", hide_index=True, height=35 * (len(rows) + 1) + 3,
                     column_config={"Aspek": st.column_config.TextColumn("Aspek", width=280)})

    decision_section(post_id, cands, all_cands, dec)
