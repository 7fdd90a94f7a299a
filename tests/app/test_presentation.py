"""Presentation mode: steps through the key views that keep the sidebar filters, show no lists, downloads,
search or editing, and keep the stepper when a step fails."""
import json
import re

import pytest

from talenta import rulesets, store, talentmap
from talenta.scope import Filters, Scope
from talenta.ui import fmt, slides

OPD = "Dinas Kesehatan"
N_STEPS = len(slides.STEPS)


@pytest.fixture(autouse=True)
def _small_model(monkeypatch):
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "2")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "3")


def walk(at):
    """Yield the step number on each step, moving on with the stepper's "→" button (a real click: the
    stepper calls st.switch_page, which AppTest follows)."""
    for i in range(N_STEPS):
        yield i
        if i < N_STEPS - 1:
            at.button(key=f"pres_next_{i}").click().run()


def asn_shown(at) -> str:
    """The number of ASN in the filter as the step shows it (a metric or the line under the title)."""
    for m in at.metric:
        if m.label == "ASN dalam filter":
            return m.value
    line = next(c.value for c in at.caption if "ASN dalam filter" in c.value)
    return re.search(r"\*\*([\d.•]+) ASN dalam filter\*\*", line).group(1)


def texts(at) -> list[str]:
    """Every text a viewer reads in the main area: titles, sentences, metrics, table cells and headers."""
    out = [x.value for x in [*at.title, *at.subheader, *at.markdown, *at.caption, *at.info, *at.warning, *at.error]]
    out += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    for t in at.table:
        df = t.value
        out += [str(c) for c in df.columns] + [str(i) for i in df.index] + [str(v) for v in df.to_numpy().ravel()]
    return out


def test_every_step_keeps_the_opd_filter_and_shows_its_count(app, db_copy):
    at = app(db_copy)
    at.sidebar.multiselect(key="flt_opd").select(OPD).run()
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    con = store.connect(db_copy)
    flt = Filters(period=2025, opd=(OPD,))
    expected = fmt.num(talentmap.summary(con, Scope().masked(5), flt.at(2025), rulesets.active(con))["pegawai"])
    whole = fmt.num(talentmap.summary(con, Scope().masked(5), Filters(period=2025).at(2025), rulesets.active(con))["pegawai"])
    con.close()
    assert expected != whole
    titles = []
    for i in walk(at):
        assert not at.exception and not at.error, i
        titles.append(at.title[0].value)
        assert asn_shown(at) == expected, titles[-1]
        assert at.session_state["flt_opd"] == [OPD]
        keys = {b.key for b in at.main.button if b.key.startswith("pres_")}
        assert keys == {k for k, shown in ((f"pres_prev_{i}", i > 0), (f"pres_next_{i}", i < N_STEPS - 1)) if shown}
        assert any(f"Tampilan {i + 1} dari {N_STEPS}" in m.value for m in at.markdown)
        # which box the figures are (review 9, 6): said on every step
        assert any("Dasar kotak" in c.value for c in at.caption), titles[-1]
    assert titles == ["Ringkasan Manajemen Talenta 2025", "Bagian KRS per unit kerja 2025", "Peta Talenta 2025",
                      "Talent Pool per unit kerja 2025", "Potensi Tinggi 2025"]


def test_steps_show_no_people_downloads_search_or_none(app, db_copy):
    at = app(db_copy)
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    for i in walk(at):
        assert not at.exception, i
        assert len(at.get("download_button")) == 0 and len(at.main.text_input) == 0
        assert len(at.main.selectbox) == 0 and len(at.main.multiselect) == 0 and len(at.dataframe) == 0
        shown = texts(at)
        assert not [t for t in shown if re.search(r"\bNone\b|\bnan\b|<NA>", t)], i
        assert not [t for t in shown if re.search(r"\d{18}", t)], i          # no NIP
        assert len(at.get("plotly_chart")) <= 1, i                            # one chart per step
        for chart in at.get("plotly_chart"):                                   # and it draws something
            data = json.loads(chart.proto.spec)["data"]
            assert any(len(t.get("x") or t.get("z") or []) for t in data), i


def test_a_failing_step_keeps_the_stepper_and_names_the_error(app, db_copy, monkeypatch):
    from talenta.ui import queries

    def broken(*args, **kwargs):
        raise RuntimeError("rusak untuk uji")

    monkeypatch.setattr(queries, "hipo_view", broken)
    at = app(db_copy, "views/hipo.py", bugs_shown=True)
    at.sidebar.toggle(key="presentasi").set_value(True).run()       # the mode keeps the view the user was on
    assert not at.exception
    assert at.title[0].value == "Potensi Tinggi 2025"
    assert any(re.search(r"kode [0-9A-F]{6}", e.value) for e in at.error)
    assert "rusak untuk uji" not in " ".join(e.value for e in at.error)
    assert {b.key: b.label for b in at.main.button if b.key.startswith("pres_")} == \
        {f"pres_prev_{N_STEPS - 1}": "← Talent Pool"}
    at.button(key=f"pres_prev_{N_STEPS - 1}").click().run()
    assert not at.exception and at.title[0].value.startswith("Talent Pool per OPD")


def test_turning_the_mode_off_brings_the_page_back(app, db_copy):
    at = app(db_copy, "views/peta.py")
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    assert at.title[0].value == "Peta Talenta 2025" and not any(b.key == "peta_dots" for b in at.toggle)
    at.sidebar.toggle(key="presentasi").set_value(False).run()
    assert not at.exception
    assert at.title[0].value == "Peta Talenta 2025" and any(t.key == "peta_dots" for t in at.toggle)


def test_the_projector_scales_the_colour_scale_of_a_heatmap_too():
    """The Talent Pool step's colour scale ("Warna = bagian dari ASN kelompok", 0,0 %..30,0 %) was printed at
    its page size on the projector, too small to read from the back of a room."""
    import pandas as pd

    from talenta import charts, pool
    from talenta.ui import presentation

    row = {"group": "Dinas A", "total": 10, **{c: 1 for c in pool.BOX_COLS}, "belum_terpetakan": 1, "krs": 3,
           "krs_persen": 33.3}
    fig = charts.pool_heatmap(pd.DataFrame([row]), title="t", group_label="OPD")
    big = presentation.projector(fig, 600)
    before, after = fig.data[0].colorbar, big.data[0].colorbar
    assert after.tickfont.size > before.tickfont.size and after.title.font.size > before.title.font.size


def test_the_talent_pool_step_of_one_unit_is_as_tall_as_its_figure(app, db_copy):
    """An OPD of one unit: the step gave its chart 170 + 34 px while the heatmap's header alone (colour bar, box
    labels) needs 200, and the row was a strip of 2 px under a cut title (hostile pass, session 22)."""
    import json

    con = store.connect(db_copy)
    one = store.query_df(con, "SELECT opd FROM employee GROUP BY opd HAVING count(DISTINCT unit_kerja) = 1 "
                              "ORDER BY count(*) DESC LIMIT 1")["opd"].iloc[0]
    con.close()
    at = app(db_copy)
    at.sidebar.multiselect(key="flt_opd").select(one).run()
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    for i in walk(at):
        if at.title[0].value.startswith("Talent Pool"):
            break
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    heat = next(c for c in charts if any(t.get("type") == "heatmap" for t in c["data"]))
    assert len(heat["data"][0]["y"]) == 1
    assert heat["layout"]["height"] >= 1.3 * 226 - 1        # the figure's own height for one row, for the projector
