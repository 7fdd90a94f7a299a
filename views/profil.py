"""Profil Talenta: one person on one page (reached from every list of people, or by NIP/name search)."""
import pandas as pd
import streamlit as st

from talenta import charts, labels, profile, rules
from talenta.escape import filename, markdown as md
from talenta.ui import actions, errors, filters, fmt, people, queries, resources, tables, talent

scope = resources.current_scope()
flt = filters.page_header("Profil Talenta")
period = flt.period
if scope.mask_identity:
    st.info("Profil perorangan tidak ditampilkan dalam tampilan tersamar (peran tamu atau mode presentasi): "
            "halaman ini berisi identitas dan nilai satu orang.")
    st.stop()

wanted = st.query_params.get("nip")
if wanted and st.session_state.get("_profil_dari_tautan") != wanted:     # a link /profil?nip=..., once
    st.session_state["_profil_dari_tautan"] = wanted
    st.session_state[people.PROFILE_NIP] = wanted

left, right = st.columns([2, 1], vertical_alignment="bottom")
query = left.text_input("Cari NIP atau nama pegawai", key="profil_cari", placeholder="contoh: 1972 atau Yuliani")
rs = talent.rule_set_picker("profil_rule_set")
if query.strip():
    hits = queries.find_people(scope, query)
    if hits.empty:
        st.caption("Tidak ada pegawai dalam cakupan Anda yang cocok.")
    else:
        options = hits["nip"].tolist()
        names = {r.nip: f"{r.nama} · {r.nip} · {r.opd}" for r in hits.itertuples()}
        # one match (a whole NIP typed) opens at once; several wait for a choice
        pick = right.selectbox(f"{fmt.num(len(hits))} pegawai cocok", options, index=0 if len(options) == 1 else None,
                               key="profil_pilih", format_func=names.get, placeholder="Pilih pegawai")
        if pick:
            st.session_state[people.PROFILE_NIP] = pick

nip = st.session_state.get(people.PROFILE_NIP)
if not nip:
    st.caption("Cari seorang pegawai, atau buka profil dari daftar pegawai di halaman lain (pilih barisnya, "
               "lalu tekan **Buka profil**).")
    st.stop()

with errors.guarded("profil"):
    p = actions.read_profile(scope, nip, period, rs, basis=flt.basis)
    i, cur = p.identity, p.current
    full = " ".join(x for x in (i.get("gelar_depan"), i.get("nama")) if x) + (
        f", {i['gelar_belakang']}" if i.get("gelar_belakang") else "")
    st.header(md(full))
    st.caption(f"NIP {md(p.nip)} · {md(i.get('jabatan') or '–')} · {md(i.get('opd'))}"
               + (f" · {md(i['unit_kerja'])}" if i.get("unit_kerja") and i.get("unit_kerja") != i.get("opd") else ""))

    def date(v) -> str:
        return pd.Timestamp(v).strftime("%d-%m-%Y") if v is not None and not pd.isna(v) else "–"

    # two rows of three: six in one row cut the dates to "01-11-…" on a 1400-pixel screen (review 14, 9)
    c = st.columns(3) + st.columns(3)
    c[0].metric("Golongan", md(i.get("golongan") or "–"))        # a metric's value is markdown: data escaped
    c[1].metric("Pendidikan", md(i.get("pendidikan") or "–"))
    c[2].metric("Eselon", md(i.get("eselon") or "–"))
    c[3].metric("Usia", f"{i['usia']} tahun" if i.get("usia") is not None else "–")
    c[4].metric("BUP", date(i.get("bup_tanggal")),
                help=f"Batas usia pensiun {i.get('bup_usia') or '–'} tahun untuk jabatan ini; pensiun pada hari pertama "
                     "bulan berikutnya.")
    c[5].metric("TMT jabatan", date(i.get("tmt_jabatan")), help=f"TMT CPNS {date(i.get('tmt_cpns'))}; "
                f"TMT golongan {date(i.get('tmt_golongan'))}.")

    box = cur.get("kotak")
    if box is not None and not pd.isna(box):
        b = rules.BOX[int(box)]
        st.markdown(f"<div style='padding:.6rem 1rem;border-radius:.4rem;background:{b.colour};color:{b.text_colour};"
                    f"font-size:1.15rem;font-weight:600'>Kotak {b.number} · {md(b.label)}"
                    f"{' · Kelompok Rencana Suksesi' if b.number in rules.KRS_BOXES else ''} (periode {period})</div>",
                    unsafe_allow_html=True)
    else:
        st.warning(f"Belum terpetakan pada periode {period}: {md(cur.get('alasan') or '–')}")

    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.trajectory(p.boxes, title="Kotak per periode", subtitle=rs.label),
                        config={"displayModeBar": False}, key="profil_lintasan")
    with right:
        st.subheader("Saran pengembangan")
        for s in p.saran or ["Belum ada (belum terpetakan dan tanpa asesmen)."]:
            st.markdown(f"- {md(s)}")

    st.subheader("Kinerja (SKP) per tahun")
    kin = p.kinerja.copy()
    if not kin.empty:
        order = {x: n for n, x in enumerate(rules.PREDIKAT_ORDER)}
        kin["poin"] = [rs.predikat_points.get(x) if isinstance(x, str) else None for x in kin["predikat"]]
        kin = kin.sort_values("tahun", ascending=False)
    tables.show(labels.relabel(kin, {"poin": "Poin predikat"}) if not kin.empty else kin, key="profil_kinerja",
                decimals={"Nilai kinerja": 2, "Poin predikat": 0})
    st.subheader("Asesmen per tahun")
    st.caption(f"Batas potensial menurut aturan: tinggi ≥ {fmt.num(rs.potensial_tinggi, 0)}, menengah ≥ "
               f"{fmt.num(rs.potensial_menengah, 0)} (JPM bila ada, selain itu rata-rata tertimbang komponennya).")
    ases = p.asesmen.sort_values("tahun", ascending=False) if not p.asesmen.empty else p.asesmen
    tables.show(labels.relabel(ases, {"skor_potensial": "Skor potensial (aturan)"}), key="profil_asesmen",
                decimals={c: 2 for c in ("JPM (%)", "Nilai potensi", "Nilai manajerial", "Nilai sosial kultural",
                                         "Nilai teknis", "Skor potensial (aturan)")})

    for title, frame, empty in (("Riwayat jabatan", p.riwayat_jabatan, "Belum ada riwayat jabatan yang diimpor."),
                                ("Diklat", p.diklat, "Belum ada data diklat yang diimpor."),
                                ("Hukuman disiplin", p.hukuman_disiplin, "Tidak ada catatan hukuman disiplin.")):
        st.subheader(title)
        if frame is None or frame.empty:
            st.caption(empty)
        else:
            tables.show(labels.relabel(frame), key=f"profil_{title}")

    st.subheader("Potensi tinggi")
    dec = p.hipo.get("keputusan")
    if p.hipo.get("flag") is not None:
        st.markdown(md(p.hipo.get("teks") or ""))
    if dec is None or dec.empty:
        st.caption("Belum ada keputusan Komite Talenta tentang potensi tinggi untuk pegawai ini.")
    else:
        tables.show(labels.relabel(dec, {"tahun": "Periode", "oleh": "Oleh", "pada": "Waktu", "catatan": "Catatan"}),
                    key="profil_hipo")
    if not p.suksesi.empty:
        st.subheader("Kandidat suksesi")
        tables.show(labels.relabel(p.suksesi), key="profil_suksesi")
    if not p.kalibrasi.empty:
        st.subheader("Kalibrasi")
        tables.show(labels.relabel(p.kalibrasi), key="profil_kalibrasi")

    st.divider()
    d = st.columns(3)
    base = filename(f"profil-{p.nip}-{period}")
    what = f"profil {p.nip}"                # each file of one person's record leaves an audit row (review 8, D8)
    actions.audited_file(d[0], "Formulir siap cetak (HTML)", lambda: (profile.print_html(p).encode("utf-8"), {}),
                         "html", what, f"{base}.html", key="profil_cetak", mime="text/html", icon=":material/print:",
                         help="Satu halaman A4 untuk berkas rapat Komite: buka lalu cetak (Ctrl+P) atau simpan sebagai PDF.")
    actions.audited_file(d[1], "Unduh XLSX", lambda: (profile.to_xlsx(p), {}), "xlsx", what, f"{base}.xlsx",
                         key="profil_xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    actions.audited_file(d[2], "Unduh JSON", lambda: (profile.to_json(p), {}), "json", what, f"{base}.json",
                         key="profil_json", mime="application/json")
