"""Presentation mode on a small OPD: no page shows a count between 1 and 4, in a metric, a sentence, a
table or a chart (the issue's leaks: Kotak 9 = 1 on Peta Talenta, "<5 tanpa kinerja" derivable on
Ringkasan, 20 placed at 5,0 % KRS in the trend, 1-2-3-4 in the cross table and the movement matrix)."""
import json
import re

import numpy as np
import pandas as pd
import pytest

from talenta import rules, store
from talenta.ui import slides

T = 5
N_STEPS = len(slides.STEPS)
# counts of people in tables (box numbers, years, scores and shares are not counts)
COUNT_COLUMNS = {"total", "belum_terpetakan", "krs", "n", "naik", "tetap", "turun", "baru_terpetakan",
                 "tidak_terpetakan_lagi", "jabatan_manajerial", "jpt", "administrator", "pengawas",
                 "pensiun_2_tahun", "krs_pejabat", *(f"kotak_{i}" for i in range(1, 10)),
                 "Terpetakan", "KRS", "Pegawai"}    # the presentation's tables (display names)


@pytest.fixture
def small_db(tmp_path):
    """Dispora: 19 people spread so that several boxes hold 1-4 of them; Dinas Besar: 80 more (so the
    high-potential model has enough people). Synthetic and deterministic."""
    rng = np.random.default_rng(11)
    path = tmp_path / "kecil.duckdb"
    con = store.connect(path)
    people, kin, ases = [], [], []
    for i in range(99):
        opd = "Dispora" if i < 19 else "Dinas Besar"
        nip = f"19800101200501{i:04d}"
        people.append((nip, f"Pegawai Sintetis {i}", opd, f"Jabatan Unik {i}"))
        for t in (2024, 2025):
            if i % 9 != 4 or t == 2024:
                kin.append((nip, t, rules.PREDIKAT_ORDER[int(rng.integers(0, len(rules.PREDIKAT_ORDER)))]))
        if i % 7 != 3:
            ases.append((nip, int(rng.choice([2023, 2024, 2025])), float(rng.choice([60.0, 72.0, 80.0, 88.0, 95.0])),
                         *(float(x) for x in rng.uniform(50, 100, 4))))
    cur = con.cursor()
    cur.executemany("INSERT INTO employee (nip, nama, instansi, opd, jabatan, batch_id) "
                    "VALUES (?, ?, 'Pemkot Uji', ?, ?, 1)", [list(p) for p in people])
    cur.executemany("INSERT INTO performance (nip, tahun, predikat, batch_id) VALUES (?, ?, ?, 1)", [list(k) for k in kin])
    cur.executemany("INSERT INTO assessment (nip, tahun, jpm, nilai_potensi, nilai_manajerial, nilai_sosial_kultural, "
                    "nilai_teknis, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, 1)", [list(a) for a in ases])
    con.close()
    return path


def _small(n) -> bool:
    return 0 < n < T


def _shown_counts(at) -> list[tuple[str, int]]:
    """Every count of people the page shows: metrics, sentences, count columns, chart labels."""
    found = []
    for m in at.metric:
        if re.fullmatch(r"[\d.]+", m.value):
            found.append((f"metric {m.label}", int(m.value.replace(".", ""))))
        found += [(f"help {m.label}", int(x)) for x in re.findall(r"(\d+) pegawai", m.help or "")]
    for el in [*at.markdown, *at.caption, *at.subheader, *at.info, *at.warning]:
        for n in re.findall(r"(?<![\d.,])(\d+) (?:pegawai|belum pernah|tanpa|asesmennya|ditandai)", el.value):
            found.append((el.value[:60], int(n)))
    for d in [*at.dataframe, *at.table]:
        df = d.value
        df = df.data if hasattr(df, "data") else df
        for c in df.columns:
            if str(c) in COUNT_COLUMNS or str(c).startswith("Kotak") or c == "Belum":
                vals = pd.to_numeric(df[c], errors="coerce").dropna()
                found += [(f"table {c}", int(v)) for v in vals]
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        for a in spec.get("layout", {}).get("annotations", []):
            m = re.fullmatch(r"<b>([\d.]+)</b>", a.get("text", ""))
            if m:
                found.append(("chart annotation", int(m.group(1).replace(".", ""))))
        for tr in spec.get("data", []):
            texts = tr.get("text")
            if tr.get("type") in ("bar", "heatmap") and isinstance(texts, list):
                flat = [x for row in texts for x in (row if isinstance(row, list) else [row])]
                found += [(f"chart {tr.get('type')}", int(x.replace(".", ""))) for x in flat
                          if isinstance(x, str) and re.fullmatch(r"[\d.]+", x)]
            if tr.get("type") == "sankey":
                found += [("sankey link", int(v)) for v in tr.get("link", {}).get("value", [])]
    return found


def test_every_key_page_in_presentation_mode_shows_no_small_count(app, small_db, monkeypatch):
    monkeypatch.setenv("TALENTA_MIN_GROUP", str(T))
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "2")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "3")
    at = app(small_db)
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    at.multiselect(key="flt_opd").select("Dispora").run()
    assert not at.exception
    seen_pages = 0
    for i in range(N_STEPS):          # every step of the presentation, reached with the stepper
        if i:
            at.button(key=f"pres_next_{i - 1}").click().run()
        page = at.title[0].value
        assert not at.exception, page
        counts = _shown_counts(at)
        assert [c for c in counts if _small(c[1])] == [], page
        seen_pages += bool(counts)
        texts = " ".join(str(x.value) for x in [*at.markdown, *at.caption] if isinstance(x.value, str))
        assert "Pegawai Sintetis" not in texts and "Jabatan Unik" not in texts
        assert len(at.dataframe) == 0     # no list of people in a meeting
    assert seen_pages >= 3             # the check looked at real figures, not at empty pages


def test_a_one_person_opd_on_the_potensi_tinggi_step_says_why_nothing_is_drawn(app, small_db, monkeypatch):
    """Review 14, 10: filtered to a one-person OPD, the step showed "Ditandai potensi tinggi (–)" and a chart of
    empty axes with no word of why."""
    monkeypatch.setenv("TALENTA_MIN_GROUP", str(T))
    monkeypatch.setenv("TALENTA_HIPO_BOOTSTRAP", "2")
    monkeypatch.setenv("TALENTA_HIPO_K_MAX", "3")
    con = store.connect(small_db)
    con.execute("UPDATE employee SET opd = 'Dinas Tunggal' WHERE nip = '198001012005010000'")   # assessed, placed
    con.close()
    at = app(small_db)
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    at.multiselect(key="flt_opd").select("Dinas Tunggal").run()
    for i in range(N_STEPS - 1):
        at.button(key=f"pres_next_{i}").click().run()
    assert not at.exception and at.title[0].value.startswith("Potensi Tinggi")
    assert "Ditandai potensi tinggi" in [m.label for m in at.metric]          # no "(–)" beside it
    assert any(i.value.startswith("Profil klaster tidak ditampilkan") and "di bawah 5 orang" in i.value
               for i in at.info)
    assert not at.get("plotly_chart")


def test_the_talent_pool_step_draws_at_most_twenty_rows_when_most_shares_are_hidden(app, tmp_path):
    """A guest's Talent Pool step of a small instansi: 45 OPD, most of them hidden, drawn in 710 px with their names
    over each other (review 20d, 1). At most 2 x TOP rows, as the page's chart."""
    import json as _json

    from talenta import demo, store
    from talenta.ui import slides

    db = tmp_path / "kecil.duckdb"
    con = store.connect(db)
    demo.build(con, tmp_path / "files", n=400, seed=5)
    con.close()
    at = app(db, user="tamu")
    at.sidebar.toggle(key="presentasi").set_value(True).run()
    for i in range(3):
        at.button(key=f"pres_next_{i}").click().run()
    assert not at.exception
    fig = _json.loads(next(c for c in at.get("plotly_chart")).proto.spec)
    rows = {y for trace in fig["data"] for y in (trace.get("y") or [])}
    assert 0 < len(rows) <= 2 * slides.TOP
    assert any("lain tidak ditampilkan" in c.value for c in at.caption)
