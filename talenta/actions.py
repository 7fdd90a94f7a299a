"""Every change a user makes goes through here: the role check, the write, and exactly one audit row.

A refused or failed action leaves one ``gagal`` row with the reason; a successful one a ``berhasil``
row with what it changed. Pages call these through ``talenta.ui.actions`` (which also discards the
cached reads a write makes stale) and the CLI calls them with the operator or the ``--as`` account,
so neither can forget the permission, the audit or the invalidation.

Audit action names (column ``aksi``): ``import``, ``undo``, ``ruleset_save``, ``ruleset_activate``,
``hipo_decide``, ``calibrate``, ``calibration_close``, ``calibration_reopen``, ``calibration_participant``,
``succession_decide``, ``export``, ``download``, ``read`` (a CLI reading command run ``--as`` an account);
sign-in and user management are recorded by ``talenta.accounts``.

Reads never write: a write that changes the scored data or the active rules (an import, an undo, a rule-set
activation) then runs ``derived.refresh`` (the score cache, the lookup indexes ... that pages read); closing or
reopening a calibration session runs the ``derived.PUBLISHED`` builders (the published pool tables). A caller
importing several files passes ``refresh=False`` to each and calls ``refresh`` once after the group.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Collection

from . import access, audit, derived, hipo, ingest, rulesets
from .access import User, require
from .errors import TalentaError
from .rules import RuleSet


def _audited(con, user: User, permission: str | None, action: str, obj: str | None, details: dict,
             work: Callable[[], Any], summary: Callable[[Any], dict] = lambda r: {}) -> Any:
    try:
        if permission:
            require(user, permission)
        result = work()
    except TalentaError as exc:
        audit.record(con, user, None, action, obj, {**details, "alasan": str(exc)}, audit.FAILED)
        raise
    except Exception as exc:       # a bug: still one 'gagal' row (the traceback goes to the error log)
        audit.record(con, user, None, action, obj, {**details, "alasan": type(exc).__name__}, audit.FAILED)
        raise
    audit.record(con, user, None, action, obj, {**details, **summary(result)})
    return result


def refresh(con) -> dict[str, float]:
    """Build what the read path reads from the data now stored (``derived.refresh``); a builder's failure is
    logged and never undoes the write before it."""
    return derived.refresh(con)


def import_one(con, user: User, path: str | Path, *, file_name: str | None = None, period: int | None = None,
               sheet: str | None = None, instansi: str = "", progress=None, refresh: bool = True):
    """Import one file as ``user`` (role action ``import``); see ``talenta.ingest.import_file``. Then
    ``refresh`` (unless ``refresh=False``: the caller imports a group and refreshes once after it)."""
    name = file_name or Path(path).name
    result = _audited(
        con, user, "import", "import", name, {"periode": period, "lembar": sheet},
        lambda: ingest.import_file(con, path, file_name=name, period=period, sheet=sheet, instansi=instansi,
                            user=user.username, progress=progress),
        lambda r: r.audit_details())
    if refresh:
        derived.refresh(con)
    return result


def undo(con, user: User, batch: int, *, with_dependents: Collection[int] = ()) -> dict[str, int]:
    """Undo an import batch as ``user`` (role action ``undo``); see ``talenta.ingest.undo_batch``."""
    counts = _audited(con, user, "undo", "undo", f"batch {batch}",
                      {"bersama": sorted(int(b) for b in with_dependents)},
                      lambda: ingest.undo_batch(con, int(batch), user.username, with_dependents=with_dependents),
                      lambda counts: {"baris": counts})
    derived.refresh(con)
    return counts


def save_rule_set(con, user: User, rs: RuleSet, *, name: str, note: str) -> RuleSet:
    """Store a new rule-set version. It becomes active only when ``user`` may activate rule sets;
    otherwise it is kept as a proposal for an administrator to activate."""
    from .access import can

    activate = can(user, "ruleset_activate")
    saved = _audited(con, user, "ruleset_save", "ruleset_save", name, {"aktifkan": activate, "catatan": note},
                     lambda: rulesets.save(con, rs, name=name, note=note, user=user.username, activate=activate),
                     lambda saved: {"rule_set_id": saved.id})
    if activate:
        derived.refresh(con)
    return saved


def activate_rule_set(con, user: User, rule_set_id: int) -> RuleSet:
    """Make an earlier rule-set version the active one (role action ``ruleset_activate``)."""
    active = _audited(con, user, "ruleset_activate", "ruleset_activate", f"aturan {rule_set_id}", {},
                      lambda: rulesets.activate(con, int(rule_set_id), user.username))
    derived.refresh(con)
    return active


def hipo_decision(con, user: User, nip: str, period: int, keputusan: str, catatan: str) -> None:
    """Record a Komite Talenta decision on a suggested high-potential employee (role action ``hipo_decide``),
    inside the account's scope (its OPD/instansi limits)."""
    scope = access.scope_for(user, presentation=False, min_group=0)
    _audited(con, user, "hipo_decide", "hipo_decide", nip, {"periode": period, "keputusan": keputusan,
                                                            "catatan": catatan},
             lambda: hipo.record_decision(con, nip, period, keputusan, catatan, user.username, scope=scope))


def record_read(con, user: User, what: str, details: dict, outcome: str = audit.OK) -> None:
    """One audit row for reading identified data outside the export pipeline (a CLI command run
    ``--as`` an account, a page download of a list of people)."""
    audit.record(con, user, None, "read" if what.startswith("cli:") else "download", what, details, outcome)


def users(con, user: User) -> list[dict]:
    """Every account (``accounts.list_users``) for ``user``: role action ``users_manage``, an unlimited account (the
    list names every OPD's accounts and their limits)."""
    from . import accounts

    require(user, "users_manage")
    return accounts.list_users(con)


def locked_until(con, user: User, username: str, now):
    """When the sign-in lock on ``username`` ends, if it is locked at ``now``, for ``user`` (``users_manage``)."""
    from . import accounts

    require(user, "users_manage")
    return accounts.locked_until(con, username, now)


def audit_log(con, user: User, *, since=None, until=None, who: str | None = None, action: str | None = None):
    """The audit log (``audit.query``) for ``user``: role action ``audit_read``, an unlimited account (the log
    says who read and changed what in every OPD)."""
    require(user, "audit_read")
    return audit.query(con, since=since, until=until, user=who, action=action)


def audit_actions(con, user: User) -> list[str]:
    """The action names in the audit log (the log's filter), for ``user`` (``audit_read``)."""
    require(user, "audit_read")
    return audit.actions(con)


def backup_now(con, user: User, folder: str, kind: str = "manual"):
    """Snapshot the whole database into ``folder`` (role action ``backup``); see ``talenta.backup.take``."""
    from . import backup

    return _audited(con, user, "backup", "backup", folder, {"jenis": kind},
                    lambda: backup.take(con, folder, kind, source=user.username),
                    lambda snap: {"berkas": str(getattr(snap, "path", ""))})


def export_file(con, user: User, scope, kind: str, instansi: str, filters, rs: RuleSet,
                hipo_params=None, file_name: str | None = None) -> tuple[str, bytes]:
    """Build the meeting deck or the workbook for ``scope`` (role action ``export``; with identities also
    ``export_unmasked``), log it with its provenance stamp and leave one audit row (what, which filters)."""
    from . import export

    period = filters.need_period()

    def work():
        access.check_scope(user, scope)
        if not scope.mask_identity:
            require(user, "export_unmasked")
        return export.produce(con, kind, instansi, filters, rs, user.username, scope=scope,
                              hipo_params=hipo_params, file_name=file_name)

    details = {"format": kind, "periode": period, "filter": filters.describe(), "disamarkan": scope.mask_identity,
               "aturan": rs.label}
    name, data, content = _audited(con, user, "export", "export", f"{kind} {period}", details, work,
                                   lambda r: {"berkas": r[0], "pegawai": r[2].summary.get("pegawai")})
    return name, data


def read_profile(con, user: User, scope, nip: str, period: int, rs: RuleSet, *, audit_it: bool = True, **kw):
    """A person's profil talenta as ``scope`` may see it (``talenta.profile.build``). Reading one identified
    person is recorded (aksi ``read``, objek ``profil NIP``); a refusal (outside the scope, masked) leaves a
    ``gagal`` row. ``audit_it=False`` for a page rerun of a profile already recorded in this session."""
    from . import profile

    def work():
        access.check_scope(user, scope)
        return profile.build(con, scope, nip, period, rs, **kw)

    if not audit_it:
        return work()
    return _audited(con, user, None, "read", f"profil {nip}", {"periode": period, "aturan": rs.label}, work)


def calibrate(con, user: User, scope, period: int, rs: RuleSet, nip: str, to_box, reason_code: str,
              reason: str, *, seen: int | None = None) -> dict:
    """Move one employee in the Komite Talenta's calibration session (role action ``calibrate``);
    see ``talenta.calibration.move`` (``seen``: the session's watermark the mover's page drew)."""
    from . import calibration

    def work():
        access.check_scope(user, scope)
        return calibration.move(con, user, scope, period, rs, nip, to_box, reason_code, reason, seen=seen)

    return _audited(con, user, "calibrate", "calibrate", str(nip),
                    {"periode": period, "ke": to_box, "kode_alasan": reason_code, "alasan": reason, "aturan": rs.label},
                    work, lambda r: {"instansi": r["instansi"], "kotak_terhitung": r["kotak_terhitung"]})


def close_calibration(con, user: User, instansi: str, period: int):
    """Close (tetapkan) the period's calibration session (role action ``calibration_close``; the account holds the
    whole instansi: ``access.require_instansi``)."""
    from . import calibration

    def work():
        access.require_instansi(user, instansi)
        return calibration.close(con, user, instansi, period)

    out = _audited(con, user, "calibration_close", "calibration_close", f"{instansi} {period}", {"periode": period},
                   work, lambda s: {"pindah": s.pindah})
    derived.refresh(con, derived.PUBLISHED)
    return out


def reopen_calibration(con, user: User, instansi: str, period: int, reason: str):
    """Reopen a closed calibration session with a reason (role action ``calibration_close``, the whole instansi)."""
    from . import calibration

    def work():
        access.require_instansi(user, instansi)
        return calibration.reopen(con, user, instansi, period, reason)

    out = _audited(con, user, "calibration_close", "calibration_reopen", f"{instansi} {period}",
                   {"periode": period, "alasan_buka": reason}, work)
    derived.refresh(con, derived.PUBLISHED)
    return out


def add_calibration_participant(con, user: User, instansi: str, period: int, name: str) -> None:
    """Name a participant of the calibration meeting (role action ``calibrate``, an account holding the instansi)."""
    from . import calibration

    def work():
        access.require_instansi(user, instansi, whole=False)
        calibration.add_participant(con, user, instansi, period, name)

    _audited(con, user, "calibrate", "calibration_participant", f"{instansi} {period}", {"peserta": name}, work)


def export_berita_acara(con, user: User, scope, filters, instansi: str, rs: RuleSet,
                        file_name: str | None = None) -> tuple[str, bytes]:
    """The berita acara kalibrasi (XLSX) for ``scope`` (role action ``export``; with identities also
    ``export_unmasked``), made, stamped and logged by the export pipeline (``export.produce``) and audited once."""
    from . import export

    period = filters.need_period()

    def work():
        access.check_scope(user, scope)
        access.require_instansi(user, instansi, whole=False)
        if not scope.mask_identity:
            require(user, "export_unmasked")
        return export.produce(con, "kalibrasi", instansi, filters, rs, user.username, scope=scope,
                              file_name=file_name)

    name, data, _ = _audited(con, user, "export", "export", f"kalibrasi {period}",
                             {"format": "xlsx", "periode": period, "instansi": instansi,
                              "disamarkan": scope.mask_identity}, work, lambda r: {"berkas": r[0]})
    return name, data


def succession_decision(con, user: User, post: str, nip: str, step: str, reason: str, *, justification: str = "",
                        period: int, rs: RuleSet, srs, tanggal=None) -> int:
    """One step of the succession workflow (usul / rekomendasi / tetapkan / tolak) with its reason, as ``user``
    (the step's role action in ``access.ROLES``); see ``talenta.succession_workflow.record``."""
    from . import succession_workflow as wf

    permission = wf.STEP_ACTION.get(step)

    def work():
        wf.check(step, reason, justification)
        return wf.record(con, user, post, nip, step, reason, justification=justification, period=period, rs=rs,
                         srs=srs, tanggal=tanggal)

    return _audited(con, user, permission, "succession_decide", f"{post} {nip}",
                    {"langkah": step, "alasan_langkah": reason, "justifikasi": justification or None, "periode": period,
                     "tanggal_acuan": str(tanggal) if tanggal else None}, work, lambda did: {"keputusan": did})
