"""Functions that return plotly figures (no Streamlit here). Tests assert on ``fig.data``."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import fmt
from .escape import plotly as esc
from .rules import KRS_SHORT

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15)
SERIES = {"kinerja": "#4575b4", "asesmen": "#fdae61"}



def share_axis(title: str) -> dict:
    """A 0..1 share axis ticked as pages and exports write a share ("0 %" .. "100 %"; plotly's ``.0%`` writes
    "100%" beside the text's "26,7 %")."""
    ticks = [i / 5 for i in range(6)]
    return dict(range=[0, 1], tickvals=ticks, ticktext=[fmt.pct(v, 0) for v in ticks], title=title)

def _id(x: float) -> str:
    from .privacy import HIDDEN, hidden
    return HIDDEN if hidden(x) else fmt.num(x)


def coverage_per_period(df: pd.DataFrame, title: str = "Data kinerja dan asesmen per tahun") -> go.Figure:
    """Grouped bars: employees with an SKP and with an assessment, per year."""
    fig = go.Figure()
    for col, label in (("kinerja", "Ada SKP (kinerja)"), ("asesmen", "Ada asesmen")):
        fig.add_bar(x=df["tahun"].astype(str), y=df[col], name=label, marker_color=SERIES[col],
                    text=[_id(v) for v in df[col]], textposition="outside",
                    hovertemplate="%{x}: %{text} pegawai<extra>" + label + "</extra>")
    fig.update_layout(title=esc(title), barmode="group", font=FONT, separators=",.",
                      yaxis_title="Pegawai", yaxis_tickformat=",d", xaxis_title="Tahun penilaian", legend_orientation="h",
                      legend_y=-0.2, margin=dict(t=60, b=40, l=60, r=20), height=380)
    return fig


def _wrap(text: str, width: int) -> str:
    """Break a long footnote on ' · ' separators into lines of about ``width`` characters (escaped for plotly)."""
    lines, line = [], ""
    for part in esc(text).split(" · "):
        if line and len(line) + len(part) + 3 > width:
            lines.append(line)
            line = part
        else:
            line = f"{line} · {part}" if line else part
    return "<br>".join(lines + [line])


LATTICE = 4  # clickable targets per cell side in the nine-box grid


def _fmt_pct(share: float) -> str:
    return fmt.pct(share)


def _band(level: int, low: float, high: float, floor: float, ceil: float) -> tuple[float, float]:
    return [(floor, low), (low, high), (high, ceil)][level]


def nine_box(counts: pd.DataFrame, *, title: str, footnote: str = "", individuals: pd.DataFrame | None = None,
             rs=None, height: int = 620, selected: int | None = None,
             compact: bool = False) -> go.Figure:
    """The nine-box grid in the regulation's layout (potensial on X, kinerja on Y, box 9 top right).

    Each cell shows its box number, short label, count and share of placed employees; a lattice of
    transparent markers covers each cell so a click anywhere selects it (``customdata`` is ``[kotak]``).
    ``individuals`` (scores of at most a few thousand employees) adds one dot per employee, placed
    inside its cell by its scores. ``counts`` comes from ``talentmap.box_counts``: a suppressed count
    (``<NA>``) and its share are drawn as the hidden mark.
    """
    from . import rules

    n = dict(zip(counts["kotak"], counts["n"]))
    if "persen" in counts:
        share = dict(zip(counts["kotak"], counts["persen"]))
    else:
        total = sum(n.values())
        share = {k: (v / total if total else 0.0) for k, v in n.items()}
    fig = go.Figure()
    # shapes and annotations are collected as plain dicts and set once: add_shape/add_annotation one by
    # one validate the whole layout each time (0,3 s for this grid)
    shapes, notes = [], []
    cx, cy, custom, hover = [], [], [], []
    for b in rules.BOXES:
        k, p = rules.KINERJA_LEVELS.index(b.kinerja), rules.POTENSIAL_LEVELS.index(b.potensial)
        count_txt = _id(n.get(b.number, 0))
        share_txt = "" if pd.isna(share.get(b.number, 0.0)) else _fmt_pct(share.get(b.number, 0.0))
        line = dict(color="#1f2933", width=4) if selected == b.number else dict(color="white", width=3)
        shapes.append(dict(type="rect", x0=p, x1=p + 1, y0=k, y1=k + 1, fillcolor=b.colour, line=line, layer="below"))
        parts = ((0.78, f"<b>Kotak {b.number}</b>", 15), (0.45, f"<b>{count_txt}</b>", 24), (0.18, share_txt, 14)) \
            if compact else ((0.80, f"<b>Kotak {b.number}</b>", 16), (0.64, b.short, 12),
                             (0.42, f"<b>{count_txt}</b>", 28), (0.20, share_txt, 15))
        for dy, text, size in parts:
            notes.append(dict(x=p + 0.5, y=k + dy, text=text, showarrow=False,
                              font=dict(color=b.text_colour, size=size)))
        tip = (f"<b>{b.title}</b><br>{count_txt} pegawai {('(' + share_txt + ')') if share_txt else ''}"
               f"<br>Rekomendasi: {b.rekomendasi}")
        for i in range(LATTICE):          # a lattice of invisible targets: a click anywhere in the cell selects it
            for j in range(LATTICE):
                cx.append(p + (i + 0.5) / LATTICE)
                cy.append(k + (j + 0.5) / LATTICE)
                custom.append([b.number])
                hover.append(tip)
    if individuals is not None and len(individuals) and rs is not None:
        ind = individuals
        kl = ind["skor_kinerja"].map(lambda s: rules.kinerja_level(s, rs))
        pl = ind["skor_potensial"].map(lambda s: rules.potensial_level(s, rs))
        def pos(score, level, lo, hi, floor, ceil):
            a, b_ = _band(level, lo, hi, floor, ceil)
            return level + 0.08 + 0.84 * min(max((score - a) / (b_ - a) if b_ > a else 0.5, 0), 1)
        xs = [pos(s, l, rs.potensial_menengah, rs.potensial_tinggi, 40.0, max(rs.jpm_cap, rs.potensial_tinggi + 1))
              for s, l in zip(ind["skor_potensial"], pl)]
        ys = [pos(s, l, rs.kinerja_sesuai, rs.kinerja_atas, 20.0, 100.0) for s, l in zip(ind["skor_kinerja"], kl)]
        fig.add_scatter(x=xs, y=ys, mode="markers", name="Pegawai",
                        marker=dict(size=5, color="rgba(31,41,51,0.45)", line=dict(width=0)),
                        customdata=list(zip(ind["kotak"].astype(int), ind["nip"].map(esc), ind["nama"].map(esc),
                                            ind["opd"].map(esc))),
                        hovertemplate="%{customdata[2]}<br>%{customdata[3]}<br>Kotak %{customdata[0]}<extra></extra>")
    fig.add_scatter(x=cx, y=cy, mode="markers", name="Kotak", customdata=custom, hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>",
                    marker=dict(symbol="square", size=64, color="rgba(0,0,0,0)", line=dict(width=0)),
                    selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)))
    fig.update_layout(
        title=dict(text=esc(title), x=0, font=dict(size=20)), font=FONT, separators=",.", height=height, showlegend=False,
        margin=dict(t=70, b=(170 if compact else 130) if footnote else 60, l=130, r=20), plot_bgcolor="white", dragmode=False,
        clickmode="event+select",
        xaxis=dict(range=[0, 3], tickvals=[0.5, 1.5, 2.5], ticktext=["Rendah", "Menengah", "Tinggi"],
                   title="Potensial", showgrid=False, zeroline=False, fixedrange=True),
        yaxis=dict(range=[0, 3], tickvals=[0.5, 1.5, 2.5],
                   ticktext=["Di bawah<br>ekspektasi", "Sesuai<br>ekspektasi", "Di atas<br>ekspektasi"],
                   title="Kinerja", showgrid=False, zeroline=False, fixedrange=True),
    )
    if footnote:
        notes.append(dict(text=_wrap(footnote, 62 if compact else 130), xref="paper", yref="paper", x=0,
                          y=-0.13 if not compact else -0.3, showarrow=False, yanchor="top",
                          font=dict(size=11, color="#52606d"), align="left", xanchor="left"))
    fig.update_layout(shapes=shapes, annotations=notes)
    return fig


def transition_heatmap(matrix: pd.DataFrame, title: str, x_title: str = "Dengan aturan baru",
                       y_title: str = "Dengan aturan aktif") -> go.Figure:
    """A 10 x 10 matrix (0 = belum terpetakan) of employees moving from a box to a box."""
    labels = ["Belum"] + [f"Kotak {i}" for i in range(1, 10)]
    z = matrix.astype("Float64").to_numpy(dtype=float, na_value=np.nan)   # <NA>: a suppressed cell
    text = [[_id(v) if np.isnan(v) or v else "" for v in row] for row in z]
    fig = go.Figure(go.Heatmap(z=z, x=labels, y=labels, colorscale="Blues", showscale=False,
                               text=text, texttemplate="%{text}",
                               hovertemplate="Dari %{y} ke %{x}: %{text} pegawai<extra></extra>"))
    fig.update_layout(title=esc(title), font=FONT, height=520, xaxis_title=esc(x_title), yaxis_title=esc(y_title),
                      yaxis_autorange="reversed", margin=dict(t=60, l=90))
    return fig


def _box_colour(k: int) -> str:
    from . import rules
    return rules.BOX[k].colour if k else "#cbd2d9"


UNPLACED_GREY = "#e4e7eb"      # "Belum terpetakan": missing data, outside the colour scale of the boxes
UNPLACED_X = 9.35              # its column stands apart from the nine boxes (x 0..8)


def pool_heatmap(df: pd.DataFrame, *, title: str, group_label: str, shares: bool = False,
                 footnote: str = "", selected: tuple[str, int] | None = None, two_line_names: bool = True,
                 split_after: int | None = None) -> go.Figure:
    """Group x box heatmap with one denominator: every cell is a part of the group's employees (``total``).

    Text shows counts, or (``shares``) the percentage of the group's employees, so a row adds up to 100 %;
    colour always shows that percentage (so large OPD do not drown the others), with a colour bar saying so.
    "Belum terpetakan" (missing data, kotak 0) is a separate grey column outside the colour scale.
    ``df`` is a pool table (possibly suppressed: <NA> cells are drawn as the hidden mark). Rows keep the
    table's order (by KRS share, strongest on top). A transparent marker per cell makes each cell
    clickable: ``customdata = [group, kotak]`` (the group as stored, unescaped, for the page's query).
    ``selected`` (group, kotak) draws a dark border around that cell. Group names are escaped for plotly.
    ``split_after``: a dashed line after that many rows (the strongest above it, the weakest below, others left out).
    """
    from .pool import BOX_COLS

    cols = BOX_COLS + ["belum_terpetakan"]
    xs = list(range(9)) + [UNPLACED_X]
    xlabels = [f"Kotak {i}" for i in range(1, 10)] + ["Belum terpetakan"]
    raw = df["group"].astype(str).tolist()
    groups = [esc(g) for g in raw]
    ys = groups                    # a category axis: row i is at position i (the shapes use it)
    # an office named with its OPD or instansi, "SD Negeri 107 Palembang (Dinas Pendidikan)", on two lines: on one
    # it widened the name column until the "Kotak 1".."9" headers ran into each other
    names = [esc(fmt.clip(g[:g.rindex(" (")])) + "<br>" + esc(fmt.clip(g[g.rindex(" (") + 1:]))
             if len(g) > 30 and " (" in g else esc(fmt.clip(g)) for g in raw] if two_line_names else \
        [esc(fmt.clip(g)) for g in raw]
    row_px = 34 if any("<br>" in t for t in names) else 26
    counts = df[cols].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    # shares rest on the group's true total (NaN when it is hidden: a share must not reveal it)
    total = df["total"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)[:, None]
    z = counts / np.where(total > 0, total, np.nan)
    if shares:
        text = [[_id(c) if np.isnan(c) else _fmt_pct(v) if not np.isnan(v) else "" for v, c in zip(row, crow)]
                for row, crow in zip(z, counts)]
    else:
        text = [[_id(v) for v in row] for row in counts]
    top = float(np.nanmax(z[:, :9])) if np.isfinite(z[:, :9]).any() else 1.0
    top = max(top, 0.05)
    every_hidden = not np.isfinite(z[:, :9]).any()
    if every_hidden:
        # plotly draws neither the cells nor their text when no value is finite, so the hidden marks get the
        # lightest colour of the scale (that of a 0, a shade off white) to be drawn at all; no colour scale then
        z = z.copy()
        z[:, :9] = 0.0
    ticks = [t for t in (0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0) if t <= top]
    fig = go.Figure(go.Heatmap(
        z=z[:, :9], x=xs[:9], y=ys, colorscale="Blues", zmin=0, zmax=top, text=[r[:9] for r in text],
        texttemplate="%{text}", hoverinfo="skip", xgap=2, ygap=2, showscale=not every_hidden,
        colorbar=dict(title=dict(text="Warna = bagian dari ASN kelompok", side="top", font=dict(size=13)),
                      orientation="h", x=0, xanchor="left", y=1, yanchor="bottom", ypad=62, len=0.5,
                      thickness=12, tickvals=ticks, ticktext=[_fmt_pct(t) for t in ticks], tickfont=dict(size=12))))
    fig.add_trace(go.Heatmap(z=[[0.0] for _ in ys], x=[UNPLACED_X], y=ys, colorscale=[[0, UNPLACED_GREY], [1, UNPLACED_GREY]],
                             showscale=False, text=[[r[9]] for r in text], texttemplate="%{text}", hoverinfo="skip",
                             xgap=2, ygap=2, textfont=dict(color="#3e4c59")))
    gx, gy, custom, hover = [], [], [], []
    for gi, (g, g_raw) in enumerate(zip(groups, raw)):
        for j, lab in enumerate(xlabels):
            gx.append(xs[j])
            gy.append(g)
            custom.append([g_raw, j + 1 if j < 9 else 0])
            hover.append(f"{g} · {lab}: {text[gi][j] or '–'}")
    fig.add_scatter(x=gx, y=gy, mode="markers", customdata=custom, hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
                    marker=dict(symbol="square", size=26, color="rgba(0,0,0,0)"),
                    selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)))
    shapes = [dict(type="rect", xref="x", yref="y", x0=5.5, x1=8.5, y0=-0.5, y1=len(groups) - 0.5,
                   line=dict(color=_box_colour(9), width=3))]  # the KRS columns
    if split_after:                 # where the strongest end and the weakest begin: in the gap between two rows
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=split_after - 0.5,
                           y1=split_after - 0.5, line=dict(color="#1f2933", width=2, dash="dash")))
    if selected is not None and str(selected[0]) in raw:
        row, k = raw.index(str(selected[0])), int(selected[1])
        cx = UNPLACED_X if k == 0 else k - 1
        shapes.append(dict(type="rect", xref="x", yref="y", x0=cx - 0.5, x1=cx + 0.5, y0=row - 0.5, y1=row + 0.5,
                           line=dict(color="#1f2933", width=4)))
    fig.update_layout(title=dict(text=esc(title), x=0), font=FONT, separators=",.", dragmode=False, shapes=shapes,
                      height=max(360, 200 + row_px * len(groups)) + (60 if footnote else 0),
                      margin=dict(t=170, l=10, r=10, b=130 if footnote else 30),
                      xaxis=dict(side="top", fixedrange=True, range=[-0.5, UNPLACED_X + 0.5], tickvals=xs,
                                 ticktext=[f"Kotak<br>{i}" for i in range(1, 10)] + ["Belum<br>terpetakan"],
                                 tickangle=0, showgrid=False, zeroline=False),
                      yaxis=dict(range=[len(groups) - 0.5, -0.5], fixedrange=True, title=esc(group_label),
                                 tickmode="array", tickvals=ys, ticktext=names,
                                 automargin=True, showgrid=False, zeroline=False),
                      plot_bgcolor="white")
    if footnote:
        # the plot area starts after the group names and shares the page with the cell panel: short lines
        fig.add_annotation(text=_wrap(footnote, 70), xref="paper", yref="paper", x=0, y=0, yshift=-40,
                           showarrow=False, font=dict(size=11, color="#52606d"), xanchor="left", yanchor="top",
                           align="left")
    return fig


def pool_stacked(df: pd.DataFrame, *, title: str, group_label: str) -> go.Figure:
    """100 % stacked horizontal bars of box shares per group (placed employees), KRS boxes on the right."""
    from . import rules
    from .pool import BOX_COLS

    counts = df[BOX_COLS].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    placed = (df["total"].astype("Float64") - df["belum_terpetakan"].astype("Float64")).to_numpy(
        dtype=float, na_value=np.nan)      # NaN when hidden: no share may reveal a hidden total
    groups = [esc(g) for g in df["group"].astype(str)]
    fig = go.Figure()
    for i, b in enumerate(rules.BOXES):
        share = np.where(placed > 0, counts[:, i] / np.where(placed > 0, placed, 1), np.nan)
        fig.add_bar(y=groups, x=share, orientation="h", name=f"Kotak {b.number}", marker_color=b.colour,
                    customdata=[[g, b.number, fmt.pct(v)] for g, v in zip(groups, share)],
                    hovertemplate="%{y} · Kotak " + str(b.number) + ": %{customdata[2]}<extra></extra>")
    fig.update_layout(title=dict(text=esc(title), x=0), barmode="stack", font=FONT, separators=",.",
                      height=max(320, 120 + 24 * len(groups)), xaxis=share_axis("Bagian dari pegawai terpetakan"),
                      yaxis=dict(autorange="reversed", title=esc(group_label), automargin=True),
                      legend=dict(orientation="h", y=-0.08, traceorder="normal"),
                      margin=dict(t=60, l=10, r=40))   # room for the "100 %" tick (plotly drops a label it would cut)
    return fig


def movement_sankey(m: pd.DataFrame, period_from: int, period_to: int) -> go.Figure:
    """Sankey of employees from their box at ``period_from`` (left) to ``period_to`` (right).

    Nodes are ordered by box on both sides (kotak 9 on top, "belum terpetakan" at the bottom), placed by
    their own size so labels do not overlap; each label says the box, the period and the count. A suppressed
    flow is not drawn, and a node with one says no count (the drawn flows' sum would understate it: review 6
    read "Kotak 5 (2025): 1.253" where 3.799 were placed)."""
    order = list(range(9, 0, -1)) + [0]                 # top to bottom
    z = m.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    hidden = np.isnan(z)
    hidden[0, 0] = False
    z = np.where(hidden, 0.0, z)                        # a suppressed link is not drawn
    z[0, 0] = 0.0                                       # unplaced in both periods: not a movement
    out_of, into = z.sum(axis=1), z.sum(axis=0)
    name = lambda k: "Belum terpetakan" if k == 0 else f"Kotak {k}"  # noqa: E731
    count = lambda n, part: "" if part else f": {_id(n)}"  # noqa: E731
    labels = [f"{name(k)} ({period_from}){count(out_of[k], hidden[k].any())}" for k in range(10)] + \
             [f"{name(k)} ({period_to}){count(into[k], hidden[:, k].any())}" for k in range(10)]
    colours = [_box_colour(k) for k in range(10)] * 2

    def positions(sizes) -> dict[int, float]:
        shown = [k for k in order if sizes[k] > 0]
        total, gap = float(sum(sizes[k] for k in shown)) or 1.0, 0.02
        room = max(0.2, 1 - gap * max(len(shown) - 1, 0))
        y, pos = 0.01, {}
        for k in shown:
            h = room * sizes[k] / total
            pos[k] = min(0.99, y + h / 2)
            y += h + gap
        return pos

    left, right = positions(out_of), positions(into)
    xs = [0.001] * 10 + [0.999] * 10
    ys = [left.get(k, 0.99) for k in range(10)] + [right.get(k, 0.99) for k in range(10)]
    src, dst, val = [], [], []
    for a in range(10):
        for b in range(10):
            if z[a, b] > 0:
                src.append(a)
                dst.append(10 + b)
                val.append(float(z[a, b]))
    fig = go.Figure(go.Sankey(arrangement="fixed", node=dict(label=labels, color=colours, pad=14, thickness=18, x=xs, y=ys,
                                                            line=dict(color="white", width=1)),
                              textfont=dict(size=14, color="#1f2933"),
                              link=dict(source=src, target=dst, value=val, color="rgba(120,130,140,0.25)",
                                        hovertemplate="%{source.label} → %{target.label}: %{value:,.0f} pegawai"
                                                      "<extra></extra>")))
    note = " · aliran kecil tidak digambar" if hidden.any() else ""
    fig.update_layout(title=dict(text=f"Perpindahan kotak {period_from} → {period_to} (kotak 9 di atas){note}", x=0),
                      font=FONT, separators=",.", height=640, margin=dict(t=60, l=10, r=10, b=10))
    return fig


def trend(df: pd.DataFrame, title: str = "Perkembangan per periode") -> go.Figure:
    """Bars: employees placed per period; line: ``krs_persen``, the KRS percentage (0-100, right axis)."""
    fig = go.Figure()
    x = df["periode"].astype(str)
    placed = df["terpetakan"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)   # <NA>: suppressed
    fig.add_bar(x=x, y=placed, name="Terpetakan", marker_color="#9fb3c8",
                text=[_id(v) for v in df["terpetakan"]], textposition="inside", insidetextanchor="start",
                hovertemplate="%{x}: %{text} terpetakan<extra></extra>")   # counts at the bars' foot: the KRS line's
    # labels ride near the top, where a count at the top of the tallest bar would print over them
    fig.add_scatter(x=x, y=df["krs_persen"], name=f"Bagian KRS ({KRS_SHORT})", yaxis="y2", mode="lines+markers+text",
                    line=dict(color=_box_colour(9), width=3),
                    text=[_id(v) if pd.isna(v) else _fmt_pct(v / 100) for v in df["krs_persen"]],
                    textposition="top center", hovertemplate="%{x}: %{text} di KRS<extra></extra>")
    top = float(df["krs_persen"].max()) if df["krs_persen"].notna().any() else 0.0
    # room above the line for its labels; a share is at most 100 %, so at most 125 (a KRS share above 96 % made a
    # span no step fitted: StopIteration crashed Ringkasan for a small, strong group; review 10, 1)
    span = min(max(top * 1.3, 10), 125)
    step = next(d for d in (1, 2, 2.5, 5, 10, 20, 25) if span / d <= 5)     # round KRS ticks, own scale
    fig.update_layout(title=dict(text=esc(title), x=0), font=FONT, separators=",.", height=360,
                      xaxis=dict(type="category", title="Periode"),
                      yaxis=dict(title="Pegawai terpetakan", tickformat=",d"),
                      yaxis2=dict(overlaying="y", side="right", tickformat=",.1~f", ticksuffix=" %", showgrid=False,
                                  tickmode="linear", tick0=0, dtick=step, range=[0, span], title="Bagian KRS"),
                      legend=dict(orientation="h", y=-0.2), margin=dict(t=60, l=60, r=60, b=40))
    return fig


# Clusters are not boxes: a qualitative palette of greens, purples, browns and greys that shares no hue
# with the nine-box ramp (red-yellow-blue, rules.BOXES), so no cluster reads as a box (a test checks it).
CLUSTER_COLOURS = ["#1b7837", "#762a83", "#8c510a", "#01665e", "#c51b7d", "#525252", "#5aae61", "#9970ab",
                   "#543005", "#40004b", "#de77ae", "#969696"]


def cluster_profiles(profiles: pd.DataFrame, features: dict[str, str], title: str) -> go.Figure:
    """Mean of each feature per cluster, as the scores are written (one bar group per feature)."""
    cols = [c for c in features if c in profiles.columns]
    fig = go.Figure()
    for i, row in profiles.iterrows():
        name = f"Klaster {int(row['cluster'])}" + (" (potensi tinggi)" if row["hipo"] else "") + \
               f" · {_id(row['pegawai'])} pegawai"
        fig.add_bar(x=[esc(features[c]) for c in cols], y=[row[c] for c in cols], name=name,
                    marker_color=CLUSTER_COLOURS[(int(row["cluster"]) - 1) % len(CLUSTER_COLOURS)],
                    marker_line=dict(width=3 if row["hipo"] else 0, color="#1f2933"),
                    hovertemplate="%{x}: %{y:.1f}<extra>" + name + "</extra>")
    fig.update_layout(title=dict(text=esc(title), x=0), barmode="group", font=FONT, separators=",.", height=440,
                      yaxis_title="Rata-rata nilai", legend=dict(orientation="h", y=-0.25),
                      margin=dict(t=60, l=60, r=20, b=40))
    return fig


def cluster_cells(table: pd.DataFrame, max_points: int = 5000) -> pd.DataFrame:
    """What the cluster scatter draws: one row per employee when few, else one per (JPM rounded to 2,
    kinerja rounded to 5) cell and cluster with its count ``n`` (a few thousand rows at any size)."""
    share = table.groupby("cluster")["hipo"].mean()
    if len(table) > max_points:
        cells = table.assign(x=(table["jpm"] / 2).round() * 2, y=(table["skor_kinerja"] / 5).round() * 5) \
            .groupby(["cluster", "x", "y"]).size().reset_index(name="n")
    else:
        cells = table[["cluster", "jpm", "skor_kinerja"]].rename(columns={"jpm": "x", "skor_kinerja": "y"}).assign(n=1)
    return cells.assign(grouped=len(table) > max_points, hipo_share=cells["cluster"].map(share).to_numpy())


def cluster_scatter(cells: pd.DataFrame, title: str) -> go.Figure:
    """JPM (x) against kinerja score (y) coloured by cluster, from ``cluster_cells``."""
    fig = go.Figure()
    big = bool(len(cells) and cells["grouped"].iloc[0])
    top = max(1, int(cells["n"].max())) if len(cells) else 1    # the fullest cell gets the largest marker (24 px)
    for c, part in cells.groupby("cluster"):
        colour = CLUSTER_COLOURS[(int(c) - 1) % len(CLUSTER_COLOURS)]
        name = f"Klaster {int(c)}" + (" (potensi tinggi)" if part["hipo_share"].iloc[0] > 0.5 else "")
        if big:
            fig.add_scatter(x=part["x"], y=part["y"], mode="markers", name=name,
                            marker=dict(color=colour, size=4 + 20 * np.sqrt(part["n"] / top), opacity=0.6,
                                        line=dict(width=0)),
                            customdata=part["n"], hovertemplate="JPM %{x} · kinerja %{y}: %{customdata} pegawai<extra>"
                                                                 + name + "</extra>")
        else:
            fig.add_scatter(x=part["x"], y=part["y"], mode="markers", name=name,
                            marker=dict(color=colour, size=6, opacity=0.7, line=dict(width=0)),
                            hovertemplate="JPM %{x:.1f} · kinerja %{y:.0f}<extra>" + name + "</extra>")
    fig.update_layout(title=dict(text=esc(title) + (" (dikelompokkan per sel)" if big else ""), x=0), font=FONT,
                      separators=",.", height=460, xaxis_title="JPM (%)", yaxis_title="Skor kinerja",
                      legend=dict(orientation="h", y=-0.2), margin=dict(t=60, l=60, r=20, b=40))
    return fig


def trajectory(boxes: pd.DataFrame, title: str = "Kotak per periode", subtitle: str | None = None) -> go.Figure:
    """One person's box per period (profil talenta): markers in the box colour, the box number on each,
    the KRS band shaded; ``kotak_terkalibrasi`` (when present) as a second, hollow series. ``subtitle`` (the rule
    set's label) goes on a line of its own: beside the title it ran off a narrow chart (review 14, 9)."""
    from . import rules

    df = boxes.copy()
    x = df["periode"].astype(str)
    fig = go.Figure()
    krs_low = min(rules.KRS_BOXES) - 0.5
    fig.add_hrect(y0=krs_low, y1=9.5, fillcolor="#4575b4", opacity=0.08, line_width=0,
                  annotation_text="KRS", annotation_position="top left")
    computed = "kotak_terhitung" if "kotak_terhitung" in df else "kotak"     # the profile's kotak is the box in force
    placed = df[computed].notna()
    fig.add_scatter(x=x[placed], y=df.loc[placed, computed].astype(float), mode="lines+markers+text",
                    name="Terhitung", line=dict(color="#52606d", width=2),
                    marker=dict(size=26, color=[rules.BOX[int(k)].colour for k in df.loc[placed, computed]],
                                line=dict(color="#1f2933", width=1)),
                    text=[str(int(k)) for k in df.loc[placed, computed]],
                    textfont=dict(size=14, color=[rules.BOX[int(k)].text_colour for k in df.loc[placed, computed]]),
                    hovertext=[esc(f"{p}: kotak {int(k)} · {rules.BOX[int(k)].label}")
                               for p, k in zip(x[placed], df.loc[placed, computed])], hoverinfo="text")
    if "kotak_terkalibrasi" in df and df["kotak_terkalibrasi"].notna().any():
        cal = df["kotak_terkalibrasi"].notna()
        fig.add_scatter(x=x[cal], y=df.loc[cal, "kotak_terkalibrasi"].astype(float), mode="markers",
                        name="Terkalibrasi", marker=dict(size=34, symbol="circle-open", color="#1f2933",
                                                         line=dict(width=3)))
    missing = df.loc[~placed, "periode"].astype(str).tolist()
    if missing:
        fig.add_scatter(x=missing, y=[0.6] * len(missing), mode="markers+text", name="Belum terpetakan",
                        marker=dict(size=12, symbol="x", color="#9aa5b1"), text=["belum"] * len(missing),
                        textposition="top center", hoverinfo="skip")
    fig.update_layout(title=dict(text=esc(title), subtitle=dict(text=esc(subtitle) if subtitle else None)),
                      font=FONT, separators=",.", height=320, showlegend=len(fig.data) > 1,
                      legend_orientation="h", legend_y=-0.25, margin=dict(t=70 if subtitle else 50, b=40, l=50, r=20),
                      yaxis=dict(range=[0.3, 9.7], tickvals=list(range(1, 10)), title="Kotak"),
                      # every period in order, whichever series draws it first (an unplaced year came last)
                      xaxis=dict(type="category", title="Periode", categoryorder="array",
                                 categoryarray=sorted(set(x), key=lambda p: (len(p), p))))
    return fig
