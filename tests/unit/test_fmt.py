

def test_the_data_date_reads_as_every_other_date():
    """Review 9, 10: "data per 2026-12-02" beside "2 Desember 2026" on the same screen."""
    from talenta import fmt

    assert fmt.data_date("2026-12-02 08:15:00.123") == "2 Desember 2026"
    assert fmt.data_date(None) == "–" and fmt.data_date("") == "–"


def test_instansi_label_names_the_data():
    from talenta.overview import instansi_label

    assert instansi_label(["Kota A"], (), "Setelan") == "Kota A"
    assert instansi_label(["Kota A", "Kota B"], ("Kota B",), "Setelan") == "Kota B"
    assert instansi_label(["Kota A", "Kota B", "Kota C"], (), "Setelan") == "3 instansi"
    assert instansi_label([], (), "Setelan") == "Setelan"
    assert instansi_label(["Kota A"], ("Kota Z",), "Setelan") == "Setelan"
