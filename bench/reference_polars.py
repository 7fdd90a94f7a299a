"""The lazy polars pipeline an analyst would write for the talent map and the pool per OPD.

The second reference Talenta's scoring is measured against (bench/scoring.py), next to the pandas one
(bench/reference_pandas.py): the same three tables read from the database into memory first (not timed,
as for pandas), the same default rule set, the same result shapes (box counts 1-9 and the pool per OPD with
belum_terpetakan, kotak_1..9, total, krs). bench/scoring.py checks that its counts equal Talenta's.
polars is a bench-only dependency (requirements-dev.txt).

    python bench/reference_polars.py DB_FILE PERIOD
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from talenta import rules, store  # noqa: E402

SCORES = ["nilai_potensi", "nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis"]


def read(db: str | Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The three tables in memory as polars frames (through Arrow)."""
    con = store.connect(db, read_only=True)
    emp = con.sql("SELECT nip, opd FROM employee").pl()
    perf = con.sql("SELECT nip, tahun, predikat, nilai_kinerja FROM performance").pl()
    ases = con.sql("SELECT nip, tahun, jpm, " + ", ".join(SCORES) + " FROM assessment").pl()
    con.close()
    return emp, perf, ases


def pipeline(emp: pl.DataFrame, perf: pl.DataFrame, ases: pl.DataFrame, period: int,
             rs: rules.RuleSet = rules.DEFAULT) -> pl.LazyFrame:
    """One row per employee: opd and kotak (null when not placed), as one lazy plan."""
    pts = pl.LazyFrame({"predikat": list(rs.predikat_points), "poin": [float(v) for v in rs.predikat_points.values()]})
    kin = (perf.lazy().filter(pl.col("tahun").is_between(period - rs.kinerja_years + 1, period))
           .join(pts, on="predikat", how="left")
           .group_by("nip").agg(pl.coalesce("poin", "nilai_kinerja").mean().alias("skor_kinerja")))
    w = {c: float(rs.weights[c]) for c in SCORES}
    weighted = (pl.sum_horizontal([pl.col(c) * w[c] for c in SCORES])
                / pl.sum_horizontal([pl.col(c).is_not_null() * w[c] for c in SCORES]).replace(0.0, None))
    pot = (ases.lazy().filter(pl.col("tahun").is_between(period - rs.asesmen_years + 1, period))
           .sort("tahun").group_by("nip").last()
           .select("nip", pl.col("jpm").clip(upper_bound=rs.jpm_cap).fill_null(weighted).alias("skor_potensial")))
    k = (pl.when(pl.col("skor_kinerja") >= rs.kinerja_atas - rules.EPS).then(2)
         .when(pl.col("skor_kinerja") >= rs.kinerja_sesuai - rules.EPS).then(1).otherwise(0))
    q = (pl.when(pl.col("skor_potensial") >= rs.potensial_tinggi - rules.EPS).then(2)
         .when(pl.col("skor_potensial") >= rs.potensial_menengah - rules.EPS).then(1).otherwise(0))
    grid = dict(enumerate(rules.GRID_LIST))
    return (emp.lazy().join(kin, on="nip", how="left").join(pot, on="nip", how="left")
            .select("opd", pl.when(pl.col("skor_kinerja").is_not_null() & pl.col("skor_potensial").is_not_null())
                    .then((k * 3 + q).replace_strict(grid)).alias("kotak")))


def compute(emp: pl.DataFrame, perf: pl.DataFrame, ases: pl.DataFrame, period: int,
            rs: rules.RuleSet = rules.DEFAULT) -> tuple[pd.Series, pd.DataFrame]:
    """Box counts (kotak 1-9) and the pool per OPD (belum_terpetakan, kotak_1..9, total, krs), as pandas objects
    shaped like reference_pandas.compute's (the conversion of these few rows is part of the timing)."""
    boxes = [pl.col("kotak").eq(i).sum().alias(f"kotak_{i}") for i in range(1, 10)]
    pool = (pipeline(emp, perf, ases, period, rs).group_by("opd")
            .agg(pl.col("kotak").is_null().sum().alias("belum_terpetakan"), *boxes, pl.len().alias("total"),
                 pl.col("kotak").is_in(list(rules.KRS_BOXES)).sum().alias("krs"))
            .collect().to_pandas().set_index("opd").sort_index().astype("int64"))
    counts = pool[[f"kotak_{i}" for i in range(1, 10)]].sum()
    counts.index = range(1, 10)
    return counts, pool


if __name__ == "__main__":
    t = time.perf_counter()
    tables = read(sys.argv[1])
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    counts, pool = compute(*tables, int(sys.argv[2]))
    print(f"baca {t_read:.2f} s, hitung {time.perf_counter() - t:.2f} s")
    print(counts.to_string())
