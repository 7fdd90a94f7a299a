"""Kalibrasi in the library: the computed box is never overwritten (calibration, re-import), calibrated counts
are the computed counts plus the moves, a closed session refuses changes, roles and audit rows, masking."""
import random
from dataclasses import replace

import pandas as pd
import pytest

from talenta import access, accounts, actions, audit, calibration, population, privacy, rules, rulesets, store, talentmap
from talenta.access import OPERATOR
from talenta.errors import AccessDenied, UsageError
from talenta.scope import Filters, Scope

T = 2025
ALL = Scope()


@pytest.fixture
def db(db_copy):
    con = store.connect(db_copy)
    yield con
    con.close()


def _user(con, name):
    return accounts.active_user(con, name)


def _placed(con, rs, n=None, box=None):
    df = talentmap.placements(con, ALL, Filters(period=T, basis="terhitung").at(T), rs, kotak=box, placed=True)
    return df if n is None else df.head(n)


def _counts(con, rs, basis):
    f = talentmap.figures(con, ALL, Filters(period=T, basis=basis).at(T), rs)
    return {b.number: int(f[f"kotak_{b.number}"]) for b in rules.BOXES} | {"krs": int(f["krs"])}


def test_calibrated_counts_are_computed_counts_plus_the_moves(db):
    rs = rulesets.active(db)
    komite = _user(db, "komite")
    people = _placed(db, rs)
    computed_box = dict(zip(people["nip"], people["kotak"].astype(int)))
    before = _counts(db, rs, "terhitung")
    rng = random.Random(20251017)
    final: dict[str, int] = {}
    for _ in range(4):                      # rounds: moves, re-moves of the same people, moves back
        for nip in rng.sample(sorted(computed_box), 12) + rng.sample(sorted(final) or sorted(computed_box), 3):
            to = rng.choice([computed_box[nip]] + [b.number for b in rules.BOXES])
            if to == final.get(nip, computed_box[nip]):     # where the person is now: refused, nothing recorded
                events = db.execute("SELECT count(*) FROM kalibrasi_event").fetchone()[0]
                with pytest.raises(UsageError, match="sudah di kotak"):
                    actions.calibrate(db, komite, ALL, T, rs, nip, to, "bukti_kinerja", "uji acak")
                assert db.execute("SELECT count(*) FROM kalibrasi_event").fetchone()[0] == events
                continue
            actions.calibrate(db, komite, ALL, T, rs, nip, to, rng.choice(list(calibration.REASON_CODES)), "uji acak")
            final[nip] = to
        expected = dict(before)
        for nip, to in final.items():
            if to != computed_box[nip]:
                expected[computed_box[nip]] -= 1
                expected[to] += 1
        expected["krs"] = sum(expected[b] for b in rules.KRS_BOXES)
        assert _counts(db, rs, "terkalibrasi") == expected
        assert _counts(db, rs, "terhitung") == before               # the computed box is never overwritten
        assert _counts(db, rs, "otomatis") == before                # the session is still open
        moved = calibration.moves(db, ALL, T, rs)
        assert dict(zip(moved["nip"], moved["kotak_terkalibrasi"])) == \
            {n: b for n, b in final.items() if b != computed_box[n]}
        # with an OPD filter the list follows it, as the grids beside it do (review 3: it listed every OPD's moves)
        one = moved["opd"].iloc[0]
        mine = calibration.moves(db, ALL, T, rs, filters=Filters(opd=(one,)))
        assert len(mine) and set(mine["opd"]) == {one} and len(mine) == (moved["opd"] == one).sum()
    with population.scoring_live():                                  # scored live (another rule set): the same
        assert _counts(db, rs, "terkalibrasi") == expected
    actions.close_calibration(db, _user(db, "pimpinan"), people["instansi"].iloc[0], T)
    assert _counts(db, rs, "otomatis") == expected                  # closed: calibrated by default
    moved = calibration.moves(db, ALL, T, rs)                       # the list still names the computed box
    assert all(moved["kotak_terhitung"] == moved["nip"].map(computed_box)) and not moved["usang"].any()
    assert calibration.resolve_basis(db, Filters(period=T).at(T), ALL) == "terkalibrasi"


def test_computed_box_survives_calibration_and_a_reimport(db, tmp_path):
    rs = rulesets.active(db)
    p = _placed(db, rs, box=9).iloc[0]
    actions.calibrate(db, _user(db, "komite"), ALL, T, rs, p["nip"], 7, "data_keliru", "SKP 2025 salah input")
    row = talentmap.placements(db, ALL, Filters(period=T, basis="terkalibrasi").at(T), rs, search=p["nip"]).iloc[0]
    assert (row["kotak"], row["kotak_terhitung"], row["kotak_terkalibrasi"]) == (7, 9, 7)
    assert row["alasan_kalibrasi"] == "data_keliru: SKP 2025 salah input" and not row["kalibrasi_usang"]

    # a re-import that lowers the person's kinerja: the computed box moves, the calibration stays and is flagged
    f = tmp_path / "skp_susulan.csv"
    pd.DataFrame({"nip": [p["nip"], p["nip"]], "tahun": [T - 1, T],
                  "predikat": ["Sangat Kurang", "Sangat Kurang"]}).to_csv(f, index=False)
    r = actions.import_one(db, OPERATOR, f)
    assert r.accepted == 2
    row = talentmap.placements(db, ALL, Filters(period=T, basis="terkalibrasi").at(T), rs, search=p["nip"]).iloc[0]
    assert row["kotak_terhitung"] != 9 and row["kotak_terkalibrasi"] == 7 and row["kotak"] == 7
    assert bool(row["kalibrasi_usang"])
    m = calibration.moves(db, ALL, T, rs).set_index("nip").loc[p["nip"]]
    assert m["kotak_saat_pindah"] == 9 and m["kotak_terhitung"] == row["kotak_terhitung"] and m["usang"]


def test_a_move_back_to_the_computed_box_cancels(db):
    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    komite = _user(db, "komite")
    before = _counts(db, rs, "terhitung")
    actions.calibrate(db, komite, ALL, T, rs, p["nip"], 8, "wawancara", "naik")
    r = actions.calibrate(db, komite, ALL, T, rs, p["nip"], 5, "lainnya", "dibatalkan setelah diskusi")
    assert r["batal"]
    assert _counts(db, rs, "terkalibrasi") == before and calibration.moves(db, ALL, T, rs).empty
    assert len(calibration.history(db, ALL, T)) == 2          # both moves stay in the history


def test_a_closed_session_refuses_changes_until_reopened_with_a_reason(db):
    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    komite, pimpinan = _user(db, "komite"), _user(db, "pimpinan")
    inst = p["instansi"]
    s = actions.close_calibration(db, pimpinan, inst, T)
    assert s.ditetapkan and s.ditetapkan_oleh == "pimpinan" and s.pindah == 0
    with pytest.raises(calibration.SessionClosed, match="sudah ditetapkan"):
        actions.calibrate(db, komite, ALL, T, rs, p["nip"], 8, "wawancara", "naik")
    with pytest.raises(calibration.SessionClosed):
        actions.close_calibration(db, pimpinan, inst, T)
    with pytest.raises(UsageError, match="wajib"):
        actions.reopen_calibration(db, pimpinan, inst, T, "  ")
    assert actions.reopen_calibration(db, pimpinan, inst, T, "data susulan").status == "terbuka"
    actions.calibrate(db, komite, ALL, T, rs, p["nip"], 8, "wawancara", "naik")
    rows = audit.query(db)
    assert list(rows["aksi"].iloc[::-1][-6:]) == ["calibration_close", "calibrate", "calibration_close",
                                                  "calibration_reopen", "calibration_reopen", "calibrate"]
    assert list(rows["hasil"].iloc[::-1][-6:]) == ["berhasil", "gagal", "gagal", "gagal", "berhasil", "berhasil"]
    assert len(calibration.history(db, ALL, T)) == 3            # tetapkan, buka_kembali, pindah


@pytest.mark.parametrize("role", list(access.ROLES))
def test_permissions_per_role(db, role):
    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    name = f"uji_{role}"
    accounts.add_user(db, OPERATOR, name, role, "kata-sandi-uji-123", opd=[p["opd"]] if role == "opd" else [])
    u = _user(db, name)
    may_move, may_close = role in ("komite", "admin"), role in ("pimpinan", "admin")
    assert access.may_open(u, "kalibrasi") == (role in ("komite", "pimpinan", "admin"))
    if may_move:
        actions.calibrate(db, u, ALL, T, rs, p["nip"], 8, "wawancara", "naik")
    else:
        with pytest.raises(AccessDenied, match="tidak berhak"):
            actions.calibrate(db, u, ALL, T, rs, p["nip"], 8, "wawancara", "naik")
    if may_close:
        actions.close_calibration(db, u, p["instansi"], T)
    else:
        with pytest.raises(AccessDenied, match="tidak berhak"):
            actions.close_calibration(db, u, p["instansi"], T)
    rows = audit.query(db, user=name)
    assert list(rows["hasil"].iloc[::-1]) == ["berhasil" if may_move else "gagal",
                                              "berhasil" if may_close else "gagal"]


@pytest.mark.parametrize("to, code, reason, message", [
    (10, "wawancara", "x", "di luar 1-9"), (0, "wawancara", "x", "di luar 1-9"),
    (8, "rapat", "x", "tidak dikenal"), (8, "wawancara", " ", "wajib diisi"),
])
def test_bad_moves_are_refused_with_a_message_and_nothing_is_stored(db, to, code, reason, message):
    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    with pytest.raises(UsageError, match=message):
        actions.calibrate(db, _user(db, "komite"), ALL, T, rs, p["nip"], to, code, reason)
    assert calibration.history(db, ALL, T).empty
    assert audit.query(db, action="calibrate")["hasil"].tolist() == ["gagal"]


def test_unplaced_unknown_and_out_of_scope_people_are_refused(db):
    rs = rulesets.active(db)
    komite = _user(db, "komite")
    unplaced = talentmap.placements(db, ALL, Filters(period=T).at(T), rs, placed=False, limit=1)["nip"].iloc[0]
    with pytest.raises(UsageError, match="belum terpetakan"):
        actions.calibrate(db, komite, ALL, T, rs, unplaced, 8, "wawancara", "x")
    with pytest.raises(UsageError, match="tidak ditemukan"):
        actions.calibrate(db, komite, ALL, T, rs, "199901012020011001", 8, "wawancara", "x")
    p = _placed(db, rs, box=5).iloc[0]
    other = next(o for o in _placed(db, rs)["opd"] if o != p["opd"])
    # a limited account gets one answer for a NIP outside its scope and for one that exists nowhere: the first said
    # "di luar hak akses", telling that the NIP exists in another instansi (review 11, D7)
    limited = Scope(opd=frozenset({other}))
    answers = []
    for nip in (p["nip"], "199901012020011001"):
        with pytest.raises(UsageError) as e:
            actions.calibrate(db, komite, limited, T, rs, nip, 8, "wawancara", "x")
        answers.append(str(e.value).replace(nip, "NIP"))
    assert answers == ["NIP NIP tidak ditemukan dalam cakupan data Anda."] * 2


def test_masking_tamu_sees_no_names_and_small_cells_are_suppressed(db):
    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    actions.calibrate(db, _user(db, "komite"), ALL, T, rs, p["nip"], 9, "bukti_kinerja", "Sertifikat Ahli")
    tamu = access.scope_for(_user(db, "tamu"), presentation=False, min_group=5)
    assert calibration.moves(db, tamu, T, rs).empty
    h = calibration.history(db, tamu, T)
    assert (h["nip"] == privacy.MASKED_NIP).all() and h["alasan"].isna().all()
    m = calibration.before_after(db, tamu, Filters(period=T).at(T), rs)
    assert pd.isna(m.loc[5, 9])                                  # one person moved: hidden
    visible = m.to_numpy(dtype=float, na_value=float("nan"))
    assert not ((visible > 0) & (visible < 5)).any()
    full = calibration.before_after(db, ALL, Filters(period=T).at(T), rs)
    assert full.loc[5, 9] == 1
    people = talentmap.placements(db, tamu, Filters(period=T, basis="terkalibrasi").at(T), rs, kotak=9)
    assert "nama" not in people or not people["nama"].eq(p["nama"]).any()
    assert "alasan_kalibrasi" not in people


def test_figure_memo_follows_calibration_events(db):
    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    flt = Filters(period=T, basis="terkalibrasi")
    before = talentmap.raw_figures(db, ALL, flt.at(T), rs)["kotak_9"]
    actions.calibrate(db, _user(db, "komite"), ALL, T, rs, p["nip"], 9, "wawancara", "x")
    assert talentmap.raw_figures(db, ALL, flt.at(T), rs)["kotak_9"] == before + 1


def test_berita_acara_and_deck_slide(db):
    from pptx import Presentation
    from pptx.util import Inches
    import io

    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    komite = _user(db, "komite")
    actions.add_calibration_participant(db, komite, p["instansi"], T, "Drs. Budi, Sekretaris Daerah")
    actions.calibrate(db, komite, ALL, T, rs, p["nip"], 9, "bukti_kinerja", "=HYPERLINK(\"x\")")
    actions.close_calibration(db, _user(db, "pimpinan"), p["instansi"], T)
    name, data = actions.export_berita_acara(db, komite, ALL, Filters(period=T).at(T), p["instansi"], rs)
    assert name.endswith(".xlsx")
    wb = pd.read_excel(io.BytesIO(data), sheet_name=None, engine="calamine", dtype={"NIP": str})
    assert list(wb) == ["Berita acara", "Peserta", "Perpindahan", "Sebelum-sesudah", "Sebaran", "Riwayat sesi"]
    assert wb["Peserta"]["Peserta"].tolist() == ["komite", "pimpinan", "Drs. Budi, Sekretaris Daerah"]
    moves = wb["Perpindahan"]
    assert moves["NIP"].tolist() == [p["nip"]] and moves["Kotak terkalibrasi"].tolist() == [9]
    assert moves["Alasan kalibrasi"].tolist() == ['=HYPERLINK("x")']         # as typed, no apostrophe shown
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:                              # ... and a string, not a formula
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert audit.query(db, action="export")["objek"].tolist() == [f"kalibrasi {T}"]
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    calibration.add_deck_slide(prs, db, ALL, Filters(period=T).at(T), p["instansi"], rs)
    text = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert "Berita acara kalibrasi" in text and "Bukti kinerja tambahan: 1" in text
    assert p["nama"] not in text


def test_a_session_is_closed_reopened_and_named_only_by_an_account_holding_the_whole_instansi(db):
    """close, reopen and add_participant took any instansi from any account with the role: a Pimpinan limited to
    another instansi, or to one OPD, could close a whole instansi's session. A Komite member limited to an OPD
    still names participants (he moves his OPD's people in the same session)."""
    instansi = store.query_one(db, "SELECT min(instansi) FROM employee")[0]
    opd = store.query_one(db, "SELECT min(opd) FROM employee")[0]
    elsewhere = access.User("lain", "Pimpinan Lain", "pimpinan", instansi=("Kabupaten Lain",))
    one_opd = access.User("kio", "Komite OPD", "komite", opd=(opd,))
    with pytest.raises(AccessDenied, match="tidak mencakup seluruh instansi"):
        actions.close_calibration(db, elsewhere, instansi, T)
    with pytest.raises(AccessDenied, match="tidak mencakup seluruh instansi"):
        actions.close_calibration(db, access.User("pio", "Pimpinan OPD", "pimpinan", opd=(opd,)), instansi, T)
    with pytest.raises(AccessDenied, match="tidak mencakup instansi"):
        actions.add_calibration_participant(db, access.User("kil", "Komite Lain", "komite", instansi=("Kabupaten Lain",)),
                                            instansi, T, "Drs. Budi")
    assert calibration.session(db, instansi, T) is None          # nothing opened by the refusals
    assert audit.query(db, action="calibration_close")["hasil"].tolist() == [audit.FAILED] * 2
    actions.add_calibration_participant(db, one_opd, instansi, T, "Drs. Budi")    # his OPD moves in this session
    assert calibration.session(db, instansi, T).peserta[-1] == "Drs. Budi"
    own = access.User("pim", "Pimpinan", "pimpinan", instansi=(instansi,))
    actions.close_calibration(db, own, instansi, T)
    assert calibration.session(db, instansi, T).ditetapkan
    with pytest.raises(AccessDenied, match="tidak mencakup seluruh instansi"):
        actions.reopen_calibration(db, elsewhere, instansi, T, "salah tetapkan")
    assert calibration.session(db, instansi, T).ditetapkan


def test_the_basis_follows_only_the_sessions_the_reader_holds(db):
    """An account of one instansi was told 'Dasar kotak: terkalibrasi, karena sesi kalibrasi <another instansi>
    ditetapkan ...' on every page, CLI file and stamp: another instansi's session named, and its own map called
    calibrated when only the other's was (review 20, 6)."""
    rs = rulesets.active(db)
    mine = store.query_one(db, "SELECT min(instansi) FROM employee")[0]
    calibration.close(db, OPERATOR, "Kabupaten Lain", T)
    own = Scope(instansi=frozenset({mine}))
    assert calibration.resolve_basis(db, Filters(period=T).at(T), ALL) == "terkalibrasi"
    assert calibration.resolve_basis(db, Filters(period=T).at(T), own) == "terhitung"
    note = calibration.basis_note(db, Filters(period=T).at(T), own)
    assert note == "Dasar kotak: terhitung (dihitung dari aturan)." and "Kabupaten Lain" not in note
    assert "Kabupaten Lain" in calibration.basis_note(db, Filters(period=T).at(T), ALL)
    from talenta import export
    st = export.stamp(db, mine, Filters(period=T).at(T), rs, "uji", True, own)
    assert "Dasar kotak: terhitung" in st.filters


def test_the_sessions_count_is_of_people_still_in_its_instansi(db):
    """Someone moved, then undone out of the master (or now in another instansi), was still counted by the session
    ('1 pegawai dipindahkan' at the close and in its audit row) while the map and the berita acara moved nobody
    (review 20c, 11)."""
    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    actions.calibrate(db, _user(db, "komite"), ALL, T, rs, p["nip"], 9, "wawancara", "uji")
    assert calibration.session(db, p["instansi"], T).pindah == 1
    db.execute("UPDATE employee SET instansi = 'Kabupaten Lain' WHERE nip = $n", {"n": p["nip"]})
    assert calibration.session(db, p["instansi"], T).pindah == 0
    assert calibration.moved_count(db, ALL, T, rs, p["instansi"]) == 0
    closed = actions.close_calibration(db, _user(db, "pimpinan"), p["instansi"], T)
    assert closed.pindah == 0 and closed.describe().endswith("; 0 pegawai dipindahkan.")


def test_a_move_is_recorded_against_the_active_rule_set_only(db):
    """``calibrate --rule-set 2`` (a proposal) recorded 'kotak terhitung 9 -> 7' for someone in box 7 of the active
    map: the session then counted a move that changed nobody's box (review 20c, 7)."""
    rs = rulesets.active(db)
    proposal = rulesets.save(db, rs.with_(potensial_menengah=rs.potensial_menengah - 8), name="usulan", note="",
                             user="analis", activate=False)
    p = _placed(db, rs, box=5).iloc[0]
    with pytest.raises(UsageError, match="aturan yang aktif"):
        actions.calibrate(db, _user(db, "komite"), ALL, T, proposal, p["nip"], 9, "wawancara", "uji")
    assert calibration.session(db, p["instansi"], T) is None
    actions.calibrate(db, _user(db, "komite"), ALL, T, rs, p["nip"], 9, "wawancara", "uji")
    assert calibration.session(db, p["instansi"], T).pindah == 1


def test_a_move_the_computed_box_has_caught_up_with_can_be_cancelled(db):
    """Moved to box 5 while the computed box was 7; a rule change or a correction later computes 5 for him. He still
    counted as moved (kalibrasi_usang), and a move to 5 to cancel it was refused 'sudah di kotak 5' (review 20c)."""
    rs = rulesets.active(db)
    p = _placed(db, rs, box=5).iloc[0]
    komite = _user(db, "komite")
    actions.calibrate(db, komite, ALL, T, rs, p["nip"], 9, "wawancara", "uji")
    # as recorded before the computed box changed: from 7 to 5 (the box he is computed in now)
    db.execute("UPDATE kalibrasi_event SET kotak_terhitung = 7, kotak_ke = 5 WHERE nip = $n", {"n": p["nip"]})
    assert calibration.session(db, p["instansi"], T).pindah == 1
    r = actions.calibrate(db, komite, ALL, T, rs, p["nip"], 5, "lainnya", "kotak terhitung kini sama")
    assert r["batal"] and calibration.session(db, p["instansi"], T).pindah == 0
    with pytest.raises(UsageError, match="sudah di kotak 5"):       # and a second time changes nothing
        actions.calibrate(db, komite, ALL, T, rs, p["nip"], 5, "lainnya", "lagi")


def test_a_nip_typed_the_way_it_is_printed_finds_its_employee(db):
    """Hostile pass, session 22: '1987 0310 2012 10 1 001' on the Kalibrasi form said 'tidak ditemukan dalam
    cakupan data Anda' (only the ends were trimmed); the same cleaning as the import applies."""
    rs = rulesets.active(db)
    nip = _placed(db, rs, box=5).iloc[0]["nip"]
    printed = f" {nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}. "
    moved = actions.calibrate(db, _user(db, "komite"), ALL, T, rs, printed, 8, "wawancara", "Panel")
    assert moved["nip"] == nip and moved["kotak_ke"] == 8
    assert calibration.moves(db, ALL, T, rs)["nip"].tolist() == [nip]


def test_a_masked_before_after_gives_no_small_count_of_moved_people(db):
    """Hostile pass, session 22: three moves (5 -> 9, 2 -> 5, 5 -> 8); the masked berita acara hid 'Pegawai
    dipindahkan', but each calibrated column's shown cells beside its total gave 'exactly 1 person moved into kotak
    5' (and 8, 9). The people moved into and out of each box are counts: none is solvable when small."""
    rs = rulesets.active(db)
    komite = _user(db, "komite")
    fives, twos = _placed(db, rs, box=5), _placed(db, rs, box=2)
    for nip, to in ((fives.iloc[0]["nip"], 9), (twos.iloc[0]["nip"], 5), (fives.iloc[1]["nip"], 8)):
        actions.calibrate(db, komite, ALL, T, rs, nip, to, "wawancara", "Panel")
    masked = access.scope_for(komite, presentation=True, min_group=5)
    flt = Filters(period=T)
    m = calibration.before_after(db, masked, flt, rs).to_numpy(dtype=object)
    every = replace(masked, min_group=0)
    rows = talentmap.raw_figures(db, every, replace(flt, basis="terhitung"), rs)
    cols = talentmap.raw_figures(db, every, replace(flt, basis="terkalibrasi"), rs)
    key = lambda k: "belum_terpetakan" if k == 0 else f"kotak_{k}"  # noqa: E731
    derived = []
    for k in range(10):
        for line, total in ((m[:, k], cols[key(k)]), (m[k, :], rows[key(k)])):
            if pd.isna(line[k]):        # the diagonal hidden: the moves of this box are not solvable from it
                continue
            derived.append(total - sum(int(x) for x in line if not pd.isna(x)))
    assert any(pd.isna(x) for x in m.ravel())           # the moves were hidden ...
    assert all(d == 0 or d >= 5 for d in derived), derived   # ... and no line gives their count back
