"""AppTest over the Talent Pool's "Uji kesetaraan": one sentence per basis, the table, masking for a guest."""


def sentences(at):
    return [x.value for x in [*at.info, *at.warning] if "di KRS" in x.value or "Disembunyikan" in x.value]


def open_tab(at):
    """The Talent Pool runs only its open tab: open "Uji kesetaraan"."""
    assert not any(h.value == "Uji kesetaraan" for h in at.subheader)
    at.session_state["pool_tab"] = "Uji kesetaraan"
    return at.run()


def test_talent_pool_says_in_one_sentence_whether_a_group_is_under_represented(app, db_copy):
    at = open_tab(app(db_copy, "views/pool.py"))
    assert not at.exception
    assert any(h.value == "Uji kesetaraan" for h in at.subheader)
    said = sentences(at)
    assert len(said) == 2                                   # computed and calibrated side by side
    assert "selisih" in said[0] and "poin" in said[0] and ("bermakna" in said[0])
    assert any("Belum ada hasil kalibrasi" in c.value for c in at.caption)
    table = next(d.value for d in at.dataframe if {"n", "krs_persen", "group"} <= set(d.value.columns))
    assert set(table["group"]) == {"Perempuan", "Laki-laki"}
    assert table["krs_persen"].max() > 1                     # percent
    at.selectbox(key="fair_by").set_value("opd").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if {"n", "krs_persen", "group"} <= set(d.value.columns)
                 and len(d.value) > 2)
    assert len(table) > 10


def test_a_guest_sees_no_small_group_in_the_fairness_table(app, db_copy):
    at = open_tab(app(db_copy, "views/pool.py", user="tamu"))
    assert not at.exception
    at.selectbox(key="fair_by").set_value("golongan").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe if {"n", "krs_persen", "group"} <= set(d.value.columns)]
    assert tables
    for t in tables:
        for v in (t["n"], t["krs"], t["n"] - t["krs"]):
            assert not ((v > 0) & (v < 5)).any()
    assert any("lainnya" in c.value for c in at.caption)


def test_a_guest_reads_one_basis_and_no_box_share_per_group(app, db_copy):
    """A guest read each group's share of every box (share x the group's count = a box count the Talent Pool hides)
    and both bases side by side (their difference per group = the people the Komite moved there, an open session's
    moves included) (review 20b, 1 and 2)."""
    from talenta import accounts, actions, rulesets, store, talentmap
    from talenta.scope import Filters, Scope

    con = store.connect(db_copy)
    rs = rulesets.active(con)
    komite = accounts.active_user(con, "komite")
    people = talentmap.placements(con, Scope(), Filters(period=2025, basis="terhitung").at(2025), rs, kotak=5, placed=True)
    for nip in people["nip"].head(3):         # an open session: three people into KRS
        actions.calibrate(con, komite, Scope(), 2025, rs, nip, 9, "wawancara", "uji")
    con.close()
    at = open_tab(app(db_copy, "views/pool.py", user="tamu"))
    at.selectbox(key="fair_by").set_value("jenis_kelamin").run()
    assert not at.exception
    assert len(sentences(at)) == 1 and any(m.value == "**Kotak terhitung**" for m in at.markdown)
    assert not any(m.value == "**Kotak terkalibrasi**" for m in at.markdown)
    assert not any("Sebaran kotak per kelompok" in e.label for e in at.expander)
    at = open_tab(app(db_copy, "views/pool.py"))          # an analyst still compares both, with the box shares
    at.selectbox(key="fair_by").set_value("jenis_kelamin").run()
    assert len(sentences(at)) == 2 and any("Sebaran kotak per kelompok" in e.label for e in at.expander)
