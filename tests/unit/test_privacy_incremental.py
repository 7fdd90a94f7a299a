"""The derivability check carried from one round to the next (``privacy._Certificates``) hides exactly the cells
the check from scratch hides (``privacy.algorithm(incremental=False)``: every round ``_System.determined``, as before):
on random pool tables (one group to past ``EXACT_MAX`` hidden figures, up to a hundred rounds and more),
box-to-box matrices, tables per group and random systems of sums. Round by round, its answers are those of the
check from scratch on random systems with random growing sets of hidden figures, and a round it cannot decide
falls back to the check from scratch without changing the result."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talenta import privacy

from .test_privacy_before_after import _as_map, _pool_table
from .test_privacy_fast_path import pool_figures

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _both(fn):
    """``fn()`` with the check carried over and from scratch; the number of rounds the first took."""
    rounds = []
    carried = privacy._Certificates.round

    def counted(self, hide):
        rounds.append(1)
        return carried(self, hide)

    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(privacy._Certificates, "round", counted)
        new = fn()
        with privacy.algorithm(incremental=False):
            old = fn()
    finally:
        mp.undo()
    return new, old, len(rounds)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), groups=st.integers(1, 200), scale=st.sampled_from([1, 2, 3, 5, 8, 20, 60]),
       threshold=st.sampled_from([2, 3, 5, 10]))
def test_pool_tables_hide_the_same_cells_both_ways(seed, groups, scale, threshold):
    df, raw = _pool_table(np.random.default_rng(seed), groups, scale)
    new, old, _ = _both(lambda: privacy.suppress_pool(df, raw, threshold))
    pd.testing.assert_frame_equal(new, old)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("effective", [False, True])
def test_tables_needing_many_rounds_hide_the_same_cells_both_ways(privacy_rule, seed, effective):
    """Many small cells in many groups: dozens of rounds of hiding with the cheapest complementary cells (each
    round carried over from the one before), a few with cells that protect (``privacy.algorithm``)."""
    privacy_rule(effective=effective)
    rng = np.random.default_rng(900 + seed)
    most = 0
    for groups, scale in ((90, 5), (160, 5), (160, 8), (200, 8)):
        df, raw = _pool_table(rng, groups, scale)
        new, old, rounds = _both(lambda: privacy.suppress_pool(df, raw, 5))
        pd.testing.assert_frame_equal(new, old)
        most = max(most, rounds)
    assert most <= 4 if effective else most >= 20


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), threshold=st.sampled_from([3, 5, 10]))
def test_matrices_and_tables_per_group_hide_the_same_cells_both_ways(seed, threshold):
    rng = np.random.default_rng(seed)
    m = pd.DataFrame(rng.poisson(rng.uniform(0, 1, (10, 10)) * rng.choice([1, 2, 6, 20])))
    rows, cols = m.to_numpy().sum(axis=1), m.to_numpy().sum(axis=0)
    new, old, _ = _both(lambda: privacy.suppress_matrix(m, _as_map(rows), _as_map(cols), threshold))
    pd.testing.assert_frame_equal(new, old)
    d = pd.DataFrame(rng.poisson(rng.uniform(0, 1, (int(rng.integers(1, 60)), 4)) * rng.choice([1, 3, 10])),
                     columns=list("abcd"))
    new, old, _ = _both(lambda: privacy.suppress_rows(d, ["a", "b", "c"], threshold, rest="d"))
    pd.testing.assert_frame_equal(new, old)
    new, old, _ = _both(lambda: privacy.group_sizes_hidden(d["a"], threshold))
    assert (new == old).all()


def _random_figures(rng) -> privacy.Figures:
    """Figures with random sums between them (some unpublished, some fixed shown or hidden)."""
    fig = privacy.Figures()
    n = int(rng.integers(2, 80))
    for _ in range(n):
        fig.add(int(rng.choice([0, 1, 2, 3, 4, 6, 9, 15])), published=bool(rng.random() > 0.05))
    for _ in range(int(rng.integers(1, 60))):
        members = rng.choice(n, size=int(rng.integers(2, min(n, 9) + 1)), replace=False)
        fig.sum(int(members[0]), members[1:])
    for i in rng.choice(n, size=int(rng.integers(0, max(1, n // 6))), replace=False):
        fig.fix(int(i), bool(rng.random() < 0.3))
    return fig


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), threshold=st.sampled_from([2, 3, 5, 10]))
def test_random_systems_hide_the_same_figures_both_ways(seed, threshold):
    rng = np.random.default_rng(seed)
    fig = _random_figures(rng)
    also = rng.choice(len(fig.values), size=int(rng.integers(0, 3)), replace=False).tolist()
    new, old, _ = _both(lambda: fig.protect(threshold, also))
    assert (new == old).all()


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_each_round_answers_as_the_check_from_scratch(seed):
    """Random systems, random sets of small figures and random growth of the hidden set (one figure at a time or
    many): every round, the figures found solvable are those ``_System.determined`` finds among the same asked
    figures (the leaks of the round before and the small figures hidden since)."""
    rng = np.random.default_rng(seed)
    table = rng.random() < 0.4
    fig = _pool_figures(rng) if table else _random_figures(rng)
    n = len(fig.values)
    system = privacy._System(fig)
    small = rng.random(n) < rng.choice([0.2, 0.5, 0.9])
    certs = privacy._Certificates(system, small)
    hide = rng.random(n) < rng.choice([0.05, 0.2, 0.4])
    leaks, seen = np.zeros(0, np.int64), np.zeros(n, bool)
    for _ in range(int(rng.integers(1, 25))):
        ask = np.zeros(n, bool)
        ask[leaks] = True
        ask |= hide & ~seen & small
        found = certs.round(hide)
        if found is None:       # not clear-cut (a random system may have a tiny non-zero residual): protect
            assert not table    # checks from scratch from here on; on a table every decision is clear-cut
            break
        expected = np.flatnonzero(ask)[system.determined(hide, np.flatnonzero(ask))]
        assert found.tolist() == expected.tolist()
        leaks, seen = found, hide.copy()
        grow = rng.random(n) < rng.choice([0.01, 0.05, 0.2])
        if rng.random() < 0.5 and (~hide).any():          # often a single figure
            grow = np.zeros(n, bool)
            grow[rng.choice(np.flatnonzero(~hide))] = True
        hide = hide | grow
        if hide.all():
            break


def _pool_figures(rng) -> privacy.Figures:
    return pool_figures(rng, int(rng.integers(1, 40)), int(rng.choice([1, 2, 5, 20])))


@pytest.mark.parametrize("effective", [False, True])
def test_rounds_not_clear_cut_fall_back_to_the_check_from_scratch(monkeypatch, privacy_rule, effective):
    """A round the carried check cannot decide (here: every round from the third (the second with cells that
    protect: these tables need two), or every round) is checked from scratch, and so is every later one: the
    same cells."""
    privacy_rule(effective=effective)
    rng = np.random.default_rng(900)
    tables = [_pool_table(rng, groups, 5) for groups in (53, 90, 160)]
    expected = []
    with privacy.algorithm(incremental=False):
        for df, raw in tables:
            expected.append(privacy.suppress_pool(df, raw, 5))
    carried = privacy._Certificates.round
    for first_unsure in (0, 1 if effective else 2):
        used = []                   # every protect's certificates, with the rounds they were asked for

        def flaky(self, hide):
            if not hasattr(self, "asked"):
                self.asked = 0
                used.append(self)
            self.asked += 1
            return None if self.asked > first_unsure else carried(self, hide)

        monkeypatch.setattr(privacy._Certificates, "round", flaky)
        for (df, raw), want in zip(tables, expected):
            used.clear()
            pd.testing.assert_frame_equal(privacy.suppress_pool(df, raw, 5), want)
            # asked until they gave up, never after
            assert max(c.asked for c in used) == first_unsure + 1
            assert all(c.asked <= first_unsure + 1 for c in used)
    monkeypatch.setattr(privacy._Certificates, "round", carried)
    monkeypatch.setattr(privacy._Certificates, "UNSURE", (-np.inf, np.inf))    # nothing is clear-cut
    for (df, raw), want in zip(tables, expected):
        pd.testing.assert_frame_equal(privacy.suppress_pool(df, raw, 5), want)
