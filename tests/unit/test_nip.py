import datetime as dt

import pandas as pd
import pytest

from talenta import nip

TODAY = dt.date(2026, 1, 15)


@pytest.mark.parametrize("value, code", [
    ("196711101992031001", None),                 # the domain's example
    ("'196711101992031001", None),                # leading apostrophe from Excel
    ("19671110 199203 1 001", None),              # spaces as printed on SK
    ("19671110.199203.1.001", None),              # dots
    ("199001012021211001", None),                 # NI PPPK: 2021, marker 2, digit 1, male, 001
    ("199001012025292001", None),                 # NI PPPK female
    ("1.96711E+17", "nip_hilang_digit"),          # scientific notation from a number cell
    ("196711101992031000.0", "nip_hilang_digit"), # float written out
    ("", "nip_kosong"),
    (None, "nip_kosong"),
    ("19671110199203100", "nip_panjang"),         # 17 digits
    ("1967111019920310011", "nip_panjang"),       # 19 digits
    ("19671110199203100A", "nip_bukan_angka"),
    ("１９６７１１１０１９９２０３１００１", "nip_bukan_angka"),   # full-width digits (review 5, item 14)
    ("١٩٦٧١١١٠١٩٩٢٠٣١٠٠١", "nip_bukan_angka"),    # Arabic-Indic digits
    ("196713101992031001", "nip_tgl_lahir"),      # month 13
    ("196702301992031001", "nip_tgl_lahir"),      # 30 February
    ("193001011960031001", "nip_tgl_lahir"),      # born before 1940
    ("196711101992131001", "nip_tmt"),            # TMT month 13
    ("196711101992001001", "nip_tmt"),            # TMT month 00
    ("196711101975031001", "nip_tmt"),            # TMT at age 7
    ("196711102030031001", "nip_tmt"),            # TMT in the future
    ("199001012015211001", "nip_tmt"),            # PPPK before 2019
    ("199001012021201001", "nip_tmt"),            # PPPK digit 14 must be 1-9
    ("196711101992033001", "nip_jenis_kelamin"),
    ("196711101992031000", "nip_urut"),
])
def test_check_codes(value, code):
    got = nip.check(pd.Series([value], dtype=object), today=TODAY).iloc[0]
    assert (None if pd.isna(got) else got) == code


def test_numeric_cell_flag_rejects_even_plausible_digits():
    # an 18-digit value that came from a number cell is a float's rounding, never trusted
    s = pd.Series(["196711101992031008", "196711101992031001"])
    got = nip.check(s, numeric_cell=pd.Series([True, False]), today=TODAY)
    assert got.iloc[0] == "nip_hilang_digit" and pd.isna(got.iloc[1])


def test_parse_facts():
    info = nip.parse("196711101992031001", today=TODAY)
    assert info.jenis_asn == "PNS"
    assert info.tanggal_lahir == dt.date(1967, 11, 10)
    assert info.tmt_cpns == dt.date(1992, 3, 1)
    assert info.jenis_kelamin == "Laki-laki"
    pppk = nip.parse("199001012025292001", today=TODAY)
    assert pppk.jenis_asn == "PPPK" and pppk.tmt_cpns is None and pppk.tahun_pengangkatan == 2025
    assert pppk.jenis_kelamin == "Perempuan"


def test_parse_invalid_message_names_value_and_rule():
    with pytest.raises(ValueError) as e:
        nip.parse("1.96711E+17", today=TODAY)
    assert "1.96711E+17" in str(e.value) and "Teks" in str(e.value)
