"""The high-potential model's features and parameters (``talenta.hipo`` fits it; ``talenta.config`` builds the
parameters from the settings). A module of its own so that the settings need not import the model."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError

FEATURES = {
    "skor_kinerja": "kinerja",
    "tren_kinerja": "tren kinerja",
    "jpm": "JPM",
    "nilai_potensi": "potensi",
    "nilai_manajerial": "manajerial",
    "nilai_sosial_kultural": "sosial kultural",
    "nilai_teknis": "teknis",
}
# The trend is reported but not clustered on by default: it moves in steps of 20 points and made the
# mixture split the population by trend instead of by talent (docs/hipo.md).
DEFAULT_FEATURES = ("skor_kinerja", "jpm", "nilai_potensi", "nilai_manajerial", "nilai_sosial_kultural", "nilai_teknis")

@dataclass(frozen=True)
class HipoParams:
    """Validated parameters of the model (``random_state`` comes from the settings' seed)."""

    features: tuple[str, ...] = DEFAULT_FEATURES
    k_min: int = 2
    k_max: int = 6
    fit_sample: int = 50_000
    bootstrap: int = 20
    stability_threshold: float = 0.8
    min_centroid_z: float = 1.0
    flag_threshold: float = 0.8
    reg_covar: float = 0.05
    random_state: int = 0

    def __post_init__(self):
        unknown = [f for f in self.features if f not in FEATURES]
        if unknown or not self.features:
            raise UsageError(f"Fitur tidak dikenal: {unknown}; pilih dari {', '.join(FEATURES)}.")
        if not 1 <= self.k_min <= self.k_max <= 12:
            raise UsageError(f"Rentang jumlah klaster {self.k_min}-{self.k_max} tidak valid (1 ≤ k_min ≤ k_max ≤ 12).")
        if not 0.5 <= self.flag_threshold < 1:
            raise UsageError(f"Ambang keyakinan {self.flag_threshold} harus di antara 0,5 dan 1.")
        if not 0 < self.stability_threshold <= 1:
            raise UsageError(f"Ambang stabilitas {self.stability_threshold} harus di antara 0 dan 1.")
        if self.bootstrap < 0 or self.fit_sample < 50:
            raise UsageError("bootstrap harus ≥ 0 dan fit_sample ≥ 50.")
