"""The suppression as it was before the faster derivability rounds (``talenta.privacy`` at 1b095db): a frozen
copy, the reference ``test_privacy_before_after`` compares the library with. Not used by the application.
Only the imports differ from the original."""
# ruff: noqa
from __future__ import annotations

import functools
from typing import Iterable

import numpy as np
import pandas as pd

from talenta import rules
from talenta.privacy import BOX_KEYS, EXACT_MAX, MAP_KEYS, REASONS, hidden

def _rowspace_norms(a: np.ndarray, cols=None) -> np.ndarray:
    """For each column j of ``a`` (or of ``cols`` only), the squared length of the projection of e_j on the row
    space of ``a``.

    A Cholesky factorisation with complete pivoting of the Gram matrix ``a aᵀ`` (LAPACK ``dpstrf``, rank
    revealing) picks a basis of independent equations ``a_r`` with ``a_r a_rᵀ = uᵀu``; the projection of e_j
    is then ``|u⁻ᵀ a_r[:, j]|²``: the same figure as from an SVD, an order of magnitude cheaper than an eigen-
    decomposition for the small 0/±1 systems of a table (and only for the columns asked about).
    """
    a = np.asarray(a, dtype=float)
    m, n = a.shape
    sub = a if cols is None else a[:, cols]
    if not m or not sub.shape[1]:
        return np.zeros(sub.shape[1])
    g = a @ a.T
    top = float(g.diagonal().max(initial=0))
    if top <= 0:
        return np.zeros(sub.shape[1])
    u, piv, rank, _ = _pstrf(g, tol=1e-10 * max(1.0, top))
    if rank == 0:
        return np.zeros(sub.shape[1])
    rows = piv[:rank] - 1
    z = _trtrs(np.triu(u[:rank, :rank]), sub[rows], trans=1)[0]
    return (z ** 2).sum(axis=0)


def _pstrf(g, tol):
    from scipy.linalg import lapack

    return lapack.dpstrf(g, tol=tol, lower=0)


def _trtrs(u, b, trans):
    from scipy.linalg import lapack

    return lapack.dtrtrs(u, b, lower=0, trans=trans)


@functools.lru_cache(maxsize=1)
def _blas():
    """The BLAS libraries loaded (NumPy's and SciPy's), found once (finding them reads the process's library
    list: ~2 ms a call)."""
    from scipy.linalg import lapack  # noqa: F401  (loads SciPy's own BLAS first, so that it is limited too)
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def hide_breakdowns(eqs, v, hide, fixed, small) -> None:
    """The rules added after the copy was frozen (session 10, ``privacy._hide_breakdowns``), written plainly over
    (total, parts) equations, in place: the parts of a hidden small total are hidden, zeros included, unless
    another table decided them; then a 0 total whose parts are all hidden, in turn. Nothing when no small figure
    is hidden (as the library). The straightforward reference of ``test_privacy_fast_path`` uses it too."""
    if not (hide & small).any():
        return
    for total, parts in eqs:
        if hide[total] and small[total]:
            for j in parts:
                if not fixed[j]:
                    hide[j] = True
    grew = True
    while grew:
        grew = False
        for total, parts in eqs:
            if parts and v[total] == 0 and not hide[total] and not fixed[total] and all(hide[j] for j in parts):
                hide[total] = grew = True


class Figures:
    """Figures (published or not) and the sums between them: what a reader can solve."""

    def __init__(self):
        self.values: list[float] = []
        self.published: list[bool] = []
        self.fixed: dict[int, bool] = {}
        self.eqs: list[tuple[int, list[int]]] = []
        self.threshold = 0

    def add(self, value, published: bool = True) -> int:
        self.values.append(float(value))
        self.published.append(published)
        return len(self.values) - 1

    def add_table(self, values: np.ndarray) -> np.ndarray:
        """Add a table of published figures at once; returns their indexes in the table's shape."""
        values = np.asarray(values, dtype=float)
        start = len(self.values)
        self.values.extend(values.ravel().tolist())
        self.published.extend([True] * values.size)
        return start + np.arange(values.size).reshape(values.shape)

    def fix(self, i: int, is_hidden: bool) -> None:
        """``i`` is shown (or hidden) already elsewhere: the protection must not change it."""
        self.fixed[i] = bool(is_hidden)

    def sum(self, total: int, parts: Iterable[int]) -> None:
        """``total`` equals the sum of ``parts``."""
        self.eqs.append((total, list(parts)))

    def _incidence(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The equations as (equation, figure, sign) triples: +1 for the total, -1 for each part."""
        sizes = [1 + len(parts) for _, parts in self.eqs]
        eq = np.repeat(np.arange(len(self.eqs)), sizes)
        var = np.fromiter((v for total, parts in self.eqs for v in (total, *parts)), dtype=np.int64, count=len(eq))
        sign = np.full(len(eq), -1.0)
        sign[np.cumsum([0, *sizes[:-1]])] = 1.0
        return eq, var, sign

    def _determined(self, hide: np.ndarray, inc=None, only: np.ndarray | None = None) -> np.ndarray:
        """Which hidden figures a reader can solve from the shown ones. ``only`` (a mask): decide just those
        (the others come back False); the equations are the same, only fewer projections are computed."""
        n = len(self.values)
        out = np.zeros(n, bool)
        h = np.flatnonzero(hide)
        if not len(h) or not self.eqs or (only is not None and not only[h].any()):
            return out
        if len(h) <= EXACT_MAX:
            eq, var, sign = self._incidence() if inc is None else inc
            on = hide[var]                                   # the hidden members of every equation
            rows, row_at = np.unique(eq[on], return_inverse=True)
            if not len(rows):
                return out
            col_at = np.zeros(n, np.int64)
            col_at[h] = np.arange(len(h))
            a = np.zeros((len(rows), len(h)))
            np.add.at(a, (row_at, col_at[var[on]]), sign[on])
            # e_i lies in the row space of the equations over the hidden figures (the figure is solvable)
            # iff its projection on that row space has length 1
            ask = h if only is None else h[only[h]]
            out[ask] = _rowspace_norms(a, col_at[ask]) > 1 - 1e-8
            return out
        rows = [[total, *parts] for total, parts in self.eqs if hide[total] or hide[parts].any()]
        known = ~hide
        arrays = [np.array(m) for m in rows]
        changed = True
        while changed:
            changed = False
            for m in arrays:
                unknown = m[~known[m]]
                if len(unknown) == 1:
                    known[unknown[0]] = True
                    changed = True
        out = known & hide
        return out if only is None else out & only

    def _near(self, i: int, hide: np.ndarray, fixed: np.ndarray, links) -> list[int]:
        """Figures that may still be hidden in the equations of ``i``; when there are none, in those of the
        hidden figures it is solved through, widening step by step. ``links``: ``_links()``."""
        var_eqs, eq_vars = links
        seen, frontier = {i}, [i]
        while frontier:
            members = {j for x in frontier for e in var_eqs[x] for j in eq_vars[e]}
            cands = [j for j in members if not hide[j] and not fixed[j]]
            if cands:
                return cands
            frontier = [j for j in members if hide[j] and j not in seen]
            seen.update(frontier)
        return []

    def _links(self):
        """The equations of every figure, and the figures of every equation."""
        var_eqs: list[list[int]] = [[] for _ in self.values]
        eq_vars = []
        for e, (total, parts) in enumerate(self.eqs):
            members = (total, *parts)
            eq_vars.append(members)
            for j in members:
                var_eqs[j].append(e)
        return var_eqs, eq_vars

    def protect(self, threshold: int, hide_also: Iterable[int] = ()) -> np.ndarray:
        """Which figures to hide so that no count in 1..threshold-1 is shown or derivable."""
        # small matrices: one BLAS thread is several times faster than threads fighting DuckDB's for 2 cores
        with _blas().limit(limits=1, user_api="blas"):
            return self._protect(threshold, hide_also)

    def _protect(self, threshold: int, hide_also: Iterable[int] = ()) -> np.ndarray:
        v = np.array(self.values)
        hide = ~np.array(self.published, bool) | ((v > 0) & (v < threshold))
        hide[list(hide_also)] = True
        fixed = np.zeros(len(v), bool)
        for i, h in self.fixed.items():
            hide[i], fixed[i] = h, True
        if threshold <= 1:
            return hide
        small = (v > 0) & (v < threshold)
        hide_breakdowns(self.eqs, v, hide, fixed, small)     # added after the copy was frozen (session 10)
        inc = self._incidence() if self.eqs else None
        links = self._links()
        # ``hide`` only grows, and a figure a reader cannot solve stays unsolvable when more figures are
        # hidden: each round asks only about the small hidden figures not yet found safe
        safe = np.zeros(len(v), bool)
        for _ in range(len(v) + 1):
            ask = hide & small & ~safe
            leaks = self._determined(hide, inc, ask) & small
            safe |= ask & ~leaks
            if not leaks.any():
                return hide
            grew = False
            hide_l, fixed_l, v_l = hide.tolist(), fixed.tolist(), v.tolist()     # plain lists: read per figure
            for i in np.flatnonzero(leaks).tolist():
                cands = self._near(i, hide_l, fixed_l, links)
                if cands:   # the smallest non-zero neighbour hides it at the least cost
                    j = min(cands, key=lambda j: (v_l[j] == 0, v_l[j], j))
                    hide[j] = hide_l[j] = True
                    grew = True
            if not grew:
                if (hide | fixed).all():
                    return hide
                hide |= ~fixed          # nothing near is left to hide: hide everything this table owns
        return hide


# --- the talent map figures (one set per scope, filters, period, rule set) ---------------------------

def _add_map(fig: Figures, raw: dict) -> dict[str, int]:
    idx = {k: fig.add(raw[k]) for k in MAP_KEYS}
    fig.sum(idx["pegawai"], [idx["terpetakan"], idx["belum_terpetakan"]])
    fig.sum(idx["terpetakan"], [idx[k] for k in BOX_KEYS])
    fig.sum(idx["krs"], [idx[f"kotak_{b}"] for b in rules.KRS_BOXES])
    fig.sum(idx["belum_terpetakan"], [idx[r] for r in REASONS])
    return idx


def map_hidden(raw: dict, threshold: int) -> dict[str, bool]:
    """Which of the talent-map figures (``MAP_KEYS``) are hidden: decided once, used by every page."""
    if threshold <= 1:
        return {k: False for k in MAP_KEYS}
    return dict(_map_hidden(tuple(int(raw[k]) for k in MAP_KEYS), threshold))


@functools.lru_cache(maxsize=1024)
def _map_hidden(values: tuple[int, ...], threshold: int) -> tuple[tuple[str, bool], ...]:
    """``map_hidden`` of the figures ``values`` (in ``MAP_KEYS`` order): a page asks for it several times."""
    raw = dict(zip(MAP_KEYS, values))
    fig = Figures()
    idx = _add_map(fig, raw)
    small = 0 < raw["pegawai"] < threshold
    fig.fix(idx["pegawai"], small)          # the population is never a complementary cell
    hide = fig.protect(threshold, idx.values() if small else ())
    return tuple((k, bool(hide[i])) for k, i in idx.items())


def _fix_map(fig: Figures, raw: dict, threshold: int) -> dict[str, int]:
    idx = _add_map(fig, raw)
    for k, h in map_hidden(raw, threshold).items():
        fig.fix(idx[k], h)
    return idx


def apply(raw: dict, hide: dict[str, bool]) -> dict:
    """``raw`` with hidden figures as ``pd.NA``."""
    return {k: (pd.NA if hide.get(k) else v) for k, v in raw.items()}


def share(num, den, empty: float = 0.0) -> float:
    """``num / den``: NaN when either is hidden, ``empty`` when the denominator is zero."""
    if hidden(num) or hidden(den):
        return float("nan")
    return num / den if den else empty


# --- tables that add up to the talent map -----------------------------------------------------------

POOL_CELLS = [*BOX_KEYS, "belum_terpetakan"]


def group_sizes_hidden(sizes, threshold: int) -> np.ndarray:
    """Which group sizes are hidden: the small ones, and complementary ones so that no small size is the
    grand total minus the others. Every table per group of the same grouping uses this (the sizes agree)."""
    sizes = np.asarray(sizes, dtype=float)
    fig = Figures()
    idx = [fig.add(v) for v in sizes]
    total = fig.add(sizes.sum())
    fig.fix(total, 0 < sizes.sum() < threshold)
    fig.sum(total, idx)
    hide = fig.protect(threshold)
    return hide[idx] | ((sizes > 0) & (sizes < threshold)) if len(idx) else np.zeros(0, bool)


def suppress_pool(df: pd.DataFrame, raw_map: dict, threshold: int) -> pd.DataFrame:
    """A pool table (``pool.POOL_COLUMNS``) with hidden counts as ``<NA>`` and their shares as NaN.

    Its columns add up to the talent map of the same scope and filters (``raw_map``), whose figures
    keep the suppression ``map_hidden`` gave them. A group smaller than ``threshold`` is hidden whole.
    """
    if threshold <= 1 or df.empty:
        return df
    fig = Figures()
    m = _fix_map(fig, raw_map, threshold)
    cols = ["total", *POOL_CELLS, "krs"]
    at = {c: j for j, c in enumerate(cols)}
    values = df[cols].to_numpy(dtype=float)
    idx = fig.add_table(values)                        # one row of figure indexes per group
    size_hidden = group_sizes_hidden(values[:, 0], threshold)
    cells, krs = idx[:, [at[c] for c in POOL_CELLS]], idx[:, [at[f"kotak_{b}"] for b in rules.KRS_BOXES]]
    for n in range(len(idx)):
        fig.fix(idx[n, 0], size_hidden[n])            # a group's size is hidden as on every other page
        fig.sum(idx[n, 0], cells[n])
        fig.sum(idx[n, at["krs"]], krs[n])
    for col, total in [*((c, c) for c in POOL_CELLS), ("total", "pegawai"), ("krs", "krs")]:
        fig.sum(m[total], idx[:, at[col]])
    small = (values[:, 0] > 0) & (values[:, 0] < threshold)
    # added after the copy was frozen (session 10): a group's small placed count is not broken down either
    placed = values[:, at["total"]] - values[:, at["belum_terpetakan"]]
    few = (placed > 0) & (placed < threshold)
    boxes = [at[f"kotak_{b}"] for b in range(1, 10)] + [at["krs"]]
    hide = fig.protect(threshold, [*idx[small].ravel(), *idx[few][:, boxes].ravel()])[idx]
    counts = values.astype(np.int64)
    new = {c: pd.arrays.IntegerArray(counts[:, at[c]].copy(), hide[:, at[c]].copy()) for c in cols}
    bad = hide[:, at["krs"]] | hide[:, at["total"]] | hide[:, at["belum_terpetakan"]]
    new["krs_persen"] = np.where(bad, np.nan, df["krs_persen"].to_numpy(dtype=float))
    return pd.DataFrame({c: new[c] if c in new else df[c] for c in df.columns}, index=df.index)


def suppress_matrix(mat: pd.DataFrame, raw_rows: dict, raw_cols: dict, threshold: int) -> pd.DataFrame:
    """A 10 x 10 box-to-box matrix (0 = belum terpetakan) whose row sums are the map ``raw_rows`` and
    column sums the map ``raw_cols`` (both keep their own suppression). Hidden cells are ``<NA>``."""
    if threshold <= 1:
        return mat
    fig = Figures()
    a, b = _fix_map(fig, raw_rows, threshold), _fix_map(fig, raw_cols, threshold)
    values = mat.to_numpy()
    cell = [[fig.add(values[i, j]) for j in range(10)] for i in range(10)]
    key = lambda k: "belum_terpetakan" if k == 0 else f"kotak_{k}"  # noqa: E731
    for k in range(10):
        fig.sum(a[key(k)], [cell[k][j] for j in range(10)])
        fig.sum(b[key(k)], [cell[i][k] for i in range(10)])
    # the movement per group (naik, tetap, turun, baru, tidak lagi, neither) is published with its column
    # totals assumed known: they are sums of these cells, so the matrix is protected against them too
    tri = [[(i, j) for i in range(1, 10) for j in range(1, 10) if j > i], [(i, i) for i in range(1, 10)],
           [(i, j) for i in range(1, 10) for j in range(1, 10) if j < i], [(0, j) for j in range(1, 10)],
           [(i, 0) for i in range(1, 10)]]
    for part in tri:
        n = sum(values[i, j] for i, j in part)
        total = fig.add(n)
        fig.fix(total, bool(0 < n < threshold))     # assumed known unless small itself: then it must stay hidden
        fig.sum(total, [cell[i][j] for i, j in part])
    small = 0 < raw_rows["pegawai"] < threshold
    hide = fig.protect(threshold, [c for row in cell for c in row] if small else ())
    out = mat.astype("Int64")
    for i in range(10):
        for j in range(10):
            if hide[cell[i][j]]:
                out.iat[i, j] = pd.NA
    return out


def suppress_rows(df: pd.DataFrame, cols: list[str], threshold: int, rest: str | None = None,
                  total: str | None = None) -> pd.DataFrame:
    """A table of counts per group whose row totals and column totals a reader is assumed to know
    (the cautious reading when they are shown elsewhere). ``rest`` names an unpublished column (people
    in the group counted in none of ``cols``); ``total`` the group size column. Hidden cells are ``<NA>``."""
    if threshold <= 1 or df.empty:
        return df
    fig = Figures()
    all_cols = cols + ([rest] if rest else [])
    rows, whole = [], []
    size_hidden = group_sizes_hidden(df[all_cols].sum(axis=1), threshold)
    for k, (_, r) in enumerate(df.iterrows()):
        idx = {c: fig.add(r[c], published=c != rest) for c in all_cols}
        n = sum(r[c] for c in all_cols)
        t = fig.add(n)
        fig.fix(t, size_hidden[k])
        fig.sum(t, idx.values())
        rows.append(idx)
        if 0 < n < threshold:
            whole += idx.values()
    for c in cols:
        t = fig.add(df[c].sum())
        fig.fix(t, bool(0 < df[c].sum() < threshold))      # assumed known unless small itself
        fig.sum(t, [idx[c] for idx in rows])
    hide = fig.protect(threshold, whole)
    out = df.copy()
    for c in cols:
        col = out[c].astype("Int64")
        col[[bool(hide[idx[c]]) for idx in rows]] = pd.NA
        out[c] = col
    if total:
        out[total] = out[total].astype("Int64")
    return out


COVERAGE_KEYS = ("pegawai", "ada_kinerja", "ada_asesmen", "lengkap", "tanpa_kinerja", "tanpa_asesmen",
                 "asesmen_kedaluwarsa", "tidak_lengkap")


def _add_coverage(fig: Figures, r) -> dict[str, int]:
    idx = {k: fig.add(r[k]) for k in COVERAGE_KEYS if k in r}
    kin_only, ases_only = fig.add(r["ada_kinerja"] - r["lengkap"], False), fig.add(r["ada_asesmen"] - r["lengkap"], False)
    neither = fig.add(r["pegawai"] - r["ada_kinerja"] - r["ada_asesmen"] + r["lengkap"], False)
    fig.sum(idx["ada_kinerja"], [idx["lengkap"], kin_only])
    fig.sum(idx["ada_asesmen"], [idx["lengkap"], ases_only])
    fig.sum(idx["pegawai"], [idx["lengkap"], kin_only, ases_only, neither])
    for part, total in (("tanpa_kinerja", "ada_kinerja"), ("tidak_lengkap", "lengkap")):
        if part in idx:
            fig.sum(idx["pegawai"], [idx[total], idx[part]])
    if "tanpa_asesmen" in idx:
        fig.sum(idx["pegawai"], [idx["ada_asesmen"], idx["tanpa_asesmen"], idx["asesmen_kedaluwarsa"]])
    fig.fix(idx["pegawai"], 0 < r["pegawai"] < fig.threshold)
    return idx


def suppress_coverage(raw: dict, threshold: int) -> dict:
    """The Data page's coverage figures (``COVERAGE_KEYS``) with hidden counts as ``pd.NA``."""
    if threshold <= 1:
        return raw
    fig = Figures()
    fig.threshold = threshold
    idx = _add_coverage(fig, raw)
    hide = fig.protect(threshold, idx.values() if 0 < raw["pegawai"] < threshold else ())
    return {k: (pd.NA if hide[idx[k]] else raw[k]) for k in raw}


def suppress_coverage_rows(df: pd.DataFrame, raw_total: dict, threshold: int) -> pd.DataFrame:
    """Coverage per OPD (pegawai, ada_kinerja, ada_asesmen, lengkap) adding up to ``raw_total``
    (suppressed as ``suppress_coverage``); ``persen_lengkap`` is NaN where it rests on a hidden count."""
    if threshold <= 1 or df.empty:
        return df
    fig = Figures()
    fig.threshold = threshold
    top = _add_coverage(fig, raw_total)
    for k, v in suppress_coverage(raw_total, threshold).items():
        fig.fix(top[k], hidden(v))
    cols = ["pegawai", "ada_kinerja", "ada_asesmen", "lengkap"]
    rows, whole = [], []
    size_hidden = group_sizes_hidden(df["pegawai"], threshold)
    for k, (_, r) in enumerate(df.iterrows()):
        idx = _add_coverage(fig, r[cols])
        fig.fix(idx["pegawai"], size_hidden[k])
        rows.append(idx)
        if 0 < r["pegawai"] < threshold:
            whole += idx.values()
    for c in cols:
        fig.sum(top[c], [idx[c] for idx in rows])
    hide = fig.protect(threshold, whole)
    out = df.copy()
    for c in cols:
        col = out[c].astype("Int64")
        col[[bool(hide[idx[c]]) for idx in rows]] = pd.NA
        out[c] = col
    out["persen_lengkap"] = out["persen_lengkap"].where((out["lengkap"].notna() & out["pegawai"].notna()).to_numpy())
    return out


HIPO_UNPUBLISHED = ("hipo_krs", "member_flagged")


def suppress_hipo(ct: pd.DataFrame, counts: dict, raw_map: dict, threshold: int,
                  hipo_rows: Iterable[int] = ()) -> tuple[pd.DataFrame, dict]:
    """The Potensi Tinggi figures: the cluster x box table ``ct`` (columns 0-9, 0 = belum; its row sums are
    the cluster sizes, its columns 1-9 add up to the talent map ``raw_map``) and ``counts`` (n, n_hipo,
    n_review, n_hidden, n_verify; plus the unpublished hipo_krs). Optional counts: ``n_member`` (the sizes
    of the rows ``hipo_rows`` of ``ct``), split into the unpublished ``member_flagged`` and
    ``n_member_unflagged``; ``n_flag_verify`` (a part of ``n_hidden``). Returns both with hidden counts as
    ``pd.NA``."""
    fig = Figures()
    m = _fix_map(fig, raw_map, threshold)
    values = ct.to_numpy()
    cell = [[fig.add(x) for x in row] for row in values]
    sizes = [fig.add(row.sum()) for row in values]
    small = [0 < row.sum() < threshold for row in values]
    for i, size in enumerate(sizes):      # cluster sizes appear on this page only: free to hide
        fig.sum(size, cell[i])
    for j, k in enumerate(ct.columns):
        col = [cell[i][j] for i in range(len(cell))]
        fig.sum(m[f"kotak_{k}"] if k else fig.add(values[:, j].sum(), published=False), col)
    c = {k: fig.add(counts[k], published=k not in HIPO_UNPUBLISHED) for k in counts}
    if 0 < counts["n"] < threshold:     # otherwise it may hide a small "assessed, not placed" (n - terpetakan)
        fig.fix(c["n"], True)
    fig.sum(c["n"], sizes)
    fig.sum(c["n_hipo"], [c["hipo_krs"], c["n_hidden"]])
    fig.sum(m["krs"], [c["hipo_krs"], c["n_verify"]])
    fig.sum(c["n_hipo"], [c["n_review"], fig.add(counts["n_hipo"] - counts["n_review"], published=False)])
    if "n_member" in counts:     # the high-potential clusters' size, flagged and not (the page reconciles them)
        fig.sum(c["n_member"], [sizes[i] for i in hipo_rows])
        fig.sum(c["n_member"], [c["member_flagged"], c["n_member_unflagged"]])
        fig.sum(c["n_hipo"], [c["member_flagged"],
                              fig.add(counts["n_hipo"] - counts["member_flagged"], published=False)])
    if "n_flag_verify" in counts:   # flags in the lowest boxes: a part of the flags outside the KRS
        fig.sum(c["n_hidden"], [c["n_flag_verify"],
                                fig.add(counts["n_hidden"] - counts["n_flag_verify"], published=False)])
    whole = [x for row in cell for x in row] + list(c.values()) if 0 < counts["n"] < threshold else \
        [x for i, row in enumerate(cell) if small[i] for x in row]
    hide = fig.protect(threshold, whole)
    out = ct.astype("Int64")
    for i in range(len(cell)):
        for j in range(len(ct.columns)):
            if hide[cell[i][j]]:
                out.iat[i, j] = pd.NA
    shown = {k: (pd.NA if hide[i] else counts[k]) for k, i in c.items() if k not in HIPO_UNPUBLISHED}
    shown["sizes"] = [pd.NA if hide[s_] else int(values[i].sum()) for i, s_ in enumerate(sizes)]
    return out, shown


# --- people -----------------------------------------------------------------------------------------

