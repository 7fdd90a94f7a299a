"""AppTest over the Impor Data page: quarantine table, filters, history and undo."""
from talenta import store
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
    assert set(rej["reason"]) == {"predikat_tidak_dikenal", "nip_panjang", "nip_tidak_terdaftar"}
    assert all(m.startswith(f"Baris {b}") for m, b in zip(rej["pesan"], rej["baris"]))
    at.multiselect(key="imp_rej_code").select("nip_panjang").run()
    rej = next(d.value for d in at.dataframe if "pesan" in d.value.columns)
    assert rej["baris"].tolist() == [3]


def test_undo_from_the_page(app, db_copy, tmp_path, demo_data):
    con = store.connect(db_copy)
    nip = demo_data.employees["nip"].iloc[5]
    p = tmp_path / "skp_baru.csv"
    p.write_text(f"nip,tahun,predikat\n{nip},2026,Sangat Kurang\n", encoding="utf-8")
    r = import_file(con, p)
    con.close()
    at = app(db_copy, "views/impor.py")
    at.selectbox(key="imp_undo_pick").select(r.batch).run()
    assert at.button(key="imp_undo_go").disabled
    at.checkbox(key="imp_undo_sure").check().run()
    at.button(key="imp_undo_go").click().run()
    assert not at.exception
    assert any(f"Batch {r.batch} dibatalkan" in s.value for s in at.success)
    con = store.connect(db_copy)
    assert store.query_one(con, "SELECT count(*) FROM performance WHERE tahun = 2026")[0] == 0
