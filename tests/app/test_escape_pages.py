"""Values from data and users show as typed on the pages: no link, image, emphasis or HTML from an OPD name,
an employee name or a rule-set name and note (the markdown Streamlit receives is rendered here as CommonMark)."""
import html
import shutil

import pytest
from markdown_it import MarkdownIt

from talenta import escape, rules, rulesets, store
from tests import hostile_db

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def rendered(markdown: str) -> str:
    """The HTML a reader's browser gets for ``markdown`` (a paragraph's tags stripped)."""
    out = MD.render(markdown).strip()
    return out[3:-4] if out.startswith("<p>") and out.endswith("</p>") else out


def assert_plain(markdown: str, *values: str) -> None:
    out = rendered(markdown)
    assert "<" not in out, out                     # no <img>, <a>, <strong>, raw HTML
    for v in values:
        assert v in html.unescape(out).replace(escape.WORD_JOINER, "")


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    return hostile_db.build(d / "base.duckdb", d / "files")


@pytest.fixture
def hostile(hostile_file, tmp_path):
    p = tmp_path / "talenta.duckdb"
    shutil.copy(hostile_file, p)
    return p


def test_hostile_opd_chosen_in_the_sidebar_shows_literally_in_the_caption(app, hostile):
    at = app(hostile)
    at.multiselect(key="flt_opd").select(hostile_db.IMAGE_OPD).select(hostile_db.LINK_OPD).run()
    assert not at.exception
    caption = next(c.value for c in at.caption if c.value.startswith("Filter aktif"))
    assert_plain(caption, hostile_db.IMAGE_OPD, hostile_db.LINK_OPD)
    # the filter itself works on the stored value
    assert at.metric[0].value == "55"


def test_rule_set_name_and_note_show_literally_on_aturan(app, hostile):
    con = store.connect(hostile)
    name, note = "![r](http://127.0.0.1:9/r.png) Komite", "Lihat [notulen](http://127.0.0.1:9/n) **penting** $a$"
    rulesets.save(con, rules.DEFAULT.with_(potensial_menengah=70.0), name=name, note=note, user="<b>admin</b>")
    con.close()
    at = app(hostile, "views/aturan.py")
    assert not at.exception
    assert_plain(at.subheader[0].value, name)
    assert_plain(at.caption[0].value, note, "<b>admin</b>")
    at.switch_page("views/peta.py").run()
    at.session_state["peta_grid"] = {"selection": {"points": [{"customdata": [5]}], "point_indices": [4]}}
    at.run()
    assert_plain(next(c.value for c in at.caption if " pegawai · " in c.value), name)


def test_hostile_opd_cell_of_the_pool_heatmap_lists_its_people_under_a_literal_title(app, hostile):
    con = store.connect(hostile, read_only=True)
    try:     # the people of that OPD (its name is said in the title, not repeated per row)
        theirs = set(store.query_df(con, "SELECT nip FROM employee WHERE opd = $o", {"o": hostile_db.LINK_OPD})["nip"])
    finally:
        con.close()
    at = app(hostile, "views/pool.py")
    at.session_state["pool_heat"] = {"selection": {"points": [{"customdata": [hostile_db.LINK_OPD, 0]}]}}
    at.run()
    assert not at.exception
    heading = next(h.value for h in at.subheader if "belum terpetakan" in h.value)
    assert_plain(heading, f"OPD {hostile_db.LINK_OPD}, belum terpetakan")
    table = next(d.value for d in at.dataframe if "alasan" in d.value.columns)
    assert len(table) and set(table["nip"]) <= theirs


def test_presentation_tables_profile_metrics_and_data_help_show_data_as_typed(app, hostile):
    """st.table (the presentation steps' tables), st.metric's value and a metric's help render markdown: the KRS
    ranking's OPD names, a profile's pendidikan and the rule-set name in the Data page's help fetched images and
    drew bold text (review 20b, 3-5)."""
    con = store.connect(hostile)
    name = "![r](http://127.0.0.1:9/r.png) **Aturan** $a$"
    rulesets.save(con, rules.DEFAULT.with_(potensial_menengah=70.0), name=name, note="", user="admin")
    nip = store.query_one(con, "SELECT min(nip) FROM employee")[0]
    con.execute("UPDATE employee SET pendidikan = $p WHERE nip = $n", {"p": "**S2** ![p](http://127.0.0.1:9/p.png)",
                                                                       "n": nip})
    con.close()
    at = app(hostile)
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    at.button(key="pres_next_0").click().run()
    assert not at.exception and at.table, "the second step (Peringkat KRS) draws its tables"
    cells = [str(i) for t in at.table for i in t.value.index] + \
        [str(v) for t in at.table for v in t.value.to_numpy().ravel()] + [str(c) for t in at.table for c in t.value.columns]
    hostile_cells = [c for c in cells if "Gambar" in c or "Tautan" in c or "Tebal" in c]
    assert hostile_cells, "the hostile OPD rank among the groups shown"
    for c in cells:
        assert "<" not in rendered(c), c
    at = app(hostile, "views/data.py")
    helps = [m.help for m in at.metric if m.help and "syarat sumbu" in m.help]
    assert len(helps) == 2 and all("<" not in rendered(h) for h in helps)
    at = app(hostile, "views/profil.py")
    from talenta.ui import people
    at.session_state[people.PROFILE_NIP] = nip
    at.run()
    shown = [m.value for m in at.metric if m.label == "Pendidikan"]
    assert shown and "<" not in rendered(shown[0]) and "S2" in shown[0]
