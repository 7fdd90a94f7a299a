"""The fast suppression (pivoted-Cholesky derivability check, asking each round only about figures not yet
found safe) hides exactly the cells the straightforward procedure hides: every round an SVD over every hidden
figure, the same choice of neighbour. Same inputs, same shown and hidden cells."""
import numpy as np
import pandas as pd
import pytest
from scipy.linalg import lstsq, null_space

from talenta import pool, privacy

from . import privacy_before as before


def _solvable_svd(fig: privacy.Figures, hide: np.ndarray) -> np.ndarray:
    """Every hidden figure a reader can solve, by an SVD of the equations over all hidden figures."""
    out = np.zeros(len(fig.values), bool)
    h = np.flatnonzero(hide)
    if not len(h) or not fig.eqs:
        return out
    col = {j: k for k, j in enumerate(h)}
    rows = []
    for total, parts in fig.eqs:
        row = np.zeros(len(h))
        for j, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            if j in col:
                row[col[j]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return out
    _, s, vt = np.linalg.svd(np.array(rows), full_matrices=False)
    rank = int((s > 1e-9 * max(1.0, s.max())).sum())
    out[h] = (vt[:rank] ** 2).sum(axis=0) > 1 - 1e-8
    return out


def _reference_protect(fig: privacy.Figures, threshold: int, hide_also) -> np.ndarray:
    v = np.array(fig.values)
    hide = ~np.array(fig.published, bool) | ((v > 0) & (v < threshold))
    hide[list(hide_also)] = True
    fixed = np.zeros(len(v), bool)
    for i, h in fig.fixed.items():
        hide[i], fixed[i] = h, True
    small = (v > 0) & (v < threshold)
    before.hide_breakdowns(fig.eqs, v, hide, fixed, (v > 0) & (v < threshold))   # zeros of small totals
    by_var = [[] for _ in v]
    for e, (total, parts) in enumerate(fig.eqs):
        for i in (total, *parts):
            by_var[i].append(e)
    a = np.zeros((len(fig.eqs), len(v)))
    for e, (total, parts) in enumerate(fig.eqs):
        a[e, total] += 1.0
        for p in parts:
            a[e, p] -= 1.0
    for _ in range(len(v) + 1):
        leaks = _solvable_svd(fig, hide) & (v > 0) & (v < threshold)
        if not leaks.any():
            return hide
        grew = False
        # a figure j of a leak's equations protects it when hidden alone: every combination of the equations
        # that is 0 on the hidden figures is 0 on j (null_space), and a combination solving the leak is not 0 on j
        start = hide.copy()
        a_h = a[:, start]
        y = null_space(a_h.T, rcond=1e-10, lapack_driver="gesvd").T
        cost = lambda j: (v[j] == 0, v[j], j)          # noqa: E731
        picked = set()
        for i in np.flatnonzero(leaks):
            e_i = (np.flatnonzero(start) == i).astype(float)
            lam = lstsq(a_h.T, e_i)[0]
            near = {j for e in by_var[i] for j in (fig.eqs[e][0], *fig.eqs[e][1]) if not start[j] and not fixed[j]}
            prot = [j for j in near if np.abs(y @ a[:, j]).max(initial=0) < 1e-9 and abs(lam @ a[:, j]) > 1e-6]
            if picked & set(prot):
                continue
            if prot:
                j = min(prot, key=cost)
                hide[j] = True
                picked.add(j)
                grew = True
                continue
            seen, frontier, cands = {i}, [i], set()
            while frontier:
                members = {j for x in frontier for e in by_var[x] for j in (fig.eqs[e][0], *fig.eqs[e][1])}
                cands = {j for j in members if not hide[j] and not fixed[j]}
                if cands:
                    break
                frontier = [j for j in members if hide[j] and j not in seen]
                seen.update(frontier)
            if cands:
                j = min(cands, key=cost)
                hide[j] = True
                picked.add(j)
                grew = True
        if not grew:
            if (hide | fixed).all():
                return hide
            hide |= ~fixed
    return hide


@pytest.fixture
def recorded(monkeypatch):
    """Every ``Figures.protect`` call: the figures, its arguments and what it hid."""
    calls = []
    fast = privacy.Figures.protect

    def spy(self, threshold, hide_also=()):
        hide_also = list(hide_also)
        out = fast(self, threshold, hide_also)
        calls.append((self, threshold, hide_also, out.copy()))
        return out

    monkeypatch.setattr(privacy.Figures, "protect", spy)
    return calls


def _pool_table(rng, groups, scale):
    cells = rng.poisson(rng.uniform(0.2, 1.0, size=(groups, 10)) * scale)
    df = pd.DataFrame(cells, columns=[*pool.BOX_COLS, "belum_terpetakan"])
    df.insert(0, "group", [f"Dinas {i}" for i in range(groups)])
    df.insert(1, "total", cells.sum(axis=1))
    df["krs"] = cells[:, 6:9].sum(axis=1)
    placed = df["total"] - df["belum_terpetakan"]
    df["krs_persen"] = np.where(placed > 0, 100 * df["krs"] / placed.where(placed > 0, 1), np.nan)
    unplaced = int(df["belum_terpetakan"].sum())
    reasons = rng.multinomial(unplaced, [0.4, 0.3, 0.2, 0.1])
    raw = {"pegawai": int(df["total"].sum()), "terpetakan": int(placed.sum()), "belum_terpetakan": unplaced,
           **{c: int(df[c].sum()) for c in pool.BOX_COLS}, "krs": int(df["krs"].sum()),
           **dict(zip(privacy.REASONS, map(int, reasons)))}
    return df, raw


@pytest.mark.parametrize("seed", range(6))
def test_pool_and_matrix_suppression_hide_what_the_straightforward_procedure_hides(recorded, seed):
    rng = np.random.default_rng(seed)
    hidden_seen = 0
    for _ in range(8):
        threshold = int(rng.choice([3, 5, 10]))
        df, raw = _pool_table(rng, int(rng.integers(2, 30)), int(rng.choice([3, 8, 20, 60])))
        privacy.suppress_pool(df, raw, threshold)
        m = pd.DataFrame(rng.poisson(rng.uniform(0, 1, (10, 10)) * rng.choice([2, 6, 20])))
        rows, cols = m.to_numpy().sum(axis=1), m.to_numpy().sum(axis=0)

        def as_map(s):
            return {"pegawai": int(s.sum()), "terpetakan": int(s[1:].sum()), "belum_terpetakan": int(s[0]),
                    **{f"kotak_{k}": int(s[k]) for k in range(1, 10)}, "krs": int(s[7:].sum()),
                    "tanpa_kinerja": int(s[0]), **{r: 0 for r in privacy.REASONS[1:]}}
        privacy.suppress_matrix(m, as_map(rows), as_map(cols), threshold)
    assert recorded
    for fig, threshold, hide_also, fast in recorded:
        assert (fast == _reference_protect(fig, threshold, hide_also)).all()
        hidden_seen += int(fast.sum())
    assert hidden_seen > 100          # the tables do hide cells (the comparison is not between two empty masks)


def test_rowspace_norms_of_some_columns_equal_those_of_all():
    rng = np.random.default_rng(3)
    a = rng.choice([0.0, 1.0, -1.0], size=(40, 70), p=[0.85, 0.12, 0.03])
    cols = np.array([3, 17, 42, 69])
    assert np.allclose(privacy._rowspace_norms(a, cols), privacy._rowspace_norms(a)[cols])


def pool_figures(rng, groups: int, scale: int) -> privacy.Figures:
    """A random pool table's figures with its sums: each row's total and KRS, each column's total, the map."""
    df, raw = _pool_table(rng, groups, scale)
    fig = privacy.Figures()
    privacy._fix_map(fig, raw, 5)
    cols = ["total", *privacy.POOL_CELLS, "krs"]
    idx = fig.add_table(df[cols].to_numpy(float))
    for row in idx:
        fig.sum(row[0], row[1:11])
        fig.sum(row[11], row[7:10])
    for j in range(len(cols)):
        fig.sum(fig.add(df[cols[j]].sum()), idx[:, j])
    return fig


def _random_system(rng):
    """Figures with random sums between them: a pool table's, or a few random equations over random figures."""
    if rng.random() < 0.5:
        return pool_figures(rng, int(rng.integers(1, 25)), int(rng.choice([2, 5, 20])))
    fig = privacy.Figures()
    n = int(rng.integers(2, 60))
    for _ in range(n):
        fig.add(int(rng.integers(0, 9)))
    for _ in range(int(rng.integers(1, 40))):
        members = rng.choice(n, size=int(rng.integers(2, min(n, 8) + 1)), replace=False)
        fig.sum(members[0], members[1:])
    return fig


@pytest.mark.parametrize("seed", range(4))
def test_equations_with_one_unknown_first_decide_as_the_linear_algebra_alone(seed):
    """``_System.determined`` takes figures solved by equations with one unknown as known and runs the linear
    algebra on what is left (or not at all): the same answers as the linear algebra over every hidden figure,
    and as an SVD, on random systems and random sets of hidden figures."""
    rng = np.random.default_rng(500 + seed)
    decided = solved = 0
    for _ in range(150):
        fig = _random_system(rng)
        system = privacy._System(fig)
        hide = rng.random(len(fig.values)) < rng.choice([0.05, 0.2, 0.5, 0.9])
        h = np.flatnonzero(hide)
        if not len(h):
            continue
        ask = h[rng.random(len(h)) < rng.choice([0.3, 1.0])]
        fast = system.determined(hide, ask)
        on = hide[system.var]
        exact = system._determined_exactly(hide, ask, system.eq[on], system.var[on], system.sign[on])
        assert (fast == exact).all()
        assert (fast == _solvable_svd(fig, hide)[ask]).all()
        decided += len(ask)
        solved += int(fast.sum())
    assert solved > 100 and decided - solved > 100     # both answers occur often
