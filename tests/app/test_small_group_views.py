"""A masked view with filters that leave a small group (the demo's Kecamatan Ilir Barat II, Pelaksana: six
people, one placed in every period): presentation mode, whose presenter chooses the filters (a ``tamu`` account
chooses none: ``privacy.published_filters``). Before, the grid showed eight boxes at 0 beside one hidden box (where the
one placed person is) and an empty trend chart. (Its five unplaced are not a small group: their reasons may read 0.)"""
import json
import re

from talenta.ui import summary

OPD, JENIS = "Kecamatan Ilir Barat II", "Pelaksana"


def _box_labels(at) -> list[str]:
    """The nine-box grid's counts as drawn (the bold annotation under each box's name)."""
    grid = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if "Kotak 9" in c.proto.spec and "annotations" in json.loads(c.proto.spec).get("layout", {}))
    return [m.group(1) for a in grid["layout"]["annotations"]
            if (m := re.fullmatch(r"<b>(.+)</b>", a.get("text", ""))) and not a["text"].startswith("<b>Kotak")]


def _presenting(app, db, page=None):
    at = app(db, page, user="komite")
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    at.multiselect(key="flt_opd").select(OPD).run()
    at.multiselect(key="flt_jenis_jabatan").select(JENIS).run()
    return at


def test_a_masked_view_shows_no_zero_beside_a_hidden_box_nor_an_empty_trend(app, db_copy):
    at = _presenting(app, db_copy)
    assert not at.exception
    assert at.metric[0].value == "6"                            # the group's size (six) stays shown
    assert any(i.value == summary.TREND_HIDDEN for i in at.info)
    assert not any("Perkembangan" in c.proto.spec for c in at.get("plotly_chart"))
    for i in range(8):                                          # the step with the nine-box grid
        if any("Kotak 9" in c.proto.spec for c in at.get("plotly_chart")):
            break
        at.button(key=f"pres_next_{i}").click().run()
    labels = _box_labels(at)
    assert len(labels) == 9 and set(labels) == {"•"}, labels    # no 0 tells where the placed one is
    # the operator sees the same group's boxes as they are
    admin = app(db_copy, user="admin")
    admin.sidebar.multiselect(key="flt_opd").select(OPD).run()
    admin.sidebar.multiselect(key="flt_jenis_jabatan").select(JENIS).run()
    assert "0" in _box_labels(admin) and not any(i.value == summary.TREND_HIDDEN for i in admin.info)


def test_tamu_on_potensi_tinggi_of_a_small_group_gets_sentences_not_empty_charts(app, db_copy, monkeypatch):
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "4")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    monkeypatch.setenv("TALENTA_MIN_GROUP", "50000")     # the guest's whole scope (21.700) is a small group
    at = app(db_copy, "views/hipo.py", user="tamu")
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "Profil klaster tidak ditampilkan" in infos and "setiap titik bisa menunjuk satu orang" in infos
    assert len(at.get("plotly_chart")) == 0
    # no download over the masked (empty) list of flagged employees
    assert not [b for b in at.get("download_button") if b.proto.label in ("Unduh XLSX", "Unduh CSV")]
    admin = app(db_copy, "views/hipo.py", user="admin")
    assert [b.proto.label for b in admin.get("download_button")][:2] == ["Unduh XLSX", "Unduh CSV"]


def test_tamu_movement_tab_states_the_totals_and_no_blank_table(app, db_copy):
    """Review 6: the masked Perpindahan tab drew a table of 53 blank rows and no naik/turun totals."""
    at = app(db_copy, "views/pool.py", user="tamu")
    at.session_state["pool_tab"] = "Perpindahan antarperiode"
    at.run()
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert re.search(r"naik kotak", said), said
    assert not [d for d in at.dataframe if getattr(d, "key", None) == "pool_tbl_moves"]
    assert any("tampilan tersamar" in c.value for c in at.caption)
    admin = app(db_copy, "views/pool.py")
    admin.session_state["pool_tab"] = "Perpindahan antarperiode"
    admin.run()
    assert len(admin.dataframe) >= 1 and not any("tampilan tersamar" in c.value for c in admin.caption)
