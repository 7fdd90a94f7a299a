"""Profil talenta: one person on one page for the Komite Talenta.

Everything is read by point lookups on ``nip`` (``talenta.lookup``), never by scanning the population:
the box per period is placed with ``rules.place``, the reference implementation the talent-map SQL is
tested against, from the person's own SKP and assessment rows. Access: the person must be inside the
viewer's scope, and a masked scope (``tamu``, presentation mode) gets no profile at all.
"""
from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field

import pandas as pd

from . import export_safe, fmt, labels, rules, store
from . import nip as nipmod
from .errors import AccessDenied, UsageError
from .rules import RuleSet
from .scope import Scope

SECTIONS = ("nip", "nama", "opd", "jabatan", "kotak_per_periode", "kinerja", "asesmen", "hipo", "suksesi",
            "kalibrasi")
"""The keys of the JSON profile (``profile --out FILE.json``): a contract with analysts' scripts."""

COMPONENTS = {"nilai_potensi": "Potensi", "nilai_manajerial": "Kompetensi manajerial",
              "nilai_sosial_kultural": "Kompetensi sosial kultural", "nilai_teknis": "Kompetensi teknis"}


@dataclass
class Profile:
    """One person's profile for ``period`` under ``rule_set``; frames are empty when nothing is recorded."""

    nip: str
    period: int
    rule_set: str
    identity: dict
    boxes: pd.DataFrame          # periode, kotak (in force), label, skor_kinerja, skor_potensial, krs, alasan,
                                 # kotak_terhitung, kotak_terkalibrasi (where the committee's box differs)
    kinerja: pd.DataFrame        # tahun, predikat, nilai_kinerja, rating_hasil_kerja, rating_perilaku
    asesmen: pd.DataFrame        # tahun, jpm, components, kategori_jpm, rekomendasi_asesmen, kategori_potensial
    riwayat_jabatan: pd.DataFrame
    diklat: pd.DataFrame
    hukuman_disiplin: pd.DataFrame
    hipo: dict = field(default_factory=dict)
    suksesi: pd.DataFrame = field(default_factory=pd.DataFrame)
    kalibrasi: pd.DataFrame = field(default_factory=pd.DataFrame)
    saran: list[str] = field(default_factory=list)

    @property
    def current(self) -> dict:
        """The placement of ``period`` (box, label, scores, reason)."""
        row = self.boxes[self.boxes["periode"] == self.period]
        return row.iloc[0].to_dict() if len(row) else {}


# the person's rows, table by table: (table, order); one query reads them all by index lookups
_TABLES = {"employee": "nip", "performance": "tahun", "assessment": "tahun", "riwayat_jabatan": "tmt_mulai DESC",
           "diklat": "tahun DESC, nama_diklat", "hukuman_disiplin": "tmt_mulai DESC"}


def _fetch(con, scope: Scope, nip: str) -> dict[str, pd.DataFrame]:
    """Every row of ``nip`` in the tables a profile shows, in one round trip; the employee row only when
    inside ``scope`` (an empty employee frame means outside it or unknown: the caller cannot tell which)."""
    where, params = scope.where("e")
    parts = []
    for table, order in _TABLES.items():
        cond = "e.nip = $nip" + (" AND " + where if table == "employee" else "")
        parts.append("(SELECT coalesce(list(x ORDER BY " + ", ".join("x." + o for o in order.split(", ")) +
                     "), []) FROM (SELECT * EXCLUDE (batch_id, row_number) FROM " + table + " e WHERE " + cond +
                     ") x) AS " + table)
    parts.append("(SELECT coalesce(list(x ORDER BY x.decision_id DESC), []) FROM (SELECT decision_id, tahun, "
                 "keputusan, catatan, oleh, pada FROM hipo_decision e WHERE e.nip = $nip) x) AS hipo_decision")
    # every calibration move of the person, newest first (sql/011: append-only)
    # (with the session's instansi and whether it is closed: which move is in force depends on the basis)
    parts.append("(SELECT coalesce(list(x ORDER BY x.event_id DESC), []) FROM (SELECT ev.event_id, s.periode, "
                 "ev.kotak_terhitung, ev.kotak_ke AS kotak_terkalibrasi, ev.kode_alasan, ev.alasan AS alasan_kalibrasi, "
                 "ev.oleh, ev.pada, s.instansi AS instansi_sesi, coalesce((SELECT arg_max(c.jenis, c.event_id) FROM "
                 "kalibrasi_event c WHERE c.sesi_id = s.sesi_id AND c.jenis IN ('tetapkan', 'buka_kembali')) "
                 "= 'tetapkan', false) AS sesi_ditetapkan FROM kalibrasi_event ev JOIN kalibrasi_sesi s USING (sesi_id) "
                 "WHERE ev.nip = $nip AND ev.jenis = 'pindah') x) AS kalibrasi")
    # the succession workflow steps naming the person (sql/010), with the post's name when a formasi holds it
    parts.append("(SELECT coalesce(list(x ORDER BY x.decision_id DESC), []) FROM (SELECT d.decision_id, "
                 "d.periode, d.jabatan_id, f.jabatan AS jabatan_target, f.opd AS opd_target, d.langkah, "
                 "d.peringkat, d.kesiapan, d.alasan, d.justifikasi, d.oleh, d.pada FROM succession_decision d "
                 "LEFT JOIN formasi f USING (jabatan_id) WHERE d.nip = $nip) x) AS suksesi")
    row = store.query_one(con, "SELECT " + ", ".join(parts), {**params, "nip": nip})
    names = list(_TABLES) + ["hipo_decision", "kalibrasi", "suksesi"]
    out = {}
    for name, rows in zip(names, row):
        df = pd.DataFrame(rows)
        out[name] = df.drop(columns=[c for c in ("nip", "decision_id", "event_id") if c in df])
    return out


def find(con, scope: Scope, text: str, limit: int = 20) -> pd.DataFrame:
    """People in ``scope`` whose NIP starts with ``text`` or whose name contains it (for the search box).
    A masked scope finds nobody."""
    if scope.mask_identity or not text.strip():
        return pd.DataFrame(columns=["nip", "nama", "opd", "jabatan"])
    where, params = scope.where("e")
    t = text.strip()
    sql = ("SELECT e.nip, e.nama, e.opd, e.jabatan FROM employee e WHERE " + where +
           (" AND e.nip = $t" if t.isdigit() and len(t) == 18 else
            " AND (starts_with(e.nip, $t) OR contains(lower(e.nama), lower($t)))") +
           " ORDER BY e.nama, e.nip LIMIT $limit")
    return store.query_df(con, sql, {**params, "t": t, "limit": limit})


def bup_date(birth: dt.date | None, eselon: str | None, jabatan: str | None) -> tuple[int | None, dt.date | None]:
    """(BUP age, retirement date): the first day of the month after the BUP birthday (``rules.bup_age``)."""
    if birth is None or pd.isna(birth):
        return None, None
    age = rules.bup_age(eselon, jabatan)
    return age, rules.retirement_date(birth, age)


def _age(birth, on: dt.date) -> int | None:
    if birth is None or pd.isna(birth):
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _boxes(kin: pd.DataFrame, ases: pd.DataFrame, periods: list[int], rs: RuleSet) -> pd.DataFrame:
    records = [(int(r.tahun), None if pd.isna(r.predikat) else r.predikat,
                None if pd.isna(r.nilai_kinerja) else float(r.nilai_kinerja)) for r in kin.itertuples()]
    assessments = [{"tahun": int(r["tahun"]), **{c: (None if pd.isna(r[c]) else float(r[c]))
                                                 for c in ("jpm", *rules.SCORE_COLUMNS)}}
                   for _, r in ases.iterrows()]
    out = []
    for t in periods:
        p = rules.place(t, records, assessments, rs)
        box = rules.BOX.get(p.box) if p.box else None
        out.append({"periode": t, "kotak": p.box, "label": box.label if box else None,
                    "skor_kinerja": p.skor_kinerja, "skor_potensial": p.skor_potensial,
                    "krs": bool(box and box.number in rules.KRS_BOXES), "alasan": p.alasan})
    df = pd.DataFrame(out, columns=["periode", "kotak", "label", "skor_kinerja", "skor_potensial", "krs", "alasan"])
    df["kotak"] = df["kotak"].astype("Int64")
    return df


def _in_force(boxes: pd.DataFrame, cal: pd.DataFrame, instansi, basis: str) -> pd.DataFrame:
    """``kotak`` becomes the box in force under ``basis`` (``Filters.basis``), as every count shows it
    (``population.CALIBRATED``); ``kotak_terhitung`` keeps the computed box and ``kotak_terkalibrasi`` the
    Komite Talenta's box where it differs. Label and KRS follow the box in force (review 9, 1: the banner, the
    advice, the form and the JSON said box 9 and KRS for a person calibrated to box 6).

    Per period the person's latest move in the session of their instansi counts; a move back to the box computed
    when it was made cancels; only a placed person is moved. ``terkalibrasi``: every session's moves;
    ``otomatis``: a closed session's only; ``terhitung``: none."""
    boxes = boxes.assign(kotak_terhitung=boxes["kotak"], kotak_terkalibrasi=pd.array([pd.NA] * len(boxes), "Int64"))
    if not cal.empty:
        mine = cal[cal["instansi_sesi"] == instansi].drop_duplicates("periode").set_index("periode")
        mine = mine[mine["kotak_terkalibrasi"] != mine["kotak_terhitung"]]
        moved = boxes["periode"].map(mine["kotak_terkalibrasi"]).astype("Int64")
        moved[boxes["kotak"].isna()] = pd.NA
        boxes["kotak_terkalibrasi"] = moved.where(moved != boxes["kotak"])
        closed = boxes["periode"].map(mine["sesi_ditetapkan"]).fillna(False).astype(bool)
        use = boxes["kotak_terkalibrasi"].notna() & ((closed & (basis == "otomatis")) | (basis == "terkalibrasi"))
        boxes.loc[use, "kotak"] = boxes.loc[use, "kotak_terkalibrasi"]
        for i in boxes.index[use]:
            b = rules.BOX[int(boxes.at[i, "kotak"])]
            boxes.at[i, "label"], boxes.at[i, "krs"] = b.label, b.number in rules.KRS_BOXES
    return boxes


def _category(score, rs: RuleSet) -> str | None:
    if score is None or pd.isna(score):
        return None
    return rules.POTENSIAL_LABEL[rules.POTENSIAL_LEVELS[rules.potensial_level(float(score), rs)]]


def suggestions(current: dict, asesmen: pd.DataFrame) -> list[str]:
    """Development suggestions: the box's rekomendasi (PermenPANRB 3/2020) and the weakest components
    of the latest assessment (the two lowest scores)."""
    out = []
    box = current.get("kotak")
    if box is not None and not pd.isna(box):
        out.append(f"Kotak {int(box)} ({rules.BOX[int(box)].label}): {rules.BOX[int(box)].rekomendasi}.")
    if len(asesmen):
        last = asesmen.sort_values("tahun").iloc[-1]
        scores = [(float(last[c]), name) for c, name in COMPONENTS.items() if c in last and not pd.isna(last[c])]
        weakest = sorted(scores)[:2]
        if weakest:
            out.append("Pengembangan pada komponen terlemah asesmen " + str(int(last["tahun"])) + ": " +
                       "; ".join(f"{name} ({fmt.short(v)})" for v, name in weakest) + ".")
    return out


def build(con, scope: Scope, nip: str, period: int, rs: RuleSet, *, periods: list[int] | None = None,
          today: dt.date | None = None, hipo: dict | None = None, extra: dict | None = None,
          basis: str = "otomatis") -> Profile:
    """The profile of ``nip`` as ``scope`` may see it; ``AccessDenied`` outside the scope or when masked.
    ``basis`` (``Filters.basis``) says which box is in force: ``kotak`` of every period (``_in_force``).

    ``periods`` are the periods of the trajectory (default: every period with data up to ``period``);
    ``hipo`` is the high-potential flag of the fitted model when the caller has it (flag, alasan,
    keyakinan); ``extra`` may hold ``suksesi`` and ``kalibrasi`` frames from their modules.
    """
    nip = nipmod.typed(nip)
    if scope.mask_identity:
        raise AccessDenied("Profil perorangan tidak tersedia dalam tampilan tersamar (peran tamu atau mode presentasi).")
    if not nip.isdigit():
        raise UsageError(f"NIP '{nip}' tidak sah: NIP terdiri atas 18 angka.")
    rows = _fetch(con, scope, nip)
    if rows["employee"].empty:
        raise AccessDenied(f"NIP {nip} tidak ditemukan dalam cakupan data Anda.")
    person = rows["employee"].iloc[0].to_dict()
    person["nip"] = nip
    kin, ases = rows["performance"], rows["assessment"]
    if periods is None:
        years = [int(t) for t in kin.get("tahun", [])] + [int(t) for t in ases.get("tahun", [])]
        first = min([t for t in years if t <= period], default=period)
        periods = list(range(max(first, period - 9), period + 1))   # at most the last ten periods
    boxes = _in_force(_boxes(kin, ases, sorted(set(periods)), rs), rows["kalibrasi"], person.get("instansi"), basis)
    if len(ases):
        score = [rules.potensial_score(None if pd.isna(r["jpm"]) else r["jpm"], rs,
                                       **{c: None if pd.isna(r[c]) else r[c] for c in rules.SCORE_COLUMNS})
                 for _, r in ases.iterrows()]
        ases = ases.assign(skor_potensial=score, kategori_potensial=[_category(s, rs) for s in score])
    today = today or dt.date.today()
    identity = {k: (None if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)) else v)
                for k, v in person.items() if k not in ("batch_id", "row_number")}
    age, bup = bup_date(identity.get("tanggal_lahir"), identity.get("eselon"), identity.get("jabatan"))
    identity.update({"usia": _age(identity.get("tanggal_lahir"), today), "bup_usia": age, "bup_tanggal": bup})
    prof = Profile(nip=nip, period=period, rule_set=rs.label, identity=identity, boxes=boxes, kinerja=kin,
                   asesmen=ases, riwayat_jabatan=rows["riwayat_jabatan"], diklat=rows["diklat"],
                   hukuman_disiplin=rows["hukuman_disiplin"], hipo={**(hipo or {}), "keputusan": rows["hipo_decision"]},
                   kalibrasi=rows["kalibrasi"].drop(columns=["instansi_sesi", "sesi_ditetapkan"], errors="ignore"),
                   suksesi=rows["suksesi"], **(extra or {}))
    prof.saran = suggestions(prof.current, ases)
    return prof


# --- outputs ------------------------------------------------------------------------------------

def _records(df: pd.DataFrame) -> list[dict]:
    if df is None or df.empty:
        return []
    return json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))


def to_dict(p: Profile) -> dict:
    """The JSON form: the keys of ``SECTIONS`` first, then the other sections."""
    ident = {k: (v.isoformat() if isinstance(v, (dt.date, dt.datetime, pd.Timestamp)) else v)
             for k, v in p.identity.items()}
    hipo = {k: v for k, v in p.hipo.items() if k != "keputusan"}
    hipo["keputusan"] = _records(p.hipo.get("keputusan"))
    return {
        "nip": p.nip, "nama": ident.get("nama"), "opd": ident.get("opd"), "jabatan": ident.get("jabatan"),
        "kotak_per_periode": _records(p.boxes), "kinerja": _records(p.kinerja), "asesmen": _records(p.asesmen),
        "hipo": hipo, "suksesi": _records(p.suksesi), "kalibrasi": _records(p.kalibrasi),
        "periode": p.period, "aturan": p.rule_set, "identitas": ident,
        "riwayat_jabatan": _records(p.riwayat_jabatan), "diklat": _records(p.diklat),
        "hukuman_disiplin": _records(p.hukuman_disiplin), "saran_pengembangan": p.saran,
    }


def to_json(p: Profile) -> bytes:
    return json.dumps(to_dict(p), ensure_ascii=False, indent=2, default=str).encode("utf-8")


def to_xlsx(p: Profile) -> bytes:
    """A workbook: one sheet per section, Indonesian headers, values as typed cells (text stays text)."""
    d = to_dict(p)
    ident = pd.DataFrame([(labels.label(k), "" if v is None else str(v)) for k, v in d["identitas"].items()],
                         columns=["Data", "Nilai"])
    sheets = {"Identitas": ident, "Kotak per periode": p.boxes, "Kinerja": p.kinerja, "Asesmen": p.asesmen,
              "Riwayat jabatan": p.riwayat_jabatan, "Diklat": p.diklat, "Hukuman disiplin": p.hukuman_disiplin,
              "Potensi tinggi": p.hipo.get("keputusan", pd.DataFrame()), "Suksesi": p.suksesi,
              "Kalibrasi": p.kalibrasi, "Saran": pd.DataFrame({"Saran pengembangan": p.saran})}
    buf = io.BytesIO()
    with export_safe.xlsx_writer(buf) as xw:
        for name, df in sheets.items():
            if df is None or df.empty:
                df = pd.DataFrame({"Keterangan": ["Tidak ada data."]})
            df = export_safe.xlsx_frame(labels.relabel(df))
            df.to_excel(xw, sheet_name=name, index=False)
            export_safe.mark_formula_text(xw, name, df)       # text as typed, kept a string
    return buf.getvalue()


def print_html(p: Profile) -> str:
    """A one-page, print-ready form (A4) for the committee pack: every value HTML-escaped."""
    from .escape import html as h
    from .fmt import num

    i = p.identity
    cur = p.current

    def val(v, digits: int = 0):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return "–"
        if isinstance(v, float):
            return h(num(v, digits))
        if isinstance(v, (dt.date, pd.Timestamp)):
            return h(pd.Timestamp(v).strftime("%d-%m-%Y"))
        return h(v)

    def table(df: pd.DataFrame, cols: dict[str, str], digits: int = 2) -> str:
        if df is None or df.empty:
            return "<p class='none'>Tidak ada data.</p>"
        head = "".join(f"<th>{h(t)}</th>" for t in cols.values())
        rows = "".join("<tr>" + "".join(f"<td>{val(r.get(c), digits)}</td>" for c in cols) + "</tr>"
                       for r in df.to_dict("records"))
        return f"<table><tr>{head}</tr>{rows}</table>"

    name = " ".join(x for x in (i.get("gelar_depan"), i.get("nama")) if x) + (
        f", {i['gelar_belakang']}" if i.get("gelar_belakang") else "")
    facts = [("NIP", p.nip), ("OPD", i.get("opd")), ("Unit kerja", i.get("unit_kerja")), ("Jabatan", i.get("jabatan")),
             ("Eselon", i.get("eselon")), ("Golongan", i.get("golongan")), ("Pendidikan", i.get("pendidikan")),
             ("TMT CPNS", i.get("tmt_cpns")), ("TMT jabatan", i.get("tmt_jabatan")), ("Usia", i.get("usia")),
             ("BUP", f"{i.get('bup_usia')} tahun, {pd.Timestamp(i['bup_tanggal']).strftime('%d-%m-%Y')}"
              if i.get("bup_tanggal") else None)]
    box = cur.get("kotak")
    headline = (f"Kotak {int(box)} · {cur.get('label')}" if box is not None and not pd.isna(box)
                else f"Belum terpetakan: {cur.get('alasan') or '–'}")
    hipo_rows = p.hipo.get("keputusan", pd.DataFrame())
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Profil talenta {h(p.nip)}</title>
<style>
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: "Source Sans Pro", Arial, sans-serif; font-size: 10pt; color: #1f2933; margin: 0; }}
h1 {{ font-size: 15pt; margin: 0 0 2mm; }} h2 {{ font-size: 11pt; margin: 4mm 0 1mm; border-bottom: 1px solid #9aa5b1; }}
.head {{ font-size: 12pt; font-weight: 600; padding: 2mm; background: #f0f4f8; margin: 2mm 0; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 1px solid #cbd2d9; padding: 1mm 1.5mm; text-align: left; }}
th {{ background: #f0f4f8; }} .facts td:first-child {{ width: 28%; color: #52606d; }} .none {{ color: #7b8794; margin: 0; }}
.foot {{ margin-top: 4mm; color: #7b8794; font-size: 8pt; }} .sign td {{ height: 14mm; vertical-align: bottom; }}
</style></head><body>
<h1>Profil Talenta: {h(name)}</h1>
<div class="head">{h(headline)} (periode {p.period})</div>
<table class="facts">{''.join(f'<tr><td>{h(k)}</td><td>{val(v)}</td></tr>' for k, v in facts)}</table>
<h2>Kotak per periode</h2>{table(p.boxes, {'periode': 'Periode', 'kotak': 'Kotak', 'kotak_terhitung': 'Kotak terhitung', 'label': 'Label', 'skor_kinerja': 'Skor kinerja', 'skor_potensial': 'Skor potensial'})}
<h2>Kinerja (SKP)</h2>{table(p.kinerja, {'tahun': 'Tahun', 'predikat': 'Predikat', 'nilai_kinerja': 'Nilai'})}
<h2>Asesmen</h2>{table(p.asesmen, {'tahun': 'Tahun', 'jpm': 'JPM', **COMPONENTS, 'kategori_jpm': 'Kategori'})}
<h2>Riwayat jabatan, diklat, hukuman disiplin</h2>
{table(p.riwayat_jabatan, {'jabatan': 'Jabatan', 'opd': 'OPD', 'tmt_mulai': 'Mulai', 'tmt_selesai': 'Selesai'})}
{table(p.diklat, {'nama_diklat': 'Diklat', 'jenis_diklat': 'Jenis', 'tahun': 'Tahun'})}
{table(p.hukuman_disiplin, {'tingkat': 'Tingkat', 'jenis_hukuman': 'Jenis', 'tmt_mulai': 'Mulai', 'tmt_selesai': 'Selesai'})}
<h2>Potensi tinggi, suksesi, kalibrasi</h2>
{table(hipo_rows, {'tahun': 'Tahun', 'keputusan': 'Keputusan', 'catatan': 'Catatan', 'oleh': 'Oleh'})}
{table(p.suksesi, {c: labels.label(c) for c in p.suksesi.columns[:6]}) if not p.suksesi.empty else ''}
{table(p.kalibrasi, {c: labels.label(c) for c in p.kalibrasi.columns[:6]}) if not p.kalibrasi.empty else ''}
<h2>Saran pengembangan</h2><ul>{''.join(f'<li>{h(s)}</li>' for s in p.saran) or '<li>–</li>'}</ul>
<h2>Catatan Komite Talenta</h2><table class="sign"><tr><td style="height:18mm"></td></tr></table>
<table class="sign"><tr><td>Ketua Komite</td><td>Anggota</td><td>Anggota</td></tr></table>
<p class="foot">Talenta · {h(p.rule_set)} · dicetak {dt.date.today().strftime('%d-%m-%Y')} · dokumen rahasia (UU 27/2022 PDP)</p>
</body></html>"""
