"""Profil talenta: the person's boxes agree with the talent map, scope and masking are enforced, the
outputs carry the contract keys, and every value stays text."""
import io
import json

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from talenta import audit, lookup, profile, rules, store, talentmap
from talenta.access import User
from talenta.actions import read_profile
from talenta.errors import AccessDenied, UsageError
from talenta.scope import Filters, Scope


@pytest.fixture
def db(db_copy):
    c = store.connect(db_copy)
    yield c
    c.close()


def _someone(con, **where) -> str:
    cond = " AND ".join(f"{k} = ${k}" for k in where) or "TRUE"
    return store.query_one(con, "SELECT nip FROM employee WHERE " + cond + " ORDER BY nip LIMIT 1", where)[0]


def test_boxes_per_period_equal_the_talent_map(db):
    """For a sample of people, every period's box and scores equal what the talent map places."""
    rs = rules.DEFAULT
    for period in (2023, 2024, 2025):
        placed = talentmap.placements(db, Scope(), Filters(period=period), rs).set_index("nip")
        for nip in placed.index[::97][:12]:
            p = profile.build(db, Scope(), nip, 2025, rs, periods=[2023, 2024, 2025])
            row = p.boxes.set_index("periode").loc[period]
            want = placed.loc[nip, "kotak"]
            assert (pd.isna(row["kotak"]) and pd.isna(want)) or int(row["kotak"]) == int(want), (nip, period)
            if not pd.isna(want):
                assert row["skor_kinerja"] == pytest.approx(placed.loc[nip, "skor_kinerja"], abs=0.01)
                assert row["skor_potensial"] == pytest.approx(placed.loc[nip, "skor_potensial"], abs=0.01)
                assert bool(row["krs"]) == bool(placed.loc[nip, "krs"])


def test_scope_and_masking_are_enforced(db):
    opd = store.query_one(db, "SELECT min(opd) FROM employee")[0]
    inside = _someone(db, opd=opd)
    outside = store.query_one(db, "SELECT min(nip) FROM employee WHERE opd <> $o", {"o": opd})[0]
    own = Scope(opd=frozenset({opd}))
    assert profile.build(db, own, inside, 2025, rules.DEFAULT).identity["opd"] == opd
    with pytest.raises(AccessDenied, match="tidak ditemukan dalam cakupan"):
        profile.build(db, own, outside, 2025, rules.DEFAULT)
    with pytest.raises(AccessDenied, match="tersamar"):
        profile.build(db, Scope().masked(5), inside, 2025, rules.DEFAULT)
    assert profile.find(db, Scope().masked(5), inside[:6]).empty
    assert set(profile.find(db, own, inside[:4])["opd"]) <= {opd}
    with pytest.raises(UsageError):
        profile.build(db, Scope(), "12ab", 2025, rules.DEFAULT)


def test_reading_a_profile_is_audited_and_a_refusal_too(db):
    opd = store.query_one(db, "SELECT min(opd) FROM employee")[0]
    outside = store.query_one(db, "SELECT min(nip) FROM employee WHERE opd <> $o", {"o": opd})[0]
    user = User("kepala", "Kepala", "opd", opd=(opd,))
    inside = _someone(db, opd=opd)
    read_profile(db, user, Scope(opd=frozenset({opd})), inside, 2025, rules.DEFAULT)
    with pytest.raises(AccessDenied):
        read_profile(db, user, Scope(opd=frozenset({opd})), outside, 2025, rules.DEFAULT)
    log = audit.query(db)
    mine = log[log["pengguna"] == "kepala"]
    assert sorted(zip(mine["objek"], mine["hasil"])) == sorted([(f"profil {inside}", audit.OK),
                                                              (f"profil {outside}", audit.FAILED)])


def test_json_keys_and_xlsx_sheets(db):
    nip = _someone(db, jenis_jabatan="Struktural")
    p = profile.build(db, Scope(), nip, 2025, rules.DEFAULT)
    d = json.loads(profile.to_json(p))
    assert list(d)[:len(profile.SECTIONS)] == list(profile.SECTIONS)
    assert d["nip"] == nip and d["kotak_per_periode"][-1]["periode"] == 2025
    wb = CalamineWorkbook.from_filelike(io.BytesIO(profile.to_xlsx(p)))
    assert {"Identitas", "Kotak per periode", "Kinerja", "Asesmen", "Saran"} <= set(wb.sheet_names)
    ident = wb.get_sheet_by_name("Identitas").to_python()
    assert ["NIP", nip] in [list(r) for r in ident]      # the NIP is text, all 18 digits


def test_print_form_escapes_markup_in_names(db):
    nip = _someone(db)
    with store.transaction(db) as cur:
        cur.execute("UPDATE employee SET nama = $n WHERE nip = $nip",
                    {"n": "<b>Budi</b><script>alert(1)</script>", "nip": nip})
    page = profile.print_html(profile.build(db, Scope(), nip, 2025, rules.DEFAULT))
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>Budi" not in page


def test_bup_and_suggestions():
    assert profile.bup_date(pd.Timestamp("1970-05-20").date(), "II.b", "Kepala Dinas")[0] == 60
    age, when = profile.bup_date(pd.Timestamp("1970-12-20").date(), "IV.a", "Kepala Seksi")
    assert age == 58 and str(when) == "2029-01-01"
    ases = pd.DataFrame([{"tahun": 2024, "nilai_potensi": 70.0, "nilai_manajerial": 90.0,
                          "nilai_sosial_kultural": 65.0, "nilai_teknis": 88.0}])
    s = profile.suggestions({"kotak": 5}, ases)
    assert rules.BOX[5].rekomendasi in s[0]
    assert "Kompetensi sosial kultural (65)" in s[1] and "Potensi (70)" in s[1] and "teknis" not in s[1]


def test_a_profile_read_never_builds_the_lookup_indexes(db):
    nip = _someone(db)
    with_index = profile.build(db, Scope(), nip, 2025, rules.DEFAULT)
    lookup.drop(db)
    without = profile.build(db, Scope(), nip, 2025, rules.DEFAULT)       # the same rows, by a scan
    assert not lookup._present(db)
    pd.testing.assert_frame_equal(with_index.kinerja, without.kinerja)


def test_cli_profile_json_and_refusals(db_copy, tmp_path, capsys):
    from talenta import accounts, cli
    from talenta.access import OPERATOR

    con = store.connect(db_copy)
    opd = store.query_one(con, "SELECT min(opd) FROM employee")[0]
    inside = _someone(con, opd=opd)
    outside = store.query_one(con, "SELECT min(nip) FROM employee WHERE opd <> $o", {"o": opd})[0]
    if accounts.get(con, "kepala") is None:
        accounts.add_user(con, OPERATOR, "kepala", "opd", "kata-sandi-uji-123", opd=[opd])
    if accounts.get(con, "layar") is None:
        accounts.add_user(con, OPERATOR, "layar", "tamu", "kata-sandi-uji-123")
    con.close()
    out = tmp_path / "p.json"
    base = ["--db", str(db_copy), "profile"]
    assert cli.main(base + [inside, "--period", "2025", "--as", "kepala", "--out", str(out)]) == 0
    d = json.loads(out.read_text())
    assert list(d)[:10] == ["nip", "nama", "opd", "jabatan", "kotak_per_periode", "kinerja", "asesmen", "hipo",
                            "suksesi", "kalibrasi"]
    assert d["opd"] == opd
    assert cli.main(base + [outside, "--period", "2025", "--as", "kepala", "--out", str(tmp_path / "q.json")]) == 2
    assert "cakupan" in capsys.readouterr().err and not (tmp_path / "q.json").exists()
    assert cli.main(base + [inside, "--period", "2025", "--as", "layar", "--out", str(tmp_path / "r.json")]) == 2
    assert cli.main(base + [inside, "--period", "2025", "--out", str(tmp_path / "p.txt")]) == 2
    assert cli.main(base + [inside, "--period", "2025", "--out", str(tmp_path / "p.xlsx")]) == 0


def test_a_big_import_drops_the_lookup_indexes_and_its_refresh_builds_them(db, tmp_path, monkeypatch):
    from talenta import actions, ingest
    from talenta.access import OPERATOR

    nip = _someone(db)
    assert lookup._present(db) == set(lookup.INDEXES.values())      # the demo build refreshed after importing
    monkeypatch.setattr(lookup, "DROP_FROM", 1)                     # every import is "big"
    f = tmp_path / "kinerja.csv"
    f.write_text(f"nip,tahun,predikat\n{nip},2026,Sangat Baik\n")
    ingest.import_file(db, f, file_name=f.name)
    assert not lookup._present(db)
    f.write_text(f"nip,tahun,predikat\n{nip},2026,Baik\n")
    actions.import_one(db, OPERATOR, f, file_name=f.name)           # the write path: import, then refresh
    assert lookup._present(db) == set(lookup.INDEXES.values())
    p = profile.build(db, Scope(), nip, 2026, rules.DEFAULT)
    assert p.kinerja["tahun"].max() == 2026                 # the new row is found through the new index


def test_a_small_import_keeps_the_lookup_indexes_up_to_date(db, tmp_path):
    """A correction below ``lookup.DROP_FROM`` rows writes through the indexes: the profile reads its new and
    changed rows through them, exactly as a scan reads them, and an undo restores what was there."""
    from talenta import actions, ingest
    from talenta.access import OPERATOR

    nip, other = store.query_df(db, "SELECT nip FROM employee ORDER BY nip LIMIT 2")["nip"]
    assert lookup._present(db) == set(lookup.INDEXES.values())
    before = profile.build(db, Scope(), other, 2025, rules.DEFAULT).kinerja
    f = tmp_path / "koreksi.csv"
    f.write_text(f"nip,tahun,predikat\n{nip},2026,Sangat Baik\n{other},2025,Butuh Perbaikan\n")
    ingest.import_file(db, f, file_name=f.name)
    assert lookup._present(db) == set(lookup.INDEXES.values())      # kept, not dropped
    by_index = profile.build(db, Scope(), nip, 2026, rules.DEFAULT).kinerja
    changed = profile.build(db, Scope(), other, 2025, rules.DEFAULT).kinerja
    assert by_index.loc[by_index["tahun"] == 2026, "predikat"].tolist() == ["Sangat Baik"]
    assert changed.loc[changed["tahun"] == 2025, "predikat"].tolist() == ["Butuh Perbaikan"]
    lookup.drop(db)                                                   # the same rows by a scan
    pd.testing.assert_frame_equal(profile.build(db, Scope(), nip, 2026, rules.DEFAULT).kinerja, by_index)
    pd.testing.assert_frame_equal(profile.build(db, Scope(), other, 2025, rules.DEFAULT).kinerja, changed)
    lookup.build(db)
    batch = store.query_one(db, "SELECT max(batch_id) FROM import_batch")[0]
    actions.undo(db, OPERATOR, batch)
    assert lookup._present(db) == set(lookup.INDEXES.values())      # a small undo keeps them too
    pd.testing.assert_frame_equal(profile.build(db, Scope(), other, 2025, rules.DEFAULT).kinerja, before)
    assert profile.build(db, Scope(), nip, 2026, rules.DEFAULT).kinerja["tahun"].max() != 2026


def test_profile_shows_calibration_and_succession_steps(db):
    """The Komite's move and a succession proposal naming the person appear in their profile."""
    from talenta import accounts, actions, succession, succession_rules

    rs = rules.DEFAULT
    komite = accounts.active_user(db, "komite")
    placed = talentmap.placements(db, Scope(), Filters(period=2025, basis="terhitung").at(2025), rs, kotak=5)
    nip = placed.iloc[0]["nip"]
    actions.calibrate(db, komite, Scope(), 2025, rs, nip, 8, "wawancara", "Panel menilai kepemimpinannya tinggi")
    p = profile.build(db, Scope(), nip, 2025, rs)
    assert p.kalibrasi.iloc[0]["kotak_terkalibrasi"] == 8 and p.kalibrasi.iloc[0]["kode_alasan"] == "wawancara"
    row = p.boxes.set_index("periode").loc[2025]
    assert row["kotak"] == 5 and row["kotak_terkalibrasi"] == 8          # both, side by side
    srs = succession_rules.active(db)
    cands = succession.candidates(db, Scope(), 2025, rs, srs, slim=True)
    assert len(cands)
    c = cands.iloc[0]
    actions.succession_decision(db, accounts.active_user(db, "analis"), c["jabatan_id"], c["nip"], "usul",
                                "Calon terkuat di OPD", period=2025, rs=rs, srs=srs)
    q = profile.build(db, Scope(), c["nip"], 2025, rs)
    assert q.suksesi.iloc[0]["langkah"] == "usul" and q.suksesi.iloc[0]["jabatan_id"] == c["jabatan_id"]
    assert json.loads(profile.to_json(q))["suksesi"][0]["alasan"] == "Calon terkuat di OPD"


def test_the_box_in_force_follows_the_basis_as_every_count_does(db):
    """Review 9, 1: a person calibrated from 5 to 8 and the session closed. The banner, the advice, the form and
    the JSON read ``current``: it is the box in force under the basis, the same box the map's lists show."""
    from talenta import accounts, actions

    rs = rules.DEFAULT
    komite, pimpinan = accounts.active_user(db, "komite"), accounts.active_user(db, "pimpinan")
    placed = talentmap.placements(db, Scope(), Filters(period=2025, basis="terhitung").at(2025), rs, kotak=5)
    nip, instansi = placed.iloc[0]["nip"], placed.iloc[0]["instansi"]
    actions.calibrate(db, komite, Scope(), 2025, rs, nip, 8, "wawancara", "Panel menilai kepemimpinannya tinggi")

    def box(basis):
        p = profile.build(db, Scope(), nip, 2025, rs, basis=basis)
        shown = talentmap.placements(db, Scope(), Filters(period=2025, basis=basis).at(2025), rs)
        assert p.current["kotak"] == int(shown.set_index("nip").loc[nip, "kotak"]), basis     # as the lists show
        return p

    open_ = {b: box(b) for b in ("otomatis", "terhitung", "terkalibrasi")}
    assert [open_[b].current["kotak"] for b in ("otomatis", "terhitung", "terkalibrasi")] == [5, 5, 8]
    actions.close_calibration(db, pimpinan, instansi, 2025)
    p = box("otomatis")
    cur = p.current
    assert (cur["kotak"], cur["kotak_terhitung"], cur["label"], cur["krs"]) == (8, 5, rules.BOX[8].label, True)
    assert p.saran[0].startswith("Kotak 8 ")
    assert "Kotak 8 · " in profile.print_html(p)
    got = {r["periode"]: r for r in json.loads(profile.to_json(p))["kotak_per_periode"]}[2025]
    assert (got["kotak"], got["kotak_terhitung"], got["krs"]) == (8, 5, True)
    assert box("terhitung").current["kotak"] == 5


def test_xlsx_keeps_a_formula_like_name_as_typed(db):
    """Review 4: the workbooks showed a literal apostrophe before a name starting with '='; the profile's too."""
    import zipfile

    nip = _someone(db)
    with store.transaction(db) as cur:
        cur.execute("UPDATE employee SET nama = $n WHERE nip = $nip", {"n": "=1+2 Budi", "nip": nip})
    data = profile.to_xlsx(profile.build(db, Scope(), nip, 2025, rules.DEFAULT))
    ident = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Identitas").to_python()
    assert ["Nama", "=1+2 Budi"] in [list(r) for r in ident]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
