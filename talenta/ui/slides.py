"""The steps of presentation mode: each one screen (1920 x 1080) with its key figures and one chart.

A step reads the same cached library queries as its page, under the presentation scope (identities masked,
small groups hidden: ``privacy``); it shows no lists of people, downloads, search or editing widgets. The
steps of a page share its url path (``ringkasan``, ``peta-talenta``...) so switching the mode keeps the view.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts, hipo, pool, privacy, rules
from ..escape import markdown as md
from . import filters, fmt, presentation, queries, resources, summary

TOP = 8          # rows of each end of a ranking on one screen
REASONS = {"tanpa_kinerja": "Belum ada kinerja (SKP) yang berlaku", "tanpa_asesmen": "Belum pernah asesmen",
           "asesmen_kedaluwarsa": "Asesmen di luar masa berlaku",
           "tanpa_kinerja_dan_asesmen": "Belum ada kinerja dan asesmen"}


def _context():
    """Scope, filters, period and active rule set of this run; stops with a clear message without data."""
    scope, flt = resources.current_scope(), filters.current_filters()
    if flt.period is None:
        st.info("Belum ada data kinerja atau asesmen untuk dipresentasikan. Impor berkasnya lebih dulu.")
        st.stop()
    return scope, flt, flt.period, queries.active_rule_set()


def chosen(flt) -> str:
    """The filters chosen besides the period (in the title), as escaped markdown: "OPD: Dispora"."""
    labels = {"instansi": "Instansi", "opd": "OPD", "jenis_jabatan": "Jenis jabatan", "jenis_asn": "Jenis ASN"}
    bits = [f"{labels[c]}: {', '.join(v[:3])}" + (f" +{len(v) - 3} lainnya" if len(v) > 3 else "")
            for c in labels if (v := getattr(flt, c))]
    return md(" · ".join(bits)) if bits else "seluruh pegawai"


def _header(title: str, scope, flt, rs) -> dict:
    """The step's title and one line: filters, the number of ASN they hold, rule set and data date."""
    period = flt.need_period()
    s = queries.talent_summary(scope, flt, rs)
    st.title(f"{title} {period}")
    last = queries.last_import()
    note = f" · {privacy.note(privacy.threshold(scope))}" if privacy.threshold(scope) else ""
    st.caption(f"Filter: {chosen(flt)} · **{privacy.text(s['pegawai'], fmt.num)} ASN dalam filter** · "
               f"{md(rs.label)} · {_basis(scope, flt)} · data per {fmt.data_date(last)}{note}")
    return s


def _basis(scope, flt) -> str:
    """Which box every figure of the step is: computed or the Komite Talenta's (review 9, 6: the meeting's
    screen never said so, and the figures change when a session is closed)."""
    return md(queries.basis_note(scope, flt).rstrip("."))


def _lower(label: str) -> str:
    """"Unit kerja" -> "unit kerja" inside a sentence; an acronym ("OPD") stays as it is."""
    return label if label.isupper() else label.lower()


def _table(df: pd.DataFrame) -> None:
    """A small table of text cells: the first column names the rows, the figures are right-aligned by the
    presentation style (no toolbar, no search; hidden counts read "•"). ``st.table`` renders markdown in every cell,
    its index and its headers: each is escaped (an OPD named ``![x](http://…)`` shows as typed, fetches nothing)."""
    out = df.astype(object).map(lambda v: md(v) if isinstance(v, str) else v)
    out.columns = [md(c) for c in df.columns]
    st.table(out.set_index(out.columns[0]))


def ringkasan() -> None:
    scope, flt, period, rs = _context()
    st.title(f"Ringkasan Manajemen Talenta {period}")
    s = summary.headline_metrics(scope, flt, rs)
    last = queries.last_import()
    note = f" · {privacy.note(privacy.threshold(scope))}" if privacy.threshold(scope) else ""
    st.caption(f"Filter: {chosen(flt)} · {md(rs.label)} · {_basis(scope, flt)} · data per "
               f"{fmt.data_date(last)} · belum terpetakan: {privacy.text(s['belum_terpetakan'], fmt.num)} pegawai "
               f"(kelengkapan data {fmt.pct(s['persen_terpetakan'])}){note}")
    periods = tuple(p for p in queries.periods() if p <= period)
    trend = queries.trend(scope, flt, periods, rs)
    if summary.trend_shown(trend):
        presentation.chart(charts.trend(trend, title="Pegawai terpetakan dan bagian KRS per periode"), "slide_trend",
                           560)
    else:
        st.info(summary.TREND_HIDDEN)


def peringkat() -> None:
    scope, flt, period, rs = _context()
    label, best, worst = summary.rankings(scope, flt, rs, TOP)
    _header(f"Bagian KRS per {_lower(label)}", scope, flt, rs)
    left, right = st.columns(2, gap="large")
    for col, title, df in ((left, "tertinggi", best), (right, "terendah", worst)):
        with col:
            st.subheader(f"{label} dengan bagian KRS {title}")
            if df.empty:
                st.info(f"Tidak ada {_lower(label)} lain dengan paling sedikit 5 pegawai terpetakan.")
            else:
                _table(summary.ranking_frame(df, label))
    st.caption(f"Bagian KRS = pegawai di kotak {rules.KRS_SHORT} dibagi pegawai terpetakan; hanya kelompok dengan paling sedikit "
               "5 pegawai terpetakan yang diperingkat.")


def peta() -> None:
    scope, flt, period, rs = _context()
    s = _header("Peta Talenta", scope, flt, rs)
    left, right = st.columns([3, 2], gap="large")
    with left:
        presentation.chart(charts.nine_box(queries.box_counts(scope, flt, rs), rs=rs,
                                           title="Sebaran pegawai di sembilan kotak"), "slide_grid", 700)
    with right:
        num = lambda n: privacy.text(n, fmt.num)  # noqa: E731
        c = st.columns(2)
        c[0].metric("Terpetakan", num(s["terpetakan"]))
        c[1].metric(f"KRS (kotak {rules.KRS_SHORT})", fmt.persen(s["krs_persen"]), help=f"{num(s['krs'])} pegawai")
        st.subheader(f"Belum terpetakan: {num(s['belum_terpetakan'])} pegawai")
        unplaced = queries.unplaced_counts(scope, flt, rs)
        if len(unplaced):
            _table(pd.DataFrame({"Alasan": unplaced["alasan"].map(REASONS).fillna(unplaced["alasan"]),
                                 "Pegawai": [num(n) for n in unplaced["n"]]}))
        st.markdown(f"**{rules.KRS_TEXT.capitalize()}** (Kelompok Rencana Suksesi): dipertahankan dan disiapkan untuk jabatan target.")


def talent_pool() -> None:
    scope, flt, period, rs = _context()
    by = queries.ranking_by(scope, flt)
    label = pool.GROUPINGS[by][0]
    _header(f"Talent Pool per {_lower(label)}", scope, flt, rs)
    table = queries.pool_table(scope, flt, rs, by)
    # at most 2 x TOP rows, as the Talent Pool page's chart (``pool.extremes``): 45 OPD of a guest's screen, most
    # of them hidden, were squeezed into 710 px and their names printed over each other (review 20d, 1)
    shown, _, ends = pool.extremes(table, TOP)
    if ends:
        title = f"{TOP} {_lower(label)} dengan bagian KRS tertinggi dan {TOP} terendah (dari {fmt.num(len(table))})"
    elif len(shown) < len(table):
        title = (f"{fmt.num(len(shown))} dari {fmt.num(len(table))} {_lower(label)}: yang bagian KRS-nya tampil "
                 "lebih dahulu")
    else:
        title = f"Sebaran kotak talenta per {_lower(label)} (urut bagian KRS)"
    fig = charts.pool_heatmap(shown, title=title, group_label=label, split_after=TOP if ends else None)
    fig.update_yaxes(title=None)            # the title names the grouping; the axis title would crowd the names
    # the figure's own height (its header above the rows: colour bar, box labels) grown for the projector's type;
    # 170 + 34 a row left one unit's row a strip of 2 px under a cut title (hostile pass, session 22)
    presentation.chart(fig, "slide_pool", min(710, max(170 + 34 * len(shown), int((fig.layout.height or 0) * 1.3))))
    if len(table) > len(shown):
        st.caption(f"{fmt.num(len(table) - len(shown))} {_lower(label)} lain tidak ditampilkan di layar ini "
                   "(yang angkanya disembunyikan tidak diperingkat); tabel lengkap di halaman Talent Pool dan di "
                   "buku kerja Ekspor.")


def potensi_tinggi() -> None:
    scope, flt, period, rs = _context()
    _header("Potensi Tinggi", scope, flt, rs)
    st.warning("**Saran, bukan keputusan:** penanda dihasilkan algoritma sebagai pendapat kedua; Komite Talenta "
               "yang memutuskan.")
    v, _ = queries.hipo_view(scope, flt, rs, resources.get_settings().hipo_params(), 1)
    num = lambda n: privacy.text(n, fmt.num)  # noqa: E731
    c = st.columns(3)
    c[0].metric("Pegawai dengan asesmen berlaku", num(v.n))
    c[1].metric(hipo.flagged_label(v), num(v.n_hipo))
    c[2].metric(f"Talenta tersembunyi (di luar kotak {rules.KRS_SHORT})", num(v.n_hidden))
    # the profiles, not the scatter: a dot is a person, and the presentation scope draws none
    if not hipo.profiles_shown(v):     # every cluster hidden: said, not an empty chart (review 14, 10)
        st.info(hipo.profiles_withheld(scope))
        return
    presentation.chart(charts.cluster_profiles(v.profiles, hipo.FEATURES, "Profil tiap klaster: rata-rata nilai"),
                       "slide_hipo", 560)


# (url path of the page, title on the stepper, icon, body); the url path also decides who may open the step
STEPS = (
    ("ringkasan", "Ringkasan", "dashboard", ringkasan),
    ("ringkasan-peringkat", "Peringkat KRS", "leaderboard", peringkat),
    ("peta-talenta", "Peta Talenta", "grid_view", peta),
    ("talent-pool", "Talent Pool", "groups", talent_pool),      # per OPD, or per unit kerja of one OPD
    ("potensi-tinggi", "Potensi Tinggi", "star", potensi_tinggi),
)
ACCESS = {"ringkasan-peringkat": "ringkasan"}       # a detail step is open to whoever may open its page


def pages(may_open) -> list:
    """The steps the signed-in role may open, as ``st.Page`` objects (each body under ``presentation.guarded``)."""
    return [st.Page(presentation.step(title, body), title=title, icon=f":material/{icon}:", url_path=url)
            for url, title, icon, body in STEPS if may_open(ACCESS.get(url, url))]

