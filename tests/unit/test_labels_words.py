"""The words a user reads: display names, reason names, numbers typed the Indonesian way, charts' wording."""
import numpy as np
import pandas as pd
import pytest

from talenta import charts, fmt, labels, rules, schema


@pytest.mark.parametrize("text, value", [("87,5", 87.5), ("90", 90.0), ("1.250", 1250.0), ("1.250,5", 1250.5),
                                         ("87.5", 87.5), (" 70,0 ", 70.0), ("-3", -3.0)])
def test_numbers_typed_the_indonesian_way(text, value):
    assert fmt.parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12.5.1", "1.2,3.4", "90 %"])
def test_what_is_not_a_number_is_refused(text):
    assert fmt.parse_number(text) is None


def test_percentages_and_shares_read_the_same():
    assert fmt.persen(40.0) == fmt.pct(0.4) == "40,0 %"
    assert fmt.persen(float("nan")) == "–"


def test_every_import_reason_code_has_a_readable_name():
    from talenta.ingest.validate import RULES

    for code in RULES:
        name = labels.reason(code)
        assert "_" not in name and name[0].isupper(), (code, name)
    assert labels.reason("kode_baru_sekali") == "Kode baru sekali"
    assert labels.columns_text("nip, tanggal_lahir") == "NIP, " + labels.label("tanggal_lahir")


def test_every_schema_column_has_an_indonesian_name():
    for name in schema.COLUMNS:
        assert labels.label(name) != name and "_" not in labels.label(name), name


def test_predikat_points_are_described_in_the_regulations_order():
    rs = rules.RuleSet(predikat_points=dict(sorted(rules.DEFAULT.predikat_points.items())))   # alphabetical
    text = rs.describe()[0]
    assert [text.index(p) for p in schema.PREDIKAT] == sorted(text.index(p) for p in schema.PREDIKAT)


def _pool(rows):
    df = pd.DataFrame(rows)
    df["krs"] = df[[f"kotak_{b}" for b in rules.KRS_BOXES]].sum(axis=1)
    df["total"] = df[[f"kotak_{i}" for i in range(1, 10)] + ["belum_terpetakan"]].sum(axis=1)
    df["krs_persen"] = 100 * df["krs"] / (df["total"] - df["belum_terpetakan"])
    return df


POOL = _pool([{"group": "Dinas A", **{f"kotak_{i}": i for i in range(1, 10)}, "belum_terpetakan": 55},
              {"group": "Dinas B", **{f"kotak_{i}": 2 for i in range(1, 10)}, "belum_terpetakan": 2}])


def test_pool_heatmap_has_one_denominator_and_rows_add_to_100():
    fig = charts.pool_heatmap(POOL, title="t", group_label="OPD", shares=True)
    boxes, unplaced = fig.data[0], fig.data[1]
    for i in range(len(POOL)):
        texts = list(boxes.text[i]) + list(unplaced.text[i])
        total = sum(float(t.replace(" %", "").replace(",", ".")) for t in texts)
        assert total == pytest.approx(100, abs=0.6)          # rounded to 0,1 % per cell
    assert unplaced.text[0][0] == "55,0 %"                   # 55 of the 100 employees of Dinas A


def test_unplaced_column_is_grey_apart_and_outside_the_colour_scale():
    fig = charts.pool_heatmap(POOL, title="t", group_label="OPD")
    boxes, unplaced = fig.data[0], fig.data[1]
    assert list(boxes.x) == list(range(9)) and np.asarray(boxes.z).shape == (2, 9)
    assert unplaced.x[0] > 8.5 + 0.3                          # a gap between kotak 9 and the grey column
    assert {c for _, c in unplaced.colorscale} == {charts.UNPLACED_GREY} and not unplaced.showscale
    assert boxes.showscale and "ASN kelompok" in boxes.colorbar.title.text   # the legend says what colour means


def test_the_clicked_cell_is_outlined():
    fig = charts.pool_heatmap(POOL, title="t", group_label="OPD", selected=("Dinas B", 5))
    outline = [s for s in fig.layout.shapes if s.line.width == 4]
    assert len(outline) == 1
    assert (outline[0].x0 + outline[0].x1) / 2 == 4 and (outline[0].y0 + outline[0].y1) / 2 == 1
    fig = charts.pool_heatmap(POOL, title="t", group_label="OPD", selected=("Dinas A", 0))
    outline = [s for s in fig.layout.shapes if s.line.width == 4][0]
    assert (outline.x0 + outline.x1) / 2 == charts.UNPLACED_X and (outline.y0 + outline.y1) / 2 == 0
    assert not [s for s in charts.pool_heatmap(POOL, title="t", group_label="OPD").layout.shapes if s.line.width == 4]


def test_sankey_nodes_are_ordered_by_box_with_counts_in_their_labels():
    m = pd.DataFrame(np.full((10, 10), 3))
    fig = charts.movement_sankey(m, 2024, 2025)
    node = fig.data[0].node
    left_y = {k: node.y[k] for k in range(10)}
    order = [k for k, _ in sorted(left_y.items(), key=lambda kv: kv[1])]
    assert order == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]          # kotak 9 on top, belum terpetakan at the bottom
    assert all(node.x[k] < 0.1 and node.x[10 + k] > 0.9 for k in range(10))
    assert node.label[0] == "Belum terpetakan (2024): 27"    # its 3 x 9 moves out (unplaced twice is not a move)
    assert node.label[19] == "Kotak 9 (2025): 30"


def test_sankey_nodes_with_a_hidden_flow_state_no_partial_sum():
    """Review 6: under masking the labels summed only the flows left after suppression ("Kotak 5 (2025): 1.253"
    where 3.799 were placed); a node with a hidden flow now names its box without a count."""
    m = pd.DataFrame(np.full((10, 10), 30)).astype("Int64")
    m.iat[5, 5] = pd.NA
    fig = charts.movement_sankey(m, 2024, 2025)
    node = fig.data[0].node
    assert node.label[5] == "Kotak 5 (2024)" and node.label[15] == "Kotak 5 (2025)"
    assert node.label[4] == "Kotak 4 (2024): 300" and node.label[14] == "Kotak 4 (2025): 300"
    assert "tidak digambar" in fig.layout.title.text
    assert "tidak digambar" not in charts.movement_sankey(m.fillna(30), 2024, 2025).layout.title.text
