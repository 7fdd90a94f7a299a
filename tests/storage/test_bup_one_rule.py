"""One retirement rule (BUP) for Profil, the Talent Pool's bench strength and Suksesi: the same ages
(rules.BUP_RULES) and the same date, the first day of the month after the BUP birthday (review of issue 13,
3: succession kept its own ages and bench strength counted from the birthday itself)."""
import datetime as dt

import pytest

from talenta import pool, profile, rules
from talenta.rules import DEFAULT
from talenta.scope import Filters, Scope
from talenta.succession_rules import SuccessionRules

BIRTHS = [dt.date(1967, 6, 15), dt.date(1966, 12, 31), dt.date(1968, 1, 1), dt.date(1964, 2, 29)]


@pytest.mark.parametrize("birth", BIRTHS)
@pytest.mark.parametrize("age", [58, 60, 65])
def test_the_sql_date_is_the_python_date(con, birth, age):
    got = con.execute("SELECT " + rules.retirement_date_sql("$b", "$a"), {"b": birth, "a": age}).fetchone()[0]
    assert got == rules.retirement_date(birth, age)
    assert got.day == 1 and got > dt.date(birth.year + age, birth.month, min(birth.day, 28))


def test_profile_uses_the_rule():
    assert profile.bup_date(dt.date(1966, 12, 31), "IV.a", "Kepala Seksi") == (58, dt.date(2025, 1, 1))
    assert profile.bup_date(dt.date(1966, 12, 31), None, "Analis Kebijakan Ahli Madya") == (60, dt.date(2027, 1, 1))


def test_succession_ages_are_the_rules_ages():
    srs = SuccessionRules()
    assert srs.bup_for_level(3) == rules.bup_age("II.a", "Kepala Dinas") == 60
    assert srs.bup_for_level(2) == rules.bup_age("III.a", "Sekretaris") == 58
    assert srs.bup_for_level(1) == rules.bup_age("IV.a", "Kepala Seksi") == 58


def test_bench_strength_counts_by_the_retirement_date_profil_shows(con):
    """A Kepala Seksi born 15 June 1967 reaches 58 on 15 June 2025 and retires on 1 July 2025 (Profil). Seen
    from 20 June 2023 the two-year horizon ends on 20 June 2025: he does not retire within it."""
    cur = con.cursor()
    for nip, born in (("196706152000011001", "1967-06-15"), ("196705152000011002", "1967-05-15")):
        cur.execute("INSERT INTO employee (nip, nama, instansi, opd, eselon, jenis_jabatan, jabatan, tanggal_lahir,"
                    " batch_id) VALUES (?, 'N', 'Kota', 'Dinas A', 'IV.a', 'Struktural', 'Kepala Seksi', ?, 1)",
                    [nip, born])
    as_of = dt.date(2023, 6, 20)
    horizon = dt.date(as_of.year + rules.BUP_HORIZON_YEARS, as_of.month, as_of.day)
    dates = [profile.bup_date(dt.date.fromisoformat(b), "IV.a", "Kepala Seksi")[1] for b in ("1967-06-15", "1967-05-15")]
    assert dates == [dt.date(2025, 7, 1), dt.date(2025, 6, 1)]
    within = sum(d <= horizon for d in dates)
    b = pool.bench_strength(con, Scope(), Filters(period=2025), DEFAULT, as_of=as_of).set_index("opd")
    assert b.loc["Dinas A", "pensiun_2_tahun"] == within == 1
