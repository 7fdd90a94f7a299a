"""Scope and privacy cost (issue 14): the talent-map and pool queries, and every key page, as the operator
(unscoped), as an OPD-limited account and as `tamu` (identities masked, small groups suppressed).

    python bench/scoped.py DB [DB ...]          # prints a markdown table; `make bench` appends it to RESULTS.md

Each figure is the best of three warm runs (the score cache built first, as after an import).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _best(fn, n: int = 3) -> float:
    """Best of ``n`` runs, each from an empty figure memo (talentmap): the queries' own cost, score cache built."""
    from talenta import talentmap

    fn()
    out = []
    for _ in range(n):
        talentmap.forget_figures()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def queries(db: Path) -> dict[str, dict[str, float]]:
    from talenta import access, pool, rulesets, store, talentmap
    from talenta.scope import Filters, Scope

    con = store.connect(db)
    rs = rulesets.active(con)
    opd = con.execute("SELECT opd FROM employee GROUP BY opd ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    scopes = {
        "operator": Scope(),
        "opd": access.scope_for(access.User("b", "b", "opd", opd=(opd,)), presentation=False, min_group=5),
        "tamu": access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=5),
    }
    f = Filters(period=2025)
    out = {}
    for name, s in scopes.items():
        out[name] = {
            "map_s": _best(lambda: (talentmap.summary(con, s, f, 2025, rs), talentmap.box_counts(con, s, f, 2025, rs))),
            "pool_s": _best(lambda: pool.pool_table(con, s, f, 2025, rs, "opd")),
            # what Ringkasan asks for in one visit: headline figures, boxes, unplaced reasons, the OPD table
            "landing_s": _best(lambda: (talentmap.summary(con, s, f, 2025, rs),
                                        talentmap.box_counts(con, s, f, 2025, rs),
                                        talentmap.unplaced_counts(con, s, f, 2025, rs),
                                        pool.pool_table(con, s, f, 2025, rs, "opd"))),
        }
    con.close()
    return out


def pages(db: Path) -> dict[str, dict[str, float]]:
    os.environ["TALENTA_DB_PATH"] = str(db)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from talenta import accounts, demo, store
    from talenta.access import OPERATOR

    con = store.connect(db)
    demo.add_demo_accounts(con)
    opd = con.execute("SELECT opd FROM employee GROUP BY opd ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    if accounts.get(con, "bench_opd") is None:
        accounts.add_user(con, OPERATOR, "bench_opd", "opd", demo.DEMO_PASSWORD, opd=[opd])
    con.close()
    out: dict[str, dict[str, float]] = {}
    for user in ("admin", "bench_opd", "tamu"):
        st.cache_data.clear()
        st.cache_resource.clear()
        row = {}
        for name, script in {"ringkasan": "views/ringkasan.py", "peta": "views/peta.py", "pool": "views/pool.py",
                             "hipo": "views/hipo.py"}.items():
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
            at.session_state["auth_user"] = user
            at.run()
            at.switch_page(script)
            at.run()                       # first visit (fills the caches of this page)
            if at.exception:
                raise RuntimeError(f"{user} {name}: {at.exception[0].message}")
            row[name] = _best(at.run, 2)
        out[user] = row
    return out


def main(dbs: list[str]) -> None:
    print("| database | account | map (s) | pool (s) | Ringkasan | Peta | Talent Pool | Potensi Tinggi |")
    print("|---|---|---|---|---|---|---|---|")
    for db in dbs:
        q, p = queries(Path(db)), pages(Path(db))
        for acc, page_user in (("operator", "admin"), ("opd", "bench_opd"), ("tamu", "tamu")):
            pg = p[page_user]
            print(f"| {Path(db).name} | {acc} | {q[acc]['map_s']:.3f} | {q[acc]['pool_s']:.3f} | "
                  f"{pg['ringkasan']:.2f} | {pg['peta']:.2f} | {pg['pool']:.2f} | {pg['hipo']:.2f} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
