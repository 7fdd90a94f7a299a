"""Riwayat jabatan, hukuman disiplin, diklat and formasi files through the normal importer and the
command line: stored, rejected with reasons, re-imported, undone exactly, dependent on their master."""
import json

import pytest

from talenta import store
from talenta.errors import DependentBatchesError
from talenta.ingest import import_file
from talenta.ingest.loader import preview, undo_batch, undo_plan

from .corpus import KNOWN, MASTER, UNKNOWN_VALID
from .test_cli import cli

RIWAYAT_1 = ("NIP_BARU,JABATAN_NAMA,JENIS_JABATAN,ESELON_ID,UNOR_INDUK_NAMA,TMT_JABATAN,TMT_SELESAI\n"
             f"{KNOWN[0]},Kepala Seksi A,Struktural,41,Dinas Uji,01-01-2015,\n"
             f"{UNKNOWN_VALID},Kepala Seksi A,Struktural,41,Dinas Uji,01-01-2015,\n")
# the next export: the pengawas post has ended, an administrator post began
RIWAYAT_2 = ("NIP_BARU,JABATAN_NAMA,JENIS_JABATAN,ESELON_ID,UNOR_INDUK_NAMA,TMT_JABATAN,TMT_SELESAI\n"
             f"{KNOWN[0]},Kepala Seksi A,Struktural,41,Dinas Uji,01-01-2015,29-02-2020\n"
             f"{KNOWN[0]},Kepala Bidang B,Struktural,32,Dinas Uji,01-03-2020,\n")
FORMASI_1 = ("OPD,JABATAN,ESELON,NIP_PEMANGKU,KRITIKAL\n"
             f"Dinas Uji,Kepala Bidang B,III.b,{KNOWN[1]},ya\nDinas Uji,Kepala Seksi C,IV.a,,\n")
FORMASI_2 = f"OPD,JABATAN,ESELON,NIP_PEMANGKU,KRITIKAL\nDinas Uji,Kepala Bidang B,III.b,{KNOWN[0]},ya\n"


def _file(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _rows(con, sql):
    cur = con.cursor()
    rel = cur.sql(sql)
    names = rel.columns
    out = [dict(zip(names, r)) for r in rel.fetchall()]
    cur.close()
    return out


@pytest.fixture
def con(tmp_path):
    c = store.connect(tmp_path / "s.duckdb")
    assert import_file(c, _file(tmp_path, "master.csv", MASTER), instansi="Pemerintah Kota Uji").accepted == 3
    return c


def test_riwayat_update_and_undo_restore_the_earlier_state(con, tmp_path):
    r1 = import_file(con, _file(tmp_path, "r1.csv", RIWAYAT_1))
    assert (r1.kinds, r1.accepted, r1.rejected) == (["riwayat_jabatan"], 1, 1)
    assert "NIP belum ada di data pegawai" in r1.rejected_rows["message"][0]
    before = _rows(con, "SELECT * EXCLUDE (batch_id) FROM riwayat_jabatan ORDER BY ALL")
    r2 = import_file(con, _file(tmp_path, "r2.csv", RIWAYAT_2))
    now = _rows(con, "SELECT jabatan, eselon, tmt_selesai FROM riwayat_jabatan ORDER BY tmt_mulai")
    assert [(r["jabatan"], r["eselon"]) for r in now] == [("Kepala Seksi A", "IV.a"), ("Kepala Bidang B", "III.b")]
    assert str(now[0]["tmt_selesai"]) == "2020-02-29" and now[1]["tmt_selesai"] is None
    assert undo_plan(con, r2.batch).columns == {"riwayat_jabatan": ["nip", "jabatan", "jenis_jabatan", "eselon", "opd",
                                                                     "tmt_mulai", "tmt_selesai"]}
    undo_batch(con, r2.batch)
    assert _rows(con, "SELECT * EXCLUDE (batch_id) FROM riwayat_jabatan ORDER BY ALL") == before
    again = import_file(con, _file(tmp_path, "r2.csv", RIWAYAT_2))      # undone bytes import again
    assert again.status == "diimpor" and again.accepted == 2


def test_master_undo_needs_its_dependents(con, tmp_path):
    r = import_file(con, _file(tmp_path, "r1.csv", RIWAYAT_1))
    h = import_file(con, _file(tmp_path, "h.csv", f"NIP,TINGKAT_HUKUMAN,JENIS_HUKUMAN,TMT_HUKUMAN\n{KNOWN[2]},Berat,"
                                                  "Penurunan jabatan,01-02-2025\n"))
    d = import_file(con, _file(tmp_path, "d.csv", f"NIP,NAMA_DIKLAT,TAHUN\n{KNOWN[0]},Diklatpim Tingkat IV,2012\n"))
    f = import_file(con, _file(tmp_path, "f.csv", FORMASI_1), instansi="Pemerintah Kota Uji")
    assert [x.accepted for x in (r, h, d, f)] == [1, 1, 1, 2]
    plan = undo_plan(con, 1)
    assert [b for b, _ in plan.dependents] == [r.batch, h.batch, d.batch, f.batch]
    with pytest.raises(DependentBatchesError):
        undo_batch(con, 1)
    counts = undo_batch(con, 1, with_dependents=[r.batch, h.batch, d.batch, f.batch])
    assert {t: counts[t] for t in ("riwayat_jabatan", "hukuman_disiplin", "diklat", "formasi")} == \
        {"riwayat_jabatan": 1, "hukuman_disiplin": 1, "diklat": 1, "formasi": 2}
    for t in ("employee", "riwayat_jabatan", "hukuman_disiplin", "diklat", "formasi"):
        assert store.query_one(con, "SELECT count(*) FROM " + t)[0] == 0, t


def test_formasi_holder_changes_then_undo_brings_the_holder_back(con, tmp_path):
    f1 = import_file(con, _file(tmp_path, "f1.csv", FORMASI_1), instansi="Pemerintah Kota Uji")
    posts = _rows(con, "SELECT jabatan_id, jabatan, pemangku_nip, kritikal FROM formasi ORDER BY jabatan")
    assert [(p["jabatan"], p["pemangku_nip"], p["kritikal"]) for p in posts] == [
        ("Kepala Bidang B", KNOWN[1], True), ("Kepala Seksi C", None, False)]
    same_id = store.query_one(con, "SELECT jabatan_id('Pemerintah Kota Uji', 'Dinas Uji', 'Kepala Bidang B')")[0]
    assert posts[0]["jabatan_id"] == same_id
    import_file(con, _file(tmp_path, "f2.csv", FORMASI_2), instansi="Pemerintah Kota Uji")
    assert store.query_one(con, "SELECT pemangku_nip FROM formasi WHERE jabatan = 'Kepala Bidang B'")[0] == KNOWN[0]
    undo_batch(con, f1.batch + 1)
    assert _rows(con, "SELECT jabatan_id, jabatan, pemangku_nip, kritikal FROM formasi ORDER BY jabatan") == posts


def test_preview_counts_unknown_pemangku(con, tmp_path):
    p = _file(tmp_path, "f.csv", FORMASI_1 + f"Dinas Uji,Kepala Seksi D,IV.a,{UNKNOWN_VALID},tidak\n")
    pv = preview(con, p, instansi="Pemerintah Kota Uji")
    assert (pv.kinds, pv.rows_read, pv.rejected_now, pv.unknown_nip) == (["formasi"], 3, 0, 1)


def test_cli_import_json_and_undo_for_the_new_kinds(tmp_path):
    db = tmp_path / "c.duckdb"
    master = _file(tmp_path, "master.csv", MASTER)
    riwayat = _file(tmp_path, "r1.csv", RIWAYAT_1)
    r = cli("import", str(master), str(riwayat), "--json", db=db)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out[1]["kinds"] == ["riwayat_jabatan"] and out[1]["per_kind"] == {"riwayat_jabatan": 1}
    assert (out[1]["rows_read"], out[1]["accepted"], out[1]["rejected"]) == (2, 1, 1)
    rej = tmp_path / "ditolak.csv"
    assert cli("rejected", "--out", str(rej), db=db).returncode == 0
    assert "nip_tidak_terdaftar" in rej.read_text(encoding="utf-8")
    u = cli("undo", str(out[1]["batch"]), db=db)
    assert u.returncode == 0 and "1 riwayat jabatan" in u.stdout
