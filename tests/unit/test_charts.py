"""Charts are tested on their data: positions, colours, counts, clickable targets."""
import numpy as np
import pandas as pd
import pytest

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


# --- data is text: hostile OPD and names never become markup in a figure -------------------------------

HOSTILE_OPD = '<a href="http://127.0.0.1:9/x">OPD Tautan</a>'
HOSTILE_NAMA = "<b>Tebal</b> Baris<br>Dua <img src=x>"
RAW_MARKUP = ("<a ", "<a>", "<b>Tebal", "Baris<br>Dua", "<img", "</a>")


def _shown_strings(fig) -> list[str]:
    """Every string plotly may draw as text: titles, annotations, tick labels, names, axis categories, text
    and hover text, and each point's hover/text template filled in with its values (customdata included)."""
    import re

    out = []

    def walk(v, key=""):
        if key == "customdata":         # drawn only through a template (filled in below)
            return
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(x, k)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x, key)
        elif hasattr(v, "tolist"):
            walk(v.tolist(), key)

    d = fig.to_dict()
    walk(d["layout"])
    for tr in d["data"]:
        walk(tr)
        for k in ("hovertemplate", "texttemplate"):
            if isinstance(tr.get(k), str):
                out.extend(re.sub(r"%\{(\w+)(?:\[(\d+)\])?(?::[^}]*)?\}",
                                  lambda m: str(p.get(m.group(1), "") if m.group(2) is None
                                                else p[m.group(1)][int(m.group(2))]), tr[k])
                           for p in _points(tr))
    return out


def _points(tr) -> list[dict]:
    """The values each point of a trace fills into its templates."""
    col = lambda k: list(tr[k]) if tr.get(k) is not None and not isinstance(tr[k], str) else None  # noqa: E731
    if tr["type"] == "heatmap":
        x, y, text = col("x"), col("y"), col("text") or []
        return [{"x": xv, "y": yv, "text": text[r][c] if text else "", "z": ""}
                for r, yv in enumerate(y) for c, xv in enumerate(x)]
    cols = {k: col(k) for k in ("x", "y", "text", "hovertext", "customdata")}
    n = max((len(v) for v in cols.values() if v is not None), default=0)
    return [{k: (v[i] if v is not None and i < len(v) else "") for k, v in cols.items()} for i in range(n)]


def _assert_literal(fig, *values):
    shown = _shown_strings(fig)
    leaked = [s for s in shown if any(m in s for m in RAW_MARKUP)]
    assert not leaked, leaked[:3]
    for v in values:                                # shown escaped, not dropped
        assert any(charts.esc(v) in s for s in shown), v


def _pool(groups):
    rows = [{"group": g, "total": 30, **{f"kotak_{i}": i for i in range(1, 10)}, "belum_terpetakan": 3,
             "krs": 24, "krs_persen": 50.0} for g in groups]
    return pd.DataFrame(rows)


def test_pool_stacked_writes_shares_as_the_pages_do():
    """Placed = 30 - 3 = 27; box 9 holds 9 of them: the hover reads "33,3 %" and the axis "100 %", as the
    tables beside the chart write a share (plotly's own format wrote "33.3%" / "100%")."""
    fig = charts.pool_stacked(_pool(["Dinas A"]), title="Proporsi", group_label="OPD")
    box9 = next(t for t in fig.data if t.name == "Kotak 9")
    assert box9.x[0] == pytest.approx(9 / 27) and box9.customdata[0][2] == "33,3 %"
    assert "%{x:" not in box9.hovertemplate and "%{customdata[2]}" in box9.hovertemplate
    assert list(fig.layout.xaxis.ticktext)[-1] == "100 %" and fig.layout.xaxis.range == (0, 1)


def test_nine_box_shows_hostile_names_and_filters_as_text():
    from talenta.scope import Filters

    ind = pd.DataFrame({"nip": ["199001012015031001"], "nama": [HOSTILE_NAMA], "opd": [HOSTILE_OPD],
                        "skor_kinerja": [100.0], "skor_potensial": [95.0], "kotak": [9]})
    footnote = Filters(period=2025, opd=(HOSTILE_OPD,)).describe() + " · Aturan #1: <b>Komite</b>"
    fig = charts.nine_box(_counts([1] * 9), title="Peta <img src=x>", footnote=footnote, individuals=ind, rs=DEFAULT)
    _assert_literal(fig, HOSTILE_NAMA, HOSTILE_OPD, "<b>Komite</b>", "Peta <img src=x>")
    assert fig.layout.annotations[0].text == "<b>Kotak 1</b>"     # the chart's own markup still applies


def test_pool_charts_show_hostile_opd_as_text_and_keep_it_for_the_click():
    table = _pool([HOSTILE_OPD, HOSTILE_NAMA, "Dinas Kesehatan"])
    heat = charts.pool_heatmap(table, title="Sebaran", group_label="OPD <b>x</b>", footnote=f"OPD: {HOSTILE_OPD}")
    _assert_literal(heat, HOSTILE_OPD, HOSTILE_NAMA, "OPD <b>x</b>")
    targets = heat.data[-1]
    assert targets.customdata[0][0] == HOSTILE_OPD    # the page lists the OPD as stored
    assert list(heat.data[0].y) == [charts.esc(g) for g in table["group"]] == list(dict.fromkeys(targets.y))
    _assert_literal(charts.pool_stacked(table, title=f"Proporsi {HOSTILE_OPD}", group_label="OPD"),
                    HOSTILE_OPD, HOSTILE_NAMA)


def test_other_charts_escape_their_titles_and_labels():
    import numpy as np

    title = f"Judul {HOSTILE_OPD}"
    m = pd.DataFrame(np.arange(100).reshape(10, 10))
    _assert_literal(charts.transition_heatmap(m, title, x_title=HOSTILE_NAMA, y_title="y"), title, HOSTILE_NAMA)
    _assert_literal(charts.coverage_per_period(pd.DataFrame({"tahun": [2024], "kinerja": [5], "asesmen": [3]}),
                                               title=title), title)
    _assert_literal(charts.trend(pd.DataFrame({"periode": [2024, 2025], "terpetakan": [10, 12],
                                               "krs_persen": [20.0, 30.0]}), title=title), title)
    prof = pd.DataFrame({"cluster": [1, 2], "hipo": [True, False], "pegawai": [10, 20], "jpm": [90.0, 70.0]})
    _assert_literal(charts.cluster_profiles(prof, {"jpm": HOSTILE_NAMA}, title), title, HOSTILE_NAMA)
    _assert_literal(charts.cluster_scatter(charts.cluster_cells(_clusters(50)), title), title)
    _assert_literal(charts.movement_sankey(m, 2024, 2025))


def test_cluster_colours_are_not_nine_box_colours():
    """A cluster must never read as a box: no cluster colour is (close to) a nine-box colour."""
    from talenta import charts, rules

    def rgb(h):
        return np.array([int(h[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)

    boxes = [rgb(b.colour) for b in rules.BOXES]
    for c in charts.CLUSTER_COLOURS:
        assert min(np.linalg.norm(rgb(c) - b) for b in boxes) > 60, c


def test_trend_counts_at_the_bars_foot_and_round_krs_ticks():
    """The last period's count no longer prints over its KRS share (counts sit at the bars' foot), and the KRS
    axis has its own round ticks (5 %, 10 % ...), not the count axis's gridlines relabelled as 3,1 %."""
    for top in (6.45, 26.7, 81.0):
        fig = charts.trend(pd.DataFrame({"periode": [2024, 2025], "terpetakan": pd.array([20, 31], dtype="Int64"),
                                         "krs_persen": [5.0, top]}))
        assert fig.data[0].insidetextanchor == "start" and fig.data[1].textposition == "top center"
        y2 = fig.layout.yaxis2
        assert y2.tickmode == "linear" and y2.tick0 == 0 and y2.dtick in (1, 2, 2.5, 5, 10, 20, 25)
        assert y2.range[1] >= top * 1.3 and y2.range[1] / y2.dtick <= 5 and y2.tickformat == ",.1~f"


@pytest.mark.parametrize("top", [96.0, 96.2, 99.9, 100.0])
def test_trend_draws_a_krs_share_near_or_at_100_percent(top):
    """A small, strong group (one person in box 9: 100 %) crashed Ringkasan and presentation step 1 with
    StopIteration (review 10, 1): the axis now stops at 125 % with ticks of 25, room for the label above 100 %."""
    fig = charts.trend(pd.DataFrame({"periode": [2024, 2025], "terpetakan": pd.array([1, 1], dtype="Int64"),
                                     "krs_persen": [50.0, top]}))
    y2 = fig.layout.yaxis2
    assert y2.range[1] >= top + 20 and y2.range[1] <= 125 and y2.range[1] / y2.dtick <= 5


def test_a_pool_row_with_every_box_hidden_still_draws_its_hidden_marks():
    """One OPD whose boxes are all suppressed (a filter leaving five people, one placed): plotly drew neither the
    cells nor their "•" when no value was finite, so the row looked empty. The marks are drawn on the scale's
    lightest colour."""
    from talenta import pool

    row = {"group": "Dinas Perindustrian", "total": 5, **{c: pd.NA for c in pool.BOX_COLS},
           "belum_terpetakan": pd.NA, "krs": pd.NA, "krs_persen": np.nan}
    df = pd.DataFrame([row]).astype({c: "Int64" for c in [*pool.BOX_COLS, "belum_terpetakan", "krs"]})
    fig = charts.pool_heatmap(df, title="t", group_label="OPD")
    boxes = fig.data[0]
    assert np.isfinite(np.asarray(boxes.z, dtype=float)).all() and float(np.max(boxes.z)) == 0.0
    assert [t for r in boxes.text for t in r] == [privacy.HIDDEN] * 9
    assert boxes.showscale is False          # no colour scale for colours that mean nothing


def test_trajectory_orders_the_periods_whichever_series_draws_them():
    """An unplaced first year is drawn by the second series: it used to come last on the axis (2024, 2025, 2023)."""
    fig = charts.trajectory(pd.DataFrame({"periode": [2023, 2024, 2025], "kotak": [None, 5, 8]}))
    assert list(fig.layout.xaxis.categoryarray) == ["2023", "2024", "2025"]
    assert fig.layout.xaxis.categoryorder == "array"


def test_a_long_office_name_takes_two_lines_escaped_in_the_pool_heatmap():
    """"SD Negeri 107 Palembang (Dinas Pendidikan)" widened the name column until the "Kotak 1".."9" headers ran
    into each other: a long name with its OPD or instansi in brackets is set on two lines, each part escaped; a
    slide's heatmap keeps one line (its rows are one line high)."""
    long = "SD Negeri 107 <b>Palembang</b> (Dinas Pendidikan)"
    table = _pool([long, "Dinas A"])
    fig = charts.pool_heatmap(table, title="t", group_label="Unit kerja")
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[0] == charts.esc("SD Negeri 107 <b>Palembang</b>") + "<br>" + charts.esc("(Dinas Pendidikan)")
    assert ticks[1] == "Dinas A" and list(fig.layout.yaxis.tickvals) == [charts.esc(g) for g in table["group"]]
    many = charts.pool_heatmap(_pool([f"SD Negeri {i} Palembang (Dinas Pendidikan)" for i in range(20)]), title="t",
                               group_label="Unit kerja")
    assert many.layout.height == 200 + 34 * 20          # room for two lines per row (26 px for one)
    one = charts.pool_heatmap(table, title="t", group_label="", two_line_names=False)
    assert "<br>" not in "".join(one.layout.yaxis.ticktext)


def test_a_very_long_name_is_clipped_on_the_axis_and_whole_where_it_is_read():
    """A 300-character OPD name took the heatmap's whole width on the page and the slide (cells 80 px wide) and
    squeezed the deck's bars (hostile pass, session 22): the axis shows at most ``fmt.NAME_CHARS`` characters and
    "…"; the row stays the full name (its click target, the page's query)."""
    from talenta import fmt

    huge = "Dinas " + " ".join(["Pemberdayaan <b>Perempuan</b>"] * 12)
    fig = charts.pool_heatmap(_pool([huge, "Dinas A"]), title="t", group_label="OPD")
    tick = list(fig.layout.yaxis.ticktext)[0]
    assert tick.endswith("…") and len(charts.esc(fmt.clip(huge))) == len(tick) and len(fmt.clip(huge)) <= 56
    assert list(fig.layout.yaxis.tickvals)[0] == charts.esc(huge)
    assert fmt.clip("Dinas Kesehatan") == "Dinas Kesehatan"
    assert fmt.clip("x" * 80) == "x" * 55 + "…"                  # one long word: cut inside it
    two = charts.pool_heatmap(_pool([huge + " (Kota Palembang)"]), title="t", group_label="Unit kerja")
    assert all(len(part) <= 80 for part in list(two.layout.yaxis.ticktext)[0].split("<br>"))


def test_a_trend_of_zeros_and_hidden_counts_is_not_drawn():
    """Filtered to a few Pelaksana, the placed counts were 0 or hidden in every period and the chart drew axes
    reading 1, 1, 0, -1, -1 beside no bar (hostile pass, session 22): the sentence says why instead."""
    from talenta.ui import summary

    df = pd.DataFrame({"periode": [2023, 2024, 2025], "terpetakan": pd.array([0, pd.NA, 0], dtype="Int64")})
    assert not summary.trend_shown(df)
    assert summary.trend_shown(df.assign(terpetakan=pd.array([0, pd.NA, 7], dtype="Int64")))
    assert not summary.trend_shown(df.iloc[0:0])
