"""NIP PNS and NI PPPK: cleaning, validation with reason codes, and the facts a NIP encodes.

NIP PNS (18 digits): birth date YYYYMMDD, TMT CPNS YYYYMM, sex (1 male, 2 female), serial 001-999.
NI PPPK (18 digits): birth date YYYYMMDD, appointment year YYYY, ``2`` (PPPK marker in digit 13),
one digit 1-9, sex, serial. Digit 13 in {0, 1} therefore means PNS and ``2`` means PPPK.

A NIP that went through a spreadsheet number (``1.96711E+17``, ``196711101992031000.0``) has lost
digits: it is rejected with its own code and never "repaired".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

NIP_LENGTH = 18
MIN_BIRTH_YEAR = 1940
PPPK_FIRST_YEAR = 2019

# reason code -> message template (Indonesian); {value} is the original cell text
REASONS = {
    "nip_kosong": "NIP kosong; setiap baris wajib memiliki NIP 18 digit.",
    "nip_hilang_digit": (
        "NIP '{value}' tersimpan sebagai angka di spreadsheet sehingga digit terakhirnya hilang "
        "(angka 18 digit tidak muat dalam format angka Excel). Format kolom NIP sebagai Teks "
        "dan salin ulang NIP dari sumber aslinya (SIASN); NIP ini tidak ditebak ulang."
    ),
    "nip_bukan_angka": "NIP '{value}' mengandung karakter selain angka.",
    "nip_panjang": "NIP '{value}' tidak 18 digit (NIP PNS dan NI PPPK selalu 18 digit).",
    "nip_tgl_lahir": "NIP '{value}': digit 1-8 bukan tanggal lahir yang mungkin (YYYYMMDD).",
    "nip_tmt": "NIP '{value}': digit 9-14 bukan TMT CPNS (YYYYMM) atau tahun pengangkatan PPPK yang mungkin.",
    "nip_jenis_kelamin": "NIP '{value}': digit 15 harus 1 (laki-laki) atau 2 (perempuan).",
    "nip_urut": "NIP '{value}': nomor urut (digit 16-18) tidak boleh 000.",
}

_SCI = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$")
_FLOATY = re.compile(r"^[0-9]{12,}[.,]0+$")
_STRIP = re.compile(r"[\s.\-'’`‘_]")


def clean(raw: pd.Series) -> pd.Series:
    """Remove spaces, dots, dashes and a leading apostrophe. Values stay text (or NA)."""
    s = raw.astype("string").str.strip()
    return s.str.replace(_STRIP.pattern, "", regex=True)


def typed(value) -> str:
    """One NIP as a user types or pastes it ("1987 0310 2012 10 1 001", "198703102012101001."): the characters
    ``clean`` removes are removed, so a NIP written the way it is printed finds its employee."""
    return _STRIP.sub("", str(value or "").strip())


def check(raw: pd.Series, numeric_cell: pd.Series | None = None, today: dt.date | None = None) -> pd.Series:
    """Return, per value, the first reason code that makes it invalid, or NA when valid.

    ``numeric_cell`` marks values that a spreadsheet stored as a number (their digits are lost).
    """
    today = today or dt.date.today()
    s_raw = raw.astype("string").str.strip()
    s = clean(raw)
    code = pd.Series(pd.NA, index=raw.index, dtype="string")

    def mark(mask: pd.Series, name: str) -> None:
        m = mask.fillna(False).astype(bool) & code.isna()
        code[m] = name

    mark(s_raw.isna() | (s_raw == ""), "nip_kosong")
    mark(s_raw.str.match(_SCI.pattern) | s_raw.str.match(_FLOATY.pattern), "nip_hilang_digit")
    if numeric_cell is not None:
        mark(numeric_cell & (s.str.len() >= 16), "nip_hilang_digit")
    mark(~s.str.fullmatch(r"[0-9]+"), "nip_bukan_angka")      # \d would take full-width digits (review 5, 14)
    mark(s.str.len() != NIP_LENGTH, "nip_panjang")
    pending = code.isna()
    if not pending.any():
        return code
    p = s[pending]
    birth = pd.to_datetime(p.str.slice(0, 8), format="%Y%m%d", errors="coerce")
    birth_year = birth.dt.year
    bad_birth = birth.isna() | (birth_year < MIN_BIRTH_YEAR) | (birth_year > today.year - 15)
    code[bad_birth[bad_birth].index] = "nip_tgl_lahir"
    d13 = p.str.slice(12, 13)
    year9 = pd.to_numeric(p.str.slice(8, 12), errors="coerce")
    month = pd.to_numeric(p.str.slice(12, 14), errors="coerce")
    is_pppk = d13 == "2"
    pns_bad = ~is_pppk & (
        ~d13.isin(["0", "1"]) | (month < 1) | (month > 12)
        | (year9 < birth_year + 15) | (year9 > today.year + 1)
    )
    pppk_bad = is_pppk & (
        (p.str.slice(13, 14) == "0") | (year9 < PPPK_FIRST_YEAR) | (year9 > today.year + 1)
        | (year9 < birth_year + 15)
    )
    bad_tmt = (pns_bad | pppk_bad) & code[p.index].isna()
    code[bad_tmt[bad_tmt].index] = "nip_tmt"
    bad_sex = ~p.str.slice(14, 15).isin(["1", "2"]) & code[p.index].isna()
    code[bad_sex[bad_sex].index] = "nip_jenis_kelamin"
    bad_serial = (p.str.slice(15, 18) == "000") & code[p.index].isna()
    code[bad_serial[bad_serial].index] = "nip_urut"
    return code


def message(code: str, value: object) -> str:
    return REASONS[code].format(value=value)


def facts(nips: pd.Series) -> pd.DataFrame:
    """What valid NIPs encode: tanggal_lahir, jenis_asn (PNS/PPPK), jenis_kelamin, tmt (PNS only)."""
    s = nips.astype("string")
    birth = pd.to_datetime(s.str.slice(0, 8), format="%Y%m%d", errors="coerce").dt.date
    pppk = (s.str.slice(12, 13) == "2").fillna(False).astype(bool)
    tmt = pd.to_datetime(s.str.slice(8, 14) + "01", format="%Y%m%d", errors="coerce").dt.date
    tmt = tmt.where(~pppk, None)
    sex = s.str.slice(14, 15).map({"1": "Laki-laki", "2": "Perempuan"})
    return pd.DataFrame({
        "tanggal_lahir": birth,
        "jenis_asn": np.where(pppk, "PPPK", "PNS"),
        "jenis_kelamin": sex,
        "tmt_cpns": tmt,
    }, index=nips.index)


@dataclass(frozen=True)
class NipInfo:
    nip: str
    jenis_asn: str            # "PNS" or "PPPK" (Paruh Waktu cannot be told from the NIP)
    tanggal_lahir: dt.date
    jenis_kelamin: str
    tmt_cpns: dt.date | None  # PNS: first day of the TMT month
    tahun_pengangkatan: int


def parse(value: str, today: dt.date | None = None) -> NipInfo:
    """Parse one NIP; raises ``ValueError`` with the Indonesian reason when it is invalid."""
    code = check(pd.Series([value]), today=today).iloc[0]
    if not pd.isna(code):
        raise ValueError(message(code, value))
    s = str(clean(pd.Series([value])).iloc[0])
    birth = dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))
    pppk = s[12] == "2"
    return NipInfo(
        nip=s,
        jenis_asn="PPPK" if pppk else "PNS",
        tanggal_lahir=birth,
        jenis_kelamin="Laki-laki" if s[14] == "1" else "Perempuan",
        tmt_cpns=None if pppk else dt.date(int(s[8:12]), int(s[12:14]), 1),
        tahun_pengangkatan=int(s[8:12]),
    )
