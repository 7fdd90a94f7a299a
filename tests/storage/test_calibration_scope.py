"""The calibration slide under a limited or masked scope (review 6, findings 2 and 3): the number of people moved is
counted in the deck's scope and filters, and a masked file's before/after distribution discloses no small number
of moved people (neither as Selisih nor as the difference of the two counts on a row, nor through the column sums).
Read back with python-pptx, as a presenter shows them."""
import io
import shutil

import pytest
from pptx import Presentation

from talenta import accounts, actions, calibration, export, rulesets, store, talentmap
from talenta.scope import Filters, Scope

T = 2025
OTHER = "Dinas Pendidikan"       # five of its people are calibrated (the review's case)
OPD = "Dinas Kesehatan"          # the demo's OPD account; two of its people are calibrated
FLT = Filters(period=T)


def _calibrate(con, rs, opd, n, komite):
    """Move ``n`` placed people of ``opd`` to box 9, one per computed box where it can (several boxes lose one)."""
    people = talentmap.placements(con, Scope(), Filters(period=T, basis="terhitung", opd=(opd,)).at(T), rs, placed=True)
    people = people[people["kotak"].astype(int) != 9]
    picked = people.drop_duplicates("kotak").head(n)
    if len(picked) < n:
        picked = people.head(n)
    for nip in picked["nip"]:
        actions.calibrate(con, komite, Scope(), T, rs, nip, 9, "wawancara", "uji")
    return picked


@pytest.fixture(scope="module")
def cal(demo_db_file, tmp_path_factory):
    db = tmp_path_factory.mktemp("cal_scope") / "d.duckdb"
    shutil.copy(demo_db_file, db)
    con = store.connect(db)
    rs = rulesets.active(con)
    komite = accounts.active_user(con, "komite")
    other = _calibrate(con, rs, OTHER, 5, komite)
    mine = _calibrate(con, rs, OPD, 2, komite)
    assert len(other) == 5 and len(mine) == 2
    instansi = other["instansi"].iloc[0]
    actions.close_calibration(con, accounts.active_user(con, "pimpinan"), instansi, T)
    yield {"con": con, "rs": rs, "instansi": instansi}
    con.close()


def _deck(cal, scope, flt=FLT) -> bytes:
    content = export.gather(cal["con"], "Pemkot Uji", flt.at(T), cal["rs"], "uji", scope=scope)
    return export.build_deck(cal["con"], content, flt.at(T), cal["rs"], images=False,
                             slides=(export.slide_calibration,))


def _slide(data: bytes):
    prs = Presentation(io.BytesIO(data))
    (slide,) = list(prs.slides)
    title = next(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    rows = [[c.text for c in row.cells] for row in table.rows]
    return title, rows


@pytest.mark.parametrize("scope, flt, said", [
    (Scope(), FLT, "7 pegawai dipindahkan"),
    (Scope().masked(5), FLT, "7 pegawai dipindahkan"),
    (Scope(opd=frozenset({OPD})), FLT, "2 pegawai dipindahkan"),                # the OPD's own moves, not 7
    (Scope(), Filters(period=T, opd=(OPD,)), "2 pegawai dipindahkan"),          # an --opd deck likewise
    (Scope(), Filters(period=T, opd=("BKPSDM",)), "0 pegawai dipindahkan"),
])
def test_the_calibration_title_counts_the_moves_in_the_decks_scope_and_filters(cal, scope, flt, said):
    title, _ = _slide(_deck(cal, scope, flt))
    assert said in title


def test_a_masked_opd_deck_hides_its_small_number_of_moves(cal):
    title, _ = _slide(_deck(cal, Scope(opd=frozenset({OPD})).masked(5)))
    assert "pegawai dipindahkan" not in title and "7" not in title.split(":")[-1]


def test_the_opd_decks_table_is_its_own_opd(cal):
    """The table beside the title is the OPD's: its moves (two into box 9) and nothing of the other OPD."""
    _, rows = _slide(_deck(cal, Scope(opd=frozenset({OPD}))))
    kotak9 = next(r for r in rows if r[0] == "Kotak 9")
    assert kotak9[3] == "2"


def _number(text: str):
    return None if text == "•" else int(text.replace(".", ""))


def _small(x, t=5) -> bool:
    return x is not None and 0 < abs(x) < t


def _check_no_small_difference(rows, t=5):
    """No |Selisih| of 1..t-1 shown, none as the difference of a row's two counts, none through a column's sum (one
    hidden box of a column is the placed total, the other column's sum, less the boxes shown)."""
    boxes = [[_number(c) for c in r[1:]] for r in rows[1:10]]
    krs = [_number(c) for c in rows[10][1:]]
    for a, b, d in [*boxes, krs]:
        assert not _small(d), rows
        if a is not None and b is not None:
            assert not _small(b - a), rows
    for col, other in ((0, 1), (1, 0)):
        hidden = [i for i, r in enumerate(boxes) if r[col] is None]
        if len(hidden) == 1 and all(r[other] is not None for r in boxes):
            i = hidden[0]
            value = sum(r[other] for r in boxes) - sum(r[col] for r in boxes if r[col] is not None)
            assert not _small(boxes[i][other] - value), rows


@pytest.mark.parametrize("scope", [Scope().masked(5), Scope(opd=frozenset({OPD})).masked(5)])
def test_a_masked_decks_distribution_discloses_no_small_number_of_moved_people(cal, scope):
    _, rows = _slide(_deck(cal, scope))
    assert rows[0] == ["Kotak", "Terhitung", "Terkalibrasi", "Selisih"] and len(rows) == 11
    _check_no_small_difference(rows)


def test_the_unmasked_deck_still_shows_every_difference(cal):
    _, rows = _slide(_deck(cal, Scope()))
    assert all(r[3] != "•" for r in rows[1:]) and _number(rows[9][3]) == 7


def test_the_masked_distribution_keeps_the_shown_maps_counts(cal):
    """The column of the basis the deck's other slides show (calibrated: the session is closed) is the map's own;
    the other column and the differences hide what is small."""
    import pandas as pd

    con, rs, masked = cal["con"], cal["rs"], Scope().masked(5)
    d = calibration.distribution(con, masked, FLT.at(T), rs)
    shown = talentmap.figures(con, masked, FLT.at(T), rs)
    assert d["terkalibrasi"].tolist()[:9] == [shown[f"kotak_{i}"] for i in range(1, 10)]
    assert d["selisih"].isna().any()
    full = calibration.distribution(con, Scope(), FLT.at(T), rs)
    # both columns are read although a masked scope reads one basis elsewhere: a shown count is the true one
    for c in ("terhitung", "terkalibrasi", "selisih"):
        assert all(pd.isna(x) or x == y for x, y in zip(d[c], full[c])), c
    assert full["selisih"].abs().between(1, 4).any()          # there was something small to hide


def test_the_masked_berita_acara_sebaran_sheet_discloses_no_small_difference(cal):
    import pandas as pd

    con, rs = cal["con"], cal["rs"]
    komite = accounts.active_user(con, "komite")
    _, data = actions.export_berita_acara(con, komite, Scope().masked(5), FLT.at(T), cal["instansi"], rs)
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="Sebaran", engine="calamine")
    rows = [list(sheet.columns)] + [[str(r.Kotak)] + ["•" if pd.isna(v) else str(int(v)) for v in
                                                       (r.Terhitung, r.Terkalibrasi, r.Selisih)]
                                    for r in sheet.itertuples()]
    _check_no_small_difference(rows)


def test_a_masked_scope_reads_one_box_basis(cal):
    """Review 6 (helper's note): with two bases side by side, each talent map suppressed on its own, a masked viewer
    read the few people the Komite moved as their difference. Under a threshold every basis reads the official one."""
    con, rs = cal["con"], cal["rs"]
    masked = Scope(mask_identity=True, min_group=5)
    maps = {b: talentmap.figures(con, masked, Filters(period=T, basis=b).at(T), rs)
            for b in ("terhitung", "terkalibrasi", "otomatis")}
    assert maps["terhitung"] == maps["terkalibrasi"] == maps["otomatis"]
    full = {b: talentmap.figures(con, Scope(), Filters(period=T, basis=b).at(T), rs) for b in ("terhitung", "otomatis")}
    assert full["terhitung"] != full["otomatis"]           # the operator still compares them
    assert full["otomatis"]["kotak_9"] == full["terhitung"]["kotak_9"] + 7


def test_the_history_of_a_masked_reader_has_no_move_to_count(cal):
    """Riwayat sesi listed one row per move to a masked reader ('pindah ••••, 9 -> 8'): the rows gave back the
    number of people moved that Sebaran and 'Pegawai dipindahkan' hide (review 20, 3)."""
    con, instansi = cal["con"], cal["instansi"]
    own = calibration.history(con, Scope(opd=frozenset({OPD})), T, instansi)
    assert (own["jenis"] == "pindah").sum() == 2
    masked = calibration.history(con, Scope(opd=frozenset({OPD})).masked(5), T, instansi)
    assert not (masked["jenis"] == "pindah").any() and (masked["jenis"] == "tetapkan").sum() == 1
    data = calibration.berita_acara(con, Scope().masked(5), FLT.at(T), instansi, cal["rs"], "uji")
    import pandas as pd
    events = pd.read_excel(io.BytesIO(data), sheet_name="Riwayat sesi", engine="calamine")
    assert "pindah" not in set(events["Peristiwa"])


@pytest.mark.parametrize("scope, said", [
    (Scope(), "; 7 pegawai dipindahkan."),
    (Scope(opd=frozenset({OPD})), "; 2 pegawai dipindahkan."),        # the banner of an OPD account: its own
    (Scope(opd=frozenset({OPD})).masked(5), "; • pegawai dipindahkan."),
])
def test_the_sessions_line_counts_the_moves_the_reader_may_see(cal, scope, said):
    """The Kalibrasi page's banner and the deck slide said the whole instansi's count to an OPD account, and
    the reason for a reopening (free text) to a masked screen (review 20, 5)."""
    con, rs = cal["con"], cal["rs"]
    s = calibration.session(con, cal["instansi"], T)
    assert s.describe().endswith("; 7 pegawai dipindahkan.")
    assert calibration.describe_session(con, scope, s, rs).endswith(said)
