"""Indonesian number and date formatting for pages: the library's one formatter (``talenta.fmt``)."""
from ..fmt import BULAN, change, data_date, date, num, pct, persen, stamp, years  # noqa: F401
