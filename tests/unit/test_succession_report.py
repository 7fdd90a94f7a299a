"""Succession outputs that users see: the pipeline chart, the workbook sheet, the deck slide, pipeline health."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from talenta import succession, succession_report as rep


def _posts():
    return pd.DataFrame({
        "jabatan_id": ["J1", "J2", "J3", "J4"], "instansi": ["I"] * 4,
        "opd": ["Dinas <b>A</b>", "Dinas <b>A</b>", "Badan B", "Badan B"],
        "jabatan": ["Kepala Bidang X", "Kepala Seksi Y", "Sekretaris", "=SUM(1)"],
        "jenjang": ["administrator", "pengawas", "administrator", "administrator"], "eselon": ["III.a"] * 4,
        "pemangku_nip": [None, "1", "2", "3"], "pemangku_nama": [None, "Ayu", "Budi", "Citra"],
        "bup_pemangku": [None, dt.date(2026, 3, 1), dt.date(2027, 1, 1), dt.date(2026, 6, 1)],
        "alasan_target": ["kosong;kritikal", "bup", "bup", "bup"],
        "n_siap_sekarang": [2, 0, 1, 0], "n_siap_1_2_tahun": [1, 3, 0, 0], "n_kandidat": [4, 3, 1, 0],
        "kesehatan": ["hijau", "kuning", "kuning", "merah"]})


def test_health_colours():
    p = _posts()
    assert [succession.health_of(a, b, c) for a, b, c in
            zip(p["n_siap_sekarang"], p["n_siap_1_2_tahun"], p["n_kandidat"])] == ["hijau", "kuning", "kuning", "merah"]


def test_pipeline_per_opd_and_risk_list():
    p = _posts()
    pipe = succession.pipeline(p).set_index("opd")
    assert pipe.loc["Dinas <b>A</b>", "persen_siap_sekarang"] == 50.0
    assert pipe.loc["Badan B", "persen_dua_kandidat"] == 0.0 and pipe.loc["Badan B", "berisiko"] == 1
    risk = succession.risk_list(p)
    assert list(risk["jabatan_id"]) == ["J2", "J4"]          # earliest BUP first


def test_chart_escapes_names_and_shows_shares():
    fig = rep.pipeline_chart(_posts(), footnote="Tanggal acuan 31-12-2025")
    bar = fig.data[0]
    assert "Dinas &lt;b&gt;A&lt;/b&gt;" in list(bar.y) and "<b>" not in "".join(bar.y)
    assert sorted(bar.x) == [0.5, 0.5]
    # shares read as everywhere else in the product ("50 %"), not plotly's "50%"
    assert list(fig.layout.xaxis.ticktext) == ["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"]
    assert [c[3] for c in bar.customdata] == ["50 %", "50 %"] and "%{x:" not in bar.hovertemplate


def test_workbook_sheet_is_readable_and_neutralised():
    sheet = rep.workbook_frame(_posts())
    assert list(sheet.columns)[:3] == ["OPD", "Jabatan", "Jenjang"]
    assert sheet.loc[0, "Alasan target"] == "Kosong, Jabatan kritikal" and sheet.loc[0, "Pemangku"] == "(kosong)"
    assert sheet.loc[3, "Jabatan"].startswith("=")           # as typed: the workbook's writer keeps it a string
    assert sheet.loc[3, "Kesehatan pipeline"] == "Berisiko"


def test_deck_slide_lists_posts_at_risk():
    pptx = pytest.importorskip("pptx")
    prs = pptx.Presentation()
    rep.add_deck_slide(prs, _posts(), 2025, dt.date(2025, 12, 31))
    texts = [sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame]
    assert any("Berisiko: 2 jabatan" in t for t in texts)
    assert any("Kepala Seksi Y (Dinas <b>A</b>)" in t for t in texts)
    assert any("31-12-2025" in t for t in texts)
    buf = io.BytesIO()
    prs.save(buf)
    assert buf.getvalue()[:2] == b"PK"


def test_a_posts_small_candidate_counts_are_hidden_and_what_gives_them_away():
    """A masked OPD workbook's Suksesi sheet and deck slide wrote 'Siap sekarang 2, Siap 1-2 tahun 1, Kandidat 3'
    beside a Ringkasan that hid every count under 5 (review 20, 4)."""
    from talenta import succession

    posts = pd.DataFrame({"jabatan_id": ["a", "b", "c", "d"], "n_siap_sekarang": [2, 6, 0, 2],
                          "n_siap_1_2_tahun": [6, 7, 0, 3], "n_kandidat": [9, 15, 3, 7]})
    posts["ada_siap_sekarang"], posts["dua_kandidat"] = posts["n_siap_sekarang"] >= 1, posts["n_kandidat"] >= 2
    shown = succession._hide_small(posts, 5)
    got = {c: [None if pd.isna(v) else int(v) for v in shown[c]] for c in succession.COUNT_COLUMNS}
    assert got == {"n_siap_sekarang": [None, 6, 0, None], "n_siap_1_2_tahun": [6, 7, 0, None],
                   "n_kandidat": [None, 15, None, 7]}      # a: 9 - 6 would give 2 back (if the rest were 0)
    assert shown["ada_siap_sekarang"].tolist() == [True, True, False, True]     # the pipeline still counts posts
    assert succession.pipeline(shown.assign(opd="X"))["berisiko"].tolist() == [1]
    assert succession._hide_small(posts, 0).equals(posts)


def test_a_hidden_share_reads_the_mark_not_an_empty_row():
    """A guest's pipeline chart showed 18 of 19 OPD as empty rows, read as 0 % under a title saying every post had a
    ready candidate (review 20d, 2)."""
    table = pd.DataFrame({"opd": ["A", "B"], "jabatan_target": pd.array([6, pd.NA], dtype="Int64"),
                          "persen_siap_sekarang": [100.0, float("nan")], "persen_dua_kandidat": [100.0, float("nan")],
                          "berisiko": pd.array([0, pd.NA], dtype="Int64")})
    fig = rep.pipeline_table_chart(table, footnote="Tanggal acuan 31-12-2025")
    marks = [t for t in fig.data if t.type == "scatter"]
    assert len(marks) == 1 and list(marks[0].y) == ["B"] and list(marks[0].text) == ["•"]
    assert "• = disembunyikan" in fig.layout.annotations[0].text
    assert not [t for t in rep.pipeline_table_chart(table.head(1)).data if t.type == "scatter"]
