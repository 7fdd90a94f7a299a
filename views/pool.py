"""Talent Pool per OPD: box distribution per group, bench strength for structural posts, movement between periods."""
import datetime as dt

import streamlit as st

from talenta import charts, escape, export_safe, pool, privacy, rules
from talenta.ui import actions, filters, fmt, queries, resources, tables, talent, presentation

scope = resources.current_scope()
flt = filters.page_header("Talent Pool")
period, rs = flt.period, queries.active_rule_set()
threshold = privacy.threshold(scope)
c1, c2 = st.columns([2, 1])
by = c1.selectbox("Kelompokkan menurut", list(pool.GROUPINGS), format_func=lambda k: pool.GROUPINGS[k][0],
                  key="pool_by")
as_share = c2.radio("Tampilkan", ["Jumlah", "Persentase"], horizontal=True, key="pool_mode") == "Persentase"
label = pool.GROUPINGS[by][0]
table = queries.pool_table(scope, flt, period, rs, by)
note = talent.footnote(flt, rs, queries.status()["last_import"]) + (f" · {privacy.note(threshold)}" if threshold else "")

tab_map, tab_bars, tab_bench, tab_move = st.tabs(["Peta per kelompok", "Proporsi kotak", "Kekuatan suksesi",
                                                   "Perpindahan antarperiode"])
with tab_map:
    fig = charts.pool_heatmap(table, title=f"Sebaran kotak talenta per {label.lower()}, {period} "
                              "(urut bagian KRS)", group_label=label, shares=as_share, footnote=note)
    st.plotly_chart(fig, on_select="rerun", selection_mode="points", key="pool_heat", config=presentation.CHART_CONFIG)
    tables.show(table, key="pool_tbl", height=300, labels={"group": label, "total": "Total",
                "belum_terpetakan": "Belum terpetakan", "krs": "KRS", "krs_persen": "% KRS"},
                ints=tuple(c for c in table.columns if c not in ("group", "krs_persen")), pcts=("krs_persen",))
    d1, d2 = st.columns(2)
    d1.download_button("Unduh tabel (XLSX)", lambda: export_safe.to_bytes(table, "xlsx", "Talent pool"),
                       f"talent_pool_{by}_{period}.xlsx", key="pool_dl_xlsx")
    d2.download_button("Unduh tabel (CSV)", lambda: export_safe.to_bytes(table, "csv"), f"talent_pool_{by}_{period}.csv",
                       key="pool_dl_csv")
    picked = talent.selected_customdata("pool_heat")
    if picked:
        group, kotak = str(picked[0]), int(picked[1])
        cell = f"{label} {escape.markdown(group)}, " + (f"kotak {kotak}" if kotak else "belum terpetakan")
        members = queries.placements(scope, flt, period, rs, kotak=kotak or None, placed=False if kotak == 0 else None,
                                     group=(by, group), limit=5000)
        if threshold and members.empty:
            st.info(f"{cell}: jumlahnya disembunyikan (kelompok kecil); daftar tidak ditampilkan.")
        else:
            st.subheader(f"{cell}: {fmt.num(len(members))} pegawai")
            listed = ["nip", "nama", "opd", "jabatan", "skor_kinerja", "skor_potensial", "kotak", "alasan"]
            tables.show(members[[c for c in listed if c in members]],
                        key="pool_tbl_members", height=300, decimals={"skor_kinerja": 2, "skor_potensial": 2})
            actions.download_button(st, "Unduh daftar (CSV)", members, "csv", f"talent pool {by} {group} kotak {kotak}",
                                    f"talent_pool_{escape.filename(group)}_{kotak}.csv", key="pool_dl_members")
    else:
        st.caption("Klik sel untuk melihat daftar pegawainya.")
with tab_bars:
    st.plotly_chart(charts.pool_stacked(table, title=f"Proporsi kotak per {label.lower()}, {period}",
                                        group_label=label), key="pool_bars", config=presentation.CHART_CONFIG)
with tab_bench:
    st.write(f"Anggota KRS (kotak {rules.KRS_SHORT}) dibanding jumlah jabatan manajerial (JPT, Administrator, Pengawas) per OPD, "
             "dan pejabat yang mencapai batas usia pensiun (BUP) dalam dua tahun. OPD tanpa suksesor di atas.")
    bench = queries.bench_strength(scope, flt, period, rs, dt.date.today())
    if len(bench) > tables.SCREEN_ROWS:
        st.caption(f"{fmt.num(tables.SCREEN_ROWS)} OPD terlemah dari {fmt.num(len(bench))}; unduh untuk semuanya.")
    st.download_button("Unduh kekuatan suksesi (CSV)", lambda: export_safe.to_bytes(bench, "csv"),
                       file_name=f"kekuatan_suksesi_{period}.csv", mime="text/csv", key="pool_dl_bench")
    tables.show(bench.head(tables.SCREEN_ROWS), key="pool_tbl_bench", height=420, labels={
        "instansi": "Instansi", "opd": "OPD", "jabatan_manajerial": "Jabatan manajerial", "jpt": "JPT",
        "administrator": "Administrator", "pengawas": "Pengawas", "pensiun_2_tahun": "Pensiun ≤ 2 tahun",
        "krs": "Anggota KRS", "krs_pejabat": "KRS yang sudah pejabat", "krs_per_jabatan": "KRS per jabatan",
        "tanpa_suksesor": "Tanpa suksesor"}, decimals={"krs_per_jabatan": 2})
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
        moves = queries.movement_by_group(scope, flt, frm, period, rs, by)
        tables.show(moves, key="pool_tbl_moves", labels={"group": label, "naik": "Naik", "tetap": "Tetap",
                    "turun": "Turun", "baru_terpetakan": "Baru terpetakan",
                    "tidak_terpetakan_lagi": "Tidak terpetakan lagi"},
                    ints=("naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi"))
        st.caption("Naik/turun: pindah ke kotak bernomor lebih tinggi/rendah, di antara pegawai yang terpetakan "
                   "pada kedua periode.")
