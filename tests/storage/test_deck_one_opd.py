"""Decks and workbooks of one OPD (an OPD account, or a filter on one OPD): every label names that OPD, no
sentence is about a hidden figure, no slide compares one OPD with itself. Read back with python-pptx and
calamine, as a presenter and a reader of the minutes see them."""
import io
import re
import shutil
import zipfile

import pytest
from pptx import Presentation
from python_calamine import CalamineWorkbook

from talenta import export, privacy, rulesets, store
from talenta.config import Settings
from talenta.scope import Filters, Scope

PARAMS = Settings().hipo_params(bootstrap=2, k_max=3)

OPD = "Dinas Kesehatan"          # the demo's OPD account is limited to it
SMALL = "Dinas Perindustrian"    # hidden altogether under a threshold of 50


@pytest.fixture(scope="module")
def one(demo_db_file, tmp_path_factory):
    db = tmp_path_factory.mktemp("one_opd") / "d.duckdb"
    shutil.copy(demo_db_file, db)
    con = store.connect(db)
    rs = rulesets.active(con)
    out = {"con": con, "rs": rs}
    cases = {"account": (Filters(period=2025), Scope(opd=frozenset({OPD})).masked(5)),
             "small": (Filters(period=2025, opd=(SMALL,)), Scope().masked(50)),
             "all": (Filters(period=2025), Scope().masked(5))}
    for key, (flt, scope) in cases.items():
        content = export.gather(con, "Pemkot Uji", flt.at(2025), rs, "uji", scope=scope, hipo_params=PARAMS)
        out[key] = content
        out[key + "_flt"] = flt
        out[key + "_deck"] = export.build_deck(con, content, flt.at(2025), rs, images=False)
        out[key + "_book"] = export.build_workbook(con, content, flt.at(2025), rs)
    yield out
    con.close()


def _texts(data: bytes) -> list[str]:
    """Every text of every slide (text boxes, table cells, chart categories), one string per slide."""
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        parts = []
        for sh in slide.shapes:
            if sh.has_text_frame:
                parts.append(sh.text_frame.text)
            if sh.has_table:
                parts += [c.text for row in sh.table.rows for c in row.cells]
            if sh.has_chart:
                parts += [str(c) for c in sh.chart.plots[0].categories]
        out.append("\n".join(parts))
    return out


def _footers(book: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        return [m for n in z.namelist() if n.startswith("xl/worksheets/sheet")
                for m in re.findall(r"<oddFooter>(.*?)</oddFooter>", z.read(n).decode())]


def test_an_opd_accounts_files_name_its_opd_never_all(one):
    texts = _texts(one["account_deck"])
    joined = "\n".join(texts)
    assert not re.search(r"(?i)semua OPD|OPD: semua", joined)
    assert f"OPD: {OPD} · disusun" in texts[0]                              # the title slide
    for t in texts[1:]:                                                      # every slide's footer
        assert f"periode 2025 · OPD: {OPD} · aturan" in t
    book = CalamineWorkbook.from_filelike(io.BytesIO(one["account_book"]))
    ring = {r[0]: r[1] for r in book.get_sheet_by_name("Ringkasan").to_python()}
    assert f"OPD: {OPD}" in ring["Filter"] and "OPD: semua" not in ring["Filter"]
    footers = _footers(one["account_book"])
    assert len(footers) == len(book.sheet_names)
    assert all(f"OPD: {OPD}" in f and "OPD: semua" not in f for f in footers)


def test_the_operator_without_filters_still_reads_all(one):
    texts = _texts(one["all_deck"])
    assert "Semua OPD · disusun" in texts[0] and all("· semua OPD ·" in t for t in texts[1:])


def _paragraphs(data: bytes):
    """(slide number, is title, paragraph text) of every text box and table cell."""
    for n, slide in enumerate(Presentation(io.BytesIO(data)).slides, start=1):
        first = True
        for sh in slide.shapes:
            frames = [sh.text_frame] if sh.has_text_frame else []
            if sh.has_table:
                frames += [c.text_frame for row in sh.table.rows for c in row.cells]
            for tf in frames:
                for p in tf.paragraphs:
                    yield n, first, p.text
                first = False


@pytest.mark.parametrize("key", ["account", "small", "all"])
def test_no_title_or_sentence_states_a_hidden_figure(one, key):
    """The hidden mark stands alone (a figure, a table cell) or in its legend; never in a title or a sentence
    ("• pegawai disarankan …", "Dari • pegawai berasesmen")."""
    legend = privacy.note(one[key].threshold)
    for n, is_title, text in _paragraphs(one[key + "_deck"]):
        if is_title:
            assert privacy.HIDDEN not in text, (n, text)
            continue
        rest = text.replace(legend, "").removeprefix("• ")     # the legend; a list bullet
        assert text.strip() == privacy.HIDDEN or privacy.HIDDEN not in rest, (n, text)


def test_no_claim_about_a_hidden_figure(one):
    """Dinas Perindustrian under a threshold of 50: every figure hidden, so no "tertinggi", no "setiap OPD"."""
    data = one["small_deck"]
    titles = [t.split("\n")[0] for t in _texts(data)]
    assert not any(w in t for t in titles for w in ("tertinggi", "terendah", "paling banyak"))
    assert "Saran potensi tinggi (angka kecil disembunyikan)" in titles
    decide = _texts(data)[titles.index("Yang perlu diputuskan")]
    assert "Setiap OPD" not in decide and "Tidak ada OPD" not in decide
    assert "Jumlah anggota KRS per OPD disembunyikan (kelompok kecil)." in decide


def _titles(data: bytes) -> list[str]:
    return [t.split("\n")[0] for t in _texts(data)]


def test_one_opd_compares_its_unit_kerja_not_itself(one):
    """An OPD account's deck ranks its unit kerja; no "Semua 1 OPD", no heatmap of one row, no one-row OPD table."""
    texts = _texts(one["account_deck"])
    joined = "\n".join(texts)
    m = re.search(r"\b1 OPD\b|OPD \(kesiapan terendah", joined)
    assert not m, joined[m.start() - 300:m.end() + 50]
    titles = _titles(one["account_deck"])
    ranking = next(t for t in texts if t.startswith(f"Bagian KRS per unit kerja di {OPD}: "))
    # its unit kerja that can be ranked (here one: the others' shares are hidden under the threshold)
    assert re.search(r"Semua (\d{2,}|[2-9]) unit kerja, urut bagian KRS|Satu-satunya unit kerja yang dapat", ranking)
    assert "Semua 1 unit kerja" not in ranking
    assert any(t.startswith("Sebaran kotak ") and f"unit kerja di {OPD}" in t for t in titles)
    succession = next(t for t in texts if t.startswith("Suksesi: "))
    assert f"Jabatan target {OPD} (kesiapan terendah dulu)" in succession


def test_one_opd_of_one_hidden_unit_leaves_the_comparison_slides_out(one):
    titles = _titles(one["small_deck"])
    assert not any(t.startswith(("Bagian KRS per", "Sebaran kotak", "Bagian KRS antar")) for t in titles)
    assert titles[:3] == ["Peta Talenta ASN 2025", "Kelompok Rencana Suksesi: angka utama",
                          "Peta talenta 2025: sembilan kotak (angka kecil disembunyikan)"]
    assert titles[3].startswith("Perpindahan kotak") and "Yang perlu diputuskan" in titles


def test_succession_table_is_least_ready_first():
    import pandas as pd

    posts = pd.DataFrame({"opd": ["A", "A", "B", "B", "C", "C", "D"], "jabatan": list("pqrstuv"),
                          "n_siap_sekarang": [5, 7, 0, 3, 2, 9, 4], "n_kandidat": [9] * 7})
    order = export.readiness(posts)
    assert order["opd"].tolist() == ["B", "C", "D", "A"]        # 50 % first, then the fewest ready for one post
    assert order["siap_terkecil"].tolist() == [0, 2, 4, 5]


def _unescape(footer: str) -> str:
    return footer.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


@pytest.mark.parametrize("key", ["account", "small", "all"])
def test_sheet_footers_say_the_period_once_and_fit(one, key):
    for f in map(_unescape, _footers(one[key + "_book"])):
        assert f.startswith("&L") and len(f) <= 255
        assert f.lower().count("periode") == 1 and "identitas disamarkan" in f
        assert not f.endswith("…")           # these are short: nothing cut
    assert one[key].stamp.text().lower().count("periode") == 1        # the full stamp (export log) too


def test_a_long_sheet_footer_is_cut_at_a_word_boundary():
    """Long names and many filters: the footer still fits Excel's 255 characters, cut between words with "…",
    the masking said at its end."""
    import datetime as dt

    from talenta.export import Content, Stamp

    names = tuple(f"Dinas Pemberdayaan Perempuan & Perlindungan Anak Wilayah {i}" for i in range(5))
    flt = Filters(period=2025, opd=names, jenis_jabatan=("Jabatan Fungsional Tertentu", "Jabatan Pelaksana",
                                                          "Jabatan Pimpinan Tinggi"), jenis_asn=("PNS", "PPPK"))
    st = Stamp("Pemerintah Kabupaten Ujung Panjang Sekali & Sekitarnya", 2025, flt.describe(), 1, "Aturan #1",
               (), (), dt.datetime(2025, 8, 17, 9, 30), "analis_kepegawaian", True)
    content = Content(st, Scope().masked(5), {}, None, None, None, None, None, None, None, None, 5)
    text = export.sheet_footer(content, flt)
    escaped = "&L" + text.replace("&", "&&")
    assert len(escaped) <= 255
    assert text.endswith("identitas disamarkan") and text.lower().count("periode") == 1
    assert "…" in text
    cut = text[:text.index("…")]
    assert cut[-1] != " " and ", ".join(names).startswith(cut.split("OPD: ")[1])          # whole words
    assert ", ".join(names)[len(cut.split("OPD: ")[1])] in " ,"
    assert "dibuat 17-08-2025 09.30 oleh analis_kepegawaian" in text


def _sheets(book: bytes) -> dict:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(book))
    return {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}


@pytest.mark.parametrize("key", ["account", "small"])
def test_every_sheet_with_hidden_cells_explains_them(one, key):
    """A hidden count shows the mark, and its sheet carries the legend; an empty sheet says why it is empty."""
    legend = privacy.note(one[key].threshold) + "."
    sheets = _sheets(one[key + "_book"])
    pool_sheet = sheets["Talent Pool per OPD"]
    assert privacy.HIDDEN in pool_sheet[1]                 # Dinas Kesehatan has small boxes; Perindustrian is hidden
    for name, rows in sheets.items():
        cells = [v for r in rows[1:] for v in r]
        if name != "Ringkasan" and privacy.HIDDEN in cells:
            assert legend in cells, name
    hipo_rows = sheets["Potensi Tinggi"]
    if len(hipo_rows) == 2:                                  # no one listed: the reason instead
        assert hipo_rows[1][0].startswith(("Daftar tidak ditampilkan", "Tidak ada pegawai"))
    assert sheets["Baris Ditolak"][1][0].startswith("Baris yang ditolak impor tidak dimuat")   # a masked view


def test_succession_sheet_in_indonesian_with_dates_dd_mm_yyyy(one):
    sheets = _sheets(one["account_book"])
    head = sheets["Suksesi"][0]
    assert "Status suksesi" in head and not any("pipeline" in str(h).lower() for h in head)
    # a masked workbook shows no holder's BUP date (a birth month); an identified one writes it dd-mm-yyyy
    col = head.index("BUP pemangku")
    assert not any(str(r[col]).strip() for r in sheets["Suksesi"][1:] if len(r) > col)
    flt, scope = Filters(period=2025), Scope(opd=frozenset({OPD}))
    content = export.gather(one["con"], "Pemkot Uji", flt.at(2025), one["rs"], "uji", scope=scope, hipo_params=PARAMS)
    book = export.build_workbook(one["con"], content, flt.at(2025), one["rs"])
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        styles = z.read("xl/styles.xml").decode()
    assert 'formatCode="dd-mm-yyyy"' in styles and "YYYY-MM-DD" not in styles.upper().replace("DD-MM-YYYY", "")


def test_filter_text_names_the_accounts_opd_once():
    from talenta import deck

    opd_account = Scope(opd=frozenset({OPD}), instansi=frozenset({"Pemkot Uji"}))
    assert deck.filter_text(Filters(period=2025), opd_account) == f"OPD: {OPD}"          # not "instansi: … · OPD: …"
    assert deck.filter_text(Filters(period=2025), Scope(instansi=frozenset({"Pemkot Uji"}))) == "instansi: Pemkot Uji"
    assert deck.filter_text(Filters(period=2025, opd=("Dinas Sosial",)), Scope()) == "OPD: Dinas Sosial"
    assert deck.filter_text(Filters(period=2025)) == "semua OPD"


def test_a_filter_leaving_nobody_makes_no_ranking_claim_and_says_why_tables_are_empty(one):
    """Review 9, 5: a filter leaving zero people gave "Kotak 9 paling banyak (0,0 % ...)", "0,0 % ASN terpetakan
    masuk KRS" and an empty cluster table without a word."""
    con, rs = one["con"], one["rs"]
    flt = Filters(period=2025, opd=(SMALL,), jenis_jabatan=("Struktural",), jenis_asn=("PPPK",))
    content = export.gather(con, "Pemkot Uji", flt.at(2025), rs, "uji", scope=Scope().masked(5), hipo_params=PARAMS)
    assert content.summary["pegawai"] == 0
    texts = _texts(export.build_deck(con, content, flt.at(2025), rs, images=False))
    whole = "\n".join(texts)
    assert "paling banyak" not in whole and "0,0 %" not in whole, whole
    assert any(t.startswith("Tidak ada pegawai dalam filter ini") for t in texts)
    profiles = [t for t in texts if t.startswith("Profil klaster")]
    assert not profiles or "Tidak ada klaster untuk ditampilkan" in profiles[0]


def test_one_rankable_unit_is_not_called_the_highest(one, monkeypatch):
    """An OPD with one unit kerja that could be ranked: its deck said 'Puskesmas ... (0,0 %) tertinggi' above 'Semua 1
    unit kerja' (review 20d, 4)."""
    content, flt = one["account"], one["account_flt"]
    whole = export.comparison
    monkeypatch.setattr(export, "comparison", lambda ctx: (lambda t: (t[0].head(1), t[1]))(whole(ctx)))
    data = export.build_deck(one["con"], content, flt.at(2025), one["rs"], images=False, slides=(export.slide_ranking,))
    (text,) = _texts(data)
    assert "tertinggi" not in text and "Semua 1 unit kerja" not in text
    assert re.search(rf"Bagian KRS per unit kerja di {OPD}: hanya .+ yang dapat diperingkat", text)
    assert "Satu-satunya unit kerja yang dapat diperingkat" in text
