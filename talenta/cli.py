"""Command line: ``python -m talenta [--db PATH] COMMAND``.

Exit codes: 0 success (an import with rejected rows is still a success), 2 bad usage or a file that
cannot be read at all, with the reason in Indonesian on stderr.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import json
import resource
import sys
import threading
import time
from pathlib import Path

from . import overview, store
from .config import Settings
from .errors import (DISK_FULL, DatabaseBusyError, ImportFileError, StoreError, TalentaError, UsageError, disk_full,
                     report_unexpected, report_unexpected_to, unexpected_message)


# argparse's own words (usage line, group titles, refusals) come from gettext: ``argparse._`` and
# ``argparse.ngettext``. The msgids of Python 3.11's argparse.py, in Indonesian; a msgid not listed stays as
# argparse has it (programming errors such as conflicting option strings, never shown to an analyst).
_ARGPARSE_ID = {
    "usage: ": "penggunaan: ",
    "positional arguments": "argumen posisi",
    "options": "opsi",
    "subcommands": "subperintah",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan %(value)r tidak dikenal (pilih salah satu: %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai %(value)r tidak sah (%(type)s)",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "expected one argument": "perlu satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "not allowed with argument %s": "tidak boleh dipakai bersama argumen %s",
    "ignored explicit argument %r": "opsi ini tidak menerima nilai (%r)",
    "ambiguous option: %(option)s could match %(matches)s": "opsi %(option)s ambigu: bisa berarti %(matches)s",
    "unexpected option string: %s": "opsi tak terduga: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "perintah %(parser_name)r tidak dikenal (pilihan: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "berkas '%(filename)s' tidak dapat dibuka: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
}
_ARGPARSE_ID_PLURAL = {("expected %s argument", "expected %s arguments"): "perlu %s nilai"}
_argparse_lock = threading.RLock()


def _id(msgid):
    return _ARGPARSE_ID.get(msgid, msgid) if isinstance(msgid, str) else msgid


def _nid(singular: str, plural: str, n: int) -> str:
    return _ARGPARSE_ID_PLURAL.get((singular, plural)) or (singular if n == 1 else plural)


@contextlib.contextmanager
def _indonesian():
    """argparse speaks Indonesian inside this block: its gettext functions swapped, then put back (under a
    lock, so another thread's argparse is only affected while one of our parsers works, never after)."""
    with _argparse_lock:
        saved = argparse._, argparse.ngettext
        argparse._, argparse.ngettext = _id, _nid
        try:
            yield
        finally:
            argparse._, argparse.ngettext = saved


def _in_indonesian(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with _indonesian():
            return method(*args, **kwargs)
    return wrapper


def _whole_number(value: str) -> int:
    """``type=int`` of every option: the refusal in Indonesian (argparse's says "invalid int value")."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' bukan bilangan bulat") from None


def _decimal_number(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' bukan bilangan") from None


class _Commands(argparse._SubParsersAction):
    """A command's ``--help`` opens with the line the command list shows for it."""

    def add_parser(self, name, **kwargs):
        kwargs.setdefault("description", kwargs.get("help"))
        return super().add_parser(name, **kwargs)


class _Parser(argparse.ArgumentParser):
    """Every word argparse prints (help, usage, refusals) in Indonesian; usage errors still exit 2."""

    def __init__(self, *args, **kwargs):
        with _indonesian():
            super().__init__(*args, **kwargs)
        # type=int / type=float (argparse looks the type up in this registry first): refusals in Indonesian
        self.register("type", int, _whole_number)
        self.register("type", float, _decimal_number)
        self.register("action", "parsers", _Commands)

    add_subparsers = _in_indonesian(argparse.ArgumentParser.add_subparsers)
    parse_args = _in_indonesian(argparse.ArgumentParser.parse_args)       # "unrecognized arguments" is said here
    parse_known_args = _in_indonesian(argparse.ArgumentParser.parse_known_args)
    format_usage = _in_indonesian(argparse.ArgumentParser.format_usage)
    format_help = _in_indonesian(argparse.ArgumentParser.format_help)

    @_in_indonesian
    def error(self, message: str) -> None:  # argparse exits 2; say it in Indonesian
        self.print_usage(sys.stderr)
        self.exit(2, f"Kesalahan penggunaan: {message}\nLihat '{self.prog} --help'.\n")


# the help of options several commands share
PERIOD_HELP = "tahun penilaian T (mis. 2025)"
OPD_HELP = "batasi ke OPD ini (boleh berulang)"
RULE_SET_HELP = "nomor aturan (bawaan: yang aktif)"
OUT_TABLE_HELP = "berkas keluaran .csv atau .xlsx"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m talenta", description="Talenta: analitik Manajemen Talenta ASN.",
                epilog="Bantuan satu perintah: python -m talenta PERINTAH --help")
    p.add_argument("--db", metavar="BERKAS",
                   help="berkas basis data DuckDB (bawaan: TALENTA_DB_PATH atau data/talenta.duckdb)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="PERINTAH")

    sub.add_parser("init", help="buat atau perbarui skema basis data")

    d = sub.add_parser("demo", help="tulis berkas data demo sintetis lalu impor")
    d.add_argument("--employees", type=int, metavar="N", help="jumlah pegawai (bawaan 21.700)")
    d.add_argument("--seed", type=int, metavar="N", help="benih acak (bawaan TALENTA_SEED)")
    d.add_argument("--out", metavar="FOLDER", help="folder berkas demo (bawaan data/demo)")
    d.add_argument("--instansi", type=int, default=1, metavar="N", help="jumlah instansi (bawaan 1: Palembang)")
    d.add_argument("--format", choices=["auto", "xlsx", "csv"], default="auto",
                   help="format berkas SKP dan asesmen (auto: xlsx bila muat)")

    i = sub.add_parser("import", help="impor berkas CSV/XLSX (pegawai, kinerja, asesmen)")
    i.add_argument("files", nargs="+", metavar="BERKAS", help="satu atau beberapa berkas .csv atau .xlsx")
    i.add_argument("--period", type=int, metavar="TAHUN", help="tahun penilaian bila berkas tidak punya kolom tahun")
    i.add_argument("--sheet", metavar="NAMA", help="nama lembar Excel (bawaan: lembar pertama yang berisi tabel)")
    i.add_argument("--json", action="store_true", help="keluaran JSON")

    s = sub.add_parser("status", help="ringkasan isi basis data")
    s.add_argument("--json", action="store_true", help="keluaran JSON")
    _as_arg(s)

    r = sub.add_parser("rejected", help="tulis baris yang ditolak (karantina) ke CSV/XLSX")
    r.add_argument("--batch", type=int, metavar="NOMOR", help="hanya batch impor ini")
    r.add_argument("--out", required=True, metavar="BERKAS", help=OUT_TABLE_HELP)
    _as_arg(r)

    u = sub.add_parser("undo", help="batalkan satu batch impor")
    u.add_argument("batch", type=int, metavar="BATCH", help="nomor batch impor (dicetak oleh perintah import)")
    u.add_argument("--with-dependents", action="store_true",
                   help="batalkan juga batch kinerja/asesmen yang memakai pegawai dari batch ini")

    m = sub.add_parser("map", help="peta talenta per pegawai ke CSV/XLSX")
    m.add_argument("--period", type=int, required=True, metavar="TAHUN", help=PERIOD_HELP)
    m.add_argument("--opd", action="append", default=[], metavar="NAMA", help=OPD_HELP)
    m.add_argument("--rule-set", type=int, metavar="NOMOR", help=RULE_SET_HELP)
    m.add_argument("--out", required=True, metavar="BERKAS", help=OUT_TABLE_HELP)
    _basis_arg(m)
    _privacy_args(m)

    from .pool import GROUPINGS
    pl = sub.add_parser("pool", help="talent pool per kelompok ke CSV/XLSX")
    pl.add_argument("--period", type=int, required=True, metavar="TAHUN", help=PERIOD_HELP)
    pl.add_argument("--by", choices=list(GROUPINGS), default="opd", help="kelompok per baris (bawaan: opd)")
    pl.add_argument("--opd", action="append", default=[], metavar="NAMA", help=OPD_HELP)
    pl.add_argument("--rule-set", type=int, metavar="NOMOR", help=RULE_SET_HELP)
    pl.add_argument("--out", required=True, metavar="BERKAS", help=OUT_TABLE_HELP)
    _basis_arg(pl)
    _privacy_args(pl)

    ca = sub.add_parser("calibrate", help="kalibrasi Komite Talenta: pindahkan pegawai ke kotak lain, atau tetapkan sesi")
    ca.add_argument("--period", type=int, required=True, metavar="TAHUN", help=PERIOD_HELP)
    ca.add_argument("--nip", metavar="NIP", help="NIP pegawai yang dipindahkan")
    ca.add_argument("--to", metavar="KOTAK", help="kotak tujuan (1-9)")
    ca.add_argument("--reason-code", metavar="KODE", help="kode alasan: bukti_kinerja|wawancara|data_keliru|lainnya")
    ca.add_argument("--reason", metavar="TEKS", help="alasan (teks bebas, wajib)")
    ca.add_argument("--close", action="store_true", help="tetapkan (kunci) sesi kalibrasi periode ini")
    ca.add_argument("--instansi", metavar="NAMA",
                    help="instansi sesi yang ditetapkan (bila data berisi lebih dari satu instansi)")
    ca.add_argument("--rule-set", type=int, metavar="NOMOR",
                    help="nomor aturan untuk kotak terhitung: hanya yang aktif diterima (bawaan: yang aktif)")
    _as_arg(ca)

    hp = sub.add_parser("hipo", help="saran pegawai berpotensi tinggi (pengelompokan) ke CSV/XLSX")
    hp.add_argument("--period", type=int, required=True, metavar="TAHUN", help=PERIOD_HELP)
    hp.add_argument("--opd", action="append", default=[], metavar="NAMA",
                    help="hanya baris OPD ini (boleh berulang; pengelompokan tetap atas seluruh instansi)")
    hp.add_argument("--rule-set", type=int, metavar="NOMOR", help=RULE_SET_HELP)
    hp.add_argument("--all", action="store_true", help="semua pegawai berasesmen, bukan hanya yang ditandai")
    hp.add_argument("--out", required=True, metavar="BERKAS", help=OUT_TABLE_HELP)
    _privacy_args(hp)

    from .fairness import BASES, GROUPS
    fa = sub.add_parser("fairness", help="uji kesetaraan: bagian KRS per kelompok, chi-square/Fisher, ke CSV/XLSX")
    fa.add_argument("--period", type=int, required=True, metavar="TAHUN", help=PERIOD_HELP)
    fa.add_argument("--by", choices=list(GROUPS), required=True, help="kelompok yang dibandingkan")
    fa.add_argument("--basis", choices=list(BASES), default="terhitung",
                    help="kotak terhitung (bawaan) atau terkalibrasi (hasil kalibrasi Komite)")
    fa.add_argument("--opd", action="append", default=[], metavar="NAMA", help=OPD_HELP)
    fa.add_argument("--rule-set", type=int, metavar="NOMOR", help=RULE_SET_HELP)
    fa.add_argument("--out", required=True, metavar="BERKAS", help=OUT_TABLE_HELP)
    _privacy_args(fa)

    ex = sub.add_parser("export", help="deck rapat (PPTX) atau workbook (XLSX) dengan cap asal-usul; juga berita "
                                       "acara kalibrasi (XLSX)")
    ex.add_argument("--period", type=int, required=True, metavar="TAHUN", help=PERIOD_HELP)
    ex.add_argument("--opd", action="append", default=[], metavar="NAMA", help=OPD_HELP)
    ex.add_argument("--format", choices=["pptx", "xlsx", "kalibrasi"], required=True,
                    help="pptx: deck rapat; xlsx: workbook; kalibrasi: berita acara kalibrasi instansi (XLSX)")
    ex.add_argument("--out", required=True, metavar="BERKAS",
                    help="berkas keluaran, berakhiran sesuai --format (.pptx, atau .xlsx untuk xlsx dan kalibrasi)")
    ex.add_argument("--rule-set", type=int, metavar="NOMOR", help=RULE_SET_HELP)
    ex.add_argument("--unmasked", action="store_true", help="tampilkan NIP dan nama (dengan sengaja)")
    ex.add_argument("--min-group", type=_group_size, default=None, metavar="N",
                    help="sembunyikan kelompok di bawah N orang (bawaan: TALENTA_MIN_GROUP)")
    _as_arg(ex)

    mv = sub.add_parser("movement", help="matriks perpindahan kotak antara dua periode")
    mv.add_argument("--from", dest="period_from", type=int, required=True, metavar="TAHUN", help="periode awal")
    mv.add_argument("--to", dest="period_to", type=int, required=True, metavar="TAHUN", help="periode akhir")
    mv.add_argument("--opd", action="append", default=[], metavar="NAMA", help=OPD_HELP)
    mv.add_argument("--rule-set", type=int, metavar="NOMOR", help=RULE_SET_HELP)
    mv.add_argument("--out", required=True, metavar="BERKAS", help=OUT_TABLE_HELP)
    _basis_arg(mv)
    _privacy_args(mv)
    _add_succession_commands(sub)
    _add_user_commands(sub)

    b = sub.add_parser("backup", help="cadangan utuh basis data (satu berkas .duckdb + manifest .json)")
    b.add_argument("--out", metavar="BERKAS",
                   help="berkas .duckdb baru (bawaan: TALENTA_BACKUP_DIR/talenta-manual-<waktu>.duckdb)")
    b.add_argument("--json", action="store_true", help="keluaran JSON")

    rs = sub.add_parser("restore", help="pulihkan basis data dari cadangan (diperiksa dulu; dashboard harus berhenti)")
    rs.add_argument("file", metavar="BERKAS", help="berkas cadangan .duckdb (manifest .json di sampingnya)")
    rs.add_argument("--json", action="store_true", help="keluaran JSON")
    return p


def _add_succession_commands(sub) -> None:
    sc = sub.add_parser("succession", help="jabatan target dan kandidat penggantinya (suksesi) ke CSV/XLSX; "
                                            "'succession decide' mencatat keputusan")
    sc.add_argument("--period", type=int, metavar="TAHUN", help="tahun penilaian (peta talenta dan KRS)")
    sc.add_argument("--tanggal", type=_date, metavar="YYYY-MM-DD", help="tanggal acuan (bawaan: 31 Desember periode)")
    sc.add_argument("--opd", action="append", default=[], metavar="NAMA", help=OPD_HELP)
    sc.add_argument("--all", action="store_true", help="juga pegawai di luar KRS (dengan 'krs' di syarat_belum)")
    sc.add_argument("--top", type=_positive, metavar="N", help="hanya N kandidat teratas per jabatan target "
                    "(bawaan: semua; tabel yang lebih besar dari batas baris berkas meminta --top atau --opd)")
    sc.add_argument("--out", metavar="BERKAS", help=OUT_TABLE_HELP)
    _as_arg(sc)
    ss = sc.add_subparsers(dest="succession_command", required=False, parser_class=_Parser)
    dc = ss.add_parser("decide", help="catat satu langkah: usul | rekomendasi | tetapkan | tolak (dengan alasan)")
    dc.add_argument("--post", required=True, metavar="JABATAN_ID", help="jabatan target (kolom jabatan_id)")
    dc.add_argument("--nip", required=True, metavar="NIP", help="NIP kandidat")
    dc.add_argument("--step", required=True, choices=["usul", "rekomendasi", "tetapkan", "tolak"],
                    help="langkah keputusan")
    dc.add_argument("--reason", required=True, metavar="TEKS", help="alasan (wajib)")
    dc.add_argument("--justification", default="", metavar="TEKS",
                    help="wajib untuk menetapkan kandidat yang bukan peringkat 1 atau belum siap sekarang")
    dc.add_argument("--period", dest="decide_period", type=int, metavar="TAHUN",
                    help="tahun penilaian (bawaan: tahun SKP terakhir)")
    dc.add_argument("--tanggal", dest="decide_tanggal", type=_date, metavar="YYYY-MM-DD",
                    help="tanggal acuan (bawaan: 31 Desember periode)")
    dc.add_argument("--as", dest="decide_as", required=True, metavar="NAMA_AKUN", help="akun yang mengambil keputusan")


def _add_user_commands(sub) -> None:
    from .access import ROLES

    us = sub.add_parser("user", help="kelola akun pengguna dashboard").add_subparsers(
        dest="user_command", required=True, parser_class=_Parser, metavar="PERINTAH")
    ua = us.add_parser("add", help="tambah akun (kata sandi dibaca dari stdin)")
    ua.add_argument("username", metavar="NAMA_AKUN", help="nama akun untuk masuk")
    ua.add_argument("--role", required=True, metavar="PERAN", help=f"peran: {'|'.join(ROLES)}")
    ua.add_argument("--name", metavar="NAMA", help="nama tampilan")
    ua.add_argument("--instansi", action="append", default=[], metavar="NAMA",
                    help="batasi ke instansi ini (boleh berulang)")
    ua.add_argument("--opd", action="append", default=[], metavar="NAMA", help=OPD_HELP)
    ua.add_argument("--email", metavar="ALAMAT", help="e-mail untuk masuk lewat SSO (opsional)")
    ua.add_argument("--password-stdin", action="store_true", required=True, help="baca kata sandi dari stdin")
    ul = us.add_parser("list", help="daftar akun")
    ul.add_argument("--json", action="store_true", help="keluaran JSON")
    ud = us.add_parser("disable", help="nonaktifkan akun")
    ud.add_argument("username", metavar="NAMA_AKUN", help="akun yang dinonaktifkan")
    ue = us.add_parser("enable", help="aktifkan kembali akun yang dinonaktifkan")
    ue.add_argument("username", metavar="NAMA_AKUN", help="akun yang diaktifkan")
    uk = us.add_parser("unlock", help="buka kunci akun yang terkunci karena gagal masuk berulang")
    uk.add_argument("username", metavar="NAMA_AKUN", help="akun yang dibuka kuncinya")
    up = us.add_parser("passwd", help="ganti kata sandi (dibaca dari stdin); juga membuka kunci akun")
    up.add_argument("username", metavar="NAMA_AKUN", help="akun yang kata sandinya diganti")
    up.add_argument("--password-stdin", action="store_true", required=True, help="baca kata sandi dari stdin")

    pf = sub.add_parser("profile", help="profil talenta satu pegawai ke JSON/XLSX")
    pf.add_argument("nip", metavar="NIP", help="NIP 18 angka")
    pf.add_argument("--period", type=int, required=True, metavar="TAHUN", help=PERIOD_HELP)
    pf.add_argument("--rule-set", type=int, metavar="NOMOR", help=RULE_SET_HELP)
    pf.add_argument("--out", required=True, metavar="BERKAS", help="berkas keluaran .json atau .xlsx")
    _basis_arg(pf)
    _as_arg(pf)

    au = sub.add_parser("audit", help="tulis log audit ke CSV/XLSX")
    au.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="mulai tanggal ini")
    au.add_argument("--user", metavar="NAMA_AKUN", help="hanya pengguna ini")
    au.add_argument("--action", metavar="AKSI", help="hanya aksi ini (mis. login, user_add)")
    au.add_argument("--out", required=True, metavar="BERKAS", help=OUT_TABLE_HELP)


def _positive(value: str, meaning: str = "") -> int:
    """A whole number of at least 1 (``--top``); ``meaning`` closes the refusal in brackets."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"'{value}' tidak sah; tulis bilangan bulat 1 atau lebih"
                                         + (f" ({meaning})" if meaning else ""))
    return n


def _group_size(value: str) -> int:
    """``--min-group``: a whole number of at least 1 (0 or less would switch suppression off unannounced)."""
    return _positive(value, "jumlah orang terkecil yang boleh ditampilkan")


def _date(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal '{value}' tidak sah; tulis YYYY-MM-DD") from None


def _basis_arg(parser) -> None:
    parser.add_argument("--basis", choices=["terhitung", "terkalibrasi"], default=None,
                        help="kotak terhitung (dari aturan) atau terkalibrasi (hasil Komite Talenta); bawaan: "
                             "terkalibrasi bila sesi kalibrasi periode itu sudah ditetapkan, selain itu terhitung")


def _privacy_args(parser) -> None:
    parser.add_argument("--min-group", type=_group_size, default=0, metavar="N",
                        help="samarkan identitas dan sembunyikan jumlah di bawah N (dan yang dapat membukanya)")
    _as_arg(parser)


def _as_arg(parser) -> None:
    parser.add_argument("--as", dest="as_user", metavar="NAMA_AKUN",
                        help="jalankan sebagai akun ini: hanya yang boleh dilihat akun itu, disamarkan seperti "
                             "akun itu, dan dicatat di log audit")


def _operator(settings: Settings):
    """The trusted operator as the author of the CLI's writes (named by TALENTA_USER in the audit log)."""
    from dataclasses import replace

    from .access import OPERATOR

    return replace(OPERATOR, username=settings.user) if settings.user else OPERATOR


def cli_user(args, con):
    """The account a reading command acts as: ``--as USERNAME`` (an active account) or the trusted operator."""
    from . import accounts
    from .access import OPERATOR

    name = getattr(args, "as_user", None)
    if not name:
        return OPERATOR
    user = accounts.active_user(con, name)
    if user is None:
        raise UsageError(f"Akun '{name}' tidak ada atau nonaktif; lihat 'python -m talenta user list'.")
    return user


def cli_scope(args, settings: Settings, user=None):
    """The one place the CLI builds its scope. The operator on the server sees everything; ``--min-group N``
    masks identities and hides groups below N. ``export`` is masked with ``--min-group`` or the setting
    unless ``--unmasked``. With ``--as`` the account's own scope is the start (its OPD/instansi limits, its
    masking), and the options can only reduce it; ``--unmasked`` for a role that may not see identities is
    refused (AccessDenied)."""
    from . import access
    from .scope import Scope

    base = Scope() if user is None or user is access.OPERATOR else \
        access.scope_for(user, presentation=False, min_group=settings.min_group)
    if args.command == "export":
        return access.export_scope(base, min_group=settings.min_group if args.min_group is None else args.min_group,
                                   unmasked=args.unmasked)
    n = getattr(args, "min_group", 0) or 0
    return base.masked(n) if n > 0 else base


def _audit_read(con, user, args, details: dict) -> None:
    """One audit row for a reading command run ``--as`` an account (the operator's own reads are not logged)."""
    from . import actions

    if getattr(args, "as_user", None):
        actions.record_read(con, user, f"cli:{args.command}", {
            k: v for k, v in {"periode": getattr(args, "period", None), "opd": list(getattr(args, "opd", []) or []),
                              **details}.items() if v not in (None, [])})


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = args.db
    try:
        settings = Settings.from_env()
        # an option given as "" is refused, not read as not given: --as "" ran as the operator (a decision recorded
        # "oleh operator"), --db "" made data/talenta.duckdb here, backup --out "" wrote to the default folder
        for name, flag in (("db", "--db"), ("as_user", "--as"), ("out", "--out"), ("file", "BERKAS")):
            if getattr(args, name, None) is not None and not str(getattr(args, name)).strip():
                raise UsageError(f"{flag} tidak boleh kosong; tidak ada yang dijalankan.")
        db = args.db or settings.db_path
        out = getattr(args, "out", None)
        # a file to write into a folder that must exist (demo's --out is a folder; a backup creates its folder)
        if out and args.command not in ("demo", "backup") and not Path(out).parent.is_dir():
            raise UsageError(f"Folder tujuan --out tidak ada: {Path(out).parent}. Buat foldernya dulu atau pilih "
                             "folder lain; tidak ada yang dijalankan.")
        return COMMANDS[args.command](args, settings, db)
    except ImportFileError as exc:
        return _fail(args, str(exc), 2)
    except TalentaError as exc:
        return _fail(args, str(exc), 2)
    except BrokenPipeError:    # the reader stopped reading (``user list | head``): not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())     # no second error when Python flushes
        return 0
    except Exception as exc:   # a bug: the traceback goes to the log file, the user gets its id
        if disk_full(exc):
            return _fail(args, DISK_FULL[0].upper() + DISK_FULL[1:] + (" Impor yang gagal tidak mengubah data."
                                                                       if args.command == "import" else ""), 1)
        log = _log_file(db)
        code, written = report_unexpected_to(exc, f"perintah {args.command}", log) if log else \
            (report_unexpected(exc, f"perintah {args.command}"), None)
        return _fail(args, unexpected_message(code, importing=args.command == "import", log=written), 1)


def _fail(args, message: str, status: int) -> int:
    """Say why a command failed: a JSON object with ``error`` under ``--json``, else a line on stderr."""
    if getattr(args, "json", False):
        print(json.dumps({"error": message, "exit": status}, ensure_ascii=False, indent=2))
    else:
        print(f"Gagal: {message}", file=sys.stderr)
    return status


def _log_file(db: str | None) -> Path | None:
    """Where the command line logs unexpected errors: ``talenta-errors.log`` beside the database."""
    return Path(db).resolve().parent / "talenta-errors.log" if db else None


def _connect(settings: Settings, db: str, create: bool = False):
    """The database, writable. Only the commands that make one (``init``, ``demo``, ``import``, ``restore``, ``user
    add``) pass ``create``: any other command on a path with no database says so instead of making an empty one
    (a mistyped ``--db`` made a folder and a database, and ``status`` reported 0 pegawai)."""
    if not create and db != ":memory:" and not Path(db).exists():
        raise StoreError(f"Basis data {db} belum ada (periksa --db atau TALENTA_DB_PATH). Jalankan 'python -m "
                         "talenta init' atau impor data dahulu; tidak ada yang dibuat.")
    return store.connect(db, memory_limit=settings.duckdb_memory_limit, threads=settings.duckdb_threads)


def cmd_init(args, settings: Settings, db: str) -> int:
    con = _connect(settings, db, create=True)
    print(f"Basis data {db} siap (versi skema {store.schema_version(con)}).")
    return 0


def cmd_demo(args, settings: Settings, db: str) -> int:
    from . import demo
    from . import fmt

    n = args.employees or settings.demo_employees
    if n < 50:
        raise UsageError("--employees minimal 50.")
    out = args.out or settings.demo_dir
    con = _connect(settings, db, create=True)
    t0 = time.perf_counter()
    stats: dict = {}
    results = demo.build(con, out, n=n, seed=args.seed if args.seed is not None else settings.seed,
                         instansi=settings.instansi, n_instansi=args.instansi, fmt=args.format,
                         user=settings.user, stats=stats)
    for r in results:
        print(r.summary())
    print(f"Akun demo (kata sandi semuanya '{demo.DEMO_PASSWORD}'): "
          + ", ".join(f"{u} ({role}{', ' + opd[0] if opd else ''})" for u, _, role, _, opd in demo.DEMO_ACCOUNTS) + ".")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024      # Linux reports KiB
    rows = sum(r.rows_read for r in results)
    num = fmt.num
    print(f"Selesai dalam {num(time.perf_counter() - t0, 1)} detik (membangkitkan {num(stats['generate_s'], 1)} s, "
          f"menulis berkas {num(stats['write_s'], 1)} s, impor {num(stats['import_s'], 1)} s untuk {num(rows)} "
          f"baris); memori puncak {num(peak_mb)} MB; berkas demo di {out}.")
    return 0


def _import_failure(file: str, code: str, message: str) -> dict:
    """One file's JSON entry when it was not imported: the usual keys (null: not applicable) plus the error."""
    return {"file": Path(file).name, "rows_read": None, "accepted": None, "rejected": None, "batch": None,
            "status": "gagal", "error_code": code, "error": message}


def cmd_import(args, settings: Settings, db: str) -> int:
    """Import each file; with --json, stdout is a JSON list (one object per file) on success and on failure."""
    from . import actions

    def fail_all(culprits: list[str], code: str, message: str, why_others: str = "") -> int:
        print(json.dumps([_import_failure(f, code, message if f in culprits else why_others) for f in args.files],
                         ensure_ascii=False, indent=2))
        return 2

    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        if not args.json:
            raise ImportFileError(missing[0], "berkas tidak ditemukan.")
        return fail_all(missing, "file_missing", "berkas tidak ditemukan.",
                        "tidak diimpor karena ada berkas lain dalam perintah ini yang tidak ditemukan.")
    try:
        con = _connect(settings, db, create=True)
    except TalentaError as exc:
        if not args.json:
            raise
        return fail_all(args.files, "db_busy" if isinstance(exc, DatabaseBusyError) else "db_error", str(exc))
    try:
        return _import_each(args, settings, db, con, actions)
    finally:
        actions.refresh(con)             # once after the group: what the pages read (talenta/derived.py)


def _import_each(args, settings: Settings, db: str, con, actions) -> int:
    results, failed = [], False
    for f in args.files:
        try:
            r = actions.import_one(con, _operator(settings), f, period=args.period, sheet=args.sheet,
                                   instansi=settings.instansi, refresh=False)
        except TalentaError as exc:
            failed = True
            if args.json:
                refused = isinstance(exc, ImportFileError)
                results.append(_import_failure(f, "file_refused" if refused else "error",
                                               exc.message if refused else str(exc)))
            else:
                print(f"Gagal: {exc}", file=sys.stderr)
            continue
        except Exception as exc:
            if not args.json:
                raise                      # main() logs it and prints its id
            # one JSON document: what was done so far and this file's error id (the traceback goes to the log)
            code, written = report_unexpected_to(exc, "perintah import", _log_file(db))
            results.append(_import_failure(f, "unexpected", unexpected_message(code, log=written)))
            print(json.dumps(results, ensure_ascii=False, indent=2))
            return 1
        if args.json:
            results.append(r.as_json())
        else:
            print(r.summary())
            if r.unknown_columns:
                print(f"  Kolom tidak dikenal (disimpan di samping, tidak diimpor): {', '.join(r.unknown_columns)}")
            for rn, why in r.skipped:
                print(f"  Baris {rn}: {why}")
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 2 if failed else 0


def cmd_status(args, settings: Settings, db: str) -> int:
    import datetime as dt

    from . import fmt, privacy

    if getattr(args, "as_user", None):
        con = _connect(settings, db)
        user = cli_user(args, con)
        scope = cli_scope(args, settings, user)
    else:
        con = store.connect(db, read_only=True)
        user, scope = None, None
    st = overview.status(con, scope)
    if user is not None:
        _audit_read(con, user, args, {"disamarkan": scope.mask_identity})
    if args.json:
        print(json.dumps(st, ensure_ascii=False, indent=2))
        return 0
    n, num = privacy.text, fmt.num
    print(f"Basis data: {db} (skema versi {st['schema_version']})")
    print(f"Pegawai: {n(st['employees'])} di {num(st['opd'])} OPD, {num(st['instansi'])} instansi")
    print("Kinerja per tahun: " + (", ".join(f"{t}: {n(v)}" for t, v in st["performance_per_period"].items()) or "-"))
    print("Asesmen per tahun: " + (", ".join(f"{t}: {n(v)}" for t, v in st["assessments_per_period"].items()) or "-"))
    print(f"Riwayat jabatan: {n(st['riwayat_jabatan'])} baris; hukuman disiplin: {n(st['hukuman_disiplin'])}; "
          f"diklat: {n(st['diklat'])}; formasi: {num(st['formasi'])} jabatan")
    print(f"Batch impor aktif: {num(st['import_batches'])} (dibatalkan: {num(st['import_batches_undone'])}); "
          f"baris ditolak: {num(st['rejected_rows'])}")
    last = st["last_import"]
    print(f"Impor terakhir: {fmt.date(dt.datetime.fromisoformat(last), with_time=True) if last else '-'}")
    return 0


def cmd_rejected(args, settings: Settings, db: str) -> int:
    """The quarantine holds raw rows of import files (any OPD, before validation): it belongs to the roles that
    import. ``--as`` an account without the import action is refused and audited."""
    from . import access, audit, fmt, quarantine

    out = _out_path(args.out)
    con = _connect(settings, db) if args.as_user else store.connect(db, read_only=True)
    user = cli_user(args, con)
    if not access.can(user, "import"):
        audit.record(con, user, None, "read", "cli:rejected", {"batch": args.batch}, audit.FAILED)
        access.require(user, "import")
    if args.batch is not None:
        have = [r[0] for r in con.execute("SELECT batch_id FROM import_batch ORDER BY batch_id").fetchall()]
        if args.batch not in have:
            raise UsageError(f"Batch {args.batch} tidak ada; batch yang ada: "
                             f"{', '.join(map(str, have)) or 'belum ada'}.")
    df = quarantine.rejected_rows(con, batch=args.batch)
    quarantine.write(df, out)
    _audit_read(con, user, args, {"batch": args.batch, "baris": len(df)})
    print(f"{fmt.num(len(df))} baris ditolak ditulis ke {out}.")
    return 0


UNDO_LABELS = {"riwayat_jabatan": "riwayat jabatan", "hukuman_disiplin": "hukuman disiplin", "diklat": "diklat",
               "formasi": "formasi jabatan"}


def cmd_undo(args, settings: Settings, db: str) -> int:
    from . import actions, fmt
    from .ingest.loader import undo_plan

    con = _connect(settings, db)
    plan = undo_plan(con, args.batch)
    deps = [b for b, _ in plan.dependents] if args.with_dependents else []
    counts = actions.undo(con, _operator(settings), args.batch, with_dependents=deps)
    if plan.decisions:      # said after the undo (a refused undo changes nothing and says why)
        people = fmt.num(len({d[0] for d in plan.decisions}))
        print(f"Catatan: {people} pegawai yang dikeluarkan tercatat dalam keputusan suksesi atau perpindahan "
              "kalibrasi yang masih berlaku; keputusan itu tetap di riwayatnya tetapi tidak tampil lagi sampai "
              "pegawainya diimpor kembali:", file=sys.stderr)
        for nip, nama, what in plan.decisions:
            print(f"  {nip} {nama}: {what}", file=sys.stderr)
    also = f" bersama batch {', '.join(f'{b} ({f})' for b, f in plan.dependents)}" if deps else ""
    num = fmt.num
    print(f"Batch {args.batch} ({plan.file}) dibatalkan{also}: {num(counts['employee'])} baris pegawai, "
          f"{num(counts['performance'])} kinerja, {num(counts['assessment'])} asesmen"
          + "".join(f", {num(counts[t])} {label}" for t, label in UNDO_LABELS.items() if counts.get(t))
          + " dikeluarkan; kolom yang ditulisnya kembali ke nilai sebelumnya.")
    return 0


def _out_path(value: str) -> Path:
    from . import export_safe

    out = Path(value)
    if out.suffix.lower() not in {".csv", ".xlsx"}:
        raise UsageError("--out harus berakhiran .csv atau .xlsx")
    return export_safe.check_writable(out)      # before any work: a folder or a missing folder is said first


def _published(scope, flt):
    """The filters the library reads under ``scope`` (``privacy.published_filters``), said on stderr when a masked
    account asked for another basis."""
    from . import privacy

    out = privacy.published_filters(scope, flt)
    if out.basis != flt.basis:
        print(f"Catatan: --basis {flt.basis} diabaikan untuk akun ini; tampilan tersamar memakai dasar kotak resmi "
              "(otomatis).", file=sys.stderr)
    if out.opd != flt.opd:
        print("Catatan: --opd diabaikan untuk akun tamu; akun tamu membaca seluruh cakupannya (angka per OPD: "
              "perintah pool).", file=sys.stderr)
    return out


def cmd_map(args, settings: Settings, db: str) -> int:
    from . import calibration, export_safe, privacy, talentmap
    from .scope import Filters

    out = _out_path(args.out)
    con, rs, user, scope = _read_context(args, db, settings)
    _refuse_people_list(user, scope, "map")
    flt = _published(scope, Filters(period=args.period, opd=tuple(args.opd), basis=args.basis or "otomatis"))
    basis = calibration.resolve_basis(con, flt, scope)
    df = talentmap.placements(con, scope, flt, rs)
    df = df[[c for c in talentmap.MAP_COLUMNS + ["dasar_kinerja", "tahun_asesmen", "jpm"] if c in df]]
    export_safe.write_table(df, out, sheet=f"Peta talenta {args.period} {basis}")
    _audit_read(con, user, args, {"baris": len(df), "disamarkan": scope.mask_identity, "dasar": basis})
    s = talentmap.summary(con, scope, flt, rs)
    print(f"{privacy.text(s['pegawai'])} pegawai ({privacy.text(s['terpetakan'])} terpetakan, "
          f"{privacy.text(s['belum_terpetakan'])} belum) ditulis ke {out}; {rs.label}. "
          f"{calibration.basis_note(con, flt, scope)}")
    return 0


def _refuse_people_list(user, scope, command: str) -> None:
    """A list of people for an account that may see aggregates only (tamu) is refused before a file is written:
    'map --as tamu' wrote a file of column headers and said '800 pegawai (527 terpetakan, 273 belum) ditulis'
    (hostile pass, session 22)."""
    from . import access, privacy

    if not privacy.people_allowed(scope):
        spec = access.ROLES.get(user.role)
        raise UsageError(f"Tidak ada berkas yang ditulis. Perintah {command} menulis daftar per pegawai, dan akun "
                         f"{user.username} berperan {spec.label if spec else user.role}, yang hanya menerima angka "
                         "agregat. Angka per OPD: perintah pool.")


def _read_context(args, db: str, settings: Settings | None = None):
    """(connection, rule set, user, scope) for a reading command. Read-only for the operator; with ``--as``
    writable, because the read is recorded in the audit log. ``--opd`` names must be in the account's scope; the
    periods asked must hold data (``_known_periods``)."""
    settings = settings or Settings.from_env()
    con = _connect(settings, db) if getattr(args, "as_user", None) else store.connect(db, read_only=True)
    _known_periods(con, args)
    return _check_opd(args, con, cli_user(args, con), settings)


def _known_periods(con, args) -> None:
    """Refuse a period with no SKP or assessment data (``--period``, ``--from``, ``--to``): a file of '300 belum
    terpetakan' for 99999, a crash on a year out of range, or a session opened for period 0 were taken as results."""
    have = overview.periods(con)
    for attr, flag in (("period", "--period"), ("period_from", "--from"), ("period_to", "--to"),
                       ("decide_period", "--period")):
        value = getattr(args, attr, None)
        if value is not None and value not in have:
            raise UsageError(f"tidak ada data SKP atau asesmen untuk periode {value} ({flag}); periode yang ada: "
                             + (", ".join(map(str, have)) or "belum ada (impor data dahulu)") + ".")


def _check_opd(args, con, user, settings: Settings):
    from . import access, rulesets
    from .scope import Scope

    scope = cli_scope(args, settings, user) if args.command != "export" else \
        (Scope() if user is access.OPERATOR else access.scope_for(user, presentation=False, min_group=0))
    rs = rulesets.get(con, args.rule_set) if getattr(args, "rule_set", None) else rulesets.active(con)
    known = set(overview.filter_options(con, scope)["opd"])
    unknown = [o for o in getattr(args, "opd", []) if o not in known]
    if unknown:
        where = "" if scope.unlimited else " atau di luar hak akses akun ini"
        raise UsageError(f"OPD tidak dikenal{where}: {', '.join(unknown)}")
    return con, rs, user, scope


def cmd_profile(args, settings: Settings, db: str) -> int:
    """One person's profil talenta (``talenta.profile``) as JSON or XLSX; ``--as`` an account: only a person
    inside its scope, never for a masked role, and the read is in the audit log."""
    from . import actions, export_safe, profile

    out = Path(args.out)
    if out.suffix.lower() not in {".json", ".xlsx"}:
        raise UsageError("--out harus berakhiran .json atau .xlsx")
    export_safe.check_writable(out)
    args.opd = []
    con, rs, user, scope = _read_context(args, db, settings)
    basis = args.basis or "otomatis"
    if getattr(args, "as_user", None):
        p = actions.read_profile(con, user, scope, args.nip, args.period, rs, basis=basis)
    else:
        p = profile.build(con, scope, args.nip, args.period, rs, basis=basis)
    export_safe.write_bytes(out, profile.to_json(p) if out.suffix.lower() == ".json" else profile.to_xlsx(p))
    box = p.current.get("kotak")
    where = f"kotak {int(box)}" if box is not None and not pd_isna(box) else "belum terpetakan"
    print(f"Profil {p.nip} ({where} pada {args.period}; {rs.label}) ditulis ke {out}.")
    return 0


def pd_isna(v) -> bool:
    import pandas as pd

    return bool(pd.isna(v))


def cmd_pool(args, settings: Settings, db: str) -> int:
    from . import calibration, export_safe, fmt, pool
    from .scope import Filters

    out = _out_path(args.out)
    con, rs, user, scope = _read_context(args, db, settings)
    flt = _published(scope, Filters(period=args.period, opd=tuple(args.opd), basis=args.basis or "otomatis"))
    basis = calibration.resolve_basis(con, flt, scope)
    df = pool.pool_table(con, scope, flt, rs, args.by)
    export_safe.write_table(df, out, sheet=f"Talent pool {args.period} {basis}")
    _audit_read(con, user, args, {"by": args.by, "baris": len(df), "disamarkan": scope.mask_identity, "dasar": basis})
    print(f"{fmt.num(len(df))} kelompok ({args.by}) ditulis ke {out}; {rs.label}. {calibration.basis_note(con, flt, scope)}")
    return 0


def cmd_calibrate(args, settings: Settings, db: str) -> int:
    """``calibrate --period T --nip NIP --to BOX --reason-code CODE --reason TEXT --as USER`` moves one employee;
    ``calibrate --period T --close --as USER`` closes the period's session. Both audited; exit 2 with the reason."""
    from . import access, actions, calibration, overview, rulesets

    con = _connect(settings, db)
    user = cli_user(args, con)
    _known_periods(con, args)        # a session opened and closed for period -1 was taken as a result
    rs = rulesets.get(con, args.rule_set) if args.rule_set else rulesets.active(con)
    scope = access.scope_for(user, presentation=False, min_group=0) if user is not access.OPERATOR else cli_scope(args, settings)
    if args.close:
        if args.nip or args.to or args.reason_code:
            raise UsageError("--close tidak dipakai bersama --nip, --to atau --reason-code.")
        known = overview.filter_options(con, scope).get("instansi", [])
        instansi = args.instansi or (known[0] if len(known) == 1 else None)
        if instansi is None:
            raise UsageError("Sebutkan --instansi: " + (", ".join(known) if known else "tidak ada instansi dalam data") + ".")
        if instansi not in known:
            raise UsageError(f"Instansi '{instansi}' tidak dikenal atau di luar hak akses akun ini.")
        s = actions.close_calibration(con, user, instansi, args.period)
        print(s.describe() + " Peta, talent pool dan ekspor kini memakai kotak terkalibrasi secara bawaan.")
        return 0
    missing = [f for f, v in (("--nip", args.nip), ("--to", args.to), ("--reason-code", args.reason_code))
               if not v]
    if missing or args.reason is None:
        raise UsageError("Untuk memindahkan pegawai perlu " + ", ".join(missing + (["--reason"] if args.reason is None
                                                                                   else [])) + " (atau --close).")
    r = actions.calibrate(con, user, scope, args.period, rs, args.nip, args.to, args.reason_code, args.reason)
    what = "kalibrasinya dibatalkan (kembali ke kotak terhitung)" if r["batal"] else f"dipindahkan ke kotak {r['kotak_ke']}"
    print(f"Pegawai {r['nip']} (kotak terhitung {r['kotak_terhitung']}) {what}; jenis alasan: "
          f"{calibration.REASON_CODES[r['kode_alasan']]}. {rs.label}.")      # as labelled: "SKP", not "skp"
    return 0


def cmd_movement(args, settings: Settings, db: str) -> int:
    from . import export_safe, pool, privacy, talentmap
    from .scope import Filters

    out = _out_path(args.out)
    con, rs, user, scope = _read_context(args, db, settings)
    flt = _published(scope, Filters(opd=tuple(args.opd), basis=args.basis or "otomatis"))   # each period its own
    m = pool.movement(con, scope, flt, args.period_from, args.period_to, rs)
    _audit_read(con, user, args, {"dari": args.period_from, "ke": args.period_to, "disamarkan": scope.mask_identity})
    names = ["belum_terpetakan"] + [f"kotak_{i}" for i in range(1, 10)]
    table = m.set_axis(names, axis=0).set_axis(names, axis=1).rename_axis(f"dari_{args.period_from}").reset_index()
    export_safe.write_table(table, out, sheet="Perpindahan")
    totals = talentmap.movement_totals(con, scope, flt, (args.period_from, rs),
                                       (args.period_to, rs))          # protected together with the matrix
    words = {"naik": "naik kotak", "tetap": "tetap", "turun": "turun kotak", "baru_terpetakan": "baru terpetakan",
             "tidak_terpetakan_lagi": "tidak terpetakan lagi"}
    said = ", ".join(f"{privacy.text(totals[k])} {w}" for k, w in words.items())
    hidden = any(privacy.hidden(v) for v in totals.values()) or m.isna().to_numpy().any()
    print(f"Matriks {args.period_from} → {args.period_to} ditulis ke {out}: {said}; {rs.label}."
          + (" " + privacy.note(privacy.threshold(scope)) + "." if hidden else ""))
    return 0


def cmd_hipo(args, settings: Settings, db: str) -> int:
    from . import export_safe, fmt, hipo, privacy, talentmap
    from .scope import Filters

    out = _out_path(args.out)
    con, rs, user, scope = _read_context(args, db, settings)
    _refuse_people_list(user, scope, "hipo")
    flt = Filters(period=args.period, opd=tuple(args.opd))
    result = hipo.for_scope(con, scope, flt, rs, settings.hipo_params())   # fitted on the whole instansi
    raw_map = talentmap.raw_figures(con, scope, flt, rs) if privacy.threshold(scope) else None
    v = hipo.view(result, 0, scope, raw_map)
    rows = hipo.listed(result, (lambda x: x) if args.all else (lambda x: x[x["hipo"]]),
                       v.list_count(v.n) if args.all else v.list_count(v.n_hipo), scope)
    t = hipo.people(rows, hipo.decisions(con, args.period)[["nip", "keputusan"]], scope)
    export_safe.write_table(t[[c for c in hipo.FILE_COLUMNS if c in t]], out,
                            sheet=f"Potensi tinggi {args.period}")
    _audit_read(con, user, args, {"baris": len(t), "semua": bool(args.all), "disamarkan": scope.mask_identity})
    print(f"{privacy.text(v.n_hipo)} dari {privacy.text(v.n)} pegawai ditandai potensi tinggi "
          f"({result.k} klaster, ARI {fmt.num(result.ari_mean, 2)}); ditulis ke {out}. Ini saran, bukan keputusan.")
    return 0


def cmd_fairness(args, settings: Settings, db: str) -> int:
    from . import export_safe, fairness, fmt
    from .scope import Filters

    out = _out_path(args.out)
    con, rs, user, scope = _read_context(args, db, settings)
    flt = Filters(period=args.period, opd=tuple(args.opd))
    r = fairness.check(con, scope, flt, rs, args.by, settings.fairness_params(), args.basis)
    export_safe.write_table(r.table[fairness.COLUMNS], out, sheet=f"Uji kesetaraan {args.period}")
    _audit_read(con, user, args, {"by": args.by, "basis": r.basis_used, "baris": len(r.table),
                                  "disamarkan": scope.mask_identity})
    note = "" if r.basis_used == r.basis else " (belum ada kalibrasi: memakai kotak terhitung)"
    print(f"Uji kesetaraan {args.by}, basis {r.basis_used}{note}: {r.sentence} {fmt.num(len(r.table))} kelompok ditulis ke "
          f"{out}; {rs.label}.")
    return 0


def _export_refusal(user, unmasked: bool) -> str | None:
    """Why ``user`` may not export (with ``--unmasked``: identities shown), in words that say no file was
    written; None when the export may go ahead. The library refuses as well (``actions.export_file``,
    ``Scope.unmasked``); this only says it plainly before anything is built."""
    from . import access

    spec = access.ROLES.get(user.role)
    label = spec.label if spec else user.role
    may = [r.label for r in access.ROLES.values() if "export" in r.actions]
    who = ", ".join(may[:-1]) + " atau " + may[-1] if len(may) > 1 else "".join(may)
    if not access.can(user, "export"):
        also = "; identitas pegawai juga tidak dapat dibuka (--unmasked) untuk peran ini" if unmasked else ""
        return (f"Tidak ada berkas yang ditulis. Akun {user.username} berperan {label}, dan peran {label} tidak "
                f"boleh mengekspor bahan rapat (deck, buku kerja, berita acara), baik disamarkan maupun tidak{also}. "
                f"Ekspor dapat dilakukan akun berperan {who}. Tabel angka agregat tetap dapat ditulis peran ini "
                "(perintah pool, fairness, movement, succession).")
    if unmasked and not (access.can(user, "export_unmasked") and spec is not None and spec.sees_identities):
        return (f"Tidak ada berkas yang ditulis. Peran {label} (akun {user.username}) tidak berhak membuka "
                "identitas pegawai, jadi --unmasked ditolak. Tanpa --unmasked berkas ditulis dengan identitas "
                "disamarkan.")
    return None


def cmd_export(args, settings: Settings, db: str) -> int:
    from . import actions, audit, export_safe, fmt
    from .errors import AccessDenied
    from .scope import Filters

    out = Path(args.out)
    suffix = "xlsx" if args.format == "kalibrasi" else args.format      # the berita acara is a workbook
    if out.suffix.lower() != "." + suffix:
        raise UsageError(f"--out harus berakhiran .{suffix}")
    export_safe.check_writable(out)     # before the file is built, logged and audited as made
    con = _connect(settings, db)
    user = cli_user(args, con)

    def refuse(why: str):                 # refused before anything is built, and the refusal is audited
        audit.record(con, user, None, "export", f"{args.format} {args.period}",
                     {"format": args.format, "periode": args.period, "disamarkan": not args.unmasked,
                      "alasan": why}, audit.FAILED)
        return AccessDenied(why)

    why = _export_refusal(user, args.unmasked)
    if why:
        raise refuse(why)
    _known_periods(con, args)           # a deck of zeros ("0 pegawai di Kotak 9") would be presented as findings
    args.opd = list(args.opd)
    _, rs, _, _ = _check_opd(args, con, user, settings)
    flt = Filters(period=args.period, opd=tuple(args.opd))
    try:
        scope = cli_scope(args, settings, user)
    except AccessDenied:                 # --unmasked for a scope that may not unmask (its message says "masked")
        raise refuse("Tidak ada berkas yang ditulis. Identitas pegawai tidak dapat dibuka untuk akun "
                     f"{user.username}, jadi --unmasked ditolak. Tanpa --unmasked berkas ditulis dengan identitas "
                     "disamarkan.") from None
    if args.format == "kalibrasi":
        _, data = actions.export_berita_acara(con, user, scope, flt, settings.instansi, rs,
                                              file_name=out.name)
    else:
        _, data = actions.export_file(con, user, scope, args.format, settings.instansi, flt, rs,
                                      hipo_params=settings.hipo_params(), file_name=out.name)
    export_safe.write_bytes(out, data)
    size = fmt.num(len(data) / 1024) + " KB"
    print(f"{out} ditulis ({size}); {'IDENTITAS TERBUKA' if not scope.mask_identity else 'identitas disamarkan'}; "
          f"{rs.label}.")
    return 0


def _password_from_stdin() -> str:
    line = sys.stdin.readline()
    return line[:-1] if line.endswith("\n") else line


def cmd_user(args, settings: Settings, db: str) -> int:
    from . import accounts, fmt
    from .access import OPERATOR

    c = args.user_command
    con = _connect(settings, db, create=c == "add")        # a first account may start a database
    if c == "add":
        u = accounts.add_user(con, OPERATOR, args.username, args.role, _password_from_stdin(), name=args.name,
                              instansi=args.instansi, opd=args.opd, email=args.email)
        limits = ", ".join(u.instansi + u.opd) or "tanpa batas"
        print(f"Akun '{u.username}' ({u.name}) dibuat dengan peran {u.role} ({limits}).")
    elif c == "list":
        users = accounts.list_users(con)
        if args.json:
            print(json.dumps([{"username": u["username"], "role": u["role"], "instansi": list(u["instansi"]),
                               "opd": list(u["opd"]), "active": bool(u["active"]),
                               "last_login": u["last_login"].isoformat(sep=" ") if u["last_login"] else None}
                              for u in users], ensure_ascii=False, indent=2))
        for u in [] if args.json else users:
            limits = ", ".join(u["instansi"] + u["opd"]) or "tanpa batas"
            print(f"{u['username']:<16} {u['role']:<9} {'aktif' if u['active'] else 'nonaktif':<9} "
                  f"terakhir masuk {fmt.date(u['last_login'], with_time=True) if u['last_login'] else '-'}  "
                  f"({limits})")
        if not users and not args.json:
            print("Belum ada akun. Tambahkan dengan: python -m talenta user add NAMA --role admin --password-stdin")
    elif c == "disable":
        accounts.disable_user(con, OPERATOR, args.username)
        print(f"Akun '{accounts.normalise_username(args.username)}' dinonaktifkan.")
    elif c == "enable":
        name = accounts.normalise_username(args.username)
        was = accounts.get(con, name)
        accounts.enable_user(con, OPERATOR, args.username)
        print(f"Akun '{name}' " + ("sudah aktif; tidak ada yang berubah." if was and was["active"] else
                                   "diaktifkan kembali."))
    elif c == "unlock":
        name = accounts.normalise_username(args.username)
        locked = accounts.locked_until(con, name, store.now())
        accounts.unlock(con, OPERATOR, args.username)
        print(f"Kunci akun '{name}' dibuka; percobaan gagal sebelumnya dilupakan (tetap tercatat di log audit)."
              if locked else f"Akun '{name}' tidak terkunci; percobaan gagal sebelumnya (bila ada) dilupakan.")
    elif c == "passwd":
        accounts.set_password(con, OPERATOR, args.username, _password_from_stdin())
        print(f"Kata sandi '{accounts.normalise_username(args.username)}' diganti (kunci akun, bila ada, dibuka).")
    return 0


def cmd_audit(args, settings: Settings, db: str) -> int:
    from . import audit, fmt
    from .access import OPERATOR

    out = _out_path(args.out)
    con = _connect(settings, db)
    df = audit.query(con, since=args.since, user=args.user, action=args.action)
    audit.write(df, out)
    audit.record(con, OPERATOR, None, "audit_export", out.name,
                 {"since": args.since, "user": args.user, "action": args.action, "baris": len(df)})
    print(f"{fmt.num(len(df))} baris log audit ditulis ke {out}.")
    return 0




def cmd_backup(args, settings: Settings, db: str) -> int:
    from . import backup

    if args.out and Path(args.out).suffix.lower() != ".duckdb":
        raise UsageError("--out harus berakhiran .duckdb")
    if not Path(db).exists():
        raise UsageError(f"Basis data {db} tidak ada; tidak ada yang dicadangkan.")
    try:
        con = store.connect(db, read_only=True, older=True)     # a backup before 'init' upgrades an older schema
    except DatabaseBusyError as exc:
        raise DatabaseBusyError(
            f"{exc}\nSelama dashboard berjalan, buat cadangan dari dashboard: halaman Cadangan, tombol "
            "'Cadangkan sekarang' (atau setel TALENTA_BACKUP_DAILY=1).") from exc
    try:
        current = store.schema_version(con) == store.LATEST_VERSION
        snap = backup.snapshot(con, args.out, source="cli") if args.out else \
            backup.take(con, settings.backup_dir, "manual", source="cli")
    finally:
        con.close()
    if current:     # one audit row, as the Cadangan page leaves (an older schema is left as it is: not migrated)
        from . import audit

        con = _connect(settings, db)
        audit.record(con, _operator(settings), None, "backup", str(snap.path.name),
                     {"jenis": "manual", "berkas": str(snap.path), "sumber": "cli"})
        con.close()
    if args.json:
        print(json.dumps({"file": str(snap.path), "manifest": str(snap.path) + ".json", "size": snap.size,
                          "schema_version": snap.schema_version, "tables": snap.tables}, ensure_ascii=False, indent=2))
    else:
        print(f"Cadangan dibuat: {snap.summary()} Manifest: {snap.path}.json")
    return 0


def cmd_restore(args, settings: Settings, db: str) -> int:
    from . import backup

    r = backup.restore(args.file, db)
    from . import audit
    from .access import OPERATOR

    con = _connect(settings, db, create=True)   # the restore is the first event of the restored database's audit trail
    audit.record(con, OPERATOR, None, "restore", r.snapshot.path.name,
                 {"berkas": str(r.snapshot.path), "dibuat": str(r.snapshot.created_at),
                  "diganti": str(r.previous or "")})
    con.close()
    if args.json:
        print(json.dumps({"file": str(r.snapshot.path), "db": str(r.db), "previous": str(r.previous or "") or None,
                          "tables": r.snapshot.tables}, ensure_ascii=False, indent=2))
    else:
        print(f"Basis data {r.db} dipulihkan dari {r.snapshot.summary()}")
        if r.previous:
            print(f"Basis data yang diganti disimpan sebagai {r.previous}.")
    return 0


def cmd_succession(args, settings: Settings, db: str) -> int:
    """``succession``: the (post, candidate) table; ``succession decide``: one workflow step, audited."""
    from . import actions, export_safe, fmt, privacy, succession, succession_rules

    if args.succession_command == "decide":
        con = _connect(settings, db)
        user = cli_user(argparse.Namespace(as_user=args.decide_as), con)
        rs = rulesets_active(con)
        _known_periods(con, args)
        period = args.decide_period if args.decide_period is not None else \
            store.query_one(con, "SELECT max(tahun) FROM performance")[0]
        if period is None:
            raise UsageError("Belum ada data kinerja; beri --period.")
        did = actions.succession_decision(con, user, args.post, args.nip, args.step, args.reason,
                                          justification=args.justification, period=int(period), rs=rs,
                                          srs=succession_rules.active(con), tanggal=args.decide_tanggal)
        print(f"Keputusan #{did} dicatat: {args.step} NIP {args.nip} untuk jabatan {args.post} oleh {user.username}.")
        return 0
    if args.period is None or not args.out:
        raise UsageError("'succession' memerlukan --period YEAR dan --out FILE.csv|.xlsx "
                         "(atau 'succession decide ...').")
    out = _out_path(args.out)
    con, rs, user, scope = _read_context(args, db, settings)
    srs = succession_rules.active(con)
    if args.tanggal is not None and succession.date_fixed(scope):
        print(f"Catatan: --tanggal diabaikan untuk akun {user.username}. {succession.fixed_date_note(args.period)}",
              file=sys.stderr)
    if privacy.people_allowed(scope):
        # the whole table of a province does not fit a file, nor the memory that builds it: asked for, not crashed
        kind = "xlsx" if out.suffix.lower() == ".xlsx" else "csv"
        n = succession.row_count(con, scope, args.period, rs, srs, tanggal=args.tanggal, opd=tuple(args.opd),
                                 all_=args.all, top=args.top)
        if n > succession.FILE_MAX_ROWS[kind]:
            raise UsageError(f"Tabel suksesi ini berisi {fmt.num(n)} baris, lebih dari "
                             f"{fmt.num(succession.FILE_MAX_ROWS[kind])} baris yang dapat ditulis ke berkas {kind.upper()}. "
                             "Batasi dengan --top N (kandidat teratas per jabatan target, mis. --top 20; "
                             + (f"kini {fmt.num(args.top)}" if args.top else "kini semua") + ") atau --opd NAMA.")
    elif args.top is not None:
        print(f"Catatan: --top diabaikan untuk akun {user.username}: akun ini hanya melihat agregat per OPD.",
              file=sys.stderr)
    df = succession.csv_frame(con, scope, args.period, rs, srs, tanggal=args.tanggal, opd=tuple(args.opd),
                              all_=args.all, top=args.top)
    tgl = succession.reference_date(args.period, args.tanggal, scope)
    export_safe.write_table(df, out, sheet=f"Suksesi {args.period}")
    _audit_read(con, user, args, {"baris": len(df), "tanggal_acuan": str(tgl), "semua": args.all,
                                  "teratas": args.top, "disamarkan": scope.mask_identity})
    if succession.date_fixed(scope):        # tamu: the pipeline per OPD (csv_frame), no post
        print(f"{fmt.num(len(df))} baris agregat per OPD (jabatan target, kesiapan, berisiko; jumlah kecil "
              f"disembunyikan) ditulis ke {out}; tanggal acuan {fmt.date(tgl)}; {rs.label}; {srs.label}.")
        return 0
    print(f"{fmt.num(df['jabatan_id'].nunique())} jabatan target, {fmt.num(int(df['nip'].notna().sum()))} baris "
          f"kandidat ditulis ke {out}; tanggal acuan {fmt.date(tgl)}; {rs.label}; {srs.label}.")
    return 0


def rulesets_active(con):
    from . import rulesets

    return rulesets.active(con)


COMMANDS = {"succession": cmd_succession, "fairness": cmd_fairness, "profile": cmd_profile, "calibrate": cmd_calibrate, "user": cmd_user, "audit": cmd_audit, "export": cmd_export, "hipo": cmd_hipo, "pool": cmd_pool, "movement": cmd_movement, "map": cmd_map, "init": cmd_init, "demo": cmd_demo, "import": cmd_import, "status": cmd_status,
            "rejected": cmd_rejected, "undo": cmd_undo, "backup": cmd_backup, "restore": cmd_restore}
