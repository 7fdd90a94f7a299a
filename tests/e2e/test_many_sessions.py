"""Many sessions at once against `streamlit run`, over Streamlit's own websocket protocol.

Six sessions sign in (as the demo admin) and walk through every page and change the period filter for a few seconds, all on the
one DuckDB connection of the server process: no exception in any page, no script that fails to
finish, no "connection busy" or traceback in the server log, and changing the period changes what
the pages show. (`bench/loadtest_ws.py` is the same client, for longer runs with more sessions.)
"""
import asyncio
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import loadtest_ws  # noqa: E402


def test_six_sessions_walk_the_pages_at_once(server):
    start = server.log_size()
    latencies: dict = {}
    errors: list = []
    url = server.url.replace("http://", "ws://") + "/_stcore/stream"

    async def main():
        end = time.time() + 30          # signing in (argon2 verification, then the landing page) takes the first part
        await asyncio.gather(*[loadtest_ws.user(url, end, s, latencies, errors) for s in range(6)])

    # its own thread: Playwright's sync API keeps an event loop running in this one
    worker = threading.Thread(target=lambda: asyncio.run(main()))
    worker.start()
    worker.join()
    log = server.log_text()[start:]
    assert errors == []
    assert "Traceback" not in log and "busy" not in log.lower()
    pages = {k for k in latencies if not k.startswith("_") and k not in ("ganti periode", "masuk")}
    assert pages == {"ringkasan", "peta-talenta", "talent-pool", "data", "potensi-tinggi"}
    changed = latencies["_changed"]
    assert changed and sum(changed) == len(changed), "another period must show other figures"
