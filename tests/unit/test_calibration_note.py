"""``calibration.stale_note``: what moves made against an older computed box mean now, one line per person, names
escaped for markdown while the list stays a list."""
import pandas as pd

from talenta import calibration
from talenta.escape import markdown as md


def _moved(nama: str) -> pd.DataFrame:
    return pd.DataFrame({"nip": ["198001012005011001", "198001012005011002", "198001012005011003"],
                         "nama": [nama, "Budi", "Citra"], "kotak_saat_pindah": [8, 7, 5],
                         "kotak_terkalibrasi": [7, 5, 6], "kotak_terhitung": [5, 5, 5], "usang": [True, True, False]})


def test_each_stale_move_is_a_line_saying_what_it_means_now():
    note = calibration.stale_note(_moved("Ani"), closed=True)
    lines = note.splitlines()
    assert lines[0].startswith("2 perpindahan dibuat terhadap kotak terhitung lama")
    assert "- Ani (198001012005011001): dipindah turun dari kotak 8 ke kotak 7; kotak terhitungnya kini 5, jadi " \
           "kotak 7 kini berarti naik." in lines
    assert "- Budi (198001012005011002): dipindah turun dari kotak 7 ke kotak 5; kotak terhitungnya kini 5, jadi " \
           "perpindahan itu tidak lagi mengubah kotaknya." in lines
    assert "Citra" not in note                            # not moved against an older box
    assert lines[-1].startswith("Matriks sebelum-sesudah memakai kotak terhitung kini: 1 perpindahan")
    assert lines[-1].endswith("pimpinan dapat membukanya kembali untuk meninjau perpindahan ini.")
    assert calibration.stale_note(_moved("Ani").assign(usang=False), closed=False) is None


def test_a_name_from_data_is_escaped_and_the_list_stays_a_list():
    hostile = "[klik](http://e.com) **tebal** <b>x</b>"
    note = calibration.stale_note(_moved(hostile), closed=False, escape=md)
    line = next(x for x in note.splitlines() if "198001012005011001" in x)
    assert line.startswith("- ") and md(hostile) in line and hostile not in line
    assert note.splitlines()[-1].endswith("Tinjau perpindahan ini sebelum sesi ditetapkan.")
