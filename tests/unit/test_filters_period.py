"""The period travels in the filters (issue 13, 4): one value, read by every reader that shows a period."""
import duckdb
import pytest

from talenta import rules, talentmap
from talenta.errors import UsageError
from talenta.scope import Filters, Scope


def test_at_changes_only_the_period():
    f = Filters(period=2025, opd=("Dinas Kesehatan",), jenis_asn=("PNS",), basis="terhitung")
    g = f.at(2024)
    assert (g.period, g.opd, g.jenis_asn, g.basis) == (2024, ("Dinas Kesehatan",), ("PNS",), "terhitung")
    assert f.period == 2025 and f.at(2025) is f


def test_a_reader_without_a_period_says_so_in_indonesian():
    with pytest.raises(UsageError, match="Pilih periode"):
        Filters(opd=("Dinas Kesehatan",)).need_period()
    # before any query: no SQL error about a NULL period reaches the user
    con = duckdb.connect()
    with pytest.raises(UsageError, match="Pilih periode"):
        talentmap.summary(con, Scope(), Filters(), rules.DEFAULT)
