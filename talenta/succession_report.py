"""Succession in charts and exports: the pipeline-health chart (Ringkasan, Suksesi), the workbook's
``Suksesi`` sheet and the meeting deck's succession slide. Masking follows the scope the posts were read
with (``succession.targets`` masks holders); text going to office files goes through ``escape.office``.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from . import fmt, privacy, rules, succession
from .charts import share_axis
from .escape import office
from .export_safe import xlsx_frame
from .escape import plotly as esc
from .succession import HEALTH_LABEL, pipeline
from .succession_rules import JENJANG_LABEL, REASON_LABEL

HEALTH_MARK = {"hijau": "● Sehat", "kuning": "◐ Perlu perhatian", "merah": "○ Berisiko"}
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14)


CHART_GROUPS = 40      # bars a pipeline chart draws at most: the weakest groups


def weakest(posts: pd.DataFrame, groups: int = CHART_GROUPS) -> tuple[str, pd.DataFrame, int]:
    """How a pipeline chart groups ``posts`` (per instansi when they span several, else per OPD), the posts of
    its ``groups`` weakest groups, and how many groups there are. Ringkasan drew every office of 142 instansi
    (a megabyte to the browser and 13 s at 2 million ASN; found by make bench)."""
    by = "instansi" if posts["instansi"].nunique() > 1 else "opd"
    pipe = pipeline(posts, by)
    return by, posts[posts[by].isin(pipe[by].head(groups))], len(pipe)


def chart_note(by: str, groups: int) -> str | None:
    """"Grafik: 40 OPD terlemah dari 53" when a pipeline chart leaves groups out (None when it draws them all)."""
    if groups <= CHART_GROUPS:
        return None
    return f"Grafik: {CHART_GROUPS} {by.upper() if by == 'opd' else by} terlemah dari {fmt.num(groups)}"


def pipeline_chart(posts: pd.DataFrame, *, by: str = "opd", title: str = "", footnote: str = "") -> go.Figure:
    """Horizontal bars per OPD (or instansi): share of target posts with at least one candidate siap
    sekarang, weakest on top; hover gives the post counts and the posts at risk."""
    return pipeline_table_chart(pipeline(posts, by), by=by, title=title, footnote=footnote)


def pipeline_table_chart(p: pd.DataFrame, *, by: str = "opd", title: str = "", footnote: str = "") -> go.Figure:
    """``pipeline_chart`` of a pipeline table (``succession.pipeline`` or ``pipeline_summary``): a hidden count
    (``<NA>``) reads ``privacy.HIDDEN`` in the hover and a share resting on one draws no bar."""
    groups = [esc(g) for g in p[by].astype(str)]
    share = [None if privacy.hidden(v) else v / 100 for v in p["persen_siap_sekarang"]]
    two = [None if privacy.hidden(v) else v / 100 for v in p["persen_dua_kandidat"]]
    # shares written as the pages write them ("26,7 %"); a hidden one reads privacy.HIDDEN
    customdata = [(privacy.text(n), privacy.text(r), privacy.HIDDEN if d is None else fmt.pct(d, 0),
                   privacy.HIDDEN if s is None else fmt.pct(s, 0))
                  for n, r, d, s in zip(p["jabatan_target"], p["berisiko"], two, share)]
    fig = go.Figure()
    fig.add_bar(y=groups, x=share, orientation="h", name="Ada kandidat siap sekarang",
                marker_color=rules.BOX[9].colour, customdata=customdata,
                hovertemplate="%{y}<br>%{customdata[3]} jabatan target punya kandidat siap sekarang<br>"
                              "%{customdata[0]} jabatan target, %{customdata[1]} berisiko<br>"
                              "%{customdata[2]} punya ≥ 2 kandidat<extra></extra>")
    fig.add_bar(y=groups, x=two, orientation="h", name="≥ 2 kandidat",
                marker_color=rules.BOX[7].colour, visible="legendonly")
    hidden = [g for g, v in zip(groups, share) if v is None]
    if hidden:      # a hidden share reads the mark, not an empty row that looks like 0 % (review 20d, 2)
        fig.add_scatter(y=hidden, x=[0] * len(hidden), mode="text", text=[privacy.HIDDEN] * len(hidden),
                        textposition="middle right", textfont=dict(size=16), showlegend=False, hoverinfo="skip")
        footnote = (footnote + " · " if footnote else "") + f"{privacy.HIDDEN} = disembunyikan (kelompok kecil)"
    fig.update_layout(
        title=dict(text=esc(title or "Kesehatan pipeline suksesi: jabatan target dengan kandidat siap sekarang"), x=0),
        barmode="group", font=FONT, separators=",.", height=max(320, 140 + 26 * len(groups)),
        xaxis=share_axis("Bagian jabatan target"),
        yaxis=dict(autorange="reversed", title="OPD" if by == "opd" else "Instansi", automargin=True),
        # the legend above the bars, right (below, one OPD's short chart put it over the tick labels); room on the
        # right for the "100 %" tick
        legend=dict(orientation="h", y=1.0, yanchor="bottom", x=1, xanchor="right"),
        margin=dict(t=80, l=10, r=40, b=100))
    if footnote:
        # below the axis title by a fixed distance (a share of the plot's height fell on the title of a short chart)
        fig.add_annotation(text=esc(footnote), xref="paper", yref="paper", x=0, y=0, yshift=-62, showarrow=False,
                           font=dict(size=11, color="#52606d"), xanchor="left", yanchor="top")
    return fig


SHEET_COLUMNS = {"opd": "OPD", "jabatan": "Jabatan", "jenjang": "Jenjang", "pemangku_nama": "Pemangku",
                 "bup_pemangku": "BUP pemangku", "alasan_target": "Alasan target",
                 "n_siap_sekarang": "Siap sekarang", "n_siap_1_2_tahun": "Siap 1-2 tahun",
                 "n_kandidat": "Kandidat", "kesehatan": "Kesehatan pipeline"}


def workbook_frame(posts: pd.DataFrame) -> pd.DataFrame:
    """The workbook's ``Suksesi`` sheet: one row per target post (holder masked as the scope requires),
    Indonesian headers, text as typed without control characters (the workbook's writer keeps a formula-like
    text a string: ``export_safe.mark_formula_text``)."""
    df = posts[list(SHEET_COLUMNS)].copy()
    if posts["instansi"].nunique() > 1:     # a province: "BKPSDM | Kepala BKPSDM" four times, told apart (review 11)
        df.insert(0, "instansi", posts["instansi"])
    df["jenjang"] = df["jenjang"].map(JENJANG_LABEL)
    df["alasan_target"] = [", ".join(REASON_LABEL[r] for r in a.split(";") if r) for a in df["alasan_target"]]
    df["kesehatan"] = df["kesehatan"].map(HEALTH_LABEL)
    df["pemangku_nama"] = df["pemangku_nama"].fillna("(kosong)")
    return xlsx_frame(df.rename(columns={**SHEET_COLUMNS, "instansi": "Instansi"}))


def add_deck_slide(prs, posts: pd.DataFrame, period: int, tanggal: dt.date, footer: str = "") -> None:
    """Append the succession slide to a python-pptx ``prs`` (16:9): ready-now counts per OPD as a native
    table, and the posts at risk (nobody siap sekarang), vacant ones first."""
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[6])

    def text(x, y, w, h, s, size=16, bold=False):
        tf = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h)).text_frame
        tf.word_wrap = True
        for i, line in enumerate(s.split("\n")):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = office(line)
            p.font.size, p.font.bold = Pt(size), bold

    text(0.5, 0.3, 12.3, 0.9, f"Suksesi {period}: jabatan target dan kesiapan pengganti", 30, True)
    p = pipeline(posts).head(12)
    tbl = slide.shapes.add_table(len(p) + 1, 4, Inches(0.5), Inches(1.3), Inches(6.6), Inches(5.2)).table
    for j, h in enumerate(["OPD", "Jabatan target", "Ada siap sekarang", "Berisiko"]):
        tbl.cell(0, j).text = h
    for i, r in enumerate(p.itertuples(index=False), start=1):
        vals = [r.opd, f"{r.jabatan_target}", f"{r.persen_siap_sekarang:.0f} %", f"{r.berisiko}"]
        for j, v in enumerate(vals):
            tbl.cell(i, j).text = office(v)
            tbl.cell(i, j).text_frame.paragraphs[0].font.size = Pt(12)
    risk = posts[~succession.ready_flags(posts)[0]].sort_values(["bup_pemangku", "opd"], na_position="first").head(10)
    lines = [f"{r.jabatan} ({r.opd}): " + ", ".join(REASON_LABEL[a] for a in r.alasan_target.split(";") if a)
             for r in risk.itertuples(index=False)]
    text(7.4, 1.3, 5.5, 0.5, f"Berisiko: {int((~succession.ready_flags(posts)[0]).sum())} jabatan tanpa kandidat siap "
                              "sekarang", 16, True)
    text(7.4, 1.9, 5.5, 4.6, "\n".join("• " + l for l in lines) or "Tidak ada.", 12)
    text(0.5, 6.85, 12.3, 0.55, f"Tanggal acuan {tanggal:%d-%m-%Y}. {footer}".strip(), 9)
