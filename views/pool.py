"""Talent Pool per OPD: box distribution per group, bench strength for structural posts, movement between periods."""
import datetime as dt

import streamlit as st

from talenta import charts, escape, export_safe, labels, pool, privacy, rules
from talenta.ui import actions, filters, fmt, people, queries, resources, style, tables, talent, presentation
from talenta.ui import fairness as fairness_ui

scope = resources.current_scope()
flt = filters.page_header("Talent Pool")
period, rs = flt.period, queries.active_rule_set()
threshold = privacy.threshold(scope)
c1, c2 = st.columns([2, 1])
by = c1.selectbox("Kelompokkan menurut", list(pool.GROUPINGS), format_func=lambda k: pool.GROUPINGS[k][0],
                  key="pool_by")
as_share = c2.radio("Tampilkan", ["Jumlah", "Persentase"], horizontal=True, key="pool_mode") == "Persentase"
label = pool.GROUPINGS[by][0]
low = label if label.isupper() else label.lower()      # "OPD" stays upper case
table = queries.pool_table(scope, flt, rs, by)
note = talent.footnote(scope, flt, rs, queries.last_import()) + (f" · {privacy.note(threshold)}" if threshold else "")

# only the open tab runs and is sent: at national size the bench and the movement between periods are
# further passes over the population, and each tab's charts and tables are work for the browser
TABS = ["Peta per kelompok", "Proporsi kotak", "Kekuatan suksesi", "Perpindahan antarperiode", "Uji kesetaraan"]
tab_map, tab_bars, tab_bench, tab_move, tab_fair = st.tabs(TABS, key="pool_tab", on_change="rerun")
if tab_map.open is not False:
    with tab_map:
        picked = talent.kept_selection("pool_heat")      # kept while the outlined figure becomes a new widget
        if picked and str(picked[0]) not in set(table["group"].astype(str)):
            picked = None                                # the grouping or the filters changed: nothing to show
        unit = "persentase" if as_share else "jumlah"
        st.caption(f"Setiap baris: seluruh ASN di {low} itu (baris berjumlah 100 %). Angka di sel: {unit} "
                   "pegawai; warna: bagiannya dari ASN kelompok itu. Kolom abu-abu \"Belum terpetakan\" = data kinerja "
                   "atau asesmen belum lengkap, di luar skala warna. Bingkai biru: KRS (kotak " + rules.KRS_SHORT + ").")
        style.sticky_panel("pool_panel")
        grid, panel = st.columns([3, 2], gap="medium")
        drawn, left_out, ends = pool.extremes(table)      # a chart of thousands of offices would stall the browser
        with grid:
            each = pool.CHART_ROWS // 2
            title = (f"{each} {low} dengan bagian KRS tertinggi dan {each} terendah, {period} "
                     f"(dari {fmt.num(len(table))})" if ends else
                     f"Sebaran kotak talenta per {low}, {period}: {fmt.num(len(drawn))} dari {fmt.num(len(table))} "
                     "(urut bagian KRS)" if left_out else
                     f"Sebaran kotak talenta per {low}, {period} (urut bagian KRS)")
            fig = charts.pool_heatmap(drawn, title=title, group_label=label, shares=as_share, footnote=note,
                                      selected=(str(picked[0]), int(picked[1])) if picked else None,
                                      split_after=each if ends else None)
            st.plotly_chart(fig, on_select="rerun", selection_mode="points", key="pool_heat",
                            config=presentation.CHART_CONFIG)
            if left_out:        # the filters only where this account has them (a masked screen has none)
                st.caption(f"{fmt.num(left_out)} {low} lain tidak digambar (yang angkanya disembunyikan tidak "
                           "diperingkat); semuanya ada di unduhan tabel." + (
                               "" if threshold else " Persempit dengan filter Instansi atau OPD untuk menggambar "
                                                    "semuanya."))
        with panel, st.container(key="pool_panel"):
            if not picked:
                st.markdown("**Rincian sel**")
                st.caption("Klik sebuah sel pada peta untuk melihat daftar pegawainya di sini.")
            else:
                group, kotak = str(picked[0]), int(picked[1])
                cell = f"{label} {escape.markdown(group)}, " + (f"kotak {kotak}" if kotak else "belum terpetakan")
                h, close = st.columns([4, 1], vertical_alignment="bottom")
                close.button("Tutup", key="pool_close", on_click=talent.forget_selection, args=("pool_heat",))
                members = queries.placements(scope, flt, rs, kotak=kotak or None,
                                             placed=False if kotak == 0 else None, group=(by, group), limit=5000)
                if threshold and members.empty:
                    h.subheader(cell)
                    st.info(privacy.withheld(scope))
                else:
                    h.subheader(f"{cell}: {fmt.num(len(members))} pegawai")
                    listed = [c for c in ("nip", "nama", "opd", "jabatan", "skor_kinerja", "skor_potensial", "kotak",
                                          "alasan") if c != by and not (c == "kotak" and kotak)]   # said in the title
                    people.show(members[[c for c in listed if c in members]].head(tables.SCREEN_ROWS),
                                key="pool_tbl_members", scope=scope, height=420, decimals={"skor_kinerja": 2, "skor_potensial": 2})
                    actions.download_button(st, "Unduh daftar (CSV)", members, "csv",
                                            f"talent pool {by} {group} kotak {kotak}",
                                            f"talent_pool_{escape.filename(group)}_{kotak}.csv", key="pool_dl_members")
        # at most SCREEN_ROWS rows on screen (7.500 offices at 2 million ASN sent 2,7 MB); the files hold all
        tables.show(table.head(tables.SCREEN_ROWS), key="pool_tbl", height=300, labels={"group": label},
                    ints=tuple(c for c in table.columns if c not in ("group", "krs_persen")), percents=("krs_persen",))
        if len(table) > tables.SCREEN_ROWS:
            st.caption(f"Tabel: {fmt.num(tables.SCREEN_ROWS)} {low} pertama dari {fmt.num(len(table))} (urut bagian "
                       "KRS); unduhan berisi semuanya.")
        d1, d2 = st.columns(2)
        d1.download_button("Unduh tabel (XLSX)", lambda: export_safe.to_bytes(labels.relabel(table, {"group": label}),
                                                                              "xlsx", "Talent pool"),
                           f"talent_pool_{by}_{period}.xlsx", key="pool_dl_xlsx", on_click="ignore")
        d2.download_button("Unduh tabel (CSV)", lambda: export_safe.to_bytes(labels.relabel(table, {"group": label}), "csv"),
                           f"talent_pool_{by}_{period}.csv", key="pool_dl_csv", on_click="ignore")
if tab_bars.open:
    with tab_bars:
        drawn, left_out, ends = pool.extremes(table)
        st.plotly_chart(charts.pool_stacked(drawn, title=f"Proporsi kotak per {low}, {period}" + (
            f" ({pool.CHART_ROWS // 2} tertinggi dan {pool.CHART_ROWS // 2} terendah bagian KRS dari "
            f"{fmt.num(len(table))})" if ends else f" ({fmt.num(len(drawn))} dari {fmt.num(len(table))})"
            if left_out else ""), group_label=label), key="pool_bars", config=presentation.CHART_CONFIG)
        if left_out:
            st.caption(f"{fmt.num(left_out)} {low} lain tidak digambar; semuanya ada di tab Peta per kelompok "
                       "(tabel dan unduhan).")
if tab_bench.open:
    with tab_bench:
        st.write(f"Anggota KRS (kotak {rules.KRS_SHORT}) dibanding jumlah jabatan manajerial (JPT, Administrator, Pengawas) per OPD, "
                 f"dan pejabat yang pensiun (batas usia pensiun, BUP) dalam {rules.BUP_HORIZON_YEARS} tahun. OPD tanpa "
                 "suksesor di atas.")
        bench = queries.bench_strength(scope, flt, rs, dt.date.today())
        if len(bench) > tables.SCREEN_ROWS:
            st.caption(f"{fmt.num(tables.SCREEN_ROWS)} OPD terlemah dari {fmt.num(len(bench))}; unduh untuk semuanya.")
        st.download_button("Unduh kekuatan suksesi (CSV)", lambda: export_safe.to_bytes(labels.relabel(bench), "csv"),
                           file_name=f"kekuatan_suksesi_{period}.csv", mime="text/csv", key="pool_dl_bench", on_click="ignore")
        tables.show(bench.head(tables.SCREEN_ROWS), key="pool_tbl_bench", height=420, labels={
            "instansi": "Instansi", "opd": "OPD", "jabatan_manajerial": "Jabatan manajerial", "jpt": "JPT",
            "administrator": "Administrator", "pengawas": "Pengawas", "pensiun_2_tahun": labels.LABELS["pensiun_2_tahun"],
            "krs": "Anggota KRS", "krs_pejabat": "KRS yang sudah pejabat", "krs_per_jabatan": "KRS per jabatan",
            "tanpa_suksesor": "Tanpa suksesor"}, decimals={"krs_per_jabatan": 2})
if tab_move.open:
    with tab_move:
        earlier = [p for p in queries.periods() if p < period]
        if not earlier:
            st.info("Belum ada periode sebelumnya untuk dibandingkan.")
        else:
            frm = st.selectbox("Dibanding periode", earlier[::-1], key="pool_from")
            m = queries.movement(scope, flt, frm, period, rs)
            st.plotly_chart(charts.movement_sankey(m, frm, period), key="pool_sankey", config=presentation.CHART_CONFIG)
            st.plotly_chart(charts.transition_heatmap(m, f"Matriks perpindahan {frm} → {period}",
                                                      x_title=f"Kotak {period}", y_title=f"Kotak {frm}"), key="pool_trans", config=presentation.CHART_CONFIG)
            totals = queries.movement_totals(scope, flt, frm, period, rs)
            said = [f"{fmt.num(totals[k])} {w}" for k, w in (("naik", "naik kotak"), ("tetap", "tetap"),
                    ("turun", "turun kotak"), ("baru_terpetakan", "baru terpetakan"),
                    ("tidak_terpetakan_lagi", "tidak terpetakan lagi")) if not privacy.hidden(totals[k])]
            if said:
                st.markdown(f"**{frm} → {period}:** " + ", ".join(said) + ".")
            moves = queries.movement_by_group(scope, flt, frm, period, rs, by)
            if privacy.threshold(scope):
                st.caption(f"Rincian perpindahan per {label.lower()} tidak ditampilkan pada tampilan tersamar: "
                           "bersama matriks di atas, angkanya dapat membuka jumlah kecil.")
            else:
                tables.show(moves, key="pool_tbl_moves", labels={"group": label, "naik": "Naik", "tetap": "Tetap",
                            "turun": "Turun", "baru_terpetakan": "Baru terpetakan",
                            "tidak_terpetakan_lagi": "Tidak terpetakan lagi"},
                            ints=("naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi"))
            st.caption("Naik/turun: pindah ke kotak bernomor lebih tinggi/rendah, di antara pegawai yang terpetakan "
                       "pada kedua periode.")

# Uji kesetaraan (issue 18): the KRS share by jenis kelamin, golongan, jenis ASN, usia, OPD (talenta/ui/fairness.py)
if tab_fair.open:
    with tab_fair:
        fairness_ui.section(scope, flt, rs)
