"""Masked scopes on random small populations: no count below the threshold is shown, and none can be
worked out from what is shown (every public query function and the export's data, seen together).

The check is independent of ``talenta.privacy``: it writes down the true sums between the published
figures (a total is the sum of its parts; the same figure on two pages is one unknown) and, for every
hidden count between 1 and 4, asks numpy whether the linear equations pin it down. Each example runs
about a hundred live queries: 4 by default, ``PRIVACY_EXAMPLES=40`` for a deeper run.
"""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talenta import population as pop_mod
from talenta import export, overview, pool, rules, store, talentmap
from talenta.rules import RuleSet
from talenta.scope import Filters, Scope

T = 5
MASKED = Scope(mask_identity=True, min_group=T)
P0, P1 = 2024, 2025
RS = RuleSet()
OTHER = RuleSet(kinerja_atas=85.0, potensial_tinggi=80.0)
REASONS = ("tanpa_kinerja", "tanpa_asesmen", "asesmen_kedaluwarsa", "tanpa_kinerja_dan_asesmen")
BOXES = [f"kotak_{i}" for i in range(1, 10)]
PRED = list(rules.PREDIKAT_ORDER)


@st.composite
def populations(draw):
    """Two to four OPD of 1-12 people; kinerja and assessments drawn so people land in every box, or none."""
    people, kin, ases = [], [], []
    for o in range(draw(st.integers(2, 4))):
        for _ in range(draw(st.integers(1, 12))):
            nip = f"19800101200501{len(people):04d}"
            people.append((nip, f"Nama Pegawai {len(people)}", f"Dinas {o}", draw(st.sampled_from(["Struktural", "JF"])),
                           draw(st.sampled_from([None, "III.a", "IV.a"])), dt.date(1960 + draw(st.integers(0, 40)), 1, 1)))
            for t in (P0, P1):
                if draw(st.integers(0, 4)):
                    kin.append((nip, t, draw(st.sampled_from(PRED)), None))
            if draw(st.integers(0, 3)):
                ases.append((nip, draw(st.sampled_from([2019, 2021, 2023, 2024, 2025])),
                             draw(st.sampled_from([55.0, 70.0, 78.0, 85.0, 95.0]))))
    return people, kin, ases


@pytest.fixture
def mem():
    c = store.connect(":memory:")
    with pop_mod.scoring_live():
        yield c
    c.close()


def _load(con, people, kin, ases):
    # every example writes batch 1 again: the data version (batch ids and row counts) can repeat between
    # examples, which no import does, so the figures kept per version are forgotten first
    talentmap.forget_figures()
    cur = con.cursor()
    for t in ("employee", "performance", "assessment"):
        cur.execute("DELETE FROM " + t)
    cur.executemany("INSERT INTO employee (nip, nama, instansi, opd, jenis_jabatan, eselon, tanggal_lahir, jabatan, "
                    "batch_id) VALUES (?, ?, 'Pemkot', ?, ?, ?, ?, 'Kepala Seksi Unik', 1)", [list(p) for p in people])
    if kin:
        cur.executemany("INSERT INTO performance (nip, tahun, predikat, nilai_kinerja, batch_id) VALUES (?, ?, ?, ?, 1)",
                        [list(k) for k in kin])
    if ases:
        cur.executemany("INSERT INTO assessment (nip, tahun, jpm, batch_id) VALUES (?, ?, ?, 1)", [list(a) for a in ases])


class Reader:
    """What a reader knows: figures seen, and the true sums between figures (seen or not)."""

    def __init__(self):
        self.value, self.known, self.eqs = {}, set(), []

    def see(self, key, true, shown):
        if key in self.value:
            assert self.value[key] == true, key
        self.value[key] = int(true)
        if not pd.isna(shown):
            assert int(shown) == int(true), (key, shown, true)       # a shown count is never altered
            self.known.add(key)

    def sum(self, total, parts):
        self.eqs.append((total, list(parts)))

    def leaks(self):
        for total, parts in self.eqs:
            for k in (total, *parts):
                self.value.setdefault(k, None)
        unknown = [k for k in self.value if k not in self.known]
        col = {k: i for i, k in enumerate(unknown)}
        rows = []
        for total, parts in self.eqs:
            row = np.zeros(len(unknown))
            for k, c in ((total, 1.0), *((p, -1.0) for p in parts)):
                if k in col:
                    row[col[k]] += c
            if row.any():
                rows.append(row)
        a = np.array(rows) if rows else np.zeros((0, len(unknown)))
        rank = np.linalg.matrix_rank(a) if len(rows) else 0
        out = []
        for k in unknown:
            v = self.value[k]
            if v is not None and 0 < v < T:
                e = np.zeros((1, len(unknown)))
                e[0, col[k]] = 1
                if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
                    out.append((k, v))
        return out


def _map(reader, raw, shown, t):
    """The talent map of period ``t``: every figure, seen as ``shown`` (a dict) says."""
    for k, v in raw.items():
        reader.see(("m", t, k), v, shown.get(k, pd.NA))
    m = lambda k: ("m", t, k)  # noqa: E731
    reader.sum(m("pegawai"), [m("terpetakan"), m("belum_terpetakan")])
    reader.sum(m("terpetakan"), [m(b) for b in BOXES])
    reader.sum(m("krs"), [m("kotak_7"), m("kotak_8"), m("kotak_9")])
    reader.sum(m("belum_terpetakan"), [m(r) for r in REASONS])


def _no_small(values):
    arr = pd.Series(list(values), dtype="Float64")
    assert not ((arr > 0) & (arr < T)).any(), list(values)


@settings(max_examples=int(__import__("os").environ.get("PRIVACY_EXAMPLES", "4")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(populations())
def test_masked_scope_shows_no_small_count_and_none_derivable(mem, pop):
    _load(mem, *pop)
    con, flt, r = mem, Filters(period=P1), Reader()
    every = Scope()
    for t in (P0, P1):
        raw = talentmap.raw_figures(con, every, flt.at(t), RS)
        _map(r, raw, talentmap.figures(con, MASKED, flt.at(t), RS), t)

    # Ringkasan / Peta Talenta: headline figures, nine-box, unplaced reasons, trend
    s = talentmap.summary(con, MASKED, flt.at(P1), RS)
    for k in ("pegawai", "terpetakan", "belum_terpetakan", "krs", "kotak_9", "kotak_1"):
        r.see(("m", P1, k), talentmap.summary(con, every, flt.at(P1), RS)[k], s[k])
    assert pd.isna(s["krs_persen"]) or not (pd.isna(s["krs"]) or pd.isna(s["terpetakan"]))
    assert pd.isna(s["persen_terpetakan"]) or not pd.isna(s["terpetakan"])
    counts = talentmap.box_counts(con, MASKED, flt.at(P1), RS)
    for k, n, share in zip(counts["kotak"], counts["n"], counts["persen"]):
        r.see(("m", P1, f"kotak_{k}"), talentmap.figures(con, every, flt.at(P1), RS)[f"kotak_{k}"], n)
        assert pd.isna(share) or not pd.isna(n)
    unplaced = talentmap.unplaced_counts(con, MASKED, flt.at(P1), RS)
    _no_small(unplaced["n"])
    trend = pool.trend(con, MASKED, flt, [P0, P1], RS)
    for _, row in trend.iterrows():
        full = talentmap.summary(con, every, flt.at(int(row["periode"])), RS)
        for k in ("pegawai", "terpetakan", "krs"):
            r.see(("m", int(row["periode"]), k), full[k], row[k])
        assert pd.isna(row["krs_persen"]) or not (pd.isna(row["krs"]) or pd.isna(row["terpetakan"]))

    # Talent Pool per OPD: cells, totals and KRS add up to the map
    full = pool.pool_table(con, every, flt.at(P1), RS, "opd").set_index("group")
    shown = pool.pool_table(con, MASKED, flt.at(P1), RS, "opd").set_index("group")
    for g in full.index:
        for c in ("total", *BOXES, "belum_terpetakan", "krs"):
            r.see(("p", g, c), full.loc[g, c], shown.loc[g, c])
        r.sum(("p", g, "total"), [("p", g, c) for c in (*BOXES, "belum_terpetakan")])
        r.sum(("p", g, "krs"), [("p", g, c) for c in ("kotak_7", "kotak_8", "kotak_9")])
        hidden = shown.loc[g, ["krs", "total", "belum_terpetakan"]].isna().any()
        assert not hidden or pd.isna(shown.loc[g, "krs_persen"])
    for c, m in [*((b, b) for b in BOXES), ("belum_terpetakan", "belum_terpetakan"), ("krs", "krs"),
                 ("total", "pegawai")]:
        r.sum(("m", P1, m), [("p", g, c) for g in full.index])
    for by in ("jenis_jabatan", "kelompok_usia"):
        _no_small(pool.pool_table(con, MASKED, flt.at(P1), RS, by)[["total", *BOXES, "belum_terpetakan", "krs"]]
                  .to_numpy().ravel())

    # movement between the periods: rows add up to the 2024 map, columns to the 2025 map
    raw_mv = talentmap.matrix(talentmap.compare(con, every, flt, (P0, RS), (P1, RS)))
    mv = pool.movement(con, MASKED, flt, P0, P1, RS)
    key = lambda k: "belum_terpetakan" if k == 0 else f"kotak_{k}"  # noqa: E731
    for a in range(10):
        for b in range(10):
            r.see(("mv", a, b), raw_mv.iat[a, b], mv.iat[a, b])
    for k in range(10):
        r.sum(("m", P0, key(k)), [("mv", k, b) for b in range(10)])
        r.sum(("m", P1, key(k)), [("mv", a, k) for a in range(10)])
    by_group = pool.movement_by_group(con, MASKED, flt, P0, P1, RS, "opd").set_index("group")
    moves = ("naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi")
    full_moves = pool.movement_by_group(con, every, flt, P0, P1, RS, "opd").set_index("group")
    for g in full_moves.index:
        for c in moves:
            r.see(("mg", g, c), full_moves.loc[g, c], by_group.loc[g, c])
        r.sum(("p", g, "total"), [*(("mg", g, c) for c in moves), ("mg", g, "neither")])
    cells = {"naik": [(i, j) for i in range(1, 10) for j in range(1, 10) if j > i],
             "tetap": [(i, i) for i in range(1, 10)],
             "turun": [(i, j) for i in range(1, 10) for j in range(1, 10) if j < i],
             "baru_terpetakan": [(0, j) for j in range(1, 10)], "tidak_terpetakan_lagi": [(i, 0) for i in range(1, 10)]}
    for c, where in cells.items():
        r.sum(("mgt", c), [("mg", g, c) for g in full_moves.index])
        r.sum(("mgt", c), [("mv", i, j) for i, j in where])
    r.sum(("mgt", "neither"), [("mg", g, "neither") for g in full_moves.index])
    r.sum(("mgt", "neither"), [("mv", 0, 0)])

    # the rule-set preview (sensitivity): rows are the map under the active rules
    _no_small(talentmap.sensitivity(con, MASKED, flt.at(P1), RS, OTHER).to_numpy().ravel())

    # Data page: coverage, per OPD and per year
    cov = overview.coverage_summary(con, MASKED, flt.at(P1))
    _no_small(cov.values())
    by_opd = overview.coverage_by_opd(con, MASKED, flt.at(P1))
    _no_small(by_opd[["pegawai", "ada_kinerja", "ada_asesmen", "lengkap"]].to_numpy().ravel())
    per_year = overview.per_period(con, MASKED, flt)
    _no_small(per_year[["kinerja", "asesmen"]].to_numpy().ravel())
    bench = pool.bench_strength(con, MASKED, flt.at(P1), RS, dt.date(2025, 12, 31))
    _no_small(bench[list(pool.BENCH_COUNTS)].to_numpy().ravel())
    # its sums per OPD (review 6: a hidden JPT count was the posts less Administrator and Pengawas); the KRS is
    # the Talent Pool's figure
    full_bench = pool.bench_strength(con, every, flt.at(P1), RS, dt.date(2025, 12, 31)).set_index("opd")
    shown_bench = bench.set_index("opd")
    for g in full_bench.index:
        f, b = full_bench.loc[g], shown_bench.loc[g]
        for c in pool.BENCH_COUNTS:
            r.see(("p", g, "krs") if c == "krs" else ("b", g, c), f[c], b[c])
        rest = f["jabatan_manajerial"] - f["jpt"] - f["administrator"] - f["pengawas"]
        r.see(("b", g, "lain"), rest, rest if rest == 0 else pd.NA)      # taken as 0 when it is
        r.see(("b", g, "belum_pensiun"), f["jabatan_manajerial"] - f["pensiun_2_tahun"], pd.NA)
        r.see(("b", g, "krs_lain"), f["krs"] - f["krs_pejabat"], pd.NA)
        r.sum(("b", g, "jabatan_manajerial"), [("b", g, c) for c in ("jpt", "administrator", "pengawas", "lain")])
        r.sum(("b", g, "jabatan_manajerial"), [("b", g, "pensiun_2_tahun"), ("b", g, "belum_pensiun")])
        r.sum(("p", g, "krs"), [("b", g, "krs_pejabat"), ("b", g, "krs_lain")])

    # person lists: nobody identifiable, and a list only where its count is shown and not small
    people = pd.DataFrame(pop[0], columns=["nip", "nama", "opd", "jj", "es", "lahir"])
    lists = [talentmap.placements(con, MASKED, flt.at(P1), RS, kotak=k) for k in range(1, 10)]
    lists += [talentmap.placements(con, MASKED, flt.at(P1), RS, placed=False),
              talentmap.placements(con, MASKED, flt.at(P1), RS, search="Nama"),
              overview.incomplete_employees(con, MASKED, flt.at(P1))]
    lists += [pool.group_members(con, MASKED, flt.at(P1), RS, "opd", full.index[0], kotak=5)]
    for df in lists:
        assert not set(df.columns) & {"jabatan", "unit_kerja", "tanggal_lahir", "opd", "instansi", "alasan"}
        assert len(df) == 0 or len(df) >= T
        if len(df):
            assert not df["nip"].astype(str).str.contains(r"\d").any()
            assert not df["nama"].isin(people["nama"]).any()
    for k, n in zip(counts["kotak"], counts["n"]):
        assert len(lists[k - 1]) == (0 if pd.isna(n) else n)
    assert talentmap.individuals(con, MASKED, flt.at(P1), RS) is None

    # the export's data (the deck and the workbook are built from it)
    content = export.gather(con, "Pemkot", flt.at(P1), RS, "uji", scope=MASKED)
    assert {k: str(v) for k, v in content.summary.items()} == {k: str(v) for k, v in s.items()}
    pd.testing.assert_frame_equal(content.pool.set_index("group").sort_index(), shown.sort_index())
    # the deck's movement totals (naik, tetap, turun, baru, tidak lagi) are the sums above
    totals = export.movement_totals(con, MASKED, flt, P0, P1, RS)
    full_totals = export.movement_totals(con, every, flt, P0, P1, RS)
    for c in moves:
        r.see(("mgt", c), full_totals[c], totals[c])

    assert r.leaks() == []


@st.composite
def several_instansi(draw):
    """Two or three instansi of two or three offices each, some offices sharing a name across instansi."""
    people, kin, ases = [], [], []
    for i in range(draw(st.integers(2, 3))):
        for o in range(draw(st.integers(2, 3))):
            for _ in range(draw(st.integers(1, 10))):
                nip = f"19800101200501{len(people):04d}"
                people.append((nip, f"Pemkot {i}", f"Dinas {o}"))
                for t in (P0, P1):
                    if draw(st.integers(0, 4)):
                        kin.append((nip, t, draw(st.sampled_from(PRED)), None))
                if draw(st.integers(0, 3)):
                    ases.append((nip, draw(st.sampled_from([2023, 2024, 2025])),
                                 draw(st.sampled_from([55.0, 70.0, 78.0, 85.0, 95.0]))))
    return people, kin, ases


@settings(max_examples=int(__import__("os").environ.get("PRIVACY_EXAMPLES", "4")) * 2, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(several_instansi())
def test_the_pool_per_office_of_several_instansi_leaks_no_small_count(mem, pop):
    """The offices of several instansi are suppressed one instansi at a time (``pool._suppressed_per_instansi``:
    169 s per import at 2 million ASN as one table). A reader who knows every instansi's whole talent map and every
    shown cell, with every row's and every instansi column's sum, solves no hidden count of 1-4."""
    people, kin, ases = pop
    talentmap.forget_figures()
    cur = mem.cursor()
    for t in ("employee", "performance", "assessment"):
        cur.execute("DELETE FROM " + t)
    cur.executemany("INSERT INTO employee (nip, nama, instansi, opd, batch_id) VALUES (?, 'Nama', ?, ?, 1)",
                    [list(p) for p in people])
    if kin:
        cur.executemany("INSERT INTO performance (nip, tahun, predikat, nilai_kinerja, batch_id) VALUES (?, ?, ?, ?, 1)",
                        [list(k) for k in kin])
    if ases:
        cur.executemany("INSERT INTO assessment (nip, tahun, jpm, batch_id) VALUES (?, ?, ?, 1)", [list(a) for a in ases])
    flt, r = Filters(period=P1), Reader()
    full = pool.pool_table(mem, Scope(), flt.at(P1), RS, "opd").set_index("group")
    shown = pool.pool_table(mem, MASKED, flt.at(P1), RS, "opd").set_index("group")
    assert list(shown.index.sort_values()) == list(full.index.sort_values())     # one row per office
    cols = ("total", *BOXES, "belum_terpetakan", "krs")
    _no_small(shown[list(cols)].to_numpy().ravel())
    instansi = {g: g[g.rindex("(") + 1:-1] for g in full.index}
    for g in full.index:
        for c in cols:
            r.see(("p", g, c), full.loc[g, c], shown.loc[g, c])
        r.sum(("p", g, "total"), [("p", g, c) for c in (*BOXES, "belum_terpetakan")])
        r.sum(("p", g, "krs"), [("p", g, c) for c in ("kotak_7", "kotak_8", "kotak_9")])
    for inst in set(instansi.values()):        # the strongest reader: every instansi's totals known
        mine = [g for g in full.index if instansi[g] == inst]
        for c in cols:
            r.see(("i", inst, c), full.loc[mine, c].sum(), full.loc[mine, c].sum())
            r.sum(("i", inst, c), [("p", g, c) for g in mine])
    assert r.leaks() == []
