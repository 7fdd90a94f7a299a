"""A plain `streamlit run app.py` (no address or upload flag) listens on the loopback interface only, and both the
page and the server itself hold uploads to TALENTA_MAX_UPLOAD_MB."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ARTIFACTS, ROOT, _free_port, _signing_in, wait_ready

LISTEN = "0A"


def _listening(port: int) -> list[str]:
    """Local addresses of the sockets listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for name, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        with open(name) as f:
            for line in f.readlines()[1:]:
                local, _, st = line.split()[1:4]
                addr, p = local.split(":")
                if st == LISTEN and int(p, 16) == port:
                    raw = bytes.fromhex(addr)
                    # /proc prints each 32-bit word in host (little-endian) order
                    raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
                    found.append(socket.inet_ntop(socket.AF_INET if width == 8 else socket.AF_INET6, raw))
    return found


def _outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


@pytest.fixture(scope="module")
def plain_server(demo_db_file, tmp_path_factory):
    """`streamlit run .../app.py` as a user types it (only a free port added), started from another folder (the
    project's config applies wherever it is started from), with a 2 MB upload limit."""
    elsewhere = tmp_path_factory.mktemp("plain")
    db = elsewhere / "talenta.duckdb"
    shutil.copy(demo_db_file, db)
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "streamlit_defaults.log", "w")
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port)]
    env = {**os.environ, "TALENTA_DB_PATH": str(db), "TALENTA_MAX_UPLOAD_MB": "2"}
    proc = subprocess.Popen(cmd, cwd=elsewhere, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    pytest.fail("streamlit did not start; see tests/e2e/artifacts/streamlit_defaults.log")
                time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_plain_streamlit_run_is_reachable_from_this_machine_only(plain_server):
    assert _listening(plain_server) == ["127.0.0.1"]
    outward = _outward_address()
    if outward:
        with pytest.raises(OSError):
            socket.create_connection((outward, plain_server), timeout=2).close()


def test_upload_limit_held_by_the_page_and_by_the_server(plain_server, browser, demo_data, tmp_path):
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(30000)
    page.goto = _signing_in(page, "admin")           # nobody reaches the upload before signing in
    page.goto(f"http://127.0.0.1:{plain_server}/impor")
    page.get_by_role("heading", name="Impor Data").wait_for()
    wait_ready(page)
    page.get_by_text("Batas unggah 2 MB per berkas").wait_for()
    big = tmp_path / "besar.csv"
    big.write_bytes(b"nip,tahun,predikat\n" + b"#" * int(5.2 * 1024 * 1024))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(big))
    page.get_by_text("File must be 2.0MB or smaller").wait_for()      # Streamlit's own refusal, in the browser
    wait_ready(page)
    assert page.get_by_role("button", name="Impor 1 berkas").count() == 0
    # the browser refuses before sending; a client that skips that check meets the server's own limit:
    # replay a real small upload request with a 3 MB body
    seen = {}
    page.on("request", lambda r: seen.setdefault("req", r) if "/_stcore/upload_file/" in r.url else None)
    small = tmp_path / "kecil.csv"
    small.write_text(f"nip,tahun,predikat\n{demo_data.employees['nip'].iloc[0]},2026,Baik\n", encoding="utf-8")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(small))
    page.get_by_role("button", name="Impor 1 berkas").wait_for()
    req = seen["req"]
    headers = {k: v for k, v in req.headers.items() if k.lower().startswith("x-")}
    status = page.evaluate(
        """async ([url, method, headers]) => {
            const form = new FormData();
            form.append('file', new Blob([new Uint8Array(3 * 1024 * 1024)]), 'tiga.csv');
            const r = await fetch(url, {method, headers, body: form, credentials: 'same-origin'});
            return r.status;
        }""", [req.url, req.method, headers])
    assert status == 413
    page.context.close()
