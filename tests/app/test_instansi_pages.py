"""Pages over a database of several instansi (a province; review 11): the sidebar's Instansi filter decides which
instansi Kalibrasi opens, and a move is made within the session on screen."""
from __future__ import annotations

import shutil

import pytest

from talenta import calibration, rulesets, store, talentmap
from talenta.scope import Filters, Scope


@pytest.fixture
def two(two_instansi_file, tmp_path):
    p = tmp_path / "t.duckdb"
    shutil.copy(two_instansi_file, p)
    return p


def test_kalibrasi_opens_the_chosen_instansi_and_moves_only_within_it(app, two):
    con = store.connect(two)
    rs = rulesets.active(con)
    names = sorted(store.query_df(con, "SELECT DISTINCT instansi FROM employee")["instansi"])
    period = int(store.query_one(con, "SELECT max(tahun) FROM performance")[0])
    placed = talentmap.placements(con, Scope(), Filters(period=period).at(period), rs, kotak=5)
    first = placed[placed["instansi"] == names[0]]["nip"].iloc[0]
    con.close()
    at = app(two, "views/kalibrasi.py", user="komite")
    at.sidebar.multiselect(key="flt_instansi").select(names[1]).run()
    assert not at.exception
    # one instansi to choose from: the sidebar's (the page opened the first alphabetically, whatever was chosen)
    assert not [s for s in at.selectbox if s.key == "kal_instansi"]
    at.text_input(key="kal_nip").input(first)
    at.selectbox(key="kal_to").set_value(9)
    at.selectbox(key="kal_code").set_value("wawancara")
    at.text_area(key="kal_reason").input("Hasil wawancara")
    next(b for b in at.button if b.label == "Pindahkan").click().run()
    assert not at.exception
    assert any("tidak ditemukan dalam cakupan data Anda" in e.value for e in at.error), [e.value for e in at.error]
    con = store.connect(two)
    assert calibration.moves(con, Scope(), period, rs, names[0], Filters(period=period)).empty    # nothing moved
    con.close()


def test_ringkasan_and_talent_pool_name_each_instansi_office(app, two):
    """"Dinas Kesehatan" of every instansi was one row (review 11, D1): over several instansi Ringkasan's rankings and
    the Talent Pool's table name each office with its instansi; once one instansi is chosen, the plain names."""
    con = store.connect(two)
    names = sorted(store.query_df(con, "SELECT DISTINCT instansi FROM employee")["instansi"])
    con.close()
    for page in ("views/ringkasan.py", "views/pool.py"):
        at = app(two, page, user="analis")
        assert not at.exception
        shown = " ".join(str(v) for df in at.dataframe for v in df.value.iloc[:, 0])
        assert all(f"({n})" in shown for n in names), page
        at.sidebar.multiselect(key="flt_instansi").select(names[0]).run()
        assert not at.exception
        shown = " ".join(str(v) for df in at.dataframe for v in df.value.iloc[:, 0])
        assert shown and not any(f"({n})" in shown for n in names), page


@pytest.mark.parametrize("user", ["analis", "tamu"])
def test_ringkasan_draws_the_succession_pipeline_per_instansi_over_several(app, two, user):
    """Make bench at 2 million ASN: Ringkasan's pipeline chart drew every office of 142 instansi (a megabyte to the
    browser, 13 s); over several instansi it has one bar per instansi, as the Suksesi page, at most 40."""
    import json

    con = store.connect(two)
    names = set(store.query_df(con, "SELECT DISTINCT instansi FROM employee")["instansi"])
    con.close()
    at = app(two, "views/ringkasan.py", user=user)
    assert not at.exception
    chart = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                 if "pipeline" in json.loads(c.proto.spec)["layout"]["title"]["text"])
    bars = set(chart["data"][0]["y"])
    assert bars and bars <= names, bars
