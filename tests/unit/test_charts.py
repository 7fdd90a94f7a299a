"""Charts are tested on their data: positions, colours, counts, clickable targets."""
import pandas as pd

from talenta import charts, privacy, rules
from talenta.rules import DEFAULT


def _counts(values):
    return pd.DataFrame({"kotak": range(1, 10), "n": values})


def test_nine_box_cells_positions_colours_and_counts():
    fig = charts.nine_box(_counts([10, 20, 30, 40, 50, 60, 70, 80, 3190]), title="Peta talenta 2025")
    rects = fig.layout.shapes
    assert len(rects) == 9
    for b, shape in zip(rules.BOXES, rects):
        k, p = rules.KINERJA_LEVELS.index(b.kinerja), rules.POTENSIAL_LEVELS.index(b.potensial)
        assert (shape.x0, shape.y0) == (p, k) and shape.fillcolor == b.colour
    # box 9 sits top right, box 1 bottom left
    assert (rects[8].x0, rects[8].y0) == (2, 2) and (rects[0].x0, rects[0].y0) == (0, 0)
    texts = [a.text for a in fig.layout.annotations]
    assert "<b>3.190</b>" in texts
    assert "89,9 %" in texts                                    # 3190 of 3550, Indonesian decimal comma
    target = fig.data[-1]
    per_cell = charts.LATTICE ** 2
    assert [c[0] for c in target.customdata] == [b for b in range(1, 10) for _ in range(per_cell)]
    # every target of box 9 lies inside the top-right cell, and together they span it
    xs = target.x[8 * per_cell:]
    ys = target.y[8 * per_cell:]
    assert min(xs) > 2 and max(xs) < 3 and min(ys) > 2 and max(ys) < 3 and max(xs) - min(xs) >= 0.7
    assert fig.layout.xaxis.title.text == "Potensial" and fig.layout.yaxis.title.text == "Kinerja"


def test_suppressed_counts_and_their_shares_drawn_as_the_hidden_mark():
    na = pd.NA
    counts = _counts(pd.array([na, 0, 7, na, 50, na, 9, na, 12], dtype="Int64"))
    counts["persen"] = [float("nan"), 0.0, 0.07, float("nan"), 0.5, float("nan"), 0.09, float("nan"), 0.12]
    fig = charts.nine_box(counts, title="t")
    texts = [a.text for a in fig.layout.annotations]
    assert texts.count(f"<b>{privacy.HIDDEN}</b>") == 4 and "<b>0</b>" in texts and "<b>50</b>" in texts
    assert "50,0 %" in texts and texts.count("") == 4         # a hidden count has no share either


def test_individual_dots_fall_inside_their_box():
    ind = pd.DataFrame({"nip": ["a", "b", "c"], "nama": ["A", "B", "C"], "opd": ["X"] * 3,
                        "skor_kinerja": [100.0, 70.0, 20.0], "skor_potensial": [95.0, 78.0, 40.0],
                        "kotak": [9, 5, 1]})
    fig = charts.nine_box(_counts([1, 0, 0, 0, 1, 0, 0, 0, 1]), title="t", individuals=ind, rs=DEFAULT)
    dots = fig.data[0]
    for x, y, kotak in zip(dots.x, dots.y, ind["kotak"]):
        b = rules.BOX[kotak]
        k, p = rules.KINERJA_LEVELS.index(b.kinerja), rules.POTENSIAL_LEVELS.index(b.potensial)
        assert p < x < p + 1 and k < y < k + 1


def test_coverage_chart_bars_carry_the_numbers():
    df = pd.DataFrame({"tahun": [2023, 2024], "kinerja": [1000, 1200], "asesmen": [400, 500]})
    fig = charts.coverage_per_period(df)
    assert [list(t.y) for t in fig.data] == [[1000, 1200], [400, 500]]
    assert list(fig.data[0].text) == ["1.000", "1.200"]


def _clusters(n, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    cluster = rng.integers(1, 4, n)
    return pd.DataFrame({"cluster": cluster, "hipo": cluster == 1, "jpm": rng.uniform(50, 110, n),
                         "skor_kinerja": rng.choice([60.0, 80.0, 100.0], n)})


def test_cluster_scatter_draws_people_when_few_and_counted_cells_when_many():
    few = _clusters(300)
    cells = charts.cluster_cells(few, max_points=5000)
    assert len(cells) == 300 and (cells["n"] == 1).all() and not cells["grouped"].any()
    fig = charts.cluster_scatter(cells, "t")
    assert sum(len(tr.x) for tr in fig.data) == 300
    assert [tr.name for tr in fig.data] == ["Klaster 1 (potensi tinggi)", "Klaster 2", "Klaster 3"]

    many = _clusters(200_000, seed=1)
    cells = charts.cluster_cells(many, max_points=5000)
    assert cells["grouped"].all() and len(cells) <= 3 * 31 * 3   # 3 clusters x ~31 JPM cells x 3 kinerja levels
    assert cells["n"].sum() == 200_000
    per_cluster = cells.groupby("cluster")["n"].sum()
    assert per_cluster.to_dict() == many.groupby("cluster").size().to_dict()
    fig = charts.cluster_scatter(cells, "t")
    assert "dikelompokkan per sel" in fig.layout.title.text
    assert sum(sum(tr.customdata) for tr in fig.data) == 200_000
    sizes = [s for tr in fig.data for s in tr.marker.size]
    assert max(sizes) == 24 and min(sizes) >= 4                 # area grows with the count, bounded on screen
