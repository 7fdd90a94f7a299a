"""The Suksesi sheet of a masked workbook (review 20, 4): a post's candidate counts under the small-group threshold
read '•', as every other count of the file; unmasked, the same posts show their exact counts."""
import io

import pandas as pd

from talenta import export, rulesets, store, succession, succession_rules
from talenta.scope import Filters, Scope

T = 2025
OPD = "Dinas Kesehatan"
COUNTS = ["Siap sekarang", "Siap 1-2 tahun", "Kandidat"]


def _sheet(con, scope):
    rs = rulesets.active(con)
    flt = Filters(period=T, opd=(OPD,))
    content = export.gather(con, "Pemkot Uji", flt.at(T), rs, "uji", scope=scope)
    data = export.build_workbook(con, content, flt.at(T), rs)
    return pd.read_excel(io.BytesIO(data), sheet_name="Suksesi", engine="calamine")


def test_a_masked_workbook_hides_small_candidate_counts_per_post(demo_db_file):
    con = store.connect(demo_db_file, read_only=True)
    rs, srs = rulesets.active(con), succession_rules.active(con)
    raw = succession.targets(con, Scope(opd=frozenset({OPD})), T, rs, srs, opd=(OPD,))
    small = raw[list(succession.COUNT_COLUMNS)].apply(lambda c: c.between(1, 4)).any(axis=1)
    assert small.any(), "the demo's Dinas Kesehatan has a post with 1-4 candidates of some readiness"
    masked = _sheet(con, Scope(opd=frozenset({OPD})).masked(5))
    values = masked[COUNTS].astype(str).stack()
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    assert not numbers.between(1, 4).any() and (values == "•").any()
    unmasked = _sheet(con, Scope(opd=frozenset({OPD})))
    assert pd.to_numeric(unmasked[COUNTS].stack()).between(1, 4).any()
