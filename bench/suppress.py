"""Time ``privacy.suppress_pool`` (threshold 5) on a database's pool tables per OPD and per unit kerja, median of
rounds of min-of-3, and count the hidden cells: ``python bench/suppress.py --db data/talenta.duckdb``. Outside the
test suite; ``bench/RESULTS.md`` records the figures (session 12)."""
from __future__ import annotations

import argparse
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from talenta import pool, privacy, rulesets, store, talentmap  # noqa: E402
from talenta.scope import Filters, Scope  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    con = store.connect(args.db, read_only=True)
    rs = rulesets.active(con)
    period = con.execute("SELECT max(tahun) FROM performance").fetchone()[0]
    flt = Filters(period=period)
    raw = talentmap.raw_figures(con, Scope(), flt.at(period), rs)
    for by in ("opd", "unit_kerja"):
        df = pool.pool_table(con, Scope(), flt.at(period), rs, by)
        out = privacy.suppress_pool(df, raw, 5)
        number = 20 if len(df) < 200 else 1
        times = [min(timeit.repeat(lambda: privacy.suppress_pool(df, raw, 5), number=number, repeat=3)) / number
                 for _ in range(args.rounds)]
        hidden = int(out[["total", *privacy.POOL_CELLS, "krs"]].isna().sum().sum())
        print(f"{by}: {len(df)} groups, {hidden} hidden cells, suppress_pool median {statistics.median(times) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
