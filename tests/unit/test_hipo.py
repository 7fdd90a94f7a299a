"""The high-potential model on synthetic populations with planted profiles, noise, and permutations."""
import numpy as np
import pandas as pd
import pytest

from talenta import hipo, rules
from talenta.errors import UsageError


def planted(n=3000, share=0.06, seed=0, gap=2.6):
    """A population where ``share`` of employees have a genuinely high profile on every feature."""
    rng = np.random.default_rng(seed)
    is_hipo = rng.random(n) < share
    base = rng.normal(0, 1, n)
    def col(mean, sd, lo, hi):
        v = mean + sd * (0.6 * base + 0.8 * rng.normal(0, 1, n) + np.where(is_hipo, gap, 0))
        return np.clip(v, lo, hi)
    df = pd.DataFrame({
        "nip": [f"19800101200501{1 + i % 2}{i % 999 + 1:03d}"[:14] + f"{i:04d}" for i in range(n)],
        "nama": [f"Pegawai {i}" for i in range(n)], "opd": "Dinas Uji", "jabatan": "Analis",
        "kotak": pd.array(rng.integers(1, 10, n), dtype="Int64"),
        "skor_kinerja": np.round(col(80, 7, 20, 100) / 10) * 10,
        "jpm": col(78, 6, 40, 130), "nilai_potensi": col(72, 6, 30, 100),
        "nilai_manajerial": col(73, 6, 30, 100), "nilai_sosial_kultural": col(76, 5, 30, 100),
        "nilai_teknis": col(75, 6, 30, 100), "tren_kinerja": rng.choice([-20.0, 0.0, 20.0], n),
        "jpm_raw": np.nan,
    })
    return df, is_hipo


PARAMS = hipo.HipoParams(random_state=7, bootstrap=8, k_max=5)


def test_planted_profiles_are_found():
    df, truth = planted()
    r = hipo.fit(df, PARAMS)
    flags = r.table["hipo"].to_numpy()
    recall = (flags & truth).sum() / truth.sum()
    precision = (flags & truth).sum() / flags.sum()
    assert recall >= 0.9 and precision >= 0.8, (recall, precision, r.k)
    assert r.profiles.loc[r.profiles["hipo"], "jpm"].min() > r.profiles.loc[~r.profiles["hipo"], "jpm"].max()


def test_same_seed_same_flags_and_row_order_does_not_matter():
    df, _ = planted(seed=1)
    a = hipo.fit(df, PARAMS).table.set_index("nip")
    b = hipo.fit(df, PARAMS).table.set_index("nip")
    assert (a["hipo"] == b["hipo"]).all() and (a["confidence"] == b["confidence"]).all()
    shuffled = df.sample(frac=1, random_state=3).reset_index(drop=True)
    c = hipo.fit(shuffled, PARAMS).table.set_index("nip").loc[a.index]
    agree = (a["hipo"] == c["hipo"]).mean()
    assert agree >= 0.99                          # labels permute; the flags stay


def test_cluster_numbers_do_not_depend_on_mixture_labels():
    df, truth = planted(seed=2)
    r = hipo.fit(df, PARAMS)
    assert r.hipo_clusters == [1]                 # the strongest centroid is always cluster 1
    assert r.profiles["pegawai"].sum() == len(df)


def test_stability_high_when_separated_low_on_noise():
    df, _ = planted(seed=4, gap=3.0)
    sep = hipo.fit(df, PARAMS)
    rng = np.random.default_rng(5)
    noise = df.copy()
    for c in hipo.DEFAULT_FEATURES:
        noise[c] = rng.normal(70, 8, len(noise))
    noisy = hipo.fit(noise, PARAMS)
    assert sep.ari_mean > 0.8
    assert noisy.ari_mean < sep.ari_mean - 0.2
    flagged_sep = sep.table.loc[sep.table["hipo"], "stability"].mean()
    flagged_noise = noisy.table.loc[noisy.table["hipo"], "stability"].mean()
    assert flagged_sep > 0.9 and flagged_noise < flagged_sep


def test_reasons_name_features_values_and_percentiles():
    df, truth = planted(seed=6)
    r = hipo.fit(df, PARAMS)
    text = r.table.loc[r.table["status"] == hipo.STATUS_HIPO, "alasan"].iloc[0]
    assert "% rekan" in text and len(text.split("; ")) == 3
    assert any(name in text for name in ("JPM", "manajerial", "potensi", "teknis", "sosial kultural", "kinerja"))


def test_an_unflagged_employee_with_missing_components_says_so_before_what_stands_out():
    """Five new employees with JPM and potensi but no manajerial, sosial kultural or teknis read "potensi 92, di atas
    96 % rekan" beside "tidak ditandai" (review 10): the reason now says the data is incomplete first."""
    df, truth = planted(seed=6)
    gaps = df.index[~truth][:5]
    df.loc[gaps, ["nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis"]] = np.nan
    t = hipo.fit(df, PARAMS).table
    lead = "tidak ditandai; data belum lengkap: "
    for i in gaps:
        row = t.loc[t["nip"] == df.loc[i, "nip"]].iloc[0]
        if not row["hipo"]:
            assert row["alasan"].startswith(lead) and "kosong (dihitung sebagai nilai tengah). Ciri: " in row["alasan"]
            assert all(hipo.FEATURES[c] in row["alasan"].split(". Ciri: ")[0]
                       for c in ("nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis"))
    assert (~t.loc[t["nip"].isin(df.loc[gaps, "nip"]), "hipo"]).sum() >= 3
    complete = t[~t["nip"].isin(df.loc[gaps, "nip"])]
    assert not complete["alasan"].str.startswith(lead).any()       # complete rows keep their reasons as they were


def test_a_flag_in_the_lowest_boxes_is_perlu_verifikasi_with_its_reason_never_a_plain_flag():
    df, truth = planted(seed=6)        # boxes are drawn at random: some planted profiles sit in boxes 1-3
    r = hipo.fit(df, PARAMS)
    t = r.table
    low = t["hipo"] & t["kotak"].isin(rules.VERIFY_BOXES)
    assert low.sum() > 0
    assert (t.loc[low, "status"] == "perlu verifikasi").all()
    assert (t.loc[t["hipo"] & ~low, "status"] == "potensi tinggi").all()
    assert (t.loc[~t["hipo"], "status"] == "tidak ditandai").all()
    for box, text in zip(t.loc[low, "kotak"], t.loc[low, "alasan"]):
        assert text.startswith(f"perlu verifikasi: berada di kotak {box} (") and "% rekan" in text
    v = hipo.view(r, 10)
    assert v.n_flag_verify == low.sum()
    # the cluster sizes reconcile with the flags, and the page says so in one sentence
    assert v.n_member == t["cluster"].isin(r.hipo_clusters).sum()
    assert v.n_member - v.n_member_unflagged == (t["hipo"] & t["cluster"].isin(r.hipo_clusters)).sum()
    sentence = hipo.reconcile(v, PARAMS.flag_threshold)
    assert f"beranggotakan {v.n_member} pegawai; {v.n_hipo} ditandai" in sentence
    assert f"{v.n_member_unflagged} anggota lainnya" in sentence and "minimal 80 %" in sentence


def test_bad_parameters_named():
    with pytest.raises(UsageError, match="Fitur tidak dikenal"):
        hipo.HipoParams(features=("gaji",))
    with pytest.raises(UsageError, match="Rentang"):
        hipo.HipoParams(k_min=5, k_max=2)
    df, _ = planted(n=40)
    with pytest.raises(UsageError, match="minimal"):
        hipo.fit(df, PARAMS)


def test_crosstab_and_lists():
    df, _ = planted(seed=8)
    t = hipo.fit(df, PARAMS).table
    ct = hipo.crosstab(t)
    assert ct.to_numpy().sum() == len(t) and list(ct.columns) == list(range(10))
    hidden, verify = hipo.hidden_talent(t), hipo.to_verify(t)
    assert hidden["hipo"].all() and not hidden["kotak"].isin([7, 8, 9]).any()
    assert (~verify["hipo"]).all() and verify["kotak"].isin([7, 8, 9]).all()


def test_at_scale_stability_is_computed_where_it_is_read():
    """Beyond twice the fitting sample, bootstrap refits score the flagged, boxes 7-9 and the sample only."""
    from dataclasses import replace

    df, truth = planted(n=4000, seed=4)
    small = replace(PARAMS, fit_sample=1000)
    r = hipo.fit(df, small).table
    krs = r["kotak"].astype(float) >= 7
    assert r.loc[r["hipo"] | krs, "stability"].notna().all()
    missing = r["stability"].isna()
    assert missing.any() and not (missing & (r["hipo"] | krs)).any()
    assert r["perlu_kajian"].sum() == (r["hipo"] & (r["stability"] < small.stability_threshold)).sum()
    # the flags themselves do not depend on where stability is computed
    full = hipo.fit(df, replace(small, fit_sample=2000)).table
    assert r["hipo"].sum() > 0 and full["stability"].notna().all()


def test_the_page_view_is_small_ranked_and_counts_everyone():
    df, _ = planted(n=3000, seed=8)
    r = hipo.fit(df, PARAMS)
    t = r.table
    v = hipo.view(r, limit=5)
    assert (v.n, v.n_hipo, v.n_review) == (len(t), int(t["hipo"].sum()), int(t["perlu_kajian"].sum()))
    assert v.n_hipo > 5 and len(v.flagged) == 5 and v.flagged["hipo"].all()
    # the five most confident flags (ties in NIP order), the same order the downloads use
    expected = t[t["hipo"]].sort_values(["confidence", "nip"], ascending=[False, True]).head(5)
    assert list(v.flagged["nip"]) == list(expected["nip"])
    assert v.n_hidden == len(hipo.hidden_talent(t)) and v.n_verify == len(hipo.to_verify(t))
    assert len(v.hidden) == min(5, v.n_hidden) and len(v.verify) == min(5, v.n_verify)
    assert list(v.verify["confidence"]) == sorted(v.verify["confidence"], reverse=True)
    assert v.crosstab.to_numpy().sum() == len(t)
    assert hipo.is_flagged(r, v.flagged["nip"].iloc[0])
    assert not hipo.is_flagged(r, t.loc[~t["hipo"], "nip"].iloc[0]) and not hipo.is_flagged(r, "bukan-nip")


def test_model_results_are_the_same_with_the_refits_side_by_side_or_one_by_one(monkeypatch):
    df, _ = planted(n=2000, seed=5)
    parallel = hipo.fit(df, PARAMS)
    monkeypatch.setattr(hipo, "WORKERS", 1)
    serial = hipo.fit(df, PARAMS)
    assert parallel.ari == serial.ari
    pd.testing.assert_frame_equal(parallel.table, serial.table)


def test_masked_lists_carry_the_status_and_never_count_a_hidden_perlu_verifikasi():
    from talenta import privacy
    from talenta.scope import Scope

    df, _ = planted(seed=6)
    r = hipo.fit(df, PARAMS)
    t = r.table
    flags = t.index[t["hipo"]]
    # exactly two flags in box 1 (perlu verifikasi), every other flag in box 9
    t.loc[flags, "kotak"] = 9
    t.loc[flags[:2], "kotak"] = 1
    t["status"] = np.where(t["hipo"], "potensi tinggi", "tidak ditandai")
    t.loc[flags[:2], "status"] = "perlu verifikasi"
    box = t["kotak"].astype(int)
    raw = {"pegawai": len(t), "terpetakan": len(t), "belum_terpetakan": 0,
           **{f"kotak_{b}": int((box == b).sum()) for b in range(1, 10)},
           "krs": int(box.isin(rules.KRS_BOXES).sum()), **{k: 0 for k in privacy.REASONS}}
    scope = Scope().masked(5)
    v = hipo.view(r, 10, scope, raw)
    assert privacy.hidden(v.n_flag_verify) and not v.status_shown
    assert v.flagged.empty and v.hidden.empty and privacy.hidden(v.list_count(v.n_hipo))
    assert hipo.listed(r, lambda x: x[x["hipo"]], v.list_count(v.n_hipo), scope).empty
    # with enough of them the count is shown, and a masked list keeps each flag's status
    t.loc[flags[:6], ["kotak", "status"]] = [1, "perlu verifikasi"]
    box = t["kotak"].astype(int)
    raw.update({f"kotak_{b}": int((box == b).sum()) for b in range(1, 10)})
    raw["krs"] = int(box.isin(rules.KRS_BOXES).sum())
    v = hipo.view(r, 10, scope, raw)
    assert v.n_flag_verify == 6 and v.status_shown and len(v.flagged)
    shown = hipo.people(v.flagged, pd.DataFrame(columns=["nip", "keputusan"]), scope)
    assert "status" in shown and "kotak" not in shown
    assert set(shown["status"]) <= {"potensi tinggi", "perlu verifikasi"}
