"""The test oracle: the row rules of ``talenta.ingest.validate`` written plainly in pandas.

One entry point, :func:`validate`, returns the accepted rows per kind of content (pandas frames in
the shared ``Validated``) and a table of rejected rows, each with its source row number, every
reason code and a readable message. The declarations (header mapping, reason codes and their texts,
normalisers per column, message wording) are imported from the validator; only the row checks are
this module's own, so that ``test_validate_agrees*`` compares two implementations of the rules.
"""
from __future__ import annotations

import datetime as _dt
import json

import pandas as pd

from talenta import nip as nipmod
from talenta import schema
from talenta.errors import ImportFileError
from talenta.ingest import normalize as norm
from talenta.ingest.readers import RawTable

# shared declarations (header mapping, reason codes and their texts, normalisers per column, message
# wording) come from the validator; the row checks below are this module's own
from talenta.ingest.validate import (  # noqa: E402
    TYPE_NORMALISERS, CONFLICT_CODES, CONTROL_CHARS, READER_CODES, HeaderMapping, Validated, conflict_details,
    map_headers, problem_message, reader_problems, refuse_empty, same_meaning, source_column)


class _Problems:
    """Collects (row position, column, value, code) for every problem found."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series, column: str, values: pd.Series | None, code: str) -> None:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        idx = mask[mask].index
        vals = values[idx].astype("string") if values is not None else pd.Series(pd.NA, index=idx, dtype="string")
        self.parts.append(pd.DataFrame({"pos": idx, "column": column, "value": vals.to_numpy(), "code": code}))

    def add_rows(self, rows: list[tuple[int, str | None, str, str]]) -> None:
        if rows:
            self.parts.append(pd.DataFrame(rows, columns=["pos", "column", "value", "code"]))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=["pos", "column", "value", "code"])
        return pd.concat(self.parts, ignore_index=True)

    def add_conflicts(self, mask: pd.Series, column: str, listed: pd.Series, code: str, out: pd.DataFrame,
                      key: list[str], compared: list[str], mapping: HeaderMapping) -> None:
        """Conflicts, each naming the first column that differs within its key, and every differing value."""
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        idx = mask[mask].index
        rows = [{"pos": int(i), "rn": int(out.at[i, "row_number"]),
                 **{c: (None if pd.isna(out.at[i, c]) else out.at[i, c]) for c in dict.fromkeys(key + compared)}}
                for i in idx]
        label = lambda c: mapping.columns.get(c, schema.COLUMNS[c].label if c in schema.COLUMNS else c)  # noqa: E731
        details = conflict_details(rows, key, compared, label)
        self.add_rows([(int(i), details[int(i)][0] if int(i) in details else column,
                        str(listed[i]) + (f"|{details[int(i)][1]}" if int(i) in details else ""), code) for i in idx])

    def bad_positions(self) -> pd.Index:
        return pd.Index(self.frame()["pos"].unique())


def validate(raw: RawTable, *, period: int | None = None, instansi: str = "",
             today=None) -> Validated:
    """Validate a read table. Raises ImportFileError only for file-level problems."""
    mapping = map_headers(raw.header, raw.file_name)
    same_meaning(raw, mapping)
    refuse_empty(raw)
    src = raw.frame
    n = len(src)
    col = {c: src[h] for c, h in mapping.columns.items()}
    needs_year = schema.KINERJA in mapping.kinds or schema.ASESMEN in mapping.kinds
    period_from_input = False
    if needs_year and "tahun" not in col:
        if period is None:
            raise ImportFileError(
                raw.file_name,
                "tidak ada kolom tahun/periode; isi tahun penilaian (opsi --period pada CLI, atau "
                "kolom 'Tahun' di halaman Impor Data) lalu ulangi.",
            )
        col["tahun"] = pd.Series(str(period), index=src.index, dtype="string")
        period_from_input = True

    p = _Problems()
    early = reader_problems(raw)
    p.add_rows(early)
    imported, numbers = set(mapping.columns.values()), list(raw.row_numbers)   # unreadable .xlsx cells
    p.add_rows([(numbers.index(rn), source_column(mapping, h), v, code) for rn, h, v, code in raw.cell_problems
                if h in imported and rn in numbers])
    for h in raw.header:                     # control characters, in any column
        p.add(src[h].str.contains(CONTROL_CHARS, regex=True), source_column(mapping, h), src[h], "karakter_kendali")
    out = pd.DataFrame(index=src.index)
    out["row_number"] = raw.row_numbers
    if mapping.kinds[0] in schema.SINGLE_KINDS:
        return _validate_single(raw, mapping, col, p, out, early, instansi, today)

    # NIP
    numeric = raw.numeric_cells(mapping.columns["nip"]) if raw.numeric_cells else None
    nip_code = nipmod.check(col["nip"], numeric, today=today)
    for code in nip_code.dropna().unique():
        p.add(nip_code == code, "nip", col["nip"], code)
    out["nip"] = nipmod.clean(col["nip"])

    # typed columns
    for name, series in col.items():
        if name == "nip":
            continue
        ctype = schema.COLUMNS[name].type
        present = series.notna()
        if name == "tahun":
            v = norm.year(series)
            p.add(present & v.isna(), name, series, "tahun_tidak_valid")
        elif name == "eselon":
            v = norm.eselon(series)
            no_eselon = norm.canon(series).isin(norm.NO_ESELON) | ~present
            p.add(~no_eselon & v.isna(), name, series, "eselon_tidak_valid")
        elif name in TYPE_NORMALISERS:
            fn, code = TYPE_NORMALISERS[name]
            v = fn(series)
            if code:
                p.add(present & v.isna(), name, series, code)
        elif ctype == "float":
            v = norm.number(series)
            p.add(present & v.isna(), name, series, "angka_tidak_valid")
            c = schema.COLUMNS[name]
            p.add(v.notna() & ((v < c.min) | (v > c.max)), name, series, "di_luar_rentang")
        elif ctype == "date":
            v = pd.Series(norm.date(series), index=series.index, dtype=object)
            p.add(present & v.isna(), name, series, "tanggal_tidak_valid")
            p.add(_out_of_bounds(name, v, today), name, series, "tanggal_di_luar_rentang")
        else:
            v = norm.text(series)
        out[name] = v

    kinds = mapping.kinds
    if schema.PEGAWAI in kinds:
        for req in ("nama", "opd"):
            if req in out:
                p.add(out[req].isna(), req, col.get(req), "wajib_kosong")
        if "instansi" not in out:
            out["instansi"] = instansi
        else:
            out["instansi"] = out["instansi"].fillna(instansi) if instansi else out["instansi"]
            p.add(out["instansi"].isna(), "instansi", col.get("instansi"), "wajib_kosong")
        valid_nip = nip_code.isna()
        f = nipmod.facts(out["nip"].where(valid_nip))
        for name in ("tanggal_lahir", "jenis_kelamin"):
            if name in out:
                given = out[name]
                conflict = valid_nip & given.notna() & (given.astype(object) != f[name].astype(object))
                p.add(conflict, name, col[name], "tidak_sesuai_nip")
                out[name] = given.where(given.notna(), f[name])
            else:
                out[name] = f[name]
        if "jenis_asn" in out:
            g = out["jenis_asn"]
            nip_pppk = f["jenis_asn"] == "PPPK"
            given_pppk = g.isin(["PPPK", "PPPK Paruh Waktu"])
            p.add(valid_nip & g.notna() & (nip_pppk != given_pppk), "jenis_asn", col["jenis_asn"], "tidak_sesuai_nip")
            out["jenis_asn"] = g.fillna(pd.Series(f["jenis_asn"], index=g.index))
        else:
            out["jenis_asn"] = f["jenis_asn"]
        if "tmt_cpns" not in out:
            out["tmt_cpns"] = f["tmt_cpns"]
        else:
            given, derived = pd.to_datetime(out["tmt_cpns"]), pd.to_datetime(pd.Series(f["tmt_cpns"], index=out.index))
            month = lambda d: d.dt.year * 100 + d.dt.month           # noqa: E731
            p.add(valid_nip & given.notna() & derived.notna() & (month(given) != month(derived)), "tmt_cpns",
                  col["tmt_cpns"], "tidak_sesuai_nip")
            out["tmt_cpns"] = out["tmt_cpns"].where(out["tmt_cpns"].notna(), pd.Series(f["tmt_cpns"], index=out.index))
        if "golongan" in out:
            pns_form = out["golongan"].str.contains("/", regex=False).fillna(False)
            is_pns = out["jenis_asn"] == "PNS"
            p.add(out["golongan"].notna() & (pns_form != is_pns), "golongan", col["golongan"], "golongan_tidak_valid")

    year_col = col["tahun"] if "tahun" in col else None
    if needs_year:
        p.add(out["tahun"].isna() & (year_col.isna() if year_col is not None else True), "tahun", year_col, "wajib_kosong")

    kinerja_rows = asesmen_rows = pd.Series(False, index=src.index)
    if schema.KINERJA in kinds:
        has_r = [c for c in ("rating_hasil_kerja", "rating_perilaku") if c in out]
        if "predikat" not in out:
            out["predikat"] = pd.Series(pd.NA, index=src.index, dtype="string")
        if len(has_r) == 2:
            derived = norm.predikat_from_ratings(out["rating_hasil_kerja"], out["rating_perilaku"])
            one_only = out["rating_hasil_kerja"].notna() ^ out["rating_perilaku"].notna()
            p.add(one_only & out["predikat"].isna(), "rating_perilaku", None, "rating_tidak_lengkap")
            out["predikat"] = out["predikat"].fillna(derived)
        raw_any = pd.concat([col[c].notna() for c in schema.KINERJA_VALUES if c in col], axis=1).any(axis=1)
        kinerja_rows = raw_any
        if kinds == [schema.KINERJA]:
            p.add(~raw_any, "predikat", None, "kinerja_kosong")
        appointed = pd.to_numeric(out["nip"].where(nip_code.isna()).str[8:12], errors="coerce")
        tahun = pd.to_numeric(out["tahun"], errors="coerce") if "tahun" in out else pd.Series(float("nan"), index=src.index)
        p.add(raw_any & (tahun < appointed).fillna(False), "tahun", tahun.astype("Int64").astype("string"),
              "tahun_sebelum_pengangkatan")
    if schema.ASESMEN in kinds:
        raw_any = pd.concat([col[c].notna() for c in schema.ASESMEN_SCORES if c in col], axis=1).any(axis=1)
        asesmen_rows = raw_any
        if kinds == [schema.ASESMEN]:
            p.add(~raw_any, "jpm", None, "asesmen_kosong")

    # duplicates and conflicts, among rows without other problems
    bad = p.bad_positions()
    ok = ~src.index.isin(bad)
    value_cols = [c for c in out.columns if c != "row_number"]
    key = ["nip", "tahun"] if "tahun" in out else ["nip"]
    good = out[ok]
    if len(good):
        sig = pd.util.hash_pandas_object(good[value_cols].astype("string").fillna("\x00"), index=False)
        dup = sig.duplicated(keep="first")
        first_row = good["row_number"].groupby(sig.to_numpy()).transform("first")
        p.add(pd.Series(dup.to_numpy(), index=good.index), "nip", first_row.astype("string"), "baris_ganda")
        rest = good[~dup.to_numpy()]
        groups = [key]
        if key != ["nip"] and schema.PEGAWAI in kinds:
            groups.append(["nip"])  # employee facts must agree across the years of one NIP
        for g in groups:
            cols = value_cols if g == key else [c for c in schema.PEGAWAI_COLUMNS if c in rest]
            distinct = rest.drop_duplicates(subset=cols)
            n_per_key = distinct.groupby(g, dropna=False)["row_number"].transform("size")
            conflict_keys = distinct[n_per_key.to_numpy() > 1][g].drop_duplicates()
            if len(conflict_keys):
                m = rest.reset_index().merge(conflict_keys, on=g)["index"]
                rows_per_nip = rest.loc[m].groupby("nip")["row_number"].agg(lambda r: ", ".join(map(str, r)))
                mask = pd.Series(src.index.isin(m), index=src.index)
                p.add_conflicts(mask, "nip", out["nip"].map(rows_per_nip), "nip_konflik", out, g, cols, mapping)

    problems = p.frame()
    unreadable = {pos for pos, _, _, code in early if code in READER_CODES}
    problems = problems[~(problems["pos"].isin(unreadable) & ~problems["code"].isin(READER_CODES))]
    rejected = _rejected_rows(problems, raw, mapping, out)
    bad = pd.Index(problems["pos"].unique())
    accepted = out[~out.index.isin(bad)]
    frames: dict[str, pd.DataFrame] = {}
    if schema.PEGAWAI in kinds:
        cols = [c for c in schema.PEGAWAI_COLUMNS if c in accepted]
        frames[schema.PEGAWAI] = accepted[cols + ["row_number"]].drop_duplicates(subset=["nip"])
    if schema.KINERJA in kinds:
        cols = [c for c in schema.KINERJA_COLUMNS if c in accepted]
        frames[schema.KINERJA] = accepted.loc[kinerja_rows[accepted.index], cols + ["row_number"]]
    if schema.ASESMEN in kinds:
        cols = [c for c in schema.ASESMEN_COLUMNS if c in accepted]
        frames[schema.ASESMEN] = accepted.loc[asesmen_rows[accepted.index], cols + ["row_number"]]
    return Validated(mapping, frames, rejected, n, period_from_input)


def _rejected_rows(problems: pd.DataFrame, raw: RawTable, mapping: HeaderMapping,
                   out: pd.DataFrame) -> pd.DataFrame:
    cols = ["row_number", "nip", "reason_codes", "columns", "message", "original"]
    if problems.empty:
        return pd.DataFrame(columns=cols)
    problems = problems.sort_values(["pos"], kind="stable")
    rows = []
    original = raw.frame
    for pos, grp in problems.groupby("pos", sort=True):
        rn = int(raw.row_numbers[pos])
        msgs, codes, columns = [], [], []
        for column, value, code in zip(grp["column"], grp["value"], grp["code"]):
            header = None if column is None or column is pd.NA or column != column else \
                mapping.columns.get(column, schema.COLUMNS[column].label if column in schema.COLUMNS else column)
            msgs.append(problem_message(rn, header, value, code))
            codes.append(code)
            if header is not None:
                columns.append(header)
        orig = {k: (None if pd.isna(v) else str(v)) for k, v in original.loc[pos].items()}
        nip_raw = original.loc[pos, mapping.columns.get("nip") or mapping.columns["pemangku_nip"]]
        rows.append({
            "row_number": rn,
            "nip": None if pd.isna(nip_raw) else str(nip_raw),
            "reason_codes": list(dict.fromkeys(codes)),
            "columns": list(dict.fromkeys(columns)),
            # each sentence once (changed after the DuckDB validator was written: a row conflicting both
            # per (nip, tahun) and per nip was told twice; both validators repeated it, in different cases)
            "message": " ".join(dict.fromkeys(msgs)),
            "original": json.dumps(orig, ensure_ascii=False),
        })
    return pd.DataFrame(rows, columns=cols)


def _out_of_bounds(name: str, v: pd.Series, today) -> pd.Series:
    first, last = schema.date_bounds(name, today or _dt.date.today())
    return pd.Series([not pd.isna(d) and (d < first or d > last) for d in v], index=v.index, dtype=bool)


def _validate_single(raw: RawTable, mapping: HeaderMapping, col: dict, p: _Problems, out: pd.DataFrame,
                     early: list, instansi: str, today) -> Validated:
    """Riwayat jabatan, hukuman disiplin, diklat, formasi: the rules of docs/import.md, row by column."""
    src = raw.frame
    kind = mapping.kinds[0]
    formasi = kind == schema.FORMASI
    nip_col = "pemangku_nip" if formasi else "nip"
    numeric = raw.numeric_cells(mapping.columns[nip_col]) if raw.numeric_cells else None
    nip_code = nipmod.check(col[nip_col], numeric, today=today)
    if formasi:
        nip_code = nip_code.where(col[nip_col].notna())          # an empty pemangku: a vacant post
    for code in nip_code.dropna().unique():
        p.add(nip_code == code, nip_col, col[nip_col], code)
    out[nip_col] = nipmod.clean(col[nip_col])
    bad_value: dict[str, pd.Series] = {}
    for name, series in col.items():
        if name == nip_col:
            continue
        present = series.notna()
        code = None
        if name == "tahun":
            v = norm.year(series, *schema.DIKLAT_YEARS) if kind == schema.DIKLAT else norm.year(series)
            code = "tahun_diklat_tidak_valid" if kind == schema.DIKLAT else "tahun_tidak_valid"
        elif name == "eselon":
            v = norm.eselon(series)
            present = present & ~norm.canon(series).isin(norm.NO_ESELON).fillna(False)
            code = "eselon_tidak_valid"
        elif name in TYPE_NORMALISERS:
            fn, code = TYPE_NORMALISERS[name]
            v = fn(series)
        elif schema.COLUMNS[name].type == "date":
            v = pd.Series(norm.date(series), index=series.index, dtype=object)
            code = "tanggal_tidak_valid"
            p.add(_out_of_bounds(name, v, today), name, series, "tanggal_di_luar_rentang")
        else:
            v = norm.text(series)
        bad = (present & v.isna()) if code else pd.Series(False, index=series.index)
        p.add(bad, name, series, code)
        bad_value[name] = bad
        out[name] = v
    for req in schema.KIND_REQUIRED[kind]:
        p.add(out[req].isna() & ~bad_value[req], req, col[req], "wajib_kosong")
    if "tmt_mulai" in out and "tmt_selesai" in out:
        both = out["tmt_mulai"].notna() & out["tmt_selesai"].notna()
        later = pd.Series([bool(b) and e < s for b, s, e in zip(both, out["tmt_mulai"], out["tmt_selesai"])],
                          index=out.index)
        p.add(later, "tmt_selesai", col["tmt_selesai"], "tmt_selesai_sebelum_mulai")
    if formasi:
        if "instansi" not in out:
            out["instansi"] = instansi
        elif instansi:
            out["instansi"] = out["instansi"].fillna(instansi)
        else:
            p.add(out["instansi"].isna(), "instansi", col["instansi"], "wajib_kosong")
        out["kritikal"] = (out["kritikal"] == "true").fillna(False).astype(bool) if "kritikal" in out else False
    if kind == schema.DIKLAT:
        given = out["jenis_diklat"] if "jenis_diklat" in out else pd.Series(pd.NA, index=out.index, dtype="string")
        out["jenis_diklat"] = given.fillna(norm.leadership(out["nama_diklat"]))

    order = [c for c in schema.KIND_COLUMNS[kind] if c in out]
    key = schema.KIND_KEYS[kind]
    good = out[~src.index.isin(p.bad_positions())]
    if len(good):
        sig = pd.util.hash_pandas_object(good[order].astype("string").fillna("\x00"), index=False)
        dup = sig.duplicated(keep="first")
        first_row = good["row_number"].groupby(sig.to_numpy()).transform("first")
        p.add(pd.Series(dup.to_numpy(), index=good.index), key[0], first_row.astype("string"), "baris_ganda")
        rest = good[~dup.to_numpy()]
        n_key = rest.groupby(key, dropna=False)["row_number"].transform("size")
        clash = rest[n_key.to_numpy() > 1]
        listed = clash.groupby(key, dropna=False)["row_number"].transform(lambda r: ", ".join(map(str, r)))
        p.add_conflicts(pd.Series(src.index.isin(clash.index), index=src.index), key[0],
                        listed.reindex(src.index), CONFLICT_CODES[kind], out, key, order, mapping)
        if formasi:
            held = rest[rest["pemangku_nip"].notna()]
            posts = held.drop_duplicates(subset=["pemangku_nip"] + key).groupby("pemangku_nip").size()
            twice = held[held["pemangku_nip"].isin(posts[posts > 1].index)]
            listed = twice.groupby("pemangku_nip")["row_number"].transform(lambda r: ", ".join(map(str, r)))
            p.add(pd.Series(src.index.isin(twice.index), index=src.index), "pemangku_nip",
                  listed.reindex(src.index), "pemangku_ganda")

    problems = p.frame()
    unreadable = {pos for pos, _, _, code in early if code in READER_CODES}
    problems = problems[~(problems["pos"].isin(unreadable) & ~problems["code"].isin(READER_CODES))]
    rejected = _rejected_rows(problems, raw, mapping, out)
    accepted = out[~out.index.isin(pd.Index(problems["pos"].unique()))]
    return Validated(mapping, {kind: accepted[order + ["row_number"]]}, rejected, len(src), False)
