"""AppTest over Kalibrasi: the committee moves a person with a reason, pimpinan closes, a closed session refuses
moves, the roles see what they may, and the map follows the basis."""
from talenta import audit, calibration, rulesets, store, talentmap
from talenta.scope import Filters, Scope
from tests.app.conftest import shown

PERIOD = 2025


def _a_placed_nip(db, box: int = 5) -> str:
    con = store.connect(db)
    try:
        rs = rulesets.active(con)
        return talentmap.placements(con, Scope(), Filters(period=PERIOD).at(PERIOD), rs, kotak=box, limit=1)["nip"].iloc[0]
    finally:
        con.close()


def _instansi(db) -> str:
    con = store.connect(db)
    try:
        return store.query_one(con, "SELECT min(instansi) FROM employee")[0]
    finally:
        con.close()


def _move_form(at, nip: str, to: int, code: str, reason: str):
    at.text_input(key="kal_nip").input(nip)
    at.selectbox(key="kal_to").set_value(to)
    at.selectbox(key="kal_code").set_value(code)
    at.text_area(key="kal_reason").input(reason)
    return next(b for b in at.button if b.label == "Pindahkan").click().run()


def test_komite_moves_a_person_and_the_map_follows_once_closed(app, db_copy):
    nip = _a_placed_nip(db_copy)
    at = app(db_copy, "views/kalibrasi.py", user="komite")
    assert not at.exception
    assert at.title[0].value.startswith("Kalibrasi")
    assert not [b for b in at.button if b.label == "Tetapkan hasil kalibrasi"]      # komite may not close
    at = _move_form(at, nip, 9, "wawancara", "Hasil wawancara: memimpin proyek lintas OPD")
    assert not at.exception and not at.error
    assert any("ke kotak 9" in s.value for s in at.success)
    moved = next(d.value for d in at.dataframe if "kode_alasan" in d.value.columns)
    row = moved.set_index("nip").loc[nip]
    assert row["kotak_terhitung"] == 5 and row["kotak_terkalibrasi"] == 9 and row["kode_alasan"] == "Hasil wawancara"
    dist = next(d.value for d in at.dataframe if "selisih" in d.value.columns).set_index("kotak")
    assert dist.loc["Kotak 9", "selisih"] == 1 and dist.loc["Kotak 5", "selisih"] == -1

    con = store.connect(db_copy)
    rows = audit.query(con, action="calibrate")
    assert len(rows) == 1 and rows["hasil"].iloc[0] == audit.OK and rows["pengguna"].iloc[0] == "komite"
    con.close()

    # an empty reason is refused on the page with the library's message, nothing recorded
    at = _move_form(at, nip, 8, "wawancara", "   ")
    assert any("wajib diisi" in e.value for e in at.error)

    # pimpinan closes; the Peta Talenta (basis otomatis) now shows the calibrated box
    at = app(db_copy, "views/kalibrasi.py", user="pimpinan")
    at.checkbox(key="kal_confirm").check().run()
    next(b for b in at.button if b.label == "Tetapkan hasil kalibrasi").click().run()
    assert not at.exception and any("ditetapkan oleh pimpinan" in s.value for s in at.success)
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    assert calibration.session(con, _instansi(db_copy), PERIOD).ditetapkan
    got = talentmap.placements(con, Scope(), Filters(period=PERIOD).at(PERIOD), rs, search=nip)
    assert got["kotak"].iloc[0] == 9 and got["kotak_terhitung"].iloc[0] == 5
    con.close()

    # a closed session: komite sees no move form; the library refuses a move anyway
    at = app(db_copy, "views/kalibrasi.py", user="komite")
    assert not at.exception
    assert not [b for b in at.button if b.label == "Pindahkan"]
    assert any("perpindahan terkunci" in c.value for c in at.caption)
    peta = app(db_copy, "views/peta.py", user="komite")
    assert any("terkalibrasi" in c.value for c in peta.caption)


def test_pimpinan_reopens_with_a_reason(app, db_copy):
    con = store.connect(db_copy)
    from talenta import accounts, actions

    inst = _instansi(db_copy)
    actions.close_calibration(con, accounts.active_user(con, "pimpinan"), inst, PERIOD)
    con.close()
    at = app(db_copy, "views/kalibrasi.py", user="pimpinan")
    next(b for b in at.button if b.label == "Buka kembali sesi").click().run()
    assert any("Alasan membuka kembali" in e.value for e in at.error)
    at.text_input(key="kal_reopen_reason").input("Data SKP susulan dari Dinas Kesehatan")
    next(b for b in at.button if b.label == "Buka kembali sesi").click().run()
    assert not at.exception
    # the reopening is said: who, when, why (review 14, 7: it named the first opener and time only)
    said = shown(next(s.value for s in at.success if "terbuka" in s.value))
    assert "terbuka kembali (dibuka kembali oleh pimpinan pada " in said, said
    assert "alasan: Data SKP susulan dari Dinas Kesehatan; dibuka pertama oleh pimpinan" in said, said
    hist = next(d.value for d in at.dataframe if "jenis" in d.value.columns)
    assert list(hist["jenis"]) == ["tetapkan", "buka_kembali"]
    assert hist["alasan"].iloc[1] == "Data SKP susulan dari Dinas Kesehatan"


def test_presentation_mode_hides_people_and_suppresses_small_cells(app, db_copy):
    from talenta import accounts, actions

    nip = _a_placed_nip(db_copy)
    con = store.connect(db_copy)
    komite = accounts.active_user(con, "komite")
    actions.calibrate(con, komite, Scope(), PERIOD, rulesets.active(con), nip, 9, "bukti_kinerja", "Sertifikat baru")
    con.close()
    at = app(db_copy, "views/kalibrasi.py", user="pimpinan")
    at.session_state["presentasi_aktif"] = True
    at.run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    assert not any("nip" in f.columns and (f["nip"] == nip).any() for f in frames)
    assert not any("alasan" in f.columns and f["alasan"].astype(str).str.contains("Sertifikat").any() for f in frames)
    assert any("kelompok kecil" in c.value.lower() or "disembunyikan" in c.value for c in at.caption)


def test_a_move_sent_after_the_session_was_closed_elsewhere_is_refused_in_words(app, db_copy):
    """Review 9, 7: a komite tab filled the move form, pimpinan closed the session in another tab, then the komite
    pressed Pindahkan: the page redrew as locked and nothing said the move and its typed reason were not recorded."""
    from talenta import accounts, actions

    nip = _a_placed_nip(db_copy)
    at = app(db_copy, "views/kalibrasi.py", user="komite")
    at.text_input(key="kal_nip").input(nip)
    at.selectbox(key="kal_to").set_value(7)
    at.text_area(key="kal_reason").input("Proyek pengadaan daring berhasil")
    con = store.connect(db_copy)
    actions.close_calibration(con, accounts.active_user(con, "pimpinan"), _instansi(db_copy), PERIOD)
    con.close()
    next(b for b in at.button if b.label == "Pindahkan").click().run()
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert "Perpindahan tidak dicatat" in said and "Proyek pengadaan daring berhasil" in said
    con = store.connect(db_copy)
    assert calibration.moves(con, Scope(), PERIOD, rulesets.active(con), _instansi(db_copy),
                             Filters(period=PERIOD)).empty
    con.close()
    at.run()                                                   # the next run no longer repeats it
    assert not [e for e in at.error if "Perpindahan tidak dicatat" in e.value]


def test_a_move_of_someone_moved_since_the_page_was_drawn_is_refused_not_silently_replaced(app, db_copy):
    """Review 14, 2: komite and admin had the page open; komite moved a person to 9, then admin, whose page never
    showed it, moved the same person to 5: both were told it worked and komite's decision was gone unseen."""
    from talenta import accounts, actions

    nip = _a_placed_nip(db_copy)
    at = app(db_copy, "views/kalibrasi.py", user="admin")
    con = store.connect(db_copy)         # komite, in another tab, moves the person after admin's page was drawn
    actions.calibrate(con, accounts.active_user(con, "komite"), Scope(), PERIOD, rulesets.active(con), nip, 9,
                      "wawancara", "komite: naik ke 9")
    con.close()
    at = _move_form(at, nip, 4, "lainnya", "admin: turun ke 4")       # computed box 5
    assert not at.exception
    said = " ".join(e.value for e in at.error)
    assert "Perpindahan tidak dicatat" in said and "kotak 9 oleh komite" in said, said
    con = store.connect(db_copy)
    m = calibration.moves(con, Scope(), PERIOD, rulesets.active(con), _instansi(db_copy), Filters(period=PERIOD))
    assert m.set_index("nip").loc[nip, "kotak_terkalibrasi"] == 9          # komite's move stands
    con.close()
    # the page now shows komite's move; sent again, admin's move is taken, knowingly
    next(b for b in at.button if b.label == "Pindahkan").click().run()
    assert not at.error and "ke kotak 4" in at.success[0].value
    # a move of somebody else by another user since the page was drawn does not refuse this one
    other = _a_placed_nip(db_copy, box=4)
    con = store.connect(db_copy)
    actions.calibrate(con, accounts.active_user(con, "komite"), Scope(), PERIOD, rulesets.active(con), other, 7,
                      "wawancara", "komite: orang lain")
    con.close()
    at = _move_form(at, nip, 6, "lainnya", "admin: ke 6")
    assert not at.error and "ke kotak 6" in at.success[0].value


def test_an_undo_after_the_session_was_closed_says_what_each_move_now_means(app, db_copy, tmp_path):
    """Review 14, 3: a correction import, two moves against it, the session closed, then the import undone. The
    page said only that some moves were made against an older computed box, while a move down now read as a move
    up and another no longer showed in the before/after matrix."""
    import pandas as pd

    from talenta import accounts, actions
    from talenta.access import OPERATOR

    con = store.connect(db_copy)
    rs = rulesets.active(con)
    people = talentmap.placements(con, Scope(), Filters(period=PERIOD).at(PERIOD), rs, kotak=5, limit=2)
    up, down = people["nip"].iloc[0], people["nip"].iloc[1]
    f = tmp_path / "koreksi_skp.csv"          # both now Sangat Baik twice: each above box 5 (kotak 8 for jpm 78-90)
    pd.DataFrame({"nip": [up, up, down, down], "tahun": [PERIOD - 1, PERIOD] * 2,
                  "predikat": ["Sangat Baik"] * 4}).to_csv(f, index=False)
    batch = actions.import_one(con, OPERATOR, f).batch
    after = talentmap.placements(con, Scope(), Filters(period=PERIOD).at(PERIOD), rs, search=down).iloc[0]["kotak"]
    assert after > 5
    komite = accounts.active_user(con, "komite")
    actions.calibrate(con, komite, Scope(), PERIOD, rs, down, after - 1, "wawancara", "turun satu kotak")
    actions.calibrate(con, komite, Scope(), PERIOD, rs, up, 5, "wawancara", "tetap di kotak 5 menurut Komite")
    actions.close_calibration(con, accounts.active_user(con, "pimpinan"), _instansi(db_copy), PERIOD)
    actions.undo(con, OPERATOR, batch)
    con.close()
    at = app(db_copy, "views/kalibrasi.py", user="komite")
    assert not at.exception
    said = shown(next(w.value for w in at.warning if "kotak terhitung lama" in w.value))
    assert said.startswith("2 perpindahan"), said
    assert f"{down}): dipindah turun dari kotak {after} ke kotak {after - 1}; kotak terhitungnya kini 5, jadi " \
           f"kotak {after - 1} kini berarti naik" in said
    assert f"{up}): dipindah turun dari kotak" in said and \
        "ke kotak 5; kotak terhitungnya kini 5, jadi perpindahan itu tidak lagi mengubah kotaknya" in said
    assert "1 perpindahan itu tidak tampil" in said and "membukanya kembali" in said
    # the history's boxes read as whole numbers (review 14, 5: "4.000000")
    hist = next(d.value for d in at.dataframe if "jenis" in d.value.columns)
    assert str(hist["kotak_ke"].dropna().iloc[0]).isdigit()
