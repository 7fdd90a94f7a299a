"""Many users at once over Streamlit's own websocket protocol (no browser rendering on the client side).

Each session is what a browser tab sends and receives: it connects to ``/_stcore/stream``, signs in with
the demo ``admin`` account through the login form, asks for a
page (``rerun_script`` with the page's URL path), receives the page's elements until the script has
finished, then changes the period filter (a widget state, as a click on the selectbox would send)
and walks on to the next page, for a bounded time. Latency is from the request to the server's
``script_finished``. Errors counted (must be zero): an exception element in a page, a script that
does not finish, a dropped connection, "busy" or a traceback in the server log.

    python bench/loadtest_ws.py DB_FILE [--sessions 20] [--seconds 90]

Measures the server (script runs, DuckDB cursors, the websocket): ten browsers rendering plotly
on the same two cores measure mostly the browsers (``bench/loadtest.py`` does that).
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

from e2e.conftest import Server  # noqa: E402

import loadcommon  # noqa: E402

PAGES = ["", "peta-talenta", "talent-pool", "data", "potensi-tinggi"]
PERIOD_LABEL = "Periode (tahun penilaian)"
USER, PASSWORD = "admin", "talenta-demo-2026"    # a demo account (talenta/demo.py); the server asks to sign in


class Session:
    def __init__(self, ws):
        self.ws = ws
        self.widgets: dict[str, tuple[str, list[str]]] = {}   # label -> (id, options)
        self.period: str | None = None

    async def sign_in(self, username: str, password: str) -> tuple[float, list[str]]:
        """Fill the login form as a browser would (the form's text inputs and its submit trigger); the
        seconds returned are from the submit to the landing page (Ringkasan) shown."""
        await self.run("")
        values = {"Nama pengguna": username, "Kata sandi": password}
        secs, problems = await self.run("", form={**{self.widgets[k][0]: v for k, v in values.items()},
                                                  self.widgets["Masuk"][0]: True})
        if "Keluar" not in self.buttons:
            problems.append(f"masuk sebagai {username} gagal")
        return secs, problems

    async def run(self, page: str, timeout: float = 300, form: dict | None = None) -> tuple[float, list[str]]:
        """Request ``page`` and wait for the script to finish; ``self.texts`` gets what it showed."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_name = page
        if self.period is not None and PERIOD_LABEL in self.widgets:
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = self.widgets[PERIOD_LABEL][0]
            w.string_value = self.period
        for wid, value in (form or {}).items():
            w = msg.rerun_script.widget_states.widgets.add()
            w.id = wid
            if value is True:
                w.trigger_value = True
            else:
                w.string_value = value
        self.buttons = []
        t = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        problems: list[str] = []
        self.texts = []
        deadline = t + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(1.0, deadline - time.perf_counter()))
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                what = el.WhichOneof("type")
                if what == "exception":
                    problems.append(f"exception: {el.exception.message[:120]}")
                elif what in ("markdown", "metric"):
                    self.texts.append(str(getattr(el, what)))
                elif what == "selectbox":
                    self.widgets[el.selectbox.label] = (el.selectbox.id, list(el.selectbox.options))
                elif what == "text_input":
                    self.widgets[el.text_input.label] = (el.text_input.id, [])
                elif what == "button":
                    self.widgets[el.button.label] = (el.button.id, [])
                    self.buttons.append(el.button.label)
            elif kind == "script_finished" and fm.script_finished not in (
                    ForwardMsg.FINISHED_EARLY_FOR_RERUN, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY):
                return time.perf_counter() - t, problems


async def user(url: str, deadline: float, sid: int, latencies: dict, errors: list) -> None:
    import websockets

    i = sid
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None,
                                  origin=url.replace("ws://", "http://").split("/_stcore")[0]) as ws:
        s = Session(ws)
        secs, problems = await s.sign_in(USER, PASSWORD)
        latencies.setdefault("masuk", []).append(secs)
        errors += [f"sesi {sid} (masuk): {p}" for p in problems]
        while time.time() < deadline and not problems:
            page = PAGES[i % len(PAGES)]
            i += 1
            try:
                secs, problems = await s.run(page)
                latencies.setdefault(page or "ringkasan", []).append(secs)
                errors += [f"sesi {sid} {page or '/'}: {p}" for p in problems]
                options = s.widgets.get(PERIOD_LABEL, (None, []))[1]
                if options:                         # change the period filter on this page
                    before, old = list(s.texts), s.period
                    s.period = options[(options.index(old) + 1) % len(options)] if old in options else options[1 % len(options)]
                    secs, problems = await s.run(page)
                    if len(options) > 1:            # the page must show something else for another period
                        latencies.setdefault("_changed", []).append(float(s.texts != before))
                    latencies.setdefault("ganti periode", []).append(secs)
                    errors += [f"sesi {sid} {page or '/'} (periode): {p}" for p in problems]
            except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
                errors.append(f"sesi {sid} {page or '/'}: {type(exc).__name__}: {str(exc)[:120]}")
                return


async def main_async(db: Path, sessions: int, seconds: int) -> int:
    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    srv = Server(db, log)
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    try:
        ws_url = srv.url.replace("http://", "ws://") + "/_stcore/stream"
        deadline = time.time() + seconds
        await asyncio.gather(*[user(ws_url, deadline, s, latencies, errors) for s in range(sessions)])
    finally:
        srv.stop()
    errors += loadcommon.server_log_errors(log)
    changed = latencies.pop("_changed", [])
    every = [x for v in latencies.values() for x in v]
    print(f"{sessions} sesi serentak (protokol websocket Streamlit), {seconds} s: {len(every)} halaman selesai, "
          f"{len(errors)} galat")
    print("semua: " + loadcommon.summary(every))
    print(f"ganti periode mengubah isi halaman: {int(sum(changed))} dari {len(changed)} kali")
    if changed and sum(changed) < len(changed) * 0.5:
        errors.append("filter periode tidak berpengaruh pada halaman")
    for name, v in latencies.items():
        print(f"  {name:<16} n={len(v):>4}  p50 {loadcommon.quantile(v, .5):.2f}  "
              f"p90 {loadcommon.quantile(v, .9):.2f}  maks {max(v):.2f} s")
    for e in errors[:20]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(loadcommon.main(main_async, sessions=20))
