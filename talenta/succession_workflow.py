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

from . import store, succession
from .errors import UsageError
from .rules import RuleSet
from .scope import Scope
from .succession_rules import SuccessionRules

STEPS = ("usul", "rekomendasi", "tetapkan", "tolak")
STEP_LABEL = {"usul": "Usul (analis)", "rekomendasi": "Rekomendasi (Komite Talenta)",
              "tetapkan": "Tetapkan (PPK)", "tolak": "Tolak (PPK)"}
STEP_ACTION = {"usul": "succession_propose", "rekomendasi": "succession_recommend",
               "tetapkan": "succession_decide", "tolak": "succession_decide"}


def needs_justification(peringkat: int, kesiapan: str) -> bool:
    """Setting this candidate needs a justification: not ranked first, or not siap sekarang."""
    return int(peringkat) != 1 or kesiapan != "siap_sekarang"


def check(step: str, reason: str) -> None:
    """Refuse an unknown step or an empty reason (before any data is read)."""
    if step not in STEPS:
        raise UsageError(f"Langkah '{step}' tidak dikenal; pilih salah satu: {', '.join(STEPS)}.")
    if not (reason or "").strip():
        raise UsageError("Alasan wajib diisi untuk setiap langkah suksesi.")


def set_candidate(con, post: str) -> str | None:
    """The NIP currently set (``tetapkan``, not refused since) for ``post``, or None."""
    row = store.query_one(con, """
        SELECT nip FROM (SELECT nip, arg_max(langkah, decision_id) AS last FROM succession_decision
                         WHERE jabatan_id = $p GROUP BY nip) WHERE last = 'tetapkan' LIMIT 1""", {"p": post})
    return row[0] if row else None


def record(con, user, post: str, nip: str, step: str, reason: str, *, justification: str = "",
           period: int, rs: RuleSet, srs: SuccessionRules, tanggal: dt.date | None = None) -> int:
    """Append one decision after checking that ``nip`` is a candidate of ``post`` (a target post in the user's
    scope) on the reference date; returns the decision id. The permission is checked by the caller
    (``actions.succession_decision``)."""
    check(step, reason)
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
    if row.empty:
        raise UsageError(f"NIP {nip} bukan kandidat jabatan {post} pada tanggal acuan {tgl:%d-%m-%Y} "
                         "(lihat 'python -m talenta succession').")
    r = row.iloc[0]
    just = (justification or "").strip()
    if step == "tetapkan":
        current = set_candidate(con, post)
        if current and current != nip:
            raise UsageError(f"Jabatan {post} sudah ditetapkan untuk NIP {current}; tolak penetapan itu dulu.")
        if needs_justification(r["peringkat"], r["kesiapan"]) and not just:
            raise UsageError(f"NIP {nip} berperingkat {int(r['peringkat'])} dengan kesiapan '{r['kesiapan']}': "
                             "menetapkannya memerlukan justifikasi tertulis.")
    with store.transaction(con) as cur:
        did = cur.execute("SELECT nextval('seq_succession_decision')").fetchall()[0][0]
        cur.execute("INSERT INTO succession_decision VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [did, post, nip, step, reason.strip(), just or None, int(r["peringkat"]), r["kesiapan"],
                     int(period), tgl, srs.id, user.username, user.role, store.now()])
    return int(did)


def _is_target(con, scope, period, rs, srs, post, tgl) -> bool:
    posts = succession.targets(con, scope, period, rs, srs, tanggal=tgl)
    return bool((posts["jabatan_id"] == post).any())


def history(con, scope: Scope, post: str | None = None) -> pd.DataFrame:
    """Every decision (newest first) with its justification; NIPs masked under a masked scope."""
    df = store.query_df(con, """
        SELECT d.pada, d.jabatan_id, d.nip, e.nama, d.langkah, d.alasan, d.justifikasi, d.peringkat, d.kesiapan,
               d.tanggal_acuan, d.oleh, d.peran
        FROM succession_decision d LEFT JOIN employee e USING (nip)
        WHERE $p IS NULL OR d.jabatan_id = $p ORDER BY d.decision_id DESC""", {"p": post})
    if scope.mask_identity and len(df):
        from . import privacy

        df["nip"] = privacy.MASKED_NIP
        df["nama"] = privacy.initials(df["nama"].fillna(""))
    return df
