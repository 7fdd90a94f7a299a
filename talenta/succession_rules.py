"""Succession rules as data: jenjang, eligibility requirements, readiness horizon and ranking weights.

``SuccessionRules`` holds every number the Komite Talenta may change; the default values and their
sources (PP 11/2017 as amended by PP 17/2020, PermenPANRB 3/2020, local practice) are documented in
``docs/succession.md``. Versions are stored in ``succession_rule_set`` (sql/010): exactly one is
active, each with who and when, as the talent-map rule sets are (``rulesets.py``).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from . import fmt, rules, store
from .errors import UsageError
from .rules import RuleSetError

# Jenjang of a post, by level: 1 = pengawas (eselon IV), 2 = administrator (III), 3 = JPT pratama (II).
# Level 0 is pelaksana / JF below ahli muda: the source of candidates for pengawas posts.
JENJANG = ("pelaksana", "pengawas", "administrator", "jpt_pratama")
JENJANG_LABEL = {"pelaksana": "Pelaksana/JF", "pengawas": "Pengawas", "administrator": "Administrator",
                 "jpt_pratama": "JPT Pratama"}
# What counts as experience for a post of each jenjang (the level below, or its JF equivalent)
PENGALAMAN_LABEL = {"pengawas": "pelaksana/JF", "administrator": "pengawas/JF ahli muda",
                    "jpt_pratama": "administrator/JF ahli madya"}

# Requirement codes, in the order of every checklist; the hard ones make a candidate tidak_memenuhi (which of
# the others can be met within the horizon, siap_1_2_tahun, is decided in succession._ELIG).
REQUIREMENTS = ("pendidikan", "pengalaman", "kinerja", "hukuman_disiplin", "usia", "bup", "golongan", "krs")
HARD = ("hukuman_disiplin", "bup", "usia")
REQUIREMENT_LABEL = {
    "pendidikan": "Pendidikan", "pengalaman": "Pengalaman jabatan", "kinerja": "Kinerja (predikat SKP)",
    "hukuman_disiplin": "Hukuman disiplin", "usia": "Usia", "bup": "Batas usia pensiun",
    "golongan": "Pangkat/golongan", "krs": "Kelompok Rencana Suksesi",
}
STATUS_LABEL = {"memenuhi": "Memenuhi", "belum": "Belum memenuhi", "tanpa_data": "Perlu verifikasi (data kosong)"}

READINESS = ("siap_sekarang", "siap_1_2_tahun", "kandidat_masa_depan", "tidak_memenuhi")
READINESS_LABEL = {"siap_sekarang": "Siap sekarang", "siap_1_2_tahun": "Siap 1-2 tahun",
                   "kandidat_masa_depan": "Kandidat masa depan", "tidak_memenuhi": "Tidak memenuhi"}
REASONS = ("kosong", "bup", "kritikal")
REASON_LABEL = {"kosong": "Kosong", "bup": "Pemangku mencapai BUP", "kritikal": "Jabatan kritikal"}

PENDIDIKAN_RANK = {"SD": 1, "SMP": 2, "SMA": 3, "D1": 4, "D2": 5, "D3": 6, "D4": 7, "S1": 7, "S2": 8, "S3": 9}
PENDIDIKAN_LABEL = {"SD": "SD", "SMP": "SMP", "SMA": "SMA", "D1": "D-I", "D2": "D-II", "D3": "D-III",
                    "D4": "D-IV", "S1": "S-1", "S2": "S-2", "S3": "S-3"}
GOLONGAN_PNS = [f"{g}/{s}" for g, subs in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
                for s in subs]
SCORE_PARTS = ("kinerja", "potensial", "kompetensi", "pengalaman")
# the parts as a reader meets them: "pengalaman" scores time in the target post's OPD (docs/succession.md),
# not the years a requirement counts, so it says so (a candidate with 25 years read "Skor pengalaman 0")
SCORE_PART_LABEL = {"kinerja": "kinerja", "potensial": "potensial", "kompetensi": "kompetensi",
                    "pengalaman": "pengalaman di OPD target"}


@dataclass(frozen=True)
class SuccessionRules:
    """Every value of the succession rules the Komite Talenta may change (keys are jenjang names)."""

    pendidikan_min: dict[str, str] = field(default_factory=lambda: {
        "pengawas": "D3", "administrator": "S1", "jpt_pratama": "S1"})
    pengalaman_bulan: dict[str, int] = field(default_factory=lambda: {
        "pengawas": 48, "administrator": 36, "jpt_pratama": 24})
    kinerja_tahun: int = 2                      # predikat at least kinerja_min in each of the last N years
    kinerja_min: str = "Baik"
    hukdis_tingkat: tuple[str, ...] = ("sedang", "berat")
    hukdis_tahun: int = 2                       # a sanction ended within the last N years still counts [L]
    usia_maks: dict[str, int] = field(default_factory=lambda: {"jpt_pratama": 56})
    bup_bulan_min: int = 12                     # at least this many months before BUP
    # the BUP of the target post a candidate would hold (UU ASN, ``rules.BUP_RULES``): a JPT or any other
    # structural post
    bup_usia: dict[str, int] = field(default_factory=lambda: {"umum": rules.BUP_LAIN, "jpt": rules.BUP_JPT})
    golongan_min: dict[str, str] = field(default_factory=lambda: {
        "pengawas": "III/b", "administrator": "III/d", "jpt_pratama": "IV/b"})
    kenaikan_pangkat_bulan: int = 48            # regular promotion: four years in a golongan
    horizon_bulan: int = 24                     # target posts (BUP) and siap_1_2_tahun
    hanya_pns: bool = True                      # structural posts are for PNS
    rotasi: bool = True                         # candidates at the same jenjang too
    standar_kompetensi: dict[str, float] = field(default_factory=lambda: {
        "pengawas": 70.0, "administrator": 75.0, "jpt_pratama": 80.0})
    bobot: dict[str, float] = field(default_factory=lambda: {
        "kinerja": 0.35, "potensial": 0.35, "kompetensi": 0.2, "pengalaman": 0.1})
    # bookkeeping, filled when stored
    id: int | None = None
    version: int = 0
    name: str = "Bawaan (PP 11/2017 jo. PP 17/2020, PermenPANRB 3/2020)"
    created_by: str = ""
    created_at: str = ""

    RULE_FIELDS = ("pendidikan_min", "pengalaman_bulan", "kinerja_tahun", "kinerja_min", "hukdis_tingkat",
                   "hukdis_tahun", "usia_maks", "bup_bulan_min", "bup_usia", "golongan_min",
                   "kenaikan_pangkat_bulan", "horizon_bulan", "hanya_pns", "rotasi", "standar_kompetensi", "bobot")

    def __post_init__(self) -> None:
        p = self.problems()
        if p:
            raise RuleSetError("Aturan suksesi tidak valid: " + "; ".join(p))

    def problems(self) -> list[str]:
        p = []
        targets = JENJANG[1:]
        for name, allowed in (("pendidikan_min", PENDIDIKAN_RANK), ("golongan_min", GOLONGAN_PNS)):
            d = getattr(self, name)
            for j in targets:
                if d.get(j) not in allowed:
                    p.append(f"{name}[{j}] = {d.get(j)!r} tidak dikenal")
        for j in targets:
            v = self.pengalaman_bulan.get(j)
            if not isinstance(v, int) or not 0 <= v <= 600:
                p.append(f"pengalaman_bulan[{j}] = {v!r} harus bilangan bulat 0-600")
        if self.kinerja_min not in ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"):
            p.append(f"kinerja_min = {self.kinerja_min!r} bukan predikat")
        for name in ("kinerja_tahun", "hukdis_tahun"):
            v = getattr(self, name)
            if not isinstance(v, int) or not 0 <= v <= 10:
                p.append(f"{name} = {v!r} harus bilangan bulat 0-10")
        if set(self.bobot) != set(SCORE_PARTS) or any(w < 0 for w in self.bobot.values()) \
                or sum(self.bobot.values()) <= 0:
            p.append(f"bobot harus untuk {', '.join(SCORE_PARTS)}, tidak negatif, dan tidak semuanya nol")
        return p

    def rules_dict(self) -> dict:
        d = asdict(self)
        out = {k: d[k] for k in self.RULE_FIELDS}
        out["hukdis_tingkat"] = list(out["hukdis_tingkat"])
        return out

    def to_json(self) -> str:
        return json.dumps(self.rules_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str, **meta) -> "SuccessionRules":
        d = json.loads(text)
        d = {k: v for k, v in d.items() if k in cls.RULE_FIELDS}
        if "hukdis_tingkat" in d:
            d["hukdis_tingkat"] = tuple(d["hukdis_tingkat"])
        return cls(**d, **meta)

    def with_(self, **changes) -> "SuccessionRules":
        return replace(self, **changes)

    @property
    def label(self) -> str:
        return f"Aturan suksesi #{self.id} v{self.version}: {self.name}" if self.id else self.name

    def bup_for_level(self, level: int) -> int:
        """BUP (years) of a structural post of ``level``: JPT 60, others the general 58."""
        return self.bup_usia["jpt"] if level >= 3 else self.bup_usia["umum"]

    def describe(self) -> list[str]:
        """The rules in sentences (the Suksesi page's 'Aturan' panel and docs)."""
        out = []
        for j in JENJANG[1:]:
            usia = f"; usia paling tinggi {self.usia_maks[j]} tahun" if j in self.usia_maks else ""
            out.append(f"**{JENJANG_LABEL[j]}**: pendidikan ≥ {PENDIDIKAN_LABEL[self.pendidikan_min[j]]}; "
                       f"pengalaman sebagai {PENGALAMAN_LABEL[j]} ≥ {_dur(self.pengalaman_bulan[j])}; "
                       f"golongan ≥ {self.golongan_min[j]}{usia}.")
        out.append(f"Semua jenjang: predikat kinerja minimal {self.kinerja_min} pada {self.kinerja_tahun} tahun "
                   f"terakhir; tidak ada hukuman disiplin {'/'.join(self.hukdis_tingkat)} yang berjalan atau "
                   f"berakhir dalam {self.hukdis_tahun} tahun terakhir; paling sedikit {self.bup_bulan_min} bulan "
                   "sebelum BUP; termasuk KRS (" + rules.KRS_TEXT + ").")
        w = ", ".join(f"{SCORE_PART_LABEL[k]} {_pct(v / sum(self.bobot.values()))}" for k, v in self.bobot.items())
        out.append(f"Skor peringkat: {w}. Horizon jabatan target dan 'siap 1-2 tahun': {self.horizon_bulan} bulan.")
        return out


def _pct(x: float) -> str:
    return fmt.pct(x, 0)


def _dur(months: int) -> str:
    y, m = divmod(int(months), 12)
    return " ".join(b for b in (f"{y} th" if y else "", f"{m} bl" if m else "") if b) or "0 bl"


DEFAULT = SuccessionRules()

_COLS = "rule_set_id, name, params, version, created_by, created_at"


def _from_row(row) -> SuccessionRules:
    rid, name, params, version, by, at = row
    return SuccessionRules.from_json(params, id=int(rid), name=name, version=int(version), created_by=by or "",
                                     created_at=str(at) if at else "")


def active(con) -> SuccessionRules:
    """The active succession rule set; the default one when none was stored (a read-only database)."""
    row = store.query_one(con, "SELECT " + _COLS + " FROM succession_rule_set WHERE active "
                               "ORDER BY rule_set_id DESC LIMIT 1")
    return _from_row(row) if row else DEFAULT


def get(con, rule_set_id: int) -> SuccessionRules:
    row = store.query_one(con, "SELECT " + _COLS + " FROM succession_rule_set WHERE rule_set_id = ?", [rule_set_id])
    if row is None:
        raise UsageError(f"Aturan suksesi #{rule_set_id} tidak ada.")
    return _from_row(row)


def history(con) -> pd.DataFrame:
    return store.query_df(con, "SELECT rule_set_id, version, name, note, created_by, created_at, active, "
                               "activated_by, activated_at, params FROM succession_rule_set ORDER BY rule_set_id DESC")


def save(con, rules: SuccessionRules, *, name: str, note: str, user: str, activate: bool = True) -> SuccessionRules:
    """Store ``rules`` as a new version (and make it the active one)."""
    if not name.strip():
        raise UsageError("Beri nama aturan suksesi baru (misalnya 'Keputusan Komite Talenta 2026').")
    with store.transaction(con) as cur:
        rid = cur.execute("SELECT nextval('seq_succession_rule_set')").fetchall()[0][0]
        version = cur.execute("SELECT coalesce(max(version), 0) + 1 FROM succession_rule_set").fetchall()[0][0]
        now = store.now()
        if activate:
            cur.execute("UPDATE succession_rule_set SET active = false WHERE active")
        cur.execute("INSERT INTO succession_rule_set VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [rid, name.strip(), rules.to_json(), version, note.strip(), user, now, activate,
                     user if activate else None, now if activate else None])
    return get(con, rid)


def ensure_default(con) -> SuccessionRules:
    """Store the default set as version 1 (active) when the table is empty; returns the active set."""
    n = store.query_one(con, "SELECT count(*) FROM succession_rule_set")[0]
    if not n:
        save(con, DEFAULT, name=DEFAULT.name, note="Aturan suksesi bawaan Talenta (docs/succession.md).",
             user="sistem")
    return active(con)
