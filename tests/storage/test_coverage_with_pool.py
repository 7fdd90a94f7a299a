"""The masked coverage per OPD with the Talent Pool beside it (review 20b, 8): an OPD's 'lengkap' is its placed count,
which the pool table publishes; with it, pegawai - ada_kinerja - ada_asesmen + lengkap gave back a hidden small
count of employees with neither record."""
import pandas as pd

from talenta import overview, pool, privacy, rulesets, store
from talenta.scope import Filters, Scope

T = 2025


def test_no_small_part_follows_from_the_coverage_and_the_pools_placed_count(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs, scope, flt = rulesets.active(con), Scope().masked(5), Filters(period=T)
    cov = overview.coverage_by_opd(con, scope, flt.at(T), rs).set_index("opd")
    pt = pool.pool_table(con, scope, flt.at(T), rs, "opd").set_index("group")
    raw = overview.coverage_by_opd(con, Scope(), flt.at(T), rs).set_index("opd")
    parts = pd.DataFrame({"kin": raw["ada_kinerja"] - raw["lengkap"], "ases": raw["ada_asesmen"] - raw["lengkap"],
                          "neither": raw["pegawai"] - raw["ada_kinerja"] - raw["ada_asesmen"] + raw["lengkap"]})
    assert privacy.small(parts.to_numpy().ravel(), 5).any(), "the demo has an OPD with a small part"
    for opd, r in cov.iterrows():
        placed = pt.loc[opd, "total"] - pt.loc[opd, "belum_terpetakan"] if opd in pt.index else pd.NA
        known = {"pegawai": r["pegawai"], "kin": r["ada_kinerja"], "ases": r["ada_asesmen"],
                 "lengkap": r["lengkap"] if pd.notna(r["lengkap"]) else placed}
        if any(pd.isna(v) for v in known.values()):
            continue
        for name, value in (("kin", known["kin"] - known["lengkap"]), ("ases", known["ases"] - known["lengkap"]),
                            ("neither", known["pegawai"] - known["kin"] - known["ases"] + known["lengkap"])):
            assert not privacy.small(value, 5), (opd, name, value)
