"""Number fields written the Indonesian way ("87,5"): Streamlit's number_input can only show "87.50"."""
from __future__ import annotations

import streamlit as st

from ..fmt import num, parse_number, short

DECIMALS = 6        # a stored value is shown with every decimal it has (up to six), no trailing zeros


def decimal_input(where, label: str, value: float, lo: float, hi: float, *, key: str,
                  decimals: int = DECIMALS, help: str | None = None) -> float | None:
    """A text field holding ``value`` as "87,5" (whole numbers as "90", "90,25" as typed). Returns the number typed,
    or None after showing under the field which value broke which rule (outside ``lo``..``hi``, or not a number).
    A stored 90,25 was shown as "90,2", so the preview of an unchanged form moved people and a save of another
    field stored 90,2 (hostile pass, session 22)."""
    shown = short(value, decimals)
    text = where.text_input(label, value=shown, key=key, help=help or f"Angka {num(lo)} sampai {num(hi)}; "
                            "desimal memakai koma, mis. 87,5.")
    x = parse_number(text)
    if x is None:
        where.error(f"{label}: \"{text}\" bukan angka. Tulis mis. 87,5 (desimal memakai koma).")
        return None
    if not lo <= x <= hi:
        where.error(f"{label}: {short(x, decimals)} di luar batas {num(lo)} sampai {num(hi)}.")
        return None
    return x
