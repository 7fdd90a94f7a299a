"""Many users at once: concurrent real browser sessions against `streamlit run`, for a bounded time.

Each session opens the dashboard, walks through the pages, changes the period filter and opens the
talent map again, measuring how long each view takes to finish rendering. Errors (an exception
shown in the page, a DuckDB "connection busy", a server traceback) are counted: they must be zero.
Traffic stays on 127.0.0.1.

    python bench/loadtest.py DB_FILE [--sessions 10] [--seconds 90]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

VIEWS = ["/", "/peta-talenta", "/talent-pool", "/data", "/potensi-tinggi"]
DONE = ("() => { const w = document.querySelector('[data-testid=\"stStatusWidget\"]');"
        " return !w || !w.innerText.includes('Running'); }")


async def session(browser, url: str, deadline: float, latencies: list, errors: list, sid: int) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    i = sid
    try:
        while time.time() < deadline:
            view = VIEWS[i % len(VIEWS)]
            i += 1
            t = time.perf_counter()
            try:
                await page.goto(url + view, timeout=180_000)
                await page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=180_000)
                await page.wait_for_function(DONE, timeout=180_000)
                if await page.locator("[data-testid='stException']").count():
                    errors.append(f"sesi {sid}: exception di {view}")
                latencies.append(time.perf_counter() - t)
                if view == "/peta-talenta":      # change a filter: the period
                    t = time.perf_counter()
                    await page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
                    await page.get_by_role("option").nth(1).click()
                    await page.wait_for_timeout(200)
                    await page.wait_for_function(DONE, timeout=180_000)
                    latencies.append(time.perf_counter() - t)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                errors.append(f"sesi {sid}: {view}: {type(exc).__name__}: {str(exc)[:120]}")
    finally:
        await ctx.close()


async def main_async(db: Path, sessions: int, seconds: int) -> int:
    from playwright.async_api import async_playwright

    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    srv = Server(db, log)
    latencies: list[float] = []
    errors: list[str] = []
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            deadline = time.time() + seconds
            await asyncio.gather(*[session(browser, srv.url, deadline, latencies, errors, s) for s in range(sessions)])
            await browser.close()
    finally:
        srv.stop()
    server_log = log.read_text(errors="replace")
    if "Traceback" in server_log or "busy" in server_log.lower():
        errors.append("server: traceback atau 'busy' di log streamlit")
    lat = sorted(latencies)
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")  # noqa: E731
    print(f"{sessions} sesi serentak, {seconds} s: {len(lat)} tampilan selesai, {len(errors)} galat")
    print(f"latensi (s): p50 {q(0.5):.2f} · p90 {q(0.9):.2f} · p99 {q(0.99):.2f} · maks {max(lat, default=0):.2f}"
          f" · rata-rata {statistics.mean(lat) if lat else 0:.2f}")
    for e in errors[:20]:
        print("  " + e)
    return 1 if errors else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--seconds", type=int, default=90)
    args = ap.parse_args()
    return asyncio.run(main_async(Path(args.db), args.sessions, args.seconds))


if __name__ == "__main__":
    sys.exit(main())
