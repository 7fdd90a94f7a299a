"""Kalibrasi: the Komite Talenta's session per instansi and period, its append-only moves, and the basis.

A session (``kalibrasi_sesi``, sql/011) is opened by the first move; everything that happens in it is an
event (``kalibrasi_event``): a move of one placed employee to another box with a reason code and a text,
the close (``tetapkan``), a reopen with its reason, a participant named for the minutes. Nothing is
updated or deleted. The computed box is never overwritten: the talent map joins the latest move per
person onto the scored population (``population.CALIBRATED``) and shows the box of the basis asked for
(``Filters.basis``: ``terhitung``, ``terkalibrasi``, or ``otomatis`` = calibrated once the session is
closed). The writes here are called through ``talenta.actions`` (permission, write, one audit row).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, replace

import pandas as pd

from . import export_safe, population, privacy, rules, rulesets, store, talentmap
from . import nip as nipmod
from .errors import TalentaError, UsageError
from .escape import office
from .rules import RuleSet
from .scope import Filters, Scope

REASON_CODES: dict[str, str] = {
    "bukti_kinerja": "Bukti kinerja tambahan",
    "wawancara": "Hasil wawancara",
    "data_keliru": "Data asesmen atau SKP keliru",
    "lainnya": "Lainnya",
}
BASIS_LABEL = {"terhitung": "terhitung (dihitung dari aturan)",
               "terkalibrasi": "terkalibrasi (hasil kalibrasi Komite Talenta)"}
MAX_REASON_CHARS = 2000


class SessionClosed(TalentaError):
    """The period's calibration session is closed (ditetapkan): no move until it is reopened."""


class MovedMeanwhile(TalentaError):
    """Someone else moved the person after the mover's page was drawn: the later move would silently replace a
    decision its author never saw (review 14, 2)."""


@dataclass(frozen=True)
class Session:
    """One calibration session and its state (derived from its events)."""

    sesi_id: int
    instansi: str
    periode: int
    dibuka_oleh: str
    dibuka_pada: object
    ditetapkan: bool
    ditetapkan_oleh: str | None
    ditetapkan_pada: object
    pindah: int
    peserta: tuple[str, ...]
    # the last reopening (who, when, why), None while the session was never reopened
    dibuka_kembali_oleh: str | None = None
    dibuka_kembali_pada: object = None
    alasan_buka_kembali: str | None = None

    @property
    def status(self) -> str:
        return "ditetapkan" if self.ditetapkan else "terbuka"

    def describe(self, moved=None, reason: bool = True) -> str:
        """One line in Indonesian: ``moved`` the count of moved people as the reader may see it (default the
        session's own, for the whole instansi; ``describe_session`` gives the scoped one), ``reason`` whether the
        free text of a reopening is shown (not to a masked reader: it may name a person)."""
        n = self.pindah if moved is None else moved
        if self.ditetapkan:
            return (f"Sesi kalibrasi {self.instansi} {self.periode}: ditetapkan oleh {self.ditetapkan_oleh} "
                    f"pada {self.ditetapkan_pada:%d-%m-%Y %H.%M}; {n} pegawai dipindahkan.")
        if self.dibuka_kembali_oleh:      # the reopening, not the first opening (review 14, 7)
            why = f", alasan: {self.alasan_buka_kembali}" if reason else ""
            return (f"Sesi kalibrasi {self.instansi} {self.periode}: terbuka kembali (dibuka kembali oleh "
                    f"{self.dibuka_kembali_oleh} pada {self.dibuka_kembali_pada:%d-%m-%Y %H.%M}{why}; dibuka pertama "
                    f"oleh {self.dibuka_oleh} pada {self.dibuka_pada:%d-%m-%Y %H.%M}); {n} pegawai dipindahkan.")
        return (f"Sesi kalibrasi {self.instansi} {self.periode}: terbuka (dibuka oleh {self.dibuka_oleh} pada "
                f"{self.dibuka_pada:%d-%m-%Y %H.%M}); {n} pegawai dipindahkan.")


_SESSIONS = """
SELECT s.sesi_id, s.instansi, s.periode, s.dibuka_oleh, s.dibuka_pada,
       coalesce(arg_max(ev.jenis, ev.event_id) FILTER (ev.jenis IN ('tetapkan', 'buka_kembali')) = 'tetapkan',
                false) AS ditetapkan,
       arg_max(ev.oleh, ev.event_id) FILTER (ev.jenis = 'tetapkan') AS ditetapkan_oleh,
       arg_max(ev.pada, ev.event_id) FILTER (ev.jenis = 'tetapkan') AS ditetapkan_pada,
       arg_max(ev.oleh, ev.event_id) FILTER (ev.jenis = 'buka_kembali') AS dibuka_kembali_oleh,
       arg_max(ev.pada, ev.event_id) FILTER (ev.jenis = 'buka_kembali') AS dibuka_kembali_pada,
       arg_max(ev.alasan, ev.event_id) FILTER (ev.jenis = 'buka_kembali') AS alasan_buka_kembali,
       list_distinct(list(ev.oleh) FILTER (ev.jenis <> 'peserta')) AS pengguna,
       list(ev.alasan ORDER BY ev.event_id) FILTER (ev.jenis = 'peserta') AS peserta
FROM kalibrasi_sesi s LEFT JOIN kalibrasi_event ev USING (sesi_id)
WHERE s.periode = $period AND ($instansi IS NULL OR s.instansi = $instansi)
GROUP BY ALL ORDER BY s.instansi
"""


def sessions(con, period: int, instansi: str | None = None) -> list[Session]:
    """The sessions of ``period`` (one per instansi), with their state."""
    df = store.query_df(con, _SESSIONS, {"period": int(period), "instansi": instansi})
    out = []
    for r in df.itertuples(index=False):
        users = [u for u in (list(r.pengguna) if r.pengguna is not None else []) if u]
        named = [p for p in (list(r.peserta) if r.peserta is not None else []) if p]
        people = list(dict.fromkeys([r.dibuka_oleh, *sorted(users), *named]))
        n = _effective(con, int(r.sesi_id))
        out.append(Session(int(r.sesi_id), r.instansi, int(r.periode), r.dibuka_oleh, r.dibuka_pada,
                           bool(r.ditetapkan), r.ditetapkan_oleh if pd.notna(r.ditetapkan_oleh) else None,
                           r.ditetapkan_pada if pd.notna(r.ditetapkan_pada) else None, len(n), tuple(people),
                           *((r.dibuka_kembali_oleh, r.dibuka_kembali_pada, r.alasan_buka_kembali)
                             if pd.notna(r.dibuka_kembali_oleh) else ())))
    return out


def session(con, instansi: str, period: int) -> Session | None:
    """The session of (``instansi``, ``period``), or None before the first move."""
    found = sessions(con, period, instansi)
    return found[0] if found else None


def _effective(con, sesi_id: int) -> pd.DataFrame:
    """The effective moves of a session: the latest move per NIP unless it went back to its computed box, of the
    people still in the session's instansi (the calibrated map joins moves on NIP and instansi: someone undone out
    of the master, or now in another instansi, is moved nowhere, and the session's count said 1 while the berita
    acara said 0)."""
    return store.query_df(con, """
        SELECT ev.nip, arg_max(ev.kotak_ke, ev.event_id) AS kotak_ke,
               arg_max(ev.kotak_terhitung, ev.event_id) AS kotak_saat_pindah,
               arg_max(ev.kode_alasan, ev.event_id) AS kode_alasan, arg_max(ev.alasan, ev.event_id) AS alasan,
               arg_max(ev.oleh, ev.event_id) AS oleh, max(ev.pada) AS pada
        FROM kalibrasi_event ev JOIN kalibrasi_sesi s USING (sesi_id)
        JOIN employee e ON e.nip = ev.nip AND e.instansi = s.instansi
        WHERE ev.sesi_id = $s AND ev.jenis = 'pindah' GROUP BY ev.nip
        HAVING arg_max(ev.kotak_ke, ev.event_id) <> arg_max(ev.kotak_terhitung, ev.event_id) ORDER BY ev.nip""",
                          {"s": sesi_id})


def fairness_boxes(con, period: int, rs: RuleSet) -> tuple[str, dict]:
    """The relation ``(nip, kotak)`` of every employee calibrated in a session of ``period`` (their latest move),
    with its parameters: the fairness check counts them in this box and everyone else in the computed one."""
    return ("SELECT ev.nip, arg_max(ev.kotak_ke, ev.event_id) AS kotak FROM kalibrasi_event ev "
            "JOIN kalibrasi_sesi s USING (sesi_id) WHERE s.periode = $fb_period AND ev.jenis = 'pindah' "
            "GROUP BY ev.nip", {"fb_period": period})


def _seen_sessions(con, filters: Filters, scope: Scope) -> list[Session]:
    """The sessions of ``filters.period`` the filters and ``scope`` hold (an account of one instansi never reads of
    another's session, nor is told its own map is calibrated because another instansi closed theirs)."""
    period = filters.need_period()
    return [s for s in sessions(con, period) if (not filters.instansi or s.instansi in filters.instansi)
            and (scope.instansi is None or s.instansi in scope.instansi)]


def resolve_basis(con, filters: Filters, scope: Scope) -> str:
    """``terhitung`` or ``terkalibrasi``: what ``filters.basis`` means for ``filters.period`` in ``scope``
    (``otomatis``: calibrated when a session of the period is closed; with several instansi, each follows its own
    session)."""
    if filters.basis != "otomatis":
        return filters.basis
    closed = [s for s in _seen_sessions(con, filters, scope) if s.ditetapkan]
    return "terkalibrasi" if closed else "terhitung"


def basis_note(con, filters: Filters, scope: Scope) -> str:
    """The sentence every view shows: which box it shows and why (the sessions ``scope`` holds)."""
    basis = resolve_basis(con, filters, scope)
    text = "Dasar kotak: " + BASIS_LABEL[basis]
    found = _seen_sessions(con, filters, scope)
    if basis == "terkalibrasi":
        done = [s for s in found if s.ditetapkan]
        if filters.basis == "otomatis":
            text += ", karena sesi kalibrasi " + ", ".join(
                f"{s.instansi} ditetapkan {s.ditetapkan_pada:%d-%m-%Y}" for s in done)
        elif any(not s.ditetapkan for s in found):
            text += "; sesi kalibrasi masih terbuka: hasilnya belum ditetapkan"
        elif not found:
            text += "; belum ada sesi kalibrasi, jadi sama dengan kotak terhitung"
    elif filters.basis == "otomatis" and found:
        text += "; sesi kalibrasi belum ditetapkan"
    return text + "."


# --- writes (called through talenta.actions) ------------------------------------------------------------

def _check_text(reason_code: str, reason: str) -> str:
    if reason_code not in REASON_CODES:
        raise UsageError(f"Kode alasan '{reason_code}' tidak dikenal; pilih salah satu: {', '.join(REASON_CODES)}.")
    text = (reason or "").strip()
    if not text:
        raise UsageError("Alasan kalibrasi wajib diisi: tuliskan mengapa pegawai ini dipindahkan.")
    if len(text) > MAX_REASON_CHARS:
        raise UsageError(f"Alasan kalibrasi terlalu panjang ({len(text)} karakter; paling banyak {MAX_REASON_CHARS}).")
    return text


def locate(con, scope: Scope, period: int, rs: RuleSet, nip: str) -> tuple[str, int]:
    """(instansi, computed box) of ``nip`` for ``period`` under ``rs``, within ``scope``. Raises a typed error
    (Indonesian) when the NIP is unknown, outside the scope, or not placed."""
    nip = nipmod.typed(nip)
    flt = Filters(period=period, basis="terhitung")
    df = population.query(con, replace(scope, mask_identity=False, min_group=0), flt, rs,
                          "SELECT instansi, kotak FROM final WHERE nip = $nip", {"nip": nip})
    if df.empty:
        if not scope.unlimited:     # one answer whether the NIP exists elsewhere or not: it must not tell (review 11)
            raise UsageError(f"NIP {nip} tidak ditemukan dalam cakupan data Anda.")
        raise UsageError(f"NIP {nip} tidak ditemukan di data pegawai.")
    box = df["kotak"].iloc[0]
    if pd.isna(box):
        raise UsageError(f"Pegawai dengan NIP {nip} belum terpetakan pada periode {period}: tidak dapat dikalibrasi.")
    return str(df["instansi"].iloc[0]), int(box)


def _session_id(cur, instansi: str, period: int, user: str, create: bool) -> int | None:
    rows = cur.execute("SELECT sesi_id FROM kalibrasi_sesi WHERE instansi = $i AND periode = $t",
                       {"i": instansi, "t": period}).fetchall()
    if rows:
        return int(rows[0][0])
    if not create:
        return None
    sid = cur.execute("SELECT nextval('seq_kalibrasi_sesi')").fetchall()[0][0]
    cur.execute("INSERT INTO kalibrasi_sesi VALUES ($s, $i, $t, $u, $at)",
                {"s": sid, "i": instansi, "t": period, "u": user, "at": store.now()})
    return int(sid)


def _closed(cur, sid: int) -> bool:
    rows = cur.execute("SELECT jenis FROM kalibrasi_event WHERE sesi_id = $s AND jenis IN ('tetapkan', 'buka_kembali') "
                       "ORDER BY event_id DESC LIMIT 1", {"s": sid}).fetchall()
    return bool(rows) and rows[0][0] == "tetapkan"


def _event(cur, sid: int, jenis: str, user, *, nip=None, dari=None, ke=None, kode=None, alasan=None) -> int:
    eid = cur.execute("SELECT nextval('seq_kalibrasi_event')").fetchall()[0][0]
    cur.execute("INSERT INTO kalibrasi_event VALUES ($e, $s, $j, $nip, $dari, $ke, $kode, $alasan, $u, $r, $at)",
                {"e": eid, "s": sid, "j": jenis, "nip": nip, "dari": dari, "ke": ke, "kode": kode, "alasan": alasan,
                 "u": user.username, "r": user.role, "at": store.now()})
    return int(eid)


def _refuse_closed(instansi: str, period: int) -> SessionClosed:
    return SessionClosed(f"Sesi kalibrasi {instansi} periode {period} sudah ditetapkan: tidak dapat diubah. "
                         "Pimpinan atau administrator dapat membukanya kembali dengan alasan.")


def watermark(con, instansi: str, period: int) -> int:
    """The newest event of the session of (``instansi``, ``period``) (0 before its first): what a page drew.
    Passed back as ``move(seen=...)``, a move of someone another user moved since is refused."""
    row = store.query_one(con, "SELECT max(event_id) FROM kalibrasi_event JOIN kalibrasi_sesi USING (sesi_id) "
                               "WHERE instansi = $i AND periode = $t", {"i": instansi, "t": int(period)})
    return int(row[0]) if row and row[0] is not None else 0


def move(con, user, scope: Scope, period: int, rs: RuleSet, nip: str, to_box: int, reason_code: str,
         reason: str, *, seen: int | None = None) -> dict:
    """Move ``nip`` to box ``to_box`` in the session of its instansi and ``period`` (opened if needed).

    The computed box under ``rs`` is recorded with the move. ``seen``: the session's ``watermark`` when the
    mover's page was drawn; a move of this person by anyone since then refuses this one (``MovedMeanwhile``,
    naming who moved him where and when) instead of silently replacing it. Raises ``UsageError`` (unknown code,
    empty reason, box outside 1-9, NIP unknown, outside ``scope`` (the same words as unknown for a limited scope)
    or not placed), ``SessionClosed`` or ``MovedMeanwhile``. Returns what was recorded."""
    try:
        box = int(to_box)
    except (TypeError, ValueError):
        raise UsageError(f"Kotak tujuan '{to_box}' tidak sah; pilih 1 sampai 9.") from None
    if box not in rules.BOX:
        raise UsageError(f"Kotak tujuan {box} di luar 1-9.")
    text = _check_text(reason_code, reason)
    active = rulesets.active(con)
    if rs.to_json() != active.to_json():     # a computed box no map shows (a proposal, an older rule set)
        raise UsageError(f"Perpindahan dicatat terhadap kotak terhitung aturan yang aktif ({active.label}), bukan "
                         f"{rs.label}. Tidak ada yang dicatat.")
    nip = nipmod.typed(nip)
    instansi, computed = locate(con, scope, period, rs, nip)
    with store.WRITE_LOCK, store.transaction(con) as cur:
        sid = _session_id(cur, instansi, period, user.username, create=True)
        if _closed(cur, sid):
            raise _refuse_closed(instansi, period)
        # the box the person is in now: the latest move of this session, else the computed box. A move there
        # changes nothing and is not recorded (a second undo, a repeated submit of the same move)
        last = cur.execute("SELECT kotak_ke, event_id, oleh, pada, kotak_terhitung FROM kalibrasi_event "
                           "WHERE sesi_id = ? AND jenis = 'pindah' AND nip = ? ORDER BY event_id DESC LIMIT 1",
                           [sid, nip]).fetchall()
        if seen is not None and last and last[0][1] > seen:
            k, _e, who, at, _was = last[0]
            raise MovedMeanwhile(
                f"Perpindahan tidak dicatat: pegawai {nip} dipindahkan ke kotak {k} oleh {who} pada "
                f"{at:%d-%m-%Y %H.%M} setelah halaman Anda dimuat. Periksa daftar perpindahan, lalu kirim lagi bila "
                "perpindahan Anda tetap perlu.")
        now = last[0][0] if last else computed
        # a move whose box the computed one has since become (a rule change, a correction) still counts as a move
        # (kalibrasi_usang) until it is cancelled: a move to the computed box records that cancellation
        stale_to_computed = bool(last) and box == computed and last[0][4] != computed
        if now == box and not stale_to_computed:
            raise UsageError(f"Pegawai {nip} sudah di kotak {box}; tidak ada perpindahan yang dicatat.")
        _event(cur, sid, "pindah", user, nip=nip, dari=computed, ke=box, kode=reason_code, alasan=text)
    return {"instansi": instansi, "periode": period, "nip": nip, "kotak_terhitung": computed,
            "kotak_ke": box, "kode_alasan": reason_code, "batal": box == computed}


def close(con, user, instansi: str, period: int) -> Session:
    """Close (tetapkan) the session of (``instansi``, ``period``); one without moves is opened and closed (the
    committee adopts the computed map). A closed session raises ``SessionClosed``."""
    with store.WRITE_LOCK, store.transaction(con) as cur:
        sid = _session_id(cur, instansi, period, user.username, create=True)
        if _closed(cur, sid):
            raise _refuse_closed(instansi, period)
        _event(cur, sid, "tetapkan", user)
    return session(con, instansi, period)


def reopen(con, user, instansi: str, period: int, reason: str) -> Session:
    """Reopen a closed session; ``reason`` is mandatory."""
    text = (reason or "").strip()
    if not text:
        raise UsageError("Alasan membuka kembali sesi kalibrasi wajib diisi.")
    with store.WRITE_LOCK, store.transaction(con) as cur:
        sid = _session_id(cur, instansi, period, user.username, create=False)
        if sid is None or not _closed(cur, sid):
            raise UsageError(f"Sesi kalibrasi {instansi} periode {period} tidak sedang ditetapkan; tidak ada yang "
                             "dibuka kembali.")
        _event(cur, sid, "buka_kembali", user, alasan=text)
    return session(con, instansi, period)


def add_participant(con, user, instansi: str, period: int, name: str) -> None:
    """Name a participant of the meeting for the minutes (a closed session refuses it)."""
    text = (name or "").strip()
    if not text:
        raise UsageError("Nama peserta wajib diisi.")
    with store.WRITE_LOCK, store.transaction(con) as cur:
        sid = _session_id(cur, instansi, period, user.username, create=True)
        if _closed(cur, sid):
            raise _refuse_closed(instansi, period)
        _event(cur, sid, "peserta", user, alasan=text[:200])


# --- reads -------------------------------------------------------------------------------------------

def moves(con, scope: Scope, period: int, rs: RuleSet, instansi: str | None = None,
          filters: Filters | None = None) -> pd.DataFrame:
    """The effective moves of ``period`` in ``scope`` (and ``filters``' OPD, jenis jabatan and jenis ASN, as the
    grids beside the list): NIP, nama, OPD, the computed box now and at the move, the calibrated box, reason, who
    and when, and ``usang`` (moved against an older computed box). Masked as ``scope`` says (under small-group
    suppression no list at all: a move is about one person)."""
    chosen = replace(filters or Filters(), period=period, basis="terhitung")
    cols = ["nip", "nama", "opd", "kotak_terhitung", "kotak_saat_pindah", "kotak_terkalibrasi", "kode_alasan",
            "alasan_kalibrasi", "oleh", "pada", "usang"]
    out = []
    for s in sessions(con, period, instansi):
        m = _effective(con, s.sesi_id)
        if m.empty:
            continue
        people = population.query(con, replace(scope, mask_identity=False, min_group=0), chosen, rs,
                                  "SELECT nip, nama, opd, instansi, kotak AS kotak_terhitung FROM final "
                                  "WHERE list_contains($nips, nip) AND instansi = $inst",
                                  {"nips": list(m["nip"]), "inst": s.instansi})
        j = m.merge(people, on="nip").rename(columns={"kotak_ke": "kotak_terkalibrasi", "alasan": "alasan_kalibrasi"})
        out.append(j)
    df = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=cols)
    df["usang"] = (df["kotak_saat_pindah"] != df["kotak_terhitung"]).astype(bool)
    df = df[cols].sort_values(["opd", "nama", "nip"], kind="stable").reset_index(drop=True)
    for c in ("kotak_terhitung", "kotak_saat_pindah", "kotak_terkalibrasi"):
        df[c] = df[c].astype("Int64")
    if privacy.threshold(scope):
        return df.iloc[0:0].drop(columns=["alasan_kalibrasi"])
    return privacy.mask_people(df, scope)


def moved_count(con, scope: Scope, period: int, rs: RuleSet, instansi: str | None = None,
                filters: Filters | None = None):
    """How many people the effective moves of ``period`` placed elsewhere, counted in ``scope`` and ``filters`` as
    ``moves`` lists them (never the session's count for the whole instansi: an OPD account's files speak of its own
    people); ``pd.NA`` when it is a small count (1 to the scope's threshold - 1)."""
    n = len(moves(con, replace(scope, mask_identity=False, min_group=0), period, rs, instansi, filters))
    return privacy.shown_count(n, privacy.threshold(scope))


def describe_session(con, scope: Scope, s: Session, rs: RuleSet) -> str:
    """``s``'s line as ``scope`` may read it: the moved people counted in the scope (an OPD account's own; a small
    count hidden, ``moved_count``), the reason for a reopening only for a reader who sees identities."""
    return s.describe(moved=privacy.text(moved_count(con, scope, s.periode, rs, s.instansi)),
                      reason=not scope.mask_identity)


def history(con, scope: Scope, period: int, instansi: str | None = None) -> pd.DataFrame:
    """Every event of the period's sessions in order (who, when, what, reason). A masked scope sees the
    events without NIP or free text; under small-group suppression no move at all (as ``moves``: the rows would
    give back a hidden count)."""
    df = store.query_df(con, """
        SELECT ev.pada, s.instansi, ev.jenis, ev.nip, ev.kotak_terhitung, ev.kotak_ke, ev.kode_alasan, ev.alasan,
               ev.oleh, ev.peran
        FROM kalibrasi_event ev JOIN kalibrasi_sesi s USING (sesi_id)
        WHERE s.periode = $t AND ($i IS NULL OR s.instansi = $i) ORDER BY ev.event_id""",
                        {"t": int(period), "i": instansi})
    if not scope.unlimited:        # an OPD account: moves of its own people only
        allowed = set(store.query_df(con, "SELECT nip FROM employee e WHERE " + scope.where("e")[0],
                                     scope.where("e")[1])["nip"])
        df = df[df["nip"].isna() | df["nip"].isin(allowed)]
    if privacy.threshold(scope):    # a move is about one person: its rows would count what moves hides
        df = df[df["nip"].isna()]
    if scope.mask_identity:
        df = df.assign(nip=df["nip"].where(df["nip"].isna(), privacy.MASKED_NIP), alasan=None)
    for c in ("kotak_terhitung", "kotak_ke"):       # empty on other events: whole numbers, not "4.000000"
        df[c] = df[c].astype("Int64")
    return df.reset_index(drop=True)


def before_after(con, scope: Scope, filters: Filters, rs: RuleSet) -> pd.DataFrame:
    """10 x 10 counts: rows the computed box, columns the calibrated box (0 = belum terpetakan), suppressed
    as ``scope`` says (its row sums are the computed map, its column sums the calibrated one)."""
    every = replace(scope, min_group=0)         # both boxes, read unsuppressed; suppressed together below
    pairs = population.query(con, every, replace(filters, basis="terkalibrasi"), rs,
                             "SELECT coalesce(kotak_terhitung, 0) AS dari, coalesce(kotak_terkalibrasi, 0) AS ke, "
                             "count(*) AS n FROM final GROUP BY ALL", calibration_columns=True)
    m = talentmap.matrix(pairs)
    t = privacy.threshold(scope)
    if not t:
        return m
    return privacy.suppress_matrix(m, talentmap.raw_figures(con, every, replace(filters, basis="terhitung"), rs),
                                   talentmap.raw_figures(con, every, replace(filters, basis="terkalibrasi"), rs),
                                   t, off_diagonal=True)


def distribution(con, scope: Scope, filters: Filters, rs: RuleSet) -> pd.DataFrame:
    """Per box: the computed count, the calibrated count and the difference (``<NA>`` when hidden), plus a
    KRS row.

    Under a small-group threshold a difference is a count of moved people: one between 1 and the threshold - 1
    is hidden, and so is what gives it away (``_protect_distribution``)."""
    terhitung, terkalibrasi = replace(filters, basis="terhitung"), replace(filters, basis="terkalibrasi")
    t = privacy.threshold(scope)
    # a masked scope reads one basis everywhere else (``privacy.published_filters``): both columns are read here
    # unsuppressed and protected together (``_protect_distribution``), the shown basis keeping its map's suppression
    every = replace(scope, min_group=0)
    shown = resolve_basis(con, privacy.published_filters(scope, filters), scope)
    a = talentmap.figures(con, scope if t and shown == "terhitung" else every, terhitung, rs)
    b = talentmap.figures(con, scope if t and shown == "terkalibrasi" else every, terkalibrasi, rs)
    keys = [f"kotak_{x.number}" for x in rules.BOXES] + ["krs"]
    df = pd.DataFrame({"kotak": [f"Kotak {x.number}" for x in rules.BOXES] + [f"KRS (kotak {rules.KRS_SHORT})"],
                       "terhitung": pd.array([a[k] for k in keys], dtype="Int64"),
                       "terkalibrasi": pd.array([b[k] for k in keys], dtype="Int64")})
    df["selisih"] = df["terkalibrasi"] - df["terhitung"]
    if not t:
        return df
    return _protect_distribution(df, talentmap.raw_figures(con, every, terhitung, rs),
                                 talentmap.raw_figures(con, every, terkalibrasi, rs), a, b,
                                 shown=shown, threshold=t)


def _protect_distribution(df: pd.DataFrame, ra: dict, rb: dict, a: dict, b: dict, shown: str,
                          threshold: int) -> pd.DataFrame:
    """``df`` (``distribution``) with every difference of 1 to ``threshold`` - 1 people hidden, together with what
    gives it away, as ``privacy.Figures`` decides. The reader's equations: both maps (``ra``, ``rb``: the boxes add
    up to the placed, KRS is kotak 7 + 8 + 9, the placed and unplaced add up to the employees, the reasons to the
    unplaced; all but the boxes and KRS are the same figures under both bases, as a move keeps a person placed), and
    per row the larger count is the smaller plus the difference. The map of the basis the other views show
    (``shown``) keeps its suppression (``a``/``b`` as the maps have it); only the other column's boxes and the
    differences may be hidden more."""
    boxes = [f"kotak_{x.number}" for x in rules.BOXES]
    rows = (*boxes, "krs")
    seen = {"terhitung": a, "terkalibrasi": b}
    fig = privacy.Figures()
    common = {k: fig.add((ra if shown == "terhitung" else rb)[k])
              for k in ("pegawai", "terpetakan", "belum_terpetakan", *privacy.REASONS)}
    fig.sum(common["pegawai"], [common["terpetakan"], common["belum_terpetakan"]])
    fig.sum(common["belum_terpetakan"], [common[r] for r in privacy.REASONS])
    for k, i in common.items():
        fig.fix(i, privacy.hidden(seen[shown][k]))
    cols = {}
    for name, raw in (("terhitung", ra), ("terkalibrasi", rb)):
        idx = {k: fig.add(raw[k]) for k in rows}
        fig.sum(common["terpetakan"], [idx[k] for k in boxes])
        fig.sum(idx["krs"], [idx[f"kotak_{x}"] for x in rules.KRS_BOXES])
        for k, i in idx.items():
            if name == shown or privacy.hidden(seen[name][k]):
                fig.fix(i, privacy.hidden(seen[name][k]))
        cols[name] = idx
    diff = {}
    for k in rows:
        d = int(rb[k]) - int(ra[k])
        diff[k] = fig.add(abs(d))
        bigger, smaller = ("terkalibrasi", "terhitung") if d >= 0 else ("terhitung", "terkalibrasi")
        fig.sum(cols[bigger][k], [cols[smaller][k], diff[k]])
    hide = fig.protect(threshold)
    out = df.copy()
    for j, k in enumerate(rows):
        for name in ("terhitung", "terkalibrasi"):
            if hide[cols[name][k]]:
                out.loc[j, name] = pd.NA
        if hide[diff[k]]:
            out.loc[j, "selisih"] = pd.NA
    return out


# --- berita acara kalibrasi -----------------------------------------------------------------------------

def readable(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the reason codes as the form offers them ("Hasil wawancara", not ``wawancara``; review 9, 8)."""
    if "kode_alasan" not in df or df.empty:
        return df
    return df.assign(kode_alasan=df["kode_alasan"].map(REASON_CODES).fillna(df["kode_alasan"]))


def stale_note(moved: pd.DataFrame, closed: bool, shown: int = 10, escape=str) -> str | None:
    """What the moves made against an older computed box mean now (``moves``' rows flagged ``usang``), one line per
    person (a markdown list), or None when there is none. A correction import or an undo after the meeting changes
    the computed box under a move: the calibrated box stays the one the Komite chose, but a move down may now read
    as a move up, and a move may now equal the computed box and leave the before/after matrix (review 14, 3).
    ``escape`` is applied to every value from data (names, NIPs): ``escape.markdown`` on a page."""
    stale = moved[moved["usang"]] if "usang" in moved and len(moved) else moved.iloc[0:0]
    if stale.empty:
        return None

    def way(a, b) -> str:
        return "naik" if b > a else "turun" if b < a else "tetap"

    parts = []
    for r in stale.head(shown).itertuples(index=False):
        was, to, now = int(r.kotak_saat_pindah), int(r.kotak_terkalibrasi), int(r.kotak_terhitung)
        who = f"{escape(str(r.nama))} ({escape(str(r.nip))})" if "nama" in stale else escape(str(r.nip))
        text = f"{who}: dipindah {way(was, to)} dari kotak {was} ke kotak {to}; kotak terhitungnya kini {now}"
        if now == to:
            text += ", jadi perpindahan itu tidak lagi mengubah kotaknya"
        elif way(now, to) != way(was, to):
            text += f", jadi kotak {to} kini berarti {way(now, to)}"
        parts.append(text)
    more = f"; dan {len(stale) - shown} lainnya (lihat tabel)" if len(stale) > shown else ""
    same = int((stale["kotak_terkalibrasi"] == stale["kotak_terhitung"]).sum())
    matrix = (f" Matriks sebelum-sesudah memakai kotak terhitung kini: {same} perpindahan itu tidak tampil "
              "sebagai perpindahan di sana." if same else "")
    todo = ("Sesi sudah ditetapkan: pimpinan dapat membukanya kembali untuk meninjau perpindahan ini." if closed
            else "Tinjau perpindahan ini sebelum sesi ditetapkan.")
    return (f"{len(stale)} perpindahan dibuat terhadap kotak terhitung lama (data atau aturan berubah sesudahnya):\n\n"
            + "\n".join(f"- {p}." for p in parts) + (f"\n- {more[2:]}." if more else "") + "\n\n"
            + (matrix.strip() + " " if matrix else "") + todo)


MOVE_LABELS = {"nip": "NIP", "nama": "Nama", "opd": "OPD", "kotak_terhitung": "Kotak terhitung",
               "kotak_saat_pindah": "Kotak terhitung saat dipindah", "kotak_terkalibrasi": "Kotak terkalibrasi",
               "kode_alasan": "Jenis alasan", "alasan_kalibrasi": "Alasan kalibrasi", "oleh": "Oleh", "pada": "Waktu",
               "usang": "Dipindah dari kotak terhitung lama"}
HISTORY_LABELS = {"pada": "Waktu", "instansi": "Instansi", "jenis": "Peristiwa", "nip": "NIP",
                  "kotak_terhitung": "Kotak terhitung", "kotak_ke": "Ke kotak", "kode_alasan": "Jenis alasan",
                  "alasan": "Alasan / keterangan", "oleh": "Oleh", "peran": "Peran"}


def matrix_frame(m: pd.DataFrame) -> pd.DataFrame:
    """The before/after matrix with readable row and column names (for tables and files)."""
    names = ["Belum terpetakan"] + [f"Kotak {i}" for i in range(1, 10)]
    return m.set_axis(names, axis=0).set_axis(names, axis=1).rename_axis("Terhitung \\ terkalibrasi").reset_index()


def berita_acara(con, scope: Scope, filters: Filters, instansi: str, rs: RuleSet,
                 made_by: str, made_at=None, batches: str = "–") -> bytes:
    """The minutes of the session as XLSX: the session (status, who opened and closed), participants, the moves
    with their reasons, the before/after matrix and distribution, and the history of events. ``made_at`` and
    ``batches`` (the import batches it rests on) come from the export's stamp (``export.produce``), so the file
    and its row in the export log say the same."""
    period = filters.need_period()
    s = session(con, instansi, period)
    flt = replace(filters, instansi=(instansi,))
    head = pd.DataFrame([
        ("Instansi", instansi), ("Periode", str(period)), ("Status sesi", s.status if s else "belum dibuka"),
        ("Dibuka oleh", f"{s.dibuka_oleh} pada {s.dibuka_pada:%d-%m-%Y %H.%M}" if s else "–"),
        ("Ditetapkan oleh", f"{s.ditetapkan_oleh} pada {s.ditetapkan_pada:%d-%m-%Y %H.%M}" if s and s.ditetapkan else "–"),
        ("Pegawai dipindahkan", privacy.text(moved_count(con, scope, period, rs, instansi) if s else 0)), ("Aturan", rs.label),
        ("Filter", flt.describe()), ("Batch impor", batches),
        ("Dibuat", f"{made_at or store.now():%d-%m-%Y %H.%M} oleh {made_by}"),
        ("Identitas", "disamarkan" if scope.mask_identity else "terbuka"),
        *([("Keterangan", privacy.note(privacy.threshold(scope)))] if privacy.threshold(scope) else []),
    ], columns=["Butir", "Isi"])
    people = pd.DataFrame({"Peserta": list(s.peserta) if s else []})
    sheets = [("Berita acara", head), ("Peserta", people),
              ("Perpindahan", readable(moves(con, scope, period, rs, instansi)).rename(columns=MOVE_LABELS)),
              ("Sebelum-sesudah", matrix_frame(before_after(con, scope, flt, rs))),
              ("Sebaran", distribution(con, scope, flt, rs).rename(
                  columns={"kotak": "Kotak", "terhitung": "Terhitung", "terkalibrasi": "Terkalibrasi",
                           "selisih": "Selisih"})),
              ("Riwayat sesi", history(con, scope, period, instansi).rename(columns=HISTORY_LABELS))]
    buf = io.BytesIO()
    with export_safe.xlsx_writer(buf) as xw:
        for name, df in sheets:
            df = export_safe.xlsx_frame(df.astype(object).where(df.notna(), None) if len(df) else df)
            df.to_excel(xw, index=False, sheet_name=name)
            export_safe.mark_formula_text(xw, name, df)       # text as typed, kept a string
            ws = xw.sheets[name]
            ws.freeze_panes(1, 0)
            for j, col in enumerate(df.columns):
                width = df[col].astype("string").str.len().fillna(0)
                ws.set_column(j, j, min(60, max(12, len(str(col)) + 2, int(width.max()) + 2 if len(df) else 0)))
    return buf.getvalue()


def add_deck_slide(prs, con, scope: Scope, filters: Filters, instansi: str, rs: RuleSet) -> None:
    """Append one 16:9 slide to ``prs`` (python-pptx): the session's state, the distribution before and
    after, and the number of moves per reason code (no names: a deck is shown in a room)."""
    from pptx.util import Inches, Pt

    period = filters.need_period()
    s = session(con, instansi, period)
    flt = replace(filters, instansi=(instansi,))
    dist = distribution(con, scope, flt, rs)
    slide = prs.slides.add_slide(prs.slide_layouts[6] if len(prs.slide_layouts) > 6 else prs.slide_layouts[-1])
    box = slide.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.0)).text_frame
    box.text = office(f"Berita acara kalibrasi {period}: {instansi}")
    box.paragraphs[0].runs[0].font.size, box.paragraphs[0].runs[0].font.bold = Pt(30), True
    p = box.add_paragraph()
    p.text = office(describe_session(con, scope, s, rs) if s else "Belum ada sesi kalibrasi: peta memakai kotak "
                    "terhitung.")
    p.runs[0].font.size = Pt(16)
    rows, cols = len(dist) + 1, 4
    table = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(1.6), Inches(7.5), Inches(5.4)).table
    for j, h in enumerate(["Kotak", "Terhitung", "Terkalibrasi", "Selisih"]):
        table.cell(0, j).text = h
    for i, r in enumerate(dist.itertuples(index=False), start=1):
        for j, v in enumerate(r):
            table.cell(i, j).text = office(privacy.text(v) if j else v)
    m = moves(con, scope, period, rs, instansi) if s else pd.DataFrame()
    side = slide.shapes.add_textbox(Inches(8.4), Inches(1.6), Inches(4.5), Inches(5.4)).text_frame
    side.word_wrap = True
    side.text = "Alasan perpindahan"
    side.paragraphs[0].runs[0].font.bold = True
    counts = m["kode_alasan"].value_counts() if "kode_alasan" in m else pd.Series(dtype=int)
    for code, label in REASON_CODES.items():
        q = side.add_paragraph()
        q.text = office(f"{label}: {int(counts.get(code, 0)) if not privacy.threshold(scope) else '•'}")
        q.runs[0].font.size = Pt(16)
