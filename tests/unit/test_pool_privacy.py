"""Small-group suppression (talenta.privacy) never shows, nor lets anyone derive, a count below the threshold."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from talenta import pool, privacy
from talenta.scope import Scope

THRESH = 5
REASONS = list(privacy.REASONS)


def _pool_frame(rows):
    df = pd.DataFrame(rows, columns=pool.BOX_COLS + ["belum_terpetakan"])
    df.insert(0, "group", [f"G{i}" for i in range(len(df))])
    df.insert(1, "total", df[pool.BOX_COLS + ["belum_terpetakan"]].sum(axis=1))
    df["krs"] = df[["kotak_7", "kotak_8", "kotak_9"]].sum(axis=1)
    placed = df["total"] - df["belum_terpetakan"]
    df["krs_persen"] = np.where(placed > 0, df["krs"] / placed.where(placed > 0, 1), np.nan)
    return df[pool.POOL_COLUMNS]


def _map_of(df):
    raw = {c: int(df[c].sum()) for c in pool.BOX_COLS + ["belum_terpetakan", "krs"]}
    raw.update(pegawai=int(df["total"].sum()), terpetakan=int(df[pool.BOX_COLS].to_numpy().sum()))
    raw.update({r: 0 for r in REASONS}, tanpa_kinerja=raw["belum_terpetakan"])
    return raw


def _rank_leaks(unknown_values, eqs):
    """Independent check with numpy ranks: hidden values in 1..4 that the equations pin down."""
    names = list(unknown_values)
    col = {k: i for i, k in enumerate(names)}
    rows = []
    for total, parts in eqs:
        row = np.zeros(len(names))
        for k, c in ((total, 1.0), *((p, -1.0) for p in parts)):
            if k in col:
                row[col[k]] += c
        if row.any():
            rows.append(row)
    a = np.array(rows) if rows else np.zeros((0, len(names)))
    rank = np.linalg.matrix_rank(a) if rows else 0
    leaks = []
    for k, v in unknown_values.items():
        if 0 < v < THRESH:
            e = np.zeros((1, len(names)))
            e[0, col[k]] = 1
            if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
                leaks.append(k)
    return leaks


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=10, max_size=10), min_size=1, max_size=6))
def test_pool_with_its_map_shows_nothing_small_and_nothing_derivable(rows):
    df = _pool_frame(rows)
    raw = _map_of(df)
    out = privacy.suppress_pool(df, raw, THRESH)
    m = privacy.apply(raw, privacy.map_hidden(raw, THRESH))
    cells = ["total", *pool.BOX_COLS, "belum_terpetakan", "krs"]
    visible = out[cells].to_numpy(dtype=float, na_value=np.nan)
    assert not ((visible > 0) & (visible < THRESH)).any()
    assert not any(0 < v < THRESH for v in m.values() if not privacy.hidden(v))
    unknown = {("m", k): v for k, v in raw.items() if privacy.hidden(m[k])}
    unknown.update({(g, c): int(df.loc[i, c]) for i, g in enumerate(df["group"]) for c in cells
                    if pd.isna(out.loc[i, c])})
    eqs = [(("m", "pegawai"), [("m", "terpetakan"), ("m", "belum_terpetakan")]),
           (("m", "terpetakan"), [("m", b) for b in pool.BOX_COLS]),
           (("m", "krs"), [("m", b) for b in ("kotak_7", "kotak_8", "kotak_9")]),
           (("m", "belum_terpetakan"), [("m", r) for r in REASONS])]
    for g in df["group"]:
        eqs.append(((g, "total"), [(g, c) for c in pool.BOX_COLS + ["belum_terpetakan"]]))
        eqs.append(((g, "krs"), [(g, c) for c in ("kotak_7", "kotak_8", "kotak_9")]))
    for c, mk in [*((b, b) for b in pool.BOX_COLS), ("belum_terpetakan", "belum_terpetakan"), ("krs", "krs"),
                  ("total", "pegawai")]:
        eqs.append((("m", mk), [(g, c) for g in df["group"]]))
    assert _rank_leaks(unknown, eqs) == []
    for i in range(len(out)):
        if out.loc[i, ["krs", "total", "belum_terpetakan"]].isna().any():
            assert pd.isna(out.loc[i, "krs_persen"])


def test_threshold_zero_or_one_changes_nothing():
    df = _pool_frame([[1, 2, 0, 0, 3, 0, 1, 0, 0, 4]])
    pd.testing.assert_frame_equal(privacy.suppress_pool(df, _map_of(df), 0), df)
    pd.testing.assert_frame_equal(privacy.suppress_pool(df, _map_of(df), 1), df)


def test_small_group_hidden_whole_and_its_columns_protected():
    df = _pool_frame([[1, 1, 0, 0, 1, 0, 0, 0, 0, 1], [10, 20, 5, 6, 30, 0, 8, 9, 7, 40]])
    out = privacy.suppress_pool(df, _map_of(df), THRESH)
    assert out.iloc[0][["total", "krs"] + pool.BOX_COLS].isna().all()
    # the map's column totals are shown: in the columns where row 0 had people, row 1 is hidden too;
    # so is row 1's size (the grand total minus it would be row 0's); its other cells stay
    assert pd.isna(out.loc[1, "kotak_1"]) and pd.isna(out.loc[1, "kotak_2"]) and pd.isna(out.loc[1, "total"])
    assert out.loc[1, "kotak_4"] == 6 and out.loc[1, "kotak_7"] == 8


def test_exact_check_finds_a_bridge_that_single_lines_miss():
    # two hidden 2x2 blocks joined by one hidden cell: every line has two hidden cells, yet the joining
    # cell is the difference of two sums of whole lines (a reader solves it)
    f = privacy.Figures()
    v = [[3, 9, 0, 0], [9, 2, 1, 0], [0, 0, 3, 9], [0, 0, 9, 3]]
    cell = [[f.add(x) for x in row] for row in v]
    for i in range(4):
        t = f.add(sum(v[i]))
        f.fix(t, False)
        f.sum(t, cell[i])
    for j in range(4):
        t = f.add(sum(v[i][j] for i in range(4)))
        f.fix(t, False)
        f.sum(t, [cell[i][j] for i in range(4)])
    hide = np.zeros(len(f.values), bool)
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]:
        hide[cell[i][j]] = True
    assert f._determined(hide)[cell[1][2]]          # the bridge is known to a reader
    protected = f.protect(THRESH)
    assert not (f._determined(protected) & (np.array(f.values) > 0) & (np.array(f.values) < THRESH)).any()


def test_masked_people_keep_no_identifying_column():
    df = pd.DataFrame({"nip": ["198001012005011001"], "nama": ["Kartika Putri Ayu"], "opd": ["Dinas Perdagangan"],
                       "jabatan": ["Kepala Dinas Perdagangan"], "skor_kinerja": [92.0], "kotak": [9]})
    assert privacy.mask_people(df, Scope()).equals(df)
    only_names = privacy.mask_people(df, Scope(mask_identity=True))
    assert only_names.loc[0, "nama"] == "K.P.A." and only_names.loc[0, "nip"] == privacy.MASKED_NIP
    masked = privacy.mask_people(df, Scope(mask_identity=True, min_group=5))
    assert list(masked.columns) == ["nip", "nama", "skor_kinerja", "kotak"]


def test_hidden_counts_read_as_one_mark():
    assert privacy.text(pd.NA) == privacy.HIDDEN and privacy.text(1234) == "1.234"
    assert np.isnan(privacy.share(pd.NA, 10)) and np.isnan(privacy.share(3, pd.NA)) and privacy.share(0, 0) == 0.0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), min_size=10, max_size=10), min_size=2, max_size=4),
       st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_hipo_cross_table_with_its_map_shows_nothing_small_and_nothing_derivable(rows, a, b, c):
    ct = pd.DataFrame(rows, columns=range(10))
    v = ct.to_numpy()
    boxes = v[:, 1:].sum(axis=0)
    krs = int(boxes[6:].sum())
    hipo_krs = min(a, krs)
    raw = {f"kotak_{k}": int(boxes[k - 1]) for k in range(1, 10)}
    raw.update(terpetakan=int(boxes.sum()), krs=krs, tanpa_kinerja=b, belum_terpetakan=b,
               **{r: 0 for r in REASONS[1:]})
    raw["pegawai"] = raw["terpetakan"] + b
    n_hipo = hipo_krs + min(c, int(v.sum()) - krs)
    counts = {"n": int(v.sum()), "n_hipo": n_hipo, "n_review": n_hipo // 2, "n_hidden": n_hipo - hipo_krs,
              "n_verify": krs - hipo_krs, "hipo_krs": hipo_krs}
    out, shown = privacy.suppress_hipo(ct, counts, raw, THRESH)
    m = privacy.apply(raw, privacy.map_hidden(raw, THRESH))
    visible = [x for x in [*out.to_numpy().ravel(), *shown["sizes"], *(shown[k] for k in counts if k != "hipo_krs")]
               if not privacy.hidden(x)]
    assert not any(0 < x < THRESH for x in visible)
    unknown = {("m", k): val for k, val in raw.items() if privacy.hidden(m[k])}
    unknown.update({("c", i, j): int(v[i, j]) for i in range(len(v)) for j in range(10) if pd.isna(out.iat[i, j])})
    unknown.update({("size", i): int(v[i].sum()) for i in range(len(v)) if privacy.hidden(shown["sizes"][i])})
    unknown.update({("h", k): val for k, val in counts.items() if k == "hipo_krs" or privacy.hidden(shown[k])})
    unknown.update({("h", "stable"): n_hipo - n_hipo // 2, ("col", 0): int(v[:, 0].sum())})
    eqs = [(("m", "pegawai"), [("m", "terpetakan"), ("m", "belum_terpetakan")]),
           (("m", "terpetakan"), [("m", f"kotak_{k}") for k in range(1, 10)]),
           (("m", "krs"), [("m", f"kotak_{k}") for k in (7, 8, 9)]),
           (("m", "belum_terpetakan"), [("m", r) for r in REASONS])]
    eqs += [(("size", i), [("c", i, j) for j in range(10)]) for i in range(len(v))]
    eqs += [(("m", f"kotak_{j}") if j else ("col", 0), [("c", i, j) for i in range(len(v))]) for j in range(10)]
    eqs += [(("h", "n"), [("size", i) for i in range(len(v))]), (("h", "n_hipo"), [("h", "hipo_krs"), ("h", "n_hidden")]),
            (("m", "krs"), [("h", "hipo_krs"), ("h", "n_verify")]), (("h", "n_hipo"), [("h", "n_review"), ("h", "stable")])]
    assert _rank_leaks(unknown, eqs) == []


def test_rowspace_norms_agree_with_the_svd_on_random_systems():
    """The derivability check's linear algebra (Gram eigen-decomposition) decides exactly as an SVD would."""
    from talenta.privacy import _rowspace_norms

    rng = np.random.default_rng(7)
    determined_seen = 0
    for _ in range(200):
        m, n = rng.integers(1, 90), rng.integers(1, 160)
        a = rng.choice([0.0, 1.0, -1.0], size=(m, n), p=[0.88, 0.1, 0.02])
        for j in rng.choice(n, size=min(n, 2), replace=False):     # some figures solvable on their own
            a = np.vstack([a, np.eye(n)[j]])
        _, s, vt = np.linalg.svd(a, full_matrices=False)
        rank = int((s > 1e-9 * max(1.0, s.max(initial=0))).sum())
        expected = (vt[:rank] ** 2).sum(axis=0) > 1 - 1e-8
        assert ((_rowspace_norms(a) > 1 - 1e-8) == expected).all()
        determined_seen += int(expected.sum())
    assert determined_seen > 200
