"""Live scoring and the score-cache build against two plain pipelines (pandas and lazy polars), in one run.

The computation is the one of issue 13 item 10: the nine-box counts and the pool per OPD of one period under
the active rule set. For each ``--db``:

- ``cached``: ``talentmap.box_counts`` + ``pool.pool_table`` over the score cache (figure memo emptied first);
- ``live``: the same two calls scoring live (``population.scoring_live()``), one scoring pass each;
- ``build``: ``population.build_scores`` building the cache entry (the entry is deleted, untimed, before
  every round and is there again at the end);
- ``polars`` / ``pandas``: ``bench/reference_polars.py`` / ``bench/reference_pandas.py`` on the three tables
  read into memory first (the read is not timed, on both sides);

and the ratios reference / Talenta (above 1: Talenta is faster). Every figure is the median of ``--rounds``
rounds, wall time (``perf_counter``) and CPU time of the whole process, all threads (``process_time``); the
rounds interleave the candidates. ``--baseline REV`` also scores live and builds with the scoring SQL of
``talenta/population.py`` at git revision REV (before/after in the same run, interleaved). Talenta's counts
are checked to equal both references' (and the baseline's). The database must be writable (the cache build);
use a copy. Prints JSON.

    python bench/scoring.py --db /path/2m.duckdb --db /path/5m6.duckdb [--rounds 3] [--baseline REV]
"""
from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import reference_pandas  # noqa: E402
import reference_polars  # noqa: E402

from talenta import pool, population, rulesets, store, talentmap  # noqa: E402
from talenta.scope import Filters, Scope  # noqa: E402

# the scoring parts of population.py a baseline revision replaces (the cache and query code stay current)
SCORING_NAMES = ("_CHAIN", "DASAR", "chain", "rule_params", "base")


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - w, time.process_time() - c), out


def _median(pairs: list[tuple[float, float]]) -> dict:
    return {"wall": round(statistics.median(p[0] for p in pairs), 3),
            "cpu": round(statistics.median(p[1] for p in pairs), 3)}


def load_baseline(rev: str):
    """population.py as it was at ``rev``, loaded as a sibling module of the talenta package."""
    src = subprocess.run(["git", "-C", str(ROOT), "show", rev + ":talenta/population.py"], check=True,
                         capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader("talenta._population_baseline", loader=None)
    mod = importlib.util.module_from_spec(spec)
    mod.__package__ = "talenta"
    exec(compile(src, "population@" + rev, "exec"), mod.__dict__)
    return mod


@contextmanager
def scoring_of(mod):
    """Score with ``mod``'s scoring SQL (None: the current one)."""
    saved = {n: getattr(population, n) for n in SCORING_NAMES}
    if mod is not None:
        for n in SCORING_NAMES:
            setattr(population, n, getattr(mod, n))
    try:
        yield
    finally:
        for n, v in saved.items():
            setattr(population, n, v)


def talenta_counts(con, period, rs) -> tuple[pd.Series, pd.DataFrame]:
    talentmap.forget_figures()
    s, f = Scope(), Filters(period=period)
    boxes = talentmap.box_counts(con, s, f.at(period), rs)
    table = pool.pool_table(con, s, f.at(period), rs, "opd")
    return boxes, table


def same(boxes: pd.DataFrame, table: pd.DataFrame, ref: tuple[pd.Series, pd.DataFrame], what: str) -> None:
    counts, ref_pool = ref
    got = [int(x) for x in boxes.sort_values("kotak")["n"]]
    assert got == [int(x) for x in counts.sort_index()], (what, got, counts.tolist())
    mine = table.set_index("group").sort_index()
    cols = ["total", "belum_terpetakan", "krs"] + ["kotak_" + str(i) for i in range(1, 10)]
    ref_pool = ref_pool.sort_index()
    assert list(mine.index) == list(ref_pool.index), what
    assert (mine[cols].astype("int64").values == ref_pool[cols].astype("int64").values).all(), what


def live(con, period, rs, mod=None):
    with scoring_of(mod):
        with population.scoring_live():
            return talenta_counts(con, period, rs)


def drop_entry(con, period, rs) -> None:
    key = population.score_key(con, period, rs)[0]
    with store.WRITE_LOCK, store.transaction(con) as cur:
        cur.execute("DELETE FROM talent_score WHERE cache_key = $k", {"k": key})
        cur.execute("DELETE FROM talent_score_key WHERE cache_key = $k", {"k": key})
    con.execute("CHECKPOINT")


def build(con, period, rs, mod=None):
    drop_entry(con, period, rs)
    gc.collect()
    with scoring_of(mod):
        return _timed(lambda: population.build_scores(con, period, rs))


def measure(db: str, period: int, rounds: int, pandas_rounds: int, baseline, memory_limit: str) -> dict:
    tables = reference_polars.read(db)         # before the writable connection (one configuration per file)
    con = store.connect(db, memory_limit=memory_limit, threads=2)
    rs = rulesets.active(con)
    n = int(store.query_one(con, "SELECT count(*) FROM employee")[0])
    ref = reference_polars.compute(*tables, period)
    t: dict[str, list] = {k: [] for k in ("live", "build", "cached", "polars", "live_base", "build_base")}
    for _ in range(rounds):
        dt, out = _timed(lambda: live(con, period, rs))
        same(*out, ref, "live")
        t["live"].append(dt)
        if baseline is not None:
            dt, out = _timed(lambda: live(con, period, rs, baseline))
            same(*out, ref, "live baseline")
            t["live_base"].append(dt)
        dt, key = build(con, period, rs)
        assert key, "the cache was not built (read-only database?)"
        t["build"].append(dt)
        if baseline is not None:
            t["build_base"].append(build(con, period, rs, baseline)[0])
            build(con, period, rs)          # the entry the cached round reads is the current code's
        dt, out = _timed(lambda: talenta_counts(con, period, rs))
        same(*out, ref, "cached")
        t["cached"].append(dt)
        gc.collect()
        dt, _ = _timed(lambda: reference_polars.compute(*tables, period))
        t["polars"].append(dt)
        print(json.dumps({"db": db, "round": {k: v[-1] for k, v in t.items() if v}}), file=sys.stderr, flush=True)
    con.close()
    del tables
    gc.collect()
    pd_times = []
    if pandas_rounds:
        ptables = reference_pandas.read(db)
        for _ in range(pandas_rounds):
            dt, out = _timed(lambda: reference_pandas.compute(*ptables, period))
            pd_times.append(dt)
        counts, ppool = out
        assert [int(x) for x in counts.sort_index()] == [int(x) for x in ref[0].sort_index()], "pandas"
        del ptables
        gc.collect()
    res = {"db": db, "employees": n, "period": period, "rounds": rounds,
           **{k + "_s": _median(v) for k, v in t.items() if v}}
    if pd_times:
        res["pandas_s"] = _median(pd_times)
        res["pandas_rounds"] = pandas_rounds
    for ref_name in ("polars", "pandas"):
        if ref_name + "_s" not in res:
            continue
        for ours in ("live", "build", "cached", "live_base", "build_base"):
            if ours + "_s" in res:
                res["ratio_" + ref_name + "_" + ours] = {
                    c: round(res[ref_name + "_s"][c] / res[ours + "_s"][c], 2) for c in ("wall", "cpu")}
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", action="append", required=True, help="a writable database (a copy); repeatable")
    ap.add_argument("--period", type=int, default=2025)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pandas-rounds", type=int, default=1, help="pandas is slow: fewer rounds (0: skip)")
    ap.add_argument("--baseline", help="git revision whose scoring SQL is measured too (before/after)")
    ap.add_argument("--memory-limit", default="3GB")
    a = ap.parse_args()
    baseline = load_baseline(a.baseline) if a.baseline else None
    out = [measure(db, a.period, a.rounds, a.pandas_rounds, baseline, a.memory_limit) for db in a.db]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
