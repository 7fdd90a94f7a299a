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

from . import (calibration, charts, deck, escape, export_safe, fmt, hipo, labels, overview, pool, privacy, quarantine,
               rules, store, talentmap)
from .errors import AccessDenied
from .escape import office, office_footer
from .escape import plotly as esc_plotly
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
        filters = self.filters.removeprefix(f"Periode {self.period} · ")     # the period once
        return (f"{self.instansi} · periode {self.period} · {filters} · {self.rule_set} · data: batch impor "
                f"{self.batch_text()} · dibuat {self.generated_at:%d-%m-%Y %H.%M} oleh {self.generated_by or '–'}"
                + (" · identitas disamarkan, kelompok kecil disembunyikan" if self.masked else " · IDENTITAS TERBUKA"))

    def batch_text(self) -> str:
        return ", ".join(f"#{i} {f}" for i, f in zip(self.batches, self.batch_files)) or "–"

    def rows(self) -> list[tuple[str, str]]:
        return [("Instansi", self.instansi), ("Periode", str(self.period)), ("Filter", self.filters),
                ("Aturan", self.rule_set), ("Batch impor", self.batch_text()),
                ("Dibuat", f"{self.generated_at:%d-%m-%Y %H.%M.%S}"), ("Oleh", self.generated_by or "–"),
                ("Identitas", "disamarkan" if self.masked else "TERBUKA (dibuat dengan sengaja)")]


def stamp(con, instansi: str, filters: Filters, rs: RuleSet, user: str, masked: bool,
          scope: Scope | None = None) -> Stamp:
    """The provenance stamp; with ``scope`` the filters name the account's OPD/instansi where it is limited."""
    period = filters.need_period()
    b = store.query_df(con, "SELECT batch_id, file_name FROM import_batch WHERE undone_at IS NULL ORDER BY batch_id")
    # every file says which box it shows (computed or calibrated)
    described = filters.describe(scope) + ("" if filters.basis != "otomatis" else
                                      f" · Dasar kotak: {calibration.resolve_basis(con, filters, scope or Scope())}")
    return Stamp(instansi, period, described, rs.id, rs.label, tuple(int(x) for x in b["batch_id"]),
                 tuple(b["file_name"]), store.now(), user, masked)


def log_export(con, s: Stamp, kind: str, file_name: str) -> None:
    with store.transaction(con) as cur:
        eid = cur.execute("SELECT nextval('seq_export')").fetchall()[0][0]
        cur.execute("INSERT INTO export_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [eid, kind, file_name, s.instansi, s.period, s.filters, s.rule_set_id, s.rule_set,
                     list(s.batches), s.masked, s.generated_at, s.generated_by, s.text()])


def export_history(con, scope: Scope, user: str, limit: int = 50) -> pd.DataFrame:
    """The latest exports, newest first. An account limited to an OPD or an instansi, or one that may not see
    identities (tamu), sees only the files ``user`` made: the log names other users, their times and file names
    (a CLI export keeps its ``--out`` name, e.g. another OPD's). An account over every instansi sees all."""
    everyone = scope.unlimited and scope.may_unmask
    return store.query_df(con, "SELECT export_id, kind, file_name, period, rule_set, masked, generated_at, "
                               "generated_by FROM export_log WHERE $everyone OR generated_by = $user "
                               "ORDER BY export_id DESC LIMIT $n", {"n": limit, "everyone": everyone, "user": user})


def chart_png(fig, width: int = 1600, height: int = 900, scale: float = 1) -> bytes:
    """Server-side PNG of a plotly figure at presentation resolution (kaleido drives Debian's chromium);
    ``scale`` multiplies the pixels, not the layout (sharp text on a slide)."""
    import plotly.io as pio

    return pio.to_image(fig, format="png", width=width, height=height, scale=scale)


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
    # why the high-potential section could not be built (the model's own message, e.g. too few assessments);
    # None when it was built or not asked for. The workbook's sheet and the deck's slide say it
    hipo_error: str | None = None


def gather(con, instansi: str, filters: Filters, rs: RuleSet, user: str, *, scope: Scope,
           hipo_params=None) -> Content:
    """Everything a deck or workbook shows, for ``scope`` (identities masked and small groups hidden as
    it says; an unmasked export is ``scope.unmasked()``, chosen by the caller)."""
    period = filters.need_period()
    # the instansi of the data in scope, not the setting's name (``instansi``: the fallback without data)
    instansi = overview.instansi_label(overview.filter_options(con, scope).get("instansi", []), filters.instansi,
                                       instansi)
    earlier = [p for p in overview.periods(con) if p < period]
    frm = earlier[-1] if earlier else None
    result = view = flagged = error = None
    if hipo_params is not None:
        try:
            result = hipo.for_scope(con, scope, filters, rs, hipo_params)   # fitted on the whole instansi
        except hipo.UsageError as exc:      # not dropped: the sheet and the slide say why (issue 13, 8)
            result, error = None, str(exc)
    if result is not None:
        t = privacy.threshold(scope)
        view = hipo.view(result, 0, scope, talentmap.raw_figures(con, scope, filters, rs) if t else None)
        rows = hipo.listed(result, lambda x: x[x["hipo"]], view.list_count(view.n_hipo), scope)
        flagged = hipo.people(rows, hipo.decisions(con, period)[["nip", "keputusan"]], scope)
    return Content(
        stamp(con, instansi, filters, rs, user, masked=scope.mask_identity, scope=scope), scope,
        talentmap.summary(con, scope, filters, rs), talentmap.box_counts(con, scope, filters, rs),
        talentmap.unplaced_counts(con, scope, filters, rs),
        pool.pool_table(con, scope, filters, rs, "opd"),
        pool.movement(con, scope, filters, frm, period, rs) if frm else None, frm, result, view, flagged,
        privacy.threshold(scope), error)


# --- XLSX workbook ------------------------------------------------------------------------------

EXCEL_MAX_ROWS = 1_000_000
COUNT_FORMAT, SHARE_FORMAT = "#,##0", "0.0%"     # Excel shows them in the reader's locale: 21.700 and 26,7%


def summary_rows(content: Content) -> list[tuple[str, object, str | None]]:
    """The Ringkasan sheet: (measure, value, number format) with counts and shares as numbers (a hidden one
    as the hidden mark), then the provenance stamp as text."""
    s, t = content.summary, content.threshold
    krs = "-".join(str(b) for b in rules.KRS_BOXES)

    def count(n):
        return (privacy.HIDDEN, None) if privacy.hidden(n) else (int(n), COUNT_FORMAT)

    def share(x):
        return (privacy.HIDDEN, None) if privacy.hidden(x) else (float(x), SHARE_FORMAT)

    rows = [("ASN dalam filter", *count(s["pegawai"])), ("Terpetakan", *count(s["terpetakan"])),
            ("Belum terpetakan", *count(s["belum_terpetakan"])),
            (f"Kelompok Rencana Suksesi (kotak {krs})", *count(s["krs"])),
            ("Bagian KRS dari terpetakan", *share(s["krs_persen"] / 100)),   # krs_persen is 0-100
            *[(f"Kotak {k}", *count(n)) for k, n in zip(content.counts["kotak"], content.counts["n"])]]
    if t:
        rows.append(("Keterangan", privacy.note(t), None))
    return rows + [("", "", None)] + [(k, v, None) for k, v in content.stamp.rows()]


def _pool_sheet(table: pd.DataFrame) -> pd.DataFrame:
    """The full OPD table with the KRS share as a fraction of placed employees (formatted as a percentage),
    computed from the counts shown (NaN where one of them is hidden)."""
    placed = table["total"].astype("Float64") - table["belum_terpetakan"].astype("Float64")
    share = (table["krs"].astype("Float64") / placed.where(placed > 0)).astype(float)
    return table.assign(krs_persen=share.to_numpy())


def build_workbook(con, content: Content, filters: Filters, rs: RuleSet) -> bytes:
    """Ringkasan, Peta Talenta, Talent Pool, Potensi Tinggi and Baris Ditolak sheets; numbers are numbers
    with number formats, headers are display names (``talenta.labels``)."""
    scope = content.scope
    mapping = talentmap.placements(con, scope, filters, rs)
    cut = len(mapping) > EXCEL_MAX_ROWS
    mapping = mapping.head(EXCEL_MAX_ROWS)
    sheets: list[tuple[str, pd.DataFrame, dict]] = []
    counts = {c: COUNT_FORMAT for c in ("total", *pool.BOX_COLS, "belum_terpetakan", "krs")}
    sheets.append(("Peta Talenta", mapping, {"skor_kinerja": "0.00", "skor_potensial": "0.00", "jpm": "0.0"}))
    sheets.append(("Talent Pool per OPD", _pool_sheet(content.pool), {**counts, "krs_persen": SHARE_FORMAT}))
    if content.hipo_list is not None:
        h = content.hipo_list
        sheets.append(("Potensi Tinggi", h[[c for c in hipo.FILE_COLUMNS if c in h]],
                       {"confidence": "0.00", "stability": "0%"}))
    elif content.hipo_error is not None:    # an empty sheet whose note says why (_sheet_note)
        sheets.append(("Potensi Tinggi", pd.DataFrame(columns=list(hipo.FILE_COLUMNS)), {}))
    posts = succession_posts(con, content, filters, rs)
    if len(posts):
        from . import succession_report

        sheets.append(("Suksesi", succession_report.workbook_frame(posts).rename(columns=SUKSESI_HEADERS),
                       {c: COUNT_FORMAT for c in ("Siap sekarang", "Siap 1-2 tahun", "Kandidat")}))
    rej = quarantine.rejected_rows(con)
    if not rejected_rows_shown(scope):
        # the import's rejected rows are every OPD's: an OPD account got other OPDs' NIPs, and a masked workbook
        # still quoted each value in its message (review 10, 2); the sheet says why it is empty
        rej = rej.head(0)
    sheets.append(("Baris Ditolak", rej, {}))
    summary = summary_rows(content)
    if cut:
        summary.append(("Catatan", f"Lembar Peta Talenta dipotong pada {fmt.num(EXCEL_MAX_ROWS)} baris; pakai "
                                   "'python -m talenta map' untuk semua.", None))
    buf = io.BytesIO()
    with export_safe.xlsx_writer(buf) as xw:      # text is a string cell, never a formula or a link
        wb = xw.book
        head = wb.add_format({"bold": True, "bg_color": "#dbe4ee", "border": 1, "text_wrap": True, "valign": "top"})
        footer = "&L" + office_footer(sheet_footer(content, filters))    # "&" starts a code there
        ws = wb.add_worksheet("Ringkasan")
        xw.sheets["Ringkasan"] = ws
        number_formats = {}
        for j, col in enumerate(("Ukuran", "Nilai")):
            ws.write_string(0, j, col, head)
        for i, (measure, value, nf) in enumerate(summary, start=1):
            ws.write_string(i, 0, office(measure))
            if nf:
                number_formats.setdefault(nf, wb.add_format({"num_format": nf, "align": "right"}))
                ws.write_number(i, 1, value, number_formats[nf])
            else:
                ws.write_string(i, 1, office(value))    # text cells: written as strings, never as formulas
        ws.set_column(0, 0, 40)
        ws.set_column(1, 1, 60)
        ws.freeze_panes(1, 0)
        ws.set_footer(footer)
        muted = wb.add_format({"italic": True, "font_color": "#52606d"})
        for name, df, formats in sheets:
            hidden = _hidden_cells(name, df, formats, content.threshold)
            df = export_safe.xlsx_frame(df.rename(columns=LABELS))   # no control characters; text as typed
            df.to_excel(xw, index=False, sheet_name=name[:31], startrow=0)
            export_safe.mark_formula_text(xw, name[:31], df)
            ws = xw.sheets[name[:31]]
            for i, j in zip(*np.nonzero(hidden)):          # a hidden figure shows the mark its legend explains
                ws.write_string(int(i) + 1, int(j), privacy.HIDDEN)
            note = _sheet_note(name, df, content) if df.empty else \
                (privacy.note(content.threshold) + "." if hidden.any() else None)
            if note:
                ws.write_string(len(df) + (1 if df.empty else 2), 0, note, muted)
            for j, col in enumerate(df.columns):
                ws.write(0, j, col, head)
                lengths = df[col].astype("string").str.len().fillna(0)
                width = min(60, max(10, len(str(col)) + 2, int(lengths.quantile(0.9)) + 2 if len(df) else 0))
                raw = [k for k, v in LABELS.items() if v == col]
                nf = formats.get(raw[0] if raw else col)
                ws.set_column(j, j, width, wb.add_format({"num_format": nf}) if nf else None)
            ws.freeze_panes(1, 0)
            ws.set_footer(footer)
            if len(df):
                ws.autofilter(0, 0, len(df), len(df.columns) - 1)
    return buf.getvalue()


LABELS = {**labels.LABELS, "group": "OPD"}
SUKSESI_HEADERS = {"Kesehatan pipeline": "Status suksesi"}      # the sheet's words, in Indonesian


def _hidden_cells(name: str, df: pd.DataFrame, formats: dict, threshold: int) -> np.ndarray:
    """(rows x columns) True where a count or share of ``df`` is hidden by the small-group threshold: an empty
    count (or share) column cell under a threshold. On the pool sheet a share is hidden when a count it rests on
    is (a share of an OPD without placed employees is simply empty)."""
    out = np.zeros(df.shape, dtype=bool)
    if not threshold:
        return out
    for j, col in enumerate(df.columns):
        if formats.get(col) == COUNT_FORMAT:
            out[:, j] = df[col].isna().to_numpy()
    if name == "Talent Pool per OPD" and "krs_persen" in df:
        rests = df[["total", "belum_terpetakan", "krs"]].isna().any(axis=1).to_numpy()
        out[:, list(df.columns).index("krs_persen")] = rests
    return out


def rejected_rows_shown(scope: Scope) -> bool:
    """Whether a workbook for ``scope`` lists the import's rejected rows: only an unmasked one for all the data (the
    rows are not limited to an OPD, and their messages quote the values as written)."""
    return scope.unlimited and not scope.mask_identity


def _sheet_note(name: str, df: pd.DataFrame, content: Content) -> str:
    """Why a sheet has no rows (a reader must not take an empty sheet for an empty list)."""
    t = content.threshold
    if name == "Potensi Tinggi":
        if content.hipo_error is not None:
            return "Saran potensi tinggi tidak dapat dibuat: " + content.hipo_error
        v = content.hipo_view
        if v is not None and not privacy.hidden(v.n_hipo) and v.n_hipo == 0:
            return "Tidak ada pegawai yang disarankan berpotensi tinggi untuk filter ini."
        if t:
            return (f"Daftar tidak ditampilkan: jumlah pegawai yang disarankan di bawah {t} orang, atau angka yang "
                    "dapat membukanya (kelompok kecil disembunyikan).")
        return "Tidak ada pegawai yang disarankan berpotensi tinggi untuk filter ini."
    if name == "Baris Ditolak":
        if not rejected_rows_shown(content.scope):
            return ("Baris yang ditolak impor tidak dimuat: isinya (NIP, nilai asli) mencakup pegawai semua OPD, jadi "
                    "hanya ada di buku kerja tanpa samaran untuk seluruh data, dan di halaman Impor Data.")
        return "Tidak ada baris yang ditolak pada impor."
    if t and privacy.hidden(content.summary.get("pegawai")):
        return f"Daftar tidak ditampilkan: kelompok di bawah {t} orang (kelompok kecil disembunyikan)."
    return "Tidak ada baris untuk filter ini."
FOOTER_MAX = 255 - len("&L")      # Excel's limit for a header/footer, its codes included


def _fit(text: str, limit: int) -> str:
    """``text`` cut at a word boundary with "…" so that, escaped for a footer (``&`` doubled), it is at most
    ``limit`` characters."""
    if len(office_footer(text)) <= limit:
        return text
    while text and len(office_footer(text)) + 1 > limit:
        head = text[:-1]
        text = head.rsplit(" ", 1)[0] if " " in head else head
    return text.rstrip(" ·,;:") + "…"


def sheet_footer(content: Content, filters: Filters) -> str:
    """Every sheet's footer: the deck's short provenance line (the period once, the filters as the scope limits
    them, rule set, time and who, masking), at most ``FOOTER_MAX`` characters once escaped; when too long the
    filters are cut at a word boundary with "…" (the full stamp is on the Ringkasan sheet)."""
    st = content.stamp
    head = [st.instansi, f"periode {st.period}"]
    tail = [f"aturan #{st.rule_set_id}" if st.rule_set_id is not None else st.rule_set,
            f"dibuat {st.generated_at:%d-%m-%Y %H.%M}" + (f" oleh {st.generated_by}" if st.generated_by else ""),
            "identitas disamarkan" if st.masked else "IDENTITAS TERBUKA"]
    sep = " · "
    fixed = len(office_footer(sep.join([*head, *tail]))) + len(sep)
    middle = _fit(deck.filter_text(filters, content.scope), max(FOOTER_MAX - fixed, 0))
    return _fit(sep.join([*head, middle, *tail]), FOOTER_MAX)


# --- PPTX deck ---------------------------------------------------------------------------------
# One message per slide, in the order of a coordination meeting; each slide is a function (prs, ctx) -> None
# built with the house-style helpers of ``talenta.deck``. ``SLIDES`` is the deck: a module adds its slide by
# writing such a function and listing it here (e.g. succession's "jabatan berisiko" before the decisions).

def _num(n) -> str:
    return privacy.text(n, fmt.num)


def _share_text(x) -> str:
    return privacy.HIDDEN if privacy.hidden(x) else fmt.pct(x)


SMALL_HIDDEN = "angka kecil disembunyikan"


def _nobody(count) -> bool:
    """A shown count of zero: a share of it is undefined and no ranking or breakdown of it says anything."""
    return _shown(count) and count == 0


def _shown(*figures) -> bool:
    """True when none of ``figures`` is hidden: a title or a sentence states a figure only then (never "• pegawai")."""
    return not any(privacy.hidden(x) for x in figures)


def opd_ranking(table: pd.DataFrame) -> pd.DataFrame:
    """The pool table's ranking (``pool.pool_table``: the shares shown, hidden ones after them by name) with
    each group's share of placed employees as the scope may see it (NaN when it rests on a hidden count)."""
    placed = table["total"].astype("Float64") - table["belum_terpetakan"].astype("Float64")
    krs = table["krs"].astype("Float64")
    share = (krs / placed.where(placed > 0)).astype(float)      # <NA> anywhere: NaN, shown as the hidden mark
    return pd.DataFrame({"group": table["group"].astype(str).to_numpy(), "share": share.to_numpy(),
                         "placed": placed.to_numpy(dtype=float, na_value=np.nan)})


def _rankable(table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The pool table's rows a ranking shows, and how many it leaves out: a group whose KRS share is hidden (a
    small group, its counts suppressed; the pool lists it after the shown shares, by name) is in no top or bottom
    ten, where its place would bound its share (review 13, M3); one without placed employees stays, at the end."""
    r = opd_ranking(table)
    keep = ~(r["share"].isna() & ~(r["placed"] == 0)).to_numpy()
    return table[keep].reset_index(drop=True), int((~keep).sum())


def _extremes(r: pd.DataFrame, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """All groups when at most 2n, else the n first and the n last of the ranking."""
    if len(r) <= 2 * n:
        return r, None
    return r.head(n), r.tail(n)


def _named(row) -> str:
    share = row["share"]
    return f"{row['group']}" + ("" if privacy.hidden(share) else f" ({fmt.pct(share)})")


def deck_title(period: int) -> str:
    """The deck's title: on its first slide and in its document properties."""
    return f"Peta Talenta ASN {period}"


def slide_title(prs, ctx: deck.Ctx) -> None:
    st = ctx.content.stamp
    s = prs.slides.add_slide(prs.slide_layouts[6])
    deck.text(s, 0.8, 1.9, 11.7, 1.2, deck_title(ctx.period), 44, True)
    deck.text(s, 0.8, 3.1, 11.7, 0.8, st.instansi, 28)
    what = deck.filter_text(ctx.filters, ctx.scope)
    deck.text(s, 0.8, 4.0, 11.7, 1.0, f"{what[:1].upper() + what[1:]} · disusun {fmt.date(st.generated_at)}"
              f" · {st.rule_set}", 16, colour=deck.MUTED)
    deck.text(s, 0.8, 6.4, 11.7, 0.8, ("Identitas pegawai disamarkan. " + privacy.note(ctx.threshold)).strip()
              if st.masked else "PERHATIAN: berisi identitas pegawai.", 14, colour=deck.MUTED)


def slide_headline(prs, ctx: deck.Ctx) -> None:
    sm = ctx.content.summary
    r = opd_ranking(ctx.content.pool)
    title = (f"{_share_text(sm['krs_persen'] / 100)} ASN terpetakan masuk Kelompok Rencana Suksesi (KRS)"
             if not privacy.hidden(sm["krs_persen"]) else "Kelompok Rencana Suksesi: angka utama")
    if _nobody(sm["terpetakan"]):    # no share of nobody (review 9, 5)
        title = ("Tidak ada pegawai dalam filter ini" if _nobody(sm["pegawai"]) else
                 "Tidak ada pegawai terpetakan dalam filter ini")
    if len(r) > 1 and _shown(r["share"].iloc[0]):       # "X tertinggi" only when X's share is shown
        first = r.iloc[0]
        title += f"; {first['group']} tertinggi ({fmt.pct(first['share'])})"
    s = deck.new_slide(prs, ctx, title)
    krs = "-".join(str(b) for b in rules.KRS_BOXES)
    figures = [("ASN dalam filter", _num(sm["pegawai"])), ("Terpetakan", _num(sm["terpetakan"])),
               ("Bagian KRS dari terpetakan", "–" if _nobody(sm["terpetakan"])
                else _share_text(sm["krs_persen"] / 100)),
               (f"Anggota KRS (kotak {krs})", _num(sm["krs"])), (f"Kotak {TOP_BOX}", _num(sm[f"kotak_{TOP_BOX}"])),
               ("Belum terpetakan (data kurang)", _num(sm["belum_terpetakan"]))]
    for i, (label, value) in enumerate(figures):
        deck.figure(s, 0.6 + (i % 3) * 4.1, 1.6 + (i // 3) * 2.4, 3.9, label, value)
    deck.text(s, 0.6, 6.2, 12.1, 0.6, "KRS = Kelompok Rencana Suksesi (PermenPANRB 3/2020): pegawai di kotak "
              f"{krs}, calon pengisi jabatan yang kosong atau akan kosong.", 14, colour=deck.MUTED)


TOP_BOX = max(rules.KRS_BOXES)      # kinerja di atas ekspektasi, potensial tinggi (also KRS Nasional)


def slide_ninebox(prs, ctx: deck.Ctx) -> None:
    from pptx.util import Inches

    c = ctx.content.counts
    n = dict(zip(c["kotak"], c["n"]))
    shares = dict(zip(c["kotak"], c["persen"]))
    # "Kotak X paling banyak" only when no hidden box can be larger: the hidden boxes together hold the placed
    # employees the shown boxes do not (a difference of shown figures, so saying it reveals nothing new)
    shown = {k: v for k, v in n.items() if not privacy.hidden(v)}
    top = max(shown, key=lambda k: (shown[k], k)) if shown else None
    placed = ctx.content.summary["terpetakan"]
    if top is not None and len(shown) < len(n) and (privacy.hidden(placed) or placed - sum(shown.values()) >= shown[top]):
        top = None
    if _nobody(placed):       # no box is "the most" of nobody (review 9, 5)
        title = f"Peta talenta {ctx.period}: tidak ada pegawai terpetakan dalam filter ini"
    elif top is not None and _shown(shares[top]):
        title = f"Kotak {top} paling banyak ({fmt.pct(shares[top])} pegawai terpetakan)"
        if top != TOP_BOX and _shown(n[TOP_BOX]):
            title += f"; {_num(n[TOP_BOX])} pegawai di Kotak {TOP_BOX}"
    elif _shown(n[TOP_BOX]):
        title = f"Peta talenta {ctx.period}: {_num(n[TOP_BOX])} pegawai di Kotak {TOP_BOX}"
    else:
        title = f"Peta talenta {ctx.period}: sembilan kotak ({SMALL_HIDDEN})"
    s = deck.new_slide(prs, ctx, title)
    tbl = s.shapes.add_table(3, 3, Inches(2.7), Inches(1.5), Inches(9.6), Inches(4.5)).table
    for b in rules.BOXES:
        cell = tbl.cell(2 - rules.KINERJA_LEVELS.index(b.kinerja), rules.POTENSIAL_LEVELS.index(b.potensial))
        cell.fill.solid()
        cell.fill.fore_color.rgb = deck.rgb(b.colour)
        share = ("" if privacy.hidden(shares[b.number]) else "–" if _nobody(placed)
                 else fmt.pct(shares[b.number]))        # a share of nobody is undefined
        cell.text = f"Kotak {b.number}\n{_num(n[b.number])}\n{share}"
        for j, p in enumerate(cell.text_frame.paragraphs):
            deck.style(p, [18, 30, 16][j], j < 2, b.text_colour)
    for i, lab in enumerate(["Kinerja di atas\nekspektasi", "Kinerja sesuai\nekspektasi", "Kinerja di bawah\nekspektasi"]):
        deck.text(s, 0.5, 1.75 + i * 1.5, 2.1, 1.0, lab, 14, True)
    for i, lab in enumerate(["Potensial rendah", "Potensial menengah", "Potensial tinggi"]):
        deck.text(s, 2.7 + i * 3.2, 6.05, 3.2, 0.4, lab, 14, True)
    deck.text(s, 0.5, 6.45, 12.3, 0.45, f"Persentase dari pegawai terpetakan. Kotak {', '.join(map(str, rules.KRS_BOXES))}"
              " = Kelompok Rencana Suksesi.", 12, colour=deck.MUTED)


def comparison(ctx: deck.Ctx) -> tuple[pd.DataFrame, str] | None:
    """What the ranking and heatmap slides compare: the OPD (``Content.pool``), or for a deck of one OPD its
    unit kerja (a pool table by ``unit_kerja``, masked by the same scope); None when there is nothing to
    compare (one group), and those slides are left out."""
    table = ctx.content.pool
    if len(table) > 1:
        return table, "OPD"
    if len(table) == 1:
        units = pool.pool_table(ctx.con, ctx.scope, ctx.filters, ctx.rs, "unit_kerja")
        if len(units) > 1:
            return units, "unit kerja"
    return None


def slide_ranking(prs, ctx: deck.Ctx) -> None:
    compared = comparison(ctx)
    if compared is None:        # one OPD of one unit: nothing to rank ("Semua 1 OPD" … "tertinggi")
        return
    table, noun = compared
    table, left_out = _rankable(table)
    if table.empty:             # every share hidden: no ranking to show
        s = deck.new_slide(prs, ctx, f"Bagian KRS per {noun}: {SMALL_HIDDEN}")
        deck.text(s, 0.5, deck.TOP, 12.3, 0.6, f"Bagian KRS {fmt.num(left_out)} {noun} disembunyikan (kelompok di "
                  f"bawah {ctx.threshold} orang, atau angka yang dapat membukanya).", 16)
        return
    r = opd_ranking(table)
    first = r.iloc[0]
    # the ends named are the highest and lowest shown shares: never a hidden one, nor a group without placed
    # employees (listed last, its share undefined: "Dinas Koperasi dan UKM terendah" named an OPD of one person
    # none of whose data was complete; hostile pass, session 22)
    valued = r[[_shown(v) for v in r["share"]]]
    ends = [(valued.iloc[0], "tertinggi")] if len(valued) else []
    ends += [(valued.iloc[-1], "terendah")] if len(valued) > 1 else []
    said = [f"{_named(row)} {word}" for row, word in ends]
    if len(r) == 1 and said:        # one ranked group is no ranking: not "tertinggi" (review 20d, 4)
        said = [f"hanya {_named(first)} yang dapat diperingkat"]
    where = f" di {ctx.content.pool['group'].iloc[0]}" if noun != "OPD" else ""
    title = f"Bagian KRS per {noun}{where}: " + (", ".join(said) if said else SMALL_HIDDEN)
    s = deck.new_slide(prs, ctx, title)
    top, bottom = _extremes(r)
    note = 0.4 if left_out else 0.0     # room for the line on the groups left out, above the footer

    def chart(part, x, w, heading, name):
        deck.text(s, x, deck.TOP, w, 0.4, heading, 16, True, colour=deck.MUTED)
        values = [None if privacy.hidden(v) else round(float(v), 4) for v in part["share"]]
        deck.bar_chart(s, x, deck.TOP + 0.4, w, deck.BOTTOM - deck.TOP - 0.45 - note, list(part["group"]), values,
                       [_share_text(v) for v in part["share"]], series="Bagian KRS dari pegawai terpetakan",
                       size=13 if len(part) > 12 else 14, name=name)

    if bottom is None:
        chart(top, 0.5, 12.3, f"Semua {len(r)} {noun}, urut bagian KRS dari pegawai terpetakan" if len(r) > 1 else
              f"Satu-satunya {noun} yang dapat diperingkat: bagian KRS dari pegawai terpetakan", f"peringkat {noun}")
    else:
        chart(top, 0.5, 6.1, f"10 tertinggi dari {len(r)} {noun}", f"peringkat {noun} teratas")
        chart(bottom, 6.75, 6.1, f"10 terendah dari {len(r)} {noun}", f"peringkat {noun} terbawah")
    if note:
        deck.text(s, 0.5, deck.BOTTOM - note, 12.3, note, f"{fmt.num(left_out)} {noun} lain tidak diperingkat: bagian "
                  f"KRS-nya disembunyikan (kelompok di bawah {ctx.threshold} orang, atau angka yang dapat "
                  "membukanya).", 12, colour=deck.MUTED)


HEATMAP_ROW_MAX = 34      # px (= pt on the slide): a row of one or a few OPD stays a row, not a slab
HEATMAP_HEAD = 26         # px above the rows for the "Kotak 1 … Belum" labels


def heatmap_figure(table: pd.DataFrame, w: float, h: float):
    """The box distribution of the ranking's first and last OPD (at most 20 rows) as a heatmap for a slide box
    of ``w`` x at most ``h`` inches (1 px = 1 pt), every OPD and box labelled, text at 12 pt or more.

    The rows take the whole height (at most ``HEATMAP_ROW_MAX`` each; the figure is shorter for few OPD):
    no colour bar (every cell prints its percentage; the slide's note says what the colour means), no
    automatic top margin. The page's colour bar above the plot pushed the rows of 20 OPD into a strip at
    the bottom of the image, their names overlapping."""
    top, bottom = _extremes(opd_ranking(table))
    rows = table.head(len(top)) if bottom is None else pd.concat([table.head(len(top)), table.tail(len(bottom))])
    fig = charts.pool_heatmap(rows.reset_index(drop=True), title="", group_label="", shares=True,
                              two_line_names=False)          # rows of a slide are one line high
    fig.data = [t for t in fig.data if t.type == "heatmap"]      # an image has no click targets
    n = len(rows)
    row = min(HEATMAP_ROW_MAX, (h * 72 - HEATMAP_HEAD - 4) / max(n, 1))
    deck.points_figure(fig, w, (HEATMAP_HEAD + 4 + row * n) / 72)
    groups = [esc_plotly(g) for g in rows["group"].astype(str)]
    names = [esc_plotly(fmt.clip(g)) for g in rows["group"].astype(str)]
    fig.update_traces(textfont=dict(size=12), showscale=False, selector=dict(type="heatmap"))
    fig.update_layout(font=dict(size=13), margin=dict(t=HEATMAP_HEAD, l=10, r=10, b=4),
                      xaxis=dict(tickmode="array", tickvals=list(range(10)), automargin=False,
                                 ticktext=[f"Kotak {i}" for i in range(1, 10)] + ["Belum"], tickfont=dict(size=13)),
                      yaxis=dict(tickmode="array", tickvals=groups, ticktext=names, tickfont=dict(size=13), title=None,
                                 automargin=True))
    if bottom is not None:
        fig.add_shape(type="line", xref="paper", yref="y", x0=0, x1=1, y0=len(top) - 0.5, y1=len(top) - 0.5,
                      line=dict(color="#1f2933", width=3))
    return fig


def slide_heatmap(prs, ctx: deck.Ctx) -> None:
    compared = comparison(ctx)
    if compared is None:        # one group: the nine-box slide already shows its distribution
        return
    table, noun = compared
    whole = len(table)
    table, _ = _rankable(table)
    if table.empty:
        return
    r = opd_ranking(table)
    top, bottom = _extremes(r)
    what = f"10 {noun} teratas dan 10 terbawah" if bottom is not None else f"{len(r)} {noun}"
    if noun != "OPD":
        what += f" di {ctx.content.pool['group'].iloc[0]}"
    title = f"Sebaran kotak {what} menurut bagian KRS"
    if bottom is not None and not (privacy.hidden(r["share"].iloc[0]) or privacy.hidden(r["share"].iloc[-1])):
        gap = (r["share"].iloc[0] - r["share"].iloc[-1]) * 100
        title = f"Bagian KRS antar-{noun} berselisih {fmt.num(gap, 1)} poin persen: sebaran kotak {what}"
    s = deck.new_slide(prs, ctx, title)
    w, h = 12.3, deck.BOTTOM - deck.TOP - 0.45
    if ctx.images:
        fig = heatmap_figure(table, w, h)
        png = chart_png(fig, fig.layout.width, fig.layout.height, scale=2)
        deck.picture(s, png, 0.5, deck.TOP, w, fig.layout.height / 72, name=f"heatmap {noun}")
    else:
        deck.text(s, 0.5, deck.TOP + 1, w, 1, "(gambar tidak dibuat)", 14)
    line = "; garis tebal: teratas | terbawah" if bottom is not None else ""
    where = ("Tabel lengkap {n} OPD: workbook, lembar Talent Pool per OPD." if noun == "OPD" else
             "Tabel lengkap {n} unit kerja: halaman Talent Pool, kelompok Unit kerja.").format(n=fmt.num(whole))
    # the cells are parts of the group's employees, Belum included (charts.pool_heatmap: one denominator); the
    # title's KRS share is of the placed (review 9, 4: the caption said the cells were of the placed)
    deck.text(s, 0.5, deck.BOTTOM - 0.45, 12.3, 0.45, f"Sel: persen dari semua pegawai {noun} itu, Belum termasuk "
              f"(baris = 100 %); judul: bagian KRS dari yang terpetakan{line}. {where}", 12, colour=deck.MUTED)


MOVES = (("naik", "Naik kotak"), ("tetap", "Tetap"), ("turun", "Turun kotak"), ("baru_terpetakan", "Baru terpetakan"),
         ("tidak_terpetakan_lagi", "Tidak terpetakan lagi"))


def movement_totals(con, scope: Scope, filters: Filters, period_from: int, period_to: int, rs: RuleSet) -> dict:
    """Employees who moved up, stayed, moved down, were newly placed or no longer placed between two periods
    (``pd.NA`` when hidden): ``talentmap.movement_totals``, protected together with the movement matrix."""
    return talentmap.movement_totals(con, scope, filters, (period_from, rs), (period_to, rs))


def slide_movement(prs, ctx: deck.Ctx) -> None:
    c = ctx.content
    if c.movement is None:
        return
    m = movement_totals(ctx.con, ctx.scope, ctx.filters, c.period_from, ctx.period, ctx.rs)
    said = [f"{_num(m[k])} {what}" for k, what in (("naik", "naik kotak"), ("turun", "turun kotak"), ("tetap", "tetap"))
            if not privacy.hidden(m[k])]
    s = deck.new_slide(prs, ctx, f"Dari {c.period_from} ke {ctx.period}: " + ", ".join(said) + " (pegawai terpetakan "
                       "di kedua tahun)" if said else f"Perpindahan kotak {c.period_from} → {ctx.period}")
    values = [None if privacy.hidden(m[k]) else float(m[k]) for k, _ in MOVES]
    deck.bar_chart(s, 0.5, deck.TOP, 8.0, deck.BOTTOM - deck.TOP - 0.1, [lab for _, lab in MOVES], values,
                   [_num(m[k]) for k, _ in MOVES], horizontal=False, colour="9fb3c8", series="Pegawai", size=14,
                   name="perpindahan kotak")
    deck.text(s, 8.8, deck.TOP + 0.2, 4.0, 5.0,
              f"Naik: ke nomor kotak lebih tinggi pada {ctx.period} dibanding {c.period_from}; turun: sebaliknya.\n"
              "Baru terpetakan: belum punya kotak tahun lalu, kini punya.\n"
              "Tidak terpetakan lagi: kinerja atau asesmennya tidak berlaku lagi.\n"
              "Rincian per OPD dan per kotak: halaman Talent Pool (Perpindahan)."
              + ("\nTanda " + privacy.note(ctx.threshold) + "." if any(privacy.hidden(x) for x in m.values()) else ""),
              14, colour=deck.MUTED)


def _pending(ctx: deck.Ctx):
    """Flagged employees without a committee decision yet (``pd.NA`` when it or its complement is a small count)."""
    c = ctx.content
    v = c.hipo_view
    if privacy.hidden(v.n_hipo):
        return pd.NA
    flagged = c.hipo.table.loc[c.hipo.table["hipo"], "nip"]
    decided = int(flagged.isin(hipo.decisions(ctx.con, ctx.period)["nip"]).sum())
    pending = int(v.n_hipo) - decided
    t = ctx.threshold
    return pd.NA if privacy.small(pending, t) or privacy.small(decided, t) else pending


def slide_hipo(prs, ctx: deck.Ctx) -> None:
    c = ctx.content
    if c.hipo is None:
        s = deck.new_slide(prs, ctx, "Potensi tinggi: belum cukup data asesmen untuk saran pengelompokan")
        why = (c.hipo_error.rstrip(".") + ". ") if c.hipo_error else ""
        deck.text(s, 0.6, 1.8, 12, 1, why + "Lengkapi data asesmen, lalu buat deck ini lagi.", 20)
        return
    v = c.hipo_view
    pending = _pending(ctx)
    if _shown(v.n_hipo, v.n_hidden):
        title = (f"{_num(v.n_hipo)} pegawai disarankan berpotensi tinggi; {_num(v.n_hidden)} di antaranya di luar KRS "
                 "dan perlu dibahas Komite Talenta")
    elif _shown(v.n_hipo):
        title = f"{_num(v.n_hipo)} pegawai disarankan berpotensi tinggi, untuk dibahas Komite Talenta"
    else:
        title = f"Saran potensi tinggi ({SMALL_HIDDEN})"
    s = deck.new_slide(prs, ctx, title)
    figures = [("Disarankan potensi tinggi", _num(v.n_hipo)), ("Di luar KRS (talenta tersembunyi)", _num(v.n_hidden)),
               ("Perlu kajian (saran kurang stabil)", _num(v.n_review)), ("Belum diputuskan Komite", _num(pending))]
    for i, (label, value) in enumerate(figures):
        deck.figure(s, 0.6 + (i % 2) * 6.2, 1.6 + (i // 2) * 2.2, 5.9, label, value)
    deck.text(s, 0.6, 5.9, 12.1, 0.9, (f"Dari {_num(v.n)} pegawai berasesmen. " if _shown(v.n) else "")
              + "Ini saran pengelompokan statistik (metode di lampiran), bukan keputusan: Komite Talenta menetapkan "
              "atau menolak setiap saran." + ("" if _shown(v.n_hipo, v.n_hidden, v.n_review, pending, v.n) else
                                               f" Tanda {privacy.note(ctx.threshold)}."), 14, colour=deck.MUTED)


def without_successor(table: pd.DataFrame) -> list[str]:
    """The groups of a pool table with no KRS member (a count of 0 is shown; a hidden one is not 0), largest first."""
    zero = table[table["krs"].astype("Float64").eq(0).fillna(False).to_numpy()]
    return zero.sort_values(["total", "group"], ascending=[False, True], na_position="last")["group"].astype(str).tolist()


def slide_decisions(prs, ctx: deck.Ctx) -> None:
    """Yang perlu diputuskan: KRS gaps, OPD without successors (no KRS member), pending high-potential decisions."""
    c = ctx.content
    s = deck.new_slide(prs, ctx, "Yang perlu diputuskan")
    rows = []
    bench = pool.bench_strength(ctx.con, ctx.scope, ctx.filters, ctx.rs)
    known = bench.dropna(subset=["krs", "jabatan_manajerial"])
    gap = known[known["krs"].astype(int) < known["jabatan_manajerial"].astype(int)]
    if len(gap):
        worst = "; ".join(f"{r.opd}: {_num(r.krs)} anggota KRS untuk {_num(r.jabatan_manajerial)} jabatan"
                          + ("" if privacy.hidden(r.pensiun_2_tahun) or not r.pensiun_2_tahun
                             else f", {_num(r.pensiun_2_tahun)} pejabat pensiun ≤ {rules.BUP_HORIZON_YEARS} tahun")
                          for r in gap.head(3).itertuples())
        if len(bench) == 1:     # one OPD: its own figures, not "1 dari 1 OPD … Terbesar"
            rows.append(["Kesenjangan KRS", f"Anggota KRS lebih sedikit dari jabatan manajerial: {worst}.",
                         "Prioritas pengembangan dan rotasi talenta ke OPD ini"])
        else:
            rows.append(["Kesenjangan KRS", f"{fmt.num(len(gap))} dari {fmt.num(len(bench))} OPD punya anggota KRS "
                         f"lebih sedikit dari jabatan manajerialnya. Terbesar: {worst}.",
                         "Prioritas pengembangan dan rotasi talenta ke OPD ini"])
    elif len(known) == len(bench) == 1:
        r = known.iloc[0]
        rows.append(["Kesenjangan KRS", f"{r.opd} punya {_num(r.krs)} anggota KRS untuk {_num(r.jabatan_manajerial)} "
                     "jabatan manajerial: tidak kurang.", "Pertahankan; tinjau lagi periode berikut"])
    elif len(known):
        rows.append(["Kesenjangan KRS", "Tidak ada OPD dengan anggota KRS lebih sedikit dari jabatan manajerialnya"
                     + (" (di antara OPD yang angkanya ditampilkan)." if len(known) < len(bench) else "."),
                     "Pertahankan; tinjau lagi periode berikut"])
    elif len(bench):          # nothing to compare: no claim either way
        rows.append(["Kesenjangan KRS", "Angka KRS dan jabatan manajerial per OPD disembunyikan (kelompok kecil).",
                     "Tidak dapat dinilai dari deck ini"])
    table = c.pool
    none = without_successor(table)
    unknown = int(table["krs"].isna().sum())
    hidden_note = f" {fmt.num(unknown)} OPD tidak ditampilkan (kelompok kecil)." if unknown else ""
    if none:
        rows.append(["OPD tanpa suksesor", f"{fmt.num(len(none))} OPD tanpa satu pun anggota KRS: "
                     + ", ".join(none[:6]) + (f" dan {len(none) - 6} lainnya" if len(none) > 6 else "") + "." + hidden_note,
                     "Tunjuk calon dari KRS instansi atau OPD lain"])
    elif unknown == len(table):     # every OPD's count hidden: "every OPD has one" would be a claim about them
        rows.append(["OPD tanpa suksesor", "Jumlah anggota KRS per OPD disembunyikan (kelompok kecil).",
                     "Tidak dapat dinilai dari deck ini"])
    elif len(table) == 1:
        rows.append(["OPD tanpa suksesor", f"{table['group'].iloc[0]} punya {_num(table['krs'].iloc[0])} anggota KRS.",
                     "Tidak ada keputusan"])
    else:
        rows.append(["OPD tanpa suksesor", ("Setiap OPD yang angkanya ditampilkan punya anggota KRS." if unknown else
                                            "Setiap OPD punya anggota KRS.") + hidden_note, "Tidak ada keputusan"])
    if c.hipo is not None:
        v = c.hipo_view
        rows.append(["Saran potensi tinggi", _hipo_finding(v, _pending(ctx)),
                     "Jadwalkan sidang Komite Talenta untuk menetapkan atau menolak"])
    deck.table(s, 0.5, deck.TOP, 12.3, 0.5 * (len(rows) + 1), ["Hal", "Temuan", "Yang diputuskan"], rows,
               widths=[2.4, 6.6, 3.3], size=15)


def _hipo_finding(v, pending) -> str:
    """The decisions table's sentence on the high-potential suggestions, with the figures that are shown only."""
    first = (f"{_num(pending)} dari {_num(v.n_hipo)} saran belum diputuskan" if _shown(pending, v.n_hipo) else
             f"{_num(v.n_hipo)} saran potensi tinggi" if _shown(v.n_hipo) else "")
    rest = [f"{_num(x)} {what}" for x, what in ((v.n_hidden, "di luar KRS"), (v.n_review, "perlu kajian")) if _shown(x)]
    if not first and not rest:
        return "Jumlah saran disembunyikan (kelompok kecil); rinciannya di halaman Potensi Tinggi."
    said = "; ".join(p for p in (first, ", ".join(rest)) if p)
    return said[:1].upper() + said[1:] + ("." if _shown(pending, v.n_hipo, v.n_hidden, v.n_review) else
                                          f" ({SMALL_HIDDEN}).")


def slide_calibration(prs, ctx: deck.Ctx) -> None:
    """Berita acara kalibrasi on one slide (only when the period has a session): the distribution before and after
    and the moves per reason code; no names (a deck is shown in a room)."""
    from . import calibration

    for s_ in calibration.sessions(ctx.con, ctx.period):
        if (ctx.scope.instansi is None or s_.instansi in ctx.scope.instansi) and \
                (not ctx.filters.instansi or s_.instansi in ctx.filters.instansi):
            _calibration_slide(prs, ctx, s_)


def _calibration_slide(prs, ctx: deck.Ctx, s_) -> None:
    from dataclasses import replace

    from . import calibration

    inst = s_.instansi
    flt = replace(ctx.filters, instansi=(inst,))
    dist = calibration.distribution(ctx.con, ctx.scope, flt, ctx.rs)
    krs = dist.iloc[-1]
    state = "ditetapkan" if s_.ditetapkan else "masih terbuka"
    moved = calibration.moved_count(ctx.con, ctx.scope, ctx.period, ctx.rs, inst, ctx.filters)  # in scope, filtered
    said = ([f"{_num(moved)} pegawai dipindahkan"] if _shown(moved) else []) + \
        ([f"KRS {_num(krs['terhitung'])} menjadi {_num(krs['terkalibrasi'])}"]
         if _shown(krs["terhitung"], krs["terkalibrasi"]) else [])
    title = f"Kalibrasi Komite Talenta {ctx.period} ({state}): " + ("; ".join(said) if said else SMALL_HIDDEN)
    s = deck.new_slide(prs, ctx, title)
    rows = [[r.kotak, _num(r.terhitung), _num(r.terkalibrasi), _num(r.selisih)] for r in dist.itertuples()]
    deck.table(s, 0.5, deck.TOP, 7.4, 0.38 * (len(rows) + 1), ["Kotak", "Terhitung", "Terkalibrasi", "Selisih"], rows,
               widths=[2.6, 1.6, 1.6, 1.6], size=13)
    m = calibration.moves(ctx.con, ctx.scope, ctx.period, ctx.rs, inst, ctx.filters)
    counts = m["kode_alasan"].value_counts() if "kode_alasan" in m else pd.Series(dtype=int)
    # masked: the counts per reason are hidden, but a shown total of nobody moved leaves nothing to hide (review 9, 5)
    hide = bool(privacy.threshold(ctx.scope)) and not (_nobody(moved))
    reasons = [[label, "•" if hide else fmt.num(int(counts.get(code, 0)))]
               for code, label in calibration.REASON_CODES.items()]
    deck.table(s, 8.3, deck.TOP, 4.5, 0.45 * (len(reasons) + 1), ["Alasan perpindahan", "Pegawai"], reasons,
               widths=[3.3, 1.2], size=14)
    closed = (f"Ditetapkan oleh {s_.ditetapkan_oleh} pada {s_.ditetapkan_pada:%d-%m-%Y}." if s_.ditetapkan
              else "Sesi masih terbuka: peta memakai kotak terhitung sampai sesi ditetapkan.")
    deck.text(s, 8.3, deck.TOP + 0.45 * (len(reasons) + 1) + 0.3, 4.5, 1.6, closed, size=13)


def succession_posts(con, content: Content, filters: Filters, rs: RuleSet) -> pd.DataFrame:
    """The target posts of the filtered OPD (``succession.targets`` under the export's scope, active
    succession rules, reference date 31 December of the period); computed once per export."""
    period = filters.need_period()
    cached = getattr(content, "_succession_posts", None)
    if cached is None:
        from . import succession, succession_rules

        cached = succession.targets(con, succession.filtered_scope(content.scope, filters), period, rs,
                                    succession_rules.active(con), opd=filters.opd)
        if filters.instansi:
            cached = cached[cached["instansi"].isin(filters.instansi)]
        content._succession_posts = cached
    return cached


def readiness(posts: pd.DataFrame) -> pd.DataFrame:
    """``succession.pipeline`` per OPD, least ready first: the smallest share of posts with a ready-now candidate,
    then the most posts at risk, then the fewest ready-now candidates of any of its posts (``siap_terkecil``), so
    OPD that all reach 100 % are not listed alphabetically under "kesiapan terendah"."""
    from . import succession

    posts = succession.by_office(posts)         # one row per office, as the pipeline counts them
    pipe = succession.pipeline(posts)
    least = posts.groupby("opd")["n_siap_sekarang"].agg(lambda x: pd.NA if x.isna().any() else int(x.min()))
    pipe = pipe.assign(siap_terkecil=pipe["opd"].map(least))
    order = pipe["siap_terkecil"].astype("Float64").fillna(float("inf"))
    return (pipe.assign(_order=order.to_numpy(dtype=float))
            .sort_values(["persen_siap_sekarang", "berisiko", "_order", "opd"], ascending=[True, False, True, True],
                         kind="stable").drop(columns="_order").reset_index(drop=True))


def slide_succession(prs, ctx: deck.Ctx) -> None:
    """Suksesi: the posts at risk and the ready-now share per OPD (no names of candidates)."""
    from . import succession

    posts = succession_posts(ctx.con, ctx.content, ctx.filters, ctx.rs)
    if posts.empty:
        return
    posts = succession.by_office(posts)         # "Dinas Kesehatan (Kota Palembang)" over several instansi
    risk = succession.risk_list(posts)
    ready = int(succession.ready_flags(posts)[0].sum())
    s = deck.new_slide(prs, ctx, f"Suksesi: {fmt.num(len(risk))} dari {fmt.num(len(posts))} jabatan target belum punya "
                                 f"pengganti siap sekarang")
    note = succession.unused_filters_note(ctx.filters)
    rows_shown = 8 if note else 10          # the note's line below the table needs the room of two rows
    if posts["opd"].nunique() > 1:
        # as many rows as fit above the note: an office named with its instansi takes two or three lines
        room = deck.BOTTOM - (0.8 if note else 0.45) - deck.TOP - 0.6          # below the 3-line header
        pipe = readiness(posts).head(rows_shown)
        heights = np.maximum(0.42, 0.1 + 0.2 * np.ceil(pipe["opd"].astype(str).str.len() / 28)).cumsum()
        pipe = pipe.head(max(1, int((heights <= room).sum())))
        rows = [[r.opd, fmt.num(r.jabatan_target), f"{fmt.num(r.persen_siap_sekarang, 0)} %", fmt.num(r.berisiko),
                 _num(r.siap_terkecil)] for r in pipe.itertuples(index=False)]
        deck.table(s, 0.5, deck.TOP, 6.9, 0.42 * (len(rows) + 1),
                   ["OPD (kesiapan terendah dulu)", "Jabatan target", "Ada siap sekarang", "Berisiko",
                    "Calon siap, terkecil"], rows, widths=[2.5, 1.1, 1.2, 1.0, 1.1], size=12)
    else:                       # one OPD: its own posts, the least ready first (a one-row OPD table says nothing)
        one = posts.sort_values(["n_siap_sekarang", "n_kandidat", "jabatan"], kind="stable").head(rows_shown)
        rows = [[r.jabatan, _num(r.n_siap_sekarang), _num(r.n_kandidat)] for r in one.itertuples(index=False)]
        deck.table(s, 0.5, deck.TOP, 6.9, 0.42 * (len(rows) + 1),
                   [f"Jabatan target {posts['opd'].iloc[0]} (kesiapan terendah dulu)", "Calon siap sekarang",
                    "Kandidat"], rows, widths=[4.3, 1.4, 1.2], size=12)
    from . import succession_rules

    horizon = succession_rules.active(ctx.con).horizon_bulan
    reasons = {"kosong": "kosong", "bup": f"pemangku pensiun ≤ {horizon} bulan", "kritikal": "kritikal"}
    lines = [f"{r.jabatan} ({r.opd}): " + ", ".join(reasons.get(a, a) for a in r.alasan_target.split(";") if a)
             for r in risk.head(8).itertuples(index=False)]
    deck.text(s, 7.7, deck.TOP, 5.1, 0.5, "Jabatan berisiko (tanpa calon siap sekarang)", size=15, bold=True)
    deck.text(s, 7.7, deck.TOP + 0.55, 5.1, 4.3, "\n".join("• " + x for x in lines) or "Tidak ada.", size=12)
    deck.text(s, 0.5, deck.BOTTOM - (0.8 if note else 0.45), 12.3, 0.75 if note else 0.4,
              f"{fmt.num(ready)} jabatan target punya paling sedikit satu calon siap sekarang; tanggal acuan "
              f"31-12-{ctx.period}; rincian per jabatan di halaman Suksesi dan lembar Suksesi."
              + (f"\n{note}" if note else ""), size=12)


def slide_method(prs, ctx: deck.Ctx) -> None:
    st = ctx.content.stamp
    s = deck.new_slide(prs, ctx, "Metode: sembilan kotak, KRS dan saran potensi tinggi", appendix=True)
    lines = [ln.replace("**", "") for ln in ctx.rs.describe()]
    lines.append(f"Kelompok Rencana Suksesi (KRS) = kotak {', '.join(map(str, rules.KRS_BOXES))}. Aturan: {st.rule_set}.")
    if ctx.content.hipo is not None:
        lines.append(f"Potensi tinggi: campuran Gauss (Gaussian mixture), {ctx.content.hipo.k} klaster dipilih dengan "
                     "BIC; ditandai bila peluang masuk klaster tinggi ≥ 0,8; stabilitas dari pengulangan bootstrap.")
    if ctx.threshold:
        lines.append("Tanda " + privacy.note(ctx.threshold) + ".")
    deck.text(s, 0.5, deck.TOP, 12.3, deck.BOTTOM - deck.TOP, "\n".join("• " + ln for ln in lines), 14)


def slide_sources(prs, ctx: deck.Ctx) -> None:
    s = deck.new_slide(prs, ctx, "Sumber data dan cap asal-usul", appendix=True)
    deck.table(s, 0.5, deck.TOP, 12.3, 4.5, ["Hal", "Isi"], [list(r) for r in ctx.content.stamp.rows()],
               widths=[2.4, 9.9], size=13)


def slide_profiles(prs, ctx: deck.Ctx) -> None:
    c = ctx.content
    if c.hipo is None:
        return
    prof = c.hipo_view.profiles
    s = deck.new_slide(prs, ctx, "Profil klaster potensi tinggi (untuk analis)", appendix=True)
    if prof.empty:                           # an empty table said nothing (review 9, 5)
        deck.text(s, 0.5, deck.TOP, 12.3, 1.0, "Tidak ada klaster untuk ditampilkan: tidak ada pegawai berasesmen "
                  "dalam filter ini, atau klasternya disembunyikan karena terlalu kecil.", 16, colour=deck.MUTED)
        return
    cols = ["pegawai", "skor_kinerja", "jpm", "nilai_manajerial", "nilai_teknis"]
    rows = []
    for r in prof.to_dict("records"):
        rows.append([f"Klaster {int(r['cluster'])}" + (" (potensi tinggi)" if r["hipo"] else "")]
                    + [_num(r[col]) if col == "pegawai" else privacy.text(r[col], lambda x: fmt.num(x, 1))
                       for col in cols])
    deck.table(s, 0.5, deck.TOP, 12.3, min(4.8, 0.5 * (len(rows) + 1)),
               ["Klaster", "Pegawai", "Skor kinerja", "JPM", "Manajerial", "Teknis"], rows,
               widths=[3.3, 1.8, 1.8, 1.8, 1.8, 1.8], size=14)
    deck.text(s, 0.5, deck.BOTTOM - 0.5, 12.3, 0.5, "Rata-rata tiap klaster. Rincian dan statistik model: halaman "
              "Potensi Tinggi.", 12, colour=deck.MUTED)


SLIDES: tuple[deck.Slide, ...] = (
    slide_title, slide_headline, slide_ninebox, slide_ranking, slide_heatmap, slide_movement, slide_hipo,
    slide_calibration, slide_succession, slide_decisions, slide_method, slide_sources, slide_profiles,
)


def build_deck(con, content: Content, filters: Filters, rs: RuleSet, images: bool = True,
               slides: tuple[deck.Slide, ...] | None = None) -> bytes:
    """A 16:9 deck, one message per slide (``SLIDES``, or ``slides``), native editable charts and tables; a rendered
    image only for the OPD heatmap (``images=False`` leaves it out, for tests)."""
    from pptx import Presentation
    from pptx.util import Inches

    period = filters.need_period()
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(deck.W), Inches(deck.H)
    ctx = deck.Ctx(con, content, filters, rs, images)
    for make in SLIDES if slides is None else slides:
        make(prs, ctx)
    deck.properties(prs, f"{deck_title(period)} · {content.stamp.instansi}", content.stamp.generated_by,
                    content.stamp.generated_at, subject=deck.filter_text(filters, content.scope))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


KINDS = ("pptx", "xlsx", "kalibrasi")


def produce(con, kind: str, instansi: str, filters: Filters, rs: RuleSet, user: str, *, scope: Scope,
            hipo_params=None, file_name: str | None = None) -> tuple[str, bytes, Content | None]:
    """The one export pipeline (page and CLI): gather for ``scope``, build, stamp it and log it in ``export_log``
    under ``file_name``. ``kind``: the deck (``pptx``) or the workbook (``xlsx``), default name
    ``talenta_<period>``, with the gathered content; or the berita acara kalibrasi of ``instansi`` (``kalibrasi``,
    an XLSX read by ``calibration.berita_acara`` under the same stamp as the log row), without content.
    Returns (file name, bytes, content)."""
    period = filters.need_period()
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if kind == "kalibrasi":
        if scope.instansi is not None and instansi not in scope.instansi:     # a session is one instansi's
            raise AccessDenied(f"Berita acara kalibrasi {instansi} di luar cakupan akun ini.")
        st = stamp(con, instansi, filters, rs, user, scope.mask_identity, scope)
        data = calibration.berita_acara(con, scope, filters, instansi, rs, user, made_at=st.generated_at,
                                        batches=st.batch_text())
        name = file_name or f"berita_acara_kalibrasi_{escape.filename(instansi)}_{period}.xlsx"
        log_export(con, st, "kalibrasi", name)
        return name, data, None
    content = gather(con, instansi, filters, rs, user, scope=scope, hipo_params=hipo_params)
    data = build_deck(con, content, filters, rs) if kind == "pptx" else \
        build_workbook(con, content, filters, rs)
    name = file_name or f"talenta_{period}{'' if scope.mask_identity else '_terbuka'}.{kind}"
    log_export(con, content.stamp, kind, name)
    return name, data, content
