"""What writing a row per employee costs DuckDB, per column (issue 13 item 10: why the score-cache build loses to
polars while live scoring wins).

    python bench/write_cost.py COPY.duckdb [--rounds 3]

Run it on a copy: it creates and drops the table ``bench_write_cost`` and rolls back an insert into
``talent_score``. Each figure is the median wall time of ``--rounds`` rounds (committed, then dropped and
checkpointed) of ``CREATE TABLE ... AS SELECT`` of n columns over ``employee`` (one row per employee): columns of
a small integer, of NULL and of one constant text, and the score cache's own insert of the employee's 16 columns.
The cost grows with the number of columns whatever they hold: a constant or NULL column costs about as much as a
real one, so a narrower cache, not a faster query, is what would make the build cheaper.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = {"integer": "(rowid % 7)::INTEGER", "NULL": "NULL::INTEGER", "constant text": "'abc'::VARCHAR"}
WIDTHS = (2, 8, 16, 30)


def _timed(con, sql: str, undo: str) -> float:
    con.execute("BEGIN")
    t = time.perf_counter()
    con.execute(sql)
    con.execute("COMMIT")
    took = time.perf_counter() - t
    con.execute(undo)
    con.execute("CHECKPOINT")
    return took


def measure(db: str, rounds: int = 3) -> dict[str, dict[int, float]]:
    from talenta import population, store

    con = store.connect(db, memory_limit="3GB", threads=2)
    out: dict[str, dict[int, float]] = {}
    for kind, expr in KINDS.items():
        for n in WIDTHS:
            cols = ", ".join(expr + " AS c" + str(i) for i in range(n))
            sql = "CREATE TABLE bench_write_cost AS SELECT " + cols + " FROM employee"
            out.setdefault(kind, {})[n] = statistics.median(
                _timed(con, sql, "DROP TABLE bench_write_cost") for _ in range(rounds))
    insert = ("INSERT INTO talent_score BY NAME SELECT 'bench' AS cache_key, " + population.EMPLOYEE_COLUMNS
              + " FROM employee")
    out["talent_score: the 16 employee columns"] = {16: statistics.median(
        _timed(con, insert, "DELETE FROM talent_score WHERE cache_key = 'bench'") for _ in range(rounds))}
    out["rows"] = {0: con.execute("SELECT count(*) FROM employee").fetchone()[0]}
    con.close()
    return out


def table(res: dict) -> str:
    rows = res.pop("rows")[0]
    lines = ["Rows: " + format(rows, ",").replace(",", "."), "",
             "| columns of | " + " | ".join(str(n) for n in WIDTHS) + " | per column |", "|---" * (len(WIDTHS) + 2) + "|"]
    for kind, by_n in res.items():
        cells = [("%.3f" % by_n[n]).replace(".", ",") if n in by_n else "" for n in WIDTHS]
        ns = sorted(by_n)
        per = ((by_n[ns[-1]] - by_n[ns[0]]) / (ns[-1] - ns[0]) if len(ns) > 1 else by_n[ns[0]] / ns[0]) * 1000
        lines.append("| " + kind + " | " + " | ".join(cells) + " | " + ("%.0f ms" % per) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    print(table(measure(a.db, a.rounds)))
