"""The talent map in SQL agrees with the pure Python rules, for any population and rule set."""
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talenta import population as pop_mod
from talenta import rules, rulesets, store, talentmap
from talenta.rules import RuleSet
from talenta.scope import Filters, Scope

PRED = list(rules.PREDIKAT_ORDER)
# values sitting on and next to the cut-offs, plus ordinary ones
SCORES = st.sampled_from([None, 20.0, 55.5, 69.99, 70.0, 77.99, 78.0, 85.0, 89.99, 90.0, 95.0, 100.0, 120.0, 130.0])


@st.composite
def populations(draw):
    n = draw(st.integers(1, 25))
    emps, kin, ases = [], [], []
    for i in range(n):
        nip = f"1980010120050110{i:02d}"
        emps.append(nip)
        for t in draw(st.sets(st.integers(2019, 2026), max_size=4)):
            pred = draw(st.sampled_from(PRED + [None]))
            nilai = draw(SCORES) if pred is None or draw(st.booleans()) else None
            if nilai is not None and nilai > 100:
                nilai = 100.0
            if pred is not None or nilai is not None:
                kin.append((nip, t, pred, nilai))
        for t in draw(st.sets(st.integers(2019, 2026), max_size=3)):
            jpm = draw(SCORES)
            others = {c: draw(SCORES) for c in rules.SCORE_COLUMNS}
            others = {c: (min(v, 100.0) if v is not None else None) for c, v in others.items()}
            if jpm is None and all(v is None for v in others.values()):
                others["nilai_teknis"] = 80.0
            ases.append({"nip": nip, "tahun": t, "jpm": jpm, **others})
    rs = RuleSet(kinerja_years=draw(st.integers(1, 3)), asesmen_years=draw(st.integers(1, 4)),
                 kinerja_atas=draw(st.sampled_from([85.0, 90.0])), potensial_tinggi=draw(st.sampled_from([80.0, 90.0])),
                 weights={c: draw(st.sampled_from([0.5, 1.0, 2.0])) for c in rules.SCORE_COLUMNS})
    return emps, kin, ases, rs, draw(st.integers(2020, 2026))


def _load(con, emps, kin, ases):
    cur = con.cursor()
    for t in ("employee", "performance", "assessment"):
        cur.execute("DELETE FROM " + t)
    cur.executemany("INSERT INTO employee (nip, nama, instansi, opd, batch_id) VALUES (?, 'X', 'I', 'O', 1)",
                    [[n] for n in emps])
    if kin:
        cur.executemany("INSERT INTO performance (nip, tahun, predikat, nilai_kinerja, batch_id) VALUES (?, ?, ?, ?, 1)",
                        [list(k) for k in kin])
    if ases:
        cur.executemany(
            "INSERT INTO assessment (nip, tahun, jpm, nilai_potensi, nilai_manajerial, nilai_sosial_kultural,"
            " nilai_teknis, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
            [[a["nip"], a["tahun"], a["jpm"], *[a[c] for c in rules.SCORE_COLUMNS]] for a in ases])


@pytest.fixture(scope="module")
def mem():
    """Rows are written straight into the tables here (not through an import batch, which is what
    keys the score cache), so these tests score live: the cache has its own tests."""
    c = store.connect(":memory:")
    with pop_mod.scoring_live():
        yield c
    c.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(populations())
def test_sql_agrees_with_python(mem, pop):
    emps, kin, ases, rs, period = pop
    _load(mem, emps, kin, ases)
    got = talentmap.placements(mem, Scope(), Filters(period=period), rs).set_index("nip")
    assert len(got) == len(emps)
    for nip in emps:
        ref = rules.place(period, [(t, p, v) for n, t, p, v in kin if n == nip],
                          [a for a in ases if a["nip"] == nip], rs)
        row = got.loc[nip]
        box = None if pd.isna(row["kotak"]) else int(row["kotak"])
        assert box == ref.box, (nip, row.to_dict(), ref)
        if ref.box is None:
            assert row["alasan"].startswith(ref.alasan.split(" (")[0])
        else:
            # shown rounded to 2 decimals (DuckDB rounds halves away from zero, Python to even)
            assert row["skor_kinerja"] == pytest.approx(ref.skor_kinerja, abs=0.0051)
            assert row["skor_potensial"] == pytest.approx(ref.skor_potensial, abs=0.0051)


def test_counts_add_up_and_respect_scope(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs = rulesets.active(con)
    s = talentmap.summary(con, Scope(), Filters(period=2025), rs)
    counts = talentmap.box_counts(con, Scope(), Filters(period=2025), rs)
    assert counts["kotak"].tolist() == list(range(1, 10))
    assert counts["n"].sum() == s["terpetakan"]
    assert talentmap.unplaced_counts(con, Scope(), Filters(period=2025), rs)["n"].sum() == s["belum_terpetakan"]
    assert s["pegawai"] == 1500 and s["krs"] == counts.loc[counts["kotak"] >= 7, "n"].sum()
    only = Scope(opd=frozenset({"Inspektorat"}))
    df = talentmap.placements(con, only, Filters(period=2025), rs)
    assert set(df["opd"]) == {"Inspektorat"}
    # a filter cannot widen a scope
    assert talentmap.summary(con, only, Filters(period=2025, opd=("Dinas Pendidikan",)), rs)["pegawai"] == 0
    masked = talentmap.placements(con, Scope(mask_identity=True), Filters(period=2025), rs, limit=20)
    assert not masked["nip"].str.contains(r"\d").any()


def test_sensitivity_matrix(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs = rulesets.active(con)
    same = talentmap.sensitivity(con, Scope(), Filters(period=2025), rs, rs)
    assert same.to_numpy().sum() == same.to_numpy().trace() == 1500
    looser = rs.with_(potensial_menengah=70.0)
    m = talentmap.sensitivity(con, Scope(), Filters(period=2025), rs, looser)
    before = talentmap.box_counts(con, Scope(), Filters(period=2025), rs).set_index("kotak")["n"]
    after = talentmap.box_counts(con, Scope(), Filters(period=2025), looser).set_index("kotak")["n"]
    assert (m.loc[1:9].sum(axis=1).to_numpy() == before.to_numpy()).all()
    assert (m[list(range(1, 10))].sum(axis=0).to_numpy() == after.to_numpy()).all()
    # lowering the 'menengah' cut-off only moves people right: 1->3, 2->5, 4->7
    moved = m.to_numpy().copy()
    for i in range(10):
        moved[i, i] = 0
    assert set(zip(*moved.nonzero())) <= {(1, 3), (2, 5), (4, 7)} and moved.sum() > 0


def test_rule_sets_are_versioned(tmp_path):
    con = store.connect(tmp_path / "r.duckdb")
    first = rulesets.active(con)
    assert first.id == 1 and first.rules_dict() == rules.DEFAULT.rules_dict()
    new = rulesets.save(con, first.with_(kinerja_atas=85.0), name="Komite 2026", note="rapat 3 Maret", user="sekda")
    assert rulesets.active(con).id == new.id == 2 and new.kinerja_atas == 85 and new.created_by == "sekda"
    hist = rulesets.history(con)
    assert hist["rule_set_id"].tolist() == [2, 1] and hist["active"].tolist() == [True, False]
    rulesets.activate(con, 1, "analis")
    assert rulesets.active(con).id == 1
    assert rulesets.get(con, 2).kinerja_atas == 85      # old versions stay usable
