"""Review 6, finding 1: a guest (role ``tamu``) could move the reference date day by day and watch a named post
become a target (its holder's BUP date follows). The library now fixes a guest's reference date (31 December of
the period) whatever the caller passes."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from talenta import access, accounts, cli, rulesets, store, succession, succession_rules
from talenta.access import OPERATOR
from talenta.scope import Scope

PERIOD = 2025
DATES = (dt.date(2026, 1, 31), dt.date(2027, 12, 31))     # two years apart: many holders' BUP fall between
TAMU = access.scope_for(access.User("tamu_uji", "Tamu Uji", "tamu"), presentation=False, min_group=5)


@pytest.fixture(scope="module")
def reader(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    yield con, rulesets.active(con), succession_rules.active(con)
    con.close()


def test_the_dates_matter_for_a_scope_that_sees_people(reader):
    """The premise of the leak: the target posts change with the date (for the committee they still do)."""
    con, rs, srs = reader
    a, b = (succession.targets(con, Scope(), PERIOD, rs, srs, tanggal=d) for d in DATES)
    assert len(a) < len(b)


def test_a_guest_gets_the_same_output_at_any_date(reader):
    con, rs, srs = reader
    first, second = (succession.csv_frame(con, TAMU, PERIOD, rs, srs, tanggal=d) for d in DATES)
    pd.testing.assert_frame_equal(first, second)
    assert succession.date_fixed(TAMU) and not succession.date_fixed(Scope())
    assert succession.reference_date(PERIOD, DATES[0], TAMU) == dt.date(PERIOD, 12, 31)
    base = succession.targets(con, TAMU, PERIOD, rs, srs)
    for d in DATES:
        pd.testing.assert_frame_equal(succession.targets(con, TAMU, PERIOD, rs, srs, tanggal=d), base)
        assert succession.candidates(con, TAMU, PERIOD, rs, srs, tanggal=d).empty


def test_cli_as_a_guest_ignores_the_date(db_copy, tmp_path, capsys):
    con = store.connect(db_copy)
    accounts.add_user(con, OPERATOR, "tamu_uji", "tamu", "rahasia-uji-12345")
    con.close()
    outs = []
    for d in DATES:
        out = tmp_path / f"s_{d}.csv"
        assert cli.main(["--db", str(db_copy), "succession", "--period", str(PERIOD), "--tanggal", d.isoformat(),
                         "--as", "tamu_uji", "--out", str(out)]) == 0
        said = capsys.readouterr()
        assert "--tanggal diabaikan untuk akun tamu_uji" in said.err
        assert "tanggal acuan 31 Desember 2025" in said.out
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    # the committee's table is unchanged: one row per (post, candidate), at the date given
    out = tmp_path / "komite.csv"
    assert cli.main(["--db", str(db_copy), "succession", "--period", str(PERIOD), "--tanggal", DATES[1].isoformat(),
                     "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert "diabaikan" not in said.err and "tanggal acuan 31 Desember 2027" in said.out
    assert list(pd.read_csv(out, encoding="utf-8-sig", nrows=1).columns) == succession.CSV_COLUMNS
