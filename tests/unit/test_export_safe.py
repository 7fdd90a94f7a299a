import pandas as pd

from talenta import export_safe


def test_csv_and_cells_neutralised():
    df = pd.DataFrame({"nama": ["=1+1", "+62812", "-5", "@cmd", "Budi", None], "n": [1, 2, 3, 4, 5, 6]})
    out = export_safe.neutralise(df)
    assert out["nama"].tolist()[:5] == ["'=1+1", "'+62812", "'-5", "'@cmd", "Budi"]
    assert out["n"].tolist() == [1, 2, 3, 4, 5, 6]
    text = export_safe.to_bytes(df, "csv").decode("utf-8-sig")
    assert "\n'=1+1," in text and "\n=1+1" not in text


def test_xlsx_keeps_text_as_typed_in_string_cells(tmp_path):
    """XLSX: a text cell is a string cell (never a formula) holding the text as typed, no visible apostrophe;
    CSV keeps its apostrophe guard."""
    import io
    import re
    import zipfile

    from python_calamine import CalamineWorkbook

    texts = ['=HYPERLINK("http://x","klik")', "+62 811 1234", "-1+2", "@SUM(1+1)", "Budi\x07", "http://contoh.id"]
    df = pd.DataFrame({"nama": texts, "n": range(len(texts))})
    data = export_safe.to_bytes(df, "xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[1:]] == texts[:4] + ["Budi", "http://contoh.id"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<hyperlink" not in sheet
    assert len(re.findall(r't="s"', sheet)) == 2 + len(texts)       # the two headers and every name: string cells
    csv = export_safe.to_bytes(df, "csv").decode("utf-8-sig")
    assert "\n\"'=HYPERLINK" in csv and "\n'+62 811 1234," in csv
