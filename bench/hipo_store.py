"""The stored high-potential model (sql/014, ``hipo.build_latest``): builder seconds and the Potensi Tinggi page's
first visit before (the model fitted in the server process) and after (the stored fit read). Not part of the tests.

    python bench/hipo_store.py DB                 # everything below, on a WRITABLE copy (it stores into it)
    python bench/hipo_store.py DB --step page --mode stored|live     # one cold AppTest run (a fresh process)

Steps, each cold page run in its own fresh process (a server restart: empty Streamlit caches, a new connection):
  browser-before  real chromium against `streamlit run`, sign-in to /potensi-tinggi rendered, nothing stored
  scores          the score cache of the latest period (population's builder; the hipo builder reads it)
  build           ``hipo.build_latest`` (wall and CPU seconds), then a second call (must do nothing)
  page            AppTest: app.py, then views/hipo.py timed; ``live`` hides the stored fit (as before this
                  change), ``stored`` reads it; rounds interleaved, median reported
  browser-after   as browser-before, with the model stored
Wall time is noisy on a shared machine: CPU seconds (``time.process_time``, every thread of the process) are
printed next to it.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MEMORY = "3GB"
BUILD_MEMORY = "6GB"      # the features query of 3,5M assessed employees does not fit in 3 GB


def _clock():
    return time.perf_counter(), time.process_time()


def _since(t0) -> tuple[float, float]:
    w, c = _clock()
    return w - t0[0], c - t0[1]


def step_scores(db: Path) -> dict:
    from talenta import overview, population, rulesets, store

    con = store.connect(db, memory_limit=MEMORY, threads=2)
    period, rs = overview.periods(con)[-1], rulesets.active(con)
    t = _clock()
    population.cache_key(con, period, rs)
    w, c = _since(t)
    return {"scores_wall_s": w, "scores_cpu_s": c}


def step_build(db: Path) -> dict:
    from talenta import hipo, store

    con = store.connect(db, memory_limit=BUILD_MEMORY, threads=2)
    t = _clock()
    hipo.build_latest(con)
    w, c = _since(t)
    t = _clock()
    hipo.build_latest(con)                  # idempotent: the key is stored
    w2, _ = _since(t)
    n, secs = store.query_one(con, "SELECT n, seconds FROM hipo_result_key ORDER BY built_at DESC LIMIT 1")
    return {"build_wall_s": w, "build_cpu_s": c, "build_again_wall_s": w2, "stored_rows": n, "fit_s_recorded": secs}


def step_page(db: Path, mode: str) -> dict:
    os.environ["TALENTA_DB_PATH"] = str(db)
    from streamlit.testing.v1 import AppTest

    from talenta import hipo

    if mode == "live":                      # the code before the stored model: always fit in the process
        hipo.stored = lambda *a, **k: None
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
    at.session_state["auth_user"] = "admin"
    t = _clock()
    at.run()
    app_w, app_c = _since(t)
    at.switch_page("views/hipo.py")
    t = _clock()
    at.run()
    w, c = _since(t)
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    t = _clock()
    at.run()
    warm, _ = _since(t)
    return {"mode": mode, "app_wall_s": app_w, "page_wall_s": w, "page_cpu_s": c, "page_warm_s": warm}


def step_browser(db: Path) -> dict:
    """Sign-in to the Potensi Tinggi page rendered (its last element), on a freshly started server."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, sign_in
    from talenta.demo import DEMO_PASSWORD

    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    srv = Server(db, log)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            page.goto(srv.url + "/potensi-tinggi", timeout=600_000)
            page.get_by_role("heading", name="Masuk ke Talenta").wait_for(timeout=600_000)
            t = time.perf_counter()
            sign_in(page, "admin", DEMO_PASSWORD)
            page.get_by_text("Keputusan Komite Talenta").first.wait_for(timeout=900_000)
            out = {"browser_hipo_s": time.perf_counter() - t}
            browser.close()
    finally:
        srv.stop()
    return out


def _sub(db: Path, step: str, mode: str = "") -> dict:
    cmd = [sys.executable, __file__, str(db), "--step", step] + (["--mode", mode] if mode else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    got = json.loads(out.strip().splitlines()[-1])
    print(step, mode, got, flush=True)
    return got


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path)
    ap.add_argument("--step", choices=["scores", "build", "page", "browser", "all"], default="all")
    ap.add_argument("--mode", choices=["stored", "live"], default="stored")
    ap.add_argument("--rounds", type=int, default=3, help="stored page rounds (live rounds: 2, they take minutes)")
    ap.add_argument("--no-browser", action="store_true")
    a = ap.parse_args()
    if a.step != "all":
        fn = {"scores": step_scores, "build": step_build, "browser": step_browser}.get(a.step)
        print(json.dumps(fn(a.db) if fn else step_page(a.db, a.mode)))
        return 0
    res: dict = {}
    _sub(a.db, "scores")
    if not a.no_browser:
        res["browser_before"] = _sub(a.db, "browser")["browser_hipo_s"]
    res.update(_sub(a.db, "build"))
    pages = {"live": [], "stored": []}
    for i in range(a.rounds):               # interleaved: live, stored, stored, live, stored ...
        if i < 2:
            pages["live"].append(_sub(a.db, "page", "live"))
        pages["stored"].append(_sub(a.db, "page", "stored"))
    for mode, rows in pages.items():
        for k in ("page_wall_s", "page_cpu_s", "page_warm_s", "app_wall_s"):
            res[f"{mode}_{k}_median"] = statistics.median(r[k] for r in rows)
    if not a.no_browser:
        res["browser_after"] = [_sub(a.db, "browser")["browser_hipo_s"] for _ in range(3)]
    print(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
