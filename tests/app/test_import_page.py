"""AppTest over the Impor Data page: quarantine table, filters, history and undo."""
import pytest

from talenta import labels, store
from talenta.ingest import import_file


def _bad_file(tmp_path, demo_data):
    nip = demo_data.employees["nip"].iloc[3]
    p = tmp_path / "skp_rusak.csv"
    p.write_text(f"nip;tahun;predikat\n{nip};2025;Istimewa\n{nip[:-1]};2025;B\n197002022000031004;2025;B\n",
                 encoding="utf-8")
    return p


def test_page_lists_rejected_rows_with_reasons(app, db_copy, tmp_path, demo_data):
    con = store.connect(db_copy)
    r = import_file(con, _bad_file(tmp_path, demo_data))
    con.close()
    assert r.rejected == 3
    at = app(db_copy, "views/impor.py")
    assert not at.exception
    assert at.title[0].value == "Impor Data"
    rej = next(d.value for d in at.dataframe if "pesan" in d.value.columns)
    assert rej["baris"].tolist() == [2, 3, 4]
    assert set(rej["reason"]) == {labels.reason(c) for c in ("predikat_tidak_dikenal", "nip_panjang",
                                                             "nip_tidak_terdaftar")}
    assert "NIP tidak 18 digit" in set(rej["reason"])      # a name a user reads, never the code
    assert all(m.startswith(f"Baris {b}") for m, b in zip(rej["pesan"], rej["baris"]))
    at.multiselect(key="imp_rej_code").select("nip_panjang").run()
    rej = next(d.value for d in at.dataframe if "pesan" in d.value.columns)
    assert rej["baris"].tolist() == [3]


def _undo_info(at):
    return next(d.value for d in at.dataframe if "hal" in d.value.columns)


def test_undo_needs_a_chosen_batch_and_its_number_typed(app, db_copy, tmp_path, demo_data):
    con = store.connect(db_copy)
    nip = demo_data.employees["nip"].iloc[5]
    p = tmp_path / "skp_baru.csv"
    p.write_text(f"nip,tahun,predikat\n{nip},2026,Sangat Kurang\n", encoding="utf-8")
    r = import_file(con, p)
    con.close()
    at = app(db_copy, "views/impor.py")
    assert at.selectbox(key="imp_undo_pick").value is None          # nothing pre-selected after an import
    assert not [b for b in at.button if b.key == "imp_undo_go"]
    at.selectbox(key="imp_undo_pick").select(r.batch).run()
    info = dict(zip(_undo_info(at)["hal"], _undo_info(at)["isi"]))
    assert info["Berkas"] == "skp_baru.csv" and info["Isi"] == "Kinerja (SKP)"
    assert info["Baris"] == "1 dibaca, 1 diterima" and info["Kolom yang ditulis"] == \
        "Kinerja (SKP): NIP, Tahun, Predikat kinerja, Rating hasil kerja, Rating perilaku kerja"   # one fact
    assert at.button(key="imp_undo_go").disabled
    at.text_input(key="imp_undo_confirm").input(str(r.batch - 1)).run()     # the wrong number
    assert at.button(key="imp_undo_go").disabled
    at.text_input(key="imp_undo_confirm").input(str(r.batch)).run()
    assert not at.button(key="imp_undo_go").disabled
    at.button(key="imp_undo_go").click().run()
    assert not at.exception
    assert any(f"Batch {r.batch} dibatalkan" in s.value for s in at.success)
    assert at.selectbox(key="imp_undo_pick").value is None and r.batch not in at.selectbox(key="imp_undo_pick").options
    con = store.connect(db_copy)
    assert store.query_one(con, "SELECT count(*) FROM performance WHERE tahun = 2026")[0] == 0


def test_undo_of_the_master_shows_and_undoes_its_dependents(app, db_copy):
    con = store.connect(db_copy)
    batches = store.query_df(con, "SELECT batch_id, file_name, kinds FROM import_batch ORDER BY batch_id")
    con.close()
    master = int(batches.loc[batches["kinds"].map(lambda k: list(k) == ["pegawai"]), "batch_id"].iloc[0])
    others = [int(b) for b in batches["batch_id"] if b != master]
    at = app(db_copy, "views/impor.py")
    at.selectbox(key="imp_undo_pick").select(master).run()
    assert any("harus ikut dibatalkan" in w.value for w in at.warning)
    assert not any("keputusan suksesi" in w.value for w in at.warning)     # nobody calibrated or proposed yet
    deps = next(d.value for d in at.dataframe if "batch" in d.value.columns and "file" in d.value.columns)
    assert deps["batch"].tolist() == others
    at.text_input(key="imp_undo_confirm").input(str(master)).run()
    assert at.button(key="imp_undo_go").disabled                     # the dependents are not confirmed yet
    at.checkbox(key="imp_undo_with").check().run()
    at.button(key="imp_undo_go").click().run()
    assert not at.exception
    assert any(f"bersama batch {', '.join(map(str, others))}" in s.value for s in at.success)
    con = store.connect(db_copy)
    assert store.query_one(con, "SELECT (SELECT count(*) FROM employee) + (SELECT count(*) FROM performance) + "
                                "(SELECT count(*) FROM assessment), count(*) FILTER (undone_at IS NULL) "
                                "FROM import_batch") == (0, 0)


@pytest.mark.parametrize("build", ["xlsx_huge_declared_dimension", "xlsx_password_protected", "csv_utf16_with_bom"])
def test_hostile_uploads_are_refused_on_the_page_without_a_traceback(app, db_copy, tmp_path, build):
    """The page level of the hostile corpus: the Impor Data preview refuses or decodes, the server stays up."""
    from tests.shown import shown
    from tests.storage import corpus

    path, expect = getattr(corpus, build)(tmp_path)
    at = app(db_copy, "views/impor.py")
    at.file_uploader(key="imp_files").upload(path.name, path.read_bytes(),
                                             "text/csv" if path.suffix == ".csv" else "application/octet-stream").run()
    assert not at.exception
    errors = " ".join(shown(e.value) for e in at.error)
    if expect.file_error:
        assert expect.file_error in errors and "Traceback" not in errors
        assert not [b for b in at.button if b.key == "imp_go"]
    else:
        assert not errors and at.button(key="imp_go").label == "Impor 1 berkas"


def _texts(at):
    from tests.shown import shown
    return [shown(m.value) for m in list(at.markdown) + list(at.caption) + list(at.success) + list(at.warning)
            + list(at.error)]


def test_a_master_without_nama_previews_and_imports_the_same(app, db_copy, demo_data):
    """Review 5 item 8: the preview promised '1 diterima', the import then failed ('Terjadi kesalahan tak
    terduga'). Now both reject the new NIP's row on Nama, and the known NIP is updated."""
    known = demo_data.employees["nip"].iloc[2]
    data = f"NIP_BARU,UNOR_INDUK_NAMA\n199002072015031006,Dinas Uji\n{known},Dinas Pindahan\n".encode()
    at = app(db_copy, "views/impor.py")
    at.file_uploader(key="imp_files").upload("tanpa_nama.csv", data, "text/csv").run()
    assert not at.exception
    assert any("Perkiraan: 1 diterima, 1 ditolak karena isinya" in t for t in _texts(at)), _texts(at)
    rej = next(d.value for d in at.dataframe if "pesan" in d.value.columns)
    assert rej["baris"].tolist() == [2] and "tidak punya kolom Nama" in rej["pesan"][0]
    at.button(key="imp_go").click().run()
    assert not at.exception
    said = " ".join(_texts(at))
    assert "tak terduga" not in said and "2 baris dibaca = 1 diterima + 1 ditolak" in said


def test_a_formasi_ending_with_kepala_posts_previews_every_post(app, db_copy):
    """Review 5 item 4: the preview read 'Formasi jabatan · 1 baris' for four posts."""
    data = ("JABATAN,OPD,ESELON,PEMANGKU_NIP,KRITIKAL\nSekretaris Dinas Uji,Dinas Uji Formasi,III.a,,ya\n"
            "Kepala Bidang Uji,Dinas Uji Formasi,III.b,,tidak\nKepala Seksi Uji Satu,Dinas Uji Formasi,IV.a,,tidak\n"
            "Kepala Seksi Uji Dua,Dinas Uji Formasi,IV.a,,tidak\n").encode()
    at = app(db_copy, "views/impor.py")
    at.file_uploader(key="imp_files").upload("f01.csv", data, "text/csv").run()
    assert not at.exception
    assert any("Perkiraan: 4 diterima, 0 ditolak" in t for t in _texts(at)), _texts(at)
    assert not any("penutup" in t for t in _texts(at))


def test_re_uploading_an_imported_file_makes_no_import_estimate(app, db_copy, demo_data):
    """Review 5 item 18: the preview said "sudah diimpor ... tidak mengubah apa pun" and beside it "Perkiraan:
    1 diterima, 1 ditolak". An imported file's preview now reports what its rows are, not what an import would do."""
    known = demo_data.employees["nip"].iloc[2]
    data = f"NIP_BARU,UNOR_INDUK_NAMA\n199002072015031006,Dinas Uji\n{known},Dinas Pindahan\n".encode()
    at = app(db_copy, "views/impor.py")
    at.file_uploader(key="imp_files").upload("ulang.csv", data, "text/csv").run()
    at.button(key="imp_go").click().run()
    assert not at.exception
    at = app(db_copy, "views/impor.py")
    at.file_uploader(key="imp_files").upload("ulang.csv", data, "text/csv").run()
    assert not at.exception
    said = _texts(at) + [i.value for i in at.info]
    assert any("sudah diimpor" in t and "tidak mengubah apa pun" in t for t in said), said
    assert not any("Perkiraan" in t or "akan ditolak" in t for t in said), said
    assert any("1 baris lolos, 1 tidak lolos karena isinya" in t for t in said), said
    assert any("Baris yang tidak lolos pemeriksaan (1)" in t for t in said), said


def test_files_chosen_together_preview_and_import_master_first(app, db_copy):
    """A kinerja file chosen before the master that brings its new NIPs (review 10, 5): the preview counted its
    rows as rejected ("NIP belum ada") and the import, in the order chosen, rejected them. Now employee files
    import first, and the preview counts the rows the master makes known."""
    new = ["199002072015031006", "199001202015031019"]
    skp = ("NIP,TAHUN,PREDIKAT\n" + "".join(f"{n},2025,Baik\n" for n in new)).encode()
    master = ("NIP_BARU,NAMA,UNOR_INDUK_NAMA\n" + "".join(f"{n},Pegawai Baru {i},Dinas Uji\n"
                                                          for i, n in enumerate(new))).encode()
    at = app(db_copy, "views/impor.py")
    at.file_uploader(key="imp_files").upload("skp.csv", skp, "text/csv").upload("pegawai.csv", master, "text/csv").run()
    assert not at.exception
    said = _texts(at)
    assert any("Perkiraan: 2 diterima, 0 ditolak karena isinya, 0 ditolak karena NIP" in t for t in said), said
    assert any(t.startswith("2 baris dengan NIP dari berkas data pegawai yang ikut diunggah") for t in said), said
    at.button(key="imp_go").click().run()
    assert not at.exception
    con = store.connect(db_copy)
    assert store.query_one(con, "SELECT count(*) FROM performance WHERE list_contains($n, nip) AND tahun = 2025",
                           {"n": new})[0] == 2
    assert store.query_df(con, "SELECT file_name FROM import_batch ORDER BY batch_id DESC LIMIT 2")[
        "file_name"].tolist() == ["skp.csv", "pegawai.csv"]


def test_the_undo_plan_names_the_decisions_on_employees_it_removes(app, db_copy):
    """Hostile pass, session 22: undoing the master removed a calibrated employee without a word before the
    confirmation (the decision's wording is tested in tests/storage/test_undo_decisions.py)."""
    from talenta import accounts, actions, rulesets, talentmap
    from talenta.scope import Filters, Scope

    con = store.connect(db_copy)
    rs = rulesets.active(con)
    nip = talentmap.placements(con, Scope(), Filters(period=2025, basis="terhitung"), rs, kotak=5).iloc[0]["nip"]
    actions.calibrate(con, accounts.active_user(con, "komite"), Scope(), 2025, rs, nip, 8, "wawancara", "Panel")
    master = store.query_one(con, "SELECT min(batch_id) FROM import_batch WHERE list_contains(kinds, 'pegawai')")[0]
    con.close()
    at = app(db_copy, "views/impor.py")
    at.selectbox(key="imp_undo_pick").select(master).run()
    assert any("mengeluarkan 1 pegawai yang tercatat dalam keputusan suksesi atau perpindahan kalibrasi" in w.value
               for w in at.warning)
    shown = next(d.value for d in at.dataframe if "keputusan" in d.value.columns)
    assert shown["nip"].tolist() == [nip] and shown["keputusan"].iloc[0].startswith("dipindahkan dari kotak 5 ke kotak 8")
