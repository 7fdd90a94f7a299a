"""Review 6, findings 1 and 4: a guest (role ``tamu``) could move the reference date day by day and watch a named
post become a target (its holder's BUP date follows), and ``succession --as tamu`` wrote one row per post with
``alasan_target`` = bup (a fact about an identifiable official), in OPD with 1-4 such posts.

Now the library fixes a guest's reference date (31 December of the period) whatever the caller passes, hands a
guest no post or candidate row, and gives it the pipeline per OPD with small counts hidden."""
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
POST_COLUMNS = {"jabatan_id", "jabatan", "jenjang", "pemangku_nip", "pemangku_nama", "alasan_target", "nip", "nama"}


@pytest.fixture(scope="module")
def reader(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    yield con, rulesets.active(con), succession_rules.active(con)
    con.close()


def _small(values) -> bool:
    v = pd.to_numeric(pd.Series(list(values)), errors="coerce").dropna()
    return bool(((v > 0) & (v < 5)).any())


def test_the_dates_matter_for_a_scope_that_sees_people(reader):
    """The premise of the leak: the target posts change with the date (for the committee they still do)."""
    con, rs, srs = reader
    a, b = (succession.targets(con, Scope(), PERIOD, rs, srs, tanggal=d) for d in DATES)
    assert len(a) < len(b)


def test_a_guest_gets_the_same_aggregates_at_any_date_and_no_post(reader):
    con, rs, srs = reader
    # the CLI's table and the page's posts: the same whatever the date, and no post
    first, second = (succession.csv_frame(con, TAMU, PERIOD, rs, srs, tanggal=d) for d in DATES)
    pd.testing.assert_frame_equal(first, second)
    assert not POST_COLUMNS & set(first.columns)
    assert succession.date_fixed(TAMU) and not succession.date_fixed(Scope())
    assert succession.reference_date(PERIOD, DATES[0], TAMU) == dt.date(PERIOD, 12, 31)
    base, base_total = succession.pipeline_summary(con, TAMU, PERIOD, rs, srs)
    assert len(base) > 1 and base["jabatan_target"].isna().any()       # some OPD's count is hidden
    for d in DATES:
        # the page's library calls: the aggregate (Suksesi, Ringkasan) is the fixed date's, and no post or candidate
        table, total = succession.pipeline_summary(con, TAMU, PERIOD, rs, srs, tanggal=d)
        pd.testing.assert_frame_equal(table, base)
        assert str(total) == str(base_total)
        assert succession.targets(con, TAMU, PERIOD, rs, srs, tanggal=d).empty
        assert succession.targets(con, TAMU, PERIOD, rs, srs, tanggal=d, identities=False).empty
        assert succession.candidates(con, TAMU, PERIOD, rs, srs, tanggal=d).empty
        # the CLI's table: the pipeline per OPD, not a row per post
        csv = succession.csv_frame(con, TAMU, PERIOD, rs, srs, tanggal=d)
        pd.testing.assert_frame_equal(csv, base)
        assert not POST_COLUMNS & set(csv.columns) and csv["opd"].is_unique
        assert not _small(csv["jabatan_target"]) and not _small(csv["berisiko"])
        assert not _small([total["jabatan_target"], total["berisiko"]])


def test_small_groups_and_what_gives_them_away_are_hidden():
    """One OPD with 2 target posts (one at risk), one with 10 and one with 7: the small OPD's counts are hidden,
    and so is what would give them away (the grand total less the others, a row's total less its other part)."""
    posts = pd.DataFrame({"opd": ["A"] * 2 + ["B"] * 10 + ["C"] * 7,
                          "n_siap_sekarang": [1, 0] + [1] * 10 + [0] * 7, "n_kandidat": [1, 3] + [2] * 10 + [0] * 7})
    table, total = succession.pipeline_counts(posts, "opd", 5)
    a = table.set_index("opd").loc["A"]
    assert pd.isna(a["jabatan_target"]) and pd.isna(a["berisiko"]) and pd.isna(a["persen_siap_sekarang"])
    shown = table["jabatan_target"].dropna()
    assert total["jabatan_target"] - shown.sum() >= 5 or table["jabatan_target"].isna().sum() >= 2
    assert not _small(table["jabatan_target"]) and not _small(table["berisiko"])
    # nothing hidden without a threshold: the same figures as ``pipeline``
    plain, _ = succession.pipeline_counts(posts, "opd", 0)
    pd.testing.assert_frame_equal(plain.astype({"jabatan_target": "int64", "berisiko": "int64"}),
                                  succession.pipeline(posts, "opd"), check_dtype=False)


def test_cli_as_a_guest_ignores_the_date_and_writes_the_pipeline(db_copy, tmp_path, capsys):
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
        assert "baris agregat per OPD" in said.out and "tanggal acuan 31 Desember 2025" in said.out
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    s = pd.read_csv(tmp_path / f"s_{DATES[0]}.csv", encoding="utf-8-sig")
    assert list(s.columns) == ["opd", *succession.PIPELINE_COLUMNS]
    assert not _small(s["jabatan_target"]) and not _small(s["berisiko"]) and s["jabatan_target"].isna().any()
    # the committee's table is unchanged: one row per (post, candidate), at the date given
    out = tmp_path / "komite.csv"
    assert cli.main(["--db", str(db_copy), "succession", "--period", str(PERIOD), "--tanggal", DATES[1].isoformat(),
                     "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert "diabaikan" not in said.err and "tanggal acuan 31 Desember 2027" in said.out
    assert list(pd.read_csv(out, encoding="utf-8-sig", nrows=1).columns) == succession.CSV_COLUMNS
