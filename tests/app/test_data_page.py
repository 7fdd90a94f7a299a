"""AppTest over app.py and the Data page: the numbers shown are the database's numbers."""
import re

from talenta import overview, store
from talenta.scope import Filters, Scope
from talenta.ui import fmt

from .conftest import shown


def _metrics(at):
    """Metric label (without its trailing share such as ' (85,5 %)') -> shown value."""
    return {re.sub(r" \([\d.,]+ %\)$", "", m.label): m.value for m in at.metric}


def test_app_renders_data_page_with_demo_counts(app, db_copy):
    at = app(db_copy, "views/data.py")
    assert not at.exception
    assert at.title[0].value == "Data yang dimuat"
    con = store.connect(db_copy)
    exp = overview.coverage_summary(con, Scope(), Filters(period=2025).at(2025))
    m = _metrics(at)
    assert m["Pegawai (ASN)"] == fmt.num(exp["pegawai"]) == "1.500"
    assert m["Ada kinerja 2024–2025"] == fmt.num(exp["ada_kinerja"])
    assert m["Siap dipetakan"] == fmt.num(exp["lengkap"])
    assert at.selectbox(key="flt_period").value == 2025


def test_opd_filter_narrows_every_figure(app, db_copy):
    at = app(db_copy, "views/data.py")
    at.multiselect(key="flt_opd").select("Inspektorat").run()
    assert not at.exception
    con = store.connect(db_copy)
    exp = overview.coverage_summary(con, Scope(), Filters(period=2025, opd=("Inspektorat",)).at(2025))
    assert 0 < exp["pegawai"] < 1500
    assert _metrics(at)["Pegawai (ASN)"] == fmt.num(exp["pegawai"])
    assert "OPD: Inspektorat" in shown(at.caption[0].value)
    table = next(d.value for d in at.dataframe if "persen_lengkap" in d.value.columns)
    assert table["opd"].tolist() == ["Inspektorat"]


def test_period_switch_changes_window(app, db_copy):
    at = app(db_copy, "views/data.py")
    at.selectbox(key="flt_period").select(2024).run()
    assert not at.exception
    assert "Ada kinerja 2023–2024" in _metrics(at)


def test_empty_database_explains_what_to_do(app, tmp_path):
    at = app(tmp_path / "kosong.duckdb", "views/data.py")
    assert not at.exception
    assert any("Belum ada data pegawai" in i.value for i in at.info)


def test_unopenable_database_shows_friendly_error(app, tmp_path):
    bad = tmp_path / "bukan.duckdb"
    bad.write_text("ini bukan basis data")
    at = app(bad)
    assert not at.exception
    assert at.error and "Basis data" in at.error[0].value


def test_an_opd_account_sees_the_import_batches_without_instansi_wide_counts(app, db_copy):
    """Review 6: the batch table told an OPD account how many employees and disciplinary records every file held."""
    from .conftest import ensure_account
    from talenta.demo import DEMO_OPD

    ensure_account(db_copy, "opd", "opd", opd=[DEMO_OPD])
    at = app(db_copy, "views/data.py", user="opd")
    assert not at.exception
    batches = at.dataframe[-1].value
    assert "file_name" in batches.columns and not {*overview.BATCH_COUNTS, "imported_by"} & set(batches.columns)
    assert any("seluruh instansi" in c.value for c in at.caption)
    admin = app(db_copy, "views/data.py")
    assert set(overview.BATCH_COUNTS) <= set(admin.dataframe[-1].value.columns)


def test_a_list_download_already_on_screen_refuses_a_disabled_or_changed_account(app, db_copy, downloads):
    """Review 8, D1: the click on a download runs no script, so the sign-in check of the next run never guarded
    it: an account disabled while the page was open downloaded 13.529 named rows. The file is now built only
    for the account as it still is; a refusal leaves a 'gagal' audit row. The row of a download names the
    account's limits (D7)."""
    import pytest

    from talenta import accounts, audit, store
    from talenta.access import OPERATOR
    from talenta.errors import AccessDenied

    con = store.connect(db_copy)
    accounts.add_user(con, OPERATOR, "unduh_uji", "opd", "kata-sandi-uji-12345", opd=["Dinas Kesehatan"])
    con.close()
    at = app(db_copy, "views/data.py", user="unduh_uji")
    assert not at.exception
    make = downloads["Unduh daftar (CSV)"]
    assert callable(make) and len(make()) > 100                     # the account as it is: the file is built
    con = store.connect(db_copy)
    row = audit.query(con, action="download").iloc[0]
    assert row["hasil"] == "berhasil" and "OPD: Dinas Kesehatan" in row["rincian"], row["rincian"]
    accounts.disable_user(con, OPERATOR, "unduh_uji")
    with pytest.raises(AccessDenied):
        make()
    assert audit.query(con, action="download").iloc[0]["hasil"] == "gagal"
    accounts.enable_user(con, OPERATOR, "unduh_uji")
    accounts.change_role(con, OPERATOR, "unduh_uji", "tamu")            # a role change refuses as well
    with pytest.raises(AccessDenied):
        make()
    con.close()


def test_a_chosen_opd_that_leaves_the_data_is_dropped_with_a_word(app, db_copy, tmp_path):
    """An open tab's OPD filter emptied without notice when another user undid the OPD's import (review 10, 6)."""
    from talenta import store
    from talenta.ingest import import_file, undo_batch

    con = store.connect(db_copy)
    path = tmp_path / "baru.csv"
    path.write_text("NIP,NAMA,OPD\n199002072015031006,Uji Baru,Dinas <b>Baru</b>\n", encoding="utf-8")
    r = import_file(con, path)
    con.close()
    at = app(db_copy, "views/data.py")
    at.multiselect(key="flt_opd").select("Dinas <b>Baru</b>").run()
    assert not at.exception and not at.sidebar.warning
    con = store.connect(db_copy)
    undo_batch(con, r.batch, "tester")
    con.close()
    from streamlit import cache_data

    from tests.app.conftest import shown
    cache_data.clear()          # as the undo's write path does in the server
    at.run()
    assert not at.exception
    said = [shown(w.value) for w in at.sidebar.warning]
    assert said == ["OPD Dinas <b>Baru</b> tidak ada lagi dalam data; pilihan itu dilepas dari filter."], said
    assert at.multiselect(key="flt_opd").value == []


def test_the_last_import_reads_as_every_other_date(app, db_copy):
    """"Impor terakhir: 2026-12-03 17:14:09" (ISO with seconds) beside "data per 3 Desember 2026" (review 10)."""
    import re

    at = app(db_copy, "views/data.py")
    line = next(c.value for c in at.caption if c.value.startswith("Impor terakhir: "))
    assert re.fullmatch(r"Impor terakhir: \d{1,2} [A-Z][a-z]+ \d{4}, \d\d\.\d\d", line), line


def test_the_windows_shown_are_the_active_rule_sets(app, db_copy):
    """A rule set with a one-year kinerja window and a four-year assessment window: the Data page's labels and
    the period filter's help say those windows, and the counts are counted with them (issue 13, 3)."""
    from talenta import rulesets

    con = store.connect(db_copy)
    rs = rulesets.save(con, rulesets.active(con).with_(kinerja_years=1, asesmen_years=4), name="Jendela lain",
                       note="uji", user="admin")
    exp = overview.coverage_summary(con, Scope(), Filters(period=2025).at(2025), rs)
    con.close()
    at = app(db_copy, "views/data.py")
    assert not at.exception
    m = _metrics(at)
    assert m["Ada kinerja 2025"] == fmt.num(exp["ada_kinerja"])
    assert m["Ada asesmen 2022–2025"] == fmt.num(exp["ada_asesmen"])
    help_ = at.selectbox(key="flt_period").help
    assert "kinerja T serta asesmen T-3 s.d. T" in help_
