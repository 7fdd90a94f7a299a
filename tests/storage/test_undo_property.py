"""Property: after any sequence of partial and full imports and undos of any batch, in any order, the
current tables equal a replay of the remaining batches, in order, from an empty database.

The replay is a plain-Python model of the import rules (a key gets the columns a file carries, other
columns keep their value, a new key starts with NULL in the columns its file lacks; a kinerja/asesmen
row is accepted only when its NIP is already in the employee master). Files are tiny and built as
already-validated tables stored through the real storing path (``loader._store``, the same code
``import_file`` ends in), so that hundreds of sequences run in seconds; validation has its own
property tests (tests/unit/test_validate_agrees.py).

Run many more sequences with ``TALENTA_UNDO_EXAMPLES=3000``.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from talenta import demo, schema, store
from talenta.errors import DependentBatchesError, UsageError
from talenta.ingest import loader
from talenta.ingest.readers import RawTable
from talenta.ingest.validate import HeaderMapping, Validated

EXAMPLES = int(os.environ.get("TALENTA_UNDO_EXAMPLES", "100"))
NIPS = demo.generate(50, 11).employees["nip"].head(5).tolist()
KEYS = loader.KEYS
TABLE_OF = dict(loader.TABLES)
# columns a file may or may not carry (beyond the keys and the columns every row of its kind has)
OPTIONAL = {"employee": ["gelar_depan", "unit_kerja", "jabatan", "golongan", "tanggal_lahir", "tmt_jabatan"],
            "performance": ["predikat", "nilai_kinerja"], "assessment": ["jpm", "kategori_jpm"],
            "riwayat_jabatan": ["jenis_jabatan", "eselon", "opd", "tmt_selesai"], "hukuman_disiplin": ["tmt_selesai"],
            "diklat": ["jenis_diklat"], "formasi": ["eselon"]}
REQUIRED = {"employee": ["nama", "opd", "instansi"], "performance": ["tahun"], "assessment": ["tahun"],
            "riwayat_jabatan": ["jabatan", "tmt_mulai"], "hukuman_disiplin": ["tingkat", "jenis_hukuman", "tmt_mulai"],
            "diklat": ["nama_diklat", "tahun"], "formasi": ["instansi", "opd", "jabatan", "pemangku_nip", "kritikal"]}
# single-kind files often, so that kinerja/asesmen and riwayat/hukuman/diklat/formasi files depend on earlier masters
KIND_SETS = [[schema.PEGAWAI], [schema.PEGAWAI], [schema.KINERJA], [schema.ASESMEN], [schema.KINERJA, schema.ASESMEN],
             [schema.KINERJA], [schema.PEGAWAI, schema.KINERJA], [schema.PEGAWAI, schema.KINERJA, schema.ASESMEN],
             [schema.RIWAYAT], [schema.HUKUMAN], [schema.DIKLAT], [schema.FORMASI]]
TEXT = st.sampled_from(["a", "b", None])
DATE = st.sampled_from([dt.date(2015, 1, 1), dt.date(2020, 6, 30)])
VALUES = {"tanggal_lahir": st.sampled_from([dt.date(1980, 1, 1), dt.date(1990, 6, 30), None]),
          "nilai_kinerja": st.sampled_from([70.0, 90.0, None]), "jpm": st.sampled_from([60.0, 85.5, None]),
          "nama": st.sampled_from(["a", "b"]), "opd": st.sampled_from(["a", "b"]),
          "instansi": st.sampled_from(["a", "b"]), "jabatan": st.sampled_from(["a", "b"]),
          "tmt_jabatan": st.sampled_from([dt.date(2019, 1, 1), None]), "tmt_mulai": DATE,
          "tmt_selesai": st.sampled_from([dt.date(2021, 1, 1), None]), "tingkat": st.sampled_from(["ringan", "berat"]),
          "jenis_hukuman": st.sampled_from(["a", "b"]), "nama_diklat": st.sampled_from(["a", "b"]),
          "kritikal": st.booleans(), "pemangku_nip": st.sampled_from(NIPS[:3] + [None])}
ARROW = {"tanggal_lahir": pa.date32(), "nilai_kinerja": pa.float64(), "jpm": pa.float64(), "tahun": pa.int32(),
         "tmt_jabatan": pa.date32(), "tmt_mulai": pa.date32(), "tmt_selesai": pa.date32(), "kritikal": pa.bool_()}
# the column holding the NIP that must be in the master, per table (the master itself: none)
NIP_COLUMN = {TABLE_OF[k]: c for k, c in loader.NIP_OF.items()}


def _needs_master(table: str, row: dict, masters: set) -> bool:
    """Whether a row of ``table`` is accepted given the master's NIPs (an empty pemangku: a vacant post)."""
    if table == "employee":
        return True
    nip = row[NIP_COLUMN[table]]
    return nip in masters or (table == "formasi" and nip is None)


@st.composite
def files(draw):
    """One file: the kinds it holds, the columns it carries, and 1-3 rows (one per NIP)."""
    kinds = draw(st.sampled_from(KIND_SETS))
    carried = {}
    for kind in kinds:
        t = TABLE_OF[kind]
        opt = draw(st.lists(st.sampled_from(OPTIONAL[t]), unique=True,
                            min_size=1 if t in ("performance", "assessment") else 0))
        carried[t] = ([] if t == "formasi" else ["nip"]) + [c for c in loader.TABLE_COLUMNS[t]
                                                            if c in REQUIRED[t] + opt]
    columns = list(dict.fromkeys(c for cols in carried.values() for c in cols))
    nips = draw(st.lists(st.sampled_from(NIPS), unique=True, min_size=1, max_size=3))
    rows = []
    for nip in nips:
        row = {"nip": nip, "tahun": draw(st.sampled_from([2023, 2024]))}
        row.update({c: draw(VALUES.get(c, TEXT)) for c in columns if c not in row})
        rows.append({c: row[c] for c in columns})
    if "formasi" in carried:               # one row per post in a file (the validator sees to that)
        seen: set = set()
        rows = [r for r in rows if (k := tuple(r[c] for c in KEYS["formasi"])) not in seen and not seen.add(k)]
    return kinds, carried, rows


imports = st.tuples(st.just("import"), files())
undos = st.tuples(st.just("undo"), st.integers(0, 12), st.booleans())   # 12: a batch that does not exist
# a few imports first (so that undos find batches that others depend on), then undos and imports mixed
ops = st.builds(lambda a, b: a + b, st.lists(imports, min_size=1, max_size=5),
                st.lists(st.one_of(undos, undos, imports), min_size=1, max_size=5))


def _validated(kinds, carried, rows) -> tuple[RawTable, Validated]:
    header = list(rows[0])
    row_numbers = np.arange(2, 2 + len(rows))
    raw = RawTable("f.csv", None, header, pa.table({c: pa.array([None if r[c] is None else str(r[c]) for r in rows],
                                                                 pa.string()) for c in header}), row_numbers, 1)
    frames = {}
    for kind in kinds:
        cols = carried[TABLE_OF[kind]]
        data = {c: pa.array([r[c] for r in rows], ARROW.get(c, pa.string())) for c in cols}
        frames[kind] = pa.table({**data, "row_number": pa.array(row_numbers, pa.int64())})
    rejected = pd.DataFrame(columns=["row_number", "nip", "reason_codes", "columns", "message", "original"])
    return raw, Validated(HeaderMapping({c: c for c in header}, [], kinds), frames, rejected, len(rows))


def _replay(batches: dict, active: set[int]) -> dict[str, dict]:
    """The model: apply the accepted rows of the active batches in order to empty tables."""
    state: dict[str, dict] = {t: {} for t in loader.TABLE_COLUMNS}
    for b in sorted(active):
        for t, (cols, rows) in batches[b].items():
            for r in rows:
                key = tuple(r[k] for k in KEYS[t])
                cur = state[t].setdefault(key, {c: None for c in loader.TABLE_COLUMNS[t] if c != "jabatan_id"})
                cur.update({c: r[c] for c in cols}, batch_id=b, row_number=r["row_number"])
    return state


def _dependents(batches: dict, active: set[int], batch: int) -> list[int]:
    """The model of "undo must not orphan": batches holding kinerja/asesmen of employees that would go."""
    chosen = [batch]
    while True:
        def nips(bs, t):
            return {r["nip"] for b in bs for r in batches[b].get(t, ("", []))[1]}
        def held(b):
            return {r[c] for t, c in NIP_COLUMN.items() for r in batches[b].get(t, ("", []))[1]} - {None}
        others = active - set(chosen)
        gone = nips(chosen, "employee") - nips(others, "employee")
        more = sorted(b for b in others if held(b) & gone)
        if not more:
            return chosen[1:]
        chosen += more


def _db_state(con) -> dict[str, dict]:
    out = {}
    for t, cols in loader.TABLE_COLUMNS.items():
        if t == "formasi":        # the id follows from the key (sql/009's macro); the model leaves it out
            assert con.execute("SELECT count(*) FROM formasi WHERE jabatan_id <> jabatan_id(instansi, opd, jabatan)"
                               ).fetchall()[0][0] == 0
            cols = [c for c in cols if c != "jabatan_id"]
        names = cols + ["batch_id", "row_number"]
        rows = [dict(zip(names, r)) for r in con.execute("SELECT " + ", ".join(names) + " FROM " + t).fetchall()]
        out[t] = {tuple(r[k] for k in KEYS[t]): r for r in rows}
        assert len(out[t]) == len(rows), f"{t}: a key is stored twice"
    return out


@pytest.fixture(scope="module")
def db():
    con = store.connect(":memory:", threads=1)     # tiny tables: one thread is fastest
    yield con
    con.close()


def _reset(con):
    for t in [*loader.TABLE_COLUMNS, *(t + "_history" for t in loader.TABLE_COLUMNS),
              "import_batch_column", "rejected_row", "import_batch"]:
        con.execute("DELETE FROM " + t)


def _file(kinds, rows):
    carried = {TABLE_OF[k]: [c for c in loader.TABLE_COLUMNS[TABLE_OF[k]] if c in rows[0]] for k in kinds}
    return "import", (kinds, carried, rows)


A, B = NIPS[:2]
FULL = dict(nama="a", instansi="a", opd="a", unit_kerja="a", jabatan="a", golongan="a", tanggal_lahir=dt.date(1980, 1, 1))
# the issue's sequence: a full master, then two files with only NIP, NAMA, OPD, TAHUN, PREDIKAT, JPM; undo the second
ISSUE = [_file([schema.PEGAWAI], [dict(nip=A, **FULL), dict(nip=B, **FULL)])] + [
    _file([schema.PEGAWAI, schema.KINERJA, schema.ASESMEN],
          [dict(nip=n, nama=v, opd=v, instansi="a", tahun=2024, predikat=v, jpm=j) for n in (A, B)])
    for v, j in (("b", 60.0), ("a", 85.5))] + [("undo", 2, False), ("undo", 1, False)]
# a kinerja file depends on the master it needs: refused alone, undone together after confirmation
DEPENDENT = [_file([schema.PEGAWAI], [dict(nip=A, nama="a", instansi="a", opd="a")]),
             _file([schema.KINERJA], [dict(nip=A, tahun=2023, predikat="a")]), ("undo", 0, False), ("undo", 0, True)]


# a riwayat row gets its end date from a second file (undone: the first file's empty end is back); a
# formasi post changes holder then becomes vacant; the master cannot go without them
D1, D2 = dt.date(2015, 1, 1), dt.date(2021, 1, 1)
SUCCESSION = [_file([schema.PEGAWAI], [dict(nip=A, nama="a", instansi="a", opd="a"), dict(nip=B, nama="b", instansi="a", opd="a")]),
              _file([schema.RIWAYAT], [dict(nip=A, jabatan="a", tmt_mulai=D1, tmt_selesai=None)]),
              _file([schema.RIWAYAT], [dict(nip=A, jabatan="a", tmt_mulai=D1, tmt_selesai=D2)]),
              _file([schema.FORMASI], [dict(instansi="a", opd="a", jabatan="a", pemangku_nip=A, kritikal=True)]),
              _file([schema.FORMASI], [dict(instansi="a", opd="a", jabatan="a", pemangku_nip=None, kritikal=False)]),
              ("undo", 2, False), ("undo", 4, False), ("undo", 0, False), ("undo", 0, True)]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=ops)
@example(steps=ISSUE)
@example(steps=DEPENDENT)
@example(steps=SUCCESSION)
def test_undo_equals_replaying_the_remaining_batches(db, steps):
    _reset(db)
    batches: dict[int, dict] = {}        # batch -> table -> (columns written, accepted rows)
    active: set[int] = set()
    digest = itertools.count()
    for step in steps:
        if step[0] == "import":
            kinds, carried, rows = step[1]
            raw, checked = _validated(kinds, carried, rows)
            r = loader._store(db, raw, checked, f"sha-{next(digest)}-{id(steps)}", "f.csv", None, "", lambda *a: None)
            masters = {n for t in _replay(batches, active)["employee"] for n in t}
            masters |= {r_["nip"] for r_ in rows} if "employee" in carried else set()
            accepted = {}
            for t, cols in carried.items():
                keep = [dict(x, row_number=i + 2) for i, x in enumerate(rows) if _needs_master(t, x, masters)]
                if keep:
                    accepted[t] = (cols, keep)
            assert r.per_kind == {k: len(accepted.get(TABLE_OF[k], ("", []))[1]) for k in kinds}
            batches[r.batch] = accepted
            active.add(r.batch)
        else:
            _, pick, together = step
            known = sorted(batches)
            batch = known[pick % len(known)] if pick < 12 else 10_000 + pick
            before = _db_state(db)
            if batch not in active:
                with pytest.raises(UsageError) as err:
                    loader.undo_batch(db, batch)
                assert not isinstance(err.value, DependentBatchesError)
                assert _db_state(db) == before
                continue
            deps = _dependents(batches, active, batch)
            assert [b for b, _ in loader.undo_plan(db, batch).dependents] == deps
            if deps and not together:
                with pytest.raises(DependentBatchesError):
                    loader.undo_batch(db, batch)
                assert _db_state(db) == before
                continue
            loader.undo_batch(db, batch, with_dependents=deps if together else [])
            active -= {batch, *deps}
        state = _db_state(db)
        assert state == _replay(batches, active)
        masters = {k[0] for k in state["employee"]}
        assert all(k[0] in masters for t in ("performance", "assessment", "riwayat_jabatan", "hukuman_disiplin", "diklat")
                   for k in state[t]), "orphan rows"
        assert all(r["pemangku_nip"] in masters | {None} for r in state["formasi"].values()), "orphan pemangku"
