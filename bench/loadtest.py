"""Many users at once: concurrent real browser sessions against `streamlit run`, for a bounded time.

Each session opens the dashboard, walks through the pages, changes the period filter and opens the
talent map again, measuring how long each view takes to finish rendering. Errors (an exception
shown in the page, a DuckDB "connection busy", a server traceback) are counted: they must be zero.
Traffic stays on 127.0.0.1.

    python bench/loadtest.py DB_FILE [--sessions 10] [--seconds 90]
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402

from talenta.demo import DEMO_PASSWORD  # noqa: E402

import loadcommon  # noqa: E402

VIEWS = ["/", "/peta-talenta", "/talent-pool", "/data", "/potensi-tinggi"]
TITLES = {"/": "Ringkasan", "/peta-talenta": "Peta Talenta", "/talent-pool": "Talent Pool per OPD", "/data": "Data",
          "/potensi-tinggi": "Potensi Tinggi"}
DONE = ("() => { const w = document.querySelector('[data-testid=\"stStatusWidget\"]');"
        " return !w || !w.innerText.includes('Running'); }")


async def session(browser, url: str, deadline: float, latencies: list, errors: list, sid: int) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    i = sid
    try:
        # sign in once (a reload would be a new session): then walk the pages through the sidebar links
        await page.goto(url + "/", timeout=180_000)
        form = page.locator("[data-testid='stForm']")
        await form.get_by_label("Nama pengguna").fill("admin")
        await form.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        await form.get_by_role("button", name="Masuk").click()
        await page.locator("[data-testid='stSidebar']").get_by_role("button", name="Keluar").wait_for(timeout=180_000)
        while time.time() < deadline:
            view = VIEWS[i % len(VIEWS)]
            i += 1
            t = time.perf_counter()
            try:
                await page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=TITLES[view], exact=True) \
                    .click(timeout=180_000)
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
    errors += loadcommon.server_log_errors(log)
    print(f"{sessions} sesi serentak, {seconds} s: {len(latencies)} tampilan selesai, {len(errors)} galat")
    print("latensi: " + loadcommon.summary(latencies))
    for e in errors[:20]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(loadcommon.main(main_async, sessions=10))
