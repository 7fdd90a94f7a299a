"""Office files carry values from data as text: markup stays literal, control characters never reach a cell or
a slide (nor python-pptx's '_x0007_' stand-ins), '&' in the XLSX footer is not a footer code."""
import io
import re
import zipfile

import pandas as pd
import pytest
from pptx import Presentation

from talenta import export, rules, rulesets, store
from talenta.config import Settings
from talenta.scope import Filters, Scope
from tests import hostile_db

STORED = "Dinas\x00 Bel\x07 & <b>Tebal</b>"     # as a database imported before control characters were refused
SHOWN = "Dinas Bel & <b>Tebal</b>"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|_x00[0-1][0-9A-F]_")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile_export")
    con = store.connect(hostile_db.build(d / "h.duckdb", d / "files"))
    con.execute("UPDATE employee SET opd = $new WHERE opd = $old", {"new": STORED, "old": hostile_db.LINK_OPD})
    rs = rulesets.save(con, rules.DEFAULT, name="Komite\x1b & <i>2026</i>", note="", user="uji")
    flt = Filters(period=2025, opd=(STORED, hostile_db.BOLD_OPD))
    content = export.gather(con, "Pemkot Uji", flt.at(2025), rs, "uji", scope=Scope(),
                            hipo_params=Settings().hipo_params(bootstrap=2, k_max=3))
    deck = export.build_deck(con, content, flt.at(2025), rs, images=False)
    book = export.build_workbook(con, content, flt.at(2025), rs)
    con.close()
    return deck, book


def test_deck_text_has_the_values_without_control_characters(files):
    deck, _ = files
    texts = []
    for slide in Presentation(io.BytesIO(deck)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_chart:
                texts += [str(c) for c in shape.chart.plots[0].categories]
    joined = "\n".join(texts)
    assert not CONTROL.search(joined)
    assert SHOWN in joined and hostile_db.BOLD_OPD in joined and "Komite & <i>2026</i>" in joined
    # the OPD bar chart names the OPD as shown
    assert any(t == SHOWN for t in texts)


def test_workbook_cells_and_footer_have_the_values_without_control_characters(files):
    _, book = files
    sheets = pd.read_excel(io.BytesIO(book), sheet_name=None, dtype=str, engine="calamine")
    cells = [str(v) for df in sheets.values() for v in df.to_numpy().ravel().tolist() + list(df.columns)]
    assert not any(CONTROL.search(v) for v in cells)
    assert SHOWN in cells and hostile_db.BOLD_OPD in cells
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        footer = re.search(r"<oddFooter>(.*?)</oddFooter>", z.read("xl/worksheets/sheet1.xml").decode()).group(1)
    footer = footer.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    assert footer.startswith("&L") and "Dinas Bel && <b>Tebal</b>" in footer
    assert not re.search(r"(?<!&)&(?!&)", footer[2:].replace("&&", ""))   # no single '&' left to start a code
