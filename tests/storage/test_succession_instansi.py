"""Succession under an instansi filter (a province or the country in one database): the chosen instansi's target
posts only, each with the counts it has unfiltered (a post's candidates come from its own instansi); the deck and
the workbook follow the filter. The filter used to be ignored: every instansi's posts showed."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from talenta import export, rulesets, store, succession, succession_rules
from talenta.scope import Filters, Scope


@pytest.fixture(scope="module")
def two(two_instansi_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("two") / "t.duckdb"
    shutil.copy(two_instansi_file, path)          # a copy: the tests publish tables into it
    con = store.connect(path)
    period = int(store.query_one(con, "SELECT max(tahun) FROM performance")[0])
    yield con, period, rulesets.active(con), succession_rules.active(con)
    con.close()


def test_the_instansi_filter_narrows_posts_and_keeps_their_counts(two):
    con, period, rs, srs = two
    every = succession.targets(con, Scope(), period, rs, srs)
    assert every["instansi"].nunique() == 2
    one = sorted(every["instansi"].unique())[1]
    flt = Filters(period=period, instansi=(one,))
    got = succession.targets(con, succession.filtered_scope(Scope(), flt), period, rs, srs)
    want = every[every["instansi"] == one]
    assert 0 < len(got) < len(every)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    # a filter narrows and never widens: an account of the other instansi choosing this one sees no post
    other = Scope(instansi=frozenset(set(every["instansi"]) - {one}))
    assert succession.targets(con, succession.filtered_scope(other, flt), period, rs, srs).empty
    # the deck's slide and the workbook's sheet read the same posts
    content = export.gather(con, "Uji", flt.at(period), rs, "uji", scope=Scope())
    posts = export.succession_posts(con, content, flt.at(period), rs)
    pd.testing.assert_frame_equal(posts.reset_index(drop=True), want.reset_index(drop=True))


def test_a_jenis_filter_is_said_not_to_narrow_succession():
    assert succession.unused_filters_note(Filters(period=2025, opd=("Dinas A",))) is None
    note = succession.unused_filters_note(Filters(period=2025, jenis_jabatan=("JF",), jenis_asn=("PNS",)))
    assert "jenis jabatan dan jenis ASN tidak membatasi suksesi" in note


def test_files_name_the_instansi_of_their_data_not_the_setting(two):
    """An instansi's deck read "Pemerintah Kota Palembang" (the TALENTA_INSTANSI setting) on its title and every
    footer (review 11, D2): the stamp names the chosen instansi, the one an account is limited to, or "2 instansi"."""
    con, period, rs, srs = two
    names = sorted(store.query_df(con, "SELECT DISTINCT instansi FROM employee")["instansi"])
    chosen = export.gather(con, "Pemerintah Kota Palembang", Filters(period=period, instansi=(names[1],)).at(period), rs,
                           "uji", scope=Scope())
    limited = export.gather(con, "Pemerintah Kota Palembang", Filters(period=period).at(period), rs, "uji",
                            scope=Scope(instansi=frozenset({names[0]})))
    whole = export.gather(con, "Pemerintah Kota Palembang", Filters(period=period).at(period), rs, "uji", scope=Scope())
    assert (chosen.stamp.instansi, limited.stamp.instansi, whole.stamp.instansi) == (names[1], names[0], "2 instansi")


def test_account_limits_must_name_the_data(two):
    """An instansi the data does not hold gave an account that silently saw nothing; an OPD named by several instansi
    without its instansi gave an account that read them all as one (review 11, D5 and D8)."""
    from talenta import accounts
    from talenta.access import OPERATOR
    from talenta.errors import UsageError

    con, *_ = two
    names = sorted(store.query_df(con, "SELECT DISTINCT instansi FROM employee")["instansi"])
    with pytest.raises(UsageError, match="Instansi tidak ada dalam data pegawai: Pemerintah Kota Tidak Ada"):
        accounts.add_user(con, OPERATOR, "salah_ketik", "analis", "uji-kata-sandi-123",
                          instansi=["Pemerintah Kota Tidak Ada"])
    with pytest.raises(UsageError, match="OPD 'Dinas Kesehatan' ada di 2 instansi"):
        accounts.add_user(con, OPERATOR, "dinkes", "opd", "uji-kata-sandi-123", opd=["Dinas Kesehatan"])
    accounts.add_user(con, OPERATOR, "dinkes", "opd", "uji-kata-sandi-123", opd=["Dinas Kesehatan"],
                      instansi=[names[0]])
    assert accounts.get(con, "dinkes") is not None and accounts.get(con, "salah_ketik") is None


def test_the_suksesi_sheet_names_the_instansi_when_there_are_several(two):
    from talenta import succession_report

    con, period, rs, srs = two
    posts = succession.targets(con, Scope(), period, rs, srs)
    sheet = succession_report.workbook_frame(posts)
    assert list(sheet.columns[:2]) == ["Instansi", "OPD"] and sheet["Instansi"].nunique() == 2
    one = succession_report.workbook_frame(posts[posts["instansi"] == posts["instansi"].iloc[0]])
    assert "Instansi" not in one.columns


def test_the_pipeline_per_opd_counts_each_instansi_office_apart(two):
    """Ringkasan's pipeline chart and the deck's Suksesi slide added up the posts of same-named OPD of two instansi
    ("Dinas Kesehatan" 13 = 7 + 6; review 13, M1): each office is its own row, named with its instansi."""
    con, period, rs, srs = two
    posts = succession.targets(con, Scope(), period, rs, srs)
    want = posts.groupby(["opd", "instansi"]).size()
    want.index = [f"{o} ({i})" for o, i in want.index]
    table, total = succession.pipeline_summary(con, Scope(), period, rs, srs, by="opd")
    assert dict(zip(table["opd"], table["jabatan_target"].astype(int))) == want.to_dict()
    assert int(total["jabatan_target"]) == len(posts)
    shared = posts.groupby("opd")["instansi"].nunique()
    assert (shared == 2).any()                  # the demo's two governments have posts in same-named OPD
    ready = export.readiness(posts)
    assert set(ready["opd"]) == set(want.index)
