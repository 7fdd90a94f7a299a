"""AppTest over Potensi Tinggi: the page says flags are suggestions, lists them with reasons, records decisions."""
from talenta import hipo, rulesets, store


def test_page_lists_flags_and_records_a_decision(app, db_copy, monkeypatch):
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "4")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    at = app(db_copy, "views/hipo.py")
    assert not at.exception
    assert "Saran, bukan keputusan" in at.warning[0].value
    flagged = next(d.value for d in at.dataframe if "alasan" in d.value.columns)
    assert len(flagged) > 0 and flagged["alasan"].str.contains("% rekan").all()
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


def test_long_flag_lists_are_capped_on_screen_and_any_flagged_nip_can_be_decided(app, db_copy, monkeypatch):
    from talenta.ui import tables

    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "4")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    monkeypatch.setattr(tables, "SCREEN_ROWS", 3)
    at = app(db_copy, "views/hipo.py")
    assert not at.exception
    flagged = next(d.value for d in at.dataframe if "alasan" in d.value.columns)
    assert len(flagged) == 3
    assert len(at.selectbox(key="hipo_pick").options) == 3
    assert any("teratas menurut keyakinan" in c.value for c in at.caption)
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    con.close()
    # a NIP that is not flagged is refused with a message, nothing is recorded
    at.text_input(key="hipo_pick_nip").input("199001012021211003")
    at.button[0].click().run()
    assert any("tidak ada di antara pegawai yang ditandai" in e.value for e in at.error)
    con = store.connect(db_copy)
    assert len(hipo.decisions(con, 2025)) == 0
    con.close()
    # a flagged NIP below the on-screen cut can still be decided (the same model the page fitted)
    from talenta.config import Settings
    from talenta.scope import Filters, Scope

    con = store.connect(db_copy)
    result = hipo.run(con, Scope(), Filters(period=2025).at(2025), rs, Settings().hipo_params())
    con.close()
    ranked = hipo.ranked(result.table[result.table["hipo"]])
    assert len(ranked) > 3
    below = ranked["nip"].iloc[3]
    at.text_input(key="hipo_pick_nip").input(below)
    at.radio(key="hipo_decision").set_value("perlu kajian")
    at.button[0].click().run()
    assert not at.exception
    con = store.connect(db_copy)
    assert hipo.decisions(con, 2025).set_index("nip").loc[below, "keputusan"] == "perlu kajian"
    con.close()


def test_one_fitted_model_is_shared_by_reruns_and_refit_after_an_import(db_copy, monkeypatch):
    """The model is a shared resource (no 3,5-million-row copy per rerun) that an import or undo discards."""
    from talenta.config import Settings
    from talenta.scope import Filters, Scope
    from talenta.ui import actions, queries

    monkeypatch.setenv("TALENTA_DB_PATH", str(db_copy))
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "2")
    con = store.connect(db_copy)
    rs = rulesets.active(con)
    con.close()
    args = (Scope(), Filters(period=2025), rs, Settings.from_env().hipo_params())
    first = queries.hipo_result(*args)
    assert queries.hipo_result(*args) is first
    view, cells = queries.hipo_view(*args, 10)
    assert view.n == len(first.table) and len(view.flagged) <= 10 and cells["n"].sum() == len(first.table)
    actions.clear_caches()                     # what the import page calls after an import or an undo
    assert queries.hipo_result(*args) is not first


def test_only_the_open_tab_is_sent_and_each_list_opens_with_its_count(app, db_copy, monkeypatch):
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "2")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    at = app(db_copy, "views/hipo.py")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "tidak di kotak 7-8-9" not in captions and "yang tidak ditandai" not in captions
    assert any("Klaster" == d.value.index.name for d in at.dataframe)          # the cluster x box table
    at.session_state["hipo_tab"] = "Talenta tersembunyi"
    at.run()
    assert not at.exception
    hidden = next(c.value for c in at.caption if "tidak di kotak 7-8-9" in c.value)
    shown = [d.value for d in at.dataframe if "alasan" in d.value.columns]
    assert len(shown) == 2                                                    # the flagged list and this one
    n = int(hidden.split(" pegawai")[0].replace(".", ""))
    assert n > 0 and len(shown[1]) == min(n, 500)
    assert not shown[1]["kotak"].isin(["7", "8", "9"]).any()      # unplaced ones read "–"
    at.session_state["hipo_tab"] = "Di KRS, tidak ditandai"
    at.run()
    verify = [d.value for d in at.dataframe if "alasan" in d.value.columns][1]
    assert len(verify) > 0 and verify["kotak"].isin(["7", "8", "9"]).all()
    assert any("yang tidak ditandai" in c.value for c in at.caption)


def test_an_opd_filter_lists_the_same_flags_as_the_whole_city_only_fewer(app, db_copy, monkeypatch):
    """Issue 16: a committee member who filters Potensi Tinggi to one OPD sees the same flags, fewer of them;
    the page reconciles the cluster with the flags and keeps the method for analysts in an expander."""
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "2")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    at = app(db_copy, "views/hipo.py")
    assert not at.exception
    whole = next(d.value for d in at.dataframe if "alasan" in d.value.columns).set_index("nip")
    assert any("beranggotakan" in i.value and "minimal 80 %" in i.value for i in at.info)
    assert any(e.label == "Metode (untuk analis)" for e in at.expander)
    assert not any("BIC" in c.value for c in at.caption)            # the jargon stays in the expander
    opd = whole["opd"].value_counts().index[0]
    at.sidebar.multiselect(key="flt_opd").select(opd).run()
    assert not at.exception
    part = next(d.value for d in at.dataframe if "alasan" in d.value.columns).set_index("nip")
    assert 0 < len(part) < len(whole) and set(part["opd"]) == {opd}
    cols = ["confidence", "cluster", "status", "alasan"]
    assert part[cols].equals(whole.loc[part.index, cols])
    assert set(part.index) == set(whole.index[whole["opd"] == opd])   # every flag of that OPD, none else


def test_page_reads_the_stored_model_without_fitting_or_loading_it(app, db_copy, monkeypatch):
    from talenta.config import Settings
    from talenta.ui import queries

    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "4")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    con = store.connect(db_copy)
    with store.transaction(con) as cur:         # the demo build stored a model with other parameters: only this one
        cur.execute("DELETE FROM hipo_result")
        cur.execute("DELETE FROM hipo_result_key")
    hipo.build_latest(con, Settings.from_env().hipo_params())      # what the write path does after an import
    n_flagged = store.query_one(con, "SELECT count(*) FILTER (hipo) FROM hipo_result")[0]
    con.close()

    def refuse(*a, **k):
        raise AssertionError("the page fitted or loaded the whole model")
    monkeypatch.setattr(hipo, "fit", refuse)
    monkeypatch.setattr(hipo, "stored", refuse)     # the whole model's rows: only for downloads and decisions
    at = app(db_copy, "views/hipo.py")
    assert not at.exception
    assert at.metric[1].value == f"{n_flagged:,}".replace(",", ".")
    flagged = next(d.value for d in at.dataframe if "alasan" in d.value.columns)
    assert 0 < len(flagged) <= n_flagged and flagged["confidence"].min() >= 0.8
    assert any("Jumlah klaster" in m.value for m in at.markdown)


def test_tamu_gets_a_sentence_instead_of_an_empty_scatter_and_counts_read_in_indonesian(app, db_copy, monkeypatch):
    """A dot of the cluster scatter is a person: ``tamu`` is told why the chart is not there (it used to be empty
    axes); the cluster x box table writes its counts as every page does (3.843, not 3843), for every role."""
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "4")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "4")
    tamu, admin = app(db_copy, "views/hipo.py", user="tamu"), app(db_copy, "views/hipo.py", user="admin")
    assert not tamu.exception and not admin.exception
    assert any("setiap titik bisa menunjuk satu orang" in i.value for i in tamu.info)
    assert not any("setiap titik" in i.value for i in admin.info)
    charts = lambda at: [c for c in at.get("plotly_chart")]  # noqa: E731
    assert len(charts(admin)) == len(charts(tamu)) + 1
    table = next(d.value for d in admin.dataframe if "Kotak 9" in d.value.columns)
    cells = table.to_numpy().ravel().tolist()
    # written by fmt.num (the demo's counts are under 1.000 here: text, not numbers the grid would print bare)
    assert all(isinstance(c, str) and c.replace(".", "").isdigit() for c in cells), cells
    # every assessed employee can be downloaded wherever the lists may be (masked for tamu, as the lists are):
    # no command to type
    labels = lambda at: [b.proto.label for b in at.get("download_button")]  # noqa: E731
    assert "Unduh semua pegawai berasesmen (CSV)" in labels(admin)
    assert not any("python -m talenta" in c.value for at in (admin, tamu) for c in at.caption)
    # tamu: aggregates only, told so (not "0 teratas dari 342" over an empty table), and no download of people
    assert any("hanya memuat angka agregat" in i.value for i in tamu.info)
    assert not any("teratas menurut keyakinan" in c.value for c in tamu.caption)
    assert not labels(tamu)
