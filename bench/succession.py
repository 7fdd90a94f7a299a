"""Succession benchmark (issue 17): target posts and the ranking of every post's candidates, live and from the
eligibility cache the write path builds (sql/015), and the Suksesi page (script run cold and warm with AppTest,
the cache built; bytes to a real browser), on a database of any size. Wall and CPU seconds (CPU: every thread
of the process, ``time.process_time``); cached figures are the median of three rounds.

    python bench/succession.py --employees 21700            # builds a demo (its formasi, riwayat ... included)
    python bench/succession.py --db /path/national.duckdb   # an existing database (posts from the master)

Prints one JSON object of figures. Never run inside the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(fn):
    """(wall seconds, result); the CPU seconds of the call (every thread of the process) go to ``_cpu``."""
    c, t = time.process_time(), time.perf_counter()
    out = fn()
    _cpu[0] = round(time.process_time() - c, 2)
    return round(time.perf_counter() - t, 2), out


_cpu = [0.0]


def _median(fn, rounds: int = 3):
    """Median wall and CPU seconds of ``rounds`` calls, and the last result."""
    walls, cpus = [], []
    for _ in range(rounds):
        w, out = _timed(fn)
        walls.append(w)
        cpus.append(_cpu[0])
    return sorted(walls)[rounds // 2], sorted(cpus)[rounds // 2], out


def queries(db: Path, period: int, memory_limit: str, table: bool, rank_all: bool = True, live: bool = True) -> dict:
    """Live (``succession.computing_live``) then the write-path build then cached: targets of every post,
    one post's candidates (the post with the most), every post's ranking; wall and CPU seconds."""
    import pandas as pd

    from talenta import derived, rulesets, store, succession, succession_rules
    from talenta.scope import Scope

    con = store.connect(db, memory_limit=memory_limit, threads=2)
    rs, srs = rulesets.active(con), succession_rules.ensure_default(con)
    out = {}
    live_block = succession.computing_live()
    live_block.__enter__()
    posts = one = summary = None
    if live:
        out["first_targets_incl_score_cache_s"], _ = _timed(lambda: succession.targets(con, Scope(), period, rs, srs))
        _note(out)
        out["live_targets_s"], posts = _timed(lambda: succession.targets(con, Scope(), period, rs, srs))
        out["live_targets_cpu_s"] = _cpu[0]
        out["jabatan_target"] = len(posts)
        out["kandidat_dijumlah"] = int(posts["n_kandidat"].sum())
        _note(out)
        worst = posts.sort_values(["n_kandidat", "jabatan_id"]).iloc[-1]["jabatan_id"]    # the most candidates
        out["live_candidates_one_post_s"], one = _timed(
            lambda: succession.candidates(con, Scope(), period, rs, srs, post=worst))
        out["live_candidates_one_post_cpu_s"] = _cpu[0]
        out["candidates_one_post"] = len(one)
        _note(out)
    if rank_all and live:
        out["live_rank_all_posts_s"], summary = _timed(lambda: succession.ranking_summary(con, Scope(), period, rs, srs))
        out["live_rank_all_posts_cpu_s"] = _cpu[0]
        out.update(summary)
        _note(out)
    live_block.__exit__(None, None, None)
    out["build_cache_s"], spent = _timed(lambda: derived.refresh(con))
    out["build_cache_cpu_s"] = _cpu[0]
    if spent.get("succession:build_cache", -1) < 0:
        raise RuntimeError("succession:build_cache failed (see the log)")
    out["cache_rows"] = int(store.query_one(con, "SELECT n_eligibility FROM succession_cache_key "
                                                 "ORDER BY built_at DESC LIMIT 1")[0])
    _note(out)
    out["cached_targets_s"], out["cached_targets_cpu_s"], cposts = _median(
        lambda: succession.targets(con, Scope(), period, rs, srs))
    if posts is None:
        out["jabatan_target"] = len(cposts)
        out["kandidat_dijumlah"] = int(cposts["n_kandidat"].sum())
        worst = cposts.sort_values(["n_kandidat", "jabatan_id"]).iloc[-1]["jabatan_id"]
    out["cached_candidates_one_post_s"], out["cached_candidates_one_post_cpu_s"], cone = _median(
        lambda: succession.candidates(con, Scope(), period, rs, srs, post=worst))
    out["candidates_one_post"] = len(cone)
    if live:
        pd.testing.assert_frame_equal(cposts, posts)
        pd.testing.assert_frame_equal(cone, one)
        out["cached_equals_live"] = True
    _note(out)
    if rank_all:
        out["cached_rank_all_posts_s"], out["cached_rank_all_posts_cpu_s"], csum = _median(
            lambda: succession.ranking_summary(con, Scope(), period, rs, srs), rounds=1)
        assert summary is None or csum == summary, (csum, summary)
        _note(out)
    if table:       # the CLI's table as a frame: whole while it fits a file (the CLI asks for --top beyond), else top 20
        n = succession.row_count(con, Scope(), period, rs, srs)
        top = None if n <= succession.FILE_MAX_ROWS["csv"] else 20
        out["cli_table_s"], t = _timed(lambda: succession.csv_frame(con, Scope(), period, rs, srs, top=top))
        out["cli_table_rows"], out["cli_table_top"] = len(t), top or "semua"
    out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    con.close()
    return out


def _note(out: dict) -> None:
    print(json.dumps(out), file=sys.stderr, flush=True)


def page(db: Path) -> dict:
    os.environ["TALENTA_DB_PATH"] = str(db)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
    at.session_state["auth_user"] = "admin"
    at.run()
    at.switch_page("views/suksesi.py")
    cold, _ = _timed(at.run)
    cold_cpu = _cpu[0]
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    warm, warm_cpu, _ = _median(at.run)
    return {"page_cold_s": cold, "page_cold_cpu_s": cold_cpu, "page_warm_s": warm, "page_warm_cpu_s": warm_cpu}


def browser(db: Path) -> dict:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, sign_in
    from talenta.demo import DEMO_PASSWORD

    srv = Server(db, Path(tempfile.mkdtemp()) / "streamlit.log")
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pg = b.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            got = [0]
            pg.on("websocket", lambda ws: ws.on("framereceived", lambda d: got.__setitem__(
                0, got[0] + (len(d) if isinstance(d, (bytes, bytearray)) else len(d.encode())))))
            pg.goto(srv.url + "/suksesi", timeout=600_000)
            pg.get_by_role("heading", name="Masuk ke Talenta").wait_for(timeout=600_000)
            got[0], t = 0, time.perf_counter()
            sign_in(pg, "admin", DEMO_PASSWORD)
            pg.get_by_text("Keputusan", exact=True).first.wait_for(timeout=600_000)
            pg.wait_for_timeout(1500)
            out = {"bytes_page": got[0], "browser_page_s": round(time.perf_counter() - t, 2)}
            b.close()
    finally:
        srv.stop()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path)
    ap.add_argument("--employees", type=int, default=21_700)
    ap.add_argument("--period", type=int, default=2025)
    ap.add_argument("--no-page", action="store_true")
    ap.add_argument("--no-browser", action="store_true")
    ap.add_argument("--memory-limit", default="4GB", help="DuckDB memory limit (spills to disk beyond it)")
    ap.add_argument("--no-table", action="store_true", help="skip the CLI's whole table as a frame (national)")
    ap.add_argument("--no-rank-all", action="store_true", help="skip ranking every post's candidates")
    ap.add_argument("--no-live", action="store_true", help="skip the live figures (build the cache, read it)")
    args = ap.parse_args()
    db = args.db
    if db is None:
        from talenta import demo, store

        d = Path(tempfile.mkdtemp())
        db = d / "bench.duckdb"
        con = store.connect(db)
        demo.build(con, d / "files", n=args.employees)     # formasi, riwayat, hukuman and diklat included
        con.close()
    out = {"db": str(db), **queries(db, args.period, args.memory_limit, not args.no_table,
                                            not args.no_rank_all, not args.no_live)}
    # the browser's server first: the AppTest run below keeps this process's read-write connection open, and
    # DuckDB lets one process hold a database file for writing
    if not args.no_browser:
        out.update(browser(db))
    if not args.no_page:
        out.update(page(db))
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
