"""Privacy in one place: small-group suppression (with complementary cells) and identity masking.

Every library function that returns counts or people calls this module with the caller's ``Scope``;
pages, exports and the CLI never mask or suppress by themselves.

**Representation of a hidden count.** A count a reader must not see is ``pd.NA`` (nullable ``Int64``
columns, or ``pd.NA`` in a dict of figures); a share that rests on a hidden count is ``NaN``. ``text``
shows a hidden count as ``HIDDEN`` and ``note`` explains the mark. Every hidden cell carries the same
mark, whether it is small itself or hides a small one (complementary): the mark says nothing about
the size. Zeros stay visible (they reveal nobody), except in a group that is itself too small.

**What a reader can work out.** The figures a reader sees are modelled as a system of linear
equations (``Figures``): a total is the sum of its parts, and a figure shown on several pages (the
nine-box counts on Ringkasan, Peta Talenta and as column totals of the Talent Pool) is one variable,
suppressed the same way everywhere (``map_hidden`` decides it once; tables built on top keep it fixed
and may only hide more of their own cells). A hidden count between 1 and ``threshold - 1`` must not
be determined by that system: for small systems this is checked exactly (the unit vector of the
variable lies in the row space of the equations over the hidden figures), for large ones (a table per unit kerja)
exactly as well, block by block (``_System.determined_by_blocks``: a group's own equations, joined by the few
long column sums). Complementary cells are hidden in rounds until nothing small is
determined. For each small count still determined, the cell hidden is the cheapest of its equations that
protects it (``_protectors``): one a reader could not work out once hidden itself and that every solution of the
count uses; a hidden 0 a reader recomputes from its row protects nothing (only past ``EXACT_MAX``, or when no
such cell exists, the cheapest of its equations). The exact check is carried from one round to the next (``_Certificates``: a combination of
equations per determined figure, corrected as more figures are hidden). Counts nobody publishes but a
reader could compute as a difference (employees placed in neither period, hidden inside a row total)
are unpublished variables: they are protected like shown ones.

**People.** With ``mask_identity`` the NIP is replaced and names become initials; with small-group
suppression on as well, a list keeps only ``MASKED_COLUMNS``: a jabatan, unit, birth date or OPD
identifies a person on its own (or, beside a box, breaks a hidden count down), so it is dropped.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
from typing import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import fmt as _fmt, rules
from .scope import Scope

HIDDEN = "•"
EXACT_MAX = 1500          # hidden figures up to which derivability is checked by one factorisation (beyond: by blocks)
# protect's algorithm in this thread (``algorithm``): effective, for a leak, hides a figure that protects it (False:
# the cheapest neighbour); incremental carries the rounds' derivability check over (False: each round from scratch)
_ALGORITHM: contextvars.ContextVar[tuple[bool, bool]] = contextvars.ContextVar("privacy_algorithm", default=(True, True))


@contextlib.contextmanager
def algorithm(*, effective: bool | None = None, incremental: bool | None = None) -> Iterator[None]:
    """Run ``protect`` with an earlier rule in this thread only (tests compare the current algorithm with the one
    before it; nothing else changes it): ``effective=False`` hides the cheapest neighbour of a leak,
    ``incremental=False`` checks every round from scratch (None: as it is now). Same guarantee either way."""
    now = _ALGORITHM.get()
    token = _ALGORITHM.set((now[0] if effective is None else effective, now[1] if incremental is None else incremental))
    try:
        yield
    finally:
        _ALGORITHM.reset(token)

REASONS = ("tanpa_kinerja", "tanpa_asesmen", "asesmen_kedaluwarsa", "tanpa_kinerja_dan_asesmen")
BOX_KEYS = tuple(f"kotak_{b.number}" for b in rules.BOXES)
MAP_KEYS = ("pegawai", "terpetakan", "belum_terpetakan", *BOX_KEYS, "krs", *REASONS)
MASKED_NIP = "••••••••••••••••••"
# what a masked list may keep when small groups are suppressed (nothing that names, places or breaks down)
MASKED_COLUMNS = ("nip", "nama", "skor_kinerja", "kategori_kinerja", "skor_potensial", "kategori_potensial",
                  "kotak", "label", "rekomendasi", "krs", "rule_set", "tahun_asesmen", "jpm", "confidence",
                  "stability", "hipo", "status")


def small(n, threshold: int):
    """Whether a count is small under ``threshold``, the rule every suppression starts from: 1 to threshold - 1
    (nobody, 0, is not a person to protect; no threshold hides nothing). ``n`` a number (bool) or an array or
    Series of them (a boolean array)."""
    if isinstance(n, (np.ndarray, pd.Series, pd.Index, list, tuple)):
        v = np.asarray(n, dtype=float)
        return (v > 0) & (v < threshold) if threshold > 1 else np.zeros(v.shape, bool)
    return bool(threshold > 1 and 0 < n < threshold)


def shown_count(n, threshold: int):
    """A single count as a reader may see it: ``pd.NA`` when small (``small``), else ``n``."""
    return pd.NA if small(n, threshold) else n


def hidden(x) -> bool:
    """True for a suppressed value (``pd.NA``, None or NaN)."""
    return x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x))


def text(x, fmt=None) -> str:
    """A count (or any figure) for display: ``HIDDEN`` when suppressed, else ``fmt(x)`` (Indonesian digits)."""
    if hidden(x):
        return HIDDEN
    return fmt(x) if fmt else _fmt.num(int(x))


def note(threshold: int) -> str:
    """The footnote that explains ``HIDDEN``."""
    return (f"{HIDDEN} = disembunyikan: kelompok di bawah {threshold} orang, dan angka yang dapat membukanya"
            if threshold > 1 else "")


def published_filters(scope: Scope, filters):
    """The filters a scope reads under: with a small-group threshold one box basis is published, the official one
    (``otomatis``: calibrated once the session is closed). Two talent maps of the same people on two bases, each
    suppressed on its own, give the few people the Komite moved as their difference (review 6). ``population``
    applies it to every read."""
    if threshold(scope) and filters.basis != "otomatis":
        filters = dataclasses.replace(filters, basis="otomatis")
    if threshold(scope) and not scope.may_unmask:
        # a guest (a role that never sees identities) chooses its own filters, and every choice is suppressed on
        # its own: two overlapping choices side by side (PNS + PPPK against PNS + Paruh Waktu) gave counts of 1-4
        # as their difference (review 8, D2). A guest reads one view per period: its whole scope, whose
        # figures per OPD are the published, complementarily suppressed pool table.
        filters = dataclasses.replace(filters, instansi=(), opd=(), jenis_jabatan=(), jenis_asn=())
    return filters



def threshold(scope: Scope) -> int:
    """The small-group threshold in force for ``scope`` (0: nothing is suppressed)."""
    return scope.min_group if scope.min_group > 1 else 0


# --- the reader's equations ------------------------------------------------------------------------

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
    return _projections(a @ a.T, lambda rows: sub[rows], sub.shape[1])


def _projections(g: np.ndarray, rows_of, width: int) -> np.ndarray:
    """``_rowspace_norms`` from the Gram matrix ``g`` of the equations; ``rows_of(rows)``: the columns asked
    about (``width`` of them) of the equations ``rows`` (positions in ``g``)."""
    top = float(g.diagonal().max(initial=0))
    if top <= 0:
        return np.zeros(width)
    u, piv, rank, _ = _pstrf(g, tol=1e-10 * max(1.0, top))
    if rank == 0:
        return np.zeros(width)
    rows = piv[:rank] - 1
    # dtrtrs reads the upper triangle only (what lies below is the Gram matrix dpstrf left there)
    z = _trtrs(u[:rank, :rank], rows_of(rows), trans=1)[0]
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


def _ranges(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The integers of every range [a_k, b_k), one after the other."""
    n = b - a
    return np.arange(int(n.sum())) + np.repeat(a - (np.cumsum(n) - n), n)


class _System:
    """The equations of a ``Figures`` as arrays, built once per ``protect`` and read every round.

    ``eq``, ``var``, ``sign``: one entry per member of an equation (+1 for the total, -1 for each part), in the
    order the equations were added. ``pairs``: every two entries on the same figure (``pair_eq1``, ``pair_eq2``,
    the product of their signs, the figure): the Gram matrix of the equations over any set of hidden figures
    is the sum of the products of the pairs on those figures, so a round adds them up (``np.bincount``) instead of
    building the matrix of the hidden figures and multiplying it by itself (the same small integers, exactly).
    """

    def __init__(self, fig: "Figures"):
        self.n, self.m = len(fig.values), len(fig._sizes)
        self.eq, self.var, self.sign = fig._incidence()
        order = np.argsort(self.var, kind="stable")            # entries figure by figure
        counts = np.bincount(self.var, minlength=self.n)
        self.var_start = np.concatenate(([0], np.cumsum(counts)))
        self.var_eq = self.eq[order]                            # the equations of each figure (CSR)
        per = counts[self.var[order]]                           # for each entry, the entries on its figure
        first = np.repeat(self.var_start[self.var[order]], per)
        offset = np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
        o1, o2 = np.repeat(order, per), order[first + offset]
        self.pair_eq1, self.pair_eq2 = self.eq[o1], self.eq[o2]
        self.pair_w, self.pair_var = self.sign[o1] * self.sign[o2], self.var[o1]

    @functools.cached_property
    def lists(self) -> tuple[list[int], list[int], list[int], list[int]]:
        """Plain lists for ``_Neighbours`` (read per figure): the equations of every figure (``var_eq``, from
        ``var_start``), and where the members of every equation start and end among the entries."""
        sizes = np.bincount(self.eq, minlength=self.m)
        ends = np.cumsum(sizes)
        return self.var_eq.tolist(), self.var_start.tolist(), (ends - sizes).tolist(), ends.tolist()

    DENSE_MAX = 1 << 20       # equations x figures up to which ``columns`` reads a dense copy of the equations

    @functools.cached_property
    def dense(self) -> np.ndarray | None:
        """The equations' coefficients on every figure, figure by figure (n x m: a figure's column is one
        contiguous row), when that is small."""
        if self.m * self.n > self.DENSE_MAX:
            return None
        return np.bincount(self.var * self.m + self.eq, weights=self.sign,
                           minlength=self.m * self.n).reshape(self.n, self.m)

    def columns(self, figs: np.ndarray) -> np.ndarray:
        """The equations' coefficients on the figures ``figs`` (m x len(figs))."""
        if self.dense is not None:
            return self.dense[figs].T
        at = np.full(self.n, -1, np.int64)
        at[figs] = np.arange(len(figs))
        col = at[self.var]
        on = col >= 0
        k = len(figs)
        return np.bincount(self.eq[on] * k + col[on], weights=self.sign[on], minlength=self.m * k).reshape(self.m, k)

    def gram(self, figs: np.ndarray) -> np.ndarray:
        """The Gram matrix (m x m) of the equations over the figures ``figs``, summed from the pairs."""
        on = np.zeros(self.n, bool)
        on[figs] = True
        p = on[self.pair_var]
        return np.bincount(self.pair_eq1[p] * self.m + self.pair_eq2[p], weights=self.pair_w[p],
                           minlength=self.m * self.m).reshape(self.m, self.m)

    def determined(self, hide: np.ndarray, ask: np.ndarray) -> np.ndarray:
        """Of the hidden figures ``ask`` (indexes), which a reader can solve (exact: e_i lies in the row space
        of the equations over the hidden figures). The same arithmetic as ``_rowspace_norms`` of that matrix.

        Figures solved by equations with one unknown, in turn, are determined; they are then taken as known,
        which leaves every other answer the same (e_j in the row space R: e_i lies in R exactly when it does
        with coordinate j dropped), so the linear algebra only runs on what is left, and not at all when that
        decides every figure asked about."""
        solved, eq, var, sign = self._peel(hide)
        out = solved[ask]
        if out.all():
            return out
        rest = ~out
        out[rest] = self._determined_exactly(hide & ~solved, ask[rest], eq, var, sign)
        return out

    def _peel(self, hide: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The hidden figures solved by equations with one unknown, in turn (a mask), and the entries (equation,
        figure, sign) on the hidden figures left unknown."""
        on = hide[self.var]
        eq, var, sign = self.eq[on], self.var[on], self.sign[on]        # the entries on hidden figures
        solved = np.zeros(self.n, bool)
        unknown = np.ones(len(eq), bool)
        while True:
            alone = unknown & (np.bincount(eq[unknown], minlength=self.m)[eq] == 1)
            if not alone.any():
                break
            solved[var[alone]] = True
            unknown = ~solved[var]
        return solved, eq[unknown], var[unknown], sign[unknown]

    def near(self, i: int, hide: np.ndarray, fixed: np.ndarray) -> np.ndarray:
        """The figures not hidden or fixed in the equations of ``i``; when there are none, in those of the hidden
        figures it is solved through, widening step by step (in arrays: a column of a table per unit kerja has
        hundreds of members, and Python sets over them took 13 ms a call)."""
        seen = np.zeros(self.n, bool)
        seen[i] = True
        frontier = np.array([i], np.int64)
        ends = np.cumsum(self.members_of)
        starts = ends - self.members_of
        while len(frontier):
            eqs = np.unique(self.var_eq[_ranges(self.var_start[frontier], self.var_start[frontier + 1])])
            members = np.unique(self.var[_ranges(starts[eqs], ends[eqs])])
            cands = members[~hide[members] & ~fixed[members]]
            if len(cands):
                return cands
            frontier = members[hide[members] & ~seen[members]]
            seen[frontier] = True
        return frontier

    LOCAL_MAX = 32      # ``determined_by_blocks``: an equation with more members than this links the blocks

    @functools.cached_property
    def members_of(self) -> np.ndarray:
        """The number of members (total and parts) of every equation."""
        return np.bincount(self.eq, minlength=self.m)

    def determined_by_blocks(self, hide: np.ndarray, ask: np.ndarray) -> np.ndarray:
        """``determined`` for systems too large for one factorisation, exactly (the same question: does e_i lie
        in the row space of the equations over the hidden figures), by their shape: many small blocks (a
        table's rows: a group's size and KRS over its own cells) joined by a few long equations (the columns
        adding up to the talent map).

        After the equations with one unknown (as ``determined``), the equations with at most ``LOCAL_MAX``
        members split the unknowns into blocks (connected components). Every null vector z of the whole
        system is, block by block, ``N_b y_b`` (``N_b``: an orthonormal basis of the null space of the block's
        own equations) with the long equations ``R y = 0`` on the coordinates y. e_i lies in the row space
        exactly when z_i = 0 for every such z, i.e. when a_i (row i of ``N_b``) lies in the row space of R:
        |a_i|² - |Z a_i|² = 0 with Z an orthonormal basis of that row space (R has one row per long equation:
        a handful). So one small factorisation per distinct block and one of R replace a factorisation of
        thousands of hidden figures."""
        from scipy.sparse import coo_matrix, csr_matrix
        from scipy.sparse.csgraph import connected_components

        solved, eq, var, sign = self._peel(hide)
        out = solved[ask]
        if out.all():
            return out
        figs = np.unique(var)                                   # the unknowns, in order
        u = len(figs)
        at = np.full(self.n, -1, np.int64)
        at[figs] = np.arange(u)
        col = at[var]
        long_ = self.members_of[eq] > self.LOCAL_MAX     # by the equation's size, not its unknowns: a column with
        # few hidden cells would otherwise join those groups into one large block
        loc = ~long_
        # blocks: the unknowns joined by short equations (a bipartite graph of unknowns and equations)
        graph = csr_matrix((np.ones(int(loc.sum())), (col[loc], u + eq[loc])), shape=(u + self.m, u + self.m))
        _, label = connected_components(graph, directed=False)
        _, block = np.unique(label[:u], return_inverse=True)    # 0..k-1
        k = int(block.max()) + 1
        order = np.argsort(block, kind="stable")                 # unknowns block by block, by figure within one
        size = np.bincount(block, minlength=k)
        first = np.cumsum(size) - size
        pos = np.empty(u, np.int64)                              # an unknown's place in its block
        pos[order] = np.arange(u) - np.repeat(first, size)
        # the short entries: block, the equation's place in its block, the unknown's place, the sign
        e_col, e_eq, e_sign = col[loc], eq[loc], sign[loc]
        e_blk = block[e_col]
        pairs, e_row = np.unique(e_blk * self.m + e_eq, return_inverse=True)
        n_eq = np.bincount(pairs // self.m, minlength=k)
        e_row = e_row - (np.cumsum(n_eq) - n_eq)[e_blk]
        # a block's shape as one row of codes (its entries in order, padded), so that blocks of the same shape (a
        # table's groups with the same cells hidden) share one factorisation
        e_pos = pos[e_col]
        o = np.lexsort((e_pos, e_row, e_blk))
        n_ent = np.bincount(e_blk, minlength=k)
        width_e = int(n_ent.max(initial=0))
        at_e = np.arange(len(o)) - np.repeat(np.cumsum(n_ent) - n_ent, n_ent)
        code = (e_row[o] * (int(size.max()) + 1) + e_pos[o]) * 2 + (e_sign[o] > 0)
        sig = np.full((k, width_e + 2), -1, np.int64)
        sig[e_blk[o], at_e] = code
        sig[:, width_e], sig[:, width_e + 1] = size, n_eq
        shapes, shape_of = np.unique(sig, axis=0, return_inverse=True)
        shape_of = shape_of.ravel()
        nulls, dims = [], np.zeros(len(shapes), np.int64)
        cache = self.__dict__.setdefault("_nulls", {})        # by shape: the same blocks recur round after round
        if len(cache) > 4096:
            cache.clear()
        for j, row in enumerate(shapes):
            n_m, n_e = int(row[width_e]), int(row[width_e + 1])
            key = (width_e, int(size.max()), row.tobytes())
            if key in cache:
                null = cache[key]
            elif n_e:
                c = row[:width_e][row[:width_e] >= 0]
                a = np.zeros((n_e, n_m))
                np.add.at(a, (c // 2 // (int(size.max()) + 1), c // 2 % (int(size.max()) + 1)),
                          np.where(c % 2 == 1, 1.0, -1.0))
                _, s_, vt = np.linalg.svd(a)
                rank = int((s_ > 1e-10 * max(1.0, s_[0] if len(s_) else 0.0)).sum())
                null = cache[key] = vt[rank:].T                     # n_m x d
            else:
                null = np.eye(n_m)
            nulls.append(null)
            dims[j] = null.shape[1]
        d_of = dims[shape_of]
        offset = np.cumsum(d_of) - d_of                         # each block's first coordinate
        width = int(d_of.sum())
        rows, cols, vals = [], [], []
        for j, null in enumerate(nulls):
            if not dims[j]:
                continue
            bs = np.flatnonzero(shape_of == j)
            members = order[first[bs][:, None] + np.arange(null.shape[0])]      # blocks x n_m (unknowns)
            ii, jj = np.nonzero(null)
            rows.append(members[:, ii].ravel())
            cols.append((offset[bs][:, None] + jj).ravel())
            vals.append(np.broadcast_to(null[ii, jj], (len(bs), len(ii))).ravel())
        if width == 0:                                          # every block determined by its own equations
            out[~out] = np.isin(ask[~out], figs)
            return out
        nb = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                        shape=(u, width)).tocsr()                # the a_i, one row per unknown
        if long_.any():
            g_eqs, g_row = np.unique(eq[long_], return_inverse=True)
            g = csr_matrix((sign[long_], (g_row, col[long_])), shape=(len(g_eqs), u))
            r = (g @ nb).toarray()
            _, s, vt = np.linalg.svd(r, full_matrices=False)
            rank = int((s > 1e-10 * max(1.0, s[0] if len(s) else 0.0)).sum())
            z = vt[:rank]
        else:
            z = np.zeros((0, width))
        rest = ~out
        i = at[ask[rest]]
        known = i >= 0
        res = np.zeros(len(i))
        if known.any():
            a = nb[i[known]]
            norm = np.asarray(a.multiply(a).sum(axis=1)).ravel()
            proj = np.asarray(a @ z.T) if len(z) else np.zeros((len(norm), 0))
            res[known] = norm - (proj ** 2).sum(axis=1)
        # an unknown in no equation is free (not determined)
        res[~known] = 1.0
        out[rest] = res < 1e-8
        return out

    def _determined_exactly(self, hide, ask, eq, var, sign) -> np.ndarray:
        """``determined`` by linear algebra alone; ``eq``, ``var``, ``sign``: the entries on ``hide``."""
        if not len(eq):
            return np.zeros(len(ask), bool)
        present = np.zeros(self.m, bool)
        present[eq] = True
        rows = np.flatnonzero(present)                          # the equations with a hidden member
        r = len(rows)
        at = np.zeros(self.m, np.int64)
        at[rows] = np.arange(r)
        p = hide[self.pair_var]
        g = np.bincount(at[self.pair_eq1[p]] * r + at[self.pair_eq2[p]], weights=self.pair_w[p],
                        minlength=r * r).reshape(r, r)
        col = np.full(self.n, -1, np.int64)
        col[ask] = np.arange(len(ask))
        k = col[var] >= 0                                       # the entries on the figures asked about
        eq_k, col_k, sign_k, na = at[eq[k]], col[var[k]], sign[k], len(ask)

        def rows_of(basis):                                     # the asked columns of the equations ``basis``
            row = np.full(r, -1, np.int64)
            row[basis] = np.arange(len(basis))
            rk = row[eq_k]
            b = rk >= 0
            return np.bincount(rk[b] * na + col_k[b], weights=sign_k[b],
                               minlength=len(basis) * na).reshape(len(basis), na)

        return _projections(g, rows_of, na) > 1 - 1e-8


class _Certificates:
    """Which hidden figures a reader can solve, carried from one round of ``Figures._protect`` to the next.

    **Certificates.** A hidden figure j can be solved exactly when some combination λ of the equations is 1 on
    j and 0 on every other hidden figure (λᵀA_H = e_jᵀ, A_H: the equations' coefficients on the hidden figures;
    the shown figures are known, their coefficients do not matter): adding up the equations with the weights λ
    leaves j alone. λ is a certificate for j (``_System.determined`` asks the same from scratch: e_j in the row
    space of A_H). Two certificates of j differ by a combination that is 0 on every hidden figure; the state
    keeps a basis Y of those (the left null space of A_H: m - rank A_H combinations, 37 down to 13 on the demo's
    OPD table of 122 equations) and one certificate λ_j for every figure found solvable (the leaks: the next
    round asks about them again).

    **A round.** The rounds only hide more: figures B join the hidden ones. With T = Yᵀ A_B (every null
    combination on the new figures, ℓ x k) and s_j = λ_jᵀ A_B (a certificate on them):

    - j stays solvable iff some λ_j + Y c is 0 on B, i.e. cᵀT = -s_j: s_j lies in the row space of T (the
      certificates of j on the larger hidden set are among those on the smaller). |s_j - its projection|²
      is what the best of them leaves on B, in the unit of the figure (a certificate is 1 on j);
    - a new figure b is solvable iff some Y c is 1 on b and 0 on the rest of B: e_b lies in the row space
      of T (1 - |its projection|², as ``_projections`` measures it);
    - the null combinations of the larger hidden set are the Y c with cᵀT = 0 (the left null space of T).

    One pivoted Cholesky factorisation T_P T_Pᵀ = uᵀu of the rows of T in pivot order (LAPACK ``dpstrf``, the
    routine and tolerance of ``_projections``; rank ρ) answers all three: the first ρ pivots are independent rows
    T_r, the rows of z = u₁₁⁻ᵀ T_r are an orthonormal basis of the row space of T, a vector s has the
    coordinates γ = s zᵀ in it and is reached by c_r = u₁₁⁻¹ γᵀ (c_rᵀ T_r = γ z), and every other row of T is
    K_iᵀ T_r with K = u₁₁⁻¹ u₁₂, so that Y_i - K_iᵀ Y_r is a null combination of the larger set. Before the
    first round nothing is hidden, Y = I (every equation on its own) and the first round is an ordinary check
    from scratch; after it, nothing of the size of all the hidden figures is factorised again (ℓ is small).

    A figure found unsolvable stays so (hiding more only adds unknowns) and is not asked about again. A decision
    that is not clear-cut in floating point (a squared residual between ``UNSURE``) is left to
    ``_System.determined``: ``round`` returns None.
    """

    # What a certificate leaves on B is at least what ``_System.determined`` measures (1 - the projection of e_j:
    # the best of every combination, not only of those 0 on the other hidden figures), so "solvable" here is
    # solvable there. Solvable: rounding errors (at most 1e-13 on random pool, matrix and per-group tables); not
    # solvable: 0.1 or more there. In between is not clear-cut: the round is checked from scratch
    UNSURE = (1e-10, 1e-2)

    def __init__(self, system: _System, small: np.ndarray):
        self.system, self.small = system, small
        self.hidden = np.zeros(system.n, bool)          # hidden at the last round
        # rows: the null combinations Y (the first ``nulls``), then the certificates of the figures ``leaks``;
        # None: Y = I and no certificate (nothing hidden yet)
        self.rows: np.ndarray | None = None
        self.nulls = system.m
        self.leaks = np.zeros(0, np.int64)

    def round(self, hide: np.ndarray) -> np.ndarray | None:
        """The figures a reader can solve once ``hide`` (holding every figure hidden at the last round) is
        hidden, among those asked about: the leaks of the last round and the small figures hidden since. In
        increasing order; None when that is not clear-cut (the state is then of no further use)."""
        system, m, nl = self.system, self.system.m, self.nulls
        new = np.flatnonzero(hide & ~self.hidden)
        ask = np.flatnonzero(self.small[new])                           # the new figures asked about, in A_B
        a = system.columns(new)                                          # A_B
        if self.rows is None:                                            # Y = I: T is A_B (its non-zero rows)
            touch = np.flatnonzero(a.any(axis=1))
            t, s = a[touch], np.zeros((0, len(new)))
            g = system.gram(new)[np.ix_(touch, touch)]
        else:
            ts = self.rows @ a
            t, s = ts[:nl], ts[nl:]
            g = t @ t.T
        top = float(g.diagonal().max(initial=0))
        rank = 0
        if top > 1e-10:             # (dpstrf takes its first pivot whatever the tolerance: T may be rounding only)
            u, piv, rank, _ = _pstrf(g, tol=1e-10 * max(1.0, top))
        if rank:
            piv = piv - 1
            u11 = u[:rank, :rank]
            z = _trtrs(u11, t[piv[:rank]], trans=1)[0]                   # orthonormal rows: the row space of T
            gamma = s @ z.T
            res = s - gamma @ z
            zb = z[:, ask]
        else:
            res, zb = s, np.zeros((0, len(ask)))
        frac = np.concatenate([np.einsum("ij,ij->i", res, res), 1.0 - np.einsum("ij,ij->j", zb, zb)])
        if ((frac > self.UNSURE[0]) & (frac < self.UNSURE[1])).any():
            return None
        solved = frac < 1e-8
        old = solved[:len(self.leaks)]
        leaks = np.concatenate([self.leaks, new[ask]])[solved]
        if not rank:                # T = 0: Y stays, and so do the certificates still solvable (no new one)
            if self.rows is not None:
                self.rows = np.vstack([self.rows[:nl], self.rows[nl:][old]])
        else:
            # the next rows: Y_i - K_iᵀ Y_r for the rows of T outside the basis, the certificates still solvable
            # corrected to be 0 on B (λ_j + c_rᵀ Y_r, c_r = -u₁₁⁻¹ γ_jᵀ), certificates of the new figures
            # solvable (c_r = u₁₁⁻¹ z_bᵀ)
            c = _trtrs(u11, np.hstack([-u[:rank, rank:len(t)], -gamma[old].T, zb[:, solved[len(old):]]]),
                       trans=0)[0].T
            if self.rows is None:   # Y = I: the equations not touched, then the touched ones outside the basis
                untouched = np.ones(m, bool)
                untouched[touch] = False
                nu, rest = m - len(touch), touch[piv[rank:]]
                rows = np.zeros((nu + len(c), m))
                rows[np.arange(nu), np.flatnonzero(untouched)] = 1.0
                rows[nu + np.arange(len(rest)), rest] = 1.0
                rows[nu:, touch[piv[:rank]]] += c                        # c_rᵀ Y_r: c in the columns r
            else:
                rows = np.vstack([self.rows[piv[rank:]], self.rows[nl:][old],
                                  np.zeros((len(c) - nl + rank - int(old.sum()), m))])
                rows += c @ self.rows[piv[:rank]]
            self.nulls = nl - rank
            y = rows[:self.nulls]
            y /= np.sqrt(np.einsum("ij,ij->i", y, y))[:, None]     # unit length: the rank tolerance is relative
            self.rows = rows
        self.leaks, self.hidden = leaks, hide.copy()        # (the certificates in the order of ``leaks``)
        return np.sort(leaks)

    def state(self, leaks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Y (the null combinations, rows) and the certificates of ``leaks`` (the last round's, any order)."""
        if self.rows is None:
            return np.eye(self.system.m), np.zeros((0, self.system.m))
        pos = np.empty(self.system.n, np.int64)
        pos[self.leaks] = np.arange(len(self.leaks))
        return self.rows[:self.nulls], self.rows[self.nulls:][pos[leaks]]


def _scratch_certificates(system: _System, hide: np.ndarray, leaks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_Certificates``' state computed from scratch (an SVD): a basis Y of the combinations of equations that are 0
    on every hidden figure (rows), and for every figure of ``leaks`` (solvable) a certificate (its row of the
    second array): a combination that is 1 on it and 0 on every other hidden figure."""
    from scipy.linalg import lstsq, null_space

    a = system.columns(np.flatnonzero(hide))                       # A_H: m x hidden
    # (gesvd: the default divide-and-conquer driver fails to converge on some rank-deficient 0/±1 systems)
    y = null_space(a.T, rcond=1e-10, lapack_driver="gesvd").T if a.shape[1] else np.eye(system.m)
    at = np.zeros(system.n, np.int64)
    at[np.flatnonzero(hide)] = np.arange(int(hide.sum()))
    e = np.zeros((a.shape[1], len(leaks)))
    e[at[leaks], np.arange(len(leaks))] = 1.0
    lam = lstsq(a.T, e, lapack_driver="gelsy")[0].T if len(leaks) else np.zeros((0, system.m))
    return y, lam


def _protectors(system: _System, y: np.ndarray, lam: np.ndarray, leaks: np.ndarray, hide: np.ndarray,
                fixed: np.ndarray, v: np.ndarray) -> list[list[int]]:
    """For every leak i (a hidden figure a reader can solve; ``lam``: a certificate of each), the figures of its
    equations, neither hidden nor fixed, that would leave it unsolvable if hidden alone, cheapest first.

    Hiding j leaves i unsolvable exactly when no certificate of i survives: every certificate is λ_i + Y c, and
    on j it must be 0. If Y a_j ≠ 0 some c cancels λ_iᵀa_j (i stays solvable); if Y a_j = 0 (j itself could
    not be worked out once hidden: a complement a reader can work out protects nothing) all certificates agree
    on j, and i is protected iff λ_iᵀa_j ≠ 0. Hiding more later never makes i solvable again."""
    starts = np.cumsum(system.members_of) - system.members_of
    ends = starts + system.members_of
    per_leak = system.var_start[leaks + 1] - system.var_start[leaks]
    eqs = system.var_eq[_ranges(system.var_start[leaks], system.var_start[leaks + 1])]
    owner = np.repeat(np.arange(len(leaks)), per_leak)
    size = system.members_of[eqs]
    members = system.var[_ranges(starts[eqs], ends[eqs])]
    owner = np.repeat(owner, size)
    ok = ~hide[members] & ~fixed[members]
    pairs = np.sort(owner[ok] * system.n + members[ok])
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    owner, members = pairs // system.n, pairs % system.n
    if not len(pairs):
        return [[] for _ in leaks]
    on = np.zeros(system.n, bool)
    on[members] = True
    cand = np.flatnonzero(on)
    col = (np.cumsum(on) - 1)[members]
    a = system.columns(cand)
    ya = y @ a
    free = np.abs(ya).max(axis=0, initial=0) < 1e-9
    s = lam @ a                                                    # leaks x candidates
    breaks = free[col] & (np.abs(s[owner, col]) > 1e-6)
    owner, members = owner[breaks], members[breaks]
    order = np.lexsort((members, v[members], v[members] == 0, owner))
    ends = np.cumsum(np.bincount(owner, minlength=len(leaks))).tolist()
    ordered = members[order].tolist()
    return [ordered[a:b] for a, b in zip([0, *ends[:-1]], ends)]


class _Neighbours:
    """``_System.near`` for the common case, in constant time: the cheapest figure that may still be hidden
    in the equations of ``i``. The members of every equation are kept sorted by cost (``(v == 0, v, j)``, the
    order ``near``'s callers pick by) with a pointer to the first one not hidden or fixed; ``hide`` only grows
    and ``fixed`` never changes, so a pointer only moves forward. None when every member of the equations of
    ``i`` is hidden or fixed (``near`` then widens its search)."""

    def __init__(self, system: _System, v: np.ndarray):
        rank = np.empty(len(v), np.int64)
        rank[np.lexsort((v, v == 0))] = np.arange(len(v))        # (a stable sort: ties by index)
        # entries equation by equation (they are in equation order), cheapest first
        by_cost = np.argsort(system.eq * len(v) + rank[system.var], kind="stable")
        self.members = system.var[by_cost].tolist()
        self.var_eq, self.var_start, starts, self.end = system.lists
        self.ptr = list(starts)                                   # (moved forward: this table's own copy)
        self.rank = rank.tolist()

    def cheapest(self, i: int, hide: list, fixed: list) -> int | None:
        best = None
        members, ptr, end, rank = self.members, self.ptr, self.end, self.rank
        for k in range(self.var_start[i], self.var_start[i + 1]):
            e = self.var_eq[k]
            p, stop = ptr[e], end[e]
            while p < stop and (hide[members[p]] or fixed[members[p]]):
                p += 1
            ptr[e] = p
            if p < stop and (best is None or rank[members[p]] < rank[best]):
                best = members[p]
        return best


def _hide_breakdowns(system: _System, v: np.ndarray, hide: np.ndarray, fixed: np.ndarray,
                     small: np.ndarray) -> None:
    """A small count is never broken down (in place).

    Every part of an equation whose total is a hidden small count is hidden too, zeros included: its parts are
    zeros or small counts (hidden already), and the zeros told who the group is (eight boxes at 0 beside one
    hidden box say that every placed person of a group of five is in that box). Then a total of 0 whose parts
    are all hidden is hidden as well (the KRS count of those boxes: a 0 would say none of them is in KRS), in
    turn. Figures another table decided (``fixed``) keep their state."""
    total = system.sign > 0
    broken = np.zeros(system.m, bool)
    broken[system.eq[total]] = (hide & small)[system.var[total]]
    parts = system.var[~total & broken[system.eq]]
    hide[parts[~fixed[parts]]] = True
    eq_parts = np.bincount(system.eq[~total], minlength=system.m)
    tot = np.full(system.m, -1)
    tot[system.eq[total]] = system.var[total]
    while True:
        shown_parts = np.bincount(system.eq[~total], weights=~hide[system.var[~total]], minlength=system.m)
        ok = (tot >= 0) & (eq_parts > 0) & (shown_parts == 0)
        cand = tot[ok]
        cand = cand[(v[cand] == 0) & ~hide[cand] & ~fixed[cand]]
        if not len(cand):
            return
        hide[cand] = True


class Figures:
    """Figures (published or not) and the sums between them: what a reader can solve."""

    def __init__(self):
        self.values: list[float] = []
        self.published: list[bool] = []
        self.fixed: dict[int, bool] = {}
        # the equations, flat: every equation's members (its total first), and how many members each has
        self._members: list[int] = []
        self._sizes: list[int] = []
        self._eqs: list[tuple[int, list[int]]] | None = None
        self._system: _System | None = None      # the equations as arrays, when built already (``_pool_layout``)
        self.threshold = 0

    @property
    def eqs(self) -> list[tuple[int, list[int]]]:
        """The equations as (total, parts), in the order they were added."""
        if self._eqs is None:
            out, at = [], 0
            for size in self._sizes:
                out.append((self._members[at], list(self._members[at + 1:at + size])))
                at += size
            self._eqs = out
        return self._eqs

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
        parts = parts.tolist() if isinstance(parts, np.ndarray) else [int(p) for p in parts]
        self._members.append(int(total))
        self._members.extend(parts)
        self._sizes.append(1 + len(parts))
        self._eqs = None

    def sums(self, totals: np.ndarray, parts: np.ndarray) -> None:
        """``totals[k]`` equals the sum of ``parts[k]`` for every k, in that order (a row of ``parts`` may be
        padded with -1: no figure)."""
        rows = np.column_stack([np.asarray(totals, np.int64), np.asarray(parts, np.int64).reshape(len(totals), -1)])
        on = rows >= 0
        self._members.extend(rows[on].tolist())
        self._sizes.extend(on.sum(axis=1).tolist())
        self._eqs = None

    def _incidence(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The equations as (equation, figure, sign) triples: +1 for the total, -1 for each part."""
        sizes = np.array(self._sizes, np.int64)
        eq = np.repeat(np.arange(len(sizes)), sizes)
        var = np.array(self._members, np.int64)
        sign = np.full(len(eq), -1.0)
        sign[np.cumsum(sizes) - sizes] = 1.0
        return eq, var, sign

    def _determined(self, hide: np.ndarray, inc: "_System | None" = None, only: np.ndarray | None = None) -> np.ndarray:
        """Which hidden figures a reader can solve from the shown ones. ``only`` (a mask): decide just those
        (the others come back False); the equations are the same, only fewer projections are computed.
        ``inc``: the equations as arrays (``_System``), when the caller has built them."""
        n = len(self.values)
        out = np.zeros(n, bool)
        h = np.flatnonzero(hide)
        if not len(h) or not self._sizes or (only is not None and not only[h].any()):
            return out
        if len(h) <= EXACT_MAX:
            system = _System(self) if inc is None else inc
            ask = h if only is None else h[only[h]]
            out[ask] = system.determined(hide, ask)
            return out
        system = _System(self) if inc is None else inc
        ask = h if only is None else h[only[h]]
        out[ask] = system.determined_by_blocks(hide, ask)
        return out

    def protect(self, threshold: int, hide_also: Iterable[int] = ()) -> np.ndarray:
        """Which figures to hide so that no count in 1..threshold-1 is shown or derivable."""
        # small matrices: one BLAS thread is several times faster than threads fighting DuckDB's for 2 cores
        with _blas().limit(limits=1, user_api="blas"):
            return self._protect(threshold, hide_also)

    def _protect(self, threshold: int, hide_also: Iterable[int] = ()) -> np.ndarray:
        v = np.array(self.values)
        hide = ~np.array(self.published, bool) | ((v > 0) & (v < threshold))
        hide[np.asarray(list(hide_also), np.int64)] = True
        fixed = np.zeros(len(v), bool)
        if self.fixed:
            at = np.fromiter(self.fixed.keys(), np.int64, len(self.fixed))
            is_hidden = np.fromiter(self.fixed.values(), bool, len(self.fixed))
            hide[at], fixed[at] = is_hidden, True
        if threshold <= 1:
            return hide
        small = (v > 0) & (v < threshold)
        if not (hide & small).any():        # no small count hidden: none to protect (the first round's answer)
            return hide
        system = self._system or (_System(self) if self._sizes else None)
        if system is not None:
            _hide_breakdowns(system, v, hide, fixed, small)
        near, hide_l, v_l = None, None, None
        # ``hide`` only grows, and a figure a reader cannot solve stays unsolvable when more figures are
        # hidden: each round asks only about the small hidden figures not yet found safe (the leaks of the
        # round before and the figures hidden since). The rounds carry their check over (``_Certificates``) while
        # it decides; else (and past ``EXACT_MAX`` hidden figures) each round checks from scratch
        effective, incremental = _ALGORITHM.get()
        certs = _Certificates(system, small) if system is not None and incremental else None
        safe = None
        for _ in range(len(v) + 1):
            exact = system is not None and hide.sum() <= EXACT_MAX
            leaks = certs.round(hide) if certs is not None and exact else None
            state = certs.state(leaks) if leaks is not None and len(leaks) else None
            if leaks is None:
                if safe is None:          # every small figure hidden so far was asked about: safe or a leak
                    safe = certs.hidden & small if certs is not None else np.zeros(len(v), bool)
                    if certs is not None:
                        safe[certs.leaks] = False
                    certs = None
                ask = hide & small & ~safe
                found = self._determined(hide, system, ask) & small
                safe |= ask & ~found
                leaks = np.flatnonzero(found)
            if not len(leaks):
                return hide
            grew = False
            if v_l is None:
                fixed_l, v_l = fixed.tolist(), v.tolist()           # plain lists: read per figure
            if hide_l is None:
                hide_l = hide.tolist()                              # kept equal to ``hide`` from here on
            # within the exact check: for each leak, the cheapest figure of its equations that protects it when
            # hidden (``_protectors``), none if one hidden this round does already; else (or when there is
            # none) the cheapest figure of its equations, widening the search when all are hidden
            if exact and effective:
                try:
                    if state is None:
                        state = _scratch_certificates(system, hide, leaks)
                    protectors = _protectors(system, *state, leaks, hide, fixed, v)
                except np.linalg.LinAlgError:       # (never seen with gesvd; the rule below is always safe)
                    protectors = [[] for _ in leaks]
            else:
                protectors = [[] for _ in leaks]
            picked: set[int] = set()
            for i, prot in zip(leaks.tolist(), protectors):
                if picked.intersection(prot):
                    continue
                if prot:
                    j = prot[0]
                else:
                    if near is None:
                        near = _Neighbours(system, v)
                    j = near.cheapest(i, hide_l, fixed_l)
                if j is None:      # everything in its equations is hidden or fixed: look further out
                    cands = system.near(i, hide, fixed).tolist()
                    # the smallest non-zero neighbour hides it at the least cost
                    j = min(cands, key=lambda j: (v_l[j] == 0, v_l[j], j)) if cands else None
                if j is not None:
                    hide[j] = hide_l[j] = True
                    picked.add(j)
                    grew = True
            if not grew:
                if (hide | fixed).all():
                    return hide
                hide |= ~fixed          # nothing near is left to hide: hide everything this table owns
                hide_l = None
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
    is_small = small(sizes, threshold)
    if not is_small.any() and not small(sizes.sum(), threshold):
        return is_small                # no small count to protect: nothing is hidden (``protect`` returns at once)
    fig = Figures()
    idx = fig.add_table(sizes)
    total = fig.add(sizes.sum())
    fig.fix(total, 0 < sizes.sum() < threshold)
    fig.sum(total, idx)
    hide = fig.protect(threshold)
    return hide[idx] | is_small if len(idx) else np.zeros(0, bool)


POOL_FIGURES = ["total", *POOL_CELLS, "krs"]          # a pool table's counts, in the order of ``pool.POOL_COLUMNS``


@functools.lru_cache(maxsize=64)
def _pool_layout(groups: int) -> tuple[tuple[int, ...], tuple[int, ...], dict[str, int], np.ndarray, _System]:
    """The sums of a pool table of ``groups`` groups and of the talent map it adds up to, without any count:
    they depend on the number of groups only, so they and their arrays (``_System``) are built once per size.
    The figures are the map's (``MAP_KEYS``, in that order) then the table's, group by group (``POOL_FIGURES``).
    Returns the members and sizes of the equations (tuples: no table may add to them), the map's figure
    indexes, the table's (one row per group) and the system."""
    fig = Figures()
    m = _add_map(fig, dict.fromkeys(MAP_KEYS, 0))
    at = {c: j for j, c in enumerate(POOL_FIGURES)}
    idx = fig.add_table(np.zeros((groups, len(POOL_FIGURES))))
    # per group (in turn): its size is the sum of its cells, its KRS the sum of its KRS boxes
    krs_cols = [at[f"kotak_{b}"] for b in rules.KRS_BOXES]
    totals = np.empty(2 * groups, np.int64)
    totals[0::2], totals[1::2] = idx[:, 0], idx[:, at["krs"]]
    parts = np.full((2 * groups, len(POOL_CELLS)), -1, np.int64)
    parts[0::2] = idx[:, [at[c] for c in POOL_CELLS]]
    parts[1::2, :len(krs_cols)] = idx[:, krs_cols]
    fig.sums(totals, parts)
    # every column adds up to its figure of the map
    column_of = [*((c, c) for c in POOL_CELLS), ("total", "pegawai"), ("krs", "krs")]
    fig.sums(np.array([m[total] for _, total in column_of]), idx[:, [at[col] for col, _ in column_of]].T)
    return tuple(fig._members), tuple(fig._sizes), m, idx, _System(fig)


def _placed_breakdowns(values: np.ndarray, idx: np.ndarray, at: dict[str, int], threshold: int) -> np.ndarray:
    """The box cells and KRS of the groups whose placed employees (not a figure of the table: its size less the
    unplaced) are a small count: hidden whole, zeros included (``_hide_breakdowns``, for a total the table
    does not show)."""
    placed = values[:, at["total"]] - values[:, at["belum_terpetakan"]]
    rows = (placed > 0) & (placed < threshold)
    return idx[rows][:, [at[b] for b in BOX_KEYS] + [at["krs"]]].ravel()


@functools.lru_cache(maxsize=64)
def _run_sums(groups: int) -> tuple[tuple[np.ndarray, np.ndarray, list[np.ndarray]], ...]:
    """The sums ``_no_run_of_ones`` reads for a pool table of ``groups`` groups (its ``_pool_layout``), in the order it
    checks them: every group's size, every group's KRS, every group's size less its KRS (one block, ten members at
    most), then every column's total on the talent map (a block of ``groups`` members). Per block: the members
    (padded with -1), the figures that must be shown for the sum to be known (padded with -1), and each row's
    members without padding."""
    _, _, m, idx, _ = _pool_layout(groups)
    at = {c: j for j, c in enumerate(POOL_FIGURES)}
    cells = [at[c] for c in POOL_CELLS]
    krs = [at[f"kotak_{b}"] for b in rules.KRS_BOXES]
    non = [c for c in cells if c not in krs]

    def block(sums, width):
        members = np.array([np.pad(np.asarray(r, np.int64), (0, width - len(r)), constant_values=-1) for r, _ in sums])
        known = np.array([np.pad(np.asarray(k, np.int64), (0, 2 - len(k)), constant_values=-1) for _, k in sums])
        return members, known, [r[r >= 0] for r in members]

    rows = [(idx[g, cols], [idx[g, at[k]] for k in knowns])
            for cols, knowns in ((cells, ["total"]), (krs, ["krs"]), (non, ["total", "krs"])) for g in range(groups)]
    col_totals = [*(m[c] for c in POOL_CELLS), m["krs"], m["pegawai"]]
    col_of = [*(at[c] for c in POOL_CELLS), at["krs"], at["total"]]
    columns = [(idx[:, c], [total]) for total, c in zip(col_totals, col_of)]
    return block(rows, len(cells)), block(columns, groups)


def _no_run_of_ones(hide: np.ndarray, values, idx: np.ndarray, m: dict[str, int], at: dict[str, int],
                    fixed: dict[int, bool]) -> None:
    """A pool table shows its zeros, so a reader may take every hidden cell as at least 1. Then hidden cells whose
    sum is known and equals their number are all 1 (review 4: Bappeda's kotak 1 and 3, from its size less its KRS
    and shown cells). For the sums a reader reads off directly (a group's size, its KRS, its size less its KRS, a
    column's total on the talent map), hide a 0 beside such a run (in place): a hidden 0 breaks the "at least 1"
    reading without telling anything; with no 0 in that sum, its smallest shown count (at least the threshold, so
    the hidden cells no longer add up to their number); with every member hidden, the sum itself. Hiding more
    never makes a figure solvable by the equations."""
    v = np.asarray(values, float)
    blocks = []
    for members, knowns, lists in _run_sums(len(idx)):
        pad = members < 0
        x = np.where(pad, 0.0, v[members])
        blocks.append((members, knowns, lists, pad, knowns < 0, x, x == 0))
    for _ in range(len(v)):
        found = []
        for members, knowns, lists, pad, kpad, x, zero in blocks:
            h = hide[members] & ~pad
            n = h.sum(axis=1)
            known = ~(hide[knowns] & ~kpad).any(axis=1)
            rows = np.flatnonzero(known & (n >= 2) & ((x * h).sum(axis=1) == n) & ~(zero & h).any(axis=1))
            found += [(lists[r], knowns[r]) for r in rows.tolist()]
        changed = False
        for row, known in found:
            hid = hide[row]
            if v[row[hid]].sum() != hid.sum():
                continue            # an earlier fix this round broke it already
            free = [j for j in row[~hid].tolist() if j not in fixed]
            if free:        # a 0 if there is one (it tells nothing), else the smallest count (then the sum exceeds)
                hide[min(free, key=lambda j: (v[j] != 0, v[j], j))] = True
                changed = True
                continue
            # every member is hidden (KRS 3 shown over kotak 7-9 hidden, each 1): the sum itself, when it may be
            sums = [j for j in known.tolist() if j >= 0 and j not in fixed and not hide[j]]
            if sums:
                hide[min(sums, key=lambda j: (v[j], j))] = True
                changed = True
        if not changed:
            return


def suppress_pool(df: pd.DataFrame, raw_map: dict, threshold: int, margins_known: bool = False) -> pd.DataFrame:
    """A pool table (``pool.POOL_COLUMNS``) with hidden counts as ``<NA>`` and their shares as NaN.

    Its columns add up to the talent map of the same scope and filters (``raw_map``), whose figures
    keep the suppression ``map_hidden`` gave them; with ``margins_known`` every figure of that map is taken as
    known to the reader (one instansi's block of a table over several, ``pool._suppressed_per_instansi``).
    A group smaller than ``threshold`` is hidden whole.
    """
    if threshold <= 1 or df.empty:
        return df
    cols = POOL_FIGURES
    at = {c: j for j, c in enumerate(cols)}
    # the counts and the KRS shares as one array (one conversion of the frame when its columns are in
    # ``pool.POOL_COLUMNS`` order: reading columns by name costs more on a new frame)
    read, names = [*cols, "krs_persen"], df.columns.tolist()
    if names[1:1 + len(read)] == read:
        values = df.to_numpy()[:, 1:1 + len(read)].astype(float)
    else:
        values = df[read].to_numpy(dtype=float)
    values, shares = values[:, :-1], values[:, -1]
    members, sizes, m, idx, system = _pool_layout(len(values))
    fig = Figures()
    fig._members, fig._sizes, fig._system = members, sizes, system
    fig.values = np.concatenate([[float(raw_map[k]) for k in MAP_KEYS], values.ravel()])
    fig.published = np.ones(len(fig.values), bool)
    # the map's figures keep their suppression; a group's size is hidden as on every other page
    fig.fixed = {m[k]: False for k in MAP_KEYS} if margins_known else \
        {m[k]: h for k, h in map_hidden(raw_map, threshold).items()}
    fig.fixed.update(zip(idx[:, 0].tolist(), group_sizes_hidden(values[:, 0], threshold).tolist()))
    small = (values[:, 0] > 0) & (values[:, 0] < threshold)
    also = [idx[small].ravel(), _placed_breakdowns(values, idx, at, threshold)]
    full = fig.protect(threshold, np.concatenate(also))
    _no_run_of_ones(full, fig.values, idx, m, at, fixed=fig.fixed)
    hide = full[idx.T]       # one row per column
    counts = values.T.astype(np.int64)
    new = {c: pd.arrays.IntegerArray(counts[j], hide[j]) for j, c in enumerate(cols)}
    bad = hide[at["krs"]] | hide[at["total"]] | hide[at["belum_terpetakan"]]
    new["krs_persen"] = np.where(bad, np.nan, shares)
    # the index only when it is not the default 0..n-1 (the frame gets that one anyway, and faster)
    index = df.index
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 and index.name is None
    return pd.DataFrame({c: new[c] if c in new else df[c] for c in names}, index=None if default else index,
                        copy=False)


MOVES = ("naik", "tetap", "turun", "baru_terpetakan", "tidak_terpetakan_lagi")


def move_cells(k: str) -> list[tuple[int, int]]:
    """The cells (from, to; 0 = belum terpetakan) of a box-to-box matrix that make up the movement ``k``."""
    return {"naik": [(i, j) for i in range(1, 10) for j in range(1, 10) if j > i],
            "tetap": [(i, i) for i in range(1, 10)],
            "turun": [(i, j) for i in range(1, 10) for j in range(1, 10) if j < i],
            "baru_terpetakan": [(0, j) for j in range(1, 10)],
            "tidak_terpetakan_lagi": [(i, 0) for i in range(1, 10)]}[k]


def suppress_matrix(mat: pd.DataFrame, raw_rows: dict, raw_cols: dict, threshold: int,
                    off_diagonal: bool = False) -> pd.DataFrame:
    """A 10 x 10 box-to-box matrix (0 = belum terpetakan) whose row sums are the map ``raw_rows`` and
    column sums the map ``raw_cols`` (both keep their own suppression). Hidden cells are ``<NA>``.

    ``off_diagonal``: the matrix is a calibration's before and after, where what lies off the diagonal counts
    people moved: into each box, out of each box and in all. Those sums are counts too, never shown but never to
    be solved when small: a column's shown cells beside its published total gave "exactly 1 person moved into
    kotak 5" while the berita acara hid "Pegawai dipindahkan" (hostile pass, session 22)."""
    return suppress_movement(mat, raw_rows, raw_cols, threshold, totals=False,
                             unpublished=MOVED_CELLS if off_diagonal else None)[0]


# a calibration's before/after: the cells off the diagonal that count the people moved into a box, out of it, in all
MOVED_CELLS = {**{f"ke_{k}": [(i, k) for i in range(10) if i != k] for k in range(10)},
               **{f"dari_{k}": [(k, j) for j in range(10) if j != k] for k in range(10)},
               "dipindahkan": [(i, j) for i in range(10) for j in range(10) if i != j]}


def suppress_movement(mat: pd.DataFrame, raw_rows: dict, raw_cols: dict, threshold: int,
                      totals: bool = True, unpublished: dict[str, list[tuple[int, int]]] | None = None
                      ) -> tuple[pd.DataFrame, dict]:
    """``suppress_matrix`` and, with ``totals``, the movement totals (``MOVES``: sums of cells, ``move_cells``)
    published beside it, protected with it (``pd.NA`` when hidden). A total is a figure of its own, free to hide:
    "tidak lagi" is the maps' unplaced of the second period less the first's plus "baru", so a small one is kept
    by hiding "baru" (or a map figure's cells), not every cell of the matrix. ``unpublished``: sums of cells never
    shown that are counts all the same (``MOVED_CELLS``): none is left solvable when small."""
    values = mat.to_numpy()
    moves = {k: int(sum(values[i, j] for i, j in move_cells(k))) for k in MOVES} if totals else {}
    if threshold <= 1:
        return mat, moves
    fig = Figures()
    a, b = _fix_map(fig, raw_rows, threshold), _fix_map(fig, raw_cols, threshold)
    cell = [[fig.add(values[i, j]) for j in range(10)] for i in range(10)]
    key = lambda k: "belum_terpetakan" if k == 0 else f"kotak_{k}"  # noqa: E731
    for k in range(10):
        fig.sum(a[key(k)], [cell[k][j] for j in range(10)])
        fig.sum(b[key(k)], [cell[i][k] for i in range(10)])
    at = {}
    for k, n in moves.items():
        at[k] = fig.add(n)
        fig.sum(at[k], [cell[i][j] for i, j in move_cells(k)])
    for cells in (unpublished or {}).values():
        fig.sum(fig.add(sum(values[i, j] for i, j in cells), published=False), [cell[i][j] for i, j in cells])
    small = 0 < raw_rows["pegawai"] < threshold
    also = [c for row in cell for c in row] + list(at.values()) if small else []
    pair = ("baru_terpetakan", "tidak_terpetakan_lagi")
    if moves and any(0 < moves[k] < threshold for k in pair):
        # their difference is the maps' (public): one small hides the other, and "tetap" with them (the least news;
        # naik + tetap + turun + tidak lagi is the placed of the first period)
        also += [at[k] for k in (*pair, "tetap")]
    hide = fig.protect(threshold, also)
    out = mat.astype("Int64")
    for i in range(10):
        for j in range(10):
            if hide[cell[i][j]]:
                out.iat[i, j] = pd.NA
    return out, {k: (pd.NA if hide[at[k]] else n) for k, n in moves.items()}


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
    (suppressed as ``suppress_coverage``); ``persen_lengkap`` is NaN where it rests on a hidden count. A row whose
    employees with kinerja only, asesmen only or neither are a small count shows neither of its three counts (its
    ``lengkap`` is public elsewhere: the Talent Pool's placed count)."""
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
        # ``lengkap`` is the OPD's placed count, which the Talent Pool table publishes (total - belum terpetakan):
        # a small count of those with kinerja only, asesmen only or neither would follow from it and the two other
        # counts, whatever this table hides of ``lengkap``; so their counts are hidden with it
        parts = (r["ada_kinerja"] - r["lengkap"], r["ada_asesmen"] - r["lengkap"],
                 r["pegawai"] - r["ada_kinerja"] - r["ada_asesmen"] + r["lengkap"])
        if any(small(x, threshold) for x in parts):
            whole += [idx["ada_kinerja"], idx["ada_asesmen"], idx["lengkap"]]
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
    # the assessed not flagged, and the employees of the view not assessed: counts a reader gets by subtraction
    # ("asesmen berlaku 8, ditandai 6": 2 not flagged; 8 in the filter, 6 assessed: 2 without an assessment, a
    # reason the map hides; hostile pass, session 22), never shown and never to be solved when small
    fig.sum(c["n"], [c["n_hipo"], fig.add(counts["n"] - counts["n_hipo"], published=False)])
    fig.sum(m["pegawai"], [c["n"], fig.add(raw_map["pegawai"] - counts["n"], published=False)])
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

# Python's whitespace (str.isspace, what str.split splits on) as an RE2 class, checked over every code point; the
# ASCII part alone for names that are ASCII (RE2 matches it three times faster than the Unicode class)
_WS = r"\t\n\x{0b}\f\r\x{1c}-\x{1f}\x{85}\p{Z}"
_WS_ASCII = r"\t\n\x{0b}\f\r\x{1c}-\x{1f} "


def _cut_words(arr: pa.Array, ws: str) -> pa.Array:
    """Every word (split on the whitespace class ``ws``) as its first character and a dot; no word: ".";"""
    cut = pc.replace_substring_regex(arr, pattern=f"[{ws}]*([^{ws}])[^{ws}]*[{ws}]*", replacement=r"\1.")
    cut = pc.replace_substring_regex(cut, pattern=f"[{ws}]+", replacement="")      # a name of spaces only
    return pc.if_else(pc.equal(cut, ""), ".", cut)


def initials(names: pd.Series) -> pd.Series:
    """Each name as its initials ("Budi Santoso" -> "B.S."; no word -> "."; missing -> None). Each word is cut to
    its first character and upper-cased in Arrow (120.381 post holders masked in 0,07 s instead of 0,8 s at
    5,6M); results beyond ASCII are upper-cased by Python (``str.upper`` may turn one character into two)."""
    arr = pa.array(names.astype("string"), type=pa.string(), from_pandas=True)
    ascii_ = pc.fill_null(pc.string_is_ascii(arr), True).to_numpy(zero_copy_only=False)
    out = pc.utf8_upper(_cut_words(arr, _WS_ASCII)).to_numpy(zero_copy_only=False).astype(object)
    other = np.flatnonzero(~ascii_)
    if len(other):                  # beyond ASCII: Python's whitespace and Python's upper-casing
        cut = _cut_words(arr.take(pa.array(other)), _WS).to_pylist()
        for i, x in zip(other, cut):
            out[i] = x.upper()
    out[pc.is_null(arr).to_numpy(zero_copy_only=False)] = None
    return pd.Series(out, index=names.index, dtype=object)


UNPLACED_HIDES = ("skor_kinerja", "kategori_kinerja", "skor_potensial", "kategori_potensial", "tahun_asesmen", "jpm")


def people_allowed(scope: Scope) -> bool:
    """Whether ``scope`` may receive rows about single people at all. Not an account that may never see
    identities (role ``tamu``, the guest screen: aggregates only): initials beside exact scores, a box or a
    post name a person to anyone who knows the office (review 4: 35 distinct names in one OPD)."""
    return scope.may_unmask or not scope.mask_identity


def withheld(scope: Scope) -> str:
    """Why a list of people is not shown to ``scope`` (the page's message for an empty masked list)."""
    if not people_allowed(scope):
        return "Daftar per orang tidak ditampilkan: tampilan ini hanya memuat angka agregat (peran tamu)."
    return "Daftar tidak ditampilkan: jumlahnya disembunyikan (kelompok kecil)."


def mask_people(df: pd.DataFrame, scope: Scope, also_drop: tuple[str, ...] = ()) -> pd.DataFrame:
    """A person list as ``scope`` may see it: unchanged when identities are not masked; else NIP
    replaced, names as initials and, when small groups are suppressed, only ``MASKED_COLUMNS`` kept
    (less ``also_drop``: columns that would break the list down into hidden counts), and for people not
    placed no scores (which of them is missing tells the reason, a count that may be hidden). For a
    scope that may not see people at all (``people_allowed``) the list is empty."""
    if not scope.mask_identity:
        return df
    out = df.copy() if people_allowed(scope) else df.iloc[0:0].copy()
    if "nip" in out:
        out["nip"] = MASKED_NIP
    if "nama" in out:
        out["nama"] = initials(out["nama"])
    if threshold(scope):
        out = out[[c for c in out.columns if c in MASKED_COLUMNS and c not in also_drop]]
        if "kotak" in out:
            unplaced = out["kotak"].isna().to_numpy()
            for c in UNPLACED_HIDES:
                if c in out and unplaced.any():
                    out[c] = out[c].astype(object).where(~unplaced, None)
    return out


def list_allowed(scope: Scope, count) -> bool:
    """Whether a masked list of ``count`` people may be shown (its count is shown and not small, and the scope
    may see people: ``people_allowed``)."""
    if not people_allowed(scope):
        return False
    t = threshold(scope)
    return not t or not (hidden(count) or 0 < count < t)
