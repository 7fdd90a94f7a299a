"""Units lie inside OPD: the OPD grouping and the unit grouping of the same masked view must not give a hidden count
by subtraction (hostile pass, session 22: tamu saw 'RSUD Gandus' 7 and 'RSUD Gandus (RSUD Gandus)' 6 beside a
hidden 'UPT Laboratorium RSUD Gandus (RSUD Gandus)': 1 person)."""
import numpy as np
import pandas as pd

from talenta import access, pool, rulesets, store
from talenta.ingest import import_file
from talenta.scope import Filters

TAMU = access.scope_for(access.User("t", "t", "tamu"), presentation=False, min_group=5)
FIGURES = ["total", *pool.BOX_COLS, "belum_terpetakan", "krs"]


def test_an_opd_minus_its_shown_units_is_never_a_small_count(db_copy, tmp_path):
    con = store.connect(db_copy)
    emp = store.query_df(con, "SELECT nip, nama, opd, unit_kerja FROM employee ORDER BY nip")
    # one person of each of a few OPD to a unit of his own (the unit named as the hostile pass did)
    opds = emp["opd"].value_counts()
    picked = emp[emp["opd"].isin(opds[opds >= 7].index[:6])].groupby("opd").head(1)
    moved = tmp_path / "pindah_unit.csv"
    pd.DataFrame({"NIP": picked["nip"], "NAMA": picked["nama"], "OPD": picked["opd"],
                  "UNIT_KERJA": "UPT Laboratorium " + picked["opd"]}).to_csv(moved, index=False)
    assert import_file(con, moved).accepted == len(picked)
    rs, flt = rulesets.active(con), Filters(period=2025)
    by_opd = pool.pool_table(con, TAMU, flt, rs, by="opd").set_index("group")
    by_unit = pool.pool_table(con, TAMU, flt, rs, by="unit_kerja")
    # "Unit (OPD · Instansi)" lies in "OPD (Instansi)" when the view spans several instansi, "Unit (OPD)" in "OPD"
    by_unit["opd"] = by_unit["group"].str.extract(r"\((.*)\)$", expand=False).str.replace(
        r"^(.*) · (.*)$", r"\1 (\2)", regex=True)
    assert by_unit["opd"].notna().all()
    checked = 0
    for opd, units in by_unit.groupby("opd"):
        for c in FIGURES:
            whole = by_opd.loc[opd, c]
            if pd.isna(whole):
                continue
            rest = int(whole) - int(units[c].dropna().sum())
            assert rest == 0 or rest >= 5, (opd, c, whole, units[c].tolist())
            checked += units[c].isna().any()
    assert checked          # some hidden unit cells were looked at
    # the lone units themselves are hidden whole
    lone = by_unit[by_unit["group"].str.startswith("UPT Laboratorium ")]
    assert len(lone) == len(picked) and lone["total"].isna().all()
    con.close()


def _pairs(con, outer, inner):
    return store.query_df(con, f"SELECT DISTINCT {pool.group_sql(outer)} AS o, {pool.group_sql(inner)} AS i "
                               "FROM employee e")


def test_nested_groupings_give_no_hidden_count_by_subtraction(db_copy):
    """An eselon lies in one jenis jabatan ('Non-eselon' in Fungsional and Pelaksana together), a golongan in PNS or
    in the two PPPK: a table's shown row beside the shown rows of the other table that make it up must not give a
    hidden count (either way: the hidden rows of the finer table, or a hidden cell of the coarser)."""
    con = store.connect(db_copy)
    rs, flt = rulesets.active(con), Filters(period=2025)
    hidden = 0
    for outer, inner in (("jenis_jabatan", "eselon"), ("jenis_asn", "golongan")):
        coarse = pool.pool_table(con, TAMU, flt, rs, by=outer).set_index("group")
        fine = pool.pool_table(con, TAMU, flt, rs, by=inner).set_index("group")
        pairs = _pairs(con, outer, inner)
        # the blocks: outer values joined by a shared inner value ("Non-eselon": Fungsional + Pelaksana)
        block = {o: o for o in pairs["o"]}
        for _, same in pairs.groupby("i"):
            roots = sorted({block[o] for o in same["o"]})
            for o, b in list(block.items()):
                if b in roots:
                    block[o] = roots[0]
        for b in set(block.values()):
            outers = [o for o in block if block[o] == b]
            inners = pairs.loc[pairs["o"].isin(outers), "i"].unique()
            for c in FIGURES:
                big, small = coarse.loc[outers, c], fine.loc[inners, c]
                if big.notna().all() and small.isna().any():
                    rest = int(big.sum()) - int(small.dropna().sum())
                    assert rest == 0 or rest >= 5, (outer, outers, c, big.tolist(), small.tolist())
                if small.notna().all() and big.isna().any():
                    rest = int(small.sum()) - int(big.dropna().sum())
                    assert rest == 0 or rest >= 5, (inner, outers, c, big.tolist(), small.tolist())
                hidden += int(small.isna().sum())
    assert hidden           # the finer tables do hide counts
    con.close()
