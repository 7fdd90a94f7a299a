"""Map headers, normalise values and validate a read table against the declared schema.

Validation has two stages, each with its typed result. :func:`validate` applies the row rules and
returns a :class:`Validated`: the accepted rows per kind of content and a table of rejected rows,
each with its source row number, every reason code and a readable message; it does not read the
database, so it may run ahead of storing. :func:`check_master` then rejects the rows whose NIP is
not in the employee master (database plus the file's own employee rows) and returns a
:class:`Checked`: exactly what the import stores and quarantines. It reads the database only.

SQL text here is assembled from schema identifiers and fixed reason codes only; values from the
file are never part of it (they sit in registered Arrow tables; instansi and today are bound).
The row-level work runs in an in-memory DuckDB over the Arrow table the reader produced (all
cores, no Python strings per row). The spelling rules stay in Python (``normalize``, ``nip``) and
are applied to each column's *distinct* values only, which become lookup tables joined in SQL;
plain values that no rule would change (printable ASCII text, an 18-digit NIP) skip the lookup.
Only the (few) problem rows are touched one by one to write messages.
``tests/unit/validate_reference.py`` is the straightforward pandas version of the same rules;
``tests/unit/test_validate_agrees.py`` checks both give the same result on messy random tables.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from .. import nip as nipmod
from .. import fmt, schema
from ..errors import ImportFileError
from . import normalize as norm
from .readers import RawTable

# reason code -> rule text (Indonesian); row, column and value are added around it
RULES = {
    **nipmod.REASONS,
    "wajib_kosong": "wajib diisi",
    "tahun_tidak_valid": "tahun harus bilangan bulat antara 2000 dan tahun berjalan (bukan tahun yang akan datang)",
    "angka_tidak_valid": "bukan angka (contoh yang benar: 87,5 atau 87.5)",
    "di_luar_rentang": "di luar rentang yang diizinkan",
    "predikat_tidak_dikenal": "predikat harus Sangat Baik, Baik, Butuh Perbaikan, Kurang atau Sangat Kurang "
                              "(atau SB, B, BP, K, SK)",
    "rating_tidak_dikenal": "rating harus Di atas ekspektasi, Sesuai ekspektasi atau Di bawah ekspektasi",
    "kinerja_kosong": "baris kinerja tanpa predikat, rating hasil kerja + rating perilaku, maupun nilai kinerja",
    "rating_tidak_lengkap": "rating hasil kerja dan rating perilaku harus diisi berdua untuk menurunkan predikat",
    "asesmen_kosong": "baris asesmen tanpa satu pun nilai (JPM, potensi, manajerial, sosial kultural, teknis)",
    "tanggal_tidak_valid": "tanggal tidak terbaca (pakai 17-08-1985, 17/08/1985, 1985-08-17 atau tanggal Excel)",
    "tanggal_di_luar_rentang": "tanggal di luar rentang yang mungkin: paling awal 01-01-1940, paling lambat satu tahun "
                               "sesudah hari impor (TMT selesai lima tahun; tanggal lahir hari ini); periksa "
                               "angka tahunnya",
    "golongan_tidak_valid": "golongan harus I/a..IV/e (PNS) atau I..XVII (PPPK), misalnya III/a atau IX",
    "jenis_kelamin_tidak_dikenal": "jenis kelamin harus L/Laki-laki atau P/Perempuan",
    "jenis_asn_tidak_dikenal": "jenis ASN harus PNS, PPPK atau PPPK Paruh Waktu",
    "jenis_jabatan_tidak_dikenal": "jenis jabatan harus Struktural, Fungsional atau Pelaksana",
    "eselon_tidak_valid": "eselon harus seperti II.a, III.b, IV.a (atau kode SIASN 21, 32, 41)",
    "tidak_sesuai_nip": "tidak sesuai dengan yang tertulis dalam NIP",
    "tahun_sebelum_pengangkatan": "tahun kinerja lebih awal dari tahun pengangkatan yang tertulis dalam NIP (digit "
                                  "9-12: TMT CPNS atau tahun pengangkatan PPPK); SKP ada sejak pengangkatan",
    "baris_ganda": "baris ini sama persis dengan baris sebelumnya",
    "nip_konflik": "NIP yang sama muncul dengan isi berbeda di berkas ini",
    "nip_tidak_terdaftar": "NIP belum ada di data pegawai; impor data pegawai (SIASN) lebih dulu, "
                           "lalu impor ulang berkas ini",
    "tingkat_tidak_dikenal": "tingkat hukuman disiplin harus ringan, sedang atau berat",
    "kritikal_tidak_dikenal": "kritikal harus ya atau tidak (atau Y/T, 1/0)",
    "tahun_diklat_tidak_valid": "tahun diklat harus bilangan bulat antara 1960 dan 2100",
    "tmt_selesai_sebelum_mulai": "TMT selesai lebih awal dari TMT mulai",
    "konflik_riwayat_jabatan": "NIP, TMT mulai dan jabatan yang sama muncul dengan isi berbeda di berkas ini",
    "konflik_hukuman_disiplin": "NIP, TMT mulai dan jenis hukuman yang sama muncul dengan isi berbeda di berkas ini",
    "konflik_diklat": "NIP, nama diklat dan tahun yang sama muncul dengan isi berbeda di berkas ini",
    "konflik_formasi": "instansi, OPD dan jabatan yang sama muncul dengan isi berbeda di berkas ini",
    "pemangku_ganda": "NIP pemangku yang sama tercatat pada lebih dari satu jabatan di berkas ini",
    "karakter_kendali": "berisi karakter kendali (NUL atau sejenisnya, tampil sebagai \\xNN) atau karakter "
                        "pengarah teks (tampil sebagai \\u202e) yang tidak boleh ada dalam data; hapus karakter itu "
                        "di berkas sumber",
    # found by the reader (``RawTable.row_problems``): the row is rejected for this reason only
    "jumlah_kolom": "jumlah isian baris ini berbeda dari jumlah judul kolom (ada koma atau titik koma tanpa tanda "
                    "kutip?), jadi baris tidak dibaca agar isinya tidak bergeser ke kolom lain",
    "penyandian_campur": "baris ini bukan teks UTF-8 yang sah, padahal baris lain UTF-8 (penyandian bercampur); "
                         "simpan berkas sebagai CSV UTF-8 lalu impor ulang",
    "sel_terlalu_panjang": "melebihi batas panjang sel (pengaturan TALENTA_MAX_FIELD_CHARS); mungkin ada tanda "
                           "kutip yang tidak ditutup",
    # cells of an .xlsx the reader sees as empty (``RawTable.cell_problems``), in a column that is imported
    "sel_galat_excel": "adalah galat Excel, bukan nilai; perbaiki rumus atau isinya di berkas sumber, lalu impor ulang",
    "sel_gabungan": "bagian dari sel gabungan (merge) yang isinya hanya tersimpan di sel pertamanya; pisahkan "
                    "gabungan sel (Unmerge Cells) dan isi nilainya di setiap baris, lalu impor ulang",
    "rumus_tanpa_nilai": "adalah rumus tanpa hasil tersimpan (berkas dibuat aplikasi yang tidak menghitung rumus); "
                         "buka berkas di Excel atau LibreOffice dan simpan ulang, atau salin sebagai nilai, lalu "
                         "impor ulang",
}
READER_CODES = ("jumlah_kolom", "penyandian_campur", "sel_terlalu_panjang")
# C0 control characters except tab, line feed and carriage return (a regex for Python and RE2)
# and the bidirectional controls (U+202A-202E, U+2066-2069: an OPD "\u202eDinas RTL" showed as "LTR saniD" on
# charts and slides, a name before its NIP in a search result; hostile pass, session 22), as literal characters
CONTROL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f" + "\u202a-\u202e\u2066-\u2069]"
_CONTROL_RE = re.compile(CONTROL_CHARS)


def shown_value(value: object) -> str:
    """A value as a message shows it: empty for missing, control characters as ``\\xNN``."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else
                           f"\\u{ord(m.group()):04x}", str(value))


def reader_problems(raw: RawTable) -> list[tuple[int, str | None, str, str]]:
    """The reader's row problems as (position, column header or None, value, code), in row order."""
    if not raw.row_problems:
        return []
    numbers = np.asarray(raw.row_numbers)
    out = []
    for rn, column, value, code in sorted(raw.row_problems, key=lambda p: p[0]):
        pos = int(np.searchsorted(numbers, rn))
        if pos < len(numbers) and numbers[pos] == rn:
            out.append((pos, column, value, code))
    return out


def source_column(mapping: "HeaderMapping", header: str) -> str:
    """The name a problem in source column ``header`` is filed under (canonical when mapped)."""
    return {src: canon for canon, src in mapping.columns.items()}.get(header, header)

TYPE_NORMALISERS = {
    "predikat": (norm.predikat, "predikat_tidak_dikenal"),
    "rating_hasil_kerja": (norm.rating, "rating_tidak_dikenal"),
    "rating_perilaku": (norm.rating, "rating_tidak_dikenal"),
    "jenis_kelamin": (norm.jenis_kelamin, "jenis_kelamin_tidak_dikenal"),
    "jenis_asn": (norm.jenis_asn, "jenis_asn_tidak_dikenal"),
    "jenis_jabatan": (norm.jenis_jabatan, "jenis_jabatan_tidak_dikenal"),
    "golongan": (norm.golongan, "golongan_tidak_valid"),
    "pendidikan": (norm.pendidikan, None),
    "tingkat": (norm.tingkat, "tingkat_tidak_dikenal"),
    "jenis_diklat": (norm.jenis_diklat, None),
    "kritikal": (norm.kritikal, "kritikal_tidak_dikenal"),
}
# the code of a conflict on the key of each single kind (``schema.KIND_KEYS``)
CONFLICT_CODES = {k: "konflik_" + k for k in schema.SINGLE_KINDS}


@dataclass
class HeaderMapping:
    columns: dict[str, str]                 # canonical -> source header
    unknown: list[str]                      # source headers kept aside
    kinds: list[str]
    ignored: dict[str, str] = field(default_factory=dict)  # source header -> why not used
    # a second column meaning the same field: its header -> the header used instead (see ``same_meaning``)
    duplicates: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)   # sentences for the summary (a duplicate column not used)

    def as_rows(self) -> list[dict[str, str]]:
        rows = [{"kolom_berkas": src, "kolom_talenta": canon, "status": "dipakai"}
                for canon, src in self.columns.items()]
        rows += [{"kolom_berkas": src, "kolom_talenta": "", "status": why} for src, why in self.ignored.items()]
        rows += [{"kolom_berkas": src, "kolom_talenta": "", "status": "tidak dikenal, disimpan di samping"}
                 for src in self.unknown]
        return rows


def single_kind(header: list[str], file_name: str = "") -> str | None:
    """The single kind a file holds, from its headers, or None (master, kinerja and/or asesmen).

    Formasi has a pemangku NIP or kritikal column; hukuman disiplin a tingkat or jenis hukuman;
    diklat a nama or jenis diklat (at most one of these three). Riwayat jabatan has a TMT mulai or
    TMT selesai column, or (a SIASN riwayat export) jabatan and TMT jabatan with SK columns or
    without an OPD column. Raises ImportFileError when markers of two kinds are present.
    """
    names = {schema.normalize_header(h) for h in header}
    canon = {schema.ALIAS_INDEX[h][0] for h in names if h in schema.ALIAS_INDEX}
    found = [k for k in (schema.FORMASI, schema.HUKUMAN, schema.DIKLAT) if canon & set(schema.KIND_MARKERS[k])]
    if len(found) > 1:
        raise ImportFileError(
            file_name, "berkas memuat kolom " + " dan ".join(schema.KIND_LABELS[k] for k in found)
            + " sekaligus; satu berkas hanya boleh berisi satu jenis data ini. Pisahkan menjadi dua berkas.")
    if found:
        return found[0]
    if canon & set(schema.KIND_MARKERS[schema.RIWAYAT]):
        return schema.RIWAYAT
    sk = names & {schema.normalize_header(h) for h in schema.RIWAYAT_SK_HEADERS}
    if {"jabatan", "tmt_jabatan"} <= canon and (sk or "opd" not in canon):
        return schema.RIWAYAT
    return None


def _match(header: list[str], index: dict[str, tuple[str, int]]):
    chosen: dict[str, tuple[int, str]] = {}
    unknown, ignored, dropped = [], {}, {}
    for h in header:
        hit = index.get(schema.normalize_header(h))
        if hit is None:
            unknown.append(h)
            continue
        canon, prio = hit
        if canon in chosen:
            if prio < chosen[canon][0]:
                dropped[chosen[canon][1]] = canon
                chosen[canon] = (prio, h)
            else:
                dropped[h] = canon
            continue
        chosen[canon] = (prio, h)
    columns = {c: h for c, (_, h) in chosen.items()}
    duplicates = {h: columns[canon] for h, canon in dropped.items()}
    for h, kept in duplicates.items():
        ignored[h] = f"tidak dipakai: kolom '{kept}' juga berarti {schema.COLUMNS[dropped[h]].label}"
    return columns, unknown, ignored, duplicates


def _map_single(header: list[str], file_name: str, kind: str) -> HeaderMapping:
    columns, unknown, ignored, duplicates = _match(header, schema.KIND_ALIAS_INDEX[kind])
    label = schema.KIND_LABELS[kind]
    for h in list(unknown):
        if schema.normalize_header(h) in schema.ALIAS_INDEX:     # a column of another kind
            unknown.remove(h)
            ignored[h] = f"bukan kolom berkas {label}; tidak dipakai"
    nip_col = "pemangku_nip" if kind == schema.FORMASI else "nip"
    missing = [c for c in [nip_col] + schema.KIND_REQUIRED[kind] if c not in columns]
    if missing:
        raise ImportFileError(
            file_name, f"berkas ini dikenali sebagai {label}, tetapi tidak ada kolom "
            + ", ".join(schema.COLUMNS[c].label for c in missing) + " (lihat docs/import.md untuk nama kolom "
            "yang diterima).")
    return HeaderMapping(columns, unknown, [kind], ignored, duplicates)


def map_headers(header: list[str], file_name: str = "") -> HeaderMapping:
    """Match headers to canonical columns and decide which kinds of content the file holds."""
    kind = single_kind(header, file_name)
    if kind is not None:
        return _map_single(header, file_name, kind)
    columns, unknown, ignored, duplicates = _match(header, schema.ALIAS_INDEX)
    if "nip" not in columns:
        raise ImportFileError(file_name, "tidak ada kolom NIP (misalnya NIP atau NIP_BARU); setiap baris harus punya NIP.")
    kinds = []
    if "opd" in columns:
        kinds.append(schema.PEGAWAI)
    if any(c in columns for c in schema.KINERJA_VALUES):
        kinds.append(schema.KINERJA)
    if any(c in columns for c in schema.ASESMEN_SCORES):
        kinds.append(schema.ASESMEN)
    if not kinds:
        raise ImportFileError(
            file_name,
            "jenis isi tidak dikenali: data pegawai butuh kolom OPD (UNOR_INDUK_NAMA), kinerja butuh "
            "PREDIKAT / rating / NILAI_SKP, asesmen butuh JPM atau nilai kompetensi.",
        )
    if schema.PEGAWAI not in kinds:
        for c in list(columns):
            if schema.COLUMNS[c].kind == schema.PEGAWAI and c in schema.PEGAWAI_COLUMNS:
                ignored[columns.pop(c)] = "informasi pegawai; berkas tanpa kolom OPD tidak mengubah data pegawai"
                for h, kept in list(duplicates.items()):
                    if schema.normalize_header(h) in schema.ALIAS_INDEX and \
                            schema.ALIAS_INDEX[schema.normalize_header(h)][0] == c:
                        del duplicates[h]                  # the field is not used at all
                        ignored[h] = ignored[kept]
    return HeaderMapping(columns, unknown, kinds, ignored, duplicates)


def same_meaning(raw: RawTable, mapping: HeaderMapping) -> None:
    """Two columns that mean the same field (``NAMA`` twice, or ``NIP_BARU`` and ``NIP``) are used only
    when they hold the same value in every row: then the second is recorded as not used, because it
    says nothing more. When they differ in any row the file is refused, naming both columns, where
    they are and the first row where they differ: Talenta does not pick one of two values silently.
    """
    import pyarrow.compute as pc

    problems = []
    for dup, kept in mapping.duplicates.items():
        a, b = raw.table.column(kept), raw.table.column(dup)
        differ = pc.or_(pc.fill_null(pc.not_equal(a, b), False), pc.xor(pc.is_null(a), pc.is_null(b)))
        n = pc.sum(differ).as_py() or 0
        canon = next(c for c, h in mapping.columns.items() if h == kept)
        label = schema.COLUMNS[canon].label
        if not n:
            mapping.ignored[dup] = (f"tidak dipakai: isinya sama persis dengan kolom '{raw.header_text(kept)}' "
                                    f"({raw.column_place(kept)}); keduanya berarti {label}")
            mapping.notes.append(f"Kolom '{raw.header_text(dup)}' ({raw.column_place(dup)}) {mapping.ignored[dup]}.")
            continue
        i = int(np.flatnonzero(differ.to_numpy(zero_copy_only=False))[0])
        va, vb = a[i].as_py(), b[i].as_py()
        problems.append(
            f"kolom '{raw.header_text(kept)}' ({raw.column_place(kept)}) dan '{raw.header_text(dup)}' "
            f"({raw.column_place(dup)}) sama-sama berarti {label}, tetapi isinya berbeda di {n} baris, "
            f"misalnya baris {int(raw.row_numbers[i])}: '{shown_value(va)}' dan '{shown_value(vb)}'")
    if problems:
        raise ImportFileError(
            raw.file_name, "; ".join(problems) + ". Talenta tidak memilih salah satunya: hapus kolom yang salah "
            "atau ganti judulnya, lalu impor ulang.")



@dataclass
class Validated:
    mapping: HeaderMapping
    frames: dict[str, pa.Table]       # kind -> accepted rows (canonical columns + row_number)
    rejected: pd.DataFrame            # row_number, nip, reason_codes, columns, message, original
    rows_read: int
    period_from_input: bool = False

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - len(self.rejected)


# printable ASCII words separated by single spaces: ``normalize.text`` returns such a value unchanged
PLAIN_TEXT = r"[!-~]+( [!-~]+)*"
PLAIN_NIP = r"[0-9]{18}"
SQL_TYPES = {"text": "VARCHAR", "int": "INTEGER", "float": "DOUBLE", "date": "DATE", "bool": "BOOLEAN"}


def _plain_text_column(name: str) -> bool:
    """Free-text columns, where ``normalize.text`` is the only rule."""
    return schema.COLUMNS[name].type == "text" and name not in TYPE_NORMALISERS and name != "eselon"


def normalise_values(name: str, values: pd.Series, kind: str | None = None,
                     today: dt.date | None = None) -> tuple[pd.Series, pd.Series]:
    """Normalised value and problem code (NA when fine) for present (non-empty) raw values of ``name``."""
    ctype = schema.COLUMNS[name].type
    code = pd.Series(pd.NA, index=values.index, dtype="string")
    if name == "tahun" and kind == schema.DIKLAT:
        v = norm.year(values, *schema.DIKLAT_YEARS)
        code[v.isna().to_numpy()] = "tahun_diklat_tidak_valid"
    elif name == "tahun":
        v = norm.year(values)
        code[v.isna().to_numpy()] = "tahun_tidak_valid"
    elif name == "eselon":
        v = norm.eselon(values)
        no_eselon = norm.canon(values).isin(norm.NO_ESELON).fillna(False).to_numpy(dtype=bool)
        code[~no_eselon & v.isna().to_numpy()] = "eselon_tidak_valid"
    elif name in TYPE_NORMALISERS:
        fn, problem = TYPE_NORMALISERS[name]
        v = fn(values)
        if problem:
            code[v.isna().to_numpy()] = problem
    elif ctype == "float":
        v = norm.number(values)
        c = schema.COLUMNS[name]
        code[v.isna().to_numpy()] = "angka_tidak_valid"
        code[(v.notna() & ((v < c.min) | (v > c.max))).fillna(False).to_numpy(dtype=bool)] = "di_luar_rentang"
    elif ctype == "date":
        v = pd.Series(norm.date(values), index=values.index, dtype=object)
        code[v.isna().to_numpy()] = "tanggal_tidak_valid"
        first, last = schema.date_bounds(name, today or dt.date.today())
        code[np.array([not pd.isna(d) and not first <= d <= last for d in v], dtype=bool)] = "tanggal_di_luar_rentang"
    else:
        v = norm.text(values)
    return v, code


def _to_arrow(values: pd.Series, ctype: str) -> pa.Array:
    if ctype == "date":
        return pa.array(values.astype(object).where(values.notna(), None).tolist(), pa.date32())
    if ctype == "int":
        return pa.array(values.astype("Float64").to_numpy(dtype=float, na_value=np.nan), pa.float64(),
                        from_pandas=True).cast(pa.int64())
    if ctype == "float":
        return pa.array(values.to_numpy(dtype=float, na_value=np.nan), pa.float64(), from_pandas=True)
    return pa.array(values.astype(object).where(values.notna(), None).tolist(), pa.string())


def _distinct(con, sql: str) -> pd.Series:
    t = con.sql(sql).to_arrow_table()
    return t.column(0).to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)


def _connect():
    return duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                              "autoload_known_extensions": False})


def _nip_sql(s: str, today_year: int) -> str:
    """The NIP rules of ``talenta.nip.check`` for an 18-digit value ``s`` (SQL); NULL when valid."""
    ty = int(today_year)
    b = f"try_strptime(substr({s}, 1, 8), '%Y%m%d')"
    y9 = f"CAST(substr({s}, 9, 4) AS INTEGER)"
    mon = f"CAST(substr({s}, 13, 2) AS INTEGER)"
    d13 = f"substr({s}, 13, 1)"
    return (
        f"CASE WHEN {b} IS NULL OR year({b}) < {nipmod.MIN_BIRTH_YEAR} OR year({b}) > {ty} - 15 "
        f"THEN 'nip_tgl_lahir' "
        f"WHEN ({d13} <> '2' AND ({d13} NOT IN ('0', '1') OR {mon} < 1 OR {mon} > 12 "
        f"OR {y9} < year({b}) + 15 OR {y9} > {ty} + 1)) "
        f"OR ({d13} = '2' AND (substr({s}, 14, 1) = '0' OR {y9} < {nipmod.PPPK_FIRST_YEAR} "
        f"OR {y9} > {ty} + 1 OR {y9} < year({b}) + 15)) THEN 'nip_tmt' "
        f"WHEN substr({s}, 15, 1) NOT IN ('1', '2') THEN 'nip_jenis_kelamin' "
        f"WHEN substr({s}, 16, 3) = '000' THEN 'nip_urut' END")


def refuse_empty(raw: RawTable) -> None:
    """A table without data rows is refused: a header alone made an empty batch, listed for undo, that changed
    nothing (hostile pass, session 22)."""
    if raw.table.num_rows:
        return
    skipped = (f"; {fmt.num(len(raw.skipped))} baris sesudahnya dilewati sebagai baris jumlah/keterangan"
               if raw.skipped else "")
    raise ImportFileError(raw.file_name, f"tidak ada baris data di bawah judul kolom (baris {raw.header_row_number})"
                          f"{skipped}; tidak ada yang diimpor.")


def validate(raw: RawTable, *, period: int | None = None, instansi: str = "",
             today: dt.date | None = None) -> Validated:
    """Validate a read table. Raises ImportFileError only for file-level problems."""
    mapping = map_headers(raw.header, raw.file_name)
    same_meaning(raw, mapping)
    today = today or dt.date.today()
    n = raw.table.num_rows
    refuse_empty(raw)
    kinds = mapping.kinds
    cols = dict(mapping.columns)
    needs_year = schema.KINERJA in kinds or schema.ASESMEN in kinds
    period_from_input = False
    if needs_year and "tahun" not in cols:
        if period is None:
            raise ImportFileError(
                raw.file_name,
                "tidak ada kolom tahun/periode; isi tahun penilaian (opsi --period pada CLI, atau "
                "kolom 'Tahun' di halaman Impor Data) lalu ulangi.",
            )
        period_from_input = True
    single = kinds[0] if kinds[0] in schema.SINGLE_KINDS else None
    nip_col = "pemangku_nip" if single == schema.FORMASI else "nip"
    typed = [c for c in cols if c != nip_col] + (["tahun"] if period_from_input else [])

    arrays: dict[str, pa.Array] = {
        "pos": pa.array(np.arange(n, dtype=np.int64)),
        "rn": pa.array(np.asarray(raw.row_numbers, dtype=np.int64)),
    }
    for canon, header in cols.items():
        arrays["r_" + ("nip" if canon == nip_col else canon)] = raw.table.column(header)
    if period_from_input:
        arrays["r_tahun"] = pa.array(np.full(n, str(period), dtype=object), pa.string())
    numeric = raw.numeric_cells(cols[nip_col]) if raw.numeric_cells else None
    arrays["nip_numeric"] = pa.array(np.zeros(n, dtype=bool) if numeric is None
                                     else numeric.to_numpy(dtype=bool))
    con = _connect()
    try:
        con.register("src", pa.table(arrays))
        return _validate_sql(con, raw, mapping, typed, instansi, today, n, period_from_input)
    finally:
        con.close()


def _typed_view(con, typed: list[str], today: dt.date, kind: str | None) -> None:
    """View ``v1``: per row its position, row number, NIP (clean) and each typed column's raw value,
    normalised value and problem code (``r_x``, ``x``, ``c_x``)."""
    joins: list[str] = []
    select = ["s.pos", "s.rn", "s.r_nip"]

    # NIP: 18 plain digits are checked in SQL; anything else goes through talenta.nip on its distinct values
    plain_nip = f"(s.r_nip IS NOT NULL AND regexp_full_match(s.r_nip, '{PLAIN_NIP}') AND NOT s.nip_numeric)"
    odd_sql = f"SELECT DISTINCT r_nip, nip_numeric FROM src s WHERE s.r_nip IS NOT NULL AND NOT {plain_nip}"
    odd = con.sql(odd_sql).to_arrow_table().to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get)
    lk = pa.table({
        "raw": pa.array(odd["r_nip"].astype(object).tolist(), pa.string()),
        "numeric": pa.array(odd["nip_numeric"].to_numpy(dtype=bool)),
        "clean": _to_arrow(nipmod.clean(odd["r_nip"]), "text"),
        "code": _to_arrow(nipmod.check(odd["r_nip"], odd["nip_numeric"].astype(bool), today=today), "text"),
    })
    con.register("lk_nip", lk)
    joins.append("LEFT JOIN lk_nip ON s.r_nip = lk_nip.raw AND s.nip_numeric = lk_nip.numeric")
    select.append(f"CASE WHEN {plain_nip} THEN s.r_nip ELSE lk_nip.clean END AS nip")
    select.append(f"CASE WHEN s.r_nip IS NULL THEN 'nip_kosong' WHEN {plain_nip} THEN {_nip_sql('s.r_nip', today.year)} "
                  "ELSE lk_nip.code END AS c_nip")

    # typed columns: each column's distinct values through talenta.ingest.normalize
    for i, name in enumerate(typed):
        raw_col = "s.r_" + name
        ctype = schema.COLUMNS[name].type
        sql_type = SQL_TYPES[ctype]
        plain = _plain_text_column(name)
        where = f"r_{name} IS NOT NULL" + (f" AND NOT regexp_full_match(r_{name}, '{PLAIN_TEXT}')" if plain else "")
        values = _distinct(con, f"SELECT DISTINCT r_{name} FROM src WHERE {where}")
        v, code = normalise_values(name, values, kind, today)
        con.register(f"lk_{i}", pa.table({"raw": _to_arrow(values, "text"), "v": _to_arrow(v, ctype),
                                          "code": _to_arrow(code, "text")}))
        joins.append(f"LEFT JOIN lk_{i} ON {raw_col} = lk_{i}.raw")
        if plain:
            value = (f"CASE WHEN {raw_col} IS NOT NULL AND regexp_full_match({raw_col}, '{PLAIN_TEXT}') "
                     f"THEN {raw_col} ELSE lk_{i}.v END")
        else:
            value = f"CAST(lk_{i}.v AS {sql_type})"
        select += [f"{raw_col}", f"{value} AS {name}", f"lk_{i}.code AS c_{name}"]
    con.execute("CREATE TEMP VIEW v1 AS SELECT " + ", ".join(select) + " FROM src s " + " ".join(joins))


def _validate_sql(con, raw: RawTable, mapping: HeaderMapping, typed: list[str], instansi: str,
                  today: dt.date, n: int, period_from_input: bool) -> Validated:
    kinds = mapping.kinds
    params: dict = {}
    single = kinds[0] if kinds[0] in schema.SINGLE_KINDS else None
    _typed_view(con, typed, today, single)
    if single:
        return _validate_single(con, raw, mapping, typed, instansi, n, single)

    # derived values and the rules that span columns
    out_cols = ["nip"] + typed
    sel = ["*"]
    problems: list[tuple[str, str, str, str]] = [("nip", "r_nip", "c_nip", "TRUE")]  # column, value, code, when
    problems += [(name, "r_" + name, "c_" + name, "TRUE") for name in typed]
    final: dict[str, str] = {c: c for c in out_cols}
    if schema.PEGAWAI in kinds:
        for req in ("nama", "opd"):
            if req in typed:
                problems.append((req, "r_" + req, "'wajib_kosong'", f"{req} IS NULL"))
        if "instansi" not in typed:
            final["instansi"] = "CAST($instansi AS VARCHAR)"
            params["instansi"] = instansi
        elif instansi:
            final["instansi"] = "coalesce(instansi, CAST($instansi AS VARCHAR))"
            params["instansi"] = instansi
        else:
            problems.append(("instansi", "r_instansi", "'wajib_kosong'", "instansi IS NULL"))
        sel += [
            "c_nip IS NULL AS f_valid",
            "CASE WHEN f_valid THEN CAST(try_strptime(substr(nip, 1, 8), '%Y%m%d') AS DATE) END AS f_tanggal_lahir",
            "f_valid AND substr(nip, 13, 1) = '2' AS f_pppk",
            "CASE WHEN f_valid THEN CASE substr(nip, 15, 1) WHEN '1' THEN 'Laki-laki' WHEN '2' THEN 'Perempuan' END "
            "END AS f_jenis_kelamin",
            "CASE WHEN f_pppk THEN 'PPPK' ELSE 'PNS' END AS f_jenis_asn",
            "CASE WHEN f_valid AND NOT f_pppk THEN CAST(try_strptime(substr(nip, 9, 6) || '01', '%Y%m%d') AS DATE) "
            "END AS f_tmt_cpns",
        ]
        for name in ("tanggal_lahir", "jenis_kelamin"):
            if name in typed:
                problems.append((name, "r_" + name, "'tidak_sesuai_nip'",
                                 f"f_valid AND {name} IS NOT NULL AND {name} <> f_{name}"))
                final[name] = f"coalesce({name}, f_{name})"
            else:
                final[name] = f"f_{name}"
        if "jenis_asn" in typed:
            problems.append(("jenis_asn", "r_jenis_asn", "'tidak_sesuai_nip'",
                             "f_valid AND jenis_asn IS NOT NULL AND "
                             "(f_jenis_asn = 'PPPK') <> (jenis_asn IN ('PPPK', 'PPPK Paruh Waktu'))"))
            final["jenis_asn"] = "coalesce(jenis_asn, f_jenis_asn)"
        else:
            final["jenis_asn"] = "f_jenis_asn"
        if "tmt_cpns" not in typed:
            final["tmt_cpns"] = "f_tmt_cpns"
        else:       # a PNS's TMT CPNS is the year and month in digits 9-14 of the NIP
            problems.append(("tmt_cpns", "r_tmt_cpns", "'tidak_sesuai_nip'",
                             "f_valid AND tmt_cpns IS NOT NULL AND f_tmt_cpns IS NOT NULL "
                             "AND strftime(tmt_cpns, '%Y%m') <> strftime(f_tmt_cpns, '%Y%m')"))
            final["tmt_cpns"] = "coalesce(tmt_cpns, f_tmt_cpns)"
        if "golongan" in typed:
            problems.append(("golongan", "r_golongan", "'golongan_tidak_valid'",
                             "golongan IS NOT NULL AND contains(golongan, '/') <> (" + final["jenis_asn"] + " = 'PNS')"))
    if schema.KINERJA in kinds or schema.ASESMEN in kinds:
        problems.append(("tahun", "r_tahun", "'wajib_kosong'", "tahun IS NULL AND r_tahun IS NULL"))
    kinerja_any = asesmen_any = "FALSE"
    from_v1 = "v1"
    if schema.KINERJA in kinds:
        if "predikat" not in typed:
            final["predikat"] = "CAST(NULL AS VARCHAR)"
        if "rating_hasil_kerja" in typed and "rating_perilaku" in typed:
            matrix = pa.table({"h": [k[0] for k in norm.PREDIKAT_MATRIX], "p": [k[1] for k in norm.PREDIKAT_MATRIX],
                               "predikat": list(norm.PREDIKAT_MATRIX.values())})
            con.register("matrix", matrix)
            given = "predikat" if "predikat" in typed else "CAST(NULL AS VARCHAR)"
            sel.append("m.predikat AS f_predikat")
            from_v1 = "v1 LEFT JOIN matrix m ON m.h = v1.rating_hasil_kerja AND m.p = v1.rating_perilaku"
            problems.append(("rating_perilaku", "NULL", "'rating_tidak_lengkap'",
                             f"((rating_hasil_kerja IS NULL) <> (rating_perilaku IS NULL)) AND {given} IS NULL"))
            final["predikat"] = f"coalesce({given}, f_predikat)"
        kinerja_any = " OR ".join(f"r_{c} IS NOT NULL" for c in schema.KINERJA_VALUES if c in typed) or "FALSE"
        if kinds == [schema.KINERJA]:
            problems.append(("predikat", "NULL", "'kinerja_kosong'", f"NOT ({kinerja_any})"))
        # an SKP year before the appointment year in the NIP (review 5, item 12: 2010 for a PPPK appointed 2025)
        problems.append(("tahun", "tahun", "'tahun_sebelum_pengangkatan'",
                         f"c_nip IS NULL AND tahun IS NOT NULL AND ({kinerja_any}) "
                         "AND tahun < CAST(substr(nip, 9, 4) AS INTEGER)"))
    if schema.ASESMEN in kinds:
        asesmen_any = " OR ".join(f"r_{c} IS NOT NULL" for c in schema.ASESMEN_SCORES if c in typed) or "FALSE"
        if kinds == [schema.ASESMEN]:
            problems.append(("jpm", "NULL", "'asesmen_kosong'", f"NOT ({asesmen_any})"))
    sel += [f"({kinerja_any}) AS kinerja_any", f"({asesmen_any}) AS asesmen_any"]
    sel[0] = "v1.*"
    con.execute("CREATE TEMP VIEW v2 AS SELECT " + ", ".join(sel) + " FROM " + from_v1)
    value_cols = list(final)
    finals = ", ".join(f"{expr} AS o_{name}" for name, expr in final.items())
    # ``params`` are exactly what ``final`` binds (the instansi the caller gives, when a value takes it)
    con.execute("CREATE TEMP TABLE v AS SELECT *, " + finals + " FROM v2", params)

    branches = [
        f"SELECT pos, {i} AS ord, '{column}' AS col, CAST({value} AS VARCHAR) AS value, {code} AS code "
        f"FROM v WHERE ({when}) AND {code} IS NOT NULL"
        for i, (column, value, code, when) in enumerate(problems)]
    con.execute("CREATE TEMP TABLE prob AS " + " UNION ALL ".join(branches))
    con.register("pre", _early_problems(raw, mapping))
    con.execute("INSERT INTO prob SELECT pos, ord, col, value, code FROM pre")
    # a row the reader could not read faithfully is rejected for that reason only (its cells may be shifted)
    con.execute("DELETE FROM prob WHERE NOT list_contains($codes, code) "
                "AND pos IN (SELECT pos FROM pre WHERE list_contains($codes, code))", {"codes": list(READER_CODES)})

    # duplicates and conflicts, among rows without other problems
    o = [f"o_{c}" for c in value_cols]
    key = ["o_nip", "o_tahun"] if "tahun" in final else ["o_nip"]
    con.execute("CREATE TEMP VIEW good AS SELECT * FROM v ANTI JOIN (SELECT DISTINCT pos FROM prob) USING (pos)")
    ord_next = len(problems)
    dup_check = "SELECT count(*) FROM (SELECT 1 FROM good GROUP BY " + ", ".join(o) + " HAVING count(*) > 1)"
    has_duplicates = con.sql(dup_check).fetchall()[0][0] > 0
    if has_duplicates:
        con.execute(
            "CREATE TEMP TABLE ranked AS SELECT pos, rn, " + ", ".join(o) + ", "
            "row_number() OVER w AS k, first_value(rn) OVER w AS first_rn FROM good "
            "WINDOW w AS (PARTITION BY " + ", ".join(o) + " ORDER BY pos)")
        dup_sql = (f"INSERT INTO prob SELECT pos, {ord_next}, 'nip', CAST(first_rn AS VARCHAR), 'baris_ganda' "
                   "FROM ranked WHERE k > 1")
        con.execute(dup_sql)
        con.execute("CREATE TEMP VIEW rest AS SELECT * FROM ranked WHERE k = 1")
    else:
        con.execute("CREATE TEMP VIEW rest AS SELECT * FROM good")   # every good row is distinct
    groups = [(key, o)]
    if key != ["o_nip"] and schema.PEGAWAI in kinds:
        groups.append((["o_nip"], [f"o_{c}" for c in schema.PEGAWAI_COLUMNS if c in final]))
    conflicts = []
    for j, (g, g_cols) in enumerate(groups, start=1):
        # keys with more than one distinct content (rest holds no two identical rows, so for the
        # whole key a row count is a count of distinct contents)
        distinct_cols = ", ".join(dict.fromkeys(g + g_cols))
        d = "rest" if g_cols == o else f"(SELECT DISTINCT {distinct_cols} FROM rest)"
        conflicts.append(
            f"(WITH ck AS (SELECT {', '.join(g)} FROM {d} GROUP BY ALL HAVING count(*) > 1), "
            # IS NOT DISTINCT FROM: an empty tahun (a master file with a tahun column) is a key value too
            f"m AS (SELECT r.pos, r.rn, r.o_nip FROM rest r SEMI JOIN ck ON "
            + " AND ".join(f"r.{c} IS NOT DISTINCT FROM ck.{c}" for c in g) + ") "
            f"SELECT pos, {ord_next + j}, 'nip', string_agg(CAST(rn AS VARCHAR), ', ' ORDER BY pos) "
            "OVER (PARTITION BY o_nip), 'nip_konflik' FROM m)")
    # one statement: ``rest`` may be a view over ``prob``, so conflicts found per (nip, tahun) must not
    # hide rows from the per-nip check (a hypothesis run found exactly that)
    con.execute("INSERT INTO prob " + " UNION ALL ".join(conflicts))
    _conflict_details(con, mapping, {ord_next + j: (g, g_cols) for j, (g, g_cols) in enumerate(groups, start=1)})

    problems_df = con.sql("SELECT pos, col AS \"column\", value, code FROM prob ORDER BY pos, ord"
                          ).to_arrow_table().to_pandas()
    rejected = _rejected_rows(problems_df, raw, mapping)

    frames: dict[str, pa.Table] = {}
    any_problem = con.sql("SELECT count(*) FROM prob").fetchall()[0][0] > 0
    accepted = "FROM v ANTI JOIN (SELECT DISTINCT pos FROM prob) USING (pos)" if any_problem else "FROM v"
    several_per_nip = "tahun" in final     # a multi-year file with employee columns

    def frame(kind_cols: list[str], where: str = "TRUE", first_per_nip: bool = False) -> pa.Table:
        present = [c for c in kind_cols if c in final]
        sel_cols = ", ".join(f"CAST(o_{c} AS {SQL_TYPES[schema.COLUMNS[c].type]}) AS {c}" for c in present)
        qualify = (" QUALIFY row_number() OVER (PARTITION BY o_nip ORDER BY pos) = 1"
                   if first_per_nip and several_per_nip else "")
        frame_sql = f"SELECT {sel_cols}, rn AS row_number {accepted} WHERE {where}{qualify} ORDER BY pos"
        return con.sql(frame_sql).to_arrow_table()

    if schema.PEGAWAI in kinds:
        frames[schema.PEGAWAI] = frame(schema.PEGAWAI_COLUMNS, first_per_nip=True)
    if schema.KINERJA in kinds:
        frames[schema.KINERJA] = frame(schema.KINERJA_COLUMNS, "kinerja_any")
    if schema.ASESMEN in kinds:
        frames[schema.ASESMEN] = frame(schema.ASESMEN_COLUMNS, "asesmen_any")
    return Validated(mapping, frames, rejected, n, period_from_input)


def _validate_single(con, raw: RawTable, mapping: HeaderMapping, typed: list[str], instansi: str, n: int,
                     kind: str) -> Validated:
    """The rules of a riwayat jabatan, hukuman disiplin, diklat or formasi file (one kind per file).

    Every value through its column's rule; required values (``schema.KIND_REQUIRED``); TMT selesai
    not before TMT mulai; exact duplicates keep the first row; one key (``schema.KIND_KEYS``) with
    different contents rejects all its rows; in a formasi, one pemangku in two posts rejects both.
    A vacant post (empty pemangku NIP) is not a problem; ``kritikal`` empty is ``tidak``.
    """
    params: dict = {}
    formasi = kind == schema.FORMASI
    nip_col = "pemangku_nip" if formasi else "nip"
    problems = [(nip_col, "r_nip", "c_nip", "r_nip IS NOT NULL" if formasi else "TRUE")]
    problems += [(name, "r_" + name, "c_" + name, "TRUE") for name in typed]
    final: dict[str, str] = {c: c for c in schema.KIND_COLUMNS[kind] if c in typed}
    final[nip_col] = "nip"
    for req in schema.KIND_REQUIRED[kind]:
        problems.append((req, "r_" + req, "'wajib_kosong'", f"{req} IS NULL AND c_{req} IS NULL"))
    if "tmt_mulai" in typed and "tmt_selesai" in typed:
        problems.append(("tmt_selesai", "r_tmt_selesai", "'tmt_selesai_sebelum_mulai'", "tmt_selesai < tmt_mulai"))
    from_v1 = "v1"
    if formasi:
        if "instansi" not in typed:
            final["instansi"] = "CAST($instansi AS VARCHAR)"
            params["instansi"] = instansi
        elif instansi:
            final["instansi"] = "coalesce(instansi, CAST($instansi AS VARCHAR))"
            params["instansi"] = instansi
        else:
            problems.append(("instansi", "r_instansi", "'wajib_kosong'", "instansi IS NULL AND c_instansi IS NULL"))
        final["kritikal"] = "coalesce(kritikal, false)" if "kritikal" in typed else "false"
    if kind == schema.DIKLAT and "nama_diklat" in typed:
        # no jenis given: a leadership training is known from its name ("Diklatpim Tingkat III")
        names = _distinct(con, "SELECT DISTINCT nama_diklat FROM v1 WHERE nama_diklat IS NOT NULL")
        con.register("lk_lead", pa.table({"raw": _to_arrow(names, "text"),
                                          "v": _to_arrow(norm.leadership(names), "text")}))
        from_v1 = "v1 LEFT JOIN lk_lead ON v1.nama_diklat = lk_lead.raw"
        given = "jenis_diklat" if "jenis_diklat" in typed else "CAST(NULL AS VARCHAR)"
        final["jenis_diklat"] = f"coalesce({given}, lk_lead.v)"
    order = [c for c in schema.KIND_COLUMNS[kind] if c in final]
    finals = ", ".join(f"{final[c]} AS o_{c}" for c in order)
    con.execute("CREATE TEMP TABLE v AS SELECT v1.*, " + finals + " FROM " + from_v1, params)

    branches = [
        f"SELECT pos, {i} AS ord, '{column}' AS col, CAST({value} AS VARCHAR) AS value, {code} AS code "
        f"FROM v WHERE ({when}) AND {code} IS NOT NULL"
        for i, (column, value, code, when) in enumerate(problems)]
    con.execute("CREATE TEMP TABLE prob AS " + " UNION ALL ".join(branches))
    con.register("pre", _early_problems(raw, mapping))
    con.execute("INSERT INTO prob SELECT pos, ord, col, value, code FROM pre")
    con.execute("DELETE FROM prob WHERE NOT list_contains($codes, code) "
                "AND pos IN (SELECT pos FROM pre WHERE list_contains($codes, code))", {"codes": list(READER_CODES)})

    # duplicates, key conflicts and (formasi) one pemangku in two posts, among rows without other problems
    o = [f"o_{c}" for c in order]
    key = [f"o_{c}" for c in schema.KIND_KEYS[kind]]
    first = schema.KIND_KEYS[kind][0]
    nxt = len(problems)
    con.execute("CREATE TEMP TABLE good AS SELECT * FROM v ANTI JOIN (SELECT DISTINCT pos FROM prob) USING (pos)")
    con.execute(
        "CREATE TEMP TABLE ranked AS SELECT pos, rn, " + ", ".join(o) + ", "
        "row_number() OVER w AS k, first_value(rn) OVER w AS first_rn FROM good "
        "WINDOW w AS (PARTITION BY " + ", ".join(o) + " ORDER BY pos)")
    dup_sql = (f"INSERT INTO prob SELECT pos, {nxt}, '{first}', CAST(first_rn AS VARCHAR), 'baris_ganda' "
               "FROM ranked WHERE k > 1")
    con.execute(dup_sql)
    con.execute("DELETE FROM ranked WHERE k > 1")
    on = " AND ".join(f"r.{c} IS NOT DISTINCT FROM ck.{c}" for c in key)
    found = [
        f"(WITH ck AS (SELECT {', '.join(key)} FROM ranked GROUP BY ALL HAVING count(*) > 1) "
        f"SELECT r.pos, {nxt + 1}, '{first}', string_agg(CAST(r.rn AS VARCHAR), ', ' ORDER BY r.pos) OVER "
        f"(PARTITION BY {', '.join('r.' + c for c in key)}), '{CONFLICT_CODES[kind]}' FROM ranked r SEMI JOIN ck ON {on})"]
    if formasi:
        found.append(
            f"(WITH pk AS (SELECT o_pemangku_nip FROM ranked WHERE o_pemangku_nip IS NOT NULL GROUP BY ALL "
            f"HAVING count(DISTINCT ({', '.join(key)})) > 1) "
            f"SELECT r.pos, {nxt + 2}, 'pemangku_nip', string_agg(CAST(r.rn AS VARCHAR), ', ' ORDER BY r.pos) OVER "
            "(PARTITION BY r.o_pemangku_nip), 'pemangku_ganda' FROM ranked r SEMI JOIN pk USING (o_pemangku_nip))")
    con.execute("INSERT INTO prob " + " UNION ALL ".join(found))
    _conflict_details(con, mapping, {nxt + 1: (key, o)})

    problems_df = con.sql("SELECT pos, col AS \"column\", value, code FROM prob ORDER BY pos, ord"
                          ).to_arrow_table().to_pandas()
    rejected = _rejected_rows(problems_df, raw, mapping)
    sel_cols = ", ".join(f"CAST(o_{c} AS {SQL_TYPES[schema.COLUMNS[c].type]}) AS {c}" for c in order)
    frame_sql = (f"SELECT {sel_cols}, rn AS row_number FROM v ANTI JOIN (SELECT DISTINCT pos FROM prob) "
                 "USING (pos) ORDER BY pos")
    frame = con.sql(frame_sql).to_arrow_table()
    return Validated(mapping, {kind: frame}, rejected, n, False)


def shown_cell(value: object) -> str:
    """A stored value as a conflict message shows it: quoted, dates as 17-08-1985, empty as kosong."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return "kosong"
    if isinstance(value, (bool, np.bool_)):
        return "'ya'" if value else "'tidak'"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"'{value:%d-%m-%Y}'"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    return f"'{shown_value(value)}'"


def conflict_details(rows: list[dict], key: list[str], compared: list[str], label) -> dict[int, tuple[str, str]]:
    """What differs within each key of conflicting rows: position -> (first differing column, details).

    ``rows`` are dicts with ``pos``, ``rn`` and the (normalised) values of ``key`` and ``compared``
    columns; ``label(column)`` names a column as the file does. Columns are taken in the order of
    ``schema.COLUMNS``; each differing one is told with each value and the rows holding it:
    ``UNOR_INDUK_NAMA 'Dinas A' (baris 2), 'Dinas B' (baris 3)``.
    """
    order = {c: i for i, c in enumerate(schema.COLUMNS)}
    compared = sorted((c for c in dict.fromkeys(compared) if c not in key), key=lambda c: order.get(c, len(order)))
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault(tuple(shown_cell(r[k]) for k in key), []).append(r)
    out: dict[int, tuple[str, str]] = {}
    for grp in groups.values():
        first, details = None, []
        for c in compared:
            seen: dict[str, list[str]] = {}
            for r in sorted(grp, key=lambda r: r["pos"]):
                seen.setdefault(shown_cell(r[c]), []).append(str(r["rn"]))
            if len(seen) < 2:
                continue
            first = first or c
            details.append(f"{label(c)} " + ", ".join(f"{v} (baris {', '.join(rns)})" for v, rns in seen.items()))
        if details:
            out.update({int(r["pos"]): (first, "; ".join(details)) for r in grp})
    return out


def _conflict_details(con, mapping: HeaderMapping, groups: dict[int, tuple[list[str], list[str]]]) -> None:
    """Name what differs in each conflict of ``prob`` (rows of one key with different contents): the
    conflict of group ``ord`` (its key and compared columns, as ``o_x``) gets the first differing
    column as its column and ``"<rows>|<details>"`` (:func:`conflict_details`) as its value, which
    :func:`problem_message` writes out."""
    updates = []
    for ord_, (key, compared) in groups.items():
        cols = list(dict.fromkeys(key + compared))
        select = ", ".join(f"v.{c} AS {c[2:]}" for c in cols)
        # the columns are schema identifiers (``o_x``); the group is bound
        res = con.execute("SELECT p.pos, p.value AS listed, v.rn, " + select + " FROM prob p JOIN v USING (pos) "
                          "WHERE p.ord = $ord ORDER BY p.pos", {"ord": int(ord_)})
        names = [d[0] for d in res.description]
        found = [dict(zip(names, row)) for row in res.fetchall()]
        if not found:
            continue
        details = conflict_details(found, [c[2:] for c in key], [c[2:] for c in compared],
                                   lambda c: _label(mapping, c))
        updates += [(r["pos"], int(ord_), details[r["pos"]][0], f"{r['listed']}|{details[r['pos']][1]}")
                    for r in found if r["pos"] in details]
    if updates:
        con.register("conflict_detail", pa.table({
            "pos": pa.array([u[0] for u in updates], pa.int64()), "ord": pa.array([u[1] for u in updates], pa.int64()),
            "col": pa.array([u[2] for u in updates], pa.string()), "value": pa.array([u[3] for u in updates], pa.string())}))
        con.execute("UPDATE prob SET col = d.col, value = d.value FROM conflict_detail d "
                    "WHERE prob.pos = d.pos AND prob.ord = d.ord")
        con.unregister("conflict_detail")


def _early_problems(raw: RawTable, mapping: HeaderMapping) -> pa.Table:
    """The reader's row problems, the unreadable cells of imported columns, then control characters in any
    column, as rows of ``prob``.

    Their ``ord`` sorts them before the other problems of a row (reader first, then by column).
    """
    import pyarrow.compute as pc

    rows = [(pos, -2_000_000 + k, column, value, code)
            for k, (pos, column, value, code) in enumerate(reader_problems(raw))]
    if raw.cell_problems:
        imported = set(mapping.columns.values())
        numbers = np.asarray(raw.row_numbers)
        for k, (rn, header, value, code) in enumerate(raw.cell_problems):
            pos = int(np.searchsorted(numbers, rn))
            if header in imported and pos < len(numbers) and numbers[pos] == rn:
                rows.append((pos, -1_500_000 + k, source_column(mapping, header), value, code))
    for j, header in enumerate(raw.header):
        col = raw.table.column(header)
        hit = pc.fill_null(pc.match_substring_regex(col, CONTROL_CHARS), False)
        if pc.any(hit).as_py():
            idx = np.flatnonzero(hit.to_numpy(zero_copy_only=False))
            values = col.take(pa.array(idx)).to_pylist()
            name = source_column(mapping, header)
            rows += [(int(i), -1_000_000 + j, name, v, "karakter_kendali") for i, v in zip(idx, values)]
    return pa.table({"pos": pa.array([r[0] for r in rows], pa.int64()), "ord": pa.array([r[1] for r in rows], pa.int64()),
                     "col": pa.array([r[2] for r in rows], pa.string()), "value": pa.array([r[3] for r in rows], pa.string()),
                     "code": pa.array([r[4] for r in rows], pa.string())})


def problem_message(row_number: int, column_label: str | None, value: object, code: str) -> str:
    rule = RULES[code]
    shown = shown_value(value)
    if column_label is None:                 # a whole-row problem found by the reader
        return f"Baris {row_number}: {rule}; isi baris: '{shown}'."
    if code.startswith("nip_") and code in nipmod.REASONS:
        return f"Baris {row_number}, kolom {column_label}: {nipmod.message(code, shown)}"
    if code == "baris_ganda":
        return f"Baris {row_number}: {rule} (baris {shown})."
    if code == "nip_konflik" or code == "pemangku_ganda" or code in CONFLICT_CODES.values():
        rows, _, details = shown.partition("|")     # "2, 3|UNOR_INDUK_NAMA 'Dinas A' (baris 2), ..."
        return f"Baris {row_number}, kolom {column_label}: {rule} (baris {rows})" + (f": {details}." if details else ".")
    if code == "sel_gabungan":
        return f"Baris {row_number}, kolom {column_label}: sel ini {rule} (rentang {shown})."
    if code in {"wajib_kosong", "kinerja_kosong", "asesmen_kosong", "rating_tidak_lengkap"}:
        return f"Baris {row_number}, kolom {column_label}: {rule}."
    return f"Baris {row_number}, kolom {column_label}: nilai '{shown}' {rule}."


def _label(mapping: HeaderMapping, column: str | None) -> str | None:
    """The column as the user's file names it (None for a whole-row problem)."""
    if column is None or (isinstance(column, float) and np.isnan(column)):
        return None
    return mapping.columns.get(column, schema.COLUMNS[column].label if column in schema.COLUMNS else column)


REJECTED_COLUMNS = ["row_number", "nip", "reason_codes", "columns", "message", "original"]


def _rejected_rows(problems: pd.DataFrame, raw: RawTable, mapping: HeaderMapping) -> pd.DataFrame:
    """One row per rejected source row; ``problems`` (pos, column, value, code) is in message order."""
    if problems.empty:
        return pd.DataFrame(columns=REJECTED_COLUMNS)
    positions = pd.unique(problems["pos"].to_numpy())
    originals = dict(zip(positions.tolist(), raw.table.take(pa.array(positions)).to_pylist()))
    nip_header = mapping.columns.get("nip") or mapping.columns.get("pemangku_nip")
    rows = []
    for pos, grp in problems.groupby("pos", sort=True):
        rn = int(raw.row_numbers[pos])
        msgs, codes, columns = [], [], []
        for column, value, code in zip(grp["column"], grp["value"], grp["code"]):
            header = _label(mapping, column)
            msgs.append(problem_message(rn, header, value, code))
            codes.append(code)
            if header is not None:
                columns.append(header)
        orig = originals[pos]
        rows.append({
            "row_number": rn,
            "nip": orig.get(nip_header),
            "reason_codes": list(dict.fromkeys(codes)),
            "columns": list(dict.fromkeys(columns)),
            # each sentence once: a row of a file with employee and yearly columns can conflict both
            # per (nip, tahun) and per nip, with the same rows
            "message": " ".join(dict.fromkeys(msgs)),
            "original": json.dumps(orig, ensure_ascii=False),
        })
    return pd.DataFrame(rows, columns=REJECTED_COLUMNS)


def fk_rejections(row_numbers: np.ndarray, nips: list[str], raw: RawTable, mapping: HeaderMapping,
                  column: str = "nip") -> pd.DataFrame:
    """Rejected rows whose NIP (``column``) is not in the employee master (kinerja, asesmen, riwayat...)."""
    pos = np.searchsorted(raw.row_numbers, np.asarray(row_numbers))
    problems = pd.DataFrame({"pos": pos, "column": column, "value": nips, "code": "nip_tidak_terdaftar"})
    return _rejected_rows(problems, raw, mapping)


# the kinds whose rows need their NIP in the employee master, and the column holding it
NIP_OF = {schema.KINERJA: "nip", schema.ASESMEN: "nip", schema.RIWAYAT: "nip", schema.HUKUMAN: "nip",
          schema.DIKLAT: "nip", schema.FORMASI: "pemangku_nip"}


@dataclass(frozen=True)
class Checked:
    """A file after both validation stages: exactly the rows the import stores and the rows it quarantines.

    ``frames`` hold only rows that passed the row rules and whose NIP is in the employee master;
    ``rejected`` has one row per rejected source row, in row order (``REJECTED_COLUMNS``).
    """

    validated: Validated              # the row rules' outcome (before the master-data check)
    frames: dict[str, pa.Table]
    rejected: pd.DataFrame
    unknown_nip: int                  # rows rejected because their NIP is not in the master

    @property
    def mapping(self) -> HeaderMapping:
        return self.validated.mapping

    @property
    def rows_read(self) -> int:
        return self.validated.rows_read

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - len(self.rejected)


def check_master(cur, raw: RawTable, checked: Validated, also_known: pa.Array | None = None) -> Checked:
    """The second validation stage: rows whose NIP is not in the employee master are rejected.

    The master is the database's ``employee`` table (read through ``cur``; nothing is written) plus
    the employee rows this file itself brings, plus ``also_known``: the NIPs of employee files uploaded with it,
    which import first (a several-file preview; ``loader.preview``). Each such row is rejected once (a kinerja+asesmen row
    counts once) with the ``nip_tidak_terdaftar`` message, and leaves every kind it belonged to.
    The import runs this inside its storing transaction, before writing anything, so the master it
    sees is the one the rows are stored against; the preview runs it on the current database.
    """
    import pyarrow.compute as pc

    frames = dict(checked.frames)
    nameless = _new_without_nama(cur, raw, checked)
    if len(nameless):
        gone = pa.array(nameless["row_number"].to_numpy(dtype=np.int64))
        frames = {k: f.filter(pc.invert(pc.is_in(f.column("row_number"), value_set=gone))) for k, f in frames.items()}
    dependent = [(kind, col) for kind, col in NIP_OF.items() if kind in frames and frames[kind].num_rows]
    unknown = pd.DataFrame(columns=REJECTED_COLUMNS)
    if dependent:
        column = dependent[0][1]              # one NIP column per file: pemangku_nip (formasi) or nip
        incoming = pa.concat_tables([frames[k].select([c, "row_number"]).rename_columns(["nip", "row_number"])
                                     for k, c in dependent])
        incoming = incoming.filter(pc.is_valid(incoming.column("nip")))       # a vacant post has no pemangku
        own = frames.get(schema.PEGAWAI)
        if own is not None and own.num_rows:  # NIPs this file's own employee rows bring are known
            incoming = incoming.filter(pc.invert(pc.is_in(incoming.column("nip"), value_set=own.column("nip"))))
        if also_known is not None and len(also_known) and incoming.num_rows:
            incoming = incoming.filter(pc.invert(pc.is_in(incoming.column("nip"), value_set=also_known)))
        missing = []
        if incoming.num_rows:
            cur.register("incoming_nip", incoming)
            try:
                missing = cur.sql("SELECT DISTINCT row_number, nip FROM incoming_nip ANTI JOIN employee USING (nip) "
                                  "ORDER BY row_number").fetchall()
            finally:
                cur.unregister("incoming_nip")
        if missing:
            rows = np.array([r[0] for r in missing], dtype=np.int64)
            unknown = fk_rejections(rows, [r[1] for r in missing], raw, checked.mapping, column)
            gone = pa.array(rows)
            frames = {k: f.filter(pc.invert(pc.is_in(f.column("row_number"), value_set=gone)))
                      for k, f in frames.items()}
    if not len(nameless) and not len(unknown):
        return Checked(checked, frames, checked.rejected, 0)
    # the row rules and these checks reject disjoint rows (each only sees rows still accepted)
    parts = [r for r in (checked.rejected, nameless, unknown) if len(r)]
    rejected = pd.concat(parts, ignore_index=True).sort_values("row_number", kind="stable", ignore_index=True)
    return Checked(checked, frames, rejected, len(unknown))


def _new_without_nama(cur, raw: RawTable, checked: Validated) -> pd.DataFrame:
    """Rows of a master file without a Nama column whose NIP is not in the database yet.

    Such a file may update employees already stored (their name stays), but a new employee needs a
    name (``employee.nama`` is required): every row of such a NIP is rejected with ``wajib_kosong`` on
    Nama, so the preview and the import say the same and the store never meets an empty name.
    """
    own = checked.frames.get(schema.PEGAWAI)
    if own is None or not own.num_rows or "nama" in checked.mapping.columns:
        return pd.DataFrame(columns=REJECTED_COLUMNS)
    cur.register("own_nip", own.select(["nip"]))
    try:
        new = [r[0] for r in cur.sql("SELECT DISTINCT nip FROM own_nip ANTI JOIN employee USING (nip)").fetchall()]
    finally:
        cur.unregister("own_nip")
    if not new:
        return pd.DataFrame(columns=REJECTED_COLUMNS)
    import pyarrow.compute as pc

    rows = set()
    for f in checked.frames.values():         # every accepted row of such a NIP (a multi-year file has several)
        if "nip" in f.column_names:
            hit = f.filter(pc.is_in(f.column("nip"), value_set=pa.array(new, pa.string())))
            rows.update(hit.column("row_number").to_pylist())
    numbers = np.array(sorted(rows), dtype=np.int64)
    pos = np.searchsorted(raw.row_numbers, numbers)
    problems = pd.DataFrame({"pos": pos, "column": "nama", "value": None, "code": "wajib_kosong"})
    rejected = _rejected_rows(problems, raw, checked.mapping)
    blank = [f"ke-{i + 1}" for i, h in enumerate(raw.header) if h == f"kolom_{i + 1}"]
    hint = (f" Kolom {', '.join(blank)} tidak berjudul; bila isinya nama, beri judul NAMA pada kolom itu."
            if blank else "")
    rejected["message"] = [
        f"Baris {rn}, kolom Nama: wajib diisi untuk NIP {nip} yang belum ada di data pegawai, tetapi berkas ini "
        f"tidak punya kolom Nama (misalnya NAMA atau NAMA_PEGAWAI).{hint}"
        for rn, nip in zip(rejected["row_number"], rejected["nip"])]
    return rejected
