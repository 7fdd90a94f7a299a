"""Shared fixtures: small deterministic databases built from code (never real data)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

# One thread per process for OpenBLAS and OpenMP (numpy, SciPy, scikit-learn), set before they load: the suite
# runs one test process per core (pytest -n 2), and their thread pools, which spin while they wait, only took
# turns with each other (the SVD property test of tests/unit/test_pool_privacy.py: 13 s of CPU, 1.5 s alone).
# Subprocesses (the e2e server, the command line) inherit it. Results do not depend on it.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import pytest  # noqa: E402

from talenta import demo, store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Every import now ends with the write path's builders (talenta.derived), the high-potential model among them:
# the suite's many small databases fit it with 4 bootstrap refits and at most 4 clusters, not 20 and 6
# (subprocesses of the CLI inherit it). Tests of the method itself pass their own parameters.
os.environ.setdefault("TALENTA_HIPO_BOOTSTRAP", "4")
os.environ.setdefault("TALENTA_HIPO_K_MAX", "4")
DEMO_N = 1500
DEMO_SEED = 7


@pytest.fixture(scope="session")
def demo_data():
    return demo.generate(DEMO_N, DEMO_SEED)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """A demo database of 1,500 employees built through the real import path (closed after), and the
    import results of the build."""
    d = tmp_path_factory.mktemp("demo")
    path = d / "base.duckdb"
    con = store.connect(path)
    results = demo.build(con, d / "files", n=DEMO_N, seed=DEMO_SEED)
    con.close()
    return path, results


@pytest.fixture(scope="session")
def demo_db_file(demo_build) -> Path:
    """The demo database (read it, or copy it with ``db_copy`` to change it)."""
    return demo_build[0]


@pytest.fixture(scope="session")
def two_instansi_file(tmp_path_factory) -> Path:
    """A demo database of 2.400 employees in two instansi whose OPD share names (a province in one database;
    review 11): read it, or copy it to change it."""
    d = tmp_path_factory.mktemp("two")
    con = store.connect(d / "t.duckdb")
    demo.build(con, d / "files", n=2400, seed=7, n_instansi=2)
    con.close()
    return d / "t.duckdb"


@pytest.fixture
def db_copy(demo_db_file, tmp_path) -> Path:
    """A private copy of the demo database a test may change."""
    p = tmp_path / "talenta.duckdb"
    shutil.copy(demo_db_file, p)
    return p


@pytest.fixture
def con():
    """An empty, migrated in-memory database."""
    c = store.connect(":memory:")
    yield c
    c.close()


@pytest.fixture
def live_scoring():
    """Reads in the test score live (the score cache ignored): for data changed in place, outside an import."""
    from talenta import population

    with population.scoring_live():
        yield


def spy_calls(monkeypatch, owner, name: str) -> list:
    """Replace ``owner.name`` by a wrapper that records the positional arguments of every call (the list returned)
    and then calls the original."""
    calls: list = []
    real = getattr(owner, name)
    monkeypatch.setattr(owner, name, lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


@pytest.fixture
def privacy_rule():
    """``privacy_rule(effective=False)`` / ``(incremental=False)``: ``privacy.protect``'s earlier rule for the rest of
    the test (``privacy.algorithm``, undone at its end); later calls change only what they name."""
    import contextlib

    from talenta import privacy

    with contextlib.ExitStack() as stack:
        yield lambda **kw: stack.enter_context(privacy.algorithm(**kw))
