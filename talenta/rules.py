"""Rules as data: the nine boxes of PermenPANRB 3/2020 and the rule set that scores the two axes.

``BOXES`` is the one declarative table (number, levels, label, rekomendasi, KRS, colour) that the
pages, exports and docs read. ``RuleSet`` holds every number the Komite Talenta may change (points,
cut-offs, weights, validity windows). ``place`` is the pure function from inputs to a box; the SQL in
``talentmap.py`` does the same for a whole population, and a test keeps the two in agreement.

A score exactly on a cut-off goes to the higher category.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Iterable

from . import fmt
from .errors import TalentaError

EPS = 1e-9  # scores are compared as score >= cut-off - EPS, so 90.0 computed as 89.999999999 is 90

KINERJA_LEVELS = ("bawah", "sesuai", "atas")          # index 0, 1, 2 (row from the bottom)
POTENSIAL_LEVELS = ("rendah", "menengah", "tinggi")   # index 0, 1, 2 (column from the left)
KINERJA_WORDS = {"bawah": "di bawah", "sesuai": "sesuai", "atas": "di atas"}
KINERJA_LABEL = {"bawah": "Di bawah ekspektasi", "sesuai": "Sesuai ekspektasi", "atas": "Di atas ekspektasi"}
POTENSIAL_LABEL = {"rendah": "Rendah", "menengah": "Menengah", "tinggi": "Tinggi"}
PREDIKAT_ORDER = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
SCORE_COLUMNS = ("nilai_potensi", "nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis")


@dataclass(frozen=True)
class Box:
    number: int
    kinerja: str
    potensial: str
    rekomendasi: str
    krs: bool
    colour: str
    text_colour: str

    @property
    def short(self) -> str:
        """``Kinerja di atas, potensial tinggi``: fits in a grid cell."""
        return f"Kinerja {KINERJA_WORDS[self.kinerja]}, potensial {self.potensial}"

    @property
    def label(self) -> str:
        return f"Kinerja {KINERJA_WORDS[self.kinerja]} ekspektasi dan potensial {self.potensial}"

    @property
    def title(self) -> str:
        """``Kotak 9 (Kinerja di atas ekspektasi, potensial tinggi)``: the first mention in a text."""
        return f"Kotak {self.number} ({self.label.replace(' dan ', ', ')})"


# Colour-blind-safe diverging ramp (ColorBrewer RdYlBu, 9 classes): warm 1-3, neutral 4-6, cool 7-9.
_PALETTE = ["#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf", "#e0f3f8", "#abd9e9", "#74add1", "#4575b4"]
_TEXT = ["#ffffff", "#1f2933", "#1f2933", "#1f2933", "#1f2933", "#1f2933", "#1f2933", "#1f2933", "#ffffff"]
_B = [
    # number, kinerja, potensial, rekomendasi (Lampiran PermenPANRB 3/2020)
    (1, "bawah", "rendah", "Diproses sesuai ketentuan peraturan perundang-undangan"),
    (2, "sesuai", "rendah", "Bimbingan kinerja; Pengembangan kompetensi; Penempatan yang sesuai"),
    (3, "bawah", "menengah", "Bimbingan kinerja; Konseling kinerja; Pengembangan kompetensi; Penempatan yang sesuai"),
    (4, "atas", "rendah", "Rotasi; Pengembangan kompetensi"),
    (5, "sesuai", "menengah", "Penempatan yang sesuai; Bimbingan kinerja; Pengembangan kompetensi"),
    (6, "bawah", "tinggi", "Penempatan yang sesuai; Bimbingan kinerja; Konseling kinerja"),
    (7, "atas", "menengah", "Dipertahankan; Masuk Kelompok Rencana Suksesi Instansi; Rotasi/Pengayaan jabatan; "
     "Pengembangan kompetensi; Tugas belajar"),
    (8, "sesuai", "tinggi",
     "Dipertahankan; Masuk Kelompok Rencana Suksesi Instansi; Rotasi/Perluasan jabatan; Bimbingan kinerja"),
    (9, "atas", "tinggi", "Dipromosikan dan dipertahankan; Masuk Kelompok Rencana Suksesi Instansi/Nasional; Penghargaan"),
]
# the Kelompok Rencana Suksesi: the boxes whose members enter the succession pool (the one place they are listed;
# SQL binds them as $krs_boxes, text says KRS_TEXT)
KRS_BOXES = (7, 8, 9)
KRS_TEXT = "kotak " + ", ".join(str(b) for b in KRS_BOXES[:-1]) + " dan " + str(KRS_BOXES[-1])
KRS_SHORT = "-".join(str(b) for b in KRS_BOXES)       # in labels: "KRS (kotak 7-8-9)"
BOXES: tuple[Box, ...] = tuple(
    Box(n, k, p, rek, n in KRS_BOXES, _PALETTE[n - 1], _TEXT[n - 1]) for n, k, p, rek in _B)
BOX = {b.number: b for b in BOXES}
# the lowest boxes: a high-potential flag there contradicts the placement, so it is shown as "perlu verifikasi"
VERIFY_BOXES = (1, 2, 3)
# (kinerja index, potensial index) -> box number; the layout of the regulation's grid
GRID = {(KINERJA_LEVELS.index(b.kinerja), POTENSIAL_LEVELS.index(b.potensial)): b.number for b in BOXES}
GRID_LIST = [GRID[(k, p)] for k in range(3) for p in range(3)]  # index k*3+p, for SQL list lookups

UNPLACED_REASONS = {
    "tanpa_kinerja": "Belum ada kinerja (SKP) pada periode yang berlaku",
    "tanpa_asesmen": "Belum pernah asesmen",
    "asesmen_kedaluwarsa": "Asesmen terakhir di luar masa berlaku",
}
# the unplaced counted by reason (privacy.REASONS: each employee in exactly one), as the pages name them
UNPLACED_GROUP_LABELS = {
    "tanpa_kinerja": "Belum ada kinerja (SKP) yang berlaku",
    "tanpa_asesmen": "Belum pernah asesmen",
    "asesmen_kedaluwarsa": "Asesmen di luar masa berlaku",
    "tanpa_kinerja_dan_asesmen": "Belum ada kinerja dan asesmen",
}

# Batas usia pensiun (BUP, UU ASN / PP 11/2017 as amended): by the post held. ``BUP_RULES`` is checked in order
# (eselon prefixes of JPT; words in the jabatan of senior functional posts); everyone else retires at BUP_LAIN.
BUP_RULES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("eselon", ("I.", "II."), 60),                 # pimpinan tinggi (JPT)
    ("jabatan", ("Ahli Utama",), 65),
    ("jabatan", ("Ahli Madya",), 60),
)
BUP_LAIN = 58
BUP_JPT = next(age for kind, words, age in BUP_RULES if kind == "eselon")     # a structural post of JPT
BUP_HORIZON_YEARS = 2       # bench strength counts holders reaching BUP within this many years


def retirement_date(birth: dt.date, age: int) -> dt.date:
    """The day a post holder of BUP ``age`` retires: the first day of the month after the BUP birthday (what
    ``retirement_date_sql`` computes in SQL; Profil, bench strength and Suksesi all use this one rule)."""
    y, m = birth.year + age, birth.month + 1
    return dt.date(y + 1, 1, 1) if m == 13 else dt.date(y, m, 1)


def retirement_date_sql(birth: str, age: str) -> str:
    """``retirement_date`` as a SQL expression over the column (or expression) ``birth`` and the BUP ``age``."""
    return f"CAST(date_trunc('month', {birth} + to_years(CAST({age} AS INTEGER))) + INTERVAL 1 MONTH AS DATE)"

def bup_age(eselon: str | None, jabatan: str | None) -> int:
    """The retirement age of a post (``BUP_RULES``, else ``BUP_LAIN``), as ``pool.BUP_SQL`` computes it."""
    for kind, words, age in BUP_RULES:
        value = (eselon or "").strip() if kind == "eselon" else (jabatan or "").lower()
        if any(value.startswith(w) if kind == "eselon" else w.lower() in value for w in words):
            return age
    return BUP_LAIN

# age bands of the "kelompok usia" grouping: (upper bound exclusive, label); older than the last: USIA_TERTUA
USIA_KELOMPOK: tuple[tuple[int, str], ...] = ((30, "< 30"), (40, "30-39"), (50, "40-49"), (55, "50-54"))
USIA_TERTUA = "55+"


class RuleSetError(TalentaError):
    """A rule set with values that make no sense (messages name the field and the value)."""


@dataclass(frozen=True)
class RuleSet:
    """Every number of the talent map that the Komite Talenta may change."""

    predikat_points: dict[str, float] = field(default_factory=lambda: {
        "Sangat Baik": 100.0, "Baik": 80.0, "Butuh Perbaikan": 60.0, "Kurang": 40.0, "Sangat Kurang": 20.0})
    kinerja_sesuai: float = 70.0      # score >= this: sesuai ekspektasi
    kinerja_atas: float = 90.0        # score >= this: di atas ekspektasi
    kinerja_years: int = 2            # kinerja of T and T-1
    potensial_menengah: float = 78.0  # score >= this: menengah (JPM pemetaan: Cukup Optimal)
    potensial_tinggi: float = 90.0    # score >= this: tinggi (JPM pemetaan: Optimal)
    asesmen_years: int = 3            # the latest assessment with tahun in [T-2, T]
    jpm_cap: float = 100.0            # a JPM above this counts as this for the score (raw value kept)
    weights: dict[str, float] = field(default_factory=lambda: {c: 1.0 for c in SCORE_COLUMNS})
    # bookkeeping (not rules): filled when stored
    id: int | None = None
    name: str = "Bawaan (PermenPANRB 3/2020, JPM pemetaan 90/78)"
    note: str = ""
    created_by: str = ""
    created_at: str = ""

    RULE_FIELDS = ("predikat_points", "kinerja_sesuai", "kinerja_atas", "kinerja_years", "potensial_menengah",
                   "potensial_tinggi", "asesmen_years", "jpm_cap", "weights")

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise RuleSetError("Aturan tidak valid: " + "; ".join(problems))

    # the fields' names as the Aturan page labels them (a message named "kinerja_sesuai = 250"; session 22)
    FIELD_WORDS = {"kinerja_sesuai": "batas kinerja 'sesuai'", "kinerja_atas": "batas kinerja 'di atas'",
                   "potensial_menengah": "batas potensial 'menengah'", "potensial_tinggi": "batas potensial 'tinggi'",
                   "jpm_cap": "JPM dihitung paling tinggi", "kinerja_years": "tahun kinerja yang dirata-rata",
                   "asesmen_years": "masa berlaku asesmen (tahun)"}

    def problems(self) -> list[str]:
        p = []
        words, n = self.FIELD_WORDS, lambda v: fmt.short(v, 6)      # numbers the Indonesian way: 70,5 not 70.5
        for name in ("kinerja_sesuai", "kinerja_atas", "potensial_menengah", "potensial_tinggi", "jpm_cap"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or math.isnan(v) or not 0 <= v <= 200:
                p.append(f"{words[name]} = {n(v) if isinstance(v, (int, float)) else repr(v)} harus angka 0-200")
        if not p and self.kinerja_sesuai >= self.kinerja_atas:
            p.append(f"batas kinerja 'sesuai' ({n(self.kinerja_sesuai)}) harus di bawah batas 'di atas' "
                     f"({n(self.kinerja_atas)})")
        if not p and self.potensial_menengah >= self.potensial_tinggi:
            p.append(f"batas potensial 'menengah' ({n(self.potensial_menengah)}) harus di bawah batas 'tinggi' "
                     f"({n(self.potensial_tinggi)})")
        if set(self.predikat_points) != set(PREDIKAT_ORDER):
            p.append(f"nilai predikat harus untuk tepat {', '.join(PREDIKAT_ORDER)}")
        elif any(not 0 <= v <= 100 for v in self.predikat_points.values()):
            p.append("nilai predikat harus 0-100")
        if set(self.weights) != set(SCORE_COLUMNS) or any(w < 0 for w in self.weights.values()) \
                or sum(self.weights.values()) <= 0:
            p.append(f"bobot harus untuk {', '.join(SCORE_COLUMNS)}, tidak negatif, dan tidak semuanya nol")
        for name in ("kinerja_years", "asesmen_years"):
            v = getattr(self, name)
            if not isinstance(v, int) or not 1 <= v <= 5:
                p.append(f"{words[name]} = {v!r} harus bilangan bulat 1-5")
        return p

    # --- serialisation ------------------------------------------------------------------------
    def rules_dict(self) -> dict:
        d = asdict(self)
        return {k: d[k] for k in self.RULE_FIELDS}

    def to_json(self) -> str:
        return json.dumps(self.rules_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str, **meta) -> "RuleSet":
        d = json.loads(text)
        return cls(**{k: v for k, v in d.items() if k in cls.RULE_FIELDS}, **meta)

    def with_(self, **changes) -> "RuleSet":
        return replace(self, **changes)

    @property
    def label(self) -> str:
        return f"Aturan #{self.id}: {self.name}" if self.id else self.name

    def kinerja_window(self, period: int) -> tuple[int, int]:
        """The first and last year of the SKP a talent map of ``period`` scores (``population``'s window)."""
        return period - self.kinerja_years + 1, period

    def asesmen_window(self, period: int) -> tuple[int, int]:
        """The first and last year of the assessments still valid in ``period``."""
        return period - self.asesmen_years + 1, period

    def windows_text(self) -> str:
        """The two windows in words, relative to T: 'kinerja T-1 dan T serta asesmen T-2 s.d. T'."""
        def span(years: int, joint: str) -> str:
            return "T" if years == 1 else f"T-{years - 1}{joint}T"
        k = span(self.kinerja_years, " dan " if self.kinerja_years == 2 else " s.d. ")
        return f"kinerja {k} serta asesmen {span(self.asesmen_years, ' dan ' if self.asesmen_years == 2 else ' s.d. ')}"

    def describe(self) -> list[str]:
        """The rule set in sentences a non-programmer reads (the Aturan page, deck method slide)."""
        pts = ", ".join(f"{k} {_n(self.predikat_points[k])}" for k in PREDIKAT_ORDER if k in self.predikat_points)
        w = ", ".join(f"{c.replace('nilai_', '').replace('_', ' ')} {_n(v)}" for c, v in self.weights.items())
        years_k = "tahun T" if self.kinerja_years == 1 else f"tahun T-{self.kinerja_years - 1} sampai T"
        return [
            f"**Skor kinerja** = rata-rata nilai SKP {years_k} yang ada; setiap predikat bernilai {pts}; "
            "tahun tanpa predikat memakai nilai kinerja (0-100).",
            f"**Kategori kinerja**: di atas ekspektasi bila skor ≥ {_n(self.kinerja_atas)}, sesuai ekspektasi "
            f"bila ≥ {_n(self.kinerja_sesuai)}, selain itu di bawah ekspektasi.",
            f"**Skor potensial** = JPM asesmen terbaru dalam {self.asesmen_years} tahun terakhir (T-"
            f"{self.asesmen_years - 1} sampai T; JPM di atas {_n(self.jpm_cap)} dihitung {_n(self.jpm_cap)}); "
            f"tanpa JPM: rata-rata berbobot nilai yang ada ({w}).",
            f"**Kategori potensial**: tinggi bila skor ≥ {_n(self.potensial_tinggi)}, menengah bila ≥ "
            f"{_n(self.potensial_menengah)}, selain itu rendah.",
            "Skor yang tepat sama dengan batas masuk ke kategori yang lebih tinggi. Pegawai tanpa kinerja atau "
            "tanpa asesmen yang berlaku tidak ditempatkan di kotak mana pun (belum terpetakan).",
        ]


def _n(v: float) -> str:
    return fmt.short(v)


DEFAULT = RuleSet()


# --- the pure functions ------------------------------------------------------------------------

def kinerja_score(records: Iterable[tuple[str | None, float | None]], rs: RuleSet = DEFAULT) -> float | None:
    """Mean over (predikat, nilai_kinerja) records; a record's predikat points win over its nilai."""
    values = []
    for predikat, nilai in records:
        if predikat is not None:
            values.append(rs.predikat_points[predikat])
        elif nilai is not None:
            values.append(float(nilai))
    return sum(values) / len(values) if values else None


def potensial_score(jpm: float | None = None, rs: RuleSet = DEFAULT, **scores: float | None) -> float | None:
    """JPM (capped) when present, else the weighted mean of the available competency scores."""
    if jpm is not None:
        return min(float(jpm), rs.jpm_cap)
    num = den = 0.0
    for col in SCORE_COLUMNS:
        v = scores.get(col)
        if v is not None:
            num += rs.weights[col] * float(v)
            den += rs.weights[col]
    return num / den if den > 0 else None


def kinerja_level(score: float, rs: RuleSet = DEFAULT) -> int:
    return 2 if score >= rs.kinerja_atas - EPS else 1 if score >= rs.kinerja_sesuai - EPS else 0


def potensial_level(score: float, rs: RuleSet = DEFAULT) -> int:
    return 2 if score >= rs.potensial_tinggi - EPS else 1 if score >= rs.potensial_menengah - EPS else 0


def box_of(kinerja: float, potensial: float, rs: RuleSet = DEFAULT) -> int:
    """The box number (1-9) for two scores."""
    return GRID[(kinerja_level(kinerja, rs), potensial_level(potensial, rs))]


@dataclass(frozen=True)
class Placement:
    box: int | None
    skor_kinerja: float | None
    skor_potensial: float | None
    alasan: str | None = None


def place(period: int, kinerja: Iterable[tuple[int, str | None, float | None]],
          asesmen: Iterable[dict], rs: RuleSet = DEFAULT) -> Placement:
    """Place one employee for ``period`` from their kinerja records (tahun, predikat, nilai) and
    assessments (dicts with tahun, jpm and the scores). The reference implementation of the SQL."""
    window_k = [(p, n) for t, p, n in kinerja if period - rs.kinerja_years < t <= period
                and (p is not None or n is not None)]
    ks = kinerja_score(window_k, rs)
    past = [a for a in asesmen if a["tahun"] <= period]
    valid = [a for a in past if a["tahun"] > period - rs.asesmen_years]
    ps = None
    if valid:
        latest = max(valid, key=lambda a: a["tahun"])
        ps = potensial_score(latest.get("jpm"), rs, **{c: latest.get(c) for c in SCORE_COLUMNS})
    reasons = []
    if ks is None:
        reasons.append(UNPLACED_REASONS["tanpa_kinerja"])
    if ps is None:
        reasons.append(UNPLACED_REASONS["asesmen_kedaluwarsa" if past else "tanpa_asesmen"])
    if reasons:
        return Placement(None, ks, ps, "; ".join(reasons))
    return Placement(box_of(ks, ps, rs), ks, ps)
