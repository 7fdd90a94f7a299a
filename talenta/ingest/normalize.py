"""Vectorised normalisers: text in, canonical values out, NA where a value cannot be read.

Each ``to_*`` function returns the normalised series; the validator compares it with the input
to find values that were present but unreadable. Nothing here guesses: an unknown spelling
becomes NA (and so a reported problem), never a nearby value.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from .. import schema


def canon(s: pd.Series) -> pd.Series:
    """Lower case, letters and digits only: ``'Sangat  Baik.'`` -> ``'sangatbaik'``."""
    return s.astype("string").str.lower().str.replace(r"[^0-9a-z]", "", regex=True)


def text(s: pd.Series) -> pd.Series:
    out = s.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    return out.mask(out == "")


def _lookup(s: pd.Series, table: dict[str, str]) -> pd.Series:
    return canon(s).map(table).astype("string")


PREDIKAT_KEYS = {
    "sangatbaik": "Sangat Baik", "sb": "Sangat Baik",
    "baik": "Baik", "b": "Baik",
    "butuhperbaikan": "Butuh Perbaikan", "bp": "Butuh Perbaikan", "perluperbaikan": "Butuh Perbaikan",
    "kurang": "Kurang", "k": "Kurang", "kurangmisconduct": "Kurang", "misconduct": "Kurang",
    "sangatkurang": "Sangat Kurang", "sk": "Sangat Kurang",
}
RATING_KEYS = {
    "diatasekspektasi": "Di atas ekspektasi", "diatas": "Di atas ekspektasi", "atas": "Di atas ekspektasi",
    "sesuaiekspektasi": "Sesuai ekspektasi", "sesuai": "Sesuai ekspektasi",
    "dibawahekspektasi": "Di bawah ekspektasi", "dibawah": "Di bawah ekspektasi", "bawah": "Di bawah ekspektasi",
}
JENIS_KELAMIN_KEYS = {
    "l": "Laki-laki", "lakilaki": "Laki-laki", "pria": "Laki-laki", "m": "Laki-laki", "male": "Laki-laki", "1": "Laki-laki",
    "p": "Perempuan", "perempuan": "Perempuan", "wanita": "Perempuan", "f": "Perempuan", "female": "Perempuan", "2": "Perempuan",
}
JENIS_ASN_KEYS = {
    "pns": "PNS", "cpns": "PNS", "pegawainegerisipil": "PNS",
    "pppk": "PPPK", "p3k": "PPPK", "pppkpenuhwaktu": "PPPK",
    "pppkparuhwaktu": "PPPK Paruh Waktu", "pppkpw": "PPPK Paruh Waktu", "paruhwaktu": "PPPK Paruh Waktu",
    "p3kparuhwaktu": "PPPK Paruh Waktu",
}
JENIS_JABATAN_KEYS = {
    "struktural": "Struktural", "jabatanstruktural": "Struktural", "jpt": "Struktural",
    "jabatanpimpinantinggi": "Struktural", "administrator": "Struktural", "pengawas": "Struktural",
    "manajerial": "Struktural", "jabatanmanajerial": "Struktural",
    "fungsional": "Fungsional", "fungsionaltertentu": "Fungsional", "jabatanfungsional": "Fungsional",
    "jf": "Fungsional", "jft": "Fungsional",
    "pelaksana": "Pelaksana", "jabatanpelaksana": "Pelaksana", "fungsionalumum": "Pelaksana", "jfu": "Pelaksana",
}
PENDIDIKAN_KEYS = {
    "sd": "SD", "sekolahdasar": "SD", "smp": "SMP", "sltp": "SMP", "sma": "SMA", "slta": "SMA", "smk": "SMA",
    "smasmk": "SMA", "sltasederajat": "SMA", "d1": "D1", "di": "D1", "d2": "D2", "dii": "D2",
    "d3": "D3", "diii": "D3", "diplomaiii": "D3", "d4": "D4", "div": "D4", "diplomaiv": "D4",
    "s1": "S1", "sarjana": "S1", "strata1": "S1", "s2": "S2", "magister": "S2", "strata2": "S2",
    "s3": "S3", "doktor": "S3", "strata3": "S3",
    "s1sarjana": "S1", "sarjanas1": "S1", "s2magister": "S2", "magisters2": "S2", "s2pascasarjana": "S2",
    "s3doktor": "S3", "d3diplomaiii": "D3", "diplomatiga": "D3", "d4sarjanaterapan": "D4", "sarjanaterapan": "D4",
    "d1diplomai": "D1", "d2diplomaii": "D2",
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
ESELON_CODES = {"11": "I.a", "12": "I.b", "21": "II.a", "22": "II.b", "31": "III.a", "32": "III.b",
                "41": "IV.a", "42": "IV.b", "51": "V.a"}
NO_ESELON = {"", "nonselon", "noneselon", "nonesselon", "tidakada", "0", "00", "99", "na"}


# a predikat written with letters, separated by spaces, dots or a slash (``S.B.``, ``Kurang / Misconduct``)
# or a hyphen between words (``Sangat-Kurang``); a sign or a digit is not a spelling variant: ``B+`` and
# ``B-`` are not "Baik" (they used to become it, once the punctuation was stripped for the lookup)
PREDIKAT_SPELLING = r"[\s.]*[A-Za-z]+(?:(?:[\s./]+|-)[A-Za-z]+)*[\s.]*"


def predikat(s: pd.Series) -> pd.Series:
    """A predikat of PermenPANRB 6/2022 (``schema.PREDIKAT``) in any case, or NA.

    Accepted: the five names and ``SB``, ``B``, ``BP``, ``K``, ``SK``, ``Kurang/Misconduct``, with any
    case, spaces and dots; anything else (``B+``, ``Baik (90)``, ``Cukup``) is NA, so it is reported.
    """
    plain = s.astype("string").str.fullmatch(PREDIKAT_SPELLING).fillna(False).astype(bool)
    return _lookup(s, PREDIKAT_KEYS).where(plain)


def rating(s: pd.Series) -> pd.Series:
    return _lookup(s, RATING_KEYS)


def jenis_kelamin(s: pd.Series) -> pd.Series:
    return _lookup(s, JENIS_KELAMIN_KEYS)


def jenis_asn(s: pd.Series) -> pd.Series:
    return _lookup(s, JENIS_ASN_KEYS)


def jenis_jabatan(s: pd.Series) -> pd.Series:
    return _lookup(s, JENIS_JABATAN_KEYS)


def pendidikan(s: pd.Series) -> pd.Series:
    """Known spellings to SD..S3; other text is kept as written (it is descriptive, not a rule)."""
    return _lookup(s, PENDIDIKAN_KEYS).fillna(text(s))


def eselon(s: pd.Series) -> pd.Series:
    """``II.a``, ``IIa``, ``II/A``, ``2a``, SIASN ``ESELON_ID`` codes (21 = II.a) -> ``II.a``.

    'Non eselon' and blanks become NA (no eselon), which is not a problem.
    """
    k = canon(s)
    out = k.map(ESELON_CODES).astype("string")
    m = k.str.extract(r"^(iv|v|iii|ii|i|[1-5])([ab])$")
    level = m[0].map(lambda x: _ROMAN.get(x, None) if isinstance(x, str) and not x.isdigit()
                     else (int(x) if isinstance(x, str) else None))
    roman = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}
    built = level.map(roman.get).astype("string") + "." + m[1].astype("string")
    return out.fillna(built)


def golongan(s: pd.Series) -> pd.Series:
    """PNS ``III/a``, ``III a``, ``3a``, ``III-A`` -> ``III/a``; PPPK ``IX`` or ``9`` -> ``IX``."""
    k = canon(s)
    m = k.str.extract(r"^(iv|iii|ii|i|[1-4])([a-e])$")
    lvl = m[0].map(lambda x: ({"1": "I", "2": "II", "3": "III", "4": "IV"}.get(x, x.upper()))
                   if isinstance(x, str) else None)
    pns = (lvl.astype("string") + "/" + m[1].astype("string"))
    pns = pns.where(~((lvl != "IV") & (m[1] == "e")))  # only IV has an /e
    romans = {r.lower(): r for r in schema.GOLONGAN_PPPK}
    arabic = {str(i + 1): r for i, r in enumerate(schema.GOLONGAN_PPPK)}
    pppk = k.map(lambda x: romans.get(x) or arabic.get(x) if isinstance(x, str) else None).astype("string")
    return pns.fillna(pppk)


TINGKAT_KEYS = {f"{p}{t}": t for t in schema.TINGKAT_HUKUMAN
                for p in ("", "hukuman", "hukumandisiplin", "hukdis", "tingkat", "disiplin")}
TINGKAT_KEYS.update({"r": "ringan", "s": "sedang", "b": "berat"})     # SIASN jenis tingkat hukuman codes
KRITIKAL_KEYS = {"ya": "true", "y": "true", "yes": "true", "1": "true", "true": "true", "kritikal": "true",
                 "kritis": "true", "tidak": "false", "t": "false", "no": "false", "n": "false", "0": "false",
                 "false": "false", "bukan": "false", "tidakkritikal": "false"}


def _leadership_keys() -> dict[str, str]:
    """Spellings of the leadership trainings: ``Diklatpim Tk. III``, ``PIM 3``, ``Pelatihan Kepemimpinan
    Administrator`` ... (compared without case, spaces and punctuation)."""
    keys = {"pka": "PKA", "pelatihankepemimpinanadministrator": "PKA", "pkp": "PKP",
            "pelatihankepemimpinanpengawas": "PKP"}
    for level, roman, digit in (("PIM II", "ii", "2"), ("PIM III", "iii", "3"), ("PIM IV", "iv", "4")):
        for pre in ("pim", "pimtk", "pimtingkat", "diklatpim", "diklatpimtk", "diklatpimtingkat",
                    "diklatkepemimpinantk", "diklatkepemimpinantingkat"):
            keys[pre + roman] = keys[pre + digit] = level
    for pre in ("pkn", "pkntk", "pkntingkat", "pelatihankepemimpinannasionaltk",
                "pelatihankepemimpinannasionaltingkat"):
        keys[pre + "ii"] = keys[pre + "2"] = "PKN II"
    return keys


LEADERSHIP_KEYS = _leadership_keys()


def tingkat(s: pd.Series) -> pd.Series:
    """``Ringan``, ``hukuman disiplin sedang``, ``Hukdis Berat`` -> ringan | sedang | berat."""
    return _lookup(s, TINGKAT_KEYS)


def kritikal(s: pd.Series) -> pd.Series:
    """``ya``/``tidak`` (Y/T, yes/no, 1/0, true/false) -> ``"true"``/``"false"``."""
    return _lookup(s, KRITIKAL_KEYS)


def leadership(s: pd.Series) -> pd.Series:
    """A leadership training's canonical name (PKN II, PKA, PKP, PIM II-IV), NA for anything else."""
    return _lookup(s, LEADERSHIP_KEYS)


def jenis_diklat(s: pd.Series) -> pd.Series:
    """Leadership trainings to their canonical name; other kinds of training kept as written."""
    return leadership(s).fillna(text(s))


# a space between digits groups thousands ("1 234") only: "8 7" was read as 87 (hostile pass, session 22)
_THOUSANDS_SPACE = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")
_NUM_EDGE = re.compile(r"^\s+|\s*%\s*$|\s+$")


def number(s: pd.Series) -> pd.Series:
    """``87,5`` / ``87,5%`` / ``87,5 %`` / ``87.5`` / ``1.234,5`` / ``1 234`` -> float; unreadable text (spaces
    inside a number other than between groups of thousands, "8 7") -> NA."""
    t = s.astype("string").str.replace(_NUM_EDGE.pattern, "", regex=True)
    t = t.str.replace(_THOUSANDS_SPACE.pattern, "", regex=True)
    both = t.str.contains(".", regex=False) & t.str.contains(",", regex=False)
    last_comma = t.str.rfind(",") > t.str.rfind(".")
    # both separators: the last one is the decimal separator, the other groups thousands
    t = t.mask(both & last_comma, t.str.replace(".", "", regex=False))
    t = t.mask(both & ~last_comma, t.str.replace(",", "", regex=False))
    t = t.str.replace(",", ".", regex=False)
    return pd.to_numeric(t.where(t.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)").fillna(False)), errors="coerce")


def year(s: pd.Series, low: int = 2000, high: int | None = None) -> pd.Series:
    """Whole years from ``low`` to ``high`` (default: the current year; a period cannot lie in the future)."""
    high = dt.date.today().year if high is None else high
    v = number(s)
    ok = v.notna() & (v == np.floor(v)) & (v >= low) & (v <= high)
    return v.where(ok).astype("Int64")


_DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d"]
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def date(s: pd.Series) -> pd.Series:
    """``17-08-1985``, ``17/08/1985``, ``1985-08-17`` (with or without time), Excel serials -> date."""
    t = s.astype("string").str.strip()
    t = t.str.replace(r"[ T]00:00:00(\.0+)?$", "", regex=True)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[s]")
    for fmt in _DATE_FORMATS:
        todo = out.isna() & t.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(t[todo], format=fmt, errors="coerce")
    # Excel serials of five digits only (10000 = 18 Mei 1927 onward): a four-digit number is a year written
    # alone ("2015"), not a date in 1905, and is left invalid (the row is rejected, naming the value)
    serial = pd.to_numeric(t.where(t.str.fullmatch(r"\d{5}(\.0+)?").fillna(False)), errors="coerce")
    serial_ok = out.isna() & serial.between(10000, 80000)
    if serial_ok.any():
        out[serial_ok] = EXCEL_EPOCH + pd.to_timedelta(serial[serial_ok].astype("int64"), unit="D")
    return out.dt.date.where(out.notna(), None)


# PermenPANRB 6/2022 matrix: (hasil kerja, perilaku kerja) -> predikat
PREDIKAT_MATRIX = {
    ("Di atas ekspektasi", "Di bawah ekspektasi"): "Kurang",
    ("Di atas ekspektasi", "Sesuai ekspektasi"): "Baik",
    ("Di atas ekspektasi", "Di atas ekspektasi"): "Sangat Baik",
    ("Sesuai ekspektasi", "Di bawah ekspektasi"): "Kurang",
    ("Sesuai ekspektasi", "Sesuai ekspektasi"): "Baik",
    ("Sesuai ekspektasi", "Di atas ekspektasi"): "Baik",
    ("Di bawah ekspektasi", "Di bawah ekspektasi"): "Sangat Kurang",
    ("Di bawah ekspektasi", "Sesuai ekspektasi"): "Butuh Perbaikan",
    ("Di bawah ekspektasi", "Di atas ekspektasi"): "Butuh Perbaikan",
}


def predikat_from_ratings(hasil: pd.Series, perilaku: pd.Series) -> pd.Series:
    keys = list(zip(hasil.astype(object), perilaku.astype(object)))
    return pd.Series([PREDIKAT_MATRIX.get(k) for k in keys], index=hasil.index, dtype="string")
