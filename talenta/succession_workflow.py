"""The succession workflow: append-only decisions on a post's candidates, each with a reason and its author.

Steps: ``usul`` (analis), ``rekomendasi`` (Komite Talenta), ``tetapkan`` / ``tolak`` (pimpinan as PPK);
the role matrix in ``access.ROLES`` says who may take which (``STEP_ACTION``). One candidate per post can be
set (``tetapkan``): another one only after the set one is refused (``tolak``). Setting a candidate who is not
ranked first or not ``siap_sekarang`` needs an explicit justification, stored with the decision and shown
wherever the decision is shown. Pages and the CLI call ``talenta.actions.succession_decision`` (the
permission, this write and one audit row).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from . import nip as nipmod
from . import store, succession
from .privacy import MASKED_NIP
from .errors import UsageError
from .rules import RuleSet
from .scope import Scope
from .succession_rules import SuccessionRules

STEPS = ("usul", "rekomendasi", "tetapkan", "tolak")
STEP_LABEL = {"usul": "Usul (analis)", "rekomendasi": "Rekomendasi (Komite Talenta)",
              "tetapkan": "Tetapkan (PPK)", "tolak": "Tolak (PPK)"}
STEP_ACTION = {"usul": "succession_propose", "rekomendasi": "succession_recommend",
               "tetapkan": "succession_decide", "tolak": "succession_decide"}
# the readiness stored with a refusal of a set candidate who is no longer a candidate (the data or the rules
# changed since): he can always be refused, or the post would stay locked to him (review 14, 1)
NOT_CANDIDATE = "bukan_kandidat"
MAX_TEXT_CHARS = 2000       # a reason or a justification (calibration.MAX_REASON_CHARS likewise)
NOT_CANDIDATE_LABEL = "Bukan kandidat lagi"


def needs_justification(peringkat: int, kesiapan: str, tied_with_first: bool = False) -> bool:
    """Setting this candidate needs a justification: not ranked first (nor tied with the first: the same readiness
    and score, ranked after by NIP only), or not siap sekarang. Two candidates of equal score were ranked 1 and 2 by
    NIP, and setting the second needed a justification of a difference there was not (hostile pass, session 22)."""
    return (int(peringkat) != 1 and not tied_with_first) or kesiapan != "siap_sekarang"


def check(step: str, reason: str, justification: str = "") -> None:
    """Refuse an unknown step, an empty reason or a text over ``MAX_TEXT_CHARS`` (before any data is read)."""
    if step not in STEPS:
        raise UsageError(f"Langkah '{step}' tidak dikenal; pilih salah satu: {', '.join(STEPS)}.")
    if not (reason or "").strip():
        raise UsageError("Alasan wajib diisi untuk setiap langkah suksesi.")
    for what, text in (("Alasan", reason.strip()), ("Justifikasi", (justification or "").strip())):
        if len(text) > MAX_TEXT_CHARS:       # as a calibration reason: a record, not a document
            raise UsageError(f"{what} terlalu panjang ({len(text)} karakter; paling banyak {MAX_TEXT_CHARS}).")


_SET_SQL = """
    SELECT nip FROM (SELECT nip, arg_max(langkah, decision_id) AS last, max(decision_id) AS last_id
                     FROM succession_decision WHERE jabatan_id = $p GROUP BY nip)
    WHERE last = 'tetapkan' ORDER BY last_id DESC LIMIT 1"""


def set_candidate(con, post: str) -> str | None:
    """The NIP currently set (``tetapkan``, not refused since) for ``post``, or None."""
    row = store.query_one(con, _SET_SQL, {"p": post})
    return row[0] if row else None


def recommended(con, post: str, nip: str) -> bool:
    """Whether the Komite Talenta recommended ``nip`` for ``post`` (a ``rekomendasi`` step was recorded)."""
    return store.query_one(con, "SELECT count(*) FROM succession_decision WHERE jabatan_id = $p AND nip = $n "
                                "AND langkah = 'rekomendasi'", {"p": post, "n": nip})[0] > 0


def record(con, user, post: str, nip: str, step: str, reason: str, *, justification: str = "",
           period: int, rs: RuleSet, srs: SuccessionRules, tanggal: dt.date | None = None) -> int:
    """Append one decision after checking that ``nip`` is a candidate of ``post`` (a target post in the user's
    scope) on the reference date; returns the decision id. The permission is checked by the caller
    (``actions.succession_decision``)."""
    check(step, reason, justification)
    nip = nipmod.typed(nip)
    tgl = succession.reference_date(period, tanggal)
    from .access import scope_for

    scope = Scope() if user.role == "admin" and not user.opd and not user.instansi else \
        scope_for(user, presentation=False, min_group=0)
    cand = succession.candidates(con, scope, period, rs, srs, post=post, tanggal=tgl)
    if cand.empty and not _is_target(con, scope, period, rs, srs, post, tgl):
        raise UsageError(f"Jabatan {post} bukan jabatan target (kosong, BUP dalam {srs.horizon_bulan} bulan, "
                         "atau kritikal) dalam lingkup akun ini pada tanggal acuan "
                         f"{tgl:%d-%m-%Y}.")
    row = cand[cand["nip"] == nip]
    if row.empty and not (step == "tolak" and set_candidate(con, post) == nip):
        raise UsageError(f"NIP {nip} bukan kandidat jabatan {post} pada tanggal acuan {tgl:%d-%m-%Y} "
                         "(lihat 'python -m talenta succession').")
    # the candidate set earlier and no longer a candidate: refused with no rank and readiness NOT_CANDIDATE
    r = row.iloc[0] if len(row) else pd.Series({"peringkat": None, "kesiapan": NOT_CANDIDATE})
    just = (justification or "").strip()
    if step == "tetapkan":
        first = cand.loc[cand["peringkat"] == 1]
        tied = bool(len(first)) and len(row) > 0 and first["kesiapan"].iloc[0] == r["kesiapan"] and \
            first["skor"].iloc[0] == r["skor"]
        if needs_justification(r["peringkat"], r["kesiapan"], tied) and not just:
            raise UsageError(f"NIP {nip} berperingkat {int(r['peringkat'])} dengan kesiapan '{r['kesiapan']}': "
                             "menetapkannya memerlukan justifikasi tertulis.")
    # the post's set candidate is read in the transaction that records, under the write lock: two "Tetapkan" of two
    # people at once both went through and the post had two (hostile pass, session 22), and the same person set
    # again (a second click) recorded the decision again
    with store.WRITE_LOCK, store.transaction(con) as cur:
        if step == "tetapkan":
            rows = cur.execute(_SET_SQL.replace("$p", "?"), [post]).fetchall()
            current = rows[0][0] if rows else None
            if current == nip:
                raise UsageError(f"NIP {nip} sudah ditetapkan untuk jabatan {post}; tidak ada keputusan yang "
                                 "dicatat.")
            if current:
                raise UsageError(f"Jabatan {post} sudah ditetapkan untuk NIP {current}; tolak penetapan itu dulu.")
        did = cur.execute("SELECT nextval('seq_succession_decision')").fetchall()[0][0]
        cur.execute("INSERT INTO succession_decision VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [did, post, nip, step, reason.strip(), just or None,
                     None if pd.isna(r["peringkat"]) else int(r["peringkat"]), r["kesiapan"],
                     int(period), tgl, srs.id, user.username, user.role, store.now()])
    return int(did)


def current_set(history: pd.DataFrame) -> str | None:
    """The NIP set for the post of ``history`` (its decisions, newest first, as ``history`` returns them)."""
    if history.empty:
        return None
    last = history.drop_duplicates("nip")           # each NIP's newest step
    nips = last.loc[last["langkah"] == "tetapkan", "nip"]
    return str(nips.iloc[0]) if len(nips) else None


def form_choices(shown: pd.DataFrame, candidates: pd.DataFrame, history: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """The people a decision form offers for a post: the candidates ``shown`` (``succession.with_labels``), plus
    the candidate set for the post when he is not among them: ranked lower than the list shows, or no longer a
    candidate at all (the data or the rules changed since he was set), so he can still be refused. Returns the
    choices (``nip``, ``nama``, ``pilihan``) and, when the set candidate is no longer a candidate, a sentence
    saying so (else None)."""
    nip = current_set(history)
    if nip is None or nip in set(shown["nip"]) or nip == MASKED_NIP:     # masked: outside the reader's scope
        return shown, None
    if nip in set(candidates["nip"]):
        from .succession import with_labels

        row = with_labels(candidates[candidates["nip"] == nip])
        return pd.concat([shown, row], ignore_index=True), None
    nama = history.loc[history["nip"] == nip, "nama"].iloc[0]
    nama = "(tidak ada di data pegawai)" if pd.isna(nama) else str(nama)
    row = pd.DataFrame({"nip": [nip], "nama": [nama], "pilihan": [f"{nama} ({nip}) · ditetapkan, {NOT_CANDIDATE_LABEL.lower()}"],
                        "kesiapan": [NOT_CANDIDATE]})
    note = (f"{nama} ({nip}) ditetapkan untuk jabatan ini tetapi kini bukan kandidatnya (data atau aturan berubah "
            "sejak penetapan). Jabatan ini tidak dapat ditetapkan untuk orang lain sebelum penetapan itu ditolak "
            f"(langkah '{STEP_LABEL['tolak']}').")
    return pd.concat([shown, row], ignore_index=True), note


def _is_target(con, scope, period, rs, srs, post, tgl) -> bool:
    posts = succession.targets(con, scope, period, rs, srs, tanggal=tgl)
    return bool((posts["jabatan_id"] == post).any())


OUTSIDE_SCOPE = "(pegawai di luar cakupan akun)"


def history(con, scope: Scope, post: str | None = None) -> pd.DataFrame:
    """Every decision (newest first) with its justification; NIPs masked under a masked scope. For an account
    limited to some OPD or instansi, a decision on a candidate outside its scope keeps its step, date and author
    but not who nor why (NIP and name masked, reason and justification withheld): it sees the candidates of its
    own OPD only (review 15, 1: the table and the warning named a candidate of another OPD). A masked reader gets
    no reason or justification at all: typed text may name the person the initials stand for."""
    from . import privacy

    # a setting (tetapkan) says whether the Komite Talenta had recommended that candidate for that post before:
    # the PPK may set without it, but the record shows it (review 14, 6: nothing told a set without usul or
    # rekomendasi from one that followed them)
    inside, params = scope.where("e")
    df = store.query_df(con, """
        SELECT d.pada, d.jabatan_id, d.nip, e.nama, d.langkah, d.alasan, d.justifikasi, d.peringkat, d.kesiapan,
               d.tanggal_acuan, d.oleh, d.peran,
               CASE WHEN d.langkah = 'tetapkan' THEN EXISTS (
                   SELECT 1 FROM succession_decision r WHERE r.jabatan_id = d.jabatan_id AND r.nip = d.nip
                   AND r.langkah = 'rekomendasi' AND r.decision_id < d.decision_id) END AS direkomendasikan_komite,
               coalesce(""" + inside + """, false) AS dalam_cakupan
        FROM succession_decision d LEFT JOIN employee e USING (nip)
        WHERE $p IS NULL OR d.jabatan_id = $p ORDER BY d.decision_id DESC""", {"p": post, **params})
    outside = ~df["dalam_cakupan"].astype(bool)
    if outside.any():
        df.loc[outside, "nip"] = privacy.MASKED_NIP
        df.loc[outside, "nama"] = OUTSIDE_SCOPE
        df.loc[outside, ["alasan", "justifikasi"]] = None
    if scope.mask_identity and len(df):
        df["nip"] = privacy.MASKED_NIP
        df["nama"] = privacy.initials(df["nama"].fillna("")).where(~outside, OUTSIDE_SCOPE)
        df[["alasan", "justifikasi"]] = None     # free text may name the person (as calibration.history)
    return df.drop(columns=["dalam_cakupan"])
