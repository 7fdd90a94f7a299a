"""Potensi Tinggi: clustering that suggests high-potential employees and explains every suggestion.

Method (evidence in docs/hipo.md): features of the period (kinerja score and trend, JPM and the
competency scores) are median-imputed and standardised in a scikit-learn ``Pipeline``; a
``GaussianMixture`` (full covariance) with the number of components chosen by BIC is fitted on at most
``fit_sample`` employees and applied to all. The high-potential component(s) are found from the
centroids: the component whose centroid is highest on average over the features, plus any other
whose centroid averages at least ``min_centroid_z`` standard deviations above the population. An
employee is flagged when the posterior probability of those components (the confidence) is at least
``flag_threshold`` (0.8: a short list of confident suggestions; every posterior is shown). Bootstrap refits give the adjusted Rand index and, per employee, how
often they were flagged; flags below ``stability_threshold`` are marked "perlu kajian".

The model is always fitted on the whole assessed population of the instansi for the period
(``fit_instansi``, ``fit_population``). The write path stores the model of the latest period under the active
rule set (``build_latest``, run by ``derived.refresh``; sql/014) and ``fit_population`` reads it when its key
(instansi, period, data version, rule values, parameters) matches, else fits live (reads never write); the sidebar's OPD, jenis jabatan and jenis ASN filters and an
account's OPD limit only choose which of its rows are listed and counted (``restrict``), so no filter
changes anyone's flag or confidence. A flag on an employee in ``rules.VERIFY_BOXES`` (boxes 1-3) is
shown as "perlu verifikasi" with its reason, never as a plain high-potential flag (``status``).

Flags are suggestions only (UU 27/2022 Pasal 10): the Komite Talenta decides, and ``record_decision``
keeps who decided what and when.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.impute import SimpleImputer
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from . import fmt, population, privacy, rules, store
from .errors import UsageError
from .rules import RuleSet
from .hipo_params import DEFAULT_FEATURES, FEATURES, HipoParams  # noqa: F401  (part of this module's API)
from .scope import FILTER_COLUMNS, Filters, Scope, employee_where

ARROW_TEXT = {pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}   # text kept in Arrow: no Python object per row
WORKERS = os.cpu_count() or 1     # bootstrap refits run side by side
DECISIONS = ("diusulkan", "disetujui", "ditolak", "perlu kajian")
# what the model says of a person (column ``status``): a flag in rules.VERIFY_BOXES is never a plain flag
STATUS_HIPO, STATUS_VERIFY, STATUS_NONE = "potensi tinggi", "perlu verifikasi", "tidak ditandai"


@dataclass
class HipoResult:
    table: pd.DataFrame              # one row per assessed employee in scope (see COLUMNS)
    profiles: pd.DataFrame           # per cluster: size, share, hipo, mean of each feature (original units)
    k: int
    bic: dict[int, float]
    ari_mean: float | None
    ari: list[float] = field(default_factory=list)
    hipo_clusters: list[int] = field(default_factory=list)
    n_fit: int | None = 0            # employees the mixture was fitted on (None when outside the viewer's scope)
    features_used: list[str] = field(default_factory=list)
    n_population: int | None = None  # assessed employees of the fitted population (None when outside the scope)


COLUMNS = ["nip", "nama", "opd", "kotak", "cluster", "hipo", "confidence", "stability", "alasan", "keputusan"]
# the columns of a download or a ``hipo`` CLI file (columns are only ever added at the end)
FILE_COLUMNS = [*COLUMNS, "perlu_kajian", "status"]

_FEATURE_SQL = """
SELECT f.nip, f.nama, f.instansi, f.opd, f.jenis_jabatan, f.jenis_asn, f.jabatan, f.kotak, f.skor_kinerja, f.jpm AS jpm_raw,
       a.jpm, a.nilai_potensi, a.nilai_manajerial, a.nilai_sosial_kultural, a.nilai_teknis,
       kt.p AS poin_t, kp.p AS poin_t1
FROM final f
JOIN assessment a ON a.nip = f.nip AND a.tahun = f.tahun_asesmen
LEFT JOIN (SELECT nip, coalesce(list_extract($pts, list_position($pred, predikat)), nilai_kinerja) AS p
           FROM performance WHERE tahun = $t) kt ON kt.nip = f.nip
LEFT JOIN (SELECT nip, coalesce(list_extract($pts, list_position($pred, predikat)), nilai_kinerja) AS p
           FROM performance WHERE tahun = $t - 1) kp ON kp.nip = f.nip
ORDER BY f.nip
"""


def features(con, scope: Scope, filters: Filters, rs: RuleSet) -> pd.DataFrame:
    """One row per employee in scope with a valid assessment for ``filters.period``, with the model's features."""
    df = population.query(con, scope, filters, rs, _FEATURE_SQL)
    df["tren_kinerja"] = df["poin_t"] - df["poin_t1"]
    df["kotak"] = df["kotak"].astype("Int64")
    return df.drop(columns=["poin_t", "poin_t1"])


class Dequantize(TransformerMixin, BaseEstimator):
    """Spread columns with few distinct values (kinerja: 20, 30 ... 100) uniformly within half a step.

    A mixture model otherwise spends components on the discrete levels (narrow spikes with a tiny
    variance), which BIC rewards, instead of on the talent profiles. The order of values is kept; the
    noise is seeded, so results are reproducible.
    """

    def __init__(self, max_levels: int = 25, random_state: int = 0):
        self.max_levels = max_levels
        self.random_state = random_state

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=float)
        self.width_ = np.zeros(X.shape[1])
        for j in range(X.shape[1]):
            levels = np.unique(X[~np.isnan(X[:, j]), j])
            if 1 < len(levels) <= self.max_levels:
                self.width_[j] = float(np.median(np.diff(levels)))
        return self

    def transform(self, X):
        X = np.array(X, dtype=float)
        rng = np.random.default_rng(self.random_state)
        noise = rng.uniform(-0.5, 0.5, X.shape) * self.width_
        return X + noise


def _pipeline(k: int, p: HipoParams, seed: int, n_init: int = 2) -> Pipeline:
    return Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("dequantize", Dequantize(random_state=p.random_state)),
        ("scale", StandardScaler()),
        ("model", GaussianMixture(n_components=k, covariance_type="full", reg_covar=p.reg_covar, n_init=n_init,
                                  random_state=seed)),
    ])


def _hipo_components(pipe: Pipeline, p: HipoParams) -> list[int]:
    means = pipe.named_steps["model"].means_.mean(axis=1)    # standardised units, averaged over features
    top = int(np.argmax(means))
    return sorted({top, *[int(i) for i in np.flatnonzero(means >= p.min_centroid_z)]})


def _flag(pipe: Pipeline, X: pd.DataFrame, comps: list[int], threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    proba = pipe.predict_proba(X)
    conf = proba[:, comps].sum(axis=1)
    return proba.argmax(axis=1), conf >= threshold, conf


class TooFewAssessed(UsageError):
    """Too few employees with a valid assessment to fit the model. The count is the whole instansi's; a reader
    under a small-group threshold reads it as every other count (``for_scope``: "Kurang dari 5 ..." when small)."""

    def __init__(self, n: int, needed: int, threshold: int = 0):
        self.n, self.needed = n, needed
        count = f"Kurang dari {threshold}" if privacy.small(n, threshold) else f"Hanya {n}"
        super().__init__(f"{count} pegawai dengan asesmen yang berlaku; butuh minimal {needed} untuk pengelompokan "
                         "yang bermakna.")

    def for_scope(self, scope: Scope) -> "TooFewAssessed":
        return TooFewAssessed(self.n, self.needed, privacy.threshold(scope))


def fit(df: pd.DataFrame, params: HipoParams) -> HipoResult:
    """Fit the model on the feature table ``df`` and flag, explain and check the stability of each row."""
    cols = [c for c in params.features if df[c].notna().any()]
    n = len(df)
    if n < max(50, params.k_max * 10):
        raise TooFewAssessed(n, max(50, params.k_max * 10))
    X = df[cols].to_numpy(dtype=float, na_value=np.nan)
    rng = np.random.default_rng(params.random_state)
    fit_idx = np.sort(rng.choice(n, size=min(n, params.fit_sample), replace=False))
    Xf = X[fit_idx]
    bic = {}
    fitted = {}
    # one BLAS thread: the matrices are 6 x 6, and OpenBLAS's threads made every EM step 3-4 times slower
    # whenever the other core was busy (measured; the bootstrap below uses the cores instead). The limit is
    # process-wide: two sessions fitting at once may leave it at one thread, which suits this app (no other
    # BLAS work)
    with threadpool_limits(limits=1, user_api="blas"):
        for k in range(params.k_min, params.k_max + 1):
            pipe = _pipeline(k, params, params.random_state).fit(Xf)
            Z = pipe[:-1].transform(Xf)
            bic[k] = float(pipe.named_steps["model"].bic(Z))
            fitted[k] = pipe
        k = min(bic, key=bic.get)
        pipe = fitted[k]
        comps = _hipo_components(pipe, params)
        labels, flags, conf = _flag(pipe, X, comps, params.flag_threshold)
        # stability: refit on bootstrap resamples of the fitting rows, identify the hipo component(s) again.
        # Each refit is applied to the rows whose stability someone reads (the flagged, boxes 7-9) and to the
        # fitting sample (for the ARI); below twice the sample size that is everyone. At national size this
        # keeps 20 refits from re-scoring millions of unflagged rows 20 times (docs/hipo.md).
        if n > 2 * params.fit_sample:
            krs = df["kotak"].isin(rules.KRS_BOXES).to_numpy(dtype=bool) if "kotak" in df else np.zeros(n, bool)
            mask = flags | krs
            mask[fit_idx] = True
            eval_idx = np.flatnonzero(mask)
        else:
            eval_idx = np.arange(n)
        Xe = X[eval_idx]
        samples = [rng.choice(fit_idx, size=len(fit_idx), replace=True) for _ in range(params.bootstrap)]

        def refit(b: int) -> tuple[np.ndarray, float]:
            bp = _pipeline(k, params, params.random_state + 1 + b, n_init=1).fit(X[samples[b]])
            b_labels, b_flags, _ = _flag(bp, Xe, _hipo_components(bp, params), params.flag_threshold)
            return b_flags, float(adjusted_rand_score(labels[eval_idx], b_labels))

        # refits are independent (each has its own seed and resample): run them on the cores, sum in order
        with ThreadPoolExecutor(max_workers=max(1, min(WORKERS, params.bootstrap))) as pool:
            outcomes = list(pool.map(refit, range(params.bootstrap)))
    counts = np.sum([f for f, _ in outcomes], axis=0) if outcomes else np.zeros(len(eval_idx))
    ari = [a for _, a in outcomes]
    stability = np.full(n, np.nan)
    stability[eval_idx] = counts / params.bootstrap if params.bootstrap else 1.0
    # cluster numbers for people: 1..k ordered from the strongest centroid down (stable across runs)
    order = np.argsort(-pipe.named_steps["model"].means_.mean(axis=1))
    rank = {int(c): i + 1 for i, c in enumerate(order)}
    out = df.copy()
    lut = np.empty(k, dtype=np.int64)
    lut[order] = np.arange(1, k + 1)
    out["cluster"] = lut[labels]
    out["hipo"] = flags
    out["confidence"] = np.round(conf, 3)
    out["stability"] = np.round(stability, 3)
    out["perlu_kajian"] = out["hipo"] & (out["stability"] < params.stability_threshold)
    out["alasan"] = pd.Series(_reasons_arrow(df, cols).to_pandas(types_mapper=ARROW_TEXT.get), index=out.index)
    _mark_verify(out)
    _mark_incomplete(out, df, cols)
    hipo_clusters = sorted(rank[int(c)] for c in comps)
    return HipoResult(out, _profiles(out, cols, hipo_clusters), k, bic, float(np.mean(ari)) if ari else None, ari,
                      hipo_clusters, len(fit_idx), cols, n)


def verify_reason(kotak: int) -> str:
    """Why a flag in ``rules.VERIFY_BOXES`` needs checking, in plain Indonesian."""
    return (f"perlu verifikasi: berada di kotak {kotak} ({rules.BOX[kotak].short.lower()}) padahal profil "
            "asesmennya mirip kelompok potensi tinggi, periksa data kinerja dan asesmennya sebelum diusulkan")


def _mark_verify(out: pd.DataFrame) -> None:
    """``status`` per row; a flag in ``rules.VERIFY_BOXES`` reads "perlu verifikasi" and its reason leads ``alasan``."""
    box = out["kotak"].fillna(0).astype(int).to_numpy() if "kotak" in out else np.zeros(len(out), int)
    flags = out["hipo"].to_numpy(dtype=bool)
    verify = flags & np.isin(box, rules.VERIFY_BOXES)
    out["status"] = np.where(verify, STATUS_VERIFY, np.where(flags, STATUS_HIPO, STATUS_NONE))
    if verify.any():
        idx = out.index[verify]
        out.loc[idx, "alasan"] = [verify_reason(int(b)) + ". Profil: " + str(a)
                                  for b, a in zip(box[verify], out.loc[idx, "alasan"])]


def _mark_incomplete(out: pd.DataFrame, df: pd.DataFrame, cols: list[str]) -> None:
    """An employee not flagged with components missing: ``alasan`` first says so. Their reason listed only what
    stands out ("potensi 92, di atas 96 % rekan") beside "tidak ditandai", and a committee member took it for the
    flag's reason (review 10); a missing component counts as the median in the model."""
    missing = df[cols].isna().to_numpy()
    rows = ~out["hipo"].to_numpy(dtype=bool) & missing.any(axis=1)
    if not rows.any():
        return
    # one lead per pattern of missing components (a bit per column), joined in Arrow: millions of rows at scale
    code = missing[rows].astype(np.int64) @ (1 << np.arange(len(cols), dtype=np.int64))
    uniq, inverse = np.unique(code, return_inverse=True)
    leads = pa.array(["tidak ditandai; data belum lengkap: " + ", ".join(FEATURES[c] for j, c in enumerate(cols)
                                                                         if u >> j & 1)
                      + " kosong (dihitung sebagai nilai tengah)" for u in uniq.tolist()], pa.string())
    lead = leads.take(pa.array(inverse.ravel()))
    reason = pa.array(out.loc[rows, "alasan"].astype(object), pa.string())
    has = pc.fill_null(pc.greater(pc.utf8_length(reason), 0), False)
    joined = pc.if_else(has, pc.binary_join_element_wise(lead, pc.fill_null(reason, ""), ". Ciri: "), lead)
    out.loc[rows, "alasan"] = pd.Series(joined.to_pandas(types_mapper=ARROW_TEXT.get).to_numpy(),
                                        index=out.index[rows])


def _profiles(table: pd.DataFrame, cols: list[str], hipo_clusters: list[int]) -> pd.DataFrame:
    """Per cluster of ``table``: pegawai, persen (of the table), hipo, and the mean of each feature."""
    profiles = table.groupby("cluster")[cols].mean().round(2)
    profiles.insert(0, "pegawai", table.groupby("cluster").size())
    profiles.insert(1, "persen", profiles["pegawai"] / max(len(table), 1))
    profiles.insert(2, "hipo", profiles.index.isin(hipo_clusters))
    return profiles.reset_index()


# --- the fitted population: the whole instansi -------------------------------------------------------

def fit_instansi(con, scope: Scope, filters: Filters) -> tuple[str, ...] | None:
    """The instansi whose whole assessed population the model is fitted on for ``scope`` and ``filters``.

    The instansi filter if one is chosen, within the account's instansi, and for an account limited to
    some OPD the instansi those OPD belong to. ``None`` means every instansi in the database (one model
    for all, as at national level). The OPD, jenis jabatan and jenis ASN filters never change it.
    """
    chosen = set(filters.instansi) if filters.instansi else None
    if scope.instansi is not None:
        chosen = set(scope.instansi) if chosen is None else chosen & set(scope.instansi)
    if scope.opd is not None:
        rows = population.groups(con, scope)      # the stored combinations, else a scan of the master
        if rows is None:
            where, params = scope.where("e")
            rows = store.query_df(con, "SELECT DISTINCT instansi FROM employee e WHERE " + where, params)
        of_opd = set(rows["instansi"].dropna())
        chosen = of_opd if chosen is None else chosen & of_opd
    return None if chosen is None else tuple(sorted(chosen))


def fit_population(con, instansi: tuple[str, ...] | None, period: int, rs: RuleSet, params: HipoParams) -> HipoResult:
    """The model fitted on every assessed employee of ``instansi`` (``None``: every instansi) for ``period``.

    The stored fit (``stored``) when the write path has built this key, else fitted here (``fit_live``).
    Callers cache it per (instansi, period, rule set, parameters, ``population.data_version``): it never
    depends on who looks or on the sidebar filters. Read it through ``restrict``.
    """
    got = stored(con, instansi, period, rs, params)
    return got if got is not None else fit_live(con, instansi, period, rs, params)


def fit_live(con, instansi: tuple[str, ...] | None, period: int, rs: RuleSet, params: HipoParams) -> HipoResult:
    """``fit_population`` computed now, whatever is stored."""
    whole = Scope(instansi=frozenset(instansi) if instansi is not None else None)
    return fit(features(con, whole, Filters(period=period), rs), params)


# --- the stored model (sql/014): fitted by the write path, read by everyone ----------------------------
# A build is one (period, data version, rule values, parameters); a key is one fitted instansi of a build.
# The rows of the RESULT_BUILDS_KEPT most recent builds are kept (a new import or rule set makes a new build).
RESULT_BUILDS_KEPT = 2
RESULT_COLUMNS = ("nip", "nama", "instansi", "opd", "jenis_jabatan", "jenis_asn", "jabatan", "kotak", "skor_kinerja",
                  "jpm_raw", "jpm", "nilai_potensi", "nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis",
                  "tren_kinerja", "cluster", "hipo", "confidence", "stability", "perlu_kajian", "alasan", "status")
_RESULT_SELECT = "SELECT " + ", ".join(RESULT_COLUMNS) + " FROM hipo_result WHERE result_key = $k ORDER BY nip"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def params_json(params: HipoParams) -> str:
    return json.dumps(asdict(params), sort_keys=True)


def _instansi_json(instansi: tuple[str, ...] | None) -> str:
    return json.dumps(None if instansi is None else sorted(instansi))


def result_build(period: int, version: str, rs: RuleSet, params: HipoParams) -> str:
    """The build id of (period, data version, rule values, parameters)."""
    return _sha("|".join((str(period), version, _sha(rs.to_json()), params_json(params))))[:24]


def result_key(build: str, instansi: tuple[str, ...] | None) -> str:
    return _sha(build + "|" + _instansi_json(instansi))[:24]


def stored(con, instansi: tuple[str, ...] | None, period: int, rs: RuleSet, params: HipoParams) -> HipoResult | None:
    """The stored fit of ``fit_population``'s arguments on the current data, or None (nothing stored: fit live).

    Only reads. A key fitted on every instansi also answers for an ``instansi`` that is every instansi it
    holds (a database of one instansi: the same population, the same rows).
    """
    found = stored_key(con, instansi, period, rs, params)
    if found is None:
        return None
    key, m = found
    table = _typed(store.query_df(con, _RESULT_SELECT, {"k": key}))
    cols, clusters = m["features_used"], m["hipo_clusters"]
    return HipoResult(table, _profiles(table, cols, clusters), m["k"], m["bic"], m["ari_mean"], m["ari"], clusters,
                      m["n_fit"], cols, m["n_population"])


def stored_key(con, instansi: tuple[str, ...] | None, period: int, rs: RuleSet,
               params: HipoParams) -> tuple[str, dict] | None:
    """The stored key answering ``fit_population``'s arguments on the current data and the model's figures
    (k, bic, ari, hipo_clusters, n_fit, features_used, n_population), or None. One small read."""
    build = result_build(period, population.data_version(con), rs, params)
    row = store.query_one(con, """
        SELECT result_key, model FROM hipo_result_key
        WHERE build = $b AND (instansi = $i OR (instansi = 'null' AND covers = $i))
        ORDER BY instansi = $i DESC LIMIT 1""", {"b": build, "i": _instansi_json(instansi)})
    if row is None:
        return None
    m = json.loads(row[1])
    m["bic"] = {int(k): v for k, v in m["bic"].items()}
    return row[0], m


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """Stored rows with the dtypes ``fit`` gives them."""
    table["kotak"] = table["kotak"].astype("Int64")
    table["cluster"] = table["cluster"].astype("int64")
    return table


def _stored_where(scope: Scope, filters: Filters) -> tuple[str, dict]:
    """``restrict`` in SQL over hipo_result: the rows ``scope`` and ``filters`` select."""
    limits = [("opd", scope.opd), ("instansi", scope.instansi),
              *((c, getattr(filters, c) or None) for c in FILTER_COLUMNS)]
    where, params = "result_key = $k", {}
    for i, (col, values) in enumerate(limits):      # col: a fixed column name from the list above
        if values is not None:
            where += " AND list_contains($lim" + str(i) + ", " + col + ")"
            params["lim" + str(i)] = sorted(values)
    return where, params


# the scatter's cells when grouped (``charts.cluster_cells``): JPM rounded to 2 points, kinerja to 5, half to even
# as pandas rounds (DuckDB's round_even gives the same double for every value: tested)
CELL_JPM, CELL_KINERJA = 2, 5
# one grouped pass over the stored rows gives every count, the cross table and the scatter's cells (grouped on the
# cells, not on the raw JPM and kinerja values: 704 groups instead of 74.164 at 5,6M, a quarter less CPU)
_DIMS = "cluster, kotak, x, y, hipo, perlu_kajian, flag_verify"
_ROW_DIMS = (f"cluster, coalesce(kotak, 0) AS kotak, round_even(jpm / {CELL_JPM}, 0) * {CELL_JPM} AS x, "
             f"round_even(skor_kinerja / {CELL_KINERJA}, 0) * {CELL_KINERJA} AS y, hipo, perlu_kajian, "
             "status = $verify AS flag_verify")
_VIEW_GROUPS = ("SELECT " + _DIMS + ", count(*) AS n FROM (SELECT " + _ROW_DIMS + " FROM hipo_result WHERE {where}) "
                "GROUP BY ALL")
# The cluster means from exact sums: every value as DECIMAL(38, 10) (exact for values of up to 10 decimals), so the
# sum over any combinations is the sum over their rows, and mean = sum / count is one double whichever way the
# selected rows are added up (the rows' avg differs from it in the last bits only, by summation order).
_SUM_TYPE = "DECIMAL(38, 10)"
_ROW_MEAN = "sum({c}::" + _SUM_TYPE + ")::DOUBLE / nullif(count({c}), 0)::DOUBLE AS {c}"
_STORED_MEAN = "sum({c})::DOUBLE / nullif(sum(n_{c}), 0)::DOUBLE AS {c}"
# The write path stores both passes per combination of the filter columns, then the key's totals (whole = true,
# filter columns NULL) added up from them (sql/019), so that every view adds up a few stored rows instead of grouping
# the key's rows (0,2-0,4 s CPU at 5,6M). The combinations are stored by OPD: an OPD limit reads its row groups only.
_FILTERS = ", ".join(FILTER_COLUMNS)
_GROUPS_INSERT = (
    "INSERT INTO hipo_result_group BY NAME SELECT result_key, false AS whole, " + _FILTERS + ", " + _DIMS +
    ", count(*) AS n FROM (SELECT result_key, " + _FILTERS + ", " + _ROW_DIMS + " FROM hipo_result WHERE {where}) "
    "GROUP BY ALL ORDER BY result_key, opd")
_GROUPS_TOTAL = (
    "INSERT INTO hipo_result_group BY NAME SELECT result_key, true AS whole, " + _DIMS + ", sum(n) AS n "
    "FROM hipo_result_group WHERE {where} AND NOT whole GROUP BY ALL ORDER BY ALL")
_SUMS_INSERT = (
    "INSERT INTO hipo_result_sum BY NAME SELECT result_key, false AS whole, " + _FILTERS + ", cluster, " +
    ", ".join("sum(" + c + "::" + _SUM_TYPE + ") AS " + c + ", count(" + c + ") AS n_" + c for c in FEATURES) +
    " FROM hipo_result WHERE {where} GROUP BY ALL ORDER BY result_key, opd")
_SUMS_TOTAL = (
    "INSERT INTO hipo_result_sum BY NAME SELECT result_key, true AS whole, cluster, " +
    ", ".join("sum(" + c + ") AS " + c + ", sum(n_" + c + ") AS n_" + c for c in FEATURES) +
    " FROM hipo_result_sum WHERE {where} AND NOT whole GROUP BY ALL ORDER BY ALL")
# the write path's statements for key $k, in order (sql/019 runs the same for every key stored before it: tested)
_STORE_GROUPS = tuple(sql.replace("{where}", "result_key = $k").replace("$verify", "'" + STATUS_VERIFY + "'")
                      for sql in (_GROUPS_INSERT, _GROUPS_TOTAL, _SUMS_INSERT, _SUMS_TOTAL))
_STORED_GROUPS = "SELECT " + _DIMS + ", sum(n)::BIGINT AS n FROM hipo_result_group WHERE {where} GROUP BY ALL"


def _means_sql(cols: list[str], stored: bool) -> str:
    """The cluster means of ``cols`` (names from ``FEATURES``) over the stored sums or over the rows."""
    if not set(cols) <= set(FEATURES):
        raise ValueError(f"not features: {sorted(set(cols) - set(FEATURES))}")
    mean, table = (_STORED_MEAN, "hipo_result_sum") if stored else (_ROW_MEAN, "hipo_result")
    return ("SELECT cluster, " + ", ".join(mean.format(c=c) for c in cols) + " FROM " + table +
            " WHERE {where} GROUP BY cluster ORDER BY cluster")


# a stored row's box, or the box in force of a moved person ($mv_nip, $mv_box: ``moved``); 0 for none
_KOTAK_IN_FORCE = ("coalesce(CASE WHEN list_contains($mv_nip, nip) THEN list_extract($mv_box, list_position($mv_nip, "
                   "nip)) ELSE kotak END, 0)")
# the page's three lists (``ranked`` heads, at most $limit rows each), picked on narrow columns; the rows are
# stored most confident first, so both the pick and the read of the picked rows skip most of the table.
# (condition, whether it reads the box: then it binds $krs, $mv_nip and $mv_box)
_VIEW_TOP = {"flagged": ("hipo", False),
             "hidden": ("hipo AND NOT list_contains($krs, " + _KOTAK_IN_FORCE + ")", True),
             "verify": ("NOT hipo AND list_contains($krs, " + _KOTAK_IN_FORCE + ")", True)}


def stored_view(con, scope: Scope, filters: Filters, rs: RuleSet, params: HipoParams, limit: int,
                raw_map: dict | None = None, max_points: int = 5000):
    """``view`` and the scatter's cells (``charts.cluster_cells``) of the stored model, computed in DuckDB without
    loading the model's rows: equal to ``view(restrict(fit_population(...)), ...)``. None when nothing is stored
    for these arguments (the caller fits live). The counts and cluster means add up what the write path stored with
    the key (sql/019): the combinations of filter values the scope and filters select, or the key's totals when
    nothing limits the view; a key stored without them has the selected rows grouped now (the same figures)."""
    period = filters.need_period()
    found = stored_key(con, fit_instansi(con, scope, filters), period, rs, params)
    if found is None:
        return None
    key, m = found
    cols = list(m["features_used"])
    where, bound = _stored_where(scope, filters)
    at = where + (" AND NOT whole" if bound else " AND whole")      # the selected combinations, or the totals
    bound = {**bound, "k": key}
    groups = store.query_df(con, _STORED_GROUPS.replace("{where}", at), bound)
    if len(groups) or _has_groups(con, key):
        means = store.query_df(con, _means_sql(cols, stored=True).replace("{where}", at), bound)
    else:                        # a key stored before sql/019: group its rows now
        groups = store.query_df(con, _VIEW_GROUPS.replace("{where}", where), {**bound, "verify": STATUS_VERIFY})
        means = store.query_df(con, _means_sql(cols, stored=False).replace("{where}", where), bound)
    moves = moved(con, scope, filters, rs)
    if len(moves):
        groups = _regrouped(con, groups, where, bound, moves)
    n = groups["n"]
    krs, member = groups["kotak"].isin(rules.KRS_BOXES), groups["cluster"].isin(m["hipo_clusters"])
    flag, review, fv = groups["hipo"], groups["perlu_kajian"], groups["flag_verify"]
    counts = {k: int(n[sel].sum()) for k, sel in {
        "n": n > 0, "n_hipo": flag, "n_review": review, "n_hidden": flag & ~krs, "n_verify": ~flag & krs,
        "n_member": member, "n_member_unflagged": member & ~flag, "n_flag_verify": fv, "hipo_krs": flag & krs,
        "member_flagged": member & flag}.items()}
    moved_to = {"mv_nip": moves["nip"].tolist(), "mv_box": [int(b) if pd.notna(b) else 0 for b in moves["kotak"]]}
    top = pd.concat([store.query_df(
        con, "SELECT $list AS list, nip, confidence FROM hipo_result WHERE " + where + " AND " + cond +
        " ORDER BY confidence DESC, nip LIMIT $limit",
        {**bound, "list": name, "limit": limit, **({"krs": list(rules.KRS_BOXES), **moved_to} if krs else {})})
        for name, (cond, krs) in _VIEW_TOP.items()], ignore_index=True)
    rows = _typed(store.query_df(
        con, "SELECT " + ", ".join(RESULT_COLUMNS) + " FROM hipo_result WHERE " + where +
        " AND confidence >= $least AND list_contains($nips, nip)",
        {**bound, "least": float(top["confidence"].min()) if len(top) else 2.0, "nips": top["nip"].tolist()}))
    by_nip = rebox(rows, moves).set_index("nip", drop=False)
    lists = {name: by_nip.loc[top.loc[top["list"] == name, "nip"].tolist()].reset_index(drop=True)
             for name in ("flagged", "hidden", "verify")}
    sizes = groups.groupby("cluster")["n"].sum()
    ct = groups.pivot_table(index="cluster", columns="kotak", values="n", aggfunc="sum", fill_value=0)
    ct = ct.reindex(columns=range(10), fill_value=0).astype("int64")
    ct.columns.name = "kotak"
    cells = groups.assign(h=n.where(flag, 0))
    profiles = means.set_index("cluster")[cols].round(2)
    profiles.insert(0, "pegawai", sizes.reindex(profiles.index).astype("int64"))
    profiles.insert(1, "persen", profiles["pegawai"] / max(counts["n"], 1))
    profiles.insert(2, "hipo", profiles.index.isin(m["hipo_clusters"]))
    outside = scope.opd is not None
    v = HipoView(
        n=counts["n"], n_hipo=counts["n_hipo"], n_review=counts["n_review"], flagged=lists["flagged"],
        hidden=lists["hidden"], n_hidden=counts["n_hidden"], verify=lists["verify"], n_verify=counts["n_verify"],
        crosstab=ct, profiles=profiles.reset_index(), n_fit=None if outside else m["n_fit"],
        n_member=counts["n_member"], n_member_unflagged=counts["n_member_unflagged"],
        n_flag_verify=counts["n_flag_verify"], hipo_clusters=tuple(m["hipo_clusters"]), k=m["k"], bic=m["bic"],
        ari_mean=m["ari_mean"], features_used=tuple(cols))
    v = _suppressed(v, {"hipo_krs": counts["hipo_krs"], "member_flagged": counts["member_flagged"]}, scope, raw_map)
    return v, _cells(con, where, bound, cells, counts["n"], max_points, scope)


def _regrouped(con, groups: pd.DataFrame, where: str, bound: dict, moves: pd.DataFrame) -> pd.DataFrame:
    """The grouped counts with each moved person taken out of their stored box's group and put into the group
    of the box in force (flag to verify redone for it)."""
    dims = [d.strip() for d in _DIMS.split(",")]
    rows = store.query_df(con, "SELECT nip, " + _ROW_DIMS + " FROM hipo_result WHERE " + where +
                          " AND list_contains($nips, nip)", {**bound, "nips": moves["nip"].tolist(),
                                                             "verify": STATUS_VERIFY})
    if rows.empty:
        return groups
    to = rows["nip"].map(moves.set_index("nip")["kotak"]).fillna(0).astype("int64")
    new = rows.assign(kotak=to, flag_verify=rows["hipo"].astype(bool) & to.isin(rules.VERIFY_BOXES))
    adjust = pd.concat([rows[dims].assign(n=-1), new[dims].assign(n=1)], ignore_index=True)
    adjust["kotak"] = adjust["kotak"].astype(groups["kotak"].dtype)
    out = pd.concat([groups, adjust], ignore_index=True).groupby(dims, as_index=False, dropna=False)["n"].sum()
    return out[out["n"] != 0].reset_index(drop=True)


def _has_groups(con, key: str) -> bool:
    """Whether the write path stored ``key``'s groups and sums (sql/019; a key has totals whenever it has rows)."""
    return bool(store.query_one(con, "SELECT count(*) > 0 FROM hipo_result_group WHERE result_key = $k AND whole",
                                {"k": key})[0])


def _cells(con, where: str, bound: dict, groups: pd.DataFrame, n: int, max_points: int,
           scope: Scope) -> pd.DataFrame:
    """``charts.cluster_cells(scatter_rows(...))`` from the grouped counts per (cluster, box, cell): the same
    rounding in SQL (``_VIEW_GROUPS``), the same grouping over the counts instead of rows; few rows are read one by
    one."""
    if privacy.threshold(scope):       # a dot is a person: nothing to draw
        groups, n = groups.iloc[0:0], 0
    per = groups.groupby("cluster")[["h", "n"]].sum()
    share = per["h"] / per["n"]
    if n > max_points:
        cells = groups.groupby(["cluster", "x", "y"])["n"].sum().reset_index(name="n")
    elif n:
        cells = store.query_df(con, "SELECT cluster, jpm AS x, skor_kinerja AS y FROM hipo_result WHERE " + where +
                               " ORDER BY nip", bound).assign(n=1)
    else:
        cells = pd.DataFrame({"cluster": pd.Series(dtype="int64"), "x": pd.Series(dtype=float),
                              "y": pd.Series(dtype=float), "n": pd.Series(dtype="int64")})
    return cells.assign(grouped=n > max_points, hipo_share=cells["cluster"].map(share).to_numpy())


def store_fit(con, instansi: tuple[str, ...] | None, period: int, rs: RuleSet, params: HipoParams) -> str | None:
    """Fit ``fit_population``'s model now and store it (write path); its key, or None when nothing was stored
    (fewer assessed employees than the model needs, or an import landed during the fit). Nothing to do when
    the key is stored already. The fit runs outside the write lock; only the insert holds it."""
    version = population.data_version(con)
    build = result_build(period, version, rs, params)
    key = result_key(build, instansi)
    exists = "SELECT count(*) FROM hipo_result_key WHERE result_key = $k"
    if store.query_one(con, exists, {"k": key})[0]:
        return key
    t = time.perf_counter()
    try:
        result = fit_live(con, instansi, period, rs, params)
    except UsageError:
        return None
    seconds = time.perf_counter() - t
    table = result.table[list(RESULT_COLUMNS)]
    covers = sorted(table["instansi"].dropna().unique().tolist())
    model = {"k": result.k, "bic": result.bic, "ari_mean": result.ari_mean, "ari": result.ari,
             "hipo_clusters": result.hipo_clusters, "n_fit": result.n_fit, "features_used": result.features_used,
             "n_population": result.n_population}
    with store.WRITE_LOCK, store.transaction(con) as cur:
        if cur.execute(exists, {"k": key}).fetchall()[0][0]:
            return key
        if population.data_version(cur) != version:     # an import landed meanwhile: its refresh builds
            return None
        cur.register("hipo_fitted", table)
        # most confident first: the page's lists then read a few row groups (zone maps on confidence)
        cur.execute("INSERT INTO hipo_result BY NAME SELECT $k AS result_key, * FROM hipo_fitted "
                    "ORDER BY confidence DESC, nip", {"k": key})
        cur.unregister("hipo_fitted")
        for table in ("hipo_result_group", "hipo_result_sum"):        # a leftover of a deleted key of the same name
            cur.execute("DELETE FROM " + table + " WHERE result_key = $k", {"k": key})
        for sql in _STORE_GROUPS:
            cur.execute(sql, {"k": key})
        cur.execute("INSERT INTO hipo_result_key VALUES ($k, $b, $i, $c, $t, $v, $r, $p, $m, $n, $s, $at)",
                    {"k": key, "b": build, "i": _instansi_json(instansi), "c": json.dumps(covers), "t": period,
                     "v": version, "r": _sha(rs.to_json()), "p": params_json(params), "m": json.dumps(model),
                     "n": len(table), "s": seconds, "at": store.now()})
        old = [r[0] for r in cur.execute("""
            SELECT build FROM hipo_result_key GROUP BY build ORDER BY max(built_at) DESC, build OFFSET $keep""",
            {"keep": RESULT_BUILDS_KEPT}).fetchall()]
        if old:
            for table in ("hipo_result", "hipo_result_group", "hipo_result_sum"):
                cur.execute("DELETE FROM " + table + " WHERE result_key IN "
                            "(SELECT result_key FROM hipo_result_key WHERE list_contains($old, build))", {"old": old})
            cur.execute("DELETE FROM hipo_result_key WHERE list_contains($old, build)", {"old": old})
    return key


def build_latest(con, params: HipoParams | None = None) -> None:
    """The write path's builder (``derived.BUILDERS``): the model of the latest period under the active rule set,
    fitted on every instansi (what a national or single-instansi view reads), stored once per data version.

    ``params``: the settings' (``Settings.hipo_params``) unless given.
    """
    from . import overview, rulesets
    from .config import Settings

    periods = overview.periods(con)
    if periods:
        store_fit(con, None, periods[-1], rulesets.active(con), params or Settings.from_env().hipo_params())


def moved(con, scope: Scope, filters: Filters, rs: RuleSet) -> pd.DataFrame:
    """(nip, kotak) of the people in ``scope`` and ``filters`` whom the Komite Talenta moved in ``filters.period``,
    with the box in force under ``filters.basis`` (``population.CALIBRATED``: the calibrated box, or the computed
    one where the basis does not show the move). The model's rows carry the box of their fit; the lists of hidden
    talent and of flags to verify, the cluster x box table and their counts use the box every other page shows
    (review 9, 2). One small read when the period has no calibration event."""
    period = filters.need_period()
    if not population.calibration_stamp(con, period):
        return pd.DataFrame({"nip": pd.Series(dtype=object), "kotak": pd.Series(dtype="Int64")})
    got = population.query(con, scope, filters, rs, "SELECT nip, kotak FROM final "
                           "WHERE kotak_terkalibrasi IS DISTINCT FROM kotak_terhitung", calibration_columns=True)
    return got.assign(kotak=got["kotak"].astype("Int64"))


_VERIFY_LEAD = re.compile(r"^perlu verifikasi: .*?\. Profil: ", re.S)


def rebox(table: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """``table`` (model rows) with the box in force of the moved people, their status and reason redone
    (``_mark_verify``). The same frame when nobody in it was moved."""
    if moves.empty or table.empty:
        return table
    box = table["nip"].map(moves.set_index("nip")["kotak"])
    hit = table["nip"].isin(moves["nip"]).to_numpy()
    if not hit.any():
        return table
    out = table.copy()
    out.loc[hit, "kotak"] = box[hit].astype("Int64")
    sub = out.loc[hit].copy()
    sub["alasan"] = [_VERIFY_LEAD.sub("", a) if isinstance(a, str) else a for a in sub["alasan"]]
    _mark_verify(sub)
    out.loc[hit, ["status", "alasan"]] = sub[["status", "alasan"]]
    return out


def calibrated(con, result: HipoResult, scope: Scope, filters: Filters, rs: RuleSet) -> HipoResult:
    """``result`` with the box in force of the people the Komite Talenta moved (``moved``, ``rebox``)."""
    table = rebox(result.table, moved(con, scope, filters, rs))
    return result if table is result.table else replace(result, table=table)


def restrict(result: HipoResult, scope: Scope, filters: Filters) -> HipoResult:
    """The rows of the whole-population model that ``scope`` and ``filters`` select, flags and confidence
    untouched; cluster profiles recounted over those rows. The same object when nothing is left out."""
    t = result.table
    keep = np.ones(len(t), dtype=bool)
    limits = [("opd", scope.opd), ("instansi", scope.instansi),
              *((c, getattr(filters, c) or None) for c in FILTER_COLUMNS)]
    for col, values in limits:
        if values is not None:
            keep &= t[col].isin(list(values)).fillna(False).to_numpy(dtype=bool)
    if keep.all():
        return result
    sub = t[keep].reset_index(drop=True)
    outside = scope.opd is not None      # the fitted population is larger than what this account may count
    return replace(result, table=sub, profiles=_profiles(sub, result.features_used, result.hipo_clusters),
                   n_fit=None if outside else result.n_fit, n_population=None if outside else result.n_population)


def for_scope(con, scope: Scope, filters: Filters, rs: RuleSet, params: HipoParams) -> HipoResult:
    """``restrict`` of the whole-instansi model (fitted here: cache ``fit_population`` where it is reused), with the
    boxes in force (``calibrated``)."""
    period = filters.need_period()
    try:
        whole = fit_population(con, fit_instansi(con, scope, filters), period, rs, params)
    except TooFewAssessed as exc:
        raise exc.for_scope(scope) from None
    return calibrated(con, restrict(whole, scope, filters), scope, filters, rs)


def reasons(df: pd.DataFrame, cols: list[str], top: int = 3) -> list[str]:
    """Per row, the ``top`` features that most set the person apart (highest z), with value and percentile.

    Each part is plain Indonesian: "potensi 92, di atas 95 % rekan" (the share of the fitted population
    with a lower value, rounded down). Vectorised: each column's parts are formatted once per distinct value
    (equal values share their percentile), and rows only pick their parts, joined in Arrow (3,5 million
    rows in a few seconds; the row-by-row version is kept in the tests as the reference).
    """
    return _reasons_arrow(df, cols, top).to_pylist()


def value_text(col: str, v: float) -> str:
    """A feature value as the reasons write it: "92", "92,5", a trend "+20"."""
    if col == "tren_kinerja":
        return f"{v:+.0f}"
    return fmt.short(v, 1)


def _reasons_arrow(df: pd.DataFrame, cols: list[str], top: int = 3) -> pa.Array:
    n = len(df)
    if n == 0 or not cols:
        return pa.array([""] * n, pa.string())
    X = df[cols].astype(float)
    z = (X - X.mean()) / X.std(ddof=0).replace(0, np.nan)
    zv, xv = z.to_numpy(), X.to_numpy()
    order = np.argsort(-np.nan_to_num(zv, nan=-np.inf), axis=1)[:, :top]
    # NaN sorts last, so the usable parts of a row are a prefix of ``order``
    usable = ~np.isnan(np.take_along_axis(zv, order, axis=1))
    texts: list[str] = []
    codes = np.empty((n, len(cols)), dtype=np.int64)
    for j, c in enumerate(cols):
        code, uniq = pd.factorize(xv[:, j], use_na_sentinel=True)
        has = code >= 0
        # the share of the others with a lower value, from the value counts instead of ranking millions of rows
        count = np.bincount(code[has], minlength=len(uniq))
        by_value = np.argsort(uniq, kind="stable")
        below = np.cumsum(count[by_value]) - count[by_value]
        pct = np.empty(len(uniq))
        pct[by_value] = np.floor(below / has.sum() * 100)
        for v, p in zip(uniq.tolist(), pct.tolist()):
            texts.append(f"{FEATURES[c]} {value_text(c, v)}, di atas {p:.0f} % rekan")
        codes[:, j] = np.where(has, code + (len(texts) - len(uniq)), -1)
    dictionary = pa.array(texts, pa.string())
    picked = np.take_along_axis(codes, order, axis=1)
    parts = [dictionary.take(pa.array(picked[:, k], mask=~usable[:, k])) for k in range(order.shape[1])]
    # join the longest complete prefix: a join is null when any part is null
    joined = [pc.binary_join_element_wise(*parts[:k], "; ") for k in range(len(parts), 1, -1)]
    return pc.coalesce(*joined, parts[0], pa.scalar("", pa.string()))


def crosstab(table: pd.DataFrame) -> pd.DataFrame:
    """Cluster x box counts (box 0 = belum terpetakan)."""
    ct = pd.crosstab(table["cluster"], table["kotak"].fillna(0).astype(int))
    return ct.reindex(columns=range(10), fill_value=0)


def hidden_talent(table: pd.DataFrame) -> pd.DataFrame:
    """Talenta tersembunyi: flagged, but not in the KRS (``rules.KRS_BOXES``)."""
    return table[table["hipo"] & ~table["kotak"].fillna(0).isin(rules.KRS_BOXES)]


def to_verify(table: pd.DataFrame) -> pd.DataFrame:
    """In the KRS (``rules.KRS_BOXES``), but not flagged (the page's "Di KRS, tidak ditandai")."""
    return table[~table["hipo"] & table["kotak"].fillna(0).isin(rules.KRS_BOXES)]


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """Most confident first; equal confidence in NIP order (the same order on screen and in downloads)."""
    return table.sort_values(["confidence", "nip"], ascending=[False, True], kind="stable")


@dataclass
class HipoView:
    """What the Potensi Tinggi page shows: counts, the cross table and at most ``limit`` rows per list.

    Small whatever the population (cheap to cache per session and to send); the full lists stay in the
    ``HipoResult`` for downloads. ``n_member`` (employees listed whose most likely cluster is a
    high-potential one), ``n_member_unflagged`` (of them, those below the confidence threshold) and
    ``n_hipo`` reconcile the cluster sizes with the flags; ``n_flag_verify`` counts the flags in
    ``rules.VERIFY_BOXES`` (status "perlu verifikasi").
    """

    n: int
    n_hipo: int
    n_review: int
    flagged: pd.DataFrame        # the ``limit`` most confident flags
    hidden: pd.DataFrame         # talenta tersembunyi, most confident first
    n_hidden: int
    verify: pd.DataFrame         # in the KRS (boxes 7-8-9), not flagged, closest to a flag first
    n_verify: int
    crosstab: pd.DataFrame
    profiles: pd.DataFrame       # the result's profiles, sizes and means hidden for a hidden cluster size
    n_fit: int | None
    n_member: int = 0
    n_member_unflagged: int = 0
    n_flag_verify: int = 0
    hipo_clusters: tuple[int, ...] = ()
    status_shown: bool = True    # False when n_flag_verify is hidden: no list of flags (its status would count it)
    # the model's own figures (the page's method note): the same whoever looks
    k: int = 0
    bic: dict = field(default_factory=dict)
    ari_mean: float | None = None
    features_used: tuple[str, ...] = ()

    def list_count(self, n):
        """The count under which a list of flags may be shown (``privacy.list_allowed``): hidden with
        ``n_flag_verify``, because each listed flag carries its status."""
        return n if self.status_shown else pd.NA


def view(result: HipoResult, limit: int, scope: Scope | None = None, raw_map: dict | None = None) -> HipoView:
    """What the page shows. Under a scope with a small-group threshold every count is suppressed together
    with the talent map it adds up to (``raw_map``, from ``talentmap.raw_figures``: required then), and a
    list whose count is hidden is empty. Lists still carry NIP (for decisions): show them through ``people``."""
    t = result.table
    hidden, verify = hidden_talent(t), to_verify(t)
    member = t["cluster"].isin(result.hipo_clusters).to_numpy()
    flags = t["hipo"].to_numpy(dtype=bool)
    n_flag_verify = int((t["status"] == STATUS_VERIFY).sum()) if "status" in t else 0
    v = HipoView(
        n=len(t), n_hipo=int(flags.sum()), n_review=int(t["perlu_kajian"].sum()),
        flagged=ranked(t[t["hipo"]]).head(limit).reset_index(drop=True),
        hidden=ranked(hidden).head(limit).reset_index(drop=True), n_hidden=len(hidden),
        verify=ranked(verify).head(limit).reset_index(drop=True), n_verify=len(verify),
        crosstab=crosstab(t), profiles=result.profiles, n_fit=result.n_fit,
        n_member=int(member.sum()), n_member_unflagged=int((member & ~flags).sum()), n_flag_verify=n_flag_verify,
        hipo_clusters=tuple(result.hipo_clusters), k=result.k, bic=result.bic, ari_mean=result.ari_mean,
        features_used=tuple(result.features_used))
    unpublished = {"hipo_krs": int((flags & t["kotak"].fillna(0).isin(rules.KRS_BOXES)).sum()),
                   "member_flagged": int((member & flags).sum())}
    return _suppressed(v, unpublished, scope, raw_map)


def _suppressed(v: HipoView, unpublished: dict, scope: Scope | None, raw_map: dict | None) -> HipoView:
    """``v`` as ``scope`` may see it (``view``); ``unpublished``: hipo_krs and member_flagged."""
    thr = privacy.threshold(scope or Scope())
    if not thr:
        return v
    counts = {"n": v.n, "n_hipo": v.n_hipo, "n_review": v.n_review, "n_hidden": v.n_hidden, "n_verify": v.n_verify,
              "hipo_krs": unpublished["hipo_krs"], "n_member": v.n_member, "n_member_unflagged": v.n_member_unflagged,
              "member_flagged": unpublished["member_flagged"], "n_flag_verify": v.n_flag_verify}
    hipo_rows = [i for i, c in enumerate(v.crosstab.index) if c in v.hipo_clusters]
    ct, shown = privacy.suppress_hipo(v.crosstab, counts, raw_map, thr, hipo_rows=hipo_rows)
    profiles = v.profiles.copy()
    sizes = pd.Series(shown.pop("sizes"), index=v.crosstab.index)
    gone = profiles["cluster"].map(sizes).isna().to_numpy()
    profiles["pegawai"] = profiles["cluster"].map(sizes).astype("Int64")
    profiles.loc[gone, [c for c in profiles.columns if c not in ("cluster", "pegawai", "hipo")]] = np.nan
    if privacy.hidden(shown["n"]):      # a share of a hidden total would give the total away
        profiles["persen"] = np.nan
    empty = v.flagged.iloc[0:0]
    ok = not privacy.hidden(shown["n_flag_verify"])
    return replace(
        v, n=shown["n"], n_hipo=shown["n_hipo"], n_review=shown["n_review"],
        flagged=v.flagged if ok and privacy.list_allowed(scope, shown["n_hipo"]) else empty,
        hidden=v.hidden if ok and privacy.list_allowed(scope, shown["n_hidden"]) else empty, n_hidden=shown["n_hidden"],
        verify=v.verify if privacy.list_allowed(scope, shown["n_verify"]) else empty, n_verify=shown["n_verify"],
        crosstab=ct, profiles=profiles, n_fit=shown["n"] if v.n_fit == v.n else v.n_fit,
        n_member=shown["n_member"], n_member_unflagged=shown["n_member_unflagged"],
        n_flag_verify=shown["n_flag_verify"], status_shown=ok)


def flagged_label(v) -> str:
    """The metric's label of the flagged count: with its share of the assessed, none when that share is hidden
    (it read "Ditandai potensi tinggi (–)" on a guest screen of one person; review 14, 10)."""
    from . import fmt

    share = privacy.share(v.n_hipo, v.n)
    return "Ditandai potensi tinggi" + ("" if pd.isna(share) else f" ({fmt.pct(share)})")


def profiles_shown(v) -> bool:
    """Whether a cluster's average may be drawn: none when every one is hidden (small groups on a masked screen,
    or nobody assessed), so that no chart of empty axes appears."""
    cols = [c for c in FEATURES if c in v.profiles]
    return bool(cols) and bool(v.profiles[cols].notna().any().any())


def profiles_withheld(scope: Scope) -> str:
    """What the page says in place of the cluster profiles when ``profiles_shown`` is false."""
    return ("Profil klaster tidak ditampilkan: tidak ada klaster yang dapat ditampilkan untuk pilihan ini"
            + (f" (kelompok di bawah {privacy.threshold(scope)} orang disembunyikan)." if privacy.threshold(scope)
               else "."))


def reconcile(v: HipoView, threshold: float, num=str) -> str:
    """One plain sentence that reconciles the high-potential cluster size with the number flagged."""
    clusters = ", ".join(str(c) for c in v.hipo_clusters) or "–"
    word = "Klaster" if len(v.hipo_clusters) <= 1 else "Klaster-klaster"
    pct = f"{threshold * 100:.0f} %"
    return (f"{word} potensi tinggi ({clusters}) beranggotakan {num(v.n_member)} pegawai; {num(v.n_hipo)} ditandai. "
            f"Aturannya: pegawai ditandai hanya bila peluangnya masuk klaster potensi tinggi (keyakinan) minimal {pct}; "
            f"{num(v.n_member_unflagged)} anggota lainnya paling mirip klaster itu tetapi keyakinannya di bawah {pct}, "
            "jadi tidak ditandai.")


def people(rows: pd.DataFrame, decisions: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Rows of the model with the committee's current decision, as ``scope`` may see them (``privacy.mask_people``)."""
    out = rows.drop(columns=["keputusan"], errors="ignore").merge(decisions, on="nip", how="left")
    # a masked list's box and stability would count flags per box and "perlu kajian": hidden counts
    return privacy.mask_people(out, scope, also_drop=("kotak", "stability"))


def listed(result: HipoResult, select, shown_count, scope: Scope) -> pd.DataFrame:
    """Every row ``select`` picks, most confident first; empty when ``scope`` may not see a list of that count."""
    if not privacy.list_allowed(scope, shown_count):
        return result.table.iloc[0:0]
    return ranked(select(result.table))


def scatter_rows(result: HipoResult, scope: Scope) -> pd.DataFrame:
    """The rows the cluster scatter may draw: none when small groups are suppressed (a dot is a person)."""
    return result.table.iloc[0:0] if privacy.threshold(scope) else result.table


def is_flagged(result: HipoResult, nip: str) -> bool:
    t = result.table
    return bool((t["hipo"] & (t["nip"] == nip)).any())


# --- the committee's decisions ------------------------------------------------------------------

def record_decision(con, nip: str, period: int, keputusan: str, catatan: str, user: str, *,
                    scope: Scope) -> bool:
    """Record a decision on an employee inside ``scope`` (the deciding account's); False (nothing written) when
    it repeats the current one word for word (a form sent twice by a double click)."""
    if keputusan not in DECISIONS:
        raise UsageError(f"Keputusan '{keputusan}' tidak dikenal; pilih {', '.join(DECISIONS)}.")
    where, params = employee_where(scope, Filters())
    with store.transaction(con) as cur:
        if not cur.execute("SELECT count(*) FROM employee e WHERE e.nip = $nip AND " + where,
                           {**params, "nip": nip}).fetchall()[0][0]:
            # the same words whether the NIP is elsewhere or nowhere: a limited account learns nothing outside
            raise UsageError(f"NIP {nip} tidak ada di data pegawai" +
                             ("." if scope.unlimited else " dalam cakupan akun Anda."))
        last = cur.execute("SELECT keputusan, catatan, oleh FROM hipo_decision WHERE nip = ? AND tahun = ? "
                           "ORDER BY pada DESC, decision_id DESC LIMIT 1", [nip, period]).fetchall()
        if last and tuple(last[0]) == (keputusan, catatan.strip(), user):
            return False
        did = cur.execute("SELECT nextval('seq_hipo_decision')").fetchall()[0][0]
        cur.execute("INSERT INTO hipo_decision VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [did, nip, period, keputusan, catatan.strip(), user, store.now()])
    return True


def decisions(con, period: int) -> pd.DataFrame:
    """The current decision per NIP for ``period`` (the latest one recorded)."""
    return store.query_df(con, """
        SELECT nip, keputusan, catatan, oleh, pada FROM hipo_decision WHERE tahun = $t
        QUALIFY row_number() OVER (PARTITION BY nip ORDER BY decision_id DESC) = 1""", {"t": period})


def decision_history(con, period: int, nip: str | None = None, *, scope: Scope) -> pd.DataFrame:
    """The committee's decisions of ``period`` (of ``nip``), newest first: only employees inside ``scope`` (a
    Komite account limited to an instansi reads its own instansi's decisions, not another's NIPs)."""
    where, params = employee_where(scope, Filters())
    # an employee no longer in the master (a correction import removed him) keeps his decisions for an unlimited
    # reader; a limited one cannot tell where he was, so does not read them
    return store.query_df(con, """
        SELECT d.nip, d.keputusan, d.catatan, d.oleh, d.pada FROM hipo_decision d LEFT JOIN employee e USING (nip)
        WHERE d.tahun = $t AND ($nip IS NULL OR d.nip = $nip)
          AND (CASE WHEN e.nip IS NULL THEN $everyone ELSE """ + where + """ END)
        ORDER BY d.decision_id DESC""", {**params, "t": period, "nip": nip, "everyone": scope.unlimited})


def run(con, scope: Scope, filters: Filters, rs: RuleSet, params: HipoParams) -> HipoResult:
    """The whole-instansi model restricted to ``scope`` and ``filters`` (``for_scope``), with the committee's
    current decisions joined beside each flag."""
    period = filters.need_period()
    result = for_scope(con, scope, filters, rs, params)
    dec = decisions(con, period)[["nip", "keputusan"]]
    t = result.table.drop(columns=["keputusan"], errors="ignore").merge(dec, on="nip", how="left")
    return replace(result, table=privacy.mask_people(t, scope))
