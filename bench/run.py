"""Benchmarks (`make bench`; never part of the test suite). Writes the latest run at the top of bench/RESULTS.md,
compared figure by figure with the run it replaces, which moves to the end of the file (bench/results_file.py);
the rest of the file, the measurements written by hand, stays as it is.

Per size, each step in a fresh subprocess so its peak memory (ru_maxrss) is its own:
  import     generate the synthetic population and import it through the normal import path
             (one instansi at a time beyond 200k, as `demo --instansi N` does)
  queries    talent map (summary + box counts) and pool per OPD: first (cold) and second (warm) run;
             the plain pandas and lazy polars references (bench/reference_pandas.py, reference_polars.py) on
             the same data, and the ratios (live scoring and the cache build against polars: issue 13 item 10)
  pages      every page's script run time with Streamlit's AppTest: cold (empty caches) and warm
  browser    bytes the browser receives over the websocket per page (real chromium, `streamlit run`)
  first_visit  each page's first visit in a real browser after an import (the import runs derived.refresh) on a
             fresh server, and after a restart: wall seconds and the server's CPU seconds
  hipo       fit-and-flag time of the high-potential model (with its bootstrap)
  exports    deck (PPTX) and workbook (XLSX) generation
  profile    the profile's nip indexes, one person's profile (library) and the Profil page (AppTest)
  succession target posts and every post's ranked candidates, the Suksesi page (bench/succession.py)
  scoped     scope and privacy cost (bench/scoped.py) at 21.7k and 5.6M: map, pool and Ringkasan's queries and
             the pages as the operator, an OPD account and `tamu`, interleaved, median of 7 rounds

    python bench/run.py                        # 21.7k, 200k, 2M
    python bench/run.py --national             # adds 5.6M
    python bench/run.py --sizes 21700 --db 5600000=/path/national.duckdb   # reuse a built database
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_SIZES = [21_700, 200_000, 2_000_000]
NATIONAL = 5_600_000
PAGES = {"ringkasan": "views/ringkasan.py", "peta": "views/peta.py", "pool": "views/pool.py",
         "hipo": "views/hipo.py", "data": "views/data.py"}
URLS = {"ringkasan": "/", "peta": "/peta-talenta", "pool": "/talent-pool", "hipo": "/potensi-tinggi", "data": "/data"}
# text that appears when each page has finished rendering (its last element)
END_MARK = {"ringkasan": "Impor data terakhir", "peta": "Belum terpetakan:", "pool": "Unduh tabel (CSV)",
            "hipo": "Keputusan Komite Talenta", "data": "Impor terakhir:"}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def step_import(n: int, db: Path) -> dict:
    from talenta import demo, store

    con = store.connect(db)
    k = 1 if n <= 200_000 else max(2, n // 14_000)     # national: ~14k ASN per instansi, 400 at 5.6M
    with tempfile.TemporaryDirectory() as d:
        stats: dict = {}
        secs, results = _timed(lambda: demo.build(con, d, n=n, n_instansi=k, stats=stats))
    rows = sum(r.rows_read for r in results)
    con.close()
    return {"build_s": secs, "generate_s": stats["generate_s"] + stats["write_s"], "import_s": stats["import_s"],
            "import_rows": rows, "import_rows_per_s": rows / stats["import_s"], "instansi": k,
            "db_mb": db.stat().st_size / 2**20, "import_peak_mb": _peak_mb()}


def step_queries(db: Path) -> dict:
    import reference_pandas
    import reference_polars

    from talenta import pool, population, rulesets, store, talentmap
    from talenta.scope import Filters, Scope

    con = store.connect(db)          # as the app does: writable, so the score cache can be built
    rs = rulesets.active(con)
    f, s = Filters(period=2025), Scope()
    with population.scoring_live():
        live_map, _ = _timed(lambda: talentmap.box_counts(con, s, f.at(2025), rs))
        live_pool, _ = _timed(lambda: pool.pool_table(con, s, f.at(2025), rs, "opd"))
        # the same, three times more with DuckDB's buffer pool warm (the first call above also reads the tables
        # from the file; polars's tables are read into memory before it is timed): the median, each call
        # scoring again (the live-count memo emptied first)
        warm_live = []
        for _ in range(3):
            population.forget_live_counts()
            t0 = time.perf_counter()
            talentmap.box_counts(con, s, f.at(2025), rs)
            pool.pool_table(con, s, f.at(2025), rs, "opd")
            warm_live.append(time.perf_counter() - t0)
        live_warm = sorted(warm_live)[1]
    # the write path's cache build (derived.refresh after an import has stored the entry: drop it, untimed)
    key = population.score_key(con, 2025, rs)[0]
    with store.WRITE_LOCK, store.transaction(con) as cur:
        cur.execute("DELETE FROM talent_score WHERE cache_key = $k", {"k": key})
        cur.execute("DELETE FROM talent_score_key WHERE cache_key = $k", {"k": key})
    con.execute("CHECKPOINT")
    build, _ = _timed(lambda: population.build_scores(con, 2025, rs))

    def run():
        talentmap.summary(con, s, f.at(2025), rs)
        talentmap.box_counts(con, s, f.at(2025), rs)
        pool.pool_table(con, s, f.at(2025), rs, "opd")
    cold, _ = _timed(run)
    warm, _ = _timed(run)
    map_only, _ = _timed(lambda: talentmap.box_counts(con, s, f.at(2025), rs))
    pool_only, _ = _timed(lambda: pool.pool_table(con, s, f.at(2025), rs, "opd"))
    con.close()
    read_s, tables = _timed(lambda: reference_pandas.read(db))
    ref_s, _ = _timed(lambda: reference_pandas.compute(*tables, 2025))
    del tables
    # the second reference (issue 13 item 10): the lazy polars pipeline on the same three tables in memory
    pl_tables = reference_polars.read(db)
    polars_s, _ = _timed(lambda: reference_polars.compute(*pl_tables, 2025))
    polars_runs = [polars_s]
    for _ in range(2):
        polars_runs.append(_timed(lambda: reference_polars.compute(*pl_tables, 2025))[0])
    polars_median = sorted(polars_runs)[1]
    del pl_tables
    ours = min(cold, warm) / 1.0
    live = live_map + live_pool
    return {"map_s": map_only, "pool_s": pool_only, "map_pool_cold_s": cold, "map_pool_warm_s": warm,
            "map_live_s": live_map, "pool_live_s": live_pool, "cache_build_s": build,
            "pandas_read_s": read_s, "pandas_compute_s": ref_s, "ratio_vs_pandas": ref_s / (map_only + pool_only),
            "ratio_vs_pandas_live": ref_s / live, "ratio_vs_pandas_cold": ref_s / cold,
            "polars_compute_s": polars_s, "ratio_vs_polars": polars_s / (map_only + pool_only),
            "ratio_vs_polars_live": polars_s / live, "ratio_vs_polars_build": polars_s / build,
            "map_pool_live_warm_s": live_warm, "polars_compute_median_s": polars_median,
            "ratio_vs_polars_live_warm": polars_median / live_warm,
            "queries_peak_mb": _peak_mb(), "_ours": ours}


def step_pages(db: Path) -> dict:
    os.environ["TALENTA_DB_PATH"] = str(db)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    out = {}
    for name, script in PAGES.items():
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
        at.session_state["auth_user"] = "admin"         # signed in as the demo admin (talenta/ui/auth.py)
        at.run()
        at.switch_page(script)
        cold, _ = _timed(at.run)
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].message}")
        warm, _ = _timed(at.run)
        out[f"page_{name}_cold_s"] = cold
        out[f"page_{name}_warm_s"] = warm
    out["pages_peak_mb"] = _peak_mb()
    return out


def step_browser(db: Path) -> dict:
    """Bytes received over the websocket when each page is opened in a real browser."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, sign_in
    from talenta.demo import DEMO_PASSWORD

    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    srv = Server(db, log)
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, url in URLS.items():
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                got = [0]
                page.on("websocket", lambda ws: ws.on("framereceived", lambda data: got.__setitem__(
                    0, got[0] + (len(data) if isinstance(data, (bytes, bytearray)) else len(data.encode())))))
                page.goto(srv.url + url, timeout=600_000)
                page.get_by_role("heading", name="Masuk ke Talenta").wait_for(timeout=600_000)
                got[0], t = 0, time.perf_counter()          # from the sign-in to the page asked for
                sign_in(page, "admin", DEMO_PASSWORD)
                page.get_by_text(END_MARK[name]).first.wait_for(timeout=600_000)
                page.wait_for_timeout(1500)
                out[f"bytes_{name}"] = got[0]
                out[f"browser_{name}_s"] = time.perf_counter() - t
                ctx.close()
            browser.close()
    finally:
        srv.stop()
    return out


def step_hipo(db: Path) -> dict:
    from talenta import hipo, rulesets, store
    from talenta.config import Settings
    from talenta.scope import Filters, Scope

    con = store.connect(db, read_only=True)
    rs = rulesets.active(con)
    feat_s, df = _timed(lambda: hipo.features(con, Scope(), Filters(period=2025), rs))
    fit_s, r = _timed(lambda: hipo.fit(df, Settings().hipo_params()))
    return {"hipo_rows": len(df), "hipo_features_s": feat_s, "hipo_fit_s": fit_s, "hipo_k": r.k,
            "hipo_flagged": int(r.table["hipo"].sum()), "hipo_peak_mb": _peak_mb()}


def step_exports(db: Path) -> dict:
    from talenta import export, rulesets, store
    from talenta.config import Settings
    from talenta.scope import Filters, Scope

    copy = Path(tempfile.mkdtemp()) / "e.duckdb"
    shutil.copy(db, copy)
    con = store.connect(copy)
    rs, st = rulesets.active(con), Settings()
    flt = Filters(period=2025)
    gather_s, content = _timed(lambda: export.gather(con, st.instansi, flt.at(2025), rs, "bench", scope=Scope().masked(5),
                                                     hipo_params=st.hipo_params()))
    deck_s, deck = _timed(lambda: export.build_deck(con, content, flt.at(2025), rs))
    wb_s, wb = _timed(lambda: export.build_workbook(con, content, flt.at(2025), rs))
    return {"export_gather_s": gather_s, "deck_s": deck_s, "deck_kb": len(deck) / 1024, "workbook_s": wb_s,
            "workbook_kb": len(wb) / 1024, "exports_peak_mb": _peak_mb()}


def step_profile(db: Path) -> dict:
    """Profil talenta: building the nip lookup indexes (after an import), then one person's profile by point
    lookups, median of 25 random people (page data; the page adds its rendering)."""
    import random
    import statistics

    from talenta import lookup, profile, rulesets, store
    from talenta.scope import Scope

    con = store.connect(db)
    lookup.drop(con)
    t = time.perf_counter()
    lookup.build(con)
    built = time.perf_counter() - t
    rs = rulesets.active(con)
    n = store.query_one(con, "SELECT count(*) FROM employee")[0]
    rnd = random.Random(7)
    nips = [store.query_one(con, "SELECT nip FROM employee LIMIT 1 OFFSET $o", {"o": rnd.randrange(n)})[0]
            for _ in range(25)]
    times = []
    for nip in nips:
        t = time.perf_counter()
        profile.build(con, Scope(), nip, 2025, rs)
        times.append(time.perf_counter() - t)
    con.close()
    # the Profil page itself (AppTest script run, signed in as the demo admin), 10 of those people
    os.environ["TALENTA_DB_PATH"] = str(db)
    from streamlit.testing.v1 import AppTest

    from talenta.ui import people

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
    at.session_state["auth_user"] = "admin"
    at.run()
    at.switch_page("views/profil.py")
    at.run()
    pages = []
    for nip in nips[:10]:
        at.session_state[people.PROFILE_NIP] = nip
        t = time.perf_counter()
        at.run()
        pages.append(time.perf_counter() - t)
        if at.exception:
            raise RuntimeError(f"profil {nip}: {at.exception[0].message}")
    return {"profile_index_s": built, "profile_s": statistics.median(times), "profile_max_s": max(times),
            "profile_page_s": statistics.median(pages), "profile_page_max_s": max(pages)}


def step_bigfiles(_db: Path) -> dict:
    """Import of a 1-million-row SIASN employee CSV and of a 100k-row assessment workbook."""
    from talenta import demo, store
    from talenta.ingest import import_file

    work = Path(tempfile.mkdtemp())
    data = demo.generate(1_000_000, 1)
    only_master = demo.DemoData(data.employees, data.kinerja.iloc[:0], data.asesmen.iloc[:0], data.hipo)
    csv_path = demo.write_files(only_master, work / "big", fmt="csv")[0]
    con = store.connect(work / "big.duckdb")
    csv_s, r = _timed(lambda: import_file(con, csv_path, instansi="Bench", user="bench"))
    out = {"csv_1m_rows": r.rows_read, "csv_1m_s": csv_s, "csv_1m_peak_mb": _peak_mb()}
    assessed = data.employees[["nip"]].iloc[:100_000].assign(tahun=2025, jpm=85.5, nilai_potensi=80.0,
                                                              nilai_manajerial=81.0, nilai_sosial_kultural=79.0,
                                                              nilai_teknis=83.0)
    xlsx = demo._write_table(assessed.rename(columns={"nip": "NIP", "tahun": "Tahun", "jpm": "JPM (%)"}),
                             work / "asesmen_100k", True, ["REKAP ASESMEN"], header_row=4, text_cols={"NIP"})
    xlsx_s, r = _timed(lambda: import_file(con, xlsx, instansi="Bench", user="bench"))
    out.update({"xlsx_100k_rows": r.rows_read, "xlsx_100k_s": xlsx_s, "bigfiles_peak_mb": _peak_mb()})
    shutil.rmtree(work, ignore_errors=True)
    return out


def step_succession(db: Path) -> dict:
    """Issue 17: target posts, one post's candidates and every post's ranked candidates from the eligibility
    cache the write path builds (live too up to 200k), the Suksesi page (AppTest cold and warm) and the bytes a
    real browser receives: ``bench/succession.py``'s figures, prefixed ``succ_``."""
    import importlib.util

    from talenta import store

    spec = importlib.util.spec_from_file_location("bench_succession", ROOT / "bench" / "succession.py")
    sb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sb)
    con = store.connect(db, read_only=True)
    n = store.query_one(con, "SELECT count(*) FROM employee")[0]
    con.close()
    small = n <= 200_000
    out = sb.queries(db, 2025, "4GB", table=small, rank_all=True, live=small)
    out.update(sb.browser(db))          # before the AppTest run, which keeps this process's connection open
    out.update(sb.page(db))
    return {"succ_" + k: v for k, v in out.items()}


FIRST_VISIT = ("ringkasan", "peta", "pool", "hipo", "data")
# a page is drawn when its last element's text is there, every chart of the main area is drawn, every table has
# its canvas, and the script is no longer running (Streamlit's status widget is gone)
_PAGE_DRAWN = """(mark) => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || !main.innerText.includes(mark) || document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const shown = (e) => e.checkVisibility();       // a table in a closed expander or tab draws nothing until opened
  const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(shown);
  const tables = [...main.querySelectorAll('[data-testid="stDataFrame"]')].filter(shown);
  return charts.every(c => c.querySelector('.main-svg')) && tables.every(t => t.querySelector('canvas'));
}"""


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system, all threads) of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def step_first_visit(db: Path) -> dict:
    """Issue 13 item 2: each page's first visit in a real browser (a) on a fresh server after an import through
    ``actions.import_one`` (which runs ``derived.refresh``) and (b) after a server restart. Wall seconds from the
    sending of the login form (once the login page has loaded, as when a person types) until the page is drawn
    (``_PAGE_DRAWN``: its last element, every chart and table drawn, the script finished), and the server's CPU
    seconds meanwhile. One browser context per page (a new session: nothing cached in it), the pages in the
    order of FIRST_VISIT. Until session 8 the end was the last element's text alone (charts could still be
    drawing) and the form was sent as soon as the login heading showed."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, sign_in
    from talenta import actions, derived, overview, store
    from talenta.access import OPERATOR
    from talenta.demo import DEMO_PASSWORD

    out: dict = {}
    con = store.connect(db, memory_limit="8GB", threads=2)
    t = overview.periods(con)[-1]
    # a correction no earlier run imported (the same file again would be refused as already imported, with nothing
    # to rebuild): the next 100 NIPs after those of earlier runs, with another predikat
    runs = store.query_one(con, "SELECT count(*) FROM import_batch WHERE file_name = 'koreksi_skp.csv'")[0]
    rows = store.query_df(con, "SELECT nip FROM performance WHERE tahun = $t ORDER BY nip LIMIT 100 OFFSET $o",
                          {"t": t, "o": 100 * runs})
    pred = ("Baik", "Sangat Baik", "Butuh Perbaikan")[runs % 3]
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "koreksi_skp.csv"
        f.write_text("nip,tahun,predikat\n" + "".join(f"{x},{t},{pred}\n" for x in rows["nip"]), encoding="utf-8")
        out["first_visit_import_s"], _ = _timed(lambda: actions.import_one(con, OPERATOR, f, refresh=False))
    out["first_visit_refresh_s"], spent = _timed(lambda: actions.refresh(con))
    if any(v < 0 for v in spent.values()):
        raise RuntimeError(f"refresh failed: {spent}")
    out.update({"first_visit_refresh_" + spec.replace(":", ".") + "_s": s for spec, s in spent.items()})
    con.close()
    os.environ.setdefault("TALENTA_DUCKDB_MEMORY_LIMIT", "3GB")
    os.environ.setdefault("TALENTA_DUCKDB_THREADS", "2")
    for when in ("impor", "restart"):
        log = Path(tempfile.mkdtemp()) / "streamlit.log"
        srv = Server(db, log)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for name in FIRST_VISIT:
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = ctx.new_page()
                    page.goto(srv.url + URLS[name], timeout=600_000)
                    page.get_by_role("heading", name="Masuk ke Talenta").wait_for(timeout=600_000)
                    # the user at the login page: it has finished loading (its off-screen chart is drawn) before
                    # the form is sent, as it has when a person types a name and a password
                    page.locator(".st-key-login_warm .main-svg").first.wait_for(state="attached", timeout=60_000)
                    cpu, w = _cpu_s(srv.proc.pid), time.perf_counter()
                    sign_in(page, "admin", DEMO_PASSWORD)
                    page.wait_for_function(_PAGE_DRAWN, arg=END_MARK[name], timeout=600_000, polling="raf")
                    out[f"first_{name}_{when}_s"] = time.perf_counter() - w
                    out[f"first_{name}_{when}_cpu_s"] = _cpu_s(srv.proc.pid) - cpu
                    ctx.close()
                browser.close()
        finally:
            srv.stop()
    return out


STEPS = {"succession": step_succession, "profile": step_profile, "bigfiles": step_bigfiles, "import": step_import, "queries": step_queries, "pages": step_pages, "browser": step_browser,
         "hipo": step_hipo, "exports": step_exports, "first_visit": step_first_visit}


SCOPED_HEAD = """
## Scope and privacy (issue 14)

`python bench/scoped.py DB`: the map (summary + box counts), the pool per OPD, Ringkasan's four queries
together, and the pages, as the operator (unscoped), as an `opd` account limited to the largest OPD, and as
`tamu` (identities masked, groups under 5 suppressed with complementary cells); in brackets the change against
the operator. `tamu` reads the pool per OPD the write path published (`pool.build_published`); "tamu, not
published" is the same account with those tables set aside (a sidebar filter, an account added since the last
import): suppressed at read time. The accounts are measured interleaved (operator, opd, tamu, operator, ...) and
every figure is the median of 7 rounds, so load on a shared machine falls on all alike. Queries start from an
empty figure memo with what the write path builds built; pages are AppTest script runs with `st.cache_data` cleared before each
(the page runs its queries; the connection and the high-potential model, resources, stay). Potensi Tinggi is
timed at 21,7k only (at 5,6M its model is fitted per account: minutes, and not a scope cost). The "(CPU)"
tables time the queries again in CPU seconds of the process (all threads), which load on a shared machine
disturbs far less than wall time.
"""


def run_scoped(n: int, db: Path) -> str:
    """The markdown table of bench/scoped.py for one database ('' when it is missing or fails)."""
    if not db.exists():
        return ""
    pages = ["ringkasan", "peta", "pool"] + (["hipo"] if n <= 200_000 else [])
    out = ""
    for args in (["--name", fmt(n), "--pages", *pages], ["--name", fmt(n) + " (CPU)", "--no-pages", "--cpu"]):
        proc = subprocess.run([sys.executable, str(ROOT / "bench" / "scoped.py"), str(db), *args],
                              capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return out + f"\n{fmt(n)}: gagal ({proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else '?'})\n"
        print(proc.stdout, flush=True)
        out += "\n" + proc.stdout.strip() + "\n"
    return out


def run_step(step: str, n: int, db: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--step", step, "--n", str(n), "--db-path", str(db)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return {f"{step}_error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "gagal"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}".replace(",", "\0").replace(".", ",").replace("\0", ".") if v < 100 else \
            f"{v:,.0f}".replace(",", ".")
    if isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    return str(v)


def report(results: list[dict]) -> str:
    rows = [("employees", "pegawai"), ("instansi", "instansi"), ("import_rows", "baris diimpor"),
            ("generate_s", "bangkitkan + tulis berkas (s)"), ("import_s", "impor (s)"),
            ("import_rows_per_s", "impor: baris per detik"), ("import_peak_mb", "impor: memori puncak (MB)"),
            ("db_mb", "ukuran basis data (MB)"),
            ("map_s", "query peta talenta (s)"), ("pool_s", "query pool per OPD (s)"),
            ("map_live_s", "… peta tanpa cache skor (s)"), ("pool_live_s", "… pool tanpa cache skor (s)"),
            ("map_pool_cold_s", "peta + pool + ringkasan, pertama: membangun cache (s)"),
            ("map_pool_warm_s", "… kedua (s)"),
            ("pandas_compute_s", "referensi pandas, hitung (s)"), ("ratio_vs_pandas", "rasio pandas / Talenta"),
            ("ratio_vs_pandas_live", "rasio pandas / Talenta tanpa cache"),
            ("ratio_vs_pandas_cold", "rasio pandas / Talenta pertama (termasuk membangun cache)"),
            ("cache_build_s", "membangun cache skor satu periode (s)"),
            ("polars_compute_s", "referensi polars, hitung (s)"), ("ratio_vs_polars", "rasio polars / Talenta"),
            ("ratio_vs_polars_live", "rasio polars / Talenta tanpa cache"),
            ("map_pool_live_warm_s", "peta + pool tanpa cache, tabel sudah di memori, median 3 (s)"),
            ("polars_compute_median_s", "referensi polars, hitung, median 3 (s)"),
            ("ratio_vs_polars_live_warm", "rasio polars / Talenta tanpa cache, tabel di memori (median 3)"),
            ("ratio_vs_polars_build", "rasio polars / membangun cache skor"),
            *[(f"page_{p}_{w}_s", f"halaman {p} {w} (s)") for p in PAGES for w in ("cold", "warm")],
            *[(f"bytes_{p}", f"byte ke peramban: {p}") for p in URLS],
            ("hipo_rows", "potensi tinggi: pegawai berasesmen"), ("hipo_fit_s", "potensi tinggi: fit+bootstrap (s)"),
            ("hipo_peak_mb", "potensi tinggi: memori puncak (MB)"),
            ("profile_index_s", "profil: membangun indeks nip setelah impor (s)"),
            ("profile_s", "profil talenta: median 25 orang (s)"), ("profile_max_s", "… terlama (s)"),
            ("profile_page_s", "halaman profil: median 10 orang (s)"), ("profile_page_max_s", "… terlama (s)"),
            ("succ_jabatan_target", "suksesi: jabatan target"), ("succ_kandidat_dijumlah", "… kandidat (pasangan)"),
            ("succ_cached_targets_s", "… semua jabatan target, dari cache (s)"),
            ("succ_cached_candidates_one_post_s", "… kandidat satu jabatan, dari cache (s)"),
            ("succ_cached_rank_all_posts_s", "… peringkat kandidat semua jabatan, dari cache (s)"),
            ("succ_live_rank_all_posts_s", "… peringkat semua jabatan, tanpa cache (s)"),
            ("succ_page_cold_s", "halaman suksesi cold (s)"), ("succ_page_warm_s", "halaman suksesi warm (s)"),
            ("succ_bytes_page", "byte ke peramban: suksesi"),
            ("first_visit_import_s", "impor satu berkas kecil (s)"),
            ("first_visit_refresh_s", "… lalu membangun cache halaman (derived.refresh) (s)"),
            *[(f"first_{p}_{w}{c}_s", f"halaman {p} pertama setelah {w}{' (CPU server)' if c else ''} (s)")
              for w in ("impor", "restart") for p in FIRST_VISIT for c in ("", "_cpu")],
            ("deck_s", "deck PPTX (s)"), ("workbook_s", "workbook XLSX (s)"), ("export_gather_s", "data ekspor (s)")]
    head = "| ukuran | " + " | ".join(fmt(r["employees"]) for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for key, label in rows:
        if any(key in r for r in results):
            lines.append(f"| {label} | " + " | ".join(fmt(r.get(key, "–")) for r in results) + " |")
    errors = [f"- {r['employees']}: {k}: {v}" for r in results for k, v in r.items() if k.endswith("_error")]
    return "\n".join(lines) + ("\n\nGagal:\n" + "\n".join(errors) if errors else "")


def _commit() -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return proc.stdout.strip() or "?"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--national", action="store_true", help="include 5.6 million employees")
    ap.add_argument("--sizes", type=int, nargs="*")
    ap.add_argument("--db", action="append", default=[], help="SIZE=PATH: use an already built database")
    ap.add_argument("--skip", nargs="*", default=[], help="steps to skip")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--db-path", help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    args = ap.parse_args()
    if args.step:
        print(json.dumps(STEPS[args.step](args.n, Path(args.db_path)) if args.step == "import"
                         else STEPS[args.step](Path(args.db_path))))
        return 0
    given = {int(k): Path(v) for k, v in (x.split("=", 1) for x in args.db)}
    sizes = args.sizes or DEFAULT_SIZES + ([NATIONAL] if args.national else [])
    sizes = sorted(set(sizes) | set(given))
    machine = f"{platform.platform()}, {os.cpu_count()} core, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, Python {platform.python_version()}"
    print("Mesin:", machine, flush=True)
    results = []
    work = Path(tempfile.mkdtemp(prefix="talenta-bench-"))
    for n in sizes:
        r = {"employees": n}
        db = given.get(n) or work / f"{n}.duckdb"
        if n not in given and "import" not in args.skip:
            print(f"... {n}: import", flush=True)
            r.update(run_step("import", n, db))
        for step in ("queries", "pages", "browser", "first_visit", "hipo", "exports", "profile", "succession"):
            if step in args.skip or (step == "exports" and n > 200_000):   # deck/workbook: 21,7k and 200k
                continue
            print(f"... {n}: {step}", flush=True)
            r.update(run_step(step, n, db))
        results.append(r)
        print(report(results), flush=True)
    scoped = ""
    if "scoped" not in args.skip:
        for n in (x for x in sizes if x in (DEFAULT_SIZES[0], NATIONAL)):
            print(f"... {n}: scoped", flush=True)
            scoped += run_scoped(n, given.get(n) or work / f"{n}.duckdb")
    big = {}
    if "bigfiles" not in args.skip:
        print("... impor berkas besar", flush=True)
        big = run_step("bigfiles", 0, work / "unused")
    big_text = ("\n\nImpor berkas besar: CSV pegawai SIASN 1.000.000 baris "
                f"{fmt(big.get('csv_1m_s', '–'))} s (memori puncak {fmt(big.get('csv_1m_peak_mb', '–'))} MB); "
                f"XLSX asesmen 100.000 baris {fmt(big.get('xlsx_100k_s', '–'))} s.") if big else ""
    print(big_text.strip(), flush=True)
    text = (f"Machine: {machine}. Run: `python bench/run.py {' '.join(sys.argv[1:])}` on "
            f"{time.strftime('%Y-%m-%d %H:%M')} at commit {_commit()}.\n\n" + report(results) + big_text + "\n"
            + (SCOPED_HEAD + scoped if scoped else ""))
    out = Path(args.out)
    # the run takes the file's "latest run" part; the run it replaces moves to the end, compared figure by figure
    new, worse = results_file.write(out.read_text(encoding="utf-8") if out.exists() else "# Benchmark results\n\n",
                                    text)
    out.write_text(new, encoding="utf-8")
    print(f"{out}: {worse} angka lebih buruk dari run sebelumnya" if worse else f"{out}: ditulis", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
