"""The pandas reference of bench/ gives the same talent map and pool counts as Talenta."""
import sys
from pathlib import Path

from talenta import pool, rulesets, store, talentmap
from talenta.scope import Filters, Scope

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import reference_pandas  # noqa: E402


def test_reference_equals_talenta(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs = rulesets.active(con)
    for period in (2024, 2025):
        counts, ref_pool = reference_pandas.compute(*reference_pandas.read(demo_db_file), period)
        ours = talentmap.box_counts(con, Scope(), Filters(period=period), rs).set_index("kotak")["n"]
        assert counts.tolist() == ours.tolist()
        table = pool.pool_table(con, Scope(), Filters(period=period), rs, "opd").set_index("group").sort_index()
        ref = ref_pool.sort_index()
        for col in ["total", "belum_terpetakan", "krs"] + [f"kotak_{i}" for i in range(1, 10)]:
            assert table[col].tolist() == ref[col].tolist(), col
