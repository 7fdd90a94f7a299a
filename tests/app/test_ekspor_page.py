"""AppTest over Ekspor: the export history is the library's for the signed-in account (review 6 #7)."""
from dataclasses import replace

from talenta import export, rulesets, store
from talenta.scope import Filters, Scope


def _log(db, files):
    con = store.connect(db)
    try:
        rs = rulesets.active(con)
        st = export.stamp(con, "Pemkot Uji", Filters(period=2025).at(2025), rs, "", masked=True)
        for who, name in files:
            export.log_export(con, replace(st, generated_by=who), "xlsx", name)
    finally:
        con.close()


def _history(at):
    return next(d.value for d in at.dataframe if "file_name" in d.value.columns)


def test_an_opd_account_sees_only_its_own_exports(app, db_copy):
    _log(db_copy, [("analis", "dinas_pendidikan_terbuka.xlsx"), ("opd", "dinkes.xlsx")])
    at = app(db_copy, "views/ekspor.py", user="opd")
    assert not at.exception
    log = _history(at)
    assert log["file_name"].tolist() == ["dinkes.xlsx"] and set(log["generated_by"]) == {"opd"}


def test_an_instansi_wide_account_sees_every_export(app, db_copy):
    _log(db_copy, [("analis", "dinas_pendidikan_terbuka.xlsx"), ("opd", "dinkes.xlsx")])
    at = app(db_copy, "views/ekspor.py", user="admin")
    assert not at.exception
    assert set(_history(at)["file_name"]) == {"dinas_pendidikan_terbuka.xlsx", "dinkes.xlsx"}


def _downloads(at) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


def test_a_file_built_with_identities_is_not_offered_once_they_are_switched_off(app, db_copy):
    """Review 9, 3: the unmasked workbook stayed on offer after the box was unticked and the filters changed."""
    at = app(db_copy, "views/ekspor.py", user="komite")
    at.checkbox(key="exp_unmasked").check().run()
    at.button(key="exp_make_xlsx").click().run(timeout=120)
    assert not at.exception
    assert [x for x in _downloads(at) if "terbuka" in x], _downloads(at)
    at.run()                                              # a rerun with nothing changed keeps the offer
    assert [x for x in _downloads(at) if "terbuka" in x]
    at.checkbox(key="exp_unmasked").uncheck().run()
    assert _downloads(at) == []
    assert any("tidak ditawarkan lagi" in c.value for c in at.caption)
    at.checkbox(key="exp_unmasked").check().run()          # and it does not come back with the box ticked again
    assert _downloads(at) == []
