"""Command line: ``python -m talenta [--db PATH] COMMAND``.

Exit codes: 0 success (an import with rejected rows is still a success), 2 bad usage or a file that
cannot be read at all, with the reason in Indonesian on stderr.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

from . import overview, store
from .config import Settings
from .errors import ImportFileError, TalentaError, UsageError, report_unexpected, unexpected_message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2; say it in Indonesian
        self.print_usage(sys.stderr)
        self.exit(2, f"Kesalahan penggunaan: {message}\nLihat 'python -m talenta --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m talenta", description="Talenta: analitik Manajemen Talenta ASN.")
    p.add_argument("--db", help="berkas basis data DuckDB (bawaan: TALENTA_DB_PATH atau data/talenta.duckdb)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sub.add_parser("init", help="buat atau perbarui skema basis data")

    d = sub.add_parser("demo", help="tulis berkas data demo sintetis lalu impor")
    d.add_argument("--employees", type=int, help="jumlah pegawai (bawaan 21700)")
    d.add_argument("--seed", type=int, help="benih acak (bawaan TALENTA_SEED)")
    d.add_argument("--out", help="folder berkas demo (bawaan data/demo)")
    d.add_argument("--instansi", type=int, default=1, help="jumlah instansi (bawaan 1: Palembang)")
    d.add_argument("--format", choices=["auto", "xlsx", "csv"], default="auto",
                   help="format berkas SKP dan asesmen (auto: xlsx bila muat)")

    i = sub.add_parser("import", help="impor berkas CSV/XLSX (pegawai, kinerja, asesmen)")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--period", type=int, help="tahun penilaian bila berkas tidak punya kolom tahun")
    i.add_argument("--sheet", help="nama lembar Excel (bawaan: lembar pertama yang berisi tabel)")
    i.add_argument("--json", action="store_true", help="keluaran JSON")

    s = sub.add_parser("status", help="ringkasan isi basis data")
    s.add_argument("--json", action="store_true", help="keluaran JSON")

    r = sub.add_parser("rejected", help="tulis baris yang ditolak (karantina) ke CSV/XLSX")
    r.add_argument("--batch", type=int, help="hanya batch ini")
    r.add_argument("--out", required=True, help="berkas keluaran .csv atau .xlsx")

    u = sub.add_parser("undo", help="batalkan satu batch impor")
    u.add_argument("batch", type=int)

    m = sub.add_parser("map", help="peta talenta per pegawai ke CSV/XLSX")
    m.add_argument("--period", type=int, required=True, help="tahun penilaian T")
    m.add_argument("--opd", action="append", default=[], metavar="NAME", help="batasi ke OPD ini (boleh berulang)")
    m.add_argument("--rule-set", type=int, help="nomor aturan (bawaan: yang aktif)")
    m.add_argument("--out", required=True, help="berkas keluaran .csv atau .xlsx")

    from .pool import GROUPINGS
    pl = sub.add_parser("pool", help="talent pool per kelompok ke CSV/XLSX")
    pl.add_argument("--period", type=int, required=True)
    pl.add_argument("--by", choices=list(GROUPINGS), default="opd")
    pl.add_argument("--opd", action="append", default=[], metavar="NAME", help="batasi ke OPD ini (boleh berulang)")
    pl.add_argument("--min-group", type=int, default=0, metavar="N",
                    help="kosongkan jumlah di bawah N (dan yang dapat membukanya lewat total)")
    pl.add_argument("--rule-set", type=int)
    pl.add_argument("--out", required=True)

    hp = sub.add_parser("hipo", help="saran pegawai berpotensi tinggi (pengelompokan) ke CSV/XLSX")
    hp.add_argument("--period", type=int, required=True)
    hp.add_argument("--opd", action="append", default=[], metavar="NAME")
    hp.add_argument("--rule-set", type=int)
    hp.add_argument("--all", action="store_true", help="semua pegawai berasesmen, bukan hanya yang ditandai")
    hp.add_argument("--out", required=True)

    ex = sub.add_parser("export", help="deck rapat (PPTX) atau workbook (XLSX) dengan cap asal-usul")
    ex.add_argument("--period", type=int, required=True)
    ex.add_argument("--opd", action="append", default=[], metavar="NAME")
    ex.add_argument("--format", choices=["pptx", "xlsx"], required=True)
    ex.add_argument("--out", required=True)
    ex.add_argument("--rule-set", type=int)
    ex.add_argument("--unmasked", action="store_true", help="tampilkan NIP dan nama (dengan sengaja)")

    mv = sub.add_parser("movement", help="matriks perpindahan kotak antara dua periode")
    mv.add_argument("--from", dest="period_from", type=int, required=True)
    mv.add_argument("--to", dest="period_to", type=int, required=True)
    mv.add_argument("--opd", action="append", default=[], metavar="NAME")
    mv.add_argument("--rule-set", type=int)
    mv.add_argument("--out", required=True)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = args.db
    try:
        settings = Settings.from_env()
        db = args.db or settings.db_path
        return COMMANDS[args.command](args, settings, db)
    except ImportFileError as exc:
        return _fail(args, str(exc), 2)
    except TalentaError as exc:
        return _fail(args, str(exc), 2)
    except Exception as exc:   # a bug: the traceback goes to the log file, the user gets its id
        code = report_unexpected(exc, f"perintah {args.command}", _log_file(db))
        return _fail(args, unexpected_message(code), 1)


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


def _connect(settings: Settings, db: str):
    return store.connect(db, memory_limit=settings.duckdb_memory_limit, threads=settings.duckdb_threads)


def cmd_init(args, settings: Settings, db: str) -> int:
    con = _connect(settings, db)
    print(f"Basis data {db} siap (versi skema {store.schema_version(con)}).")
    return 0


def cmd_demo(args, settings: Settings, db: str) -> int:
    from . import demo
    from .ui import fmt

    n = args.employees or settings.demo_employees
    if n < 50:
        raise UsageError("--employees minimal 50.")
    out = args.out or settings.demo_dir
    con = _connect(settings, db)
    t0 = time.perf_counter()
    stats: dict = {}
    results = demo.build(con, out, n=n, seed=args.seed if args.seed is not None else settings.seed,
                         instansi=settings.instansi, n_instansi=args.instansi, fmt=args.format,
                         user=settings.user, stats=stats)
    for r in results:
        print(r.summary())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024      # Linux reports KiB
    rows = sum(r.rows_read for r in results)
    num = fmt.num
    print(f"Selesai dalam {num(time.perf_counter() - t0, 1)} detik (membangkitkan {num(stats['generate_s'], 1)} s, "
          f"menulis berkas {num(stats['write_s'], 1)} s, impor {num(stats['import_s'], 1)} s untuk {num(rows)} "
          f"baris); memori puncak {num(peak_mb)} MB; berkas demo di {out}.")
    return 0


def cmd_import(args, settings: Settings, db: str) -> int:
    from .ingest import import_file

    for f in args.files:
        if not Path(f).is_file():
            raise ImportFileError(f, "berkas tidak ditemukan.")
    con = _connect(settings, db)
    results, failed = [], False
    for f in args.files:
        try:
            r = import_file(con, f, period=args.period, sheet=args.sheet, instansi=settings.instansi,
                            user=settings.user)
        except ImportFileError as exc:
            failed = True
            if args.json:
                results.append({"file": Path(f).name, "error": exc.message})
            else:
                print(f"Gagal: {exc}", file=sys.stderr)
            continue
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
    con = store.connect(db, read_only=True) if Path(db).exists() else _connect(settings, db)
    st = overview.status(con)
    if args.json:
        print(json.dumps(st, ensure_ascii=False, indent=2))
        return 0
    print(f"Basis data: {db} (skema versi {st['schema_version']})")
    print(f"Pegawai: {st['employees']:,} di {st['opd']} OPD, {st['instansi']} instansi".replace(",", "."))
    print("Kinerja per tahun: " + (", ".join(f"{t}: {n:,}".replace(",", ".")
                                             for t, n in st["performance_per_period"].items()) or "-"))
    print("Asesmen per tahun: " + (", ".join(f"{t}: {n:,}".replace(",", ".")
                                             for t, n in st["assessments_per_period"].items()) or "-"))
    print(f"Batch impor aktif: {st['import_batches']} (dibatalkan: {st['import_batches_undone']}); "
          f"baris ditolak: {st['rejected_rows']}")
    print(f"Impor terakhir: {st['last_import'] or '-'}")
    return 0


def cmd_rejected(args, settings: Settings, db: str) -> int:
    from . import quarantine

    out = _out_path(args.out)
    con = store.connect(db, read_only=True)
    df = quarantine.rejected_rows(con, batch=args.batch)
    quarantine.write(df, out)
    print(f"{len(df)} baris ditolak ditulis ke {out}.")
    return 0


def cmd_undo(args, settings: Settings, db: str) -> int:
    from .ingest import undo_batch

    con = _connect(settings, db)
    counts = undo_batch(con, args.batch, settings.user)
    print(f"Batch {args.batch} dibatalkan: {counts['employee']} pegawai, {counts['performance']} kinerja, "
          f"{counts['assessment']} asesmen dikembalikan ke nilai sebelumnya.")
    return 0


def _out_path(value: str) -> Path:
    out = Path(value)
    if out.suffix.lower() not in {".csv", ".xlsx"}:
        raise UsageError("--out harus berakhiran .csv atau .xlsx")
    return out


def cmd_map(args, settings: Settings, db: str) -> int:
    from . import export_safe, talentmap
    from .scope import Filters, Scope

    out = _out_path(args.out)
    con, rs = _read_context(args, db)
    df = talentmap.placements(con, Scope(), Filters(period=args.period, opd=tuple(args.opd)), args.period, rs)
    export_safe.write_table(df[talentmap.MAP_COLUMNS + ["dasar_kinerja", "tahun_asesmen", "jpm"]], out,
                            sheet=f"Peta talenta {args.period}")
    placed = int(df["kotak"].notna().sum())
    print(f"{len(df)} pegawai ({placed} terpetakan, {len(df) - placed} belum) ditulis ke {out}; {rs.label}.")
    return 0


def _read_context(args, db: str):
    from . import rulesets
    from .scope import Scope

    con = store.connect(db, read_only=True)
    rs = rulesets.get(con, args.rule_set) if args.rule_set else rulesets.active(con)
    known = set(overview.filter_options(con, Scope())["opd"])
    unknown = [o for o in args.opd if o not in known]
    if unknown:
        raise UsageError(f"OPD tidak dikenal: {', '.join(unknown)}")
    return con, rs


def cmd_pool(args, settings: Settings, db: str) -> int:
    from . import export_safe, pool
    from .scope import Filters, Scope

    out = _out_path(args.out)
    con, rs = _read_context(args, db)
    df = pool.pool_table(con, Scope(), Filters(period=args.period, opd=tuple(args.opd)), args.period, rs, args.by)
    if args.min_group > 1:
        df = pool.suppress_pool(df, args.min_group)
    export_safe.write_table(df, out, sheet=f"Talent pool {args.period}")
    print(f"{len(df)} kelompok ({args.by}) ditulis ke {out}; {rs.label}.")
    return 0


def cmd_movement(args, settings: Settings, db: str) -> int:
    from . import export_safe, pool
    from .scope import Filters, Scope

    out = _out_path(args.out)
    con, rs = _read_context(args, db)
    m = pool.movement(con, Scope(), Filters(opd=tuple(args.opd)), args.period_from, args.period_to, rs)
    names = ["belum_terpetakan"] + [f"kotak_{i}" for i in range(1, 10)]
    table = m.set_axis(names, axis=0).set_axis(names, axis=1).rename_axis(f"dari_{args.period_from}").reset_index()
    export_safe.write_table(table, out, sheet="Perpindahan")
    moved = int(m.to_numpy().sum() - m.to_numpy().trace())
    print(f"Matriks {args.period_from} → {args.period_to} ditulis ke {out}: {moved} pegawai pindah kotak; {rs.label}.")
    return 0


def cmd_hipo(args, settings: Settings, db: str) -> int:
    from . import export_safe, hipo
    from .scope import Filters, Scope

    out = _out_path(args.out)
    con, rs = _read_context(args, db)
    result = hipo.run(con, Scope(), Filters(period=args.period, opd=tuple(args.opd)), args.period, rs,
                      settings.hipo_params())
    t = result.table if args.all else result.table[result.table["hipo"]]
    export_safe.write_table(t[hipo.COLUMNS + ["perlu_kajian"]].sort_values("confidence", ascending=False), out,
                            sheet=f"Potensi tinggi {args.period}")
    print(f"{int(result.table['hipo'].sum())} dari {len(result.table)} pegawai ditandai potensi tinggi "
          f"({result.k} klaster, ARI {result.ari_mean:.2f}); ditulis ke {out}. Ini saran, bukan keputusan.")
    return 0


def cmd_export(args, settings: Settings, db: str) -> int:
    from . import export, rulesets
    from .scope import Filters, Scope

    out = Path(args.out)
    if out.suffix.lower() != "." + args.format:
        raise UsageError(f"--out harus berakhiran .{args.format}")
    con = _connect(settings, db)
    rs = rulesets.get(con, args.rule_set) if args.rule_set else rulesets.active(con)
    known = set(overview.filter_options(con, Scope())["opd"])
    if [o for o in args.opd if o not in known]:
        raise UsageError(f"OPD tidak dikenal: {', '.join(o for o in args.opd if o not in known)}")
    flt = Filters(period=args.period, opd=tuple(args.opd))
    content = export.gather(con, settings.instansi, flt, args.period, rs, settings.user, unmasked=args.unmasked,
                            min_group=settings.min_group, hipo_params=settings.hipo_params())
    data = export.build_deck(con, content, flt, args.period, rs) if args.format == "pptx" else \
        export.build_workbook(con, content, flt, args.period, rs)
    out.write_bytes(data)
    export.log_export(con, content.stamp, args.format, out.name)
    print(f"{out} ditulis ({len(data) // 1024} KB); {'IDENTITAS TERBUKA' if args.unmasked else 'identitas disamarkan'}; "
          f"{rs.label}.")
    return 0


COMMANDS = {"export": cmd_export, "hipo": cmd_hipo, "pool": cmd_pool, "movement": cmd_movement, "map": cmd_map, "init": cmd_init, "demo": cmd_demo, "import": cmd_import, "status": cmd_status,
            "rejected": cmd_rejected, "undo": cmd_undo}
