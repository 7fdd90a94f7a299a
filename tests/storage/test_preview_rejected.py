"""The import preview lists the rows the import would reject, the same rows the import then records."""
import pytest

from talenta import quarantine, store
from talenta.ingest import import_file
from talenta.ingest.loader import preview


@pytest.fixture
def demo(db_copy):
    con = store.connect(db_copy)
    yield con, None
    con.close()


def _bad_file(tmp_path, nip):
    p = tmp_path / "skp_rusak.csv"
    p.write_text(f"nip;tahun;predikat\n{nip};2025;Istimewa\n{nip[:-1]};2025;B\n197002022000031004;2025;B\n"
                 f"{nip};2024;B\n", encoding="utf-8")
    return p


def test_preview_lists_the_rows_the_import_rejects(demo, tmp_path):
    con, _ = demo
    nip = con.sql("SELECT min(nip) FROM employee").fetchall()[0][0]
    path = _bad_file(tmp_path, nip)
    pv = preview(con, path)
    assert pv.rejected["baris"].tolist() == [2, 3, 4]          # row 5 is fine
    assert pv.rejected_now + pv.unknown_nip == len(pv.rejected)
    by_row = pv.rejected.set_index("baris")
    assert by_row.loc[4, "reason"] == "nip_tidak_terdaftar"    # a NIP not in the master: known before importing
    assert by_row.loc[2, "reason"] == "predikat_tidak_dikenal" and "Istimewa" in by_row.loc[2, "pesan"]
    assert all(m.startswith(f"Baris {b}") for b, m in zip(pv.rejected["baris"], pv.rejected["pesan"]))
    r = import_file(con, path)
    recorded = quarantine.rejected_rows(con, r.batch)
    assert recorded["baris"].tolist() == pv.rejected["baris"].tolist()
    assert recorded["pesan"].tolist() == pv.rejected["pesan"].tolist()


def test_a_clean_file_previews_no_rejected_rows(demo, tmp_path):
    con, _ = demo
    nip = con.sql("SELECT min(nip) FROM employee").fetchall()[0][0]
    p = tmp_path / "skp_baik.csv"
    p.write_text(f"nip;tahun;predikat\n{nip};2024;B\n", encoding="utf-8")
    assert preview(con, p).rejected.empty
