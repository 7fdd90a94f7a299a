"""Ringkasan: what leadership sees first — headline figures, a small nine-box, strongest and weakest OPD, the trend."""
import streamlit as st

from talenta import charts, overview, privacy, rules, succession, succession_report
from talenta.escape import markdown as md
from talenta.ui import filters, fmt, queries, resources, summary, tables, talent, presentation
from talenta.ui import suksesi as suksesi_q

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
if thin := queries.thin_period_note(period, settings.period_min_share):
    st.warning(thin)
rs = queries.active_rule_set()
s = summary.headline_metrics(scope, flt, rs)
hide = lambda n: privacy.text(n, fmt.num)  # noqa: E731
if not privacy.hidden(s["pegawai"]) and s["pegawai"] == 0:
    st.info("Tidak ada pegawai dalam filter ini. Ubah atau kosongkan filter di sidebar.")
    st.stop()

unplaced = queries.unplaced_counts(scope, flt, rs).set_index("alasan")["n"]
get = lambda k: unplaced.get(k, 0)  # noqa: E731
st.markdown(
    f"**Belum terpetakan: {hide(s['belum_terpetakan'])} pegawai** — {talent.unplaced_breakdown(scope, flt, rs)}. "
    f"Kelengkapan data: **{fmt.pct(s['persen_terpetakan'])}** pegawai dapat dipetakan.")
if privacy.threshold(scope):
    st.caption(privacy.note(privacy.threshold(scope)))

left, right = st.columns([5, 4])
with left:
    st.plotly_chart(charts.nine_box(queries.box_counts(scope, flt, rs), height=470, compact=True,
                                    title=f"Peta talenta {period}",
                                    footnote=talent.footnote(scope, flt, rs, queries.last_import())),
                    key="ring_grid", config=presentation.CHART_CONFIG)
with right:
    label, best, worst = summary.rankings(scope, flt, rs)
    cols = {"group": label, "terpetakan": "Terpetakan", "krs": "KRS", "krs_persen": "% KRS"}
    for title, df, key in (("tertinggi", best, "ring_best"), ("terendah", worst, "ring_worst")):
        st.markdown(f"**{label} dengan bagian KRS {title}**")
        tables.show(df[list(cols)], labels=cols, ints=("terpetakan", "krs"), percents=("krs_persen",), key=key)
    no_pool = int((queries.pool_table(scope, flt, rs, "opd")["krs"] == 0).sum())
    if no_pool:
        st.warning(f"{no_pool} OPD belum punya satu pun pegawai di Kelompok Rencana Suksesi.")
    if label != "OPD":
        st.caption("Satu OPD dalam tampilan: peringkat per unit kerja (dengan paling sedikit 5 pegawai terpetakan).")

periods = tuple(p for p in queries.periods() if p <= period)
trend = queries.trend(scope, flt, periods, rs)
if summary.trend_shown(trend):
    st.plotly_chart(charts.trend(trend, title="Perkembangan: pegawai terpetakan dan bagian KRS per periode"),
                    key="ring_trend", config=presentation.CHART_CONFIG)
else:
    st.info(summary.TREND_HIDDEN)
st.caption(f"Impor data terakhir: {fmt.date(queries.last_import_date())} · {md(rs.label)} · "
           f"bagian KRS = kotak {rules.KRS_SHORT} dibagi pegawai terpetakan.")

# Suksesi (issue 17): the share of target posts per OPD with a successor ready now

suk_scope = succession.filtered_scope(scope, flt)       # the instansi filter; the OPD filter is an argument
chart_note = None       # the chart's groups left out, said once below it
if not privacy.people_allowed(scope):       # tamu: the library's aggregate, small counts hidden (no post)
    # per instansi when the posts span several; the weakest groups only (every office of a country is thousands)
    pipe, total = suksesi_q.pipeline_summary(suk_scope, period, rs, suksesi_q.active_rules(), flt.opd)
    if len(pipe):
        by = pipe.columns[0]
        st.plotly_chart(succession_report.pipeline_table_chart(
            pipe.head(succession_report.CHART_GROUPS), by=by,
            title=f"Kesehatan pipeline suksesi: {hide(total['berisiko'])} dari {hide(total['jabatan_target'])} "
                  "jabatan target belum punya calon siap sekarang"), key="ring_pipeline",
            config=presentation.CHART_CONFIG)
        chart_note = succession_report.chart_note(by, len(pipe))
else:
    posts = suksesi_q.targets(suk_scope, period, rs, suksesi_q.active_rules(), succession.reference_date(period),
                              flt.opd, identities=False)       # counts only: no holder's name to mask or to send
    if len(posts):
        risk = int((~posts["ada_siap_sekarang"]).sum())
        by, weakest, n_groups = succession_report.weakest(posts)
        st.plotly_chart(succession_report.pipeline_chart(
            weakest, by=by, title=f"Kesehatan pipeline suksesi: {fmt.num(risk)} dari {fmt.num(len(posts))} jabatan "
                                  "target belum punya calon siap sekarang"), key="ring_pipeline",
            config=presentation.CHART_CONFIG)
        chart_note = succession_report.chart_note(by, n_groups)
if chart_note:
    st.caption(chart_note + "; semuanya di halaman Suksesi.")
if note := succession.unused_filters_note(flt):
    st.caption(note)
