"""succession.health_of_all (every post at once) gives each post's health_of."""
import numpy as np
import pandas as pd

from talenta import succession


def test_health_of_all_equals_health_of_per_post():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({c: rng.integers(0, 4, 500) for c in ("siap", "siap12", "kandidat")})
    got = succession.health_of_all(df["siap"], df["siap12"], df["kandidat"])
    assert list(got) == [succession.health_of(a, b, c) for a, b, c in zip(df["siap"], df["siap12"], df["kandidat"])]
    assert set(got) == {"hijau", "kuning", "merah"}
    assert len(succession.health_of_all(df["siap"][:0], df["siap12"][:0], df["kandidat"][:0])) == 0
