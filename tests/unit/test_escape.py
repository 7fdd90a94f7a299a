"""Data is text: each escaping helper makes hostile values show literally in its renderer."""
import html
import io

import pandas as pd
import pytest
from markdown_it import MarkdownIt

from talenta import escape, export_safe

HOSTILE = [
    '<a href="http://127.0.0.1:9/x">OPD Tautan</a>',
    "<b>Tebal</b> dan Baris<br>Dua",
    '<img src="http://127.0.0.1:9/x.png" onerror="alert(1)">',
    '<span style="color:red">Merah</span>',
    "[OPD Tautan](http://127.0.0.1:9/)",
    "![x](http://127.0.0.1:9/x.png)",
    "Biaya $x^2$ dan $$y$$ rupiah",
    "**tebal** _miring_ `kode` ~~coret~~ | sel | # judul",
    ":red[Merah] :material/home: \\[x\\]",
    "Dinas Pekerjaan & Umum; &lt;b&gt; &amp;",
    "Budi Santoso, S.Kom. - Kepala",
]
# CommonMark plus the GFM tables and strikethrough Streamlit renders
MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _read(rendered_inner: str) -> str:
    """The characters a reader sees (the invisible word joiner against GFM bare-address links removed)."""
    return html.unescape(rendered_inner).replace(escape.WORD_JOINER, "")


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_shows_the_value_as_typed(value):
    rendered = MD.render(escape.markdown(value)).strip()
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner                        # no <a>, <img>, <strong>, <code>, <del>, <table>, raw HTML
    assert _read(inner) == value                   # every character shown, none dropped or changed


def test_markdown_keeps_a_value_on_one_line_inside_its_sentence():
    value = "OPD A\n# Judul\n\n![x](http://127.0.0.1:9/x.png)\r\n- daftar"
    rendered = MD.render("Filter aktif: " + escape.markdown(value)).strip()
    assert rendered.count("<p>") == 1 and "<h1>" not in rendered and "<img" not in rendered and "<li>" not in rendered
    assert _read(rendered[3:-4]) == "Filter aktif: " + value.replace("\r\n", " ").replace("\n", " ")


@pytest.mark.parametrize("value", ["http://127.0.0.1:9/x.png", "lihat www.contoh.go.id", "budi@contoh.go.id",
                                   "HTTPS://X.ID", "ftp://a", "mailto:a@b.id"])
def test_markdown_breaks_bare_addresses_that_gfm_would_link(value):
    # GFM (Streamlit's markdown) links these in plain text after escapes are resolved (seen in a real browser)
    import re

    text = html.unescape(MD.render(escape.markdown(value)))
    assert not re.search(r"(?i)https?://|ftp://|www\.|\w@\w|mailto:", text)
    assert _read(MD.render(escape.markdown(value)).strip()[3:-4]) == value


@pytest.mark.parametrize("value", HOSTILE)
def test_plotly_text_has_no_tags_and_reads_back_as_the_value(value):
    out = escape.plotly(value)
    assert "<" not in out and ">" not in out
    # plotly turns &lt; &gt; &amp; back into characters when it draws the text
    assert out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == value


@pytest.mark.parametrize("value", HOSTILE)
def test_html_escapes_tags_and_quotes(value):
    out = escape.html(value)
    assert "<" not in out and '"' not in out and html.unescape(out) == value


def test_missing_values_become_empty_text():
    assert escape.markdown(None) == escape.plotly(float("nan")) == escape.html(pd.NA) == escape.office(None) == ""


def test_office_removes_control_characters_but_keeps_tab_and_newline():
    assert escape.office("a\x00b\x07c\x1bd\x7fe\x85f\tg\nh") == "abcdef\tg\nh"
    assert escape.office_footer("Dinas A & B\x00") == "Dinas A && B"


def test_office_files_hold_no_control_characters_and_no_formulas():
    df = pd.DataFrame({"nama": ["Budi\x00 Santoso", "\x01=HYPERLINK(\"http://x\")", "Sari\tDewi", None],
                       "nilai": [1, 2, 3, 4]})
    data = export_safe.to_bytes(df, "xlsx")
    back = pd.read_excel(io.BytesIO(data), engine="calamine")
    # XLSX: a string cell holds the text as typed (no apostrophe to see) and is never a formula
    assert back["nama"].tolist()[:3] == ["Budi Santoso", "=HYPERLINK(\"http://x\")", "Sari\tDewi"]
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    assert back["nilai"].tolist() == [1, 2, 3, 4]
    csv = export_safe.to_bytes(df, "csv").decode("utf-8-sig")
    assert "\x00" not in csv and "\x01" not in csv and "'=HYPERLINK" in csv


def test_file_name_part_from_data():
    assert escape.filename('<a href="http://x/">OPD</a>') == "a_href_http_x_OPD_a"
    assert escape.filename("../../") == "data" and escape.filename("Dinas Kesehatan") == "Dinas_Kesehatan"


def test_bidirectional_controls_are_not_shown():
    """'\u202eDinas RTL\u202c' showed as 'LTR saniD' on charts and slides, and a name before its NIP in a search
    result (hostile pass, session 22): every renderer's text leaves them out."""
    from talenta import escape

    value = "\u202eDinas <b>RTL</b>\u202c \u2066x\u2069"
    assert escape.plotly(value) == "Dinas &lt;b&gt;RTL&lt;/b&gt; x"
    assert escape.html(value) == "Dinas &lt;b&gt;RTL&lt;/b&gt; x"
    assert escape.office(value) == "Dinas <b>RTL</b> x"
    assert "\u202e" not in escape.markdown(value) and "\u2066" not in escape.markdown(value)
