"""AppTest over Potensi Tinggi: the page says flags are suggestions, lists them with reasons, records decisions."""
from talenta import hipo, rulesets, store


def test_page_lists_flags_and_records_a_decision(app, db_copy, monkeypatch):
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "4")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    at = app(db_copy, "views/hipo.py")
    assert not at.exception
    assert "Saran, bukan keputusan" in at.warning[0].value
    flagged = next(d.value for d in at.dataframe if "alasan" in d.value.columns)
    assert len(flagged) > 0 and flagged["alasan"].str.contains("persentil").all()
    assert flagged["confidence"].min() >= 0.8
    nip = at.selectbox(key="hipo_pick").value
    at.radio(key="hipo_decision").set_value("disetujui")
    at.text_area(key="hipo_note").input("Rapat Komite 12 Desember")
    at.button[0].click().run()
    assert not at.exception
    con = store.connect(db_copy)
    got = hipo.decisions(con, 2025).set_index("nip").loc[nip]
    assert got["keputusan"] == "disetujui" and got["catatan"] == "Rapat Komite 12 Desember"
    flagged = next(d.value for d in at.dataframe if "alasan" in d.value.columns)
    assert flagged.set_index("nip").loc[nip, "keputusan"] == "disetujui"
