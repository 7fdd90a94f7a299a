"""A pool cell's list of placed people is listed only when its count is shown (review 20b, 7): the list of an OPD's
placed people was checked against the OPD's total, so its length gave back the hidden unplaced count."""
import pandas as pd

from talenta import pool, privacy, rulesets, store
from talenta.scope import Filters, Scope

T = 2025


def test_placed_members_are_listed_only_when_total_minus_unplaced_is_shown(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs, scope, flt = rulesets.active(con), Scope().masked(5), Filters(period=T)
    table = pool.pool_table(con, scope, flt.at(T), rs, "opd")
    hidden_unplaced = table[table["total"].notna() & table["belum_terpetakan"].isna()]
    assert len(hidden_unplaced), "the demo has an OPD whose total is shown and whose unplaced count is hidden"
    for row in table.itertuples(index=False):
        listed = pool.group_members(con, scope, flt.at(T), rs, "opd", row.group, placed=True)
        shown = not (pd.isna(row.total) or pd.isna(row.belum_terpetakan))
        if shown and not privacy.small(row.total - row.belum_terpetakan, 5):
            assert len(listed) == row.total - row.belum_terpetakan, row.group
        else:
            assert listed.empty, row.group
