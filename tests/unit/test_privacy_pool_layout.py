"""suppress_pool builds the sums of a pool table once per number of groups (``privacy._pool_layout``) and reads
the counts in one conversion when the columns are in ``pool.POOL_COLUMNS`` order: the same cells as the figures
built afresh (``privacy_before``, a frozen copy of the earlier code) for tables of one size with different
counts, and the same table whatever the order of the columns."""
import numpy as np
import pandas as pd
import pytest

from talenta import pool, privacy

from . import privacy_before as before
from .test_privacy_before_after import _pool_table, assert_same_but_zeros


def test_tables_of_one_size_share_the_layout_and_hide_what_fresh_figures_hide(privacy_rule):
    privacy_rule(effective=False)      # the frozen copy's choice of complementary cells
    rng = np.random.default_rng(17)
    systems = set()
    for _ in range(6):
        df, raw = _pool_table(rng, 37, float(rng.choice([2, 5, 20])))
        assert_same_but_zeros(privacy.suppress_pool(df, raw, 5), before.suppress_pool(df, raw, 5), df)
        systems.add(id(privacy._pool_layout(37)[4]))
    assert len(systems) == 1
    members, sizes, *_ = privacy._pool_layout(37)
    fig = privacy.Figures()
    fig._members, fig._sizes = members, sizes
    with pytest.raises(AttributeError):        # the layout is shared: no table may add a sum to it
        fig.sum(0, [1, 2])


def test_the_order_of_the_columns_does_not_matter():
    rng = np.random.default_rng(18)
    df, raw = _pool_table(rng, 25, 3)
    assert list(df.columns) == pool.POOL_COLUMNS
    shuffled = df[[*reversed(pool.POOL_COLUMNS)]]
    out = privacy.suppress_pool(shuffled, raw, 5)
    assert list(out.columns) == list(shuffled.columns)
    pd.testing.assert_frame_equal(out[pool.POOL_COLUMNS], privacy.suppress_pool(df, raw, 5))
