"""Scope and privacy cost (issue 14): the talent-map and pool queries, and the key pages, as the operator
(unscoped), as an OPD-limited account and as `tamu` (identities masked, small groups suppressed).

    python bench/scoped.py DB [DB ...]              # prints a markdown table (`make bench` adds it to RESULTS.md)
    python bench/scoped.py --rounds 7 --no-pages DB

The machine may be shared: the three accounts are measured **interleaved** (operator, opd, tamu, operator,
...), each figure is the **median of ``--rounds`` rounds** (7 by default), so load falls on all three alike.
Queries: each run from an empty figure memo with what the write path builds built (``derived.refresh``, as after
an import): the cost of the queries themselves. ``tamu`` reads the pool per OPD the write path published
(``pool.build_published``); "tamu, not published" is the same account with those tables set aside, as a view with
a sidebar filter or an account added since the last import reads: suppressed at read time. The queries write
what the write path builds into DB (use a copy). Pages: Streamlit's AppTest script time of a page visit with every ``st.cache_data`` entry
cleared (the page really runs its queries; the connection and the high-potential model, both resources, stay).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACCOUNTS = ("operator", "opd", "tamu", "tamu, not published")
PAGES = {"ringkasan": "views/ringkasan.py", "peta": "views/peta.py", "pool": "views/pool.py", "hipo": "views/hipo.py"}
QUERY_KEYS = ("map_s", "pool_s", "landing_s")
# wall time by default; --cpu: the process's CPU time (all threads), steadier than wall time on a loaded machine
CLOCK = time.perf_counter


def _interleaved(fns: dict[str, dict[str, object]], rounds: int, before=None) -> dict[str, dict[str, float]]:
    """Median over ``rounds`` of each ``fns[account][name]()``, accounts interleaved within each round."""
    times: dict[str, dict[str, list[float]]] = {a: {k: [] for k in f} for a, f in fns.items()}
    for a, f in fns.items():                   # warm-up: every account once (caches built, code loaded)
        for k, fn in f.items():
            if before:
                before()
            fn()
    for _ in range(rounds):
        for name in next(iter(fns.values())):
            for a, f in fns.items():
                if before:
                    before()
                t = CLOCK()
                f[name]()
                times[a][name].append(CLOCK() - t)
    return {a: {k: statistics.median(v) for k, v in d.items()} for a, d in times.items()}


def _largest_opd(con) -> str:
    return con.execute("SELECT opd FROM employee GROUP BY opd ORDER BY count(*) DESC, opd LIMIT 1").fetchone()[0]


def queries(db: Path, rounds: int = 7) -> dict[str, dict[str, float]]:
    from talenta import access, derived, pool, rulesets, store, talentmap
    from talenta.scope import Filters, Scope

    con = store.connect(db)
    derived.refresh(con)                # what an import builds (idempotent: nothing when it is there)
    pool.build_published(con, threshold=5)      # at the threshold measured below, whatever TALENTA_MIN_GROUP says
    rs = rulesets.active(con)
    opd = _largest_opd(con)
    scopes = {
        "operator": Scope(),
        "opd": access.scope_for(access.User("b", "b", "opd", opd=(opd,)), presentation=False, min_group=5),
        "tamu": access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=5),
    }
    f = Filters(period=2025)

    def calls(s):
        return {
            "map_s": lambda: (talentmap.summary(con, s, f.at(2025), rs), talentmap.box_counts(con, s, f.at(2025), rs)),
            "pool_s": lambda: pool.pool_table(con, s, f.at(2025), rs, "opd"),
            # what Ringkasan asks for in one visit: headline figures, boxes, unplaced reasons, the OPD table
            "landing_s": lambda: (talentmap.summary(con, s, f.at(2025), rs), talentmap.box_counts(con, s, f.at(2025), rs),
                                  talentmap.unplaced_counts(con, s, f.at(2025), rs),
                                  pool.pool_table(con, s, f.at(2025), rs, "opd")),
        }

    def unpublished(fn):
        def go():
            real = pool._read_published
            pool._read_published = lambda *a, **k: None
            try:
                return fn()
            finally:
                pool._read_published = real
        return go

    fns = {a: calls(s) for a, s in scopes.items()}
    fns["tamu, not published"] = {k: unpublished(fn) for k, fn in calls(scopes["tamu"]).items()}
    out = _interleaved(fns, rounds, before=talentmap.forget_figures)
    con.close()
    return out


def pages(db: Path, rounds: int = 7, names: tuple[str, ...] = tuple(PAGES)) -> dict[str, dict[str, float]]:
    os.environ["TALENTA_DB_PATH"] = str(db)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from talenta import accounts, store, talentmap
    from talenta.access import OPERATOR

    # Accounts of the bench's own, with a random password nobody knows, disabled again at the end: the bench signs
    # in through the session hook and never writes the demo accounts, their public password or the demo mark into
    # the database it is given (review 8, D5).
    import secrets

    con = store.connect(db)
    password = secrets.token_urlsafe(24)
    mine = {"operator": ("bench_admin", "admin", {}), "opd": ("bench_opd", "opd", {"opd": [_largest_opd(con)]}),
            "tamu": ("bench_tamu", "tamu", {})}
    for name, role, limits in mine.values():
        if accounts.get(con, name) is None:
            accounts.add_user(con, OPERATOR, name, role, password, **limits)
        else:
            accounts.set_password(con, OPERATOR, name, password)
            accounts.change_role(con, OPERATOR, name, role, **limits)
            accounts.enable_user(con, OPERATOR, name)
    con.close()
    users = {a: name for a, (name, _, _) in mine.items()}

    def visit(user: str, script: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
        at.session_state["auth_user"] = user
        at.run()
        at.switch_page(script)
        return at

    apps = {a: {p: visit(u, PAGES[p]) for p in names} for a, u in users.items()}

    def run(at: AppTest):
        def go():
            at.run()
            if at.exception:
                raise RuntimeError(at.exception[0].message)
        return go

    def fresh():
        st.cache_data.clear()
        talentmap.forget_figures()

    try:
        return _interleaved({a: {p: run(at) for p, at in d.items()} for a, d in apps.items()}, rounds, before=fresh)
    finally:
        con = store.connect(db)
        for name, _, _ in mine.values():
            accounts.disable_user(con, OPERATOR, name)
        con.close()


def _f(x: float) -> str:
    return f"{x:.3f}".replace(".", ",")


def _pct(x: float, base: float) -> str:
    return f"{(x / base - 1) * 100:+.0f} %" if base else "–"


def table(rows: list[tuple[str, dict, dict]], page_names: tuple[str, ...]) -> str:
    """Markdown: one row per (database, account); each figure with its change against the operator's."""
    head = ["database", "account", "map (s)", "pool (s)", "Ringkasan's queries (s)",
            *[f"page {p} (s)" for p in page_names]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, q, p in rows:
        for a in ACCOUNTS:
            cells = [name, a]
            for src, keys in ((q, QUERY_KEYS), (p, page_names)):
                for k in keys:
                    if a not in src or k not in src[a]:
                        cells.append("–")
                        continue
                    v, base = src[a][k], src["operator"][k]
                    cells.append(_f(v) + ("" if a == "operator" else f" ({_pct(v, base)})"))
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dbs", nargs="+")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--no-pages", action="store_true")
    ap.add_argument("--pages", nargs="*", default=list(PAGES), help="pages to time (default: all four)")
    ap.add_argument("--json", action="store_true", help="print the raw medians as JSON as well")
    ap.add_argument("--name", help="the database's name in the table (default: the file name)")
    ap.add_argument("--cpu", action="store_true", help="CPU time of the process instead of wall time")
    args = ap.parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    names = () if args.no_pages else tuple(args.pages)
    rows = []
    for db in args.dbs:
        q = queries(Path(db), args.rounds)
        p = pages(Path(db), args.rounds, names) if names else {}
        rows.append((args.name or Path(db).name, q, p))
        if args.json:
            print(json.dumps({"db": db, "queries": q, "pages": p}), flush=True)
    print(table(rows, names), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
