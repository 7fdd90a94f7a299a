"""The import is one forward pass: rows whose NIP is not in the master are rejected before anything is
written (each row once, with its message), only accepted rows are stored, and a store that fails
half-way changes nothing."""
import pytest

from talenta import quarantine, store
from talenta.ingest import import_file, loader
from talenta.ingest.loader import preview

from .corpus import KNOWN, MASTER, UNKNOWN_VALID

OTHER_UNKNOWN = "197002022000031005"
# kinerja and asesmen in one file: a known row with both, an unknown NIP with kinerja only, another
# unknown NIP with asesmen only, an unknown NIP with both
BOTH = ("NIP,TAHUN,PREDIKAT,JPM\n"
        f"{KNOWN[0]},2025,Baik,80\n"
        f"{UNKNOWN_VALID},2025,Baik,\n"
        f"{OTHER_UNKNOWN},2025,,70\n"
        f"{KNOWN[1]},2025,Sangat Baik,85\n")


def _file(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _count(con, table):
    cur = con.cursor()
    try:
        return cur.execute("SELECT count(*) FROM " + table).fetchall()[0][0]
    finally:
        cur.close()


TABLES = ["employee", "employee_history", "performance", "performance_history", "assessment",
          "assessment_history", "rejected_row", "import_batch", "import_batch_column"]


@pytest.fixture
def con(tmp_path):
    c = store.connect(tmp_path / "f.duckdb")
    assert import_file(c, _file(tmp_path, "master.csv", MASTER), instansi="Pemerintah Kota Uji").accepted == 3
    yield c
    c.close()


def test_unknown_nips_are_rejected_once_each_and_never_stored(con, tmp_path):
    path = _file(tmp_path, "skp_asesmen.csv", BOTH)
    pv = preview(con, path)
    # the preview's estimate is what the import then does: each unknown row counted once
    assert (pv.rows_read, pv.rejected_now, pv.unknown_nip) == (4, 0, 2)
    r = import_file(con, path)
    assert (r.rows_read, r.accepted, r.rejected) == (4, 2, 2)
    assert pv.rows_read - pv.rejected_now - pv.unknown_nip == r.accepted
    assert r.per_kind == {"kinerja": 2, "asesmen": 2}
    recorded = quarantine.rejected_rows(con, r.batch)
    assert recorded["baris"].tolist() == [3, 4] == pv.rejected["baris"].tolist()
    assert recorded["pesan"].tolist() == [
        f"Baris 3, kolom NIP: nilai '{UNKNOWN_VALID}' NIP belum ada di data pegawai; impor data pegawai (SIASN) "
        "lebih dulu, lalu impor ulang berkas ini.",
        f"Baris 4, kolom NIP: nilai '{OTHER_UNKNOWN}' NIP belum ada di data pegawai; impor data pegawai (SIASN) "
        "lebih dulu, lalu impor ulang berkas ini."]
    cur = con.cursor()
    stored = cur.execute("SELECT nip FROM performance_history WHERE batch_id = ? UNION ALL "
                         "SELECT nip FROM assessment_history WHERE batch_id = ?", [r.batch, r.batch]).fetchall()
    cur.close()
    assert sorted(n for (n,) in stored) == sorted(KNOWN[:2] * 2)


def test_a_master_and_its_kinerja_in_one_file_need_no_earlier_master(tmp_path):
    c = store.connect(tmp_path / "g.duckdb")
    text = ("NIP,NAMA,UNOR_INDUK_NAMA,TAHUN,PREDIKAT\n"
            f"{UNKNOWN_VALID},Budi,Dinas Uji,2024,Baik\n{UNKNOWN_VALID},Budi,Dinas Uji,2025,Sangat Baik\n")
    r = import_file(c, _file(tmp_path, "gabung.csv", text), instansi="Pemerintah Kota Uji")
    assert (r.accepted, r.rejected, r.per_kind) == (2, 0, {"pegawai": 1, "kinerja": 2})
    assert _count(c, "performance") == 2
    c.close()


def test_a_store_failing_half_way_changes_nothing(con, tmp_path, monkeypatch):
    before = {t: _count(con, t) for t in TABLES}
    real = loader._upsert

    def failing(cur, table, frame, batch):
        if table == "assessment":            # after the kinerja rows were written in the transaction
            raise RuntimeError("disk penuh")
        return real(cur, table, frame, batch)

    monkeypatch.setattr(loader, "_upsert", failing)
    with pytest.raises(RuntimeError):
        import_file(con, _file(tmp_path, "skp_asesmen.csv", BOTH))
    assert {t: _count(con, t) for t in TABLES} == before
    monkeypatch.setattr(loader, "_upsert", real)
    r = import_file(con, _file(tmp_path, "skp_asesmen.csv", BOTH))     # the same bytes import afterwards
    assert (r.status, r.accepted) == ("diimpor", 2)
