"""Ringkasan (issue 16 item 6): the change since the previous period on each headline figure, the placed size
beside the KRS shares, and the lists per unit kerja when one OPD is chosen."""
from talenta import pool, rulesets, store, talentmap
from talenta.scope import Filters, Scope
from talenta.ui import fmt


def _summaries(db, flt):
    con = store.connect(db)
    rs = rulesets.active(con)
    now = talentmap.summary(con, Scope(), Filters(**{**flt, "period": 2025}), rs)
    before = talentmap.summary(con, Scope(), Filters(**{**flt, "period": 2024}), rs)
    con.close()
    return now, before


def test_headline_figures_show_the_change_since_the_previous_period(app, db_copy):
    at = app(db_copy)
    assert not at.exception
    now, before = _summaries(db_copy, {})
    m = {x.label: x for x in at.metric}
    for key, label in (("terpetakan", "Terpetakan"), ("kotak_9", "Kotak 9"), ("kotak_1", "Kotak 1")):
        assert m[label].delta == f"{fmt.change(now[key] - before[key])} dari 2024", label
    points = now["krs_persen"] - before["krs_persen"]          # a percentage already
    assert m["KRS (kotak 7-8-9)"].delta == f"{fmt.change(points, 1, 'poin')} dari 2024"
    assert now["terpetakan"] != before["terpetakan"]        # the demo's periods differ: the check is not trivial
    assert "2024" in m["Terpetakan"].help


def test_first_period_has_no_change(app, db_copy):
    at = app(db_copy)
    at.sidebar.selectbox(key="flt_period").select(min(at.sidebar.selectbox(key="flt_period").options, key=int)).run()
    assert not at.exception
    assert all(not m.delta for m in at.metric)


def test_lists_carry_the_placed_size(app, db_copy):
    at = app(db_copy)
    con = store.connect(db_copy)
    table = pool.pool_table(con, Scope(), Filters(period=2025).at(2025), rulesets.active(con), "opd").set_index("group")
    con.close()
    best = next(d.value for d in at.dataframe if "terpetakan" in d.value.columns)
    best = best.data if hasattr(best, "data") else best
    for group, placed in zip(best["group"], best["terpetakan"]):
        assert placed == table.loc[group, "total"] - table.loc[group, "belum_terpetakan"]


def test_one_opd_switches_the_lists_to_its_unit_kerja(app, db_copy):
    at = app(db_copy)
    at.sidebar.multiselect(key="flt_opd").select("Dinas Kesehatan").run()
    assert not at.exception
    con = store.connect(db_copy)
    flt = Filters(period=2025, opd=("Dinas Kesehatan",))
    units = pool.pool_table(con, Scope(), flt.at(2025), rulesets.active(con), "unit_kerja")
    con.close()
    best, worst = pool.strongest_weakest(units, 5, 5)
    shown = [d.value.data if hasattr(d.value, "data") else d.value for d in at.dataframe
             if "terpetakan" in (d.value.data if hasattr(d.value, "data") else d.value).columns]
    assert shown[0]["group"].tolist() == best["group"].tolist() and len(best) >= 2
    assert shown[1]["group"].tolist() == worst["group"].tolist()
    assert not set(shown[0]["group"]) & set(shown[1]["group"])
    assert "Dinas Kesehatan" not in set(shown[0]["group"])              # units, not the OPD itself
    assert any(m.value == "**Unit kerja dengan bagian KRS tertinggi**" for m in at.markdown)


def test_a_barely_loaded_period_is_offered_not_opened_and_named_as_such(app, db_copy, tmp_path):
    """40 SKP rows for 2026 (one OPD's early upload) made 2026 everyone's landing view, reading "Terpetakan -4.858"
    against 2025 (review 10, 4). The dashboard opens on 2025; chosen, 2026 says it is barely loaded."""
    import pandas as pd

    from talenta import overview
    from talenta.ingest import import_file

    con = store.connect(db_copy)
    nips = store.query_df(con, "SELECT nip FROM employee WHERE substr(nip, 9, 4) <= '2025' ORDER BY nip LIMIT 40")
    path = tmp_path / "skp_2026.csv"
    pd.DataFrame({"NIP": nips["nip"], "TAHUN": 2026, "PREDIKAT": "Baik"}).to_csv(path, index=False)
    assert import_file(con, path).accepted == 40
    counts = overview.period_counts(con)
    assert overview.periods(con) == counts["tahun"].tolist() and counts["kinerja"].iloc[-1] == 40
    assert overview.periods(con)[-1] == 2026 and overview.default_period(counts, 0.5) == 2025
    assert overview.thin_period_note(counts, 2025, 0.5) is None
    assert overview.default_period(counts, 0.0) == 2026            # the setting decides
    con.close()
    at = app(db_copy, user="pimpinan")
    assert not at.exception
    assert at.sidebar.selectbox(key="flt_period").value == 2025
    assert not any("baru sebagian dimuat" in w.value for w in at.warning)
    at.sidebar.selectbox(key="flt_period").select(2026).run()
    assert not at.exception
    assert any(w.value.startswith("Periode 2026 baru sebagian dimuat: data SKP-nya baru ") for w in at.warning), \
        [w.value for w in at.warning] + [at.sidebar.selectbox(key="flt_period").value]
