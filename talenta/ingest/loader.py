"""Write a validated file into DuckDB in one transaction; undo a whole batch.

Tables hold the current value per key (``employee``, ``performance``, ``assessment``); every
accepted row is also kept in ``*_history`` with its batch, and ``import_batch_column`` records which
columns each batch wrote (a file may carry only some columns). The current value of a column is the
one written by the latest active batch that wrote it, so undoing a batch recomputes, for the keys it
touched only, each column from the remaining batches: the same result as replaying them in order
(tests/storage/test_undo_property.py). An undo that would leave kinerja/asesmen rows without their
employee is refused unless the batches holding them are undone together. A file whose exact bytes
were already imported (and not undone) from the same worksheet for the same year changes nothing.

An import is one forward pass with a typed result per stage: read (``readers.RawTable``), row
rules (``validate.Validated``; ``Prepared`` holds both, or ``AlreadyImported`` for known bytes),
then one transaction: the master-data check (``validate.Checked``, reads only), the writes of the
accepted and rejected rows, the batch record (``ImportResult``). Nothing is written and taken back.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection

import pandas as pd
import pyarrow as pa

from .. import lookup, schema, store
from ..fmt import num
from ..errors import DependentBatchesError, UsageError
from . import readers
from .validate import NIP_OF, Validated, check_master, validate

WRITE_LOCK = store.WRITE_LOCK

TABLES = {schema.PEGAWAI: "employee", schema.KINERJA: "performance", schema.ASESMEN: "assessment",
          schema.RIWAYAT: "riwayat_jabatan", schema.HUKUMAN: "hukuman_disiplin", schema.DIKLAT: "diklat",
          schema.FORMASI: "formasi"}
KEYS = {"employee": ["nip"], "performance": ["nip", "tahun"], "assessment": ["nip", "tahun"],
        **{TABLES[k]: schema.KIND_KEYS[k] for k in schema.SINGLE_KINDS}}
TABLE_COLUMNS = {
    "employee": [c for c in schema.PEGAWAI_COLUMNS],
    "performance": schema.KINERJA_COLUMNS,
    "assessment": schema.ASESMEN_COLUMNS,
    "riwayat_jabatan": schema.RIWAYAT_COLUMNS,
    "hukuman_disiplin": schema.HUKUMAN_COLUMNS,
    "diklat": schema.DIKLAT_COLUMNS,
    # jabatan_id: the jabatan_id(instansi, opd, jabatan) macro of sql/009, computed when stored
    "formasi": ["jabatan_id"] + schema.FORMASI_COLUMNS,
}


@dataclass
class ImportResult:
    """What happened to one file. ``rows_read == accepted + rejected`` always holds: the data rows.

    Footer rows (``skipped``) are not data; the summary counts them among the rows read and lists them.
    """

    file: str
    rows_read: int
    accepted: int
    rejected: int
    batch: int | None
    status: str                          # "diimpor" | "sudah_ada"
    kinds: list[str]
    sheet: str | None = None
    skipped: list[tuple[int, str]] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    mapping: list[dict[str, str]] = field(default_factory=list)
    per_kind: dict[str, int] = field(default_factory=dict)
    rejected_rows: pd.DataFrame | None = None
    # a second column meaning the same field, with the same value in every row: why it was not used
    notes: list[str] = field(default_factory=list)
    sheet_note: str | None = None        # which worksheet of an xlsx was read, and the hidden ones that were not

    def summary(self) -> str:
        kinds = ", ".join(schema.KIND_LABELS[k] for k in self.kinds)
        if self.status == "sudah_ada":
            return (f"{self.file}: berkas yang sama persis sudah diimpor sebagai batch {self.batch}; "
                    "tidak ada yang berubah." + "".join(" " + note for note in self.notes))
        # every row read is counted: footer rows (totals, signatures) are listed as skipped, not left out
        skipped = (f" + {num(len(self.skipped))} dilewati sebagai baris penutup/total (tanpa NIP, sebagian besar "
                   "selnya kosong)") if self.skipped else ""
        s = (f"{self.file} ({kinds}): {num(self.rows_read + len(self.skipped))} baris dibaca = "
             f"{num(self.accepted)} diterima + {num(self.rejected)} ditolak{skipped}; batch {self.batch}.")
        for note in ([self.sheet_note] if self.sheet_note else []) + self.notes:
            s += " " + note
        return s

    def audit_details(self) -> dict:
        """What an import's audit row says of its result (``actions.import_one``, the demo's imports)."""
        return {"batch": self.batch, "dibaca": self.rows_read, "diterima": self.accepted, "ditolak": self.rejected,
                "status": self.status}

    def as_json(self) -> dict:
        return {"file": self.file, "rows_read": self.rows_read, "accepted": self.accepted,
                "rejected": self.rejected, "batch": self.batch, "status": self.status,
                "kinds": self.kinds, "sheet": self.sheet, "skipped_rows": len(self.skipped),
                "unknown_columns": self.unknown_columns, "per_kind": self.per_kind}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _overridden(cur, batch: int, kinds: list[str]) -> list[str]:
    """For a file imported again whole: the later batches whose values are now in force for rows of ``batch``
    (a correction file), said with how to come back to this file's values. Importing the same bytes changes nothing
    (the rule), but 'tidak ada yang berubah' alone let a user believe the file's values were in force again."""
    notes = []
    for kind in kinds:
        table = TABLES.get(kind)
        if table is None:
            continue
        on = " AND ".join(f"c.{k} = h.{k}" for k in KEYS[table])
        later = cur.execute(
            "SELECT c.batch_id, b.file_name, count(*) FROM " + table + "_history h JOIN " + table + " c ON " + on +
            " JOIN import_batch b ON b.batch_id = c.batch_id WHERE h.batch_id = ? AND c.batch_id > ? "
            "GROUP BY ALL ORDER BY 1", [batch, batch]).fetchall()          # table, keys: fixed names
        for later_batch, later_file, n in later:
            notes.append(f"Batch {later_batch} ({later_file}) yang lebih baru kini berlaku untuk {num(n)} baris "
                         f"{schema.KIND_LABELS[kind].lower()} dari berkas ini; untuk kembali ke nilai berkas ini, "
                         "batalkan "
                         f"batch {later_batch}.")
    return notes


def _existing_batch(cur, digest: str, sheet: str | None, period: int | None) -> int | None:
    """The batch (not undone) that imported these bytes from the same worksheet (None: a CSV) for the same year:
    importing it again changes nothing. ``period``: the year given with the import; it counts only for a batch
    that took its year from it (kinerja/asesmen rows without a year column of their own). A workbook's other
    sheet, or a year-less SKP file given another year, is another import: the check once looked at the bytes
    only and told the user "nothing changed" while a whole sheet or year was never read (hostile pass, session 22)."""
    rows = cur.execute(
        "SELECT batch_id, sheet, period, kinds, header_mapping FROM import_batch WHERE file_sha256 = ? "
        "AND undone_at IS NULL ORDER BY batch_id", [digest]).fetchall()
    for batch_id, batch_sheet, batch_period, kinds, mapping in rows:
        if batch_sheet != sheet:
            continue
        took_year = bool(set(kinds or ()) & {schema.KINERJA, schema.ASESMEN}) and \
            "tahun" not in json.loads(mapping or "{}")
        if not took_year or batch_period == period:
            return batch_id
    return None


def _sheet_before_reading(path: Path, sheet: str | None) -> tuple[bool, str | None]:
    """(known, sheet): the worksheet an import of ``path`` reads, when it is known without opening the workbook
    (a CSV has none; a workbook's sheet is known when named). A workbook without a named sheet reads its active
    or first table sheet, known only after reading (and a workbook is opened only after its size checks)."""
    with open(path, "rb") as f:
        xlsx = readers.is_xlsx(f.read(4))
    return (not xlsx or sheet is not None), (sheet if xlsx else None)


@dataclass(frozen=True)
class Prepared:
    """A file read and put through the row rules (first validation stage); nothing written yet."""

    file_name: str
    digest: str                      # sha256 of the bytes: the same bytes import once
    raw: readers.RawTable
    validated: Validated


@dataclass(frozen=True)
class AlreadyImported:
    """A file whose exact bytes are imported (and not undone): it is not read, nothing changes."""

    result: ImportResult


def import_file(con, path: str | Path, *, file_name: str | None = None, period: int | None = None,
                sheet: str | None = None, instansi: str = "", user: str = "",
                progress: Callable[[float, str], None] | None = None) -> ImportResult:
    """Read, validate and store one file. Raises ImportFileError when it cannot be read at all.

    One forward pass: read (``readers``), row rules (``validate``), then, in one transaction,
    the master-data check (``check_master``, before any write) and the writes of the accepted
    and rejected rows. Nothing is written and then taken back; a failure changes nothing.
    """
    say = progress or (lambda f, m: None)
    prepared = _prepare(con, Path(path), file_name or Path(path).name, period, sheet, instansi, say)
    return _finish(con, prepared, period, user, say)


LOOKAHEAD = 2        # files read and validated while one is stored (validation is the slower half)


def import_files(con, paths: list[str | Path], *, instansi: str = "", user: str = "",
                 period: int | None = None) -> list[ImportResult]:
    """Import several files in order, reading and validating the next file while this one is stored.

    The stored result is the same as importing them one by one: the row rules do not read the
    database, and the master-data check and the "same bytes" check run when each file is stored,
    after the files before it (a master file first in the group counts for the files after it).
    """
    from concurrent.futures import ThreadPoolExecutor

    quiet = lambda f, m: None  # noqa: E731
    paths = [Path(p) for p in paths]
    results: list[ImportResult] = []
    if not paths:
        return results
    with ThreadPoolExecutor(max_workers=LOOKAHEAD) as ahead:
        pending = [ahead.submit(_prepare, con, p, p.name, period, None, instansi, quiet) for p in paths[:LOOKAHEAD]]
        for i in range(len(paths)):
            prepared = pending.pop(0).result()
            if i + LOOKAHEAD < len(paths):
                p = paths[i + LOOKAHEAD]
                pending.append(ahead.submit(_prepare, con, p, p.name, period, None, instansi, quiet))
            results.append(_finish(con, prepared, period, user, quiet))
    return results


def _prepare(con, path: Path, file_name: str, period, sheet, instansi: str, say) -> Prepared | AlreadyImported:
    """Everything before the storing transaction: hash, already-imported check, read, row rules."""
    digest = sha256_file(path)
    cur = con.cursor()
    try:
        known, sheet_read = _sheet_before_reading(path, sheet)
        existing = _existing_batch(cur, digest, sheet_read, period) if known else None
        if existing is not None:
            rows_read, kinds, sheet_name = cur.execute(
                "SELECT rows_read, kinds, sheet FROM import_batch WHERE batch_id = ?", [existing]).fetchall()[0]
            return AlreadyImported(ImportResult(file_name, rows_read, 0, 0, existing, "sudah_ada", list(kinds),
                                                sheet_name, notes=_overridden(cur, existing, list(kinds))))
    finally:
        cur.close()
    say(0.05, "membaca berkas")
    raw = readers.read_file(path, file_name, sheet)
    say(0.35, "memeriksa nilai")
    return Prepared(file_name, digest, raw, validate(raw, period=period, instansi=instansi))


def _finish(con, prepared: Prepared | AlreadyImported, period, user: str, say) -> ImportResult:
    if isinstance(prepared, AlreadyImported):
        return prepared.result
    say(0.6, "menyimpan")
    return _store(con, prepared.raw, prepared.validated, prepared.digest, prepared.file_name, period, user, say)


def _store(con, raw: readers.RawTable, validated: Validated, digest: str, file_name: str, period: int | None,
           user: str, say) -> ImportResult:
    """One transaction: the same-bytes check, the master-data check, then the writes (accepted rows
    per kind, rejected rows, the batch record). Only accepted rows are written."""
    kinds = validated.mapping.kinds
    per_kind: dict[str, int] = {}
    with WRITE_LOCK, store.transaction(con) as cur:
        existing = _existing_batch(cur, digest, raw.sheet, period)  # checked again inside the transaction
        if existing is not None:
            return ImportResult(file_name, validated.rows_read, 0, 0, existing, "sudah_ada", kinds, raw.sheet)
        checked = check_master(cur, raw, validated)        # reads only: the master as this transaction sees it
        batch = cur.execute("SELECT nextval('seq_batch')").fetchall()[0][0]
        if sum(f.num_rows for f in checked.frames.values()) >= lookup.DROP_FROM:
            lookup.drop(cur)                     # point-lookup indexes would slow big writes 3-4x (talenta/lookup.py)
        if schema.PEGAWAI in checked.frames:
            per_kind[schema.PEGAWAI] = _upsert(cur, "employee", checked.frames[schema.PEGAWAI], batch)
        for kind in NIP_OF:
            if kind not in checked.frames:
                continue
            frame = checked.frames[kind]
            if kind == schema.FORMASI:
                frame = _with_jabatan_id(cur, frame)
            if kind == schema.KINERJA:
                frame = _whole_predikat(frame)
            per_kind[kind] = _upsert(cur, TABLES[kind], frame, batch)
        rej = checked.rejected
        n_rej = len(rej)
        if n_rej:
            cur.register("incoming_rej", rej.assign(
                batch_id=batch, file_name=raw.file_name, sheet=raw.sheet, kinds=",".join(kinds)))
            cur.execute(
                "INSERT INTO rejected_row (batch_id, file_name, sheet, row_number, kinds, nip, reason_codes,"
                " columns, message, original) SELECT batch_id, file_name, sheet, row_number, kinds, nip,"
                " reason_codes, columns, message, original FROM incoming_rej")
            cur.unregister("incoming_rej")
        accepted = checked.rows_accepted
        cur.execute(
            "INSERT INTO import_batch (batch_id, file_name, file_sha256, sheet, kinds, period, rows_read,"
            " rows_accepted, rows_rejected, rows_skipped, header_mapping, unknown_columns, imported_at,"
            " imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [batch, file_name, digest, raw.sheet, kinds, period, checked.rows_read, accepted, n_rej,
             len(raw.skipped), json.dumps(_mapping_record(checked.mapping), ensure_ascii=False),
             checked.mapping.unknown, store.now(), user])
    say(1.0, "selesai")
    return ImportResult(file_name, checked.rows_read, accepted, n_rej, batch, "diimpor", kinds, raw.sheet,
                        raw.skipped, checked.mapping.unknown, checked.mapping.as_rows(), per_kind, rej,
                        list(checked.mapping.notes), raw.sheet_note)


PREDIKAT_PARTS = ("predikat", "rating_hasil_kerja", "rating_perilaku")


def _whole_predikat(frame: pa.Table) -> pa.Table:
    """A kinerja frame writing one of predikat and the two ratings writes all three, a missing one as empty: they
    are one fact (PermenPANRB 6/2022 derives the predikat from the ratings). A predikat-only file left the earlier
    ratings beside a predikat they contradict (review 10, 3). Undo restores all three (``import_batch_column``)."""
    missing = [c for c in PREDIKAT_PARTS if c not in frame.column_names]
    if not missing or len(missing) == len(PREDIKAT_PARTS):
        return frame
    for c in missing:
        frame = frame.append_column(c, pa.nulls(frame.num_rows, pa.string()))
    return frame


def _mapping_record(mapping) -> dict:
    """``import_batch.header_mapping``: canonical column -> header used, and (under ``tidak_dipakai``)
    each header not used with the reason, e.g. a second NAMA column holding the same names."""
    out: dict = dict(mapping.columns)
    if mapping.ignored:
        out["tidak_dipakai"] = dict(mapping.ignored)
    return out


def _with_jabatan_id(cur, frame: pa.Table) -> pa.Table:
    """The formasi rows with their ``jabatan_id`` from the database's own macro (sql/009)."""
    cur.register("incoming_post", frame)
    ids = cur.sql("SELECT jabatan_id(instansi, opd, jabatan) AS jabatan_id FROM incoming_post").to_arrow_table()
    cur.unregister("incoming_post")
    return frame.add_column(0, "jabatan_id", ids.column(0))


def _upsert(cur, table: str, frame: pa.Table, batch: int) -> int:
    """Store ``frame`` as the current rows of its keys (and in the history).

    Keys already stored get the file's columns (columns the file does not have keep their value);
    new keys are inserted. The file holds each key once (validated), and writes are serialised by
    ``WRITE_LOCK``, so keys stay unique without a key index (see sql/005).
    """
    if frame.num_rows == 0:
        return 0
    cols = [c for c in TABLE_COLUMNS[table] if c in frame.column_names]
    cur.register("incoming", frame)
    names = ", ".join(cols + ["batch_id", "row_number"])
    values = ", ".join(cols + ["CAST($batch AS INTEGER) AS batch_id", "row_number"])
    keys = KEYS[table]
    key_list = ", ".join(keys)
    match = " AND ".join(f"t.{k} = i.{k}" for k in keys)
    updates = ", ".join(f"{c} = i.{c}" for c in cols + ["row_number"] if c not in keys)
    cur.execute("INSERT INTO " + table + "_history (" + names + ") SELECT " + values + " FROM incoming",
                {"batch": batch})
    cur.execute("INSERT INTO import_batch_column VALUES (?, ?, ?)", [batch, table, cols])
    stored = cur.execute("SELECT count(*) FROM incoming SEMI JOIN " + table + " USING (" + key_list + ")"
                         ).fetchall()[0][0]
    if stored:
        cur.execute("UPDATE " + table + " t SET " + updates + ", batch_id = CAST($batch AS INTEGER) "
                    "FROM incoming i WHERE " + match, {"batch": batch})
        cur.execute("INSERT INTO " + table + " (" + names + ") SELECT " + values + " FROM incoming "
                    "ANTI JOIN " + table + " USING (" + key_list + ")", {"batch": batch})
    else:                       # only new keys (a new pemda, a new year): one plain append
        cur.execute("INSERT INTO " + table + " (" + names + ") SELECT " + values + " FROM incoming",
                    {"batch": batch})
    cur.unregister("incoming")
    return frame.num_rows


def _restore(cur, table: str, batches: list[int]) -> None:
    """Recompute the current rows of the keys written by ``batches``.

    Each column gets the value of the latest batch still active that wrote that column (per
    ``import_batch_column``), which is what replaying the active batches in order from an empty
    database gives; a key no active batch wrote leaves the table. Only the touched keys are read
    from the history (one join), and only the columns of ``table``.
    """
    keys = KEYS[table]
    key_list = ", ".join(keys)
    touched = "SELECT DISTINCT " + key_list + " FROM " + table + "_history WHERE list_contains($batches, batch_id)"
    params: dict = {"batches": batches}
    values = [c for c in TABLE_COLUMNS[table] if c not in keys]
    picks = ", ".join("arg_max_null(h." + c + ", h.batch_id) FILTER (WHERE list_contains(w.columns, '" + c + "'))"
                      for c in values)
    cur.execute("CREATE OR REPLACE TEMP TABLE touched AS " + touched, params)
    cur.execute("DELETE FROM " + table + " WHERE (" + key_list + ") IN (SELECT (" + key_list + ") FROM touched)")
    cur.execute(
        "INSERT INTO " + table + " (" + ", ".join(keys + values) + ", batch_id, row_number) "
        "SELECT " + ", ".join("h." + k for k in keys) + ", " + picks + ", max(h.batch_id), "
        "arg_max_null(h.row_number, h.batch_id) FROM " + table + "_history h "
        "JOIN touched USING (" + key_list + ") JOIN import_batch b ON b.batch_id = h.batch_id "
        "JOIN import_batch_column w ON w.batch_id = h.batch_id AND w.table_name = $table "
        "WHERE b.undone_at IS NULL GROUP BY ALL", {"table": table})
    cur.execute("DROP TABLE touched")


# every row that needs its NIP in the employee master, with its batch
_DEPENDENT_NIPS = " UNION ALL ".join(
    f"SELECT {col} AS nip, batch_id FROM {TABLES[kind]}_history" + (f" WHERE {col} IS NOT NULL" if col != "nip" else "")
    for kind, col in NIP_OF.items())


def _gone_sql() -> str:
    """The NIPs that undoing the batches ``$s`` removes from the employee table (only those batches wrote them)."""
    return ("SELECT nip FROM employee_history WHERE list_contains($s, batch_id) EXCEPT "
            "SELECT h.nip FROM employee_history h JOIN import_batch b USING (batch_id) "
            "WHERE b.undone_at IS NULL AND NOT list_contains($s, h.batch_id)")


SUCCESSION_STEP_WORDS = {"usul": "diusulkan", "rekomendasi": "direkomendasikan", "tetapkan": "ditetapkan"}


def _decisions_on(cur, undo: list[int]) -> list[tuple[str, str, str]]:
    """(nip, nama, what) for each employee the undo of ``undo`` removes who is named in a standing decision: a
    successor proposed, recommended or set (the post's latest step for that person is not a refusal) or a
    calibration move still in force (the person's latest move is away from the computed box). The decisions stay
    in their logs; without the employee they no longer show until the employee is imported again (hostile pass,
    session 22: an undo removed a set successor and a calibrated employee without a word)."""
    rows = cur.execute(
        "WITH g AS (" + _gone_sql() + "), "
        "s AS (SELECT d.nip, d.jabatan_id, arg_max(d.langkah, d.decision_id) AS langkah, "
        "             arg_max(d.periode, d.decision_id) AS periode "
        "      FROM succession_decision d SEMI JOIN g USING (nip) GROUP BY d.nip, d.jabatan_id), "
        "f AS (SELECT jabatan_id, any_value(jabatan) AS jabatan, any_value(opd) AS opd FROM formasi "
        "      GROUP BY jabatan_id), "
        "k AS (SELECT e.nip, k.instansi, k.periode, arg_max(e.kotak_terhitung, e.event_id) AS dari, "
        "             arg_max(e.kotak_ke, e.event_id) AS ke "
        "      FROM kalibrasi_event e JOIN kalibrasi_sesi k USING (sesi_id) SEMI JOIN g USING (nip) "
        "      WHERE e.jenis = 'pindah' GROUP BY e.nip, k.instansi, k.periode) "
        "SELECT s.nip, 0 AS o, s.langkah, coalesce(f.jabatan, s.jabatan_id), f.opd, s.periode, NULL, NULL "
        "FROM s LEFT JOIN f USING (jabatan_id) WHERE s.langkah <> 'tolak' "
        "UNION ALL SELECT nip, 1, NULL, NULL, instansi, periode, dari, ke FROM k WHERE dari <> ke "
        "ORDER BY 1, 2, 4", {"s": undo}).fetchall()
    if not rows:
        return []
    names = dict(cur.execute("SELECT nip, nama FROM employee WHERE list_contains(?, nip)",
                             [sorted({r[0] for r in rows})]).fetchall())
    out = []
    for nip, kind, step, jabatan, where, period, dari, ke in rows:
        what = (f"{SUCCESSION_STEP_WORDS.get(step, step)} sebagai suksesor {jabatan}" + (f" ({where})" if where else "")
                + f", periode {period}") if kind == 0 else \
            f"dipindahkan dari kotak {dari} ke kotak {ke} dalam kalibrasi {where} {period}"
        out.append((nip, names.get(nip) or "", what))
    return out


def _closure(cur, batch: int) -> tuple[list[int], int]:
    """The batches that must be undone with ``batch`` so that no kinerja/asesmen row loses its employee.

    Undoing a set of batches removes the employees that only those batches wrote; every other active
    batch holding kinerja or asesmen rows of such an employee joins the set (until nothing changes:
    a joining batch may hold employee rows too). Returns the set (``batch`` first) and how many
    employees with kinerja/asesmen rows elsewhere undoing ``batch`` alone would remove.
    """
    chosen, orphans = [batch], None
    while True:
        gone = _gone_sql()
        more, n = cur.execute(
            "SELECT coalesce(list(DISTINCT d.batch_id ORDER BY d.batch_id), []), count(DISTINCT d.nip) FROM "
            "(" + _DEPENDENT_NIPS + ") d "
            "JOIN import_batch b USING (batch_id) SEMI JOIN (" + gone + ") g USING (nip) "
            "WHERE b.undone_at IS NULL AND NOT list_contains($s, d.batch_id)", {"s": chosen}).fetchall()[0]
        orphans = n if orphans is None else orphans
        if not more:
            return chosen, orphans
        chosen += more


@dataclass
class UndoPlan:
    """What undoing one batch means: what the batch holds and which later batches depend on it."""

    batch: int
    file: str
    kinds: list[str]
    rows_read: int
    rows_accepted: int
    imported_at: object
    imported_by: str | None
    columns: dict[str, list[str]]        # table -> columns the batch wrote
    rows: dict[str, int]                 # table -> rows the batch wrote
    dependents: list[tuple[int, str]]    # (batch, file) that must be undone with it, in order
    orphans: int                         # employees only this batch holds that still have kinerja/asesmen
    # (nip, nama, what) per standing succession decision or calibration move on an employee the undo removes
    decisions: list[tuple[str, str, str]] = field(default_factory=list)


def _plan(cur, batch: int) -> UndoPlan:
    row = cur.execute("SELECT file_name, kinds, rows_read, rows_accepted, imported_at, imported_by, undone_at "
                      "FROM import_batch WHERE batch_id = ?", [batch]).fetchall()
    if not row:
        raise UsageError(f"Batch {batch} tidak ada; lihat nomor batch di Riwayat impor (halaman Impor Data) "
                         "atau 'python -m talenta status'.")
    file, kinds, rows_read, accepted, at, by, undone_at = row[0]
    if undone_at is not None:
        raise UsageError(f"Batch {batch} ({file}) sudah dibatalkan pada {undone_at:%d-%m-%Y %H:%M}; "
                         "tidak ada yang diubah.")
    columns = dict(cur.execute("SELECT table_name, columns FROM import_batch_column WHERE batch_id = ?",
                               [batch]).fetchall())
    rows = {t: cur.execute("SELECT count(*) FROM " + t + "_history WHERE batch_id = ?", [batch]).fetchall()[0][0]
            for t in TABLE_COLUMNS}
    chosen, orphans = _closure(cur, batch) if rows["employee"] else ([batch], 0)   # no master rows: no orphans
    files = dict(cur.execute("SELECT batch_id, file_name FROM import_batch WHERE list_contains(?, batch_id)",
                             [chosen]).fetchall())
    decisions = _decisions_on(cur, chosen) if rows["employee"] else []
    return UndoPlan(batch, file, list(kinds), rows_read, accepted, at, by, columns, rows,
                    [(b, files[b]) for b in chosen[1:]], orphans, decisions)


def undo_plan(con, batch: int) -> UndoPlan:
    """Describe ``batch`` and the batches that would have to be undone with it (nothing is changed).

    Raises UsageError when the batch does not exist or was already undone.
    """
    cur = con.cursor()
    try:
        return _plan(cur, batch)
    finally:
        cur.close()


def undo_batch(con, batch: int, user: str = "", *, with_dependents: Collection[int] = ()) -> dict[str, int]:
    """Undo a whole batch: each column it wrote gets back the value of the latest remaining batch.

    When later batches hold kinerja/asesmen rows of employees only this batch holds, the undo is
    refused (DependentBatchesError names them) unless ``with_dependents`` lists exactly those
    batches (as shown by ``undo_plan``): then all are undone together, in one transaction.
    Returns the rows removed per table (all undone batches together).
    """
    with WRITE_LOCK, store.transaction(con) as cur:
        plan = _plan(cur, batch)
        deps = [b for b, _ in plan.dependents]
        if sorted(deps) != sorted(with_dependents):
            if not deps:
                raise UsageError(f"Batch {batch} dapat dibatalkan sendiri; batch "
                                 f"{', '.join(map(str, with_dependents))} tidak bergantung padanya; tidak ada yang diubah.")
            raise DependentBatchesError(plan)
        undo = [batch] + deps
        cur.execute("UPDATE import_batch SET undone_at = ?, undone_by = ? WHERE list_contains(?, batch_id)",
                    [store.now(), user, undo])
        counts = {table: cur.execute("SELECT count(*) FROM " + table + "_history WHERE list_contains(?, batch_id)",
                                     [undo]).fetchall()[0][0] for table in TABLE_COLUMNS}
        if sum(counts.values()) >= lookup.DROP_FROM:     # as an import of that size (talenta/lookup.py)
            lookup.drop(cur)
        for table in TABLE_COLUMNS:
            if counts[table]:
                _restore(cur, table, undo)
    return counts


@dataclass
class Preview:
    """What an import would do, computed without writing anything."""

    file: str
    sheet: str | None
    sheets: list[str]
    kinds: list[str]
    mapping: list[dict[str, str]]
    unknown_columns: list[str]
    header_row: int
    rows_read: int
    rejected_now: int                 # rows that fail validation (row rules, and a new NIP without a name)
    unknown_nip: int                  # rows whose NIP is not (yet) in the master (each row once)
    skipped: list[tuple[int, str]]
    sample: pd.DataFrame
    already_imported: int | None      # batch id when these exact bytes were imported before
    # the rows the import would reject, as the import will record them: baris, nip, kolom, reason, pesan
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PREVIEW_REJECTED))
    sheet_note: str | None = None     # which worksheet is read, and the hidden ones that are not
    nips: pa.Array | None = None      # an employee file's NIPs it would store (``alongside`` for the files beside it)


PREVIEW_REJECTED = ["baris", "nip", "kolom", "reason", "pesan"]


def preview(con, path: str | Path, *, file_name: str | None = None, period: int | None = None,
            sheet: str | None = None, instansi: str = "", also_known: pa.Array | None = None) -> Preview:
    """Read and validate ``path`` (both stages, as the import does) and report the outcome; the
    database is not changed. ``also_known``: the NIPs of employee files uploaded with it (``master_nips``), which
    import first, so the NIP check counts them as the import will (review 10, 5)."""
    path = Path(path)
    file_name = file_name or path.name
    raw = readers.read_file(path, file_name, sheet)
    validated = validate(raw, period=period, instansi=instansi)
    cur = con.cursor()
    try:
        checked = check_master(cur, raw, validated, also_known)
        already = _existing_batch(cur, sha256_file(path), raw.sheet, period)
    finally:
        cur.close()
    sheets = readers.sheet_names(path) if readers.is_xlsx(path.read_bytes()[:4]) else []
    return Preview(file_name, raw.sheet, sheets, checked.mapping.kinds, checked.mapping.as_rows(),
                   checked.mapping.unknown, raw.header_row_number, checked.rows_read,
                   checked.rows_rejected - checked.unknown_nip,
                   checked.unknown_nip, raw.skipped, raw.frame.head(5), already, _preview_rejected(checked.rejected),
                   raw.sheet_note, _stored_nips(checked.frames))


def _stored_nips(frames: dict) -> pa.Array | None:
    master = frames.get(schema.PEGAWAI)
    return None if master is None else pa.concat_arrays(master.column("nip").chunks or [pa.array([], pa.string())])


def import_order(previews: list[Preview]) -> list[int]:
    """The order a several-file upload imports in: employee files first (a kinerja file chosen before its master
    had every new NIP rejected), the others as chosen."""
    return sorted(range(len(previews)), key=lambda i: schema.PEGAWAI not in previews[i].kinds)


def master_nips(previews: list[Preview]) -> pa.Array | None:
    """The NIPs the employee files among ``previews`` would store (None without one to import)."""
    arrays = [pv.nips for pv in previews if pv.nips is not None and not pv.already_imported]
    return pa.concat_arrays(arrays) if arrays else None


def _preview_rejected(rej: pd.DataFrame) -> pd.DataFrame:
    """The rejected rows (one per source row) in the preview's columns."""
    if not len(rej):
        return pd.DataFrame(columns=PREVIEW_REJECTED)
    return pd.DataFrame({"baris": rej["row_number"].astype("int64"), "nip": rej["nip"],
                         "kolom": rej["columns"].map(", ".join), "reason": rej["reason_codes"].map(";".join),
                         "pesan": rej["message"]})
