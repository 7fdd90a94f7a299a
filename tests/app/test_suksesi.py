"""The Suksesi page: target posts, a post's candidates with the comparison, the decision form per role,
and aggregates only for tamu."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from talenta import store
from tests import succession_data as sd


@pytest.fixture
def succ_db(db_copy):
    con = store.connect(db_copy)
    sd.add_to_demo(con)
    con.close()
    return db_copy


def test_posts_candidates_and_comparison(app, succ_db):
    at = app(succ_db, "views/suksesi.py")
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Jabatan target" in labels and "Berisiko (tak ada yang siap sekarang)" in labels
    assert at.date_input(key="suk_tgl_2025").value.isoformat().endswith("-12-31")
    post = at.selectbox(key="suk_post")
    assert post.value is not None
    cmp = at.multiselect(key=f"suk_cmp_{post.value}")
    assert len(cmp.value) == 2                       # two candidates compared by default
    compare = [d.value for d in at.dataframe if "Aspek" in d.value.columns]
    assert len(compare) == 1
    compare = compare[0].set_index("Aspek")
    assert "Pendidikan" in compare.index and "Kesiapan" in compare.index and compare.shape[1] == 2
    assert any(str(i).startswith("Kotak ") for i in compare.index)      # box history per period
    # the parts of the score with as many decimals as the score they add up to ("97,50" beside "75,00")
    scores = compare.loc[[i for i in compare.index if str(i).startswith("Skor")]].to_numpy().ravel()
    assert all(v == "–" or v.split(",")[1].isdigit() and len(v.split(",")[1]) == 2 for v in scores), scores


def test_a_jenis_filter_is_said_not_to_narrow_the_posts(app, succ_db):
    at = app(succ_db, "views/suksesi.py")
    before = next(m.value for m in at.metric if m.label == "Jabatan target")
    assert not any("tidak membatasi suksesi" in c.value for c in at.caption)
    at.multiselect(key="flt_jenis_asn").select("PPPK").run()
    assert not at.exception
    assert any(c.value.startswith("Filter jenis ASN tidak membatasi suksesi") for c in at.caption)
    assert next(m.value for m in at.metric if m.label == "Jabatan target") == before


def test_pimpinan_records_a_decision_with_reason(app, succ_db):
    at = app(succ_db, "views/suksesi.py", user="pimpinan")
    assert not at.exception
    at.selectbox(key="suk_step").set_value("tetapkan")
    at.text_area(key="suk_reason").input("Peringkat pertama, siap sekarang")
    at.text_area(key="suk_just").input("Dipilih Komite")
    next(b for b in at.button if b.label == "Catat keputusan").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "dicatat atas nama pimpinan" in at.success[0].value
    # set with no rekomendasi before it: said, and the record shows it (review 14, 6)
    assert "Komite Talenta belum merekomendasikan kandidat ini" in at.success[0].value
    # the decision is in the list at once (the list is drawn above the form: it used to show the old one)
    assert not any(c.value == "Belum ada keputusan untuk jabatan ini." for c in at.caption)
    listed = next(d.value for d in at.dataframe if "langkah" in d.value.columns)
    assert listed["alasan"].tolist() == ["Peringkat pertama, siap sekarang"]
    assert listed["direkomendasikan_komite"].tolist() == [False]
    con = store.connect(succ_db)
    rows = store.query_df(con, "SELECT oleh, langkah, alasan FROM succession_decision")
    assert rows.to_dict("records") == [{"oleh": "pimpinan", "langkah": "tetapkan",
                                        "alasan": "Peringkat pertama, siap sekarang"}]


def test_tamu_sees_aggregates_only(app, succ_db):
    at = app(succ_db, "views/suksesi.py", user="tamu")
    assert not at.exception
    assert len(at.metric) == 4
    assert not [s for s in at.selectbox if s.key == "suk_post"]
    # the pipeline per OPD only (review 6): no post, holder or reason; small counts hidden, and the page says why
    (table,) = [d.value for d in at.dataframe]
    assert list(table.columns)[0] == "opd" and not {"jabatan", "jabatan_id", "alasan_target"} & set(table.columns)
    counts = table[["jabatan_target", "berisiko"]].to_numpy(dtype=float).ravel()
    assert not ((counts > 0) & (counts < 5)).any() and pd.isna(counts).any()
    from talenta import rulesets, succession, succession_rules
    from talenta.scope import Scope
    con = store.connect(succ_db)
    try:
        posts = succession.targets(con, Scope(), 2025, rulesets.active(con), succession_rules.active(con))
    finally:
        con.close()
    import json
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    shown = {str(v) for v in table.to_numpy().ravel()} | {str(y) for tr in chart["data"] for y in tr["y"]}
    assert set(posts["opd"]) & shown and not set(posts["jabatan"]) & shown
    assert any("Daftar jabatan target, pemangku dan kandidat tidak ditampilkan" in c.value for c in at.caption)


def test_tamu_reference_date_is_fixed(app, succ_db):
    """Review 6: moving the date day by day showed when a named post's holder reaches BUP. For tamu the input is
    disabled with the reason, and a date forced into the session changes nothing."""
    at = app(succ_db, "views/suksesi.py", user="tamu")
    date_in = at.date_input(key="suk_tgl_2025")
    assert date_in.disabled and date_in.value == dt.date(2025, 12, 31)
    assert any("Tanggal acuan tetap 31-12-2025" in c.value and "BUP" in c.value for c in at.caption)
    before = [m.value for m in at.metric], [d.value for d in at.dataframe]
    at.session_state["suk_tgl_2025"] = dt.date(2027, 12, 31)        # a date forced past the disabled input
    at.run()
    assert not at.exception
    assert at.date_input(key="suk_tgl_2025").value == dt.date(2025, 12, 31)
    assert [m.value for m in at.metric] == before[0]
    pd.testing.assert_frame_equal(at.dataframe[0].value, before[1][0])
    assert any("Tanggal acuan **31-12-2025**" in c.value for c in at.caption)
    # the committee still moves it
    at = app(succ_db, "views/suksesi.py", user="komite")
    assert not at.date_input(key="suk_tgl_2025").disabled


@pytest.mark.parametrize("user", ["admin", "tamu"])
def test_the_reference_date_follows_the_period(app, succ_db, user):
    """A browser pass (session 21): after switching 2025 -> 2024 the page said "Tanggal acuan 31-12-2025 · peta
    talenta 2024" (81 posts instead of 2024's 63), and tamu's disabled input showed 2025 under a 2024 caption."""
    at = app(succ_db, "views/suksesi.py", user=user)
    at.selectbox(key="flt_period").select(2024).run()
    assert not at.exception
    assert at.date_input(key="suk_tgl_2024").value == dt.date(2024, 12, 31)
    assert any("Tanggal acuan **31-12-2024** · peta talenta 2024" in c.value for c in at.caption)
    if user == "tamu":
        return
    at.date_input(key="suk_tgl_2024").set_value(dt.date(2024, 6, 30)).run()      # a date chosen for 2024
    at.selectbox(key="flt_period").select(2025).run()
    assert any("Tanggal acuan **31-12-2025** · peta talenta 2025" in c.value for c in at.caption)
    at.selectbox(key="flt_period").select(2024).run()
    assert any("Tanggal acuan **30-06-2024** · peta talenta 2024" in c.value for c in at.caption)


def test_analis_form_offers_only_usul(app, succ_db):
    at = app(succ_db, "views/suksesi.py", user="analis")
    assert not at.exception
    assert at.selectbox(key="suk_step").options == ["Usul (analis)"]


def test_a_post_with_hundreds_of_candidates_shows_the_top_ones_first(app, succ_db):
    at = app(succ_db, "views/suksesi.py")
    posts = at.selectbox(key="suk_post")
    # the post with the most candidates (the whole instansi's KRS pool: hundreds in the 21.7k demo)
    from talenta import rulesets, succession, succession_rules
    from talenta.scope import Scope
    con = store.connect(succ_db)
    try:
        df = succession.targets(con, Scope(), 2025, rulesets.active(con), succession_rules.active(con))
    finally:
        con.close()
    big = df.sort_values(["n_kandidat", "jabatan_id"]).iloc[-1]
    assert big["n_kandidat"] > 50
    if big["jabatan_id"] in posts.options:
        posts.set_value(big["jabatan_id"]).run()
    table = lambda: next(d.value for d in at.dataframe if "peringkat" in d.value.columns)  # noqa: E731
    assert len(table()) == 20 and list(table()["peringkat"])[:3] == [1, 2, 3]
    at.segmented_control(key="suk_top").set_value(100).run()
    assert not at.exception and 50 < len(table()) <= 100
    assert any("semuanya di CSV" in c.value for c in at.caption)


def test_tamu_ringkasan_pipeline_chart_hides_small_counts(app, succ_db):
    """Ringkasan's pipeline chart for tamu is the library's aggregate: its hover showed 1-4 target posts per OPD."""
    import json

    at = app(succ_db, "views/ringkasan.py", user="tamu")
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    (chart,) = [s for s in specs if "pipeline suksesi" in s["layout"]["title"]["text"]]
    shown = [str(x) for row in chart["data"][0]["customdata"] for x in row[:2]]
    assert "•" in shown and not [x for x in shown if x.isdigit() and 0 < int(x) < 5]


def test_a_set_candidate_who_left_the_candidates_is_offered_for_refusal(app, succ_db):
    """Review 14, 1: once the set candidate stopped being a candidate (here: his SKP corrected), the page did
    not offer him in the form, so the post could be neither refused nor given to anyone else."""
    from talenta import access, actions, rulesets, succession_rules

    at = app(succ_db, "views/suksesi.py", user="pimpinan")
    post = at.selectbox(key="suk_post").value
    con = store.connect(succ_db)
    rs, srs = rulesets.active(con), succession_rules.active(con)
    top = at.selectbox(key="suk_who").value
    nip = next(d.value for d in at.dataframe if "peringkat" in d.value.columns).iloc[0]["nip"]
    assert top.startswith("1. ")
    pimpinan = access.User("pimpinan", "Pimpinan", "pimpinan")
    actions.succession_decision(con, pimpinan, post, nip, "tetapkan", "Peringkat pertama", period=2025, rs=rs, srs=srs)
    correction = succ_db.parent / "koreksi_skp.csv"      # his SKP corrected: out of the KRS
    correction.write_text(f"nip,tahun,predikat\n{nip},2024,Sangat Kurang\n{nip},2025,Sangat Kurang\n")
    actions.import_one(con, access.OPERATOR, correction, file_name=correction.name)
    con.close()
    import streamlit as st

    st.cache_data.clear()            # as an import through the pages does (ui/actions)
    at = app(succ_db, "views/suksesi.py", user="pimpinan")
    assert not at.exception
    at.selectbox(key="suk_post").set_value(post).run()
    warning = next(w.value for w in at.warning if "bukan kandidatnya" in w.value)
    assert nip in warning
    options = at.selectbox(key="suk_who").options
    assert options[-1].endswith("ditetapkan, bukan kandidat lagi") and nip in options[-1]
    at.selectbox(key="suk_who").set_value(options[-1])
    at.selectbox(key="suk_step").set_value("tolak")
    at.text_area(key="suk_reason").input("Tidak lagi memenuhi syarat kinerja")
    next(b for b in at.button if b.label == "Catat keputusan").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Tolak (PPK)" in at.success[0].value
    listed = next(d.value for d in at.dataframe if "langkah" in d.value.columns)
    assert listed["kesiapan"].tolist()[0] == "Bukan kandidat lagi"
    assert not any("bukan kandidatnya" in w.value for w in at.warning)


def test_an_opd_account_sees_no_name_from_another_opd_in_the_decisions(app, succ_db):
    """Review 15, 1: a candidate of another OPD set for a post of the account's OPD was named in the decisions
    table, and the new warning called him 'no longer a candidate' (he is not among the account's candidates)."""
    from talenta import access, actions, rulesets, succession, succession_rules
    from talenta.scope import Scope

    con = store.connect(succ_db)
    rs, srs = rulesets.active(con), succession_rules.active(con)
    posts = succession.targets(con, Scope(), 2025, rs, srs)
    post = posts[posts["opd"] == "Dinas Kesehatan"]["jabatan_id"].iloc[0]
    cands = succession.candidates(con, Scope(), 2025, rs, srs, post=post)
    other = cands[cands["opd"] != "Dinas Kesehatan"].iloc[0]
    actions.succession_decision(con, access.User("pimpinan", "Pimpinan", "pimpinan"), post, other["nip"], "tetapkan",
                                "Dipilih rapat", justification="Pengalaman lintas OPD", period=2025, rs=rs, srs=srs)
    con.close()
    at = app(succ_db, "views/suksesi.py", user="opd")
    assert not at.exception
    at.selectbox(key="suk_post").set_value(post).run()
    assert not at.exception
    assert not any("bukan kandidatnya" in w.value for w in at.warning)
    listed = next(d.value for d in at.dataframe if "langkah" in d.value.columns)
    assert listed["nip"].tolist() != [other["nip"]] and other["nama"] not in " ".join(map(str, listed["nama"]))
    assert listed["alasan"].isna().all() and listed["langkah"].tolist() == ["Tetapkan (PPK)"]
    page = " ".join(str(x.value) for x in [*at.markdown, *at.caption, *at.warning, *at.info])
    assert other["nip"] not in page and other["nama"] not in page
    # pimpinan, who sees the whole instansi, still reads who and why
    at = app(succ_db, "views/suksesi.py", user="pimpinan")
    at.selectbox(key="suk_post").set_value(post).run()
    listed = next(d.value for d in at.dataframe if "langkah" in d.value.columns)
    assert listed["nip"].tolist() == [other["nip"]] and listed["alasan"].tolist() == ["Dipilih rapat"]
