"""Numbers and dates the Indonesian way: 21.700 pegawai, 87,5 %, 17 Agustus 2025."""
from __future__ import annotations

import datetime as dt
import math
import re

BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember"]


def num(x: float | int | None, decimals: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def short(x: float | int | None, decimals: int = 2) -> str:
    """A value with at most ``decimals`` decimals and no trailing zeros: ``87,5``, ``100``, ``0,25`` (rule
    values, scores in sentences)."""
    s = num(x, decimals)
    return s.rstrip("0").rstrip(",") if "," in s else s


NAME_CHARS = 56      # a group's name on a chart axis or a slide's category label


def clip(text: str, limit: int = NAME_CHARS) -> str:
    """``text`` of at most ``limit`` characters: cut at a word boundary (or mid-word when one word is longer) with
    "…". A 300-character OPD name took the whole width of a heatmap on the page and the slide and squeezed the
    cells and bars into a strip (hostile pass, session 22); the full name stays in tables, lists and hover text."""
    text = str(text)
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head[limit // 2:] else head
    return cut.rstrip(" ·,;:(") + "…"


def pct(share: float | None, decimals: int = 1) -> str:
    """A share (0..1) as ``87,5 %``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{num(share * 100, decimals)} %"


def persen(value: float | None, decimals: int = 1) -> str:
    """A percentage (0..100, e.g. ``krs_persen``) as ``87,5 %``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{num(value, decimals)} %"


_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_number(text: str) -> float | None:
    """A number typed the Indonesian way ("87,5", "1.250", "1.250,5"); a plain "87.5" is read as 87,5 too.
    None when the text is not a number."""
    t = str(text).strip().replace(" ", "")
    if not t:
        return None
    if _THOUSANDS.match(t):
        t = t.replace(".", "")
    elif "," in t and "." in t:
        return None
    t = t.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", t):
        return None
    return float(t)


def data_date(stamp: str | None) -> str:
    """The day of an ISO time stamp (the last import's, ``2026-12-02 08:15:00``) as every other date on a page reads:
    ``2 Desember 2026`` (review 9, 10: "data per 2026-12-02" beside "2 Desember 2026"); "–" for none."""
    if not stamp:
        return "–"
    try:
        return date(dt.date.fromisoformat(str(stamp)[:10]))
    except ValueError:
        return str(stamp)[:10]


def stamp(value: str | None) -> str:
    """An ISO time stamp (``2026-12-03 17:14:09``) as ``3 Desember 2026, 17.14``; "–" for none."""
    if not value:
        return "–"
    try:
        return date(dt.datetime.fromisoformat(str(value)), with_time=True)
    except ValueError:
        return str(value)


def date(d: dt.date | dt.datetime | None, with_time: bool = False) -> str:
    if d is None:
        return "–"
    s = f"{d.day} {BULAN[d.month - 1]} {d.year}"
    if with_time and isinstance(d, dt.datetime):
        s += f", {d:%H.%M}"
    return s


def change(x: float | int | None, decimals: int = 0, unit: str = "") -> str | None:
    """A change with its sign, Indonesian digits: ``+1.204``, ``-3``, ``+2,5 poin``; ``0`` without a sign
    (Streamlit's metric reads a leading ``-`` as a fall and the literal ``0`` as no change); None stays None."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    if round(x, decimals) == 0:
        return "0"
    text = ("+" if x > 0 else "-") + num(abs(x), decimals)
    return f"{text} {unit}".strip()


def years(first: int, last: int) -> str:
    """A span of years: ``2024–2025``, or ``2025`` when it is one year (a rule set's window)."""
    return str(last) if first == last else f"{first}–{last}"
