"""Indonesian number and date formatting for pages: the library's one formatter (``talenta.fmt``)."""
from ..fmt import BULAN, date, num, pct, persen  # noqa: F401
