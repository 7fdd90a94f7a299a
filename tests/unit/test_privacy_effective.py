"""Complementary cells that protect (``privacy.algorithm``): for a small count a reader can still work out, the
suppression hides the cheapest figure of its equations that leaves it unsolvable when hidden, instead of the
cheapest figure of its equations. A hidden figure the reader can work out again (a 0 in a row whose other cells
and total are shown) protects nothing; hiding one cost a round of checking and a cell a user no longer saw.

- ``_protectors`` says "j protects i" exactly when i is unsolvable once j is hidden too (the definition, by the
  dense check), on random systems and hidden sets;
- on random pool tables it leaves no small count shown or solvable, no run of hidden ones a reader can read off,
  and hides fewer cells than the cheapest-neighbour rule, in a few rounds."""
import numpy as np
import pandas as pd
import pytest

from talenta import privacy

from .test_privacy_before_after import _pool_table, pool_state
from .test_privacy_fast_path import _random_system

CELLS = ["total", *privacy.POOL_CELLS, "krs"]


@pytest.mark.parametrize("seed", range(3))
def test_a_figure_protects_a_leak_exactly_when_hiding_it_leaves_the_leak_unsolvable(seed):
    rng = np.random.default_rng(700 + seed)
    pairs = protecting = 0
    for _ in range(60):
        fig = _random_system(rng)
        system = privacy._System(fig)
        v = np.array(fig.values)
        fixed = np.zeros(system.n, bool)
        fixed[rng.random(system.n) < 0.1] = True
        hide = (rng.random(system.n) < rng.uniform(0.1, 0.5)) & ~fixed
        leaks = np.flatnonzero(hide)[system.determined(hide, np.flatnonzero(hide))]
        if not len(leaks):
            continue
        prot = privacy._protectors(system, *privacy._scratch_certificates(system, hide, leaks), leaks, hide, fixed, v)
        for i, found in zip(leaks.tolist(), prot):
            eqs = system.var_eq[system.var_start[i]:system.var_start[i + 1]]
            near = {int(system.var[k]) for k in range(len(system.eq)) if system.eq[k] in eqs}
            for j in sorted(near):
                if hide[j] or fixed[j]:
                    assert j not in found
                    continue
                more = hide.copy()
                more[j] = True
                protects = not system.determined(more, np.array([i]))[0]
                assert (j in found) == protects, (i, j)
                pairs += 1
                protecting += protects
            # cheapest first: zeros last, then by count, then by index
            assert found == sorted(found, key=lambda j: (v[j] == 0, v[j], j))
    assert pairs > 500 and 0 < protecting < pairs


def _solvable_small(df: pd.DataFrame, raw: dict, out: pd.DataFrame, threshold: int) -> int:
    """How many hidden small counts of a suppressed pool table (with its map) the dense exact check solves."""
    system, hide, values = pool_state(df, raw, out, threshold)
    small = np.flatnonzero(hide & (values > 0) & (values < threshold))
    assert not ((values > 0) & (values < threshold) & ~hide).any()          # nothing small is shown
    return int(system.determined(hide, small).sum()) if len(small) else 0


def _runs_of_ones(df: pd.DataFrame, out: pd.DataFrame) -> int:
    """Sums a reader reads off a group's row (size, KRS, size less KRS) over hidden cells that all are 1."""
    krs = [f"kotak_{b}" for b in privacy.rules.KRS_BOXES]
    cells = [*privacy.POOL_CELLS]
    runs = 0
    for r in range(len(df)):
        hid = out.iloc[r][cells].isna()
        size_shown, krs_shown = not pd.isna(out.iloc[r]["total"]), not pd.isna(out.iloc[r]["krs"])
        for part, known in ((cells, size_shown), (krs, krs_shown),
                            ([c for c in cells if c not in krs], size_shown and krs_shown)):
            h = [c for c in part if hid[c]]
            vals = df.iloc[r][h].to_numpy()
            runs += known and len(h) >= 2 and vals.sum() == len(h) and (vals > 0).all()
    return runs


def test_cells_that_protect_hide_fewer_cells_and_leave_nothing_small_solvable(monkeypatch):
    rng = np.random.default_rng(41)
    hidden = {True: 0, False: 0}
    fewer = more = 0
    rounds = []
    carried = privacy._Certificates.round

    def counted(self, hide):
        rounds[-1] += 1
        return carried(self, hide)

    monkeypatch.setattr(privacy._Certificates, "round", counted)
    for groups in (3, 8, 20, 53, 53, 90, 140):
        for scale in (2, 5, 12):
            threshold = int(rng.choice([3, 5, 10]))
            df, raw = _pool_table(rng, groups, float(scale))
            outs = {}
            for effective in (True, False):
                rounds.append(0)
                with privacy.algorithm(effective=effective):
                    outs[effective] = privacy.suppress_pool(df, raw, threshold)
                hidden[effective] += int(outs[effective][CELLS].isna().sum().sum())
            new, old = outs[True], outs[False]
            assert _solvable_small(df, raw, new, threshold) == 0
            assert _runs_of_ones(df, new) == 0
            a, b = int(new[CELLS].isna().sum().sum()), int(old[CELLS].isna().sum().sum())
            fewer, more = fewer + (a < b), more + (a > b)
    # fewer cells hidden in all (a user sees more), in most tables; and far fewer rounds of checking
    assert hidden[True] < 0.9 * hidden[False] and fewer > 3 * more
    assert max(rounds[0::2]) <= 4 < max(rounds[1::2])
