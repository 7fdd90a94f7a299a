"""The vectorised reasons text is exactly the row-by-row one it replaced."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from talenta import hipo


def reasons_row_by_row(df, cols, top=3):
    X = df[cols].astype(float)
    z = (X - X.mean()) / X.std(ddof=0).replace(0, np.nan)
    # the share of the others (with a value) strictly below, rounded down
    pct = np.floor((X.rank(method="min") - 1) / X.count() * 100)
    out = []
    zv, xv, pv = z.to_numpy(), X.to_numpy(), pct.to_numpy()
    for i in range(len(df)):
        row = zv[i]
        order = [j for j in np.argsort(-np.nan_to_num(row, nan=-np.inf)) if not np.isnan(row[j])][:top]
        parts = []
        for j in order:
            v = xv[i, j]
            if cols[j] == "tren_kinerja":
                val = f"{v:+.0f}"
            else:       # one decimal, dropped when it is zero: "92", "92,5"
                val = f"{v:.1f}".replace(".", ",").removesuffix(",0")
            parts.append(f"{hipo.FEATURES[cols[j]]} {val}, di atas {pv[i, j]:.0f} % rekan")
        out.append("; ".join(parts))
    return out


VALUES = st.one_of(st.none(), st.sampled_from([60.0, 75.5, 80.0, 80.0, 92.25, 100.0, 105.0]),
                   st.floats(0, 120, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(*[VALUES] * 4), min_size=1, max_size=40),
       st.sampled_from([["jpm", "nilai_potensi", "skor_kinerja", "tren_kinerja"],
                        ["nilai_teknis", "jpm", "nilai_manajerial", "nilai_sosial_kultural"]]))
def test_vectorised_reasons_equal_row_by_row(rows, cols):
    df = pd.DataFrame(rows, columns=cols, dtype=float)
    assert hipo.reasons(df, cols) == reasons_row_by_row(df, cols)


def test_reasons_for_a_large_table_are_fast_and_complete():
    import time

    rng = np.random.default_rng(0)
    cols = list(hipo.DEFAULT_FEATURES)
    df = pd.DataFrame(np.round(rng.normal(80, 8, (300_000, len(cols))), 1), columns=cols)
    t = time.perf_counter()
    got = hipo.reasons(df, cols)
    assert time.perf_counter() - t < 20
    assert len(got) == 300_000
    assert all(g.count("% rekan") == 3 for g in got[:1000])
