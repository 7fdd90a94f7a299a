"""AppTest over Ringkasan and Talent Pool: the numbers shown are the library's, masking hides small groups."""
from talenta import pool, privacy, rulesets, store, talentmap
from talenta.scope import Filters, Scope
from talenta.ui import fmt

from .conftest import shown


def _ctx(db):
    con = store.connect(db)
    return con, rulesets.active(con)


def test_ringkasan_is_the_landing_page_with_headline_figures(app, db_copy):
    at = app(db_copy)
    assert not at.exception
    assert at.title[0].value == "Ringkasan Manajemen Talenta 2025"
    con, rs = _ctx(db_copy)
    s = talentmap.summary(con, Scope(), Filters(period=2025).at(2025), rs)
    m = {x.label: x.value for x in at.metric}
    assert m["ASN dalam filter"] == "1.500"
    assert m["Terpetakan"] == fmt.num(s["terpetakan"]) and m["KRS (kotak 7-8-9)"] == fmt.persen(s["krs_persen"])
    assert m["Kotak 9"] == fmt.num(s["kotak_9"]) and m["Kotak 1"] == fmt.num(s["kotak_1"])
    assert any(f"Belum terpetakan: {fmt.num(s['belum_terpetakan'])} pegawai" in md.value for md in at.markdown)
    table = pool.pool_table(con, Scope(), Filters(period=2025).at(2025), rs, "opd")
    best, worst = pool.strongest_weakest(table, 5, 5)
    shown = [d.value for d in at.dataframe if "krs_persen" in d.value.columns]
    assert shown[0]["group"].tolist() == best["group"].tolist()
    assert shown[1]["group"].tolist() == worst["group"].tolist()


def test_presentation_mode_masks_small_counts(app, db_copy):
    at = app(db_copy)
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    at.multiselect(key="flt_opd").select("Inspektorat").run()
    assert not at.exception
    con, rs = _ctx(db_copy)
    flt = Filters(period=2025, opd=("Inspektorat",))
    s = talentmap.summary(con, Scope(), flt.at(2025), rs)
    masked = talentmap.summary(con, Scope().masked(5), flt.at(2025), rs)
    m = {x.label: x.value for x in at.metric}
    for key, label in (("kotak_9", "Kotak 9"), ("kotak_1", "Kotak 1")):
        if 0 < s[key] < 5:
            assert m[label] == privacy.HIDDEN
        assert m[label] == privacy.text(masked[key], fmt.num)


def test_talent_pool_page_table_and_drill_down(app, db_copy):
    at = app(db_copy, "views/pool.py")
    assert not at.exception
    con, rs = _ctx(db_copy)
    expected = pool.pool_table(con, Scope(), Filters(period=2025).at(2025), rs, "opd")
    table = next(d.value for d in at.dataframe if "krs_persen" in d.value.columns)
    assert table["group"].tolist() == expected["group"].tolist()
    assert table["total"].sum() == 1500
    group = expected["group"].iloc[0]
    at.session_state["pool_heat"] = {"selection": {"points": [{"customdata": [group, 5]}]}}
    at.run()
    assert not at.exception
    n5 = int(expected.set_index("group").loc[group, "kotak_5"])
    assert any(shown(h.value) == f"OPD {group}, kotak 5: {fmt.num(n5)} pegawai" for h in at.subheader)


def test_talent_pool_grouping_and_bench(app, db_copy):
    at = app(db_copy, "views/pool.py")
    at.selectbox(key="pool_by").select("kelompok_usia").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "krs_persen" in d.value.columns)
    assert set(table["group"]) <= {"< 30", "30-39", "40-49", "50-54", "55+"}
    # only the open tab runs: the bench is computed when its tab is opened
    assert not any("jabatan_manajerial" in d.value.columns for d in at.dataframe)
    at.session_state["pool_tab"] = "Kekuatan suksesi"
    at.run()
    assert not at.exception
    bench = next(d.value for d in at.dataframe if "jabatan_manajerial" in d.value.columns)
    assert (bench["jabatan_manajerial"] > 0).all() and bench["krs_per_jabatan"].is_monotonic_increasing


def test_talent_pool_masked_hides_small_cells(app, db_copy):
    import json

    at = app(db_copy, "views/pool.py")
    at.sidebar.toggle(key="presentasi").set_value(True).run()      # the presentation step of Talent Pool
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    heat = next(t for t in spec["data"] if t["type"] == "heatmap")
    cells = [c for row in heat["text"] for c in row]
    counts = [int(c.replace(".", "")) for c in cells if c.replace(".", "").isdigit()]
    assert counts and not [c for c in counts if 0 < c < 5]
    assert privacy.HIDDEN in cells


def test_a_grouping_of_more_groups_than_a_chart_draws_draws_both_ends_and_lists_all(app, db_copy):
    """Over several instansi every office is a row (7.500 at 2 million ASN): the heatmap of all of them kept the
    browser busy for over ten minutes. The chart draws the 30 strongest and 30 weakest; the table keeps all."""
    import json

    con, rs = _ctx(db_copy)
    expected = pool.pool_table(con, Scope(), Filters(period=2025).at(2025), rs, "unit_kerja")
    con.close()
    assert len(expected) > pool.CHART_ROWS
    at = app(db_copy, "views/pool.py")
    at.selectbox(key="pool_by").select("unit_kerja").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "krs_persen" in d.value.columns)
    assert table["group"].tolist() == expected["group"].tolist()[:500]     # the screen's rows; the files hold all
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    rows = spec["data"][0]["y"]
    ranked = expected[expected["krs_persen"].notna()]["group"].tolist()
    assert len(rows) == pool.CHART_ROWS and rows[:30] == ranked[:30] and rows[30:] == ranked[-30:]
    assert "dari " + fmt.num(len(expected)) in spec["layout"]["title"]["text"]
    left = len(expected) - pool.CHART_ROWS
    assert any(c.value.startswith(f"{fmt.num(left)} unit kerja lain tidak digambar") for c in at.caption)


def test_a_masked_screen_that_hides_every_share_still_draws_the_groups(app, db_copy):
    """Review 15, 2: tamu grouping by unit kerja (every share hidden) got an empty heatmap titled '30 highest and
    30 lowest' and was told to use filters it does not have."""
    import json

    at = app(db_copy, "views/pool.py", user="tamu")
    at.selectbox(key="pool_by").select("unit_kerja").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "krs_persen" in d.value.columns)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    rows = spec["data"][0]["y"]
    assert len(rows) == pool.CHART_ROWS and "tertinggi" not in spec["layout"]["title"]["text"]
    assert not any(s.get("line", {}).get("dash") == "dash" for s in spec["layout"].get("shapes", []))
    said = " ".join(c.value for c in at.caption if "tidak digambar" in c.value)
    assert said and "filter" not in said
    assert len(table) >= pool.CHART_ROWS
