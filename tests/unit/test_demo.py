"""The demo generator: realistic proportions, valid and consistent NIP, deterministic."""
import datetime as dt

import pandas as pd
import pytest

from talenta import demo, nip


@pytest.fixture(scope="module")
def big():
    return demo.generate(21700, 20251017)


def test_size_and_jenis_asn_proportions(big):
    e = big.employees
    assert len(e) == 21700
    share = e["jenis_asn"].value_counts(normalize=True)
    assert share["PNS"] == pytest.approx(9240 / 21700, abs=0.01)
    assert share["PPPK"] == pytest.approx(10287 / 21700, abs=0.01)
    assert share["PPPK Paruh Waktu"] == pytest.approx(0.10, abs=0.01)


def test_opd_spread_with_pendidikan_and_kesehatan_largest(big):
    counts = big.employees["opd"].value_counts()
    assert counts.index[0] == "Dinas Pendidikan" and counts.index[1] == "Dinas Kesehatan"
    assert counts.iloc[1] > 3 * counts.iloc[2]          # "by far the largest"
    assert len(counts) >= 50
    assert sum(o.startswith("Kecamatan ") for o in counts.index) == 18


def test_jenis_jabatan_proportions_and_eselon(big):
    e = big.employees
    share = e["jenis_jabatan"].value_counts(normalize=True)
    assert share["Fungsional"] == pytest.approx(0.63, abs=0.04)
    assert share["Pelaksana"] == pytest.approx(0.31, abs=0.04)
    assert share["Struktural"] == pytest.approx(0.06, abs=0.015)
    s = e[e["jenis_jabatan"] == "Struktural"]
    assert (s["jenis_asn"] == "PNS").all()
    assert s["eselon"].isin(["21", "22", "31", "32", "41", "42"]).all()
    assert (e.loc[e["jenis_jabatan"] != "Struktural", "eselon"] == "").all()


def test_nip_valid_unique_and_consistent(big):
    e = big.employees
    assert e["nip"].is_unique
    codes = nip.check(e["nip"], today=dt.date(2026, 1, 1))
    assert codes.isna().all(), codes.value_counts()
    f = nip.facts(e["nip"])
    assert (f["tanggal_lahir"] == e["tanggal_lahir"]).all()
    assert (f["jenis_kelamin"] == e["jenis_kelamin"]).all()
    is_pns = e["jenis_asn"] == "PNS"
    assert (f.loc[is_pns, "jenis_asn"] == "PNS").all() and (f.loc[~is_pns, "jenis_asn"] == "PPPK").all()
    assert (f.loc[is_pns, "tmt_cpns"] == e.loc[is_pns, "tmt_cpns"]).all()


def test_golongan_consistent_with_jenis_asn(big):
    e = big.employees
    pns = e["jenis_asn"] == "PNS"
    assert e.loc[pns, "golongan"].str.contains("/").all()
    assert not e.loc[~pns, "golongan"].str.contains("/").any()
    # older PNS are not in a lower golongan than young ones on average
    age = (pd.Timestamp("2025-12-31") - pd.to_datetime(e.loc[pns, "tanggal_lahir"])).dt.days / 365.25
    rank = e.loc[pns, "golongan"].map(demo.GOL_PNS.index)
    assert rank[age > 50].mean() > rank[age < 35].mean() + 2


def test_three_periods_and_partial_assessment_coverage(big):
    assert sorted(big.kinerja["tahun"].unique()) == [2023, 2024, 2025]
    assert sorted(big.asesmen["tahun"].unique()) == [2023, 2024, 2025]
    assessed = big.asesmen["nip"].nunique() / len(big.employees)
    assert 0.4 < assessed < 0.9            # some employees have no assessment yet
    pred = big.kinerja["predikat"].value_counts(normalize=True)
    assert pred.index[0] == "Baik" and 0.1 < pred["Sangat Baik"] < 0.3


def test_scores_correlate_like_real_ones(big):
    a = big.asesmen
    assert a["jpm"].corr(a["nilai_manajerial"]) > 0.5
    k = big.kinerja[big.kinerja["tahun"] == 2025].merge(a[a["tahun"] == 2025], on="nip")
    points = k["predikat"].map({"Sangat Baik": 100, "Baik": 80, "Butuh Perbaikan": 60, "Kurang": 40,
                                "Sangat Kurang": 20})
    assert points.corr(k["jpm"]) > 0.1     # performance and potential go together, loosely


def test_planted_high_potential_minority(big):
    share = big.hipo.mean()
    assert 0.02 < share < 0.08


def test_deterministic_for_a_seed():
    a, b = demo.generate(800, 3), demo.generate(800, 3)
    pd.testing.assert_frame_equal(a.employees, b.employees)
    pd.testing.assert_frame_equal(a.asesmen, b.asesmen)
    for f in ("riwayat", "hukuman", "diklat", "formasi"):
        pd.testing.assert_frame_equal(getattr(a, f), getattr(b, f))
    c = demo.generate(800, 4)
    assert not a.employees["nip"].equals(c.employees["nip"])


def test_files_are_byte_identical_for_a_seed(tmp_path):
    d = demo.generate(300, 5)
    p1 = demo.write_files(d, tmp_path / "a")
    p2 = demo.write_files(d, tmp_path / "b")
    assert [p.name for p in p1] == ["siasn_pegawai.csv", "ekinerja_skp_2023.xlsx", "ekinerja_skp_2024.xlsx",
                                    "ekinerja_skp_2025.xlsx", "hasil_asesmen.xlsx", "siasn_riwayat_jabatan.csv",
                                    "rekap_hukuman_disiplin.xlsx", "siasn_riwayat_diklat.csv", "formasi_jabatan.xlsx"]
    for x, y in zip(p1, p2):
        assert x.read_bytes() == y.read_bytes(), x.name


def _years(a, b) -> float:
    return (pd.Timestamp(b) - pd.Timestamp(a)).days / 365.25


def test_every_struktural_holder_has_a_riwayat_that_adds_up_to_the_master(big):
    e = big.employees.set_index("nip")
    holders = e[e["jenis_jabatan"] == "Struktural"]
    r = big.riwayat.sort_values(["nip", "tmt_mulai"])
    assert set(r["nip"]) == set(holders.index)
    current = r[r["tmt_selesai"].isna()].set_index("nip")
    assert current.index.is_unique and len(current) == len(holders)
    c = current.loc[holders.index]
    assert (c["jabatan"] == holders["jabatan"]).all() and (c["opd"] == holders["opd"]).all()
    assert (c["tmt_mulai"] == pd.to_datetime(holders["tmt_jabatan"])).all() and (c["eselon"] == holders["eselon"]).all()
    first = r.groupby("nip")["tmt_mulai"].min()
    assert (first >= pd.to_datetime(e.loc[first.index, "tmt_cpns"])).all()
    nxt = r.groupby("nip")["tmt_mulai"].shift(-1)
    ended = r["tmt_selesai"].notna()
    assert (r.loc[ended, "tmt_selesai"] < nxt[ended]).all()                   # no overlaps, no gaps left open
    assert (r.loc[ended, "tmt_selesai"] >= r.loc[ended, "tmt_mulai"]).all()
    # the career climbs: an administrator was a pengawas before, a JPT an administrator
    level = r["eselon"].str[:1]
    for lv, below in (("3", "4"), ("2", "3")):
        climbed = set(r.loc[level == below, "nip"])
        now = set(holders.index[holders["eselon"].str[:1] == lv])
        assert len(now & climbed) >= 0.9 * len(now), lv


def test_formasi_lists_every_post_with_its_holder_a_few_vacant_and_critical(big):
    e, f = big.employees, big.formasi
    holders = e[e["jenis_jabatan"] == "Struktural"]
    assert not f.duplicated(["instansi", "opd", "jabatan"]).any()
    assert set(f["pemangku_nip"].dropna()) == set(holders["nip"]) and f["pemangku_nip"].dropna().is_unique
    vacant = f["pemangku_nip"].isna().sum()
    assert 1 <= vacant <= 10 and 1 <= f["kritikal"].sum() < 0.2 * len(f)


def test_succession_targets_and_candidates_vary(big):
    e = big.employees
    age = (pd.Timestamp(demo.REF_DATE) - pd.to_datetime(e["tanggal_lahir"])).dt.days / 365.25
    lv = e["eselon"].str[:1]
    near_bup = ((lv.isin(["3", "4"]) & (age >= 56)) | ((lv == "2") & (age >= 58))).sum()
    assert near_bup >= 5                                                        # posts that will be free soon
    pengawas = e[lv == "4"]
    in_post = pengawas["tmt_jabatan"].map(lambda d: _years(d, demo.REF_DATE))
    assert (in_post < 3).sum() > 10 and (in_post >= 3).sum() > 10              # experience both sides of 3 years
    assert set(pengawas["pendidikan"]) >= {"D3", "S1"}                         # education both sides of S-1
    h = big.hukuman
    assert set(h["tingkat"]) == {"ringan", "sedang", "berat"}
    recent = h["tmt_selesai"].map(lambda d: _years(d, demo.REF_DATE)) < 1
    assert recent.any() and (~recent).any()
    assert set(h["nip"]) & set(e.loc[lv != "", "nip"])                           # some among struktural
    d = big.diklat
    assert {"PKP", "PKA", "PKN II", "Teknis"} <= set(d["jenis_diklat"])
    assert not d.duplicated(["nip", "nama_diklat", "tahun"]).any()
    assert (pd.to_datetime(e["tmt_golongan"]) <= pd.Timestamp(demo.REF_DATE)).all()
