"""A small database whose OPD and names hold markup, built through the normal import path (CSV files).

Used by the app and e2e tests of "data is text": an OPD named like a link, a markdown image or bold HTML
must show literally everywhere it is displayed.
"""
from __future__ import annotations

from pathlib import Path

from talenta import demo, store
from talenta.ingest import import_file

LINK_OPD = '<a href="http://127.0.0.1:9/tautan">OPD Tautan</a>'
IMAGE_OPD = "![x](http://127.0.0.1:9/x.png) Dinas Gambar"
BOLD_OPD = "<b>Dinas Tebal</b><br>Baris Dua"
HOSTILE_NAME = "<b>Budi</b> [Santoso](http://127.0.0.1:9/n) $x^2$"
# real OPD of the generated population renamed (all their employees), so each hostile OPD has people
RENAMED = {"Dinas Kesehatan": LINK_OPD, "RSUD Palembang BARI": IMAGE_OPD,
           "Dinas Lingkungan Hidup dan Kebersihan": BOLD_OPD}


def build(path: Path, work_dir: Path, n: int = 300, seed: int = 11) -> Path:
    """Generate ``n`` synthetic employees, rename three OPD and one name to markup, write the demo files
    (CSV), import them into a new database at ``path`` and add the demo accounts."""
    data = demo.generate(n, seed)
    e = data.employees
    e["opd"] = e["opd"].replace(RENAMED)
    e.loc[e.index[0], "nama"] = HOSTILE_NAME
    con = store.connect(path)
    try:
        # the e2e tabs sign in as the demo admin; made before the data (its OPD account names Dinas Kesehatan,
        # renamed here: an account limited to an OPD the data does not hold is refused)
        demo.add_demo_accounts(con, e["instansi"].iloc[0])
        for p in demo.write_files(data, work_dir, "csv"):
            r = import_file(con, p, instansi=e["instansi"].iloc[0], user="uji")
            assert r.accepted > 0, r.summary()
    finally:
        con.close()
    return path
