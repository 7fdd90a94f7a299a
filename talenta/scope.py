"""Access scope and filters, turned into SQL fragments with bound parameters.

``Scope`` is who may see what (which instansi/OPD, whether identities are masked, below which size a
group is hidden); ``Filters`` is
what the user chose in the sidebar. Both return ``(sql, params)`` so they compose, and every
query function takes both: the scope is enforced in SQL, never only by hiding a widget.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import AccessDenied, UsageError


@dataclass(frozen=True)
class Scope:
    """What a user may see. ``opd=None`` means every OPD; ``instansi=None`` every instansi.

    ``mask_identity`` hides NIP and names (``talenta.privacy``); ``min_group`` > 0 hides every count of
    people below it, and whatever would reveal it; ``may_unmask`` says whether the viewer's role may
    see identities at all (``unmasked`` refuses otherwise).
    """

    opd: frozenset[str] | None = None
    instansi: frozenset[str] | None = None
    mask_identity: bool = False
    min_group: int = 0
    may_unmask: bool = True

    @classmethod
    def everything(cls) -> "Scope":
        return cls()

    @property
    def unlimited(self) -> bool:
        """True when no OPD or instansi limit applies."""
        return self.opd is None and self.instansi is None

    def masked(self, min_group: int) -> "Scope":
        """The same scope with identities masked and groups below ``min_group`` hidden (never less than now)."""
        return replace(self, mask_identity=True, min_group=max(self.min_group, min_group))

    def unmasked(self) -> "Scope":
        """The same scope with identities shown and no small-group suppression (a deliberate choice)."""
        if not self.may_unmask:
            raise AccessDenied("Peran Anda tidak berhak melihat identitas pegawai; data tetap disamarkan.")
        return replace(self, mask_identity=False, min_group=0)

    def within_instansi(self, instansi: tuple[str, ...]) -> "Scope":
        """The same scope narrowed to the chosen instansi (a filter only narrows: an instansi outside the limit
        stays out). For readers that take the OPD filter as an argument but no instansi filter (succession)."""
        if not instansi:
            return self
        chosen = frozenset(instansi)
        return replace(self, instansi=chosen if self.instansi is None else self.instansi & chosen)

    def where(self, alias: str = "e", prefix: str = "scope") -> tuple[str, dict]:
        parts, params = [], {}
        if self.opd is not None:
            parts.append(f"list_contains(${prefix}_opd, {alias}.opd)")
            params[f"{prefix}_opd"] = sorted(self.opd)
        if self.instansi is not None:
            parts.append(f"list_contains(${prefix}_instansi, {alias}.instansi)")
            params[f"{prefix}_instansi"] = sorted(self.instansi)
        return (" AND ".join(parts) or "TRUE"), params


FILTER_COLUMNS = ("instansi", "opd", "jenis_jabatan", "jenis_asn")
BASES = ("otomatis", "terhitung", "terkalibrasi")
"""Which box a view shows (``Filters.basis``): ``terhitung`` the box computed by the rule set,
``terkalibrasi`` the Komite Talenta's calibrated box (``talenta.calibration``), ``otomatis`` the
calibrated box where the period's calibration session is closed (tetapkan), else the computed one."""


@dataclass(frozen=True)
class Filters:
    """The sidebar filters. Empty tuples mean "all". ``period`` is the one period a reader shows
    (``need_period``); a reader of other periods asks with ``at``."""

    period: int | None = None
    instansi: tuple[str, ...] = ()
    opd: tuple[str, ...] = ()
    jenis_jabatan: tuple[str, ...] = ()
    jenis_asn: tuple[str, ...] = ()
    basis: str = "otomatis"

    def __post_init__(self):
        if self.basis not in BASES:
            raise ValueError(f"basis must be one of {BASES}, not {self.basis!r}")

    def at(self, period: int | None) -> "Filters":
        """The same filters for another period (the trend, the movement, and the periods a page compares)."""
        return self if period == self.period else replace(self, period=period)

    def need_period(self) -> int:
        """The chosen period, for a reader that shows one: a typed error when none was chosen."""
        if self.period is None:
            raise UsageError("Pilih periode penilaian terlebih dahulu.")
        return self.period

    @property
    def unlimited(self) -> bool:
        """True when no filter narrows the employees (the period chooses data, not people)."""
        return not any(getattr(self, col) for col in FILTER_COLUMNS)

    def where(self, alias: str = "e", prefix: str = "f") -> tuple[str, dict]:
        parts, params = [], {}
        for col in FILTER_COLUMNS:
            values = getattr(self, col)
            if values:
                name = f"{prefix}_{col}"
                parts.append(f"list_contains(${name}, {alias}.{col})")
                params[name] = list(values)
        return (" AND ".join(parts) or "TRUE"), params

    def describe(self, scope: "Scope | None" = None) -> str:
        """One line for the top of each page and for footnotes. With ``scope``, a filter left open on a column the
        account is limited on names the account's OPD/instansi instead of "semua" (an OPD account's pages are
        its OPD's, not everyone's)."""
        bits = [f"Periode {self.period}" if self.period else "Semua periode"]
        labels = {"instansi": "Instansi", "opd": "OPD", "jenis_jabatan": "Jenis jabatan", "jenis_asn": "Jenis ASN"}
        for col in FILTER_COLUMNS:
            values = getattr(self, col)
            limit = getattr(scope, col, None) if scope is not None and col in ("opd", "instansi") else None
            if not values and limit:
                values = tuple(sorted(limit))
            if values:
                shown = ", ".join(values[:3]) + (f" +{len(values) - 3} lainnya" if len(values) > 3 else "")
                bits.append(f"{labels[col]}: {shown}")
            else:
                bits.append(f"{labels[col]}: semua")
        if self.basis != "otomatis":
            bits.append(f"Dasar kotak: {self.basis}")
        return " · ".join(bits)


def employee_where(scope: Scope, filters: Filters, alias: str = "e") -> tuple[str, dict]:
    """Scope AND filters for the employee table aliased ``alias``."""
    s_sql, s_params = scope.where(alias)
    f_sql, f_params = filters.where(alias)
    return f"({s_sql}) AND ({f_sql})", {**s_params, **f_params}
