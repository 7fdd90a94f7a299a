"""The executive deck as a presenter uses it unchanged: inside the slide, readable, every label, the real ranking;
and the workbook's numbers are numbers. Read back with python-pptx and calamine."""
import io
import re
import shutil
import zipfile

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt
from python_calamine import CalamineWorkbook

from talenta import accounts, actions, deck, export, fmt, pool, privacy, rulesets, store, talentmap
from talenta.config import Settings
from talenta.ingest import import_file
from talenta.scope import Filters, Scope

PARAMS = Settings().hipo_params(bootstrap=2, k_max=3)
FLT = Filters(period=2025)
SMALL_OPD = "Dinas Uji Tanpa KRS"


@pytest.fixture(scope="module")
def env(demo_db_file, tmp_path_factory):
    d = tmp_path_factory.mktemp("deck")
    db = d / "d.duckdb"
    shutil.copy(demo_db_file, db)
    con = store.connect(db)
    # an OPD of one employee with no kinerja: no KRS member (no successor), and too small to show under masking
    f = d / "kecil.csv"
    instansi = store.query_one(con, "SELECT min(instansi) FROM employee")[0]      # the demo's own instansi
    f.write_text(f"NIP,NAMA,INSTANSI,OPD\n197002022000031004,Uji Satu,{instansi},{SMALL_OPD}\n", encoding="utf-8")
    import_file(con, f)
    rs = rulesets.active(con)
    # the Komite moved one person (an open calibration session): the deck gains its slide
    moved = talentmap.placements(con, Scope(), Filters(period=2025, basis="terhitung").at(2025), rs, kotak=5).iloc[0]
    actions.calibrate(con, accounts.active_user(con, "komite"), Scope(), 2025, rs, moved["nip"], 9, "wawancara",
                      "Hasil wawancara panel")
    out = {"con": con, "rs": rs, "moved": moved}
    for key, scope, params in (("masked", Scope().masked(5), PARAMS), ("open", Scope(), None),
                               ("strict", Scope().masked(40), None)):
        content = export.gather(con, "Pemkot Uji", FLT.at(2025), rs, "uji", scope=scope, hipo_params=params)
        out[key] = content
        out[key + "_deck"] = export.build_deck(con, content, FLT.at(2025), rs, images=key == "masked")
    out["workbook"] = export.build_workbook(con, out["masked"], FLT.at(2025), rs)
    yield out
    con.close()


DECKS = ("masked_deck", "open_deck", "strict_deck")


def _prs(env, key):
    return Presentation(io.BytesIO(env[key]))


def _title(slide) -> str:
    return next(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def _slide(prs, start: str):
    return next(s for s in prs.slides if _title(s).startswith(start))


@pytest.mark.parametrize("key", DECKS)
def test_every_shape_lies_within_the_slide(env, key):
    prs = _prs(env, key)
    for n, slide in enumerate(prs.slides, start=1):
        for sh in slide.shapes:
            assert sh.left >= 0 and sh.top >= 0, (n, sh.name)
            assert sh.left + sh.width <= prs.slide_width and sh.top + sh.height <= prs.slide_height, (n, sh.name)
    if key == "masked_deck":       # the rendered heatmap is there, and inside
        assert any(sh.name == "heatmap OPD" for s in prs.slides for sh in s.shapes)


def _chart_parts(prs):
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_chart:
                yield sh.chart


@pytest.mark.parametrize("key", DECKS)
def test_no_text_under_12_pt(env, key):
    prs = _prs(env, key)
    runs = []
    for slide in prs.slides:
        for sh in slide.shapes:
            frames = [sh.text_frame] if sh.has_text_frame else []
            if sh.has_table:
                frames += [c.text_frame for row in sh.table.rows for c in row.cells]
            for tf in frames:
                runs += [r for p in tf.paragraphs for r in p.runs]
        # every size written anywhere in the slide (runs, defaults) is at least 12 pt
        sizes = [int(v) for v in re.findall(r'\bsz="(\d+)"', slide.part.blob.decode())]
        assert all(v >= 1200 for v in sizes), _title(slide)
    assert runs and all(r.font.size is not None and r.font.size >= Pt(12) for r in runs if r.text.strip())
    for chart in _chart_parts(prs):
        xml = chart.part.blob.decode()
        sizes = [int(v) for v in re.findall(r'\bsz="(\d+)"', xml)]
        assert sizes and all(v >= 1200 for v in sizes)


@pytest.mark.parametrize("key", DECKS)
def test_every_chart_shows_all_its_category_labels_in_indonesian(env, key):
    prs = _prs(env, key)
    charts = list(_chart_parts(prs))
    assert len(charts) >= 2        # the ranking (two charts past 20 shown shares) and the movement
    for chart in charts:
        ax = chart.category_axis._element
        assert ax.find(qn("c:delete")).get("val") == "0"                 # the category axis is drawn
        assert ax.find(qn("c:tickLblSkip")).get("val") == "1"            # and no label is skipped
        assert ax.find(qn("c:tickLblPos")) is None or ax.find(qn("c:tickLblPos")).get("val") != "none"
        series = chart.plots[0].series[0]
        cats = list(chart.plots[0].categories)
        assert len(cats) == len(list(series.values))
        labels = [series.points[i].data_label.text_frame.text for i in range(len(cats))]
        for v, lab, cat in zip(series.values, labels, cats):
            if v is None:       # a hidden value: no bar, the mark on its category
                assert cat.endswith(deck.HIDDEN_SUFFIX)
            else:               # Indonesian digits, never "31.8%" or "7070"
                assert re.fullmatch(r"\d{1,3}(\.\d{3})*(,\d)?( %)?", lab), lab
                assert "." not in lab or "%" not in lab


def test_heatmap_image_shows_every_opd_and_box_at_12_pt(env):
    table = env["masked"].pool
    fig = export.heatmap_figure(table, 12.3, 4.9)
    groups = list(table["group"].head(10)) + list(table["group"].tail(10))
    assert fig.layout.yaxis.tickmode == "array" and len(fig.layout.yaxis.tickvals) == len(groups) == 20
    assert list(fig.layout.yaxis.tickvals) == groups                       # every OPD named, in ranking order
    assert len(fig.layout.xaxis.tickvals) == 10                           # kotak 1-9 and belum
    sizes = [fig.layout.font.size, fig.layout.yaxis.tickfont.size, fig.layout.xaxis.tickfont.size,
             fig.data[0].textfont.size]
    assert min(sizes) >= 12
    # one figure pixel prints as one point: the picture is not shrunk on the slide
    pic = next(sh for s in _prs(env, "masked_deck").slides for sh in s.shapes if sh.name == "heatmap OPD")
    assert pic.width / 12700 >= fig.layout.width * 0.99


@pytest.mark.parametrize("n", [20, 1])
def test_heatmap_image_fills_its_box_with_readable_rows(env, n):
    """The rows take the image's height (no colour bar pushing them into a strip), each row taller than its
    13-pt label; one OPD is one row, not a slab across the slide."""
    import numpy as np
    from PIL import Image

    table = env["masked"].pool if n == 20 else env["masked"].pool.head(1)
    fig = export.heatmap_figure(table, 12.3, 4.85)
    assert not any(t.showscale for t in fig.data)
    assert fig.layout.height <= 4.85 * 72 + 1
    pitch = (fig.layout.height - fig.layout.margin.t - fig.layout.margin.b) / n
    assert 13 * 1.2 <= pitch <= export.HEATMAP_ROW_MAX
    png = export.chart_png(fig, fig.layout.width, fig.layout.height)
    a = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    assert a.shape[0] == fig.layout.height
    blank = (a > 245).all(axis=1).mean()          # share of pixel lines with nothing drawn
    assert blank < (0.15 if n == 20 else 0.4), blank


@pytest.mark.parametrize("key", ["masked", "open", "strict"])
def test_ranking_slide_starts_and_ends_with_the_pool_ranking(env, key):
    con, rs = env["con"], env["rs"]
    scope = env[key].scope
    table = pool.pool_table(con, scope, FLT.at(2025), rs, "opd")
    ranking = table["group"].tolist()
    true = pool.pool_table(con, Scope(), FLT.at(2025), rs, "opd")["group"].tolist()
    assert sorted(ranking) == sorted(true)       # suppression never drops an OPD
    # ranked on the shares shown; a hidden (or undefined) share after them by name, so its place bounds nothing
    # (review 13, M3)
    nan = table["krs_persen"].isna()
    assert ranking == [g for g in true if g in set(table.loc[~nan, "group"])] + sorted(table.loc[nan, "group"])
    placed = table["total"].astype("Float64") - table["belum_terpetakan"].astype("Float64")
    hidden = nan & ~(placed == 0).fillna(False)         # hidden by suppression, not undefined (no one placed)
    ranked = table.loc[~hidden, "group"].tolist()
    slide = _slide(_prs(env, key + "_deck"), "Bagian KRS per OPD")
    charts = [sh.chart for sh in slide.shapes if sh.has_chart]
    cats = [c.removesuffix(deck.HIDDEN_SUFFIX) for ch in charts for c in ch.plots[0].categories]
    assert cats == (ranked if len(ranked) <= 20 else ranked[:10] + ranked[-10:])   # no hidden one in a top/bottom
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert (f"{int(hidden.sum())} OPD lain tidak diperingkat" in text) == bool(hidden.any())
    if key == "open":
        # the title's ends are the highest and lowest shares shown: an OPD with no one placed (its share undefined,
        # listed last) is not "terendah" (hostile pass, session 22)
        valued = table.loc[~nan, "group"].tolist()
        assert valued[0] in _title(slide) and f"{valued[-1]} (" in _title(slide) and not hidden.any()
        assert valued[-1] != true[-1] and true[-1] not in _title(slide)
        assert ranking == true
    if key == "strict":
        assert hidden.any()


def test_decisions_slide_names_the_opd_without_successors(env):
    open_text = "\n".join(c.text for sh in _slide(_prs(env, "open_deck"), "Yang perlu diputuskan").shapes
                          if sh.has_table for row in sh.table.rows for c in row.cells)
    assert "Kesenjangan KRS" in open_text and "OPD tanpa suksesor" in open_text
    table = env["open"].pool
    none = export.without_successor(table)
    assert SMALL_OPD in none and none == [g for g in table.sort_values(["total", "group"], ascending=[False, True])
                                          ["group"] if table.set_index("group").loc[g, "krs"] == 0]
    assert f"{len(none)} OPD tanpa satu pun anggota KRS: {', '.join(none[:6])}" in open_text
    masked = _slide(_prs(env, "masked_deck"), "Yang perlu diputuskan")
    text = "\n".join(c.text for sh in masked.shapes if sh.has_table for row in sh.table.rows for c in row.cells)
    assert SMALL_OPD not in text and "tidak ditampilkan (kelompok kecil)" in text    # too small to show
    assert "Saran potensi tinggi" in text and "belum diputuskan" in text


def test_movement_totals_hide_a_small_total_and_what_reveals_it(env):
    con, rs = env["con"], env["rs"]
    raw = export.movement_totals(con, Scope(), FLT, 2024, 2025, rs)
    for t in (5, 40):
        shown = export.movement_totals(con, Scope().masked(t), FLT, 2024, 2025, rs)
        for k, v in shown.items():
            assert privacy.hidden(v) or v == raw[k]
            assert privacy.hidden(v) or not 0 < v < t
        # newly placed minus no longer placed is public (the change in placed employees): both or neither
        small = [k for k in ("baru_terpetakan", "tidak_terpetakan_lagi") if 0 < raw[k] < t]
        if small:
            assert privacy.hidden(shown["baru_terpetakan"]) and privacy.hidden(shown["tidak_terpetakan_lagi"])
            assert any(privacy.hidden(shown[k]) for k in ("naik", "tetap", "turun"))


def test_workbook_numbers_are_numbers_with_formats(env):
    book = CalamineWorkbook.from_filelike(io.BytesIO(env["workbook"]))
    ring = book.get_sheet_by_name("Ringkasan").to_python()
    values = {r[0]: r[1] for r in ring[1:] if r[0]}
    s = env["masked"].summary
    assert values["ASN dalam filter"] == s["pegawai"] and isinstance(values["ASN dalam filter"], (int, float))
    assert values["Bagian KRS dari terpetakan"] == pytest.approx(s["krs_persen"] / 100)   # a fraction shown as 25,2 %
    assert all(isinstance(values[f"Kotak {k}"], (int, float)) or values[f"Kotak {k}"] == privacy.HIDDEN
               for k in range(1, 10))
    pool_rows = book.get_sheet_by_name("Talent Pool per OPD").to_python()
    head = pool_rows[0]
    assert head[:2] == ["OPD", "Total"] and "Kotak 9" in head               # display names, not group/kotak_9
    total = head.index("Total")
    rows = [r for r in pool_rows[1:] if r[0] and not r[0].startswith(privacy.HIDDEN)]      # the table, not its legend
    assert all(isinstance(r[total], (int, float)) or r[total] == privacy.HIDDEN for r in rows)
    assert len(rows) == len(env["masked"].pool)
    with zipfile.ZipFile(io.BytesIO(env["workbook"])) as z:
        styles = z.read("xl/styles.xml").decode()
    assert 'formatCode="#,##0"' in styles and 'formatCode="0.0%"' in styles


@pytest.mark.parametrize("key", DECKS)
def test_calibration_slide_states_the_session_without_names(env, key):
    prs = _prs(env, key)
    slide = _slide(prs, "Kalibrasi Komite Talenta 2025 (masih terbuka)")
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    cells = [c.text_frame.text for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    assert env["moved"]["nama"] not in text + " ".join(cells) and env["moved"]["nip"] not in " ".join(cells)
    assert "Hasil wawancara" in cells
    hidden = key != "open_deck"
    assert ("1 pegawai dipindahkan" in _title(slide)) != hidden        # one move is a small count when masked
    assert cells[cells.index("Hasil wawancara") + 1] == ("•" if hidden else "1")
    # the session is open: the deck shows computed boxes, and the one move is no Selisih or difference of a row
    rows = [cells[i:i + 4] for i in range(4, 44, 4)]
    assert [r[0] for r in rows][-1].startswith("KRS")
    for _, a, b, d in rows:
        figures = [None if x == "•" else int(x.replace(".", "")) for x in (a, b, d)]
        if hidden:
            assert figures[2] not in (1, -1) and (None in figures[:2] or abs(figures[1] - figures[0]) != 1)
        else:
            assert None not in figures


def test_a_masked_calibration_slide_of_nobody_moved_shows_zeros_not_hidden_marks(env):
    """Review 9, 5: "0 pegawai dipindahkan" above a reason table of hidden marks. A shown total of nobody moved
    leaves nothing to hide."""
    con, rs = env["con"], env["rs"]
    other = store.query_one(con, "SELECT min(opd) FROM employee WHERE opd <> $o AND opd <> $s",
                            {"o": env["moved"]["opd"], "s": SMALL_OPD})[0]
    flt = Filters(period=2025, opd=(other,))
    content = export.gather(con, "Pemkot Uji", flt.at(2025), rs, "uji", scope=Scope().masked(5))
    slide = _slide(Presentation(io.BytesIO(export.build_deck(con, content, flt.at(2025), rs, images=False))),
                   "Kalibrasi Komite Talenta 2025")
    assert "0 pegawai dipindahkan" in _title(slide)
    cells = [c.text_frame.text for sh in slide.shapes if sh.has_table for row in sh.table.rows for c in row.cells]
    assert cells[cells.index("Hasil wawancara") + 1] == "0" and "•" not in cells[cells.index("Alasan perpindahan"):]


@pytest.mark.parametrize("key", DECKS)
def test_succession_slide_and_sheet_name_posts_at_risk_without_candidates(env, key):
    """The deck's Suksesi slide counts the target posts and lists the posts at risk; no candidate is named."""
    from talenta import succession, succession_rules

    con, rs = env["con"], env["rs"]
    scope = env[key.removesuffix("_deck")].scope
    posts = succession.targets(con, scope, 2025, rs, succession_rules.active(con))
    slide = _slide(_prs(env, key), "Suksesi: ")
    risk = succession.risk_list(posts)
    assert _title(slide) == (f"Suksesi: {fmt.num(len(risk))} dari {fmt.num(len(posts))} jabatan target belum punya "
                             "pengganti siap sekarang")
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert (risk.iloc[0]["jabatan"] in text) if len(risk) else ("Tidak ada." in text)
    assert len(posts) and (posts["n_siap_sekarang"] >= 1).any()          # the demo has ready successors too
    if key == "masked_deck":
        book = CalamineWorkbook.from_filelike(io.BytesIO(env["workbook"]))
        sheet = book.get_sheet_by_name("Suksesi").to_python()
        assert sheet[0][:3] == ["OPD", "Jabatan", "Jenjang"] and len(sheet) - 1 == len(posts)


def test_succession_slide_says_a_jenis_filter_does_not_narrow_it(env):
    """Under a jenis ASN filter the slide counts the same posts as without it, and says so below them (its filter
    line names the filter: the numbers must not seem to follow it)."""
    con, rs = env["con"], env["rs"]
    flt = Filters(period=2025, jenis_asn=("PNS",))
    content = export.gather(con, "Pemkot Uji", flt.at(2025), rs, "uji", scope=Scope())
    slide = _slide(Presentation(io.BytesIO(export.build_deck(con, content, flt.at(2025), rs, images=False))), "Suksesi: ")
    assert _title(slide) == _title(_slide(_prs(env, "open_deck"), "Suksesi: "))
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "Filter jenis ASN tidak membatasi suksesi" in text
    # the note's line takes the room of two table rows (ten rows and the note overlapped in LibreOffice)
    rows = [len(sh.table.rows) for sh in slide.shapes if sh.has_table]
    assert rows == [9] and [len(sh.table.rows) for sh in _slide(_prs(env, "open_deck"), "Suksesi: ").shapes
                            if sh.has_table] == [11]
    assert "tidak membatasi suksesi" not in " ".join(sh.text_frame.text for sh in _slide(_prs(env, "open_deck"),
                                                     "Suksesi: ").shapes if sh.has_text_frame)


@pytest.mark.parametrize("key", DECKS)
def test_document_properties_are_the_decks_own(env, key):
    """No python-pptx template text: title, author and dates are this deck's; app.xml says 16:9 and the slide count."""
    import datetime as dt

    data = env[key]
    prs = _prs(env, key)
    cp = prs.core_properties
    st = env[key.removesuffix("_deck")].stamp
    assert cp.title == f"Peta Talenta ASN 2025 · {st.instansi}" == f"{_title(prs.slides[0])} · {st.instansi}"
    assert cp.author == cp.last_modified_by == "uji"
    assert not cp.comments and "python-pptx" not in cp.subject
    made = st.generated_at.astimezone(dt.timezone.utc).replace(tzinfo=None)
    assert cp.created == cp.modified == made
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core, app = z.read("docProps/core.xml").decode(), z.read("docProps/app.xml").decode()
    assert "python-pptx" not in core and "Steve Canny" not in core and "2013-" not in core
    assert "4:3" not in app and "<PresentationFormat>Layar lebar (16:9)</PresentationFormat>" in app
    assert f"<Slides>{len(prs.slides)}</Slides>" in app and "Macintosh" not in app


def test_document_author_is_talenta_without_a_user(env):
    prs = Presentation(io.BytesIO(export.build_deck(env["con"], _anonymous(env["open"]), FLT.at(2025), env["rs"],
                                                    images=False, slides=(export.slide_title,))))
    assert prs.core_properties.author == prs.core_properties.last_modified_by == "Talenta"


def _anonymous(content):
    from dataclasses import replace

    return replace(content, stamp=replace(content.stamp, generated_by=""))


@pytest.mark.parametrize("key", DECKS)
def test_nothing_overlaps_the_footer(env, key):
    """Every shape ends above the provenance footer (a note of hidden shares once ran into it)."""
    prs = _prs(env, key)
    for n, slide in enumerate(prs.slides, start=1):
        footer = [sh for sh in slide.shapes if sh.has_text_frame and "identitas" in sh.text_frame.text.lower()
                  and sh.top >= Inches(6.5)]
        if n == 1:
            continue       # the title slide has no footer
        assert len(footer) == 1, n
        for sh in slide.shapes:
            if sh.shape_id != footer[0].shape_id:
                assert sh.top + sh.height <= footer[0].top, (n, _title(slide), sh.name, (sh.top + sh.height) / 914400)
