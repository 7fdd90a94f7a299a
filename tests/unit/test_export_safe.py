import pandas as pd

from talenta import export_safe


def test_csv_and_cells_neutralised():
    df = pd.DataFrame({"nama": ["=1+1", "+62812", "-5", "@cmd", "Budi", None], "n": [1, 2, 3, 4, 5, 6]})
    out = export_safe.neutralise(df)
    assert out["nama"].tolist()[:5] == ["'=1+1", "'+62812", "'-5", "'@cmd", "Budi"]
    assert out["n"].tolist() == [1, 2, 3, 4, 5, 6]
    text = export_safe.to_bytes(df, "csv").decode("utf-8-sig")
    assert "\n'=1+1," in text and "\n=1+1" not in text
