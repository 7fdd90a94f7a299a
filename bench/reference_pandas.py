"""The plain pandas pipeline an analyst would write for the talent map and the pool per OPD.

Read the three tables, merge, compute kinerja and potensial scores and boxes with the default rule
set, group by OPD. It is the reference Talenta is measured against (bench/run.py) and is checked to
give the same counts (tests/storage/test_reference.py).

    python bench/reference_pandas.py DB_FILE PERIOD
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talenta import rules, store  # noqa: E402

SCORES = ["nilai_potensi", "nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis"]


def read(db: str | Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three tables as an analyst would have them (exported from the database)."""
    con = store.connect(db, read_only=True)
    emp = store.query_df(con, "SELECT nip, opd FROM employee")
    perf = store.query_df(con, "SELECT nip, tahun, predikat, nilai_kinerja FROM performance")
    ases = store.query_df(con, "SELECT nip, tahun, jpm, " + ", ".join(SCORES) + " FROM assessment")
    con.close()
    return emp, perf, ases


def compute(emp: pd.DataFrame, perf: pd.DataFrame, ases: pd.DataFrame, period: int,
            rs: rules.RuleSet = rules.DEFAULT) -> tuple[pd.Series, pd.DataFrame]:
    """Box counts (kotak 1-9) and the pool per OPD (total, kotak_1..9, belum_terpetakan, krs)."""
    p = perf[(perf["tahun"] > period - rs.kinerja_years) & (perf["tahun"] <= period)].copy()
    p["poin"] = p["predikat"].map(rs.predikat_points).astype(float).fillna(p["nilai_kinerja"])
    kin = p.dropna(subset=["poin"]).groupby("nip")["poin"].mean().rename("skor_kinerja")
    a = ases[(ases["tahun"] <= period) & (ases["tahun"] > period - rs.asesmen_years)]
    a = a.sort_values("tahun").groupby("nip").tail(1).set_index("nip")
    w = pd.Series(rs.weights)
    vals = a[SCORES]
    weighted = (vals * w).sum(axis=1) / vals.notna().mul(w).sum(axis=1).replace(0, np.nan)
    pot = a["jpm"].clip(upper=rs.jpm_cap).fillna(weighted).rename("skor_potensial")
    df = emp.set_index("nip").join(kin).join(pot)
    k = np.select([df["skor_kinerja"] >= rs.kinerja_atas - rules.EPS, df["skor_kinerja"] >= rs.kinerja_sesuai - rules.EPS],
                  [2, 1], 0)
    q = np.select([df["skor_potensial"] >= rs.potensial_tinggi - rules.EPS,
                   df["skor_potensial"] >= rs.potensial_menengah - rules.EPS], [2, 1], 0)
    grid = np.array(rules.GRID_LIST)
    df["kotak"] = np.where(df["skor_kinerja"].notna() & df["skor_potensial"].notna(), grid[k * 3 + q], 0)
    counts = df.loc[df["kotak"] > 0, "kotak"].value_counts().reindex(range(1, 10), fill_value=0)
    pool = pd.crosstab(df["opd"], df["kotak"]).reindex(columns=range(10), fill_value=0)
    pool.columns = ["belum_terpetakan"] + [f"kotak_{i}" for i in range(1, 10)]
    pool["total"] = pool.sum(axis=1)
    pool["krs"] = pool[["kotak_7", "kotak_8", "kotak_9"]].sum(axis=1)
    return counts, pool


if __name__ == "__main__":
    t = time.perf_counter()
    tables = read(sys.argv[1])
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    counts, pool = compute(*tables, int(sys.argv[2]))
    print(f"baca {t_read:.2f} s, hitung {time.perf_counter() - t:.2f} s")
    print(counts.to_string())
