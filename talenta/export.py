"""Exports for the meeting and the minutes: the PPTX deck, the XLSX workbook, chart PNGs.

Everything carries the provenance stamp (instansi, period, filters, rule set, import batches,
generation time, who) and leaves a line in ``export_log``. The caller passes the ``Scope``; every
figure and list comes from the library functions the pages use, masked and suppressed as that scope
says (``talenta.privacy``): an export shows nothing its scope's pages would not.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import charts, hipo, labels, overview, pool, privacy, quarantine, rules, store, talentmap
from .escape import office, office_footer, office_frame
from .rules import RuleSet
from .scope import Filters, Scope


@dataclass(frozen=True)
class Stamp:
    instansi: str
    period: int
    filters: str
    rule_set_id: int | None
    rule_set: str
    batches: tuple[int, ...]
    batch_files: tuple[str, ...]
    generated_at: dt.datetime
    generated_by: str
    masked: bool

    def text(self) -> str:
        b = ", ".join(f"#{i} {f}" for i, f in zip(self.batches, self.batch_files))
        return (f"{self.instansi} · periode {self.period} · {self.filters} · {self.rule_set} · data: batch impor "
                f"{b or '–'} · dibuat {self.generated_at:%d-%m-%Y %H.%M} oleh {self.generated_by or '–'}"
                + (" · identitas disamarkan, kelompok kecil disembunyikan" if self.masked else " · IDENTITAS TERBUKA"))

    def rows(self) -> list[tuple[str, str]]:
        return [("Instansi", self.instansi), ("Periode", str(self.period)), ("Filter", self.filters),
                ("Aturan", self.rule_set), ("Batch impor", ", ".join(f"#{i} {f}" for i, f in
                                                                   zip(self.batches, self.batch_files)) or "–"),
                ("Dibuat", f"{self.generated_at:%d-%m-%Y %H.%M.%S}"), ("Oleh", self.generated_by or "–"),
                ("Identitas", "disamarkan" if self.masked else "TERBUKA (dibuat dengan sengaja)")]


def stamp(con, instansi: str, filters: Filters, period: int, rs: RuleSet, user: str, masked: bool) -> Stamp:
    b = store.query_df(con, "SELECT batch_id, file_name FROM import_batch WHERE undone_at IS NULL ORDER BY batch_id")
    return Stamp(instansi, period, filters.describe(), rs.id, rs.label, tuple(int(x) for x in b["batch_id"]),
                 tuple(b["file_name"]), store.now(), user, masked)


def log_export(con, s: Stamp, kind: str, file_name: str) -> None:
    with store.transaction(con) as cur:
        eid = cur.execute("SELECT nextval('seq_export')").fetchall()[0][0]
        cur.execute("INSERT INTO export_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [eid, kind, file_name, s.instansi, s.period, s.filters, s.rule_set_id, s.rule_set,
                     list(s.batches), s.masked, s.generated_at, s.generated_by, s.text()])


def export_history(con, limit: int = 50) -> pd.DataFrame:
    return store.query_df(con, "SELECT export_id, kind, file_name, period, rule_set, masked, generated_at, "
                               "generated_by FROM export_log ORDER BY export_id DESC LIMIT $n", {"n": limit})


def chart_png(fig, width: int = 1600, height: int = 900) -> bytes:
    """Server-side PNG of a plotly figure at presentation resolution (kaleido drives Debian's chromium)."""
    import plotly.io as pio

    return pio.to_image(fig, format="png", width=width, height=height, scale=1)


# --- the data behind an export (shared by deck and workbook) ----------------------------------------

@dataclass
class Content:
    """The data behind an export, as the scope may see it (hidden counts are ``pd.NA``)."""

    stamp: Stamp
    scope: Scope
    summary: dict
    counts: pd.DataFrame
    unplaced: pd.DataFrame
    pool: pd.DataFrame
    movement: pd.DataFrame | None
    period_from: int | None
    hipo: hipo.HipoResult | None
    hipo_view: hipo.HipoView | None
    hipo_list: pd.DataFrame | None       # the flagged employees, masked as the scope says
    threshold: int


def gather(con, instansi: str, filters: Filters, period: int, rs: RuleSet, user: str, *, scope: Scope,
           hipo_params=None) -> Content:
    """Everything a deck or workbook shows, for ``scope`` (identities masked and small groups hidden as
    it says; an unmasked export is ``scope.unmasked()``, chosen by the caller)."""
    earlier = [p for p in overview.periods(con) if p < period]
    frm = earlier[-1] if earlier else None
    result = view = flagged = None
    if hipo_params is not None:
        try:
            result = hipo.fit(hipo.features(con, scope, filters, period, rs), hipo_params)
        except hipo.UsageError:
            result = None
    if result is not None:
        t = privacy.threshold(scope)
        view = hipo.view(result, 0, scope, talentmap.raw_figures(con, scope, filters, period, rs) if t else None)
        rows = hipo.listed(result, lambda x: x[x["hipo"]], view.n_hipo, scope)
        flagged = hipo.people(rows, hipo.decisions(con, period)[["nip", "keputusan"]], scope)
    return Content(
        stamp(con, instansi, filters, period, rs, user, masked=scope.mask_identity), scope,
        talentmap.summary(con, scope, filters, period, rs), talentmap.box_counts(con, scope, filters, period, rs),
        talentmap.unplaced_counts(con, scope, filters, period, rs),
        pool.pool_table(con, scope, filters, period, rs, "opd"),
        pool.movement(con, scope, filters, frm, period, rs) if frm else None, frm, result, view, flagged,
        privacy.threshold(scope))


def _hide(n) -> str:
    return privacy.text(n)


def _pct(x: float) -> str:
    return "–" if x is None or pd.isna(x) else f"{x * 100:.1f}".replace(".", ",") + " %"


# --- XLSX workbook ------------------------------------------------------------------------------

EXCEL_MAX_ROWS = 1_000_000


def build_workbook(con, content: Content, filters: Filters, period: int, rs: RuleSet) -> bytes:
    """Ringkasan, Peta Talenta, Talent Pool, Potensi Tinggi and Baris Ditolak sheets."""
    scope = content.scope
    mapping = talentmap.placements(con, scope, filters, period, rs)
    cut = len(mapping) > EXCEL_MAX_ROWS
    mapping = mapping.head(EXCEL_MAX_ROWS)
    sheets: list[tuple[str, pd.DataFrame, dict]] = []
    s, t = content.summary, content.threshold
    summary = pd.DataFrame(
        [("ASN dalam filter", _hide(s["pegawai"])), ("Terpetakan", _hide(s["terpetakan"])),
         ("Belum terpetakan", _hide(s["belum_terpetakan"])), (f"Kelompok Rencana Suksesi (kotak {rules.KRS_SHORT})",
                                                             _hide(s["krs"])),
         ("Bagian KRS dari terpetakan", _pct(s["krs_persen"])),
         *[(f"Kotak {k}", _hide(n)) for k, n in zip(content.counts["kotak"], content.counts["n"])],
         *([("Keterangan", privacy.note(t))] if t else []),
         ("", ""), *content.stamp.rows()]
        + ([("Catatan", f"Lembar Peta Talenta dipotong pada {EXCEL_MAX_ROWS:,} baris; pakai "
                         "'python -m talenta map' untuk semua.".replace(",", "."))] if cut else []),
        columns=["Ukuran", "Nilai"])
    sheets.append(("Ringkasan", summary, {}))
    sheets.append(("Peta Talenta", mapping, {"skor_kinerja": "0.00", "skor_potensial": "0.00"}))
    sheets.append(("Talent Pool per OPD", content.pool, {"krs_persen": "0.0%"}))
    if content.hipo_list is not None:
        h = content.hipo_list
        sheets.append(("Potensi Tinggi", h[[c for c in hipo.COLUMNS + ["perlu_kajian"] if c in h]],
                       {"confidence": "0.00", "stability": "0%"}))
    rej = quarantine.rejected_rows(con)
    if scope.mask_identity:
        rej = rej.assign(nip=privacy.MASKED_NIP, nilai_asli="(disamarkan)")
    sheets.append(("Baris Ditolak", rej, {}))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        wb = xw.book
        head = wb.add_format({"bold": True, "bg_color": "#dbe4ee", "border": 1, "text_wrap": True, "valign": "top"})
        for name, df, formats in sheets:
            df = office_frame(df.rename(columns=LABELS))   # no control characters, no formulas
            df.to_excel(xw, index=False, sheet_name=name[:31], startrow=0)
            ws = xw.sheets[name[:31]]
            for j, col in enumerate(df.columns):
                ws.write(0, j, col, head)
                lengths = df[col].astype("string").str.len().fillna(0)
                width = min(60, max(10, len(str(col)) + 2, int(lengths.quantile(0.9)) + 2 if len(df) else 0))
                raw = [k for k, v in LABELS.items() if v == col]
                fmt = formats.get(raw[0] if raw else col)
                ws.set_column(j, j, width, wb.add_format({"num_format": fmt}) if fmt else None)
            ws.freeze_panes(1, 0)
            ws.set_footer("&L" + office_footer(content.stamp.text())[:250].rstrip("&"))  # "&" starts a code there
            if len(df):
                ws.autofilter(0, 0, len(df), len(df.columns) - 1)
    return buf.getvalue()


LABELS = {**labels.LABELS, "group": "OPD"}


# --- PPTX deck ---------------------------------------------------------------------------------

def build_deck(con, content: Content, filters: Filters, period: int, rs: RuleSet, images: bool = True) -> bytes:
    """A 16:9 deck with native, editable charts and tables; rendered images only for the OPD heatmap and the
    movement Sankey (views a native chart cannot express)."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]
    st = content.stamp
    t = content.threshold
    rgb = lambda h: RGBColor.from_string(h.lstrip("#"))  # noqa: E731

    def text(slide, x, y, w, h, s, size=18, bold=False, colour="1f2933", align=None):
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        tf = box.text_frame
        tf.word_wrap = True
        for i, line in enumerate(s.split("\n")):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = office(line)     # every text box: names, OPD, filters, rule sets, file names
            p.font.size, p.font.bold, p.font.color.rgb = Pt(size), bold, rgb(colour)
            if align is not None:
                p.alignment = align
        return box

    def new(title: str):
        slide = prs.slides.add_slide(blank)
        text(slide, 0.5, 0.3, 12.3, 0.9, title, 30, True)
        text(slide, 0.5, 6.85, 12.3, 0.55, st.text(), 9, colour="52606d")
        return slide

    # 1 title
    s = prs.slides.add_slide(blank)
    text(s, 0.8, 2.0, 11.7, 1.2, f"Peta Talenta ASN {period}", 44, True)
    text(s, 0.8, 3.2, 11.7, 0.8, st.instansi, 28)
    text(s, 0.8, 4.1, 11.7, 1.2, f"{filters.describe()}\nDisusun {st.generated_at:%d-%m-%Y} · {st.rule_set}", 16,
         colour="52606d")
    text(s, 0.8, 6.6, 11.7, 0.6, ("Identitas pegawai disamarkan. " + privacy.note(t)).strip()
         if st.masked else "PERHATIAN: berisi identitas pegawai.", 12, colour="52606d")

    # 2 headline figures
    sm = content.summary
    s = new("Angka utama")
    figures = [("ASN dalam filter", _hide(sm["pegawai"])), ("Terpetakan", _hide(sm["terpetakan"])),
               (f"KRS (kotak {rules.KRS_SHORT})", _pct(sm["krs_persen"])),
               ("Kotak 9", _hide(sm["kotak_9"])), ("Kotak 1", _hide(sm["kotak_1"])),
               ("Belum terpetakan", _hide(sm["belum_terpetakan"]))]
    for i, (label, value) in enumerate(figures):
        x, y = 0.6 + (i % 3) * 4.1, 1.5 + (i // 3) * 2.5
        text(s, x, y, 3.9, 0.5, label, 18, colour="52606d")
        text(s, x, y + 0.5, 3.9, 1.2, value, 48, True)

    # 3 nine-box as a native table (editable), in the regulation's layout
    s = new(f"Peta talenta {period}: sembilan kotak (PermenPANRB 3/2020)")
    n = dict(zip(content.counts["kotak"], content.counts["n"]))
    shares = dict(zip(content.counts["kotak"], content.counts["persen"]))
    tbl = s.shapes.add_table(3, 3, Inches(2.6), Inches(1.3), Inches(9.6), Inches(5.1)).table
    for b in rules.BOXES:
        r = 2 - rules.KINERJA_LEVELS.index(b.kinerja)
        c = rules.POTENSIAL_LEVELS.index(b.potensial)
        cell = tbl.cell(r, c)
        cell.fill.solid()
        cell.fill.fore_color.rgb = rgb(b.colour)
        share = "" if privacy.hidden(shares[b.number]) else _pct(shares[b.number])
        cell.text = f"Kotak {b.number}\n{_hide(n[b.number])}\n{share}"
        for j, p in enumerate(cell.text_frame.paragraphs):
            p.font.size = Pt([18, 32, 16][j])
            p.font.bold = j < 2
            p.font.color.rgb = rgb(b.text_colour)
    for i, lab in enumerate(["Kinerja di atas\nekspektasi", "Kinerja sesuai\nekspektasi", "Kinerja di bawah\nekspektasi"]):
        text(s, 0.5, 1.6 + i * 1.7, 2.0, 1.0, lab, 14, True)
    for i, lab in enumerate(["Potensial rendah", "Potensial menengah", "Potensial tinggi"]):
        text(s, 2.6 + i * 3.2, 6.4, 3.2, 0.4, lab, 14, True)

    # 4 KRS ranking per OPD: native bar chart
    p = content.pool.dropna(subset=["krs_persen"]).sort_values("krs_persen", ascending=False)
    top = pd.concat([p.head(10), p.tail(5)]).drop_duplicates("group")
    s = new("Bagian KRS per OPD: 10 tertinggi dan 5 terendah")
    cd = CategoryChartData()
    cd.categories = [office(g) for g in top["group"]]
    cd.add_series("Bagian KRS dari pegawai terpetakan", [round(float(v), 4) for v in top["krs_persen"]])
    gf = s.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.2), Inches(12), Inches(5.5), cd)
    ch = gf.chart
    ch.has_legend = False
    ch.value_axis.tick_labels.number_format, ch.value_axis.tick_labels.number_format_is_linked = "0%", False
    ch.category_axis.reverse_order = True
    ch.plots[0].has_data_labels = True
    ch.plots[0].data_labels.number_format, ch.plots[0].data_labels.number_format_is_linked = "0.0%", False
    ch.plots[0].series[0].format.fill.solid()
    ch.plots[0].series[0].format.fill.fore_color.rgb = rgb(rules.BOX[9].colour)

    # 5 OPD heatmap (image: 50+ rows x 10 boxes is a heatmap, not a native chart)
    s = new("Sebaran kotak per OPD (urut bagian KRS)")
    if images:
        fig = charts.pool_heatmap(content.pool, title="", group_label="OPD", shares=True)
        fig.update_layout(height=max(900, 26 * len(content.pool) + 140), width=1500)
        png = chart_png(fig, 1500, max(900, 26 * len(content.pool) + 140))
        pic = s.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.2), height=Inches(5.5))
        pic.name = "heatmap OPD"
    else:
        text(s, 0.6, 1.5, 12, 1, "(gambar tidak dibuat)", 14)

    # 6 movement
    if content.movement is not None:
        m = content.movement
        s = new(f"Perpindahan kotak {content.period_from} → {period}")
        arr = m.to_numpy(dtype=float, na_value=np.nan)
        both = arr[1:, 1:]
        # a sum is shown only when every cell in it is: a hidden cell must not come back as a difference
        parts = [both[np.triu_indices(9, 1)], np.diag(both), both[np.tril_indices(9, -1)], arr[0, 1:]]
        sums = [None if np.isnan(p).any() else float(p.sum()) for p in parts]
        cd = CategoryChartData()
        cd.categories = ["Naik kotak", "Tetap", "Turun kotak", "Baru terpetakan"]
        cd.add_series("Pegawai", sums)
        gf = s.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(0.6), Inches(1.3), Inches(5.6), Inches(5.2), cd)
        gf.chart.has_legend = False
        gf.chart.plots[0].has_data_labels = True
        if images:
            png = chart_png(charts.movement_sankey(m, content.period_from, period), 1300, 900)
            s.shapes.add_picture(io.BytesIO(png), Inches(6.4), Inches(1.2), height=Inches(5.5))

    # 7 high-potential summary
    s = new("Potensi tinggi: saran pengelompokan untuk Komite Talenta")
    if content.hipo is None:
        text(s, 0.6, 1.5, 12, 1, "Belum cukup data asesmen untuk pengelompokan.", 20)
    else:
        v = content.hipo_view
        text(s, 0.6, 1.3, 12, 1.6,
             f"{_hide(v.n_hipo)} dari {_hide(v.n)} pegawai berasesmen ditandai potensi tinggi; "
             f"{_hide(v.n_review)} perlu kajian (kurang stabil). "
             f"Talenta tersembunyi (ditandai, di luar kotak {rules.KRS_SHORT}): {_hide(v.n_hidden)}. "
             "Ini saran algoritma; keputusan ada pada Komite Talenta.", 18)
        prof = v.profiles
        cols = ["cluster", "pegawai", "skor_kinerja", "jpm", "nilai_manajerial", "nilai_teknis"]
        heads = ["Klaster", "Pegawai", "Kinerja", "JPM", "Manajerial", "Teknis"]
        tbl = s.shapes.add_table(len(prof) + 1, len(cols), Inches(0.6), Inches(3.0), Inches(12), Inches(3.5)).table
        for j, hd in enumerate(heads):
            tbl.cell(0, j).text = hd
        for i, row in enumerate(prof.itertuples(index=False), start=1):
            r = row._asdict()
            for j, c in enumerate(cols):
                v = r[c]
                tbl.cell(i, j).text = (f"{int(v)}" + (" (potensi tinggi)" if c == "cluster" and r["hipo"] else "")
                                       if c in ("cluster",) else _hide(v) if c == "pegawai" or privacy.hidden(v)
                                       else f"{v:.1f}".replace(".", ","))

    # 8 method
    s = new("Metode dan sumber data")
    lines = [l.replace("**", "") for l in rs.describe()]
    lines.append(f"Kelompok Rencana Suksesi (KRS) = {rules.KRS_TEXT}. Aturan yang dipakai: {st.rule_set}.")
    if content.hipo is not None:
        lines.append(f"Potensi tinggi: Gaussian mixture, {content.hipo.k} klaster dipilih dengan BIC; penanda bila "
                     "peluang klaster tinggi ≥ 0,8; stabilitas dari pengulangan bootstrap.")
    lines.append("Sumber data: " + (", ".join(f"#{i} {f}" for i, f in zip(st.batches, st.batch_files)) or "–"))
    text(s, 0.6, 1.3, 12.1, 5.4, "\n".join("• " + l for l in lines), 15)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def produce(con, kind: str, instansi: str, filters: Filters, period: int, rs: RuleSet, user: str, *, scope: Scope,
            hipo_params=None, file_name: str | None = None) -> tuple[str, bytes, Content]:
    """The one export pipeline (page and CLI): gather for ``scope``, build the deck (``pptx``) or the workbook
    (``xlsx``), stamp it and log it in ``export_log`` under ``file_name`` (default ``talenta_<period>``).
    Returns (file name, bytes, content)."""
    content = gather(con, instansi, filters, period, rs, user, scope=scope, hipo_params=hipo_params)
    data = build_deck(con, content, filters, period, rs) if kind == "pptx" else \
        build_workbook(con, content, filters, period, rs)
    name = file_name or f"talenta_{period}{'' if scope.mask_identity else '_terbuka'}.{kind}"
    log_export(con, content.stamp, kind, name)
    return name, data, content
