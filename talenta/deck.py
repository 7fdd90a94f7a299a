"""The meeting deck's house style: one helper per slide element, so every slide looks and reads the same.

A slide is a function ``(prs, ctx) -> None`` that adds zero or more slides to ``prs`` with these helpers
(``talenta.export.SLIDES`` lists them in order). ``ctx`` (``Ctx``) carries the connection, the scope, the
filters, the period, the rule set and the gathered ``Content``; a slide function queries anything else
it needs through the library with ``ctx.scope`` (so it is masked and suppressed like every page).

House rules the helpers keep (and ``tests/storage/test_deck.py`` checks): 16:9, every shape inside the
slide, no text under ``MIN_PT`` (12 pt), Indonesian number formats (``talenta.fmt``; chart values carry
their labels as text so a viewer's locale cannot turn 35,7 % into 35.7%), every category label shown,
values from data escaped (``escape.office``), the title states the finding, a short provenance footer.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Callable

from . import fmt, privacy, rules
from .escape import office
from .scope import Filters, Scope

W, H = 13.333, 7.5          # slide size in inches (16:9)
MARGIN = 0.5
TOP = 1.55                  # content starts below the title
BOTTOM = 6.85               # content ends above the footer
MIN_PT = 12
HIDDEN_SUFFIX = f" ({privacy.HIDDEN})"   # a category whose value is hidden
INK, MUTED = "1f2933", "52606d"
KRS_COLOUR = rules.BOX[max(rules.KRS_BOXES)].colour   # the one highlight colour (KRS)


@dataclass
class Ctx:
    """What a slide function may read: the data gathered once and the means to ask for more."""

    con: Any
    content: Any                  # talenta.export.Content
    filters: Filters              # the period among them
    rs: Any                       # talenta.rules.RuleSet
    images: bool = True           # False: no kaleido rendering (tests), a placeholder instead

    @property
    def period(self) -> int:
        return self.filters.need_period()

    @property
    def scope(self) -> Scope:
        return self.content.scope

    @property
    def threshold(self) -> int:
        return self.content.threshold

    def footer(self) -> str:
        """The short provenance line of every content slide (the full stamp is in the appendix)."""
        st = self.content.stamp
        bits = [st.instansi, f"periode {self.period}", filter_text(self.filters, self.scope),
                f"aturan #{st.rule_set_id}" if st.rule_set_id is not None else st.rule_set,
                f"dibuat {fmt.date(st.generated_at)}",
                "identitas disamarkan" if st.masked else "IDENTITAS TERBUKA"]
        return " · ".join(bits)


Slide = Callable[[Any, Ctx], None]


def filter_text(filters: Filters, scope: Scope | None = None) -> str:
    """The filters a reader needs beside the period, short: 'semua OPD' or 'OPD: Dinas Sosial'. With ``scope``,
    an OPD/instansi filter left open names the account's limit (as ``Filters.describe(scope)`` does): an OPD
    account's deck is its OPD's, never "semua OPD"."""
    bits = []
    for col, name in (("instansi", "instansi"), ("opd", "OPD"), ("jenis_jabatan", "jenis jabatan"),
                      ("jenis_asn", "jenis ASN")):
        values = getattr(filters, col)
        limit = getattr(scope, col, None) if scope is not None and col in ("opd", "instansi") else None
        if col == "instansi" and scope is not None and scope.opd is not None:
            limit = None        # an OPD account's OPD says it (its instansi is the footer's first word)
        if not values and limit:
            values = tuple(sorted(limit))
        if values:
            bits.append(f"{name}: " + ", ".join(values[:2]) + (f" +{len(values) - 2}" if len(values) > 2 else ""))
    return " · ".join(bits) or "semua OPD"


def rgb(h: str):
    from pptx.dml.color import RGBColor
    return RGBColor.from_string(h.lstrip("#"))


def style(paragraph, size: int, bold: bool = False, colour: str | None = None) -> None:
    """Size, weight and colour on the paragraph and on each of its runs (viewers differ in which they read)."""
    from pptx.util import Pt

    for f in [paragraph.font, *(r.font for r in paragraph.runs)]:
        f.size, f.bold = Pt(max(size, MIN_PT)), bold
        if colour:
            f.color.rgb = rgb(colour)


def text(slide, x: float, y: float, w: float, h: float, s: str, size: int = 18, bold: bool = False,
         colour: str = INK, align=None):
    """A text box (inches); each line of ``s`` a paragraph; values escaped for office files."""
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    tf = box.text_frame
    tf.word_wrap = True
    lines = s.split("\n")
    for i, line in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = office(line)
        style(p, size, bold, colour)
        if len(lines) > 1 and not bold:
            p.space_after = Pt(size // 2)      # separate statements read as separate
        if align is not None:
            p.alignment = align
    return box


def new_slide(prs, ctx: Ctx, title: str, *, appendix: bool = False):
    """A blank slide with the message ``title`` and the short provenance footer."""
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    text(slide, MARGIN, 0.3, W - 2 * MARGIN, 1.15, ("Lampiran · " if appendix else "") + title, 24, True)
    text(slide, MARGIN, 6.97, W - 2 * MARGIN, 0.4, ctx.footer(), MIN_PT, colour=MUTED)
    return slide


def figure(slide, x: float, y: float, w: float, label: str, value: str, size: int = 44):
    """A headline figure: a muted label above a large value."""
    text(slide, x, y, w, 0.5, label, 16, colour=MUTED)
    text(slide, x, y + 0.45, w, 1.0, value, size, True)


def table(slide, x: float, y: float, w: float, h: float, header: list[str], rows: list[list[str]],
          widths: list[float] | None = None, size: int = 14):
    """A native table: bold header row, ``size``-pt text (never under 12 pt), column ``widths`` in inches."""
    from pptx.util import Inches

    shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(x), Inches(y), Inches(w), Inches(h))
    tbl = shape.table
    if widths:
        for j, cw in enumerate(widths):
            tbl.columns[j].width = Inches(cw)
    for i, row in enumerate([header, *rows]):
        for j, value in enumerate(row):
            cell = tbl.cell(i, j)
            cell.text = office(value)
            for p in cell.text_frame.paragraphs:
                style(p, size, i == 0)
    return shape


def _skip_none(axis) -> None:
    """Every category label drawn (``tickLblSkip`` 1): no viewer may thin out the OPD names."""
    from pptx.oxml.ns import qn

    ax = axis._element
    for old in ax.findall(qn("c:tickLblSkip")):
        ax.remove(old)
    skip = ax.makeelement(qn("c:tickLblSkip"), {"val": "1"})
    after = ax.find(qn("c:lblOffset"))
    if after is None:
        after = ax.find(qn("c:lblAlgn"))
    if after is not None:
        after.addnext(skip)
    else:
        ax.find(qn("c:noMultiLvlLbl")).addprevious(skip)


def bar_chart(slide, x: float, y: float, w: float, h: float, categories: list[str], values: list[float | None],
              labels: list[str], *, horizontal: bool = True, colour: str = KRS_COLOUR, series: str = "Nilai",
              size: int = 14, name: str = ""):
    """A native, editable bar chart with every category label shown and each bar's value as ``labels`` text
    (Indonesian format). A hidden value (None) has no bar, never a bar of 0, and its category carries the
    hidden mark (``HIDDEN_SUFFIX``): viewers draw no label where there is no value.
    Horizontal charts list the categories top to bottom in the given order. No value axis: the labels say it."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.util import Inches, Pt

    cd = CategoryChartData()
    cd.categories = [office(fmt.clip(c)) + (HIDDEN_SUFFIX if v is None else "") for c, v in zip(categories, values)]
    cd.add_series(series, values)
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    gf = slide.shapes.add_chart(kind, Inches(x), Inches(y), Inches(w), Inches(h), cd)
    if name:
        gf.name = name
    ch = gf.chart
    ch.has_legend = False
    ch.has_title = False
    ch.font.size = Pt(max(size, MIN_PT))
    ch.font.color.rgb = rgb(INK)
    cat, val = ch.category_axis, ch.value_axis
    cat.tick_labels.font.size = Pt(max(size, MIN_PT))
    cat.has_major_gridlines = False
    cat.format.line.color.rgb = rgb("9aa5b1")
    _skip_none(cat)
    if horizontal:
        cat.reverse_order = True            # first category on top
    val.visible = False
    val.has_major_gridlines = False
    val.minimum_scale = 0
    top = max([v for v in values if v is not None] or [1])
    val.maximum_scale = top * 1.25 if top > 0 else 1   # room for the labels at the end of the bars
    plot = ch.plots[0]
    plot.gap_width = 60
    s = plot.series[0]
    s.format.fill.solid()
    s.format.fill.fore_color.rgb = rgb(colour)
    s.invert_if_negative = False
    for i, lab in enumerate(labels):
        dl = s.points[i].data_label
        dl.has_text_frame = True
        dl.text_frame.text = office(lab)
        dl.text_frame.paragraphs[0].runs[0].font.size = Pt(max(size, MIN_PT))
        dl.position = XL_LABEL_POSITION.OUTSIDE_END
    return gf


def picture(slide, png: bytes, x: float, y: float, w: float, h: float, name: str = ""):
    """An image scaled to fit inside the box (inches) with its aspect kept, centred: never past the slide."""
    from pptx.util import Emu, Inches

    pic = slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y))
    ratio = min(Inches(w) / pic.width, Inches(h) / pic.height)
    pic.width, pic.height = Emu(int(pic.width * ratio)), Emu(int(pic.height * ratio))
    pic.left = Emu(int(Inches(x) + (Inches(w) - pic.width) / 2))
    pic.top = Emu(int(Inches(y) + (Inches(h) - pic.height) / 2))
    if name:
        pic.name = name
    return pic


def points_figure(fig, w: float, h: float) -> tuple[int, int]:
    """Size a plotly figure to a slide box of ``w`` x ``h`` inches at 72 px per inch, so a font of N px
    in the figure prints at N pt on the slide; returns (width, height) in px for ``export.chart_png``."""
    width, height = int(round(w * 72)), int(round(h * 72))
    fig.update_layout(width=width, height=height)
    return width, height


APP = "Talenta"
_APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<TotalTime>0</TotalTime><Application>{app}</Application><PresentationFormat>{format}</PresentationFormat>"
            "<Slides>{slides}</Slides><Notes>0</Notes><HiddenSlides>0</HiddenSlides><ScaleCrop>false</ScaleCrop>"
            "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
            "</Properties>")


def properties(prs, title: str, author: str, made: dt.datetime, subject: str = "") -> None:
    """The deck's own document properties in place of python-pptx's template ones ("generated using python-pptx",
    "Steve Canny", 2013, "On-screen Show (4:3)"): ``title``, ``author`` (the signed-in user, else ``APP``) as
    author and last editor, created and modified at ``made`` (local time, stored in UTC), no description, and
    an ``app.xml`` that says what the deck is (16:9, its number of slides)."""
    def cut(value: str) -> str:        # a core property holds at most 255 characters
        value = office(value).strip()
        return value if len(value) <= 255 else value[:254].rsplit(" ", 1)[0] + "…"

    cp = prs.core_properties
    who = cut(author) or APP
    utc = made.astimezone(dt.timezone.utc).replace(tzinfo=None)      # a naive time is the server's local time
    cp.title, cp.subject, cp.author, cp.last_modified_by = cut(title), cut(subject), who, who
    cp.comments = cp.keywords = cp.category = ""
    cp.created = cp.modified = utc
    cp.revision = 1
    wide = abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    xml = _APP_XML.format(app=APP, format="Layar lebar (16:9)" if wide else "Layar",
                          slides=len(prs.slides))
    for part in prs.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = xml.encode("utf-8")      # a plain part: python-pptx has no API for app.xml
