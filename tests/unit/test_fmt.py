

def test_the_data_date_reads_as_every_other_date():
    """Review 9, 10: "data per 2026-12-02" beside "2 Desember 2026" on the same screen."""
    from talenta import fmt

    assert fmt.data_date("2026-12-02 08:15:00.123") == "2 Desember 2026"
    assert fmt.data_date(None) == "–" and fmt.data_date("") == "–"
