"""Peta Talenta: the nine-box talent map of a period under a rule set; click a box to list its employees."""
import streamlit as st

from talenta import charts, labels, privacy, rules
from talenta.escape import markdown as md
from talenta.ui import actions, filters, fmt, people, queries, resources, tables, talent, presentation

scope = resources.current_scope()
flt = filters.page_header("Peta Talenta")
period = flt.period
rs = talent.rule_set_picker("peta_rule_set")
summ = queries.talent_summary(scope, flt, rs)
c = st.columns(4)
num = lambda n: privacy.text(n, fmt.num)  # noqa: E731
c[0].metric("ASN dalam filter", num(summ["pegawai"]))
c[1].metric("Terpetakan", num(summ["terpetakan"]), help="Punya kinerja dan asesmen yang berlaku.")
c[2].metric(f"KRS (kotak {rules.KRS_SHORT})", fmt.persen(summ["krs_persen"]),
            help=f"Kelompok Rencana Suksesi: {num(summ['krs'])} pegawai, dibagi jumlah yang terpetakan.")
c[3].metric("Belum terpetakan", num(summ["belum_terpetakan"]))
masked_lists = bool(privacy.threshold(scope))
if masked_lists:
    st.caption(privacy.note(privacy.threshold(scope)))

limit, ON_SCREEN = 5000, 500   # rows fetched for lists and downloads / rows sent to the screen
dots = st.toggle("Tampilkan tiap pegawai sebagai titik", key="peta_dots",
                 disabled=masked_lists or privacy.hidden(summ["terpetakan"]) or summ["terpetakan"] > limit,
                 help=f"Tersedia bila pegawai terpetakan tidak lebih dari {fmt.num(limit)}; "
                      "selebihnya hanya jumlah per kotak yang dikirim ke peramban.")
selected = talent.kept_selection("peta_grid")     # survives reruns of the search box, sorting, downloads
box = int(selected[0]) if selected else None
fig = charts.nine_box(
    queries.box_counts(scope, flt, rs), title=f"Peta talenta {period}: sebaran pegawai di sembilan kotak",
    footnote=talent.footnote(scope, flt, rs, queries.last_import()), rs=rs, selected=box,
    individuals=queries.individuals(scope, flt, rs, limit) if dots and not masked_lists
    and summ["terpetakan"] <= limit else None)
st.plotly_chart(fig, on_select="rerun", selection_mode="points", key="peta_grid", config=presentation.CHART_CONFIG)

COLS = {"nip": "NIP", "nama": "Nama", "opd": "OPD", "jabatan": "Jabatan", "skor_kinerja": "Skor kinerja",
        "kategori_kinerja": "Kategori kinerja", "skor_potensial": "Skor potensial",
        "kategori_potensial": "Kategori potensial", "kotak": "Kotak", "rekomendasi": "Rekomendasi",
        "dasar_kinerja": "Dasar kinerja", "tahun_asesmen": "Tahun asesmen", "alasan": "Alasan"}
if box is None:
    st.caption("Klik sebuah kotak untuk melihat daftar pegawainya dan rekomendasinya.")
else:
    b = rules.BOX[box]
    h, close = st.columns([5, 1], vertical_alignment="bottom")
    h.subheader(b.title)
    close.button("Tutup daftar", key="peta_close", on_click=talent.forget_selection, args=("peta_grid",))
    st.info(f"**Rekomendasi (PermenPANRB 3/2020):** {b.rekomendasi}")
    search = "" if masked_lists else st.text_input("Cari NIP, nama, OPD atau jabatan", key="peta_search")
    members = queries.placements(scope, flt, rs, kotak=box, search=search, limit=limit)
    if masked_lists and members.empty:
        st.info(privacy.withheld(scope))
    st.caption(f"{fmt.num(len(members))} pegawai" + (f" (dibatasi {fmt.num(limit)})" if len(members) >= limit else "")
               + f" · {md(rs.label)}")
    show = [c for c in COLS if c in members and c not in ("kotak", "alasan")]
    if len(members) > ON_SCREEN:
        st.caption(f"Layar menampilkan {fmt.num(ON_SCREEN)} baris pertama; unduhan berisi semua yang terdaftar.")
    people.show(members[show].head(ON_SCREEN), key="peta_tbl_box", scope=scope, height=380, labels=COLS,
                decimals={"skor_kinerja": 2, "skor_potensial": 2})
    d1, d2 = st.columns(2)
    actions.download_button(d1, "Unduh XLSX", members, "xlsx", f"peta kotak {box}",
                            f"peta_talenta_{period}_kotak_{box}.xlsx", key="peta_dl_xlsx", sheet=f"Kotak {box}")
    actions.download_button(d2, "Unduh CSV", members, "csv", f"peta kotak {box}",
                            f"peta_talenta_{period}_kotak_{box}.csv", key="peta_dl_csv")

unplaced = queries.unplaced_counts(scope, flt, rs)
# the list runs only when opened (at 5,6M, 5.000 of 2,3 million unplaced rows cost a second on every first visit)
unplaced_box = st.expander(f"Belum terpetakan: {num(summ['belum_terpetakan'])} pegawai", expanded=False,
                           key="peta_unplaced", on_change="rerun")
with unplaced_box:
    if not unplaced_box.open:
        st.caption("Buka untuk melihat alasan dan daftarnya.")
    else:
        reasons = {k: v[0].upper() + v[1:] for k, v in labels.UNPLACED.items()}     # the words of Ringkasan and Data
        tables.show(unplaced.assign(alasan=unplaced["alasan"].map(reasons)), key="peta_tbl_unplaced",
                    labels={"alasan": "Alasan", "n": "Pegawai"}, ints=("n",))
        rest = queries.placements(scope, flt, rs, placed=False, limit=limit)
        st.caption(f"Layar menampilkan paling banyak {fmt.num(ON_SCREEN)} baris; unduhan berisi hingga {fmt.num(limit)} "
                   "(semua: `python -m talenta map`).")
        people.show(rest[[c for c in ("nip", "nama", "opd", "jabatan", "alasan") if c in rest]].head(ON_SCREEN),
                    key="peta_tbl_unplaced_list", scope=scope,
                    height=300, labels=COLS)
        actions.download_button(st, "Unduh daftar belum terpetakan (CSV)", rest, "csv", "belum terpetakan",
                                f"belum_terpetakan_{period}.csv", key="peta_dl_unplaced")

