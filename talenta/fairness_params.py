"""The equality check's parameters (``talenta.fairness`` runs the check; ``talenta.config`` builds the parameters
from the settings). A module of its own so that the settings need not import the check, as ``hipo_params``."""
from __future__ import annotations

from dataclasses import dataclass

from . import rules
from .errors import UsageError

DEFAULT_AGE_BANDS = tuple(b for b, _ in rules.USIA_KELOMPOK)     # pool.GROUPINGS' kelompok usia (rules.py)
EXAMPLE_BANDS = ",".join(str(b) for b in DEFAULT_AGE_BANDS)


@dataclass(frozen=True)
class FairnessParams:
    """Thresholds of the check (settings ``TALENTA_FAIRNESS_*``) and the age band limits (years)."""

    alpha: float = 0.05
    min_gap_pp: float = 5.0
    age_bands: tuple[int, ...] = DEFAULT_AGE_BANDS

    def __post_init__(self):
        if not 0 < self.alpha < 1:
            raise UsageError(f"Ambang p {self.alpha} harus di antara 0 dan 1.")
        if self.min_gap_pp < 0:
            raise UsageError(f"Selisih minimum {self.min_gap_pp} poin tidak boleh negatif.")
        bands = list(self.age_bands)
        if not bands or bands != sorted(set(bands)) or bands[0] <= 0:
            raise UsageError(f"Batas kelompok usia {bands} harus bilangan bulat positif yang naik, mis. " + EXAMPLE_BANDS + ".")


def parse_age_bands(text: str) -> tuple[int, ...]:
    """``"30,40,50,55"`` -> ``(30, 40, 50, 55)`` (the default bands); a message naming the value otherwise."""
    try:
        return tuple(int(x) for x in text.replace(" ", "").split(",") if x)
    except ValueError:
        raise UsageError(f"Batas kelompok usia '{text}' tidak valid: tulis bilangan bulat dipisah koma, "
                         "mis. " + EXAMPLE_BANDS + ".") from None
