"""The scatter's cells are rounded in SQL (``hipo._VIEW_GROUPS``) as ``charts.cluster_cells`` rounds them in pandas."""
import duckdb
import numpy as np
import pandas as pd

from talenta import hipo


def test_round_even_in_duckdb_gives_pandas_cells_bit_for_bit():
    rng = np.random.default_rng(7)
    v = np.concatenate([np.arange(-21, 131, 0.25), np.arange(0, 120, 0.01), rng.uniform(0, 120, 50_000),
                        rng.integers(0, 121, 5_000) + 0.5, [np.nan, 0.0, -0.0, 1e-12, 2.5, 7.5, 12.5]])
    con = duckdb.connect()
    con.register("t", pd.DataFrame({"v": v}))
    for size in (hipo.CELL_JPM, hipo.CELL_KINERJA):
        got = con.execute("SELECT round_even(v / $size, 0) * $size AS r FROM t",
                          {"size": float(size)}).fetchdf()["r"].to_numpy()
        want = ((pd.Series(v) / size).round() * size).to_numpy()
        assert np.array_equal(got, want, equal_nan=True), size
