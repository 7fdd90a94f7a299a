"""Uji kesetaraan: the statistics on synthetic populations with fixed seeds (planted gaps, fair groups,
small tables, masking)."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from talenta import fairness, rules
from talenta.errors import UsageError

BOXES = [f"kotak_{b.number}" for b in rules.BOXES]
KRS = list(rules.KRS_BOXES)
OTHERS = [b.number for b in rules.BOXES if b.number not in rules.KRS_BOXES]


def people(rates: dict[str, float], n: int, seed: int) -> pd.DataFrame:
    """``n`` synthetic placed employees spread over the groups of ``rates``, each in the KRS with its
    group's probability, in a random KRS box or a random other box."""
    rng = np.random.default_rng(seed)
    group = rng.choice(list(rates), size=n)
    in_krs = rng.random(n) < np.array([rates[g] for g in group])
    box = np.where(in_krs, rng.choice(KRS, size=n), rng.choice(OTHERS, size=n))
    return pd.DataFrame({"group": group, "kotak": box})


def counts(p: pd.DataFrame) -> pd.DataFrame:
    ct = pd.crosstab(p["group"], p["kotak"]).reindex(columns=range(1, 10), fill_value=0)
    ct.columns = BOXES
    return ct.reset_index()


def test_a_planted_gap_is_found_and_said_in_plain_words():
    p = people({"Perempuan": 0.18, "Laki-laki": 0.26}, 2000, seed=11)
    r = fairness.evaluate(counts(p), by="jenis_kelamin")
    share = p.assign(krs=p["kotak"].isin(KRS)).groupby("group")["krs"].mean() * 100
    assert r.flagged and r.table["ditandai"].all() and r.test == "chi-square"
    assert r.p_value < 0.05
    assert r.gap_pp == pytest.approx(round(share.max() - share.min(), 1), abs=0.051)
    assert r.table.set_index("group")["krs_persen"].to_dict() == pytest.approx(share.round(1).to_dict())
    w, m = share["Perempuan"], share["Laki-laki"]
    fmt = lambda x: f"{x:.1f}".replace(".", ",")  # noqa: E731
    assert r.sentence.startswith(f"Perempuan {fmt(w)} % di KRS, Laki-laki {fmt(m)} %: selisih ")
    assert "poin, bermakna (p" in r.sentence and "Ditandai" in r.sentence
    assert r.table["chi2"].nunique() == 1 and r.table["p_value"].nunique() == 1      # the whole table's, on each row


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_fair_population_is_not_flagged(seed):
    r = fairness.evaluate(counts(people({"Perempuan": 0.25, "Laki-laki": 0.25}, 2000, seed)))
    assert not r.flagged and not r.table["ditandai"].any()
    assert "Tidak ditandai" in r.sentence


def test_both_thresholds_are_needed():
    # a tiny gap in a huge population is significant but below 5 points: not flagged
    big = fairness.evaluate(counts(people({"A": 0.25, "B": 0.27}, 200_000, seed=3)))
    assert big.p_value < 0.05 and big.gap_pp < 5 and not big.flagged
    # a large gap between two tiny groups is not significant: not flagged
    small = fairness.evaluate(counts(people({"A": 0.1, "B": 0.4}, 30, seed=3)))
    assert small.gap_pp >= 5 and small.p_value >= 0.05 and not small.flagged
    # the thresholds are settings
    loose = fairness.evaluate(counts(people({"A": 0.25, "B": 0.27}, 200_000, seed=3)),
                              fairness.FairnessParams(min_gap_pp=1.0))
    assert loose.flagged


def test_small_two_by_two_tables_use_fishers_exact_test():
    raw = pd.DataFrame({"group": ["A", "B"], **{c: [0, 0] for c in BOXES}})
    raw.loc[0, ["kotak_9", "kotak_1"]] = [5, 1]           # A: 5 of 6 in the KRS
    raw.loc[1, ["kotak_9", "kotak_1"]] = [1, 7]           # B: 1 of 8
    r = fairness.evaluate(raw)
    assert r.test == "Fisher exact" and np.isnan(r.chi2)
    assert r.p_value == pytest.approx(stats.fisher_exact([[5, 1], [1, 7]])[1])
    assert r.flagged                                       # p = 0,016, gap 70,8 points
    # a large 2 x 2 table, and any table with more than two groups, uses chi-square
    assert fairness.evaluate(counts(people({"A": 0.2, "B": 0.3}, 2000, 1))).test == "chi-square"
    three = fairness.evaluate(counts(people({"A": 0.2, "B": 0.3, "C": 0.25}, 3000, 1)))
    obs = three.table[["krs"]].assign(rest=three.table["n"] - three.table["krs"]).to_numpy(dtype=float)
    assert three.p_value == pytest.approx(stats.chi2_contingency(obs, correction=False)[1])


def test_masking_merges_small_groups_into_lainnya_and_drops_nobody():
    big = counts(people({"III/a": 0.25, "III/b": 0.3}, 2000, seed=4))
    small = pd.DataFrame({"group": ["II/a", "II/b", "II/c"], **{c: [0, 0, 0] for c in BOXES}})
    small.loc[:, "kotak_8"] = [3, 2, 0]
    small.loc[:, "kotak_5"] = [1, 2, 4]
    raw = pd.concat([big, small], ignore_index=True)
    open_ = fairness.evaluate(raw)
    assert set(open_.table["group"]) == {"III/a", "III/b", "II/a", "II/b", "II/c"}
    r = fairness.evaluate(raw, threshold=5)
    assert set(r.table["group"]) == {"III/a", "III/b", "lainnya"} and r.merged == ["II/a", "II/b", "II/c"]
    assert r.table["n"].sum() == open_.table["n"].sum()                          # nobody dropped
    other = r.table.set_index("group").loc["lainnya"]
    assert (other["n"], other["krs"]) == (12, 5)
    for v in (r.table["n"], r.table["krs"], r.table["n"] - r.table["krs"]):
        assert not ((v > 0) & (v < 5)).any()
    # while "lainnya" is itself small, the next smallest group joins it
    two = fairness.evaluate(pd.concat([big, small.iloc[:2]], ignore_index=True), threshold=5)
    assert "lainnya" in set(two.table["group"]) and len(two.merged) == 3
    for v in (two.table["n"], two.table["krs"], two.table["n"] - two.table["krs"]):
        assert not ((v > 0) & (v < 5)).any()
    # a group hidden in the Talent Pool is merged too; a hidden talent-map total hides everything
    assert "III/b" in fairness.evaluate(raw, threshold=5, pool_hidden={"III/b"}).merged
    gone = fairness.evaluate(raw, threshold=5, map_hidden=True)
    assert gone.hidden and gone.table.empty and "Disembunyikan" in gone.sentence
    # only small groups: one "lainnya" (nothing to compare), or nothing at all while it is small itself
    alone = fairness.evaluate(small, threshold=5)
    assert alone.table["group"].tolist() == ["lainnya"] and "Belum dapat diuji" in alone.sentence
    assert not alone.flagged
    assert fairness.evaluate(small.iloc[:2], threshold=5).hidden                 # 8 placed, 3 outside the KRS


def test_age_bands_are_a_validated_setting():
    assert fairness.age_labels((30, 40, 50, 55)) == ["< 30", "30-39", "40-49", "50-54", "55+"]
    assert fairness.parse_age_bands("25, 35,45") == (25, 35, 45)
    with pytest.raises(UsageError, match="30,x"):
        fairness.parse_age_bands("30,x")
    with pytest.raises(UsageError, match="naik"):
        fairness.FairnessParams(age_bands=(40, 30))
    with pytest.raises(UsageError, match="tidak dikenal"):
        fairness.group_expr("agama")
    ages = pd.DataFrame({"group": [22, 30, 39, 40, 55, 61, None], "kotak_9": [1, 2, 3, 4, 5, 6, 7]})
    got = fairness._age_groups(ages, (30, 40, 50, 55)).set_index("group")["kotak_9"].to_dict()
    assert got == {"< 30": 1, "30-39": 5, "40-49": 4, "55+": 11, "Tidak diisi": 7}


def test_two_groups_whose_rounded_shares_tie_are_both_named():
    """Review 14, 4: "Laki-laki 26,7 % di KRS, Laki-laki 26,7 %: selisih 0,1 poin": the lowest and the highest
    were picked on the rounded shares, which tied, so the same group was named twice."""
    def row(group, n, krs):          # krs people in kotak 9, the rest in kotak 5
        return {"group": group, **{c: 0 for c in BOXES}, "kotak_9": krs, "kotak_5": n - krs}

    raw = pd.DataFrame([row("Laki-laki", 5000, 1337), row("Perempuan", 5000, 1333)])   # 26,74 % and 26,66 %
    r = fairness.evaluate(raw, by="jenis_kelamin")
    assert list(r.table["krs_persen"]) == [26.7, 26.7]
    assert r.sentence.startswith("Perempuan 26,66 % di KRS, Laki-laki 26,74 %: selisih 0,1 poin"), r.sentence
    same = pd.DataFrame([row("Laki-laki", 300, 80), row("Perempuan", 300, 80)])       # exactly equal
    s = fairness.evaluate(same, by="jenis_kelamin").sentence
    assert "Laki-laki" in s and "Perempuan" in s and "selisih 0,0 poin" in s, s


def test_one_group_hidden_in_the_pool_keeps_its_name_when_it_is_the_only_one_merged():
    """A guest read 'lainnya 114' with 'Digabung menjadi lainnya karena terlalu kecil: Laki-laki' for 114 men: the
    Talent Pool had hidden a cell of their row, but with every other group shown their counts are the map's totals
    minus the others' already (review 20d, 3)."""
    raw = pd.DataFrame({"group": ["Laki-laki", "Perempuan"],
                        **{f"kotak_{b}": [10 + b, 20 + b] for b in range(1, 10)}})
    r = fairness.evaluate(raw, threshold=5, pool_hidden={"Laki-laki"}, by="jenis_kelamin")
    assert r.merged == [] and sorted(r.table["group"]) == ["Laki-laki", "Perempuan"]
    three = pd.concat([raw, raw.iloc[[0]].assign(group="X")], ignore_index=True)
    r = fairness.evaluate(three, threshold=5, pool_hidden={"Laki-laki", "X"}, by="jenis_kelamin")
    assert r.merged == ["Laki-laki", "X"] and "lainnya" in set(r.table["group"])
    assert r.sentence[:1].isupper()
