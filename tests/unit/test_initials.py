"""privacy.initials (vectorised in Arrow) equals the word-by-word definition on hostile and random names."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from talenta import privacy


def reference(names: pd.Series) -> pd.Series:
    """The definition: the first character of every word (split on any Python whitespace), upper-cased, each
    followed by a dot; a name without a word is "."; a missing name stays missing."""
    return names.astype("string").str.split().map(
        lambda parts: ".".join(p[0].upper() for p in parts if p) + "." if isinstance(parts, list) else None)


def _same(names):
    got, want = privacy.initials(names), reference(names)
    assert list(got.index) == list(want.index)
    assert [None if pd.isna(x) else x for x in got] == [None if pd.isna(x) else x for x in want]


def test_hostile_names():
    _same(pd.Series(["Budi Santoso", "  budi\u00a0santoso  ", "", "   ", None, "ß straße", "ﬁrman ǆemal",
                     "<b>Ani</b> **Tebal**", "Ａｎｉ\u3000Ｂｕｄｉ", "Dr.\tH. Ali, S.H.", "\u2028x\u0085y\x1cz", "日本 語",
                     "é\u0301 o", "🙂 Senyum"], index=[3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)),
                max_size=20))
def test_random_names(names):
    _same(pd.Series(names, dtype=object))


def test_empty_series():
    _same(pd.Series([], dtype=object))
    assert np.asarray(privacy.initials(pd.Series(["a b"]))).tolist() == ["A.B."]
