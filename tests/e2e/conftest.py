"""Real browser: Debian's chromium, driven by Playwright, against `streamlit run` on a free port."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from talenta.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "TALENTA_DB_PATH": str(db)}
        self.log = open(log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start; see {log}")

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def log_size(self) -> int:
        return len(self.log_text())

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server(demo_db_file, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: `make test` installs it as root (apt-get install chromium)")
    d = tmp_path_factory.mktemp("e2e")
    db = d / "talenta.duckdb"
    shutil.copy(demo_db_file, db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER")       # one server per worker when the tests run side by side
    srv = Server(db, ARTIFACTS / (f"streamlit-{worker}.log" if worker else "streamlit.log"))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def sign_in(pg, username: str, password: str) -> None:
    """Fill the login form and submit it (the demo database has one account per role)."""
    form = pg.locator("[data-testid='stForm']")
    form.get_by_label("Nama pengguna").fill(username)
    form.get_by_label("Kata sandi").fill(password)
    form.get_by_role("button", name="Masuk").click()


def _signing_in(pg, username: str):
    """``pg.goto`` that signs in on the login page it lands on (a new tab is a new session), then
    waits for the page that was asked for."""
    plain_goto = pg.goto

    def goto(url, **kw):
        response = plain_goto(url, **kw)
        pg.get_by_role("heading", name="Masuk ke Talenta").wait_for()
        sign_in(pg, username, DEMO_PASSWORD)
        # signing in then draws the page asked for: on a loaded machine that is slower than one click
        pg.locator("[data-testid='stSidebar']").get_by_role("button", name="Keluar").wait_for(timeout=90000)
        return response
    return goto


@pytest.fixture
def anon_page(browser, server, request):
    """A browser tab that is not signed in (the login page itself is under test)."""
    yield from _tab(browser, server, request, None)


@pytest.fixture
def page(browser, server, request):
    """A browser tab whose ``goto`` signs in as the demo ``admin`` first."""
    yield from _tab(browser, server, request, "admin")


def _tab(browser, server, request, username):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="id-ID")
    pg = ctx.new_page()
    pg.set_default_timeout(30000)
    if username:
        pg.goto = _signing_in(pg, username)
    log_start = server.log_size()
    yield pg
    new_log = server.log_text()[log_start:]
    # our code raising (Streamlit's "Uncaught app execution", or a traceback through the project's files);
    # chromium-driving libraries (kaleido's choreographer) log and ignore their own pipe noise
    ours = "Uncaught app execution" in new_log or re.search(r'File "[^"]*/(talenta|views)/|File "[^"]*/app\.py"', new_log)
    assert not ours, f"the app raised while the test ran:\n{new_log[-3000:]}"
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    ctx.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


def wait_ready(page):
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=30000)
    page.wait_for_timeout(300)
