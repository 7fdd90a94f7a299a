"""The nine boxes exactly as PermenPANRB 3/2020 lays them out, and every cut-off from both sides."""
import json
import re
from pathlib import Path

import pytest

from talenta import rules
from talenta.rules import RuleSet, RuleSetError, box_of, place

ROOT = Path(__file__).resolve().parents[2]


def test_grid_layout_is_the_regulations():
    # rows from the top: kinerja di atas, sesuai, di bawah; columns: potensial rendah, menengah, tinggi
    top = [rules.GRID[(2, p)] for p in range(3)]
    mid = [rules.GRID[(1, p)] for p in range(3)]
    bottom = [rules.GRID[(0, p)] for p in range(3)]
    assert (top, mid, bottom) == ([4, 7, 9], [2, 5, 8], [1, 3, 6])
    assert [b.number for b in rules.BOXES if b.krs] == [7, 8, 9]
    assert rules.BOX[9].label == "Kinerja di atas ekspektasi dan potensial tinggi"
    assert rules.BOX[1].label == "Kinerja di bawah ekspektasi dan potensial rendah"
    assert rules.BOX[6].label == "Kinerja di bawah ekspektasi dan potensial tinggi"
    assert rules.BOX[1].rekomendasi == "Diproses sesuai ketentuan peraturan perundang-undangan"
    assert "Kelompok Rencana Suksesi Instansi/Nasional" in rules.BOX[9].rekomendasi
    assert len({b.colour for b in rules.BOXES}) == 9


# (skor kinerja, skor potensial/JPM) -> box, default rule set
GOLDEN = [
    (100, 100, 9), (90, 90, 9), (89.99, 90, 8), (90, 89.99, 7), (90, 78, 7), (90, 77.99, 4),
    (70, 90, 8), (69.99, 90, 6), (70, 78, 5), (69.99, 78, 3), (70, 77.99, 2), (69.99, 77.99, 1),
    (20, 0, 1), (80, 120, 8), (95, 120, 9), (60, 85, 3), (40, 95, 6), (85, 50, 2), (100, 30, 4),
]


@pytest.mark.parametrize("kin, pot, want", GOLDEN)
def test_golden_boxes(kin, pot, want):
    ps = rules.potensial_score(jpm=pot)       # a JPM above 100 counts as 100
    assert box_of(kin, ps) == want


def test_all_nine_combinations_are_reachable():
    got = {box_of(k, p) for k in (50, 75, 95) for p in (60, 80, 95)}
    assert got == set(range(1, 10))


def test_score_exactly_on_cut_off_after_float_arithmetic():
    # a mean that should be 90 but lands a hair below it in floating point is still "di atas";
    # a real 89.99 is not
    assert rules.kinerja_level(90 - 1e-12) == 2 and rules.kinerja_level(89.99) == 1
    assert rules.potensial_level(78 - 1e-12) == 1 and rules.potensial_level(77.99) == 0


def test_kinerja_one_and_two_years_and_mixed():
    assert rules.kinerja_score([("Sangat Baik", None)]) == 100
    assert rules.kinerja_score([("Sangat Baik", None), ("Baik", None)]) == 90
    assert rules.kinerja_score([("Baik", 95.0), (None, 60.0)]) == 70    # predikat wins over nilai
    assert rules.kinerja_score([]) is None


def test_potensial_without_jpm_is_weighted_mean_of_available():
    assert rules.potensial_score(nilai_potensi=80, nilai_manajerial=90) == 85
    rs = RuleSet(weights={"nilai_potensi": 3.0, "nilai_manajerial": 1.0, "nilai_sosial_kultural": 1.0,
                          "nilai_teknis": 1.0})
    assert rules.potensial_score(None, rs, nilai_potensi=80, nilai_manajerial=100) == 85
    assert rules.potensial_score(jpm=120) == 100


A = lambda t, jpm=None, **k: {"tahun": t, "jpm": jpm, **k}  # noqa: E731


def test_place_uses_windows_and_gives_reasons():
    k = [(2023, "Kurang", None), (2024, "Baik", None), (2025, "Sangat Baik", None)]
    p = place(2025, k, [A(2023, 95)])
    assert (p.box, p.skor_kinerja, p.skor_potensial) == (9, 90, 95)          # 2023 kinerja outside T-1..T
    assert place(2025, k, [A(2022, 95)]).alasan == rules.UNPLACED_REASONS["asesmen_kedaluwarsa"]
    assert place(2025, k, [A(2026, 95)]).alasan == rules.UNPLACED_REASONS["tanpa_asesmen"]  # future ignored
    assert place(2025, k, []).alasan == rules.UNPLACED_REASONS["tanpa_asesmen"]
    none = place(2025, [(2023, "Baik", None)], [])
    assert none.box is None and none.alasan == "; ".join([rules.UNPLACED_REASONS["tanpa_kinerja"],
                                                          rules.UNPLACED_REASONS["tanpa_asesmen"]])
    latest = place(2025, k, [A(2023, 95), A(2024, 60)])        # the latest valid assessment counts
    assert latest.skor_potensial == 60 and latest.box == 4
    only_one_year = place(2025, [(2025, "Baik", None)], [A(2025, None, nilai_teknis=79)])
    assert only_one_year.box == 5


def test_rule_set_validation_names_the_problem():
    with pytest.raises(RuleSetError, match="harus di bawah"):
        RuleSet(kinerja_sesuai=90, kinerja_atas=70)
    with pytest.raises(RuleSetError, match="bobot"):
        RuleSet(weights={"nilai_potensi": 0.0, "nilai_manajerial": 0.0, "nilai_sosial_kultural": 0.0,
                         "nilai_teknis": 0.0})
    with pytest.raises(RuleSetError, match="masa berlaku asesmen"):
        RuleSet(asesmen_years=0)


def test_changed_cut_off_changes_the_box():
    strict = RuleSet(potensial_tinggi=95)
    assert box_of(90, 92) == 9 and box_of(90, 92, strict) == 7


def test_default_in_migration_equals_python_default():
    sql = (ROOT / "talenta" / "sql" / "002_rule_sets.sql").read_text(encoding="utf-8")
    stored = json.loads(re.search(r"'(\{.*\})'", sql).group(1))
    assert stored == json.loads(rules.DEFAULT.to_json())


def test_describe_in_words():
    text = " ".join(rules.DEFAULT.describe())
    assert "≥ 90" in text and "≥ 70" in text and "≥ 78" in text and "Sangat Baik 100" in text


def test_a_rule_set_refusal_speaks_the_pages_words_and_numbers():
    """'(70.0) harus di bawah ... (60.0)' and 'kinerja_sesuai = 250' (hostile pass, session 22): the Aturan page's
    labels and Indonesian decimals."""
    import pytest

    from talenta.rules import RuleSet, RuleSetError

    with pytest.raises(RuleSetError, match=r"batas kinerja 'sesuai' \(70,5\) harus di bawah batas 'di atas' \(60\)"):
        RuleSet(kinerja_sesuai=70.5, kinerja_atas=60.0)
    with pytest.raises(RuleSetError, match=r"JPM dihitung paling tinggi = 250 harus angka 0-200"):
        RuleSet(jpm_cap=250.0)
    with pytest.raises(RuleSetError, match=r"masa berlaku asesmen \(tahun\) = 9 harus bilangan bulat 1-5"):
        RuleSet(asesmen_years=9)
