"""The import summary (CLI, Impor page) writes counts the Indonesian way: 21.700, not 21700."""
from talenta.ingest.loader import ImportResult


def test_import_summary_groups_thousands_with_dots():
    r = ImportResult("siasn.xlsx", 21700, 21650, 50, 3, "diimpor", ["pegawai"], skipped=[(21702, "Total")] * 1200)
    text = r.summary()
    assert "22.900 baris dibaca = 21.650 diterima + 50 ditolak + 1.200 dilewati" in text and "batch 3." in text
