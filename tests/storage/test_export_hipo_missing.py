"""An export whose high-potential section cannot be built says why, in the workbook and on the slide,
instead of leaving the sheet out (issue 13, 8)."""
import io

import pandas as pd
import pytest
from pptx import Presentation

from talenta import export
from talenta.config import Settings
from talenta.rules import DEFAULT
from talenta.scope import Filters, Scope


def _assessed(con, n: int, skp: bool = False) -> None:
    """``n`` employees of one OPD, each assessed in 2025 (and with a 2025 SKP when ``skp``)."""
    cur = con.cursor()
    for i in range(n):
        nip = f"19800101200501100{i}"
        cur.execute("INSERT INTO employee (nip, nama, instansi, opd, jenis_jabatan, jabatan, batch_id) "
                    "VALUES (?, ?, 'Kota', 'Dinas A', 'Fungsional', 'Analis', 1)", [nip, f"Pegawai {i}"])
        if skp:
            cur.execute("INSERT INTO performance (nip, tahun, predikat, batch_id) VALUES (?, 2025, 'Baik', 1)", [nip])
        cur.execute("INSERT INTO assessment (nip, tahun, jpm, batch_id) VALUES (?, 2025, 80, 1)", [nip])


def test_too_few_assessments_is_said_in_the_workbook_and_the_deck(con):
    _assessed(con, 6, skp=True)
    flt = Filters(period=2025)
    content = export.gather(con, "Kota", flt.at(2025), DEFAULT, "tester", scope=Scope(),
                            hipo_params=Settings().hipo_params(bootstrap=2))
    assert content.hipo is None and "Hanya 6 pegawai dengan asesmen" in content.hipo_error
    sheets = pd.read_excel(io.BytesIO(export.build_workbook(con, content, flt.at(2025), DEFAULT)), sheet_name=None,
                           engine="calamine", header=None, dtype=str)
    assert "Potensi Tinggi" in sheets
    text = " ".join(sheets["Potensi Tinggi"].fillna("").to_numpy().ravel())
    assert "Saran potensi tinggi tidak dapat dibuat: Hanya 6 pegawai dengan asesmen" in text
    prs = Presentation(io.BytesIO(export.build_deck(con, content, flt.at(2025), DEFAULT, images=False)))
    slides = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides]
    hipo_slide = next(s for s in slides if "Potensi tinggi: belum cukup data asesmen" in s)
    assert "Hanya 6 pegawai dengan asesmen" in hipo_slide


def test_a_small_count_of_assessed_employees_is_not_named_to_a_masked_reader(con):
    """Three assessed employees in the whole instansi: a reader under a threshold of 5 reads "Kurang dari 5",
    as every other small count, in the export and from the library (the page reads the same error)."""
    from talenta import hipo

    _assessed(con, 3)
    flt, params = Filters(period=2025), Settings().hipo_params(bootstrap=2)
    masked = export.gather(con, "Kota", flt.at(2025), DEFAULT, "tester", scope=Scope().masked(5), hipo_params=params)
    assert masked.hipo_error.startswith("Kurang dari 5 pegawai dengan asesmen") and "3" not in masked.hipo_error
    unmasked = export.gather(con, "Kota", flt.at(2025), DEFAULT, "tester", scope=Scope(), hipo_params=params)
    assert unmasked.hipo_error.startswith("Hanya 3 pegawai dengan asesmen")
    with pytest.raises(hipo.TooFewAssessed, match="^Kurang dari 5 "):
        hipo.for_scope(con, Scope().masked(5), flt.at(2025), DEFAULT, params)
