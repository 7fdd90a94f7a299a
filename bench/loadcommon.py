"""What the two load tests share: the server-log check, percentiles, the command line."""
from __future__ import annotations

import argparse
import asyncio
import statistics
from pathlib import Path


def server_log_errors(log: Path) -> list[str]:
    """A traceback or a DuckDB "connection busy" anywhere in the streamlit log is an error."""
    text = log.read_text(errors="replace")
    return ["server: traceback atau 'busy' di log streamlit"] if "Traceback" in text or "busy" in text.lower() else []


def quantile(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))] if v else float("nan")


def summary(values: list[float]) -> str:
    return (f"p50 {quantile(values, .5):.2f} · p90 {quantile(values, .9):.2f} · p99 {quantile(values, .99):.2f} · "
            f"maks {max(values, default=0):.2f} · rata-rata {statistics.mean(values) if values else 0:.2f} s")


def main(run, sessions: int) -> int:
    """``DB [--sessions N] [--seconds S]``, then ``run(db, sessions, seconds)`` (a coroutine); 1 on any error."""
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--sessions", type=int, default=sessions)
    ap.add_argument("--seconds", type=int, default=90)
    args = ap.parse_args()
    return asyncio.run(run(Path(args.db), args.sessions, args.seconds))
