"""Roles as data: what each role sees and may do, the signed-in ``User``, and the scope it gets.

The matrix below is the single source for the navigation (``pages``), the library's refusals
(``require``) and the README's role table. Pages a role may not use are not in its navigation,
and the library refuses the action too: hiding a menu is not protection.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import AccessDenied
from .scope import Scope

ACTIONS = {
    "import": "mengimpor data",
    "undo": "membatalkan batch impor",
    "ruleset_save": "menyimpan usulan aturan",
    "ruleset_activate": "mengaktifkan aturan",
    "hipo_nominate": "mengusulkan pegawai berpotensi tinggi",
    "hipo_decide": "memutuskan pegawai berpotensi tinggi",
    "export": "mengekspor data",
    "export_unmasked": "mengekspor identitas pegawai",
    "users_manage": "mengelola pengguna",
    "audit_read": "membaca log audit",
    "backup": "mencadangkan dan memulihkan basis data",
    "calibrate": "memindahkan pegawai dalam sesi kalibrasi",
    "calibration_close": "menetapkan atau membuka kembali sesi kalibrasi",
    "succession_propose": "mengusulkan calon pengganti jabatan (suksesi)",
    "succession_recommend": "merekomendasikan calon pengganti jabatan (suksesi)",
    "succession_decide": "menetapkan atau menolak calon pengganti jabatan (suksesi)",
}

# Actions over the whole database (every instansi's rows, every account, the log, the active rules): an account
# limited to an OPD or an instansi may not do them, whatever its role (an import or an undo changes every OPD's
# rows; a limited administrator could otherwise lift his own limit or read every instansi's audit log).
GLOBAL_ACTIONS = frozenset({"import", "undo", "ruleset_activate", "users_manage", "audit_read", "backup"})

KEY_PAGES = frozenset({"ringkasan", "peta-talenta", "talent-pool", "potensi-tinggi"})
READ_PAGES = KEY_PAGES | {"data", "ekspor", "profil", "suksesi"}
CALIBRATION_PAGES = frozenset({"kalibrasi"})      # the Komite Talenta's session: komite, pimpinan, admin
ALL_PAGES = READ_PAGES | CALIBRATION_PAGES | {"impor", "aturan", "pengguna", "cadangan"}
# pages that only do a global action: not in a limited account's navigation
GLOBAL_PAGES = {"impor": "import", "pengguna": "users_manage", "cadangan": "backup"}


@dataclass(frozen=True)
class RoleSpec:
    """One role: its Indonesian label, whether it sees identities, its actions and its pages (url paths)."""

    label: str
    who: str
    sees_identities: bool
    actions: frozenset[str]
    pages: frozenset[str]


ROLES: dict[str, RoleSpec] = {
    "admin": RoleSpec("Administrator", "administrator sistem BKPSDM", True, frozenset(ACTIONS), ALL_PAGES),
    "analis": RoleSpec("Analis", "analis BKPSDM", True,
                       frozenset({"import", "undo", "ruleset_save", "hipo_nominate", "export", "export_unmasked",
                                  "succession_propose"}),
                       READ_PAGES | {"impor", "aturan"}),
    "komite": RoleSpec("Komite Talenta", "anggota Komite Talenta", True,
                       frozenset({"hipo_nominate", "hipo_decide", "calibrate", "export", "export_unmasked",
                                  "succession_recommend"}),
                       READ_PAGES | CALIBRATION_PAGES),
    "pimpinan": RoleSpec("Pimpinan", "Sekda, Wali Kota", True,
                         frozenset({"calibration_close", "export", "export_unmasked", "succession_decide"}),
                         READ_PAGES | CALIBRATION_PAGES),
    "opd": RoleSpec("Pengelola OPD", "pengelola kepegawaian / kepala OPD (OPD sendiri saja)", True,
                    frozenset({"export", "export_unmasked"}), READ_PAGES),
    "tamu": RoleSpec("Tamu", "peserta rapat, layar tamu (agregat saja)", False, frozenset(), KEY_PAGES | {"suksesi"}),
}


@dataclass(frozen=True)
class User:
    """A signed-in account. Empty ``instansi`` / ``opd`` mean no limit."""

    username: str
    name: str
    role: str
    instansi: tuple[str, ...] = ()
    opd: tuple[str, ...] = ()

    @property
    def limited(self) -> bool:
        """Whether the account is limited to some OPD or instansi."""
        return bool(self.opd or self.instansi)

    @property
    def spec(self) -> RoleSpec:
        return ROLES[self.role]

    def describe(self) -> str:
        """'Name (Role label)' for the sidebar and messages."""
        return f"{self.name} ({self.spec.label})"


OPERATOR = User("operator", "Operator server", "admin")
"""The trusted operator of the command line: role admin, no limits."""


def can(user: User, action: str) -> bool:
    """Whether ``user`` may do ``action`` (one of ``ACTIONS``)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    spec = ROLES.get(user.role)
    return spec is not None and action in spec.actions and not (action in GLOBAL_ACTIONS and user.limited)


def require(user: User, action: str) -> None:
    """Raise ``AccessDenied`` (in Indonesian) unless ``user`` may do ``action``."""
    if not can(user, action):
        label = ROLES[user.role].label if user.role in ROLES else user.role
        if user.role in ROLES and action in ROLES[user.role].actions:         # the role may, the limit may not
            raise AccessDenied(f"Akun {user.username} dibatasi pada OPD/instansi tertentu, sedangkan "
                               f"{ACTIONS[action]} berlaku untuk seluruh data: hanya akun tanpa batas yang "
                               "boleh melakukannya.")
        raise AccessDenied(f"Pengguna {user.username} (peran {label}) tidak berhak {ACTIONS[action]}.")


def check_scope(user: User, scope: Scope) -> None:
    """Raise ``AccessDenied`` when ``scope`` (passed to an action by its caller) reaches beyond ``user``'s own:
    another OPD or instansi, or identities the role may not see. Pages and the CLI pass the account's scope; the
    library does not take their word for it."""
    own = scope_for(user, presentation=False, min_group=0)
    for limit, asked in ((own.opd, scope.opd), (own.instansi, scope.instansi)):
        if limit is not None and (asked is None or not asked <= limit):
            raise AccessDenied(f"Cakupan yang diminta melampaui cakupan akun {user.username} "
                               f"({', '.join(sorted(limit))}).")
    if not scope.mask_identity and not own.may_unmask:
        raise AccessDenied("Peran Anda tidak berhak melihat identitas pegawai; data tetap disamarkan.")


def holds_instansi(user: User, instansi: str, *, whole: bool = True) -> bool:
    """Whether ``user``'s limits hold ``instansi`` (``whole``: all of it, no OPD limit)."""
    return not (whole and user.opd) and (not user.instansi or instansi in user.instansi)


def require_instansi(user: User, instansi: str, *, whole: bool = True) -> None:
    """Raise ``AccessDenied`` unless ``user``'s limits hold ``instansi`` (``whole``: all of it): a calibration
    session is the instansi's, so only an account over the whole instansi closes or reopens it; naming a participant
    needs the instansi (a Komite member limited to an OPD moves his OPD's people in the same session)."""
    if not holds_instansi(user, instansi, whole=whole):
        raise AccessDenied(f"Akun {user.username} tidak mencakup " + ("seluruh " if whole else "") +
                           f"instansi {instansi}; sesi kalibrasinya diatur oleh akun instansi itu.")


def may_open(user: User, url_path: str) -> bool:
    """Whether the page at ``url_path`` belongs in ``user``'s navigation."""
    spec = ROLES.get(user.role)
    return (spec is not None and url_path in spec.pages
            and not (url_path in GLOBAL_PAGES and not can(user, GLOBAL_PAGES[url_path])))


def scope_for(user: User, *, presentation: bool, min_group: int) -> Scope:
    """The only way a dashboard scope is made: the account's limits, masking and small-group threshold."""
    sees = ROLES[user.role].sees_identities
    mask = presentation or not sees
    return Scope(opd=frozenset(user.opd) or None, instansi=frozenset(user.instansi) or None,
                 mask_identity=mask, min_group=min_group if mask else 0, may_unmask=sees)


def export_scope(base: Scope, *, min_group: int, unmasked: bool) -> Scope:
    """The one rule for the scope of a file (Ekspor page, CLI ``export``): ``base`` (the account's scope, or the
    operator's) masked with the small-group threshold, unless identities are deliberately asked for
    (``Scope.unmasked`` refuses a role that may not see them)."""
    return base.unmasked() if unmasked else base.masked(min_group)
