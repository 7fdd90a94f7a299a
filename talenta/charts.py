"""Functions that return plotly figures (no Streamlit here). Tests assert on ``fig.data``."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .escape import plotly as esc
from .rules import KRS_SHORT

FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15)
SERIES = {"kinerja": "#4575b4", "asesmen": "#fdae61"}


def _id(x: float) -> str:
    from .privacy import HIDDEN, hidden
    return HIDDEN if hidden(x) else f"{x:,.0f}".replace(",", ".")


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
    return f"{share * 100:.1f}".replace(".", ",") + " %"


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


def pool_heatmap(df: pd.DataFrame, *, title: str, group_label: str, shares: bool = False,
                 footnote: str = "") -> go.Figure:
    """Group x box heatmap (counts, or shares within the group's placed employees).

    ``df`` is a pool table (possibly suppressed: <NA> cells are shown as '<N' hidden). Rows keep the
    table's order (by KRS share, strongest on top). A transparent marker per cell makes each cell
    clickable: ``customdata = [group, kotak]`` (kotak 0 = belum terpetakan; the group as stored, unescaped,
    for the page's query). Group names are drawn as text (escaped for plotly).
    """
    from .pool import BOX_COLS

    cols = BOX_COLS + ["belum_terpetakan"]
    xlabels = [f"Kotak {i}" for i in range(1, 10)] + ["Belum"]
    raw = df["group"].astype(str).tolist()
    groups = [esc(g) for g in raw]
    counts = df[cols].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    # colour always shows the share within the group (so large OPD do not drown the others);
    # the text shows counts or shares
    # shares rest on the group's true totals (NaN when a total is hidden: a share must not reveal it)
    total = df["total"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)[:, None]
    placed = total - counts[:, 9:10]
    z = np.hstack([counts[:, :9] / np.where(placed > 0, placed, np.nan), counts[:, 9:] / np.where(total > 0, total, np.nan)])
    if shares:
        text = [[_id(c) if np.isnan(c) else _fmt_pct(v) if not np.isnan(v) else "" for v, c in zip(row, crow)]
                for row, crow in zip(z, counts)]
    else:
        text = [[_id(v) for v in row] for row in counts]
    fig = go.Figure(go.Heatmap(z=z, x=xlabels, y=groups, colorscale="Blues", showscale=False, text=text,
                               texttemplate="%{text}", hoverinfo="skip", xgap=2, ygap=2))
    gx, gy, custom, hover = [], [], [], []
    for gi, (g, g_raw) in enumerate(zip(groups, raw)):
        for j, lab in enumerate(xlabels):
            gx.append(lab)
            gy.append(g)
            custom.append([g_raw, j + 1 if j < 9 else 0])
            hover.append(f"{g} · {lab}: {text[gi][j] or '–'}")
    fig.add_scatter(x=gx, y=gy, mode="markers", customdata=custom, hovertext=hover,
                    hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
                    marker=dict(symbol="square", size=26, color="rgba(0,0,0,0)"),
                    selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)))
    fig.add_shape(type="rect", xref="x", yref="y", x0=5.5, x1=8.5, y0=-0.5, y1=len(groups) - 0.5,
                  line=dict(color=_box_colour(9), width=3))  # the KRS columns
    fig.update_layout(title=dict(text=esc(title), x=0), font=FONT, separators=",.", dragmode=False,
                      height=max(320, 140 + 26 * len(groups)), margin=dict(t=90, l=10, r=10, b=60 if footnote else 30),
                      xaxis=dict(side="top", fixedrange=True, range=[-0.5, 9.5]),
                      yaxis=dict(range=[len(groups) - 0.5, -0.5], fixedrange=True, title=esc(group_label), automargin=True))
    if footnote:
        fig.add_annotation(text=_wrap(footnote, 140), xref="paper", yref="paper", x=0, y=0, yshift=-40,
                           showarrow=False, font=dict(size=11, color="#52606d"), xanchor="left", yanchor="top")
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
                    customdata=[[g, b.number] for g in groups],
                    hovertemplate="%{y} · Kotak " + str(b.number) + ": %{x:.1%}<extra></extra>")
    fig.update_layout(title=dict(text=esc(title), x=0), barmode="stack", font=FONT, separators=",.",
                      height=max(320, 120 + 24 * len(groups)), xaxis=dict(tickformat=".0%", range=[0, 1],
                                                                         title="Bagian dari pegawai terpetakan"),
                      yaxis=dict(autorange="reversed", title=esc(group_label), automargin=True),
                      legend=dict(orientation="h", y=-0.08, traceorder="normal"), margin=dict(t=60, l=10, r=10))
    return fig


def movement_sankey(m: pd.DataFrame, period_from: int, period_to: int) -> go.Figure:
    """Sankey of employees from their box at ``period_from`` (left) to ``period_to`` (right)."""
    labels = [f"{'Belum' if k == 0 else f'Kotak {k}'} ({period_from})" for k in range(10)] + \
             [f"{'Belum' if k == 0 else f'Kotak {k}'} ({period_to})" for k in range(10)]
    colours = [_box_colour(k) for k in range(10)] * 2
    src, dst, val = [], [], []
    for a in range(10):
        for b in range(10):
            v = m.iloc[a, b]
            if not pd.isna(v) and v and not (a == 0 and b == 0):      # a suppressed link is not drawn
                src.append(a)
                dst.append(10 + b)
                val.append(v)
    fig = go.Figure(go.Sankey(node=dict(label=labels, color=colours, pad=12, thickness=16),
                              link=dict(source=src, target=dst, value=val, color="rgba(120,130,140,0.25)")))
    fig.update_layout(title=dict(text=f"Perpindahan kotak {period_from} → {period_to}", x=0), font=FONT,
                      height=560, margin=dict(t=60, l=10, r=10, b=10))
    return fig


def trend(df: pd.DataFrame, title: str = "Perkembangan per periode") -> go.Figure:
    """Bars: employees placed per period; line: KRS share (right axis)."""
    fig = go.Figure()
    x = df["periode"].astype(str)
    placed = df["terpetakan"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)   # <NA>: suppressed
    fig.add_bar(x=x, y=placed, name="Terpetakan", marker_color="#9fb3c8",
                text=[_id(v) for v in df["terpetakan"]], textposition="inside",
                hovertemplate="%{x}: %{text} terpetakan<extra></extra>")
    fig.add_scatter(x=x, y=df["krs_persen"], name=f"Bagian KRS ({KRS_SHORT})", yaxis="y2", mode="lines+markers+text",
                    line=dict(color=_box_colour(9), width=3),
                    text=[_id(v) if pd.isna(v) else _fmt_pct(v) for v in df["krs_persen"]],
                    textposition="top center", hovertemplate="%{x}: %{text} di KRS<extra></extra>")
    top = float(df["krs_persen"].max()) if df["krs_persen"].notna().any() else 0.0
    fig.update_layout(title=dict(text=esc(title), x=0), font=FONT, separators=",.", height=360,
                      xaxis=dict(type="category", title="Periode"),
                      yaxis=dict(title="Pegawai terpetakan", tickformat=",d"),
                      yaxis2=dict(overlaying="y", side="right", tickformat=".0%", range=[0, max(top * 1.3, 0.1)],
                                  title="Bagian KRS"),
                      legend=dict(orientation="h", y=-0.2), margin=dict(t=60, l=60, r=60, b=40))
    return fig


CLUSTER_COLOURS = ["#4575b4", "#91bfdb", "#fee090", "#fc8d59", "#d73027", "#999999", "#7f3b08", "#2d004b",
                   "#1b7837", "#762a83", "#b35806", "#542788"]


def cluster_profiles(profiles: pd.DataFrame, features: dict[str, str], title: str) -> go.Figure:
    """Mean of each feature per cluster, in original units (one bar group per feature)."""
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
                      yaxis_title="Rata-rata (satuan asli)", legend=dict(orientation="h", y=-0.25),
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
