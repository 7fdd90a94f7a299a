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
    people = talentmap.placements(con, Scope(), Filters(period=T, basis="terhitung", opd=(opd,)), T, rs, placed=True)
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
    content = export.gather(cal["con"], "Pemkot Uji", flt, T, cal["rs"], "uji", scope=scope)
    return export.build_deck(cal["con"], content, flt, T, cal["rs"], images=False,
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
