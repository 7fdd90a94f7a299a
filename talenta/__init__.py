"""Talenta: analitik Manajemen Talenta ASN (peta talenta sembilan kotak) di atas DuckDB.

The package is a pure library: nothing here imports Streamlit except ``talenta.ui``.
"""

__version__ = "0.1.0"
