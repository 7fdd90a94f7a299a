"""Ringkasan: what leadership sees first — headline figures, a small nine-box, strongest and weakest OPD, the trend."""
import streamlit as st

from talenta import charts, pool, privacy, rules
from talenta.escape import markdown as md
from talenta.ui import filters, fmt, queries, resources, tables, talent, presentation

scope = resources.current_scope()
flt = filters.current_filters()
settings = resources.get_settings()
st.title(f"Ringkasan Manajemen Talenta {flt.period or ''}")
filters.summary_line(flt)
if flt.period is None:
    st.info("Belum ada data kinerja atau asesmen. Impor berkasnya di halaman Impor Data, atau jalankan `make run` "
            "untuk data demo.")
    st.stop()
period = flt.period
rs = queries.active_rule_set()
s = queries.talent_summary(scope, flt, period, rs)
hide = lambda n: privacy.text(n, fmt.num)  # noqa: E731

c = st.columns(5)
c[0].metric("ASN dalam filter", hide(s["pegawai"]))
c[1].metric("Terpetakan", hide(s["terpetakan"]), help="Punya kinerja dan asesmen yang berlaku untuk periode ini.")
c[2].metric(f"KRS (kotak {rules.KRS_SHORT})", fmt.pct(s["krs_persen"]),
            help=f"Kelompok Rencana Suksesi: {hide(s['krs'])} pegawai di {rules.KRS_TEXT}, dibagi jumlah yang "
                 "terpetakan.")
c[3].metric("Kotak 9", hide(s["kotak_9"]), help="Kinerja di atas ekspektasi, potensial tinggi.")
c[4].metric("Kotak 1", hide(s["kotak_1"]), help="Kinerja di bawah ekspektasi, potensial rendah.")

unplaced = queries.unplaced_counts(scope, flt, period, rs).set_index("alasan")["n"]
get = lambda k: unplaced.get(k, 0)  # noqa: E731
st.markdown(
    f"**Belum terpetakan: {hide(s['belum_terpetakan'])} pegawai** — {hide(get('tanpa_asesmen'))} belum pernah "
    f"asesmen, {hide(get('tanpa_kinerja'))} tanpa kinerja yang berlaku, {hide(get('tanpa_kinerja_dan_asesmen'))} "
    f"tanpa keduanya, {hide(get('asesmen_kedaluwarsa'))} asesmennya kedaluwarsa. Kelengkapan data: "
    f"**{fmt.pct(s['persen_terpetakan'])}** pegawai dapat dipetakan.")
if privacy.threshold(scope):
    st.caption(privacy.note(privacy.threshold(scope)))

left, right = st.columns([5, 4])
with left:
    st.plotly_chart(charts.nine_box(queries.box_counts(scope, flt, period, rs), height=470, compact=True,
                                    title=f"Peta talenta {period}",
                                    footnote=talent.footnote(flt, rs, queries.status()["last_import"])),
                    key="ring_grid", config=presentation.CHART_CONFIG)
with right:
    table = queries.pool_table(scope, flt, period, rs, "opd")
    best, worst = pool.strongest_weakest(table, 5, max(privacy.threshold(scope), 5))
    cols = {"group": "OPD", "krs": "KRS", "krs_persen": "% KRS"}
    st.markdown("**OPD dengan bagian KRS tertinggi**")
    tables.show(best[list(cols)], labels=cols, ints=("krs",), pcts=("krs_persen",), key="ring_best")
    st.markdown("**OPD dengan bagian KRS terendah**")
    tables.show(worst[list(cols)], labels=cols, ints=("krs",), pcts=("krs_persen",), key="ring_worst")
    no_pool = int((table["krs"] == 0).sum())
    if no_pool:
        st.warning(f"{no_pool} OPD belum punya satu pun pegawai di Kelompok Rencana Suksesi.")

periods = tuple(p for p in queries.periods() if p <= period)
st.plotly_chart(charts.trend(queries.trend(scope, flt, periods, rs),
                             title="Perkembangan: pegawai terpetakan dan bagian KRS per periode"),
                key="ring_trend", config=presentation.CHART_CONFIG)
st.caption(f"Impor data terakhir: {fmt.date(queries.last_import_date())} · {md(rs.label)} · "
           f"bagian KRS = kotak {rules.KRS_SHORT} dibagi pegawai terpetakan.")
