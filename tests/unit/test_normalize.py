"""Normalisers: tables of real-world spellings, and properties that hold for any input."""
import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talenta import nip
from talenta.ingest import normalize as norm

S = lambda *v: pd.Series(list(v), dtype=object)  # noqa: E731


@pytest.mark.parametrize("raw, want", [
    ("III/a", "III/a"), ("III a", "III/a"), ("3a", "III/a"), ("III-A", "III/a"), ("iii.a", "III/a"),
    ("IV/e", "IV/e"), ("II/e", None), ("V/a", None), ("IX", "IX"), ("9", "IX"), ("XVII", "XVII"), ("18", None),
    ("", None), ("Penata Muda", None),
])
def test_golongan(raw, want):
    got = norm.golongan(S(raw)).iloc[0]
    assert (None if pd.isna(got) else got) == want


@pytest.mark.parametrize("raw, want", [
    ("SB", "Sangat Baik"), ("sangat baik", "Sangat Baik"), ("B", "Baik"), ("BAIK", "Baik"),
    ("BP", "Butuh Perbaikan"), ("Butuh  Perbaikan", "Butuh Perbaikan"), ("K", "Kurang"),
    ("Kurang/Misconduct", "Kurang"), ("SK", "Sangat Kurang"), ("Cukup", None), ("Istimewa", None),
    ("S.B.", "Sangat Baik"), ("Kurang / Misconduct", "Kurang"), ("Sangat-Kurang", "Sangat Kurang"),
    # a sign or a number is not a spelling: B+ and B- used to become "Baik" (review 5 item 11)
    ("B+", None), ("B-", None), ("B +", None), ("SB-", None), ("-B", None), ("Baik (90)", None), ("Baik1", None),
])
def test_predikat(raw, want):
    got = norm.predikat(S(raw)).iloc[0]
    assert (None if pd.isna(got) else got) == want


@pytest.mark.parametrize("raw, want", [
    ("87,5", 87.5), ("87,5%", 87.5), ("87.5", 87.5), (" 90 ", 90.0), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
    ("abc", None), ("", None), ("87,5,1", None), ("-3", -3.0),
    # spaces: at the ends and before a percent sign, or between groups of thousands; "8 7" is not 87 (session 22)
    ("87,5 %", 87.5), ("1 234", 1234.0), ("1 234 567,5", 1234567.5), ("8 7", None), ("87 ,5", None), ("1 23", None),
])
def test_number(raw, want):
    got = norm.number(S(raw)).iloc[0]
    assert (None if pd.isna(got) else got) == want


@pytest.mark.parametrize("raw", ["17-08-1985", "17/08/1985", "1985-08-17", "31276", "1985-08-17 00:00:00",
                                 "17.08.1985"])
def test_date_formats(raw):
    assert norm.date(S(raw)).iloc[0] == dt.date(1985, 8, 17)


@pytest.mark.parametrize("raw", ["31-02-1985", "1985-13-01", "kemarin", "17 Agustus",
                                 "2015", "2015.0", "9999"])          # a year alone is not an Excel serial (1905)
def test_date_unreadable_is_none(raw):
    assert pd.isna(norm.date(S(raw)).iloc[0])


@pytest.mark.parametrize("raw, want", [("21", "II.a"), ("II.a", "II.a"), ("IIb", "II.b"), ("III/A", "III.a"),
                                       ("4a", "IV.a"), ("Non Eselon", None), ("", None), ("VI.a", None)])
def test_eselon(raw, want):
    got = norm.eselon(S(raw)).iloc[0]
    assert (None if pd.isna(got) else got) == want


@pytest.mark.parametrize("hasil, perilaku, want", [
    ("Di atas ekspektasi", "Di atas ekspektasi", "Sangat Baik"),
    ("Di atas ekspektasi", "Sesuai ekspektasi", "Baik"),
    ("Di atas ekspektasi", "Di bawah ekspektasi", "Kurang"),
    ("Sesuai ekspektasi", "Di atas ekspektasi", "Baik"),
    ("Sesuai ekspektasi", "Sesuai ekspektasi", "Baik"),
    ("Sesuai ekspektasi", "Di bawah ekspektasi", "Kurang"),
    ("Di bawah ekspektasi", "Di atas ekspektasi", "Butuh Perbaikan"),
    ("Di bawah ekspektasi", "Sesuai ekspektasi", "Butuh Perbaikan"),
    ("Di bawah ekspektasi", "Di bawah ekspektasi", "Sangat Kurang"),
])
def test_predikat_matrix_permenpanrb_6_2022(hasil, perilaku, want):
    assert norm.predikat_from_ratings(S(hasil), S(perilaku)).iloc[0] == want


# --- properties ---------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=200, places=2), st.booleans(), st.booleans())
def test_number_decimal_comma_and_percent_roundtrip(x, comma, percent):
    text = f"{x:.2f}"
    if comma:
        text = text.replace(".", ",")
    if percent:
        text += "%"
    assert norm.number(S(text)).iloc[0] == pytest.approx(float(x))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31)),
       st.sampled_from(["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "serial"]))
def test_any_date_in_any_accepted_format(d, fmt):
    text = str((d - dt.date(1899, 12, 30)).days) if fmt == "serial" else d.strftime(fmt)
    assert norm.date(S(text)).iloc[0] == d


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["I", "II", "III", "IV"]), st.sampled_from("abcd"),
       st.sampled_from(["/", " ", "-", ".", ""]), st.booleans(), st.booleans())
def test_golongan_any_spelling(level, letter, sep, arabic, upper):
    lv = str(["I", "II", "III", "IV"].index(level) + 1) if arabic else level
    text = f"{lv}{sep}{letter.upper() if upper else letter}"
    assert norm.golongan(S(text)).iloc[0] == f"{level}/{letter}"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"]),
       st.sampled_from([str.lower, str.upper, str.title, lambda s: s]), st.sampled_from(["", " ", "  ", "."]))
def test_predikat_any_case_and_padding(p, case, pad):
    assert norm.predikat(S(pad + case(p) + pad)).iloc[0] == p


VALID = ["196711101992031001", "199001012021211003", "198508172010012002"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(VALID), st.lists(st.tuples(st.integers(0, 17), st.sampled_from([" ", ".", "-"])),
                                        max_size=5), st.booleans())
def test_nip_separators_never_change_the_nip(value, inserts, apostrophe):
    chars = list(value)
    for pos, sep in sorted(inserts, reverse=True):
        chars.insert(pos + 1, sep)
    text = ("'" if apostrophe else "") + "".join(chars)
    assert pd.isna(nip.check(S(text), today=dt.date(2026, 1, 1)).iloc[0])
    assert nip.clean(S(text)).iloc[0] == value


@settings(max_examples=200, deadline=None)
@given(st.integers(10**17, 3 * 10**17 - 1))
def test_any_number_shaped_like_a_float_is_never_accepted(n):
    text = f"{float(n):.5E}".replace("E+", "E+")
    assert nip.check(S(text), today=dt.date(2026, 1, 1)).iloc[0] == "nip_hilang_digit"


def test_a_period_in_the_future_is_not_a_year():
    """SKP of 2100 used to be accepted and every page then opened on "2100" with nobody placed."""
    import datetime as dt

    now = dt.date.today().year
    got = norm.year(S(str(now), str(now + 1), "2099", "2100", "1999", "2023"))
    assert got.tolist()[0] == now and got.tolist()[-1] == 2023
    assert got.isna().tolist() == [False, True, True, True, True, False]
