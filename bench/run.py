"""Benchmarks (run by `make bench`; never part of the test suite).

Each size runs in a fresh subprocess so that its peak memory (ru_maxrss) is its own:
generate the synthetic population, write the real-world files, import them through the normal
import path, then run the Data page once (cold) and again (warm) with Streamlit's AppTest.

    python bench/run.py                 # 21.7k, 200k, 2M
    python bench/run.py --national      # adds 5.6M
    python bench/run.py --sizes 21700   # chosen sizes
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SIZES = [21_700, 200_000, 2_000_000]
NATIONAL = 5_600_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one(n: int, workdir: Path) -> dict:
    """Measure one size (runs inside its own process)."""
    from talenta import demo, store
    from talenta.ingest import import_file

    out: dict = {"employees": n}
    t = time.perf_counter()
    data = demo.generate(n, 20251017, n_instansi=max(1, n // 21_700 if n > 200_000 else 1))
    out["generate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    paths = demo.write_files(data, workdir / "files")
    out["write_files_s"] = time.perf_counter() - t
    out["files"] = {p.name: p.stat().st_size for p in paths}
    del data
    db = workdir / "bench.duckdb"
    con = store.connect(db)
    t = time.perf_counter()
    rows = 0
    for p in paths:
        r = import_file(con, p, instansi="Pemerintah Kota Palembang", user="bench")
        rows += r.rows_read
    out["import_s"] = time.perf_counter() - t
    out["import_rows"] = rows
    out["import_rows_per_s"] = rows / out["import_s"]
    out["peak_mb_after_import"] = _peak_mb()
    con.close()
    out.update(page_times(db, "views/data.py"))
    out["peak_mb"] = _peak_mb()
    return out


def big_files(workdir: Path) -> dict:
    """Import of a 1-million-row SIASN employee CSV and of a 100k-row assessment workbook."""
    from talenta import demo, store
    from talenta.ingest import import_file

    out: dict = {}
    data = demo.generate(1_000_000, 1)
    small = demo.DemoData(data.employees, data.kinerja.iloc[:0], data.asesmen.iloc[:0], data.hipo)
    csv_path = demo.write_files(small, workdir / "big", fmt="csv")[0]
    con = store.connect(workdir / "big.duckdb")
    t = time.perf_counter()
    r = import_file(con, csv_path, instansi="Bench", user="bench")
    out["csv_1m_rows"] = r.rows_read
    out["csv_1m_s"] = time.perf_counter() - t
    out["csv_1m_peak_mb"] = _peak_mb()
    assessed = data.employees[["nip"]].iloc[:100_000].assign(tahun=2025, jpm=85.5, nilai_potensi=80.0,
                                                              nilai_manajerial=81.0, nilai_sosial_kultural=79.0,
                                                              nilai_teknis=83.0)
    xlsx = demo._write_table(assessed.rename(columns={"nip": "NIP", "tahun": "Tahun", "jpm": "JPM (%)"}),
                             workdir / "asesmen_100k", True, ["REKAP ASESMEN"], header_row=4, text_cols={"NIP"})
    t = time.perf_counter()
    r = import_file(con, xlsx, instansi="Bench", user="bench")
    out["xlsx_100k_rows"] = r.rows_read
    out["xlsx_100k_s"] = time.perf_counter() - t
    out["peak_mb"] = _peak_mb()
    return out


def page_times(db: Path, page: str) -> dict:
    """Script run time of the app with ``page`` selected: cold (empty caches) and warm."""
    os.environ["TALENTA_DB_PATH"] = str(db)
    from streamlit.testing.v1 import AppTest

    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    t = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    t = time.perf_counter()
    at.run()
    warm = time.perf_counter() - t
    return {"page_data_cold_s": cold, "page_data_warm_s": warm}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--national", action="store_true", help="include 5.6 million employees")
    ap.add_argument("--sizes", type=int, nargs="*")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--big-files", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json", help="also write the results to this JSON file")
    args = ap.parse_args()
    if args.big_files:
        with tempfile.TemporaryDirectory(prefix="talenta-bench-") as d:
            print(json.dumps(big_files(Path(d))))
        return 0
    if args.one:
        with tempfile.TemporaryDirectory(prefix="talenta-bench-") as d:
            print(json.dumps(one(args.one, Path(d))))
        return 0
    sizes = args.sizes or DEFAULT_SIZES + ([NATIONAL] if args.national else [])
    print(f"Mesin: {platform.platform()}, {os.cpu_count()} core, Python {platform.python_version()}")
    results = []
    for n in sizes:
        print(f"... {n:,} pegawai".replace(",", "."), flush=True)
        proc = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True,
                              cwd=ROOT)
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return proc.returncode
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    cols = [("employees", "pegawai", "{:,.0f}"), ("generate_s", "generate s", "{:.1f}"),
            ("write_files_s", "tulis berkas s", "{:.1f}"), ("import_rows", "baris impor", "{:,.0f}"),
            ("import_s", "impor s", "{:.1f}"), ("import_rows_per_s", "baris/s", "{:,.0f}"),
            ("peak_mb", "puncak MB", "{:,.0f}"), ("page_data_cold_s", "Data cold s", "{:.2f}"),
            ("page_data_warm_s", "Data warm s", "{:.2f}")]
    print("| " + " | ".join(c[1] for c in cols) + " |")
    print("|" + "---|" * len(cols))
    for r in results:
        print("| " + " | ".join(fmt.format(r[k]).replace(",", ".") for k, _, fmt in cols) + " |")
    print("... impor berkas besar", flush=True)
    proc = subprocess.run([sys.executable, __file__, "--big-files"], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return proc.returncode
    big = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"Impor CSV pegawai 1.000.000 baris: {big['csv_1m_s']:.1f} s (puncak {big['csv_1m_peak_mb']:.0f} MB); "
          f"impor XLSX asesmen 100.000 baris: {big['xlsx_100k_s']:.1f} s (puncak {big['peak_mb']:.0f} MB)")
    if args.json:
        Path(args.json).write_text(json.dumps({"sizes": results, "big_files": big}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
