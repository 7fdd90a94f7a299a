"""The write path stores the high-potential model of the latest period (sql/014); reads use it when its key matches
and fit live otherwise, never writing; the stored model equals a live fit row for row (issue 13 item 2)."""
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from talenta import derived, hipo, rulesets, store
from talenta.config import Settings
from talenta.scope import Filters, Scope

PARAMS = Settings().hipo_params(bootstrap=4, k_max=4, random_state=3)
PERIOD = 2025        # the demo's latest period


def n_stored(con) -> tuple[int, int]:
    return (store.query_one(con, "SELECT count(*) FROM hipo_result_key")[0],
            store.query_one(con, "SELECT count(*) FROM hipo_result")[0])


def no_fit(monkeypatch):
    """Make any live fit fail the test: what follows must read the stored model."""
    def refuse(*a, **k):
        raise AssertionError("fitted live although the model is stored")
    monkeypatch.setattr(hipo, "fit", refuse)


@pytest.fixture
def built(db_copy):
    con = store.connect(db_copy)
    hipo.build_latest(con, PARAMS)
    yield con, rulesets.active(con)
    con.close()


def test_the_stored_model_equals_a_live_fit_row_for_row(built):
    con, rs = built
    got = hipo.stored(con, None, PERIOD, rs, PARAMS)
    live = hipo.fit_live(con, None, PERIOD, rs, PARAMS)
    assert got is not None and len(got.table) > 1000 and got.table["hipo"].sum() > 0
    pd.testing.assert_frame_equal(got.table, live.table)          # every column, dtype and row, in order
    pd.testing.assert_frame_equal(got.profiles, live.profiles)
    assert (got.k, got.bic, got.ari, got.ari_mean, got.hipo_clusters, got.n_fit, got.features_used,
            got.n_population) == (live.k, live.bic, live.ari, live.ari_mean, live.hipo_clusters, live.n_fit,
                                  live.features_used, live.n_population)
    # what a filter and an OPD account see of it is the same as of the live model (filters never refit)
    opd = got.table["opd"].value_counts().index[1]
    for scope, flt in ((Scope(), Filters(period=PERIOD, opd=(opd,))), (Scope(opd=frozenset({opd})), Filters())):
        a, b = hipo.restrict(got, scope, flt), hipo.restrict(live, scope, flt)
        pd.testing.assert_frame_equal(a.table, b.table)
        assert hipo.view(a, 20) .n_hipo == hipo.view(b, 20).n_hipo


def test_the_builder_runs_from_the_write_path_hook_and_a_second_run_does_nothing(db_copy, monkeypatch):
    con = store.connect(db_copy)
    assert "hipo:build_latest" in derived.BUILDERS
    monkeypatch.setattr(Settings, "hipo_params", lambda self, **kw: PARAMS)
    with store.transaction(con) as cur:         # as before the write path ran (the demo build runs it)
        cur.execute("DELETE FROM hipo_result")
        cur.execute("DELETE FROM hipo_result_key")
    assert n_stored(con) == (0, 0)
    spent = derived.refresh(con)
    assert spent["hipo:build_latest"] >= 0
    keys, rows = n_stored(con)
    n_assessed = len(hipo.features(con, Scope(), Filters(period=PERIOD), rulesets.active(con)))
    assert keys == 1 and rows == n_assessed
    built_at = store.query_one(con, "SELECT built_at FROM hipo_result_key")[0]
    no_fit(monkeypatch)
    derived.refresh(con)                                      # nothing changed: nothing fitted, nothing written
    assert n_stored(con) == (1, n_assessed)
    assert store.query_one(con, "SELECT built_at FROM hipo_result_key")[0] == built_at
    con.close()


def test_every_reader_uses_the_stored_model_when_its_key_matches(built, monkeypatch):
    con, rs = built
    no_fit(monkeypatch)
    for_all = hipo.fit_population(con, None, PERIOD, rs, PARAMS)
    # the demo is one instansi: asking for it by name is the same population, answered by the same key
    one = store.query_one(con, "SELECT any_value(instansi) FROM employee")[0]
    assert hipo.fit_instansi(con, Scope(), Filters(instansi=(one,))) == (one,)
    pd.testing.assert_frame_equal(hipo.fit_population(con, (one,), PERIOD, rs, PARAMS).table, for_all.table)
    # the CLI and the export read through for_scope / run
    r = hipo.run(con, Scope(), Filters(period=PERIOD).at(PERIOD), rs, PARAMS)
    assert r.table["hipo"].sum() == for_all.table["hipo"].sum()


def test_other_keys_fit_live_and_reads_never_write(built, monkeypatch):
    con, rs = built
    before = n_stored(con)
    other = Settings().hipo_params(bootstrap=2, k_max=3, random_state=3)
    assert hipo.stored(con, None, PERIOD, rs, other) is None                 # other parameters
    assert hipo.stored(con, None, PERIOD - 1, rs, PARAMS) is None            # another period
    assert hipo.stored(con, None, PERIOD, rs.with_(kinerja_atas=rs.kinerja_atas + 1), PARAMS) is None   # other rules
    assert hipo.stored(con, ("Instansi Lain",), PERIOD, rs, PARAMS) is None  # another instansi
    live = hipo.fit_population(con, None, PERIOD, rs, other)                 # fitted live, as before
    assert live.k <= 3
    assert n_stored(con) == before
    # new data (any import or undo changes the data version): the old key no longer answers
    with store.transaction(con) as cur:
        cur.execute("DELETE FROM assessment WHERE nip = (SELECT min(nip) FROM assessment WHERE tahun = $t)",
                    {"t": PERIOD})
    assert hipo.stored(con, None, PERIOD, rs, PARAMS) is None


def test_a_read_only_database_reads_what_its_writer_stored(db_copy, monkeypatch):
    con = store.connect(db_copy)
    hipo.build_latest(con, PARAMS)
    rs = rulesets.active(con)
    con.close()
    ro = store.connect(db_copy, read_only=True)
    no_fit(monkeypatch)
    assert hipo.fit_population(ro, None, PERIOD, rs, PARAMS).table["hipo"].sum() > 0
    ro.close()


def test_only_the_most_recent_builds_are_kept(built):
    con, rs = built
    for seed in (4, 5, 6):
        hipo.store_fit(con, None, PERIOD, rs, Settings().hipo_params(bootstrap=2, k_max=3, random_state=seed))
    builds = store.query_df(con, "SELECT DISTINCT build FROM hipo_result_key")["build"]
    assert len(builds) == hipo.RESULT_BUILDS_KEPT
    for table in ("hipo_result", "hipo_result_group", "hipo_result_sum"):
        orphans = store.query_one(con, "SELECT count(*) FROM " + table + " WHERE result_key NOT IN "
                                       "(SELECT result_key FROM hipo_result_key)")[0]
        assert orphans == 0, table
    assert hipo.stored(con, None, PERIOD, rs, PARAMS) is None              # the oldest build was dropped


def _cases(t: pd.DataFrame) -> list[tuple[Scope, Filters]]:
    """Scopes and sidebar filters the page is seen under: none, presentation mode, OPD accounts (the largest OPD, a
    small one, two OPD, masked), an instansi account, the sidebar's instansi, OPD, jenis jabatan and jenis ASN filters
    alone and together, and a filter that selects nobody."""
    opds = list(t["opd"].value_counts().index)
    inst = t["instansi"].dropna().iloc[0]
    jj, ja = t["jenis_jabatan"].value_counts().index, t["jenis_asn"].value_counts().index
    f = Filters(period=PERIOD)
    return [(Scope(), f), (Scope().masked(5), f),
            (Scope(opd=frozenset({opds[0]})), f), (Scope(opd=frozenset({opds[-1]})), f),   # few rows: one dot each
            (Scope(opd=frozenset({opds[1], opds[7]})), f), (Scope(opd=frozenset({opds[2]})).masked(5), f),
            (Scope(instansi=frozenset({inst})), f), (Scope(), replace(f, instansi=(inst,))),
            (Scope(), replace(f, opd=(opds[0], opds[5]))), (Scope(), replace(f, jenis_jabatan=(jj[-1],))),
            (Scope(), replace(f, jenis_asn=(ja[0],))),
            (Scope(opd=frozenset({opds[0]})), replace(f, jenis_jabatan=(jj[0],), jenis_asn=(ja[-1],))),
            (Scope().masked(5), replace(f, opd=(opds[-2],))), (Scope(), replace(f, opd=("OPD yang tidak ada",)))]


def assert_same_profiles(got: pd.DataFrame, want: pd.DataFrame, rows: pd.DataFrame, cols: list[str]) -> None:
    """The page's profiles equal, but for a mean (rounded to 2 decimals) whose exact value is a midpoint, which the
    stored exact sums and the rows' floating sum may round to either neighbour (72,575: 72,58 and 72,57)."""
    pd.testing.assert_frame_equal(got.drop(columns=cols), want.drop(columns=cols))
    a, b = got[cols].to_numpy(dtype=float), want[cols].to_numpy(dtype=float)
    exact = rows.groupby("cluster")[cols].mean().reindex(want["cluster"]).to_numpy(dtype=float)
    differ = (a != b) & ~(np.isnan(a) & np.isnan(b))
    midpoint = np.abs(exact * 100 % 1 - 0.5) < 1e-6
    assert midpoint[differ].all() and (np.abs(a - b)[differ] < 0.0100001).all(), (a[differ], b[differ])


def test_the_page_view_of_the_stored_model_is_computed_in_the_database_and_equals_the_one_from_its_rows(built):
    from talenta import charts, talentmap

    con, rs = built
    for scope, flt in _cases(hipo.stored(con, None, PERIOD, rs, PARAMS).table):
        r = hipo.restrict(hipo.fit_population(con, hipo.fit_instansi(con, scope, flt), PERIOD, rs, PARAMS), scope, flt)
        raw = talentmap.raw_figures(con, scope, flt.at(PERIOD), rs) if scope.min_group else None
        want, want_cells = hipo.view(r, 25, scope, raw), charts.cluster_cells(hipo.scatter_rows(r, scope))
        got, cells = hipo.stored_view(con, scope, flt.at(PERIOD), rs, PARAMS, 25, raw)
        for f in ("flagged", "hidden", "verify", "crosstab"):
            pd.testing.assert_frame_equal(getattr(got, f), getattr(want, f), obj=f)
        if len(r.table):
            assert_same_profiles(got.profiles, want.profiles, r.table, r.features_used)
        else:
            assert got.profiles.empty and want.profiles.empty
        pd.testing.assert_frame_equal(cells, want_cells, obj="cells")
        for f in ("n", "n_hipo", "n_review", "n_hidden", "n_verify", "n_fit", "n_member", "n_member_unflagged",
                  "n_flag_verify", "hipo_clusters", "status_shown", "k", "bic", "ari_mean", "features_used"):
            assert str(getattr(got, f)) == str(getattr(want, f)), (f, scope, flt)
    assert hipo.stored_view(con, Scope(), Filters(period=PERIOD).at(PERIOD), rs,
                            Settings().hipo_params(bootstrap=2, k_max=3), 25) is None      # not stored: fit live


def _groups(con, key: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What sql/019 holds for ``key``, in a fixed order (the exact sums as text)."""
    g = store.query_df(con, "SELECT * EXCLUDE (result_key) FROM hipo_result_group WHERE result_key = $k "
                            "ORDER BY ALL", {"k": key})
    sums = ", ".join(c + "::VARCHAR AS " + c + ", n_" + c for c in hipo.FEATURES)
    m = store.query_df(con, "SELECT whole, instansi, opd, jenis_jabatan, jenis_asn, cluster, " + sums +
                            " FROM hipo_result_sum WHERE result_key = $k ORDER BY ALL", {"k": key})
    return g, m


def _selected(scope: Scope, flt: Filters, key: str) -> tuple[str, str, dict]:
    """The WHERE of the rows ``scope`` and ``flt`` select, of the stored rows that add up to them, and its values."""
    where, bound = hipo._stored_where(scope, flt)
    return where, where + (" AND NOT whole" if bound else " AND whole"), {**bound, "k": key}


def assert_stored_by_opd(con) -> None:
    """Each key's combinations are stored by OPD (an OPD limit then reads its OPD's row groups only)."""
    for table in ("hipo_result_group", "hipo_result_sum"):
        got = store.query_df(con, "SELECT result_key, opd FROM " + table + " WHERE NOT whole ORDER BY rowid")
        want = got.sort_values(["result_key", "opd"], kind="stable", na_position="last").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, obj=table)


def test_the_write_path_stores_every_combination_of_filter_values_and_the_keys_totals(built):
    con, rs = built
    key, _ = hipo.stored_key(con, None, PERIOD, rs, PARAMS)
    filters = ", ".join(hipo.FILTER_COLUMNS)
    g = store.query_df(con, "SELECT * EXCLUDE (result_key, whole) FROM hipo_result_group WHERE result_key = $k "
                            "AND NOT whole ORDER BY ALL", {"k": key})
    rows = store.query_df(con, "SELECT " + filters + ", " + hipo._DIMS + ", count(*) AS n FROM (SELECT " + filters +
                          ", " + hipo._ROW_DIMS + " FROM hipo_result WHERE result_key = $k) GROUP BY ALL ORDER BY ALL",
                          {"k": key, "verify": hipo.STATUS_VERIFY})
    pd.testing.assert_frame_equal(g, rows)
    assert len(g) < store.query_one(con, "SELECT count(*) FROM hipo_result WHERE result_key = $k", {"k": key})[0]
    totals = store.query_df(con, "SELECT * FROM (" + hipo._STORED_GROUPS.replace("{where}", "result_key = $k AND whole")
                            + ") ORDER BY ALL", {"k": key})
    live = store.query_df(con, "SELECT * FROM (" + hipo._VIEW_GROUPS.replace("{where}", "result_key = $k") +
                          ") ORDER BY ALL", {"k": key, "verify": hipo.STATUS_VERIFY})
    pd.testing.assert_frame_equal(totals, live)
    whole = store.query_df(con, "SELECT * EXCLUDE (result_key, whole, instansi, opd, jenis_jabatan, jenis_asn) FROM "
                                "hipo_result_group WHERE result_key = $k AND whole ORDER BY ALL", {"k": key})
    pd.testing.assert_frame_equal(whole, live)
    # the sums: the totals are the sums of the combinations, exactly; the means are the rows' means
    sums = " AND ".join("t." + c + " = c." + c + " AND t.n_" + c + " = c.n_" + c for c in hipo.FEATURES)
    assert store.query_one(con, "SELECT count(*) FROM (SELECT * FROM hipo_result_sum WHERE result_key = $k AND whole) t "
                                "JOIN (SELECT cluster, " + ", ".join("sum(" + c + ") AS " + c + ", sum(n_" + c + ") AS n_" +
                                                                     c for c in hipo.FEATURES) +
                                " FROM hipo_result_sum WHERE result_key = $k AND NOT whole GROUP BY cluster) c "
                                "ON t.cluster = c.cluster AND " + sums, {"k": key})[0] == \
        store.query_one(con, "SELECT count(DISTINCT cluster) FROM hipo_result WHERE result_key = $k", {"k": key})[0]
    means = store.query_df(con, hipo._means_sql(list(hipo.FEATURES), stored=True).replace(
        "{where}", "result_key = $k AND whole"), {"k": key})
    table = hipo.stored(con, None, PERIOD, rs, PARAMS).table
    want = table.groupby("cluster")[list(hipo.FEATURES)].mean().reset_index()
    pd.testing.assert_frame_equal(means, want, check_exact=False, rtol=1e-12)
    assert_stored_by_opd(con)


def test_the_stored_rows_add_up_to_the_rows_grouping_under_every_scope_and_filter(built):
    """What a view reads (the stored combinations its limits select, or the totals) equals grouping the rows it
    selects: the counts exactly, the means bit for bit as the rows' exact sums give them and as their avg up to
    summation order."""
    con, rs = built
    key, m = hipo.stored_key(con, None, PERIOD, rs, PARAMS)
    whole = hipo.stored(con, None, PERIOD, rs, PARAMS)
    cols = list(hipo.FEATURES)
    for scope, flt in _cases(whole.table):
        where, at, bound = _selected(scope, flt, key)
        got = store.query_df(con, "SELECT * FROM (" + hipo._STORED_GROUPS.replace("{where}", at) + ") ORDER BY ALL",
                             bound)
        want = store.query_df(con, "SELECT * FROM (" + hipo._VIEW_GROUPS.replace("{where}", where) + ") ORDER BY ALL",
                              {**bound, "verify": hipo.STATUS_VERIFY})
        pd.testing.assert_frame_equal(got, want, obj=str((scope, flt)))
        means = store.query_df(con, hipo._means_sql(cols, stored=True).replace("{where}", at), bound)
        from_rows = store.query_df(con, hipo._means_sql(cols, stored=False).replace("{where}", where), bound)
        pd.testing.assert_frame_equal(means, from_rows, check_exact=True)
        rows = hipo.restrict(whole, scope, flt).table
        assert got["n"].sum() == len(rows)
        if len(rows):
            pd.testing.assert_frame_equal(means, rows.groupby("cluster")[cols].mean().reset_index(),
                                          check_exact=False, rtol=1e-12)


def test_no_view_groups_the_rows_of_a_key_whose_groups_are_stored(built, monkeypatch):
    from talenta import talentmap

    con, rs = built
    cases = _cases(hipo.stored(con, None, PERIOD, rs, PARAMS).table)
    seen = []
    query_df = store.query_df
    monkeypatch.setattr(store, "query_df", lambda c, sql, p=None: (seen.append(sql), query_df(c, sql, p))[1])
    for scope, flt in cases:
        raw = talentmap.raw_figures(con, scope, flt.at(PERIOD), rs) if scope.min_group else None
        seen.clear()
        assert hipo.stored_view(con, scope, flt.at(PERIOD), rs, PARAMS, 25, raw) is not None
        assert [s for s in seen if "FROM hipo_result_group" in s], (scope, flt)
        assert not [s for s in seen if "FROM hipo_result " in s and "GROUP BY" in s], (scope, flt, seen)


def test_a_key_stored_without_its_groups_is_grouped_at_read_time_with_the_same_view(built):
    """The previous implementation (the rows grouped at read time, still the way for a key stored before sql/019)
    shows the same page under every scope and filter: OPD accounts, presentation mode, the sidebar's filters."""
    from talenta import talentmap

    con, rs = built
    cases = _cases(hipo.stored(con, None, PERIOD, rs, PARAMS).table)
    raw = [talentmap.raw_figures(con, s, f.at(PERIOD), rs) if s.min_group else None for s, f in cases]
    before = [hipo.stored_view(con, s, f.at(PERIOD), rs, PARAMS, 25, r) for (s, f), r in zip(cases, raw)]
    with store.transaction(con) as cur:        # as an older writer stored it
        cur.execute("DELETE FROM hipo_result_group")
        cur.execute("DELETE FROM hipo_result_sum")
    after = [hipo.stored_view(con, s, f.at(PERIOD), rs, PARAMS, 25, r) for (s, f), r in zip(cases, raw)]
    for (v1, c1), (v2, c2), case in zip(before, after, cases):
        for f in ("flagged", "hidden", "verify", "crosstab", "profiles"):
            pd.testing.assert_frame_equal(getattr(v1, f), getattr(v2, f), obj=f"{f} {case}")
        pd.testing.assert_frame_equal(c1, c2, obj="cells")
        for f in ("n", "n_hipo", "n_review", "n_hidden", "n_verify", "n_fit", "n_member", "n_member_unflagged",
                  "n_flag_verify", "status_shown"):
            assert str(getattr(v1, f)) == str(getattr(v2, f)), (f, case)        # a hidden count is NA


def test_migration_019_groups_the_keys_stored_before_it_as_the_write_path_does(built):
    con, rs = built
    hipo.store_fit(con, None, PERIOD, rs, Settings().hipo_params(bootstrap=2, k_max=3, random_state=4))
    keys = store.query_df(con, "SELECT result_key FROM hipo_result_key ORDER BY 1")["result_key"].tolist()
    assert len(keys) == 2
    written = {k: _groups(con, k) for k in keys}
    with store.transaction(con) as cur:        # as a database of schema 18: keys and rows, no groups
        cur.execute("DELETE FROM hipo_result_group")
        cur.execute("DELETE FROM hipo_result_sum")
        cur.execute("DELETE FROM schema_version WHERE version = 19")
    assert 19 in store.apply_migrations(con)
    for k in keys:
        g, m = _groups(con, k)
        pd.testing.assert_frame_equal(g, written[k][0])
        pd.testing.assert_frame_equal(m, written[k][1])        # the exact sums, digit for digit
    assert_stored_by_opd(con)


def test_a_rebuilt_key_replaces_its_leftover_groups(built):
    con, rs = built
    key, _ = hipo.stored_key(con, None, PERIOD, rs, PARAMS)
    before = _groups(con, key)
    with store.transaction(con) as cur:        # the key and its rows deleted, its groups left behind
        cur.execute("DELETE FROM hipo_result")
        cur.execute("DELETE FROM hipo_result_key")
    assert hipo.store_fit(con, None, PERIOD, rs, PARAMS) == key
    after = _groups(con, key)
    pd.testing.assert_frame_equal(after[0], before[0])
    pd.testing.assert_frame_equal(after[1], before[1])


def test_a_cluster_mean_is_rounded_from_the_exact_sum_whichever_combinations_add_up_to_it(con):
    """(72,35 + 72,80) / 2 = 72,575 exactly: the rows' floating sum (145,1499...) read 72,57, the exact sum reads
    72,58 (70,845: 70,84 both), the same double from the key's totals as from its combinations and its rows."""
    values = [("1", "A", 1, 72.35), ("2", "B", 1, 72.80), ("3", "A", 2, 70.84), ("4", "B", 2, 70.85)]
    with store.transaction(con) as cur:
        for nip, opd, cluster, v in values:
            cur.execute("INSERT INTO hipo_result (result_key, nip, opd, cluster, nilai_teknis, hipo, perlu_kajian, "
                        "status) VALUES ('k', ?, ?, ?, ?, false, false, ?)", [nip, opd, cluster, v, hipo.STATUS_NONE])
        for sql in hipo._STORE_GROUPS:
            cur.execute(sql, {"k": "k"})
    cols = ["nilai_teknis"]
    means = [store.query_df(con, hipo._means_sql(cols, stored=True).replace("{where}", "result_key = $k AND " + at),
                            {"k": "k", **p})
             for at, p in (("whole", {}), ("NOT whole", {}), ("NOT whole AND list_contains($o, opd)", {"o": ["A", "B"]}))]
    rows = store.query_df(con, hipo._means_sql(cols, stored=False).replace("{where}", "result_key = $k"), {"k": "k"})
    for m in means:
        pd.testing.assert_frame_equal(m, rows, check_exact=True)
        assert m["nilai_teknis"].round(2).tolist() == [72.58, 70.84]
    floating = pd.DataFrame(values, columns=["nip", "opd", "cluster", "v"]).groupby("cluster")["v"].mean()
    assert floating.round(2).tolist() == [72.57, 70.84]
    a = store.query_df(con, hipo._means_sql(cols, stored=True).replace(
        "{where}", "result_key = $k AND NOT whole AND opd = 'A'"), {"k": "k"})
    assert a["nilai_teknis"].tolist() == [72.35, 70.84]          # one combination: its own values


def test_the_boxes_of_the_people_the_komite_moved_are_the_boxes_in_force(built):
    """Review 9, 2: after a flagged person in box 9 was calibrated to box 5 and the session closed, Potensi Tinggi
    (page, deck, command line) still listed them in box 9, not as hidden talent, and its cluster x box table added up
    to the computed map. Now every view uses the box in force, and the stored view equals the one from the rows."""
    from talenta import accounts, actions, charts, talentmap

    con, rs = built
    table = hipo.stored(con, None, PERIOD, rs, PARAMS).table
    krs_flagged = table[table["hipo"] & (table["kotak"] == 9)]
    low_unflagged = table[~table["hipo"] & (table["kotak"] == 2)]
    assert len(krs_flagged) and len(low_unflagged)
    a, b = krs_flagged.iloc[0], low_unflagged.iloc[0]
    komite, pimpinan = accounts.active_user(con, "komite"), accounts.active_user(con, "pimpinan")
    actions.calibrate(con, komite, Scope(), PERIOD, rs, a["nip"], 5, "wawancara", "Kinerja tahun berjalan turun")
    actions.calibrate(con, komite, Scope(), PERIOD, rs, b["nip"], 8, "bukti_kinerja", "Proyek besar berhasil")
    before = hipo.view(hipo.for_scope(con, Scope(), Filters(period=PERIOD, basis="terhitung").at(PERIOD), rs, PARAMS), 0)
    actions.close_calibration(con, pimpinan, a["instansi"], PERIOD)
    flt = Filters(period=PERIOD)                                      # otomatis: the closed session's moves
    r = hipo.for_scope(con, Scope(), flt.at(PERIOD), rs, PARAMS)          # the deck's and the command line's path
    v = hipo.view(r, 0)
    assert r.table.set_index("nip").loc[a["nip"], "kotak"] == 5
    assert a["nip"] in set(hipo.hidden_talent(r.table)["nip"]) and v.n_hidden == before.n_hidden + 1
    assert b["nip"] in set(hipo.to_verify(r.table)["nip"]) and v.n_verify == before.n_verify + 1
    boxes = talentmap.box_counts(con, Scope(), flt.at(PERIOD), rs).set_index("kotak")["n"]
    assigned = table.groupby("kotak").size()                         # the model's rows are the assessed employees
    for k in (2, 5, 8, 9):
        moved_in = int(k in (5, 8)) - int(k in (2, 9))
        assert int(v.crosstab[k].sum()) == int(assigned.get(k, 0)) + moved_in, k
        assert int(boxes[k]) == int(talentmap.box_counts(con, Scope(), Filters(period=PERIOD, basis="terhitung").at(PERIOD), rs).set_index("kotak")["n"][k]) + moved_in
    got, cells = hipo.stored_view(con, Scope(), flt.at(PERIOD), rs, PARAMS, 25)     # the page's path
    want = hipo.view(hipo.calibrated(con, hipo.restrict(hipo.fit_population(con, None, PERIOD, rs, PARAMS), Scope(),
                                                        flt), Scope(), flt.at(PERIOD), rs), 25)
    for f in ("flagged", "hidden", "verify", "crosstab"):
        pd.testing.assert_frame_equal(getattr(got, f), getattr(want, f), obj=f)
    for f in ("n", "n_hipo", "n_hidden", "n_verify", "n_flag_verify"):
        assert getattr(got, f) == getattr(want, f), f
    assert got.n_hidden == v.n_hidden
    computed = hipo.stored_view(con, Scope(), Filters(period=PERIOD, basis="terhitung").at(PERIOD), rs, PARAMS, 25)[0]
    assert computed.n_hidden == before.n_hidden and str(computed.crosstab) == str(before.crosstab)


def test_a_masked_view_gives_no_small_count_by_subtraction(built):
    """Presentation filtered to one OPD showed 'Pegawai dengan asesmen berlaku 8' and 'Ditandai potensi tinggi 6'
    (2 not flagged), and beside '8 ASN dalam filter' '6 assessed' (2 without an assessment, a reason the talent
    map hid; hostile pass, session 22). Neither difference is shown or derivable when small."""
    from talenta import privacy, talentmap

    con, rs = built
    masked = Scope().masked(5)
    opds = store.query_df(con, "SELECT opd, jenis_jabatan, count(*) AS n FROM employee GROUP BY ALL HAVING n < 40")
    seen = 0
    for opd, jenis in opds[["opd", "jenis_jabatan"]].itertuples(index=False):
        for flt in (Filters(period=PERIOD, opd=(opd,)), Filters(period=PERIOD, opd=(opd,), jenis_jabatan=(jenis,))):
            raw = talentmap.raw_figures(con, masked, flt, rs)
            v, _ = hipo.stored_view(con, masked, flt, rs, PARAMS, 25, raw)
            shown_map = privacy.apply(raw, privacy.map_hidden(raw, 5))
            for a, b in ((v.n, v.n_hipo), (shown_map["pegawai"], v.n)):
                if not (privacy.hidden(a) or privacy.hidden(b)):
                    seen += 1
                    assert not 0 < int(a) - int(b) < 5, (opd, jenis, a, b)
    assert seen
