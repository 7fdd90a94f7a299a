"""Evidence for the clustering method (docs/hipo.md): on the demo population, whose planted
high-potential profiles are known, compare the Gaussian mixture chosen by BIC (Talenta's pipeline)
with k-means chosen by silhouette, both identifying the high cluster from the centroids.

    python bench/hipo_method.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import silhouette_score  # noqa: E402

from talenta import demo, hipo, rulesets, store  # noqa: E402
from talenta.config import Settings  # noqa: E402
from talenta.scope import Filters, Scope  # noqa: E402


def main() -> None:
    con = store.connect(":memory:")
    d = Path("/tmp/talenta-hipo-method")
    demo.build(con, d, n=21700)
    truth = set(demo.generate(21700).employees.loc[demo.generate(21700).hipo, "nip"])
    rs = rulesets.active(con)
    df = hipo.features(con, Scope(), Filters(period=2025), rs)
    assessed_truth = truth & set(df["nip"])
    print(f"{len(df)} pegawai berasesmen; {len(assessed_truth)} profil potensi tinggi tertanam di antaranya\n")
    print("| metode | k | ditandai | presisi | recall | detik |")
    print("|---|---|---|---|---|---|")
    t = time.perf_counter()
    r = hipo.fit(df, Settings().hipo_params(bootstrap=0))
    flags = set(df.loc[r.table["hipo"].to_numpy(), "nip"])
    print(f"| Gaussian mixture, BIC (Talenta) | {r.k} | {len(flags)} | {len(flags & truth) / max(len(flags), 1):.2f} "
          f"| {len(flags & assessed_truth) / len(assessed_truth):.2f} | {time.perf_counter() - t:.1f} |")
    pipe = hipo._pipeline(2, hipo.HipoParams(), 0)[:-1]
    Z = pipe.fit_transform(df[list(hipo.DEFAULT_FEATURES)].astype(float))
    best = None
    t = time.perf_counter()
    for k in range(2, 7):
        km = KMeans(k, n_init=3, random_state=0).fit(Z)
        s = silhouette_score(Z, km.labels_, sample_size=5000, random_state=0)
        if best is None or s > best[0]:
            best = (s, k, km)
    s, k, km = best
    top = int(np.argmax(km.cluster_centers_.mean(axis=1)))
    flags = set(df.loc[km.labels_ == top, "nip"])
    print(f"| k-means, silhouette | {k} | {len(flags)} | {len(flags & truth) / max(len(flags), 1):.2f} "
          f"| {len(flags & assessed_truth) / len(assessed_truth):.2f} | {time.perf_counter() - t:.1f} |")


if __name__ == "__main__":
    main()
