"""Every page, in normal and presentation mode, shows Indonesian words: no raw column name, no snake_case
header, no "None"/"nan"/"empty" in any table header or cell, chart axis, legend or category label."""
from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from streamlit import dataframe_util

from talenta import labels, schema

PAGES = ["views/ringkasan.py", "views/peta.py", "views/pool.py", "views/hipo.py", "views/data.py", "views/ekspor.py",
         "views/impor.py", "views/aturan.py", "views/pengguna.py", "views/cadangan.py"]
# (session-state key, tab label) of the tabs a page runs only when they are opened
LAZY_TABS = {"views/pool.py": [("pool_tab", t) for t in ("Proporsi kotak", "Kekuatan suksesi", "Perpindahan antarperiode",
                                                                 "Uji kesetaraan")],
             "views/hipo.py": [("hipo_tab", t) for t in ("Talenta tersembunyi", "Di KRS, tidak ditandai")],
             "views/peta.py": [("peta_unplaced", True)]}      # the unplaced list, opened
RAW = {k for k, v in labels.LABELS.items() if k != v}
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
BAD_CELLS = {"none", "nan", "empty", "<na>", "nat"}


def _bad_word(text: str) -> bool:
    t = str(text).strip()
    return t in RAW or bool(SNAKE.match(t)) or t.lower() in BAD_CELLS


def table_words(el) -> tuple[list[str], list[str]]:
    """(headers, displayed cell texts) of one rendered dataframe as the browser shows them."""
    config = json.loads(el.proto.columns or "{}")
    df = el.value
    headers = []
    for c in df.columns:
        conf = config.get(f"col:{c}") or config.get(str(c)) or {}
        if conf.get("hidden"):
            continue
        headers.append(conf.get("label", str(c)))
    styler = el.proto.arrow_data.styler
    shown = dataframe_util.convert_arrow_bytes_to_pandas_df(styler.display_values) if styler.display_values else df
    cells = [str(v) for v in shown.to_numpy().ravel()]
    return headers, cells


def chart_words(el) -> list[str]:
    """Axis titles, tick labels, legend names and category labels of a plotly chart."""
    spec = json.loads(el.proto.spec)
    layout, words = spec.get("layout", {}), []
    for k, v in layout.items():
        if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict):
            t = v.get("title")
            words.append(t.get("text", "") if isinstance(t, dict) else (t or ""))
            words += [str(x) for x in v.get("ticktext", [])]
    for tr in spec.get("data", []):
        if tr.get("showlegend", True) and tr.get("name"):
            words.append(tr["name"])
        for axis in ("x", "y"):
            vals = tr.get(axis)
            if isinstance(vals, list) and vals and all(isinstance(v, str) for v in vals):
                words += vals
        node = tr.get("node", {})
        words += [str(x) for x in node.get("label", [])]
    return [w for w in words if w]


def offenders(at: AppTest) -> list[str]:
    found = []
    for el in at.dataframe:
        headers, cells = table_words(el)
        found += [f"tabel {el.key}: judul kolom {h!r}" for h in headers if _bad_word(h)]
        found += [f"tabel {el.key}: sel {c!r}" for c in set(cells) if str(c).strip().lower() in BAD_CELLS]
        if el.value.empty:
            found.append(f"tabel {el.key} {headers}: tanpa baris (Streamlit menulis \"empty\")")
    for el in at.get("plotly_chart"):
        found += [f"grafik: {w!r}" for w in chart_words(el) if _bad_word(w)]
    return found


def _open(app, db, page, presentation):
    at = app(db)
    if presentation:
        at.sidebar.toggle(key="presentasi").set_value(True).run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_indonesian(app, db_copy, page, monkeypatch):
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "3")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    at = _open(app, db_copy, page, presentation=False)
    assert at.dataframe or at.get("plotly_chart") or page in ("views/ekspor.py", "views/cadangan.py"), f"{page} rendered nothing to check"
    assert offenders(at) == []
    for key, tab in LAZY_TABS.get(page, ()):     # tabs that run only when opened: each one, opened
        at.session_state[key] = tab
        at.run()
        assert not at.exception, (page, tab)
        assert at.dataframe or at.get("plotly_chart"), f"{page} / {tab} rendered nothing to check"
        assert offenders(at) == [], (page, tab)


def test_every_presentation_step_reads_indonesian(app, db_copy, monkeypatch):
    """Presentation mode draws the key views as steps (talenta/ui/slides.py): walk them with the stepper."""
    from talenta.ui import slides

    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "3")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    at = app(db_copy)
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    for i in range(len(slides.STEPS)):
        assert not at.exception, (i, at.exception)
        assert offenders(at) == [], i
        if i < len(slides.STEPS) - 1:
            at.button(key=f"pres_next_{i}").click().run()


def _raw_page():
    import pandas as pd
    import streamlit as st

    st.dataframe(pd.DataFrame({"skor_kinerja": [None], "kotak_1": [1.0], "Nama": ["empty"]}))
    st.dataframe(pd.DataFrame({"Nama": []}))


def test_the_check_catches_raw_names():
    """The detector itself: a raw frame is caught (so the tests above can fail)."""
    script = AppTest.from_function(_raw_page)
    script.run()
    found = offenders(script)
    assert any("'skor_kinerja'" in f for f in found) and any("'kotak_1'" in f for f in found)
    assert any("'None'" in f or "'nan'" in f for f in found) and any("'empty'" in f for f in found)
    assert any("tanpa baris" in f for f in found)


def _texts(at) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.subheader, *at.info, *at.error])


def test_drill_down_lists_read_indonesian(app, db_copy):
    at = _open(app, db_copy, "views/pool.py", presentation=False)
    group = next(d.value for d in at.dataframe if "krs_persen" in d.value.columns)["group"].iloc[0]
    at.session_state["pool_heat"] = {"selection": {"points": [{"customdata": [group, 0]}]}}
    at.run()
    assert not at.exception
    headers = [table_words(d)[0] for d in at.dataframe]
    assert any("Alasan" in h and "NIP" in h for h in headers), headers      # the list of the clicked cell
    assert offenders(at) == []
    at = _open(app, db_copy, "views/peta.py", presentation=False)
    at.session_state["peta_grid"] = {"selection": {"points": [{"customdata": [5]}], "point_indices": [4]}}
    at.run()
    assert any("Skor kinerja" in table_words(d)[0] for d in at.dataframe)
    assert offenders(at) == []


def test_pool_drill_down_outlines_the_clicked_cell(app, db_copy):
    at = _open(app, db_copy, "views/pool.py", presentation=False)
    groups = next(d.value for d in at.dataframe if "krs_persen" in d.value.columns)["group"].tolist()
    at.session_state["pool_heat"] = {"selection": {"points": [{"customdata": [groups[2], 7]}]}}
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    outline = [s for s in spec["layout"]["shapes"] if s["line"]["width"] == 4]
    assert [((s["x0"] + s["x1"]) / 2, (s["y0"] + s["y1"]) / 2) for s in outline] == [(6, 2)]   # kotak 7, third row


def test_data_and_ringkasan_give_the_same_breakdown_of_the_unplaced(app, db_copy):
    pattern = re.compile(r"[\d.]+ belum pernah asesmen, .*? asesmennya di luar masa berlaku")
    found = []
    for page in ("views/ringkasan.py", "views/data.py", ):
        at = _open(app, db_copy, page, presentation=False)
        found.append(pattern.search(_texts(at)).group(0))
    assert found[0] == found[1]
    assert "tanpa kinerja dan asesmen" in found[0]


def test_aturan_fields_read_indonesian_numbers_and_refuse_other_text(app, db_copy):
    at = _open(app, db_copy, "views/aturan.py", presentation=False)
    fields = {t.key: t.value for t in at.text_input}
    assert fields["at_k_atas"] == "90" and not any("." in v for k, v in fields.items() if k.startswith("at_pt_"))
    assert [t.label for t in at.text_input if t.key.startswith("at_pt_")] == \
        [f"Nilai predikat {p}" for p in schema.PREDIKAT]           # the regulation's order, not alphabetical
    at.text_input(key="at_k_atas").input("sembilan puluh")
    at.button[0].click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Kinerja: batas 'di atas ekspektasi'" in e and "sembilan puluh" in e for e in errors)
    assert "at_save" not in [b.key for b in at.button]                  # nothing to save from a broken form
