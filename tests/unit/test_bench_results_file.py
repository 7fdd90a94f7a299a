"""`make bench` keeps bench/RESULTS.md's history: a run replaces only the latest run's part, moves the run it
replaces to the end, and says figure by figure what got better or worse."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import results_file  # noqa: E402

OLD_RUN = """Machine: X. Run: `python bench/run.py` on 2026-11-28.

| ukuran | 21.700 | 2.000.000 |
|---|---|---|
| pegawai | 21.700 | 2.000.000 |
| impor (s) | 2,90 | 39,41 |
| impor: baris per detik | 29.349 | 199.776 |
| query pool per OPD (s) | 0,01 | 0,12 |
| referensi polars, hitung (s) | 0,06 | 1,28 |
| rasio polars / Talenta | 4,58 | – |
| halaman hipo cold (s) | 5,26 | 29,56 |"""

NEW_RUN = """Machine: X. Run: `python bench/run.py --sizes 21700` on 2026-12-04.

| ukuran | 21.700 |
|---|---|
| pegawai | 21.700 |
| impor (s) | 3,50 |
| impor: baris per detik | 25.000 |
| query pool per OPD (s) | 0,02 |
| referensi polars, hitung (s) | 0,90 |
| rasio polars / Talenta | 5,10 |
| halaman hipo cold (s) | 0,30 |
| halaman baru (s) | 1,00 |"""

FILE = ("# Benchmark results\n\n" + results_file.BEGIN + "\n" + OLD_RUN + "\n" + results_file.END +
        "\n\nHow to read it: written by hand.\n\n## Session 9\n\nMeasured by hand: 1,15 s.\n")


def test_parse_table_reads_indonesian_numbers_and_skips_dashes():
    t = results_file.parse_table(OLD_RUN)
    assert t["21.700"]["impor: baris per detik"] == 29349
    assert t["2.000.000"]["impor (s)"] == 39.41
    assert "rasio polars / Talenta" not in t["2.000.000"]


def test_a_run_keeps_the_hand_written_history_and_moves_the_run_it_replaces_to_the_end():
    new, worse = results_file.write(FILE, NEW_RUN)
    assert "How to read it: written by hand." in new and "Measured by hand: 1,15 s." in new
    assert new.index(results_file.BEGIN) < new.index(NEW_RUN.splitlines()[0]) < new.index(results_file.END)
    earlier = new.index(results_file.EARLIER)
    assert earlier > new.index("## Session 9")
    assert OLD_RUN in new[earlier:]            # the 2M column is not lost with a run of 21,7k only
    assert new.count(results_file.BEGIN) == 1 and new.count(results_file.END) == 1
    # a second run moves the first one too; both earlier runs stay
    newer, _ = results_file.write(new, NEW_RUN.replace("2026-12-04", "2026-12-05"))
    tail = newer[newer.index(results_file.EARLIER):]
    assert OLD_RUN in tail and NEW_RUN.splitlines()[0] in tail and newer.count(results_file.EARLIER) == 1


def test_each_figure_is_judged_in_its_direction_with_a_margin_for_noise():
    new, worse = results_file.write(FILE, NEW_RUN)
    part = new[new.index(results_file.BEGIN):new.index(results_file.END)]
    rows = {r.split("|")[2].strip(): r.split("|")[5].strip() for r in part.splitlines()
            if r.startswith("| 21.700 |")}
    assert rows["impor (s)"] == "lebih buruk"                 # 2,90 -> 3,50 s
    assert rows["impor: baris per detik"] == "lebih buruk"    # fewer rows per second
    assert rows["rasio polars / Talenta"] == "lebih baik"     # a higher ratio
    assert rows["halaman hipo cold (s)"] == "lebih baik"
    assert rows["query pool per OPD (s)"] == "setara"         # 0,01 -> 0,02 s: inside the noise
    assert rows["pegawai"] == "–"                             # a count of the data has no direction
    assert rows["referensi polars, hitung (s)"] == "–"        # nor has the reference's own time
    assert "halaman baru (s)" not in rows                     # nothing to compare with
    assert worse == 2 and "2 dari 7 angka lebih buruk" in part


def test_a_file_without_markers_keeps_everything_and_takes_the_run_after_its_title():
    new, worse = results_file.write("# Benchmark results\n\nOld notes.\n", NEW_RUN)
    assert new.startswith("# Benchmark results\n\n" + results_file.BEGIN)
    assert new.rstrip().endswith("Old notes.") and worse == 0 and results_file.EARLIER not in new


def test_two_figures_under_the_same_ellipsis_label_are_compared_apart():
    """Review 15, 4: "… terlama (s)" follows the profile's library time and the profile page's: read back, the second
    overwrote the first, and a 45-fold slowdown of the library read "setara"."""
    def run(lib_max, page_max):
        return ("Machine: X.\n\n| ukuran | 21.700 |\n|---|---|\n| profil talenta: median 25 orang (s) | 0,05 |\n"
                f"| … terlama (s) | {lib_max} |\n| halaman profil: median 10 orang (s) | 0,14 |\n"
                f"| … terlama (s) | {page_max} |")

    old = "# R\n\n" + results_file.BEGIN + "\n" + run("0,20", "1,00") + "\n" + results_file.END + "\n"
    new, worse = results_file.write(old, run("9,00", "1,00"))
    assert worse == 1
    assert "| 21.700 | profil talenta: median 25 orang (s) … terlama (s) | 0,20 | 9 | lebih buruk |" in new
    assert "| 21.700 | halaman profil: median 10 orang (s) … terlama (s) | 1 | 1 | setara |" in new
