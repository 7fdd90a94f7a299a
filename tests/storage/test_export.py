"""The deck and the workbook, opened with their own libraries: slides, titles, chart data, masking, formulas."""
import io
import json
import re

import pandas as pd
import pytest
from pptx import Presentation

from talenta import export, fmt, privacy, rulesets, store, talentmap
from talenta.config import Settings
from talenta.ingest import import_file
from talenta.scope import Filters, Scope

PARAMS = Settings().hipo_params(bootstrap=3, k_max=4)
FLT = Filters(period=2025)


@pytest.fixture(scope="module")
def built(demo_db_file, tmp_path_factory):
    import shutil

    db = tmp_path_factory.mktemp("exp") / "e.duckdb"
    shutil.copy(demo_db_file, db)
    con = store.connect(db)
    # a crafted name that would run as a formula in a spreadsheet, and a rejected row
    crafted = tmp_path_factory.mktemp("f") / "crafted.csv"
    crafted.write_text("NIP,NAMA,OPD\n197002022000031004,=HYPERLINK(\"http://x\"),Dinas Uji\n"
                       "1.97E+17,@SUM(A1),Dinas Uji\n", encoding="utf-8")
    import_file(con, crafted, instansi="Pemerintah Kota Palembang")     # the demo's: one instansi
    rs = rulesets.active(con)
    masked = export.gather(con, "Pemkot Uji", FLT.at(2025), rs, "tester", scope=Scope().masked(5), hipo_params=PARAMS)
    open_ = export.gather(con, "Pemkot Uji", FLT.at(2025), rs, "tester", scope=Scope().masked(5).unmasked(),
                          hipo_params=PARAMS)
    deck_masked = export.build_deck(con, masked, FLT.at(2025), rs, images=False)
    deck_open = export.build_deck(con, open_, FLT.at(2025), rs, images=False)
    wb_masked = export.build_workbook(con, masked, FLT.at(2025), rs)
    wb_open = export.build_workbook(con, open_, FLT.at(2025), rs)
    return con, rs, masked, deck_masked, deck_open, wb_masked, wb_open


def _slides_text(data: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(data))
    out = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        out.append("\n".join(parts))
    return out


def test_deck_slides_titles_and_stamp(built):
    con, rs, masked, deck, *_ = built
    prs = Presentation(io.BytesIO(deck))
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=0.01)
    texts = _slides_text(deck)
    titles = [t.split("\n")[0] for t in texts]
    s = masked.summary
    assert titles[0] == "Peta Talenta ASN 2025"
    assert titles[1].startswith(f"{fmt.persen(s['krs_persen'])} ASN terpetakan masuk Kelompok Rencana Suksesi")
    assert titles[2].startswith("Kotak ")                       # the finding, not "sembilan kotak"
    assert any(t.startswith(("Dari 2024 ke 2025: ", "Perpindahan kotak 2024 → 2025")) for t in titles)
    decide = titles.index("Yang perlu diputuskan")
    appendix = [t for t in titles if t.startswith("Lampiran · ")]
    assert appendix and titles[decide + 1:] == appendix        # the decisions close the meeting; method after
    for t in texts[1:]:     # one short provenance footer per slide, the period said once; the data's instansi
        assert t.count("Pemerintah Kota Palembang · periode 2025 · semua OPD · aturan #1 · dibuat ") == 1
        assert "Pemkot Uji" not in t        # the name the caller passed is only for a database without employees
        assert "Periode 2025" not in t.replace("Filter\nPeriode 2025", "")
    sources = next(t for t in texts if t.startswith("Lampiran · Sumber data"))
    assert rs.label in sources and "#1 " in sources              # the full stamp, once
    method = next(t for t in texts if t.startswith("Lampiran · Metode"))
    assert "Batas" not in method and "≥ 90" in method


def test_deck_numbers_equal_the_dashboard(built):
    con, rs, masked, deck, *_ = built
    s = talentmap.summary(con, Scope(), FLT.at(2025), rs)
    prs = Presentation(io.BytesIO(deck))
    grid = next(sh.table for sh in prs.slides[2].shapes if sh.has_table)
    counts = talentmap.box_counts(con, Scope().masked(5), FLT.at(2025), rs).set_index("kotak")["n"]
    cell9 = grid.cell(0, 2).text.split("\n")          # top right = kotak 9, as the masked dashboard shows it
    assert cell9[0] == "Kotak 9" and cell9[1] == privacy.text(counts[9])
    cell1 = grid.cell(2, 0).text.split("\n")          # bottom left = kotak 1
    assert cell1[0] == "Kotak 1"
    charts = [sh.chart for sh in prs.slides[3].shapes if sh.has_chart]
    cats = [c for ch in charts for c in ch.plots[0].categories]
    vals = [v for ch in charts for v in ch.plots[0].series[0].values]
    shares = export.opd_ranking(masked.pool).set_index("group")["share"]
    for c, v in zip(cats, vals):
        want = shares[c.removesuffix(" (•)")]
        assert (v is None and pd.isna(want)) or v == pytest.approx(float(want), abs=1e-4)
    headline = _slides_text(deck)[1]
    assert f"{s['pegawai']:,}".replace(",", ".") in headline


def test_deck_masked_has_no_nip_or_name_unless_unmasked(built):
    con, rs, masked, deck_masked, deck_open, *_ = built
    people = store.query_df(con, "SELECT nip, nama FROM employee")
    text = "\n".join(_slides_text(deck_masked))
    assert not any(n in text for n in people["nip"])
    assert not any(name in text for name in people["nama"] if len(name) > 8)
    assert "disamarkan" in text and "PERHATIAN" not in text
    assert "PERHATIAN: berisi identitas pegawai." in "\n".join(_slides_text(deck_open))


def test_workbook_sheets_headers_and_masking(built):
    con, rs, masked, _, _, wb_masked, wb_open = built
    sheets = pd.read_excel(io.BytesIO(wb_masked), sheet_name=None, engine="calamine", dtype=str)
    assert list(sheets) == ["Ringkasan", "Peta Talenta", "Talent Pool per OPD", "Potensi Tinggi", "Suksesi", "Baris Ditolak"]
    peta = sheets["Peta Talenta"]
    assert list(peta.columns[:2]) == ["NIP", "Nama"] and not {"Instansi", "OPD", "Jabatan"} & set(peta.columns)
    assert not peta["NIP"].str.contains(r"\d").any()
    ring = dict(zip(sheets["Ringkasan"]["Ukuran"], sheets["Ringkasan"]["Nilai"]))
    assert ring["Aturan"] == rs.label and ring["Identitas"] == "disamarkan" and "#1 " in ring["Batch impor"]
    open_ = pd.read_excel(io.BytesIO(wb_open), sheet_name="Peta Talenta", engine="calamine", dtype=str)
    assert list(open_.columns[:4]) == ["NIP", "Nama", "Instansi", "OPD"]
    assert open_["NIP"].str.fullmatch(r"\d{18}").all()
    total = talentmap.summary(con, Scope(), FLT.at(2025), rs)["pegawai"]
    assert len(open_) == total


def test_rejected_rows_only_in_an_unmasked_workbook_of_all_the_data(built):
    """The import's rejected rows are every OPD's: an OPD account's workbook listed other OPDs' NIPs, and a masked
    one still quoted each value (review 10, 2). Only the unmasked workbook of all the data lists them."""
    con, rs, masked, _, _, wb_masked, wb_open = built
    assert len(pd.read_excel(io.BytesIO(wb_open), sheet_name="Baris Ditolak", engine="calamine", dtype=str)) == 1
    opd = store.query_one(con, "SELECT min(opd) FROM employee")[0]
    account = export.gather(con, "Pemkot Uji", FLT.at(2025), rs, "opd", scope=Scope(opd=frozenset({opd})))
    for book in (wb_masked, export.build_workbook(con, account, FLT.at(2025), rs)):
        rej = pd.read_excel(io.BytesIO(book), sheet_name="Baris Ditolak", engine="calamine", dtype=str, header=None)
        text = " ".join(rej.fillna("").astype(str).to_numpy().ravel())
        assert "1.97E+17" not in text and "@SUM" not in text and "Baris 3" not in text
        assert "Baris yang ditolak impor tidak dimuat" in text


def test_workbook_neutralises_formulas_and_freezes_header(built):
    import zipfile

    *_, wb_open = built
    sheet = pd.read_excel(io.BytesIO(wb_open), sheet_name="Peta Talenta", engine="calamine", dtype=str)
    crafted = sheet.loc[sheet["NIP"] == "197002022000031004", "Nama"].iloc[0]
    assert crafted == '=HYPERLINK("http://x")'                 # the text as typed, no apostrophe to see
    rej = pd.read_excel(io.BytesIO(wb_open), sheet_name="Baris Ditolak", engine="calamine", dtype=str)
    assert rej["Nilai asli"].str.contains("@SUM").any() and not rej["Nilai asli"].str.startswith("'").any()
    with zipfile.ZipFile(io.BytesIO(wb_open)) as z:
        xml = z.read("xl/worksheets/sheet2.xml").decode()
        styles = z.read("xl/styles.xml").decode()
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in z.read(n).decode() for n in names)      # no formula anywhere: string cells
    assert 'state="frozen"' in xml
    # the crafted cells are string cells with the quotePrefix style (text also when a reader retypes them)
    quoted = [i for i, xf in enumerate(re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])) if 'quotePrefix="1"' in xf]
    assert quoted
    cells = re.findall(r'<c r="[A-Z]+\d+" s="(\d+)" t="s">', xml)
    assert any(int(c) in quoted for c in cells)


def test_export_log_records_the_stamp(built):
    con, rs, masked, *_ = built
    export.log_export(con, masked.stamp, "pptx", "talenta_2025.pptx")
    log = export.export_history(con, Scope(), "admin")
    assert log["kind"].iloc[0] == "pptx" and log["masked"].iloc[0] and log["rule_set"].iloc[0] == rs.label


def test_export_history_of_an_opd_or_tamu_account_lists_only_its_own_files(built):
    """Review 6 #7: the Ekspor page's history showed an OPD account every user's exports (names, times, file names
    such as another OPD's); an account over every instansi still sees all of them."""
    from dataclasses import replace

    from talenta import access, accounts

    con, rs, masked, *_ = built
    for who, name in (("analis", "dinas_pendidikan_terbuka.xlsx"), ("opd", "dinkes.pptx"), ("tamu", "layar.pptx")):
        export.log_export(con, replace(masked.stamp, generated_by=who), "xlsx", name)
    scopes = {u: access.scope_for(accounts.active_user(con, u), presentation=False, min_group=5)
              for u in ("opd", "tamu", "analis", "admin")}
    assert export.export_history(con, scopes["opd"], "opd")["file_name"].tolist() == ["dinkes.pptx"]
    assert export.export_history(con, scopes["tamu"], "tamu")["file_name"].tolist() == ["layar.pptx"]
    for u in ("analis", "admin"):            # instansi-wide: everyone's
        everyone = export.export_history(con, scopes[u], u)
        assert {"dinas_pendidikan_terbuka.xlsx", "dinkes.pptx", "layar.pptx"} <= set(everyone["file_name"])
        assert {"analis", "opd", "tamu"} <= set(everyone["generated_by"])
    assert export.export_history(con, Scope(opd=frozenset({"Dinas Kesehatan"})), "siapa")["file_name"].empty


def test_chart_png_is_rendered_server_side():
    import plotly.graph_objects as go

    png = export.chart_png(go.Figure(go.Bar(x=["a"], y=[1])), 800, 450)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
