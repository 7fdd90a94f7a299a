"""Presentation mode: masked identities, no editing controls, step through the key views."""


def test_stepper_on_every_key_view(app, db_copy):
    at = app(db_copy)
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    assert not at.exception
    assert at.title[0].value.startswith("Ringkasan")
    labels = {b.key: b.label for b in at.button}
    assert labels == {"pres_next_0": "Peta Talenta →"}
    # AppTest cannot follow st.switch_page from a click; the real click is in tests/e2e
    for page, i, title, prev, nxt in (
            ("views/pool.py", 2, "Talent Pool 2025", "← Peta Talenta", "Potensi Tinggi →"),
            ("views/peta.py", 1, "Peta Talenta 2025", "← Ringkasan", "Talent Pool per OPD →")):
        at.switch_page(page)
        at.run()
        assert at.title[0].value == title
        assert {b.key: b.label for b in at.button if b.key.startswith("pres_")} == \
            {f"pres_prev_{i}": prev, f"pres_next_{i}": nxt}


def test_masked_lists_and_no_decision_form(app, db_copy, monkeypatch):
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "3")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    at = app(db_copy, "views/hipo.py")
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    assert not at.exception
    flagged = next(d.value for d in at.dataframe if "confidence" in d.value.columns)
    assert not flagged["nip"].astype(str).str.contains(r"\d").any()
    # a masked list carries nothing that places a person or breaks a hidden count down
    assert not {"opd", "jabatan", "alasan", "kotak", "stability"} & set(flagged.columns)
    assert any("tidak tersedia dalam mode presentasi" in i.value for i in at.info)
    assert "hipo_pick" not in [s.key for s in at.selectbox]
