"""Deterministic synthetic ASN data shaped like Pemerintah Kota Palembang's (no real people).

``generate(n, seed)`` builds the population in memory (vectorised numpy); ``write_files`` writes
it in the shapes real data arrives in: a SIASN-style employee CSV, e-Kinerja style SKP workbooks
with a title block above the header (header on row 8), and an assessment-results workbook.
``build`` writes the files and imports them through the same import path users use.

Proportions follow ``domain.md``: about 21,700 ASN (PNS 42.6 %, PPPK 47.4 %, PPPK Paruh Waktu 10 %),
the OPD list of Palembang with the 18 kecamatan, Pendidikan and Kesehatan by far the largest,
about 63 % fungsional, 31 % pelaksana and 6 % struktural.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import rules

PERIODS = (2023, 2024, 2025)
REF_DATE = dt.date(2025, 12, 31)

KECAMATAN = [
    "Alang-Alang Lebar", "Bukit Kecil", "Gandus", "Ilir Barat I", "Ilir Barat II", "Ilir Timur I",
    "Ilir Timur II", "Ilir Timur III", "Jakabaring", "Kalidoni", "Kemuning", "Kertapati", "Plaju", "Sako",
    "Seberang Ulu I", "Seberang Ulu II", "Sematang Borang", "Sukarami",
]
# (name, weight for PNS, PPPK, PPPK Paruh Waktu, kind) kind: dinas | besar | rsud | kecamatan | setda
OPD_TABLE = [
    ("Sekretariat Daerah", 4, 1.5, 3, "setda"), ("Sekretariat DPRD", 1.2, 0.5, 2, "dinas"),
    ("Inspektorat", 1.2, 0.3, 0.5, "dinas"), ("Bappeda", 1.0, 0.3, 0.5, "dinas"),
    ("BPKAD", 1.5, 0.4, 1, "dinas"), ("Bapenda", 1.8, 0.6, 2, "dinas"), ("BKPSDM", 1.0, 0.3, 0.5, "dinas"),
    ("Kesbangpol", 0.6, 0.2, 0.5, "dinas"), ("BPBD", 0.7, 0.3, 1.5, "dinas"),
    ("Dinas Pendidikan", 95, 150, 45, "besar"), ("Dinas Kesehatan", 28, 40, 8, "besar"),
    ("Dinas PUPR", 2.5, 0.8, 6, "besar"), ("Dinas Perkimtan", 1.2, 0.4, 2, "dinas"),
    ("Dinas Perhubungan", 2.0, 1.0, 8, "dinas"), ("Dinas Sosial", 1.0, 0.5, 2, "dinas"),
    ("Dinas Pemadam Kebakaran dan Penyelamatan", 1.5, 1.5, 6, "dinas"),
    ("Dinas Ketenagakerjaan", 0.7, 0.2, 0.5, "dinas"), ("DPPPA dan Pemberdayaan Masyarakat", 0.8, 0.3, 1, "dinas"),
    ("Dinas PPKB", 1.0, 0.8, 1, "dinas"), ("Disdukcapil", 1.5, 0.6, 3, "dinas"),
    ("Dinas Pertanian dan Ketahanan Pangan", 1.2, 0.6, 1, "dinas"), ("Dinas Perikanan", 0.7, 0.3, 0.5, "dinas"),
    ("Dinas Koperasi dan UKM", 0.7, 0.2, 0.5, "dinas"), ("Dinas Perdagangan", 1.0, 0.3, 2, "dinas"),
    ("Dinas Perindustrian", 0.6, 0.2, 0.5, "dinas"), ("DPMPTSP", 0.9, 0.3, 1, "dinas"),
    ("Dinas Lingkungan Hidup dan Kebersihan", 2.5, 1.0, 25, "besar"), ("Dinas Pariwisata", 0.7, 0.2, 0.8, "dinas"),
    ("Dinas Kebudayaan", 0.6, 0.2, 0.8, "dinas"), ("Dispora", 0.7, 0.3, 1, "dinas"),
    ("Diskominfo", 0.9, 0.5, 1.5, "dinas"), ("Dinas Kearsipan dan Perpustakaan", 0.8, 0.3, 1, "dinas"),
    ("Satpol PP", 2.5, 1.0, 12, "dinas"), ("RSUD Palembang BARI", 6, 8, 3, "rsud"),
    ("RSUD Gandus", 2, 3, 1, "rsud"),
] + [(f"Kecamatan {k}", 2.2, 0.8, 4, "kecamatan") for k in KECAMATAN]

# struktural posts per OPD kind: (JPT Pratama, Administrator, Pengawas)
POSTS = {"setda": (4, 12, 34), "besar": (1, 10, 52), "rsud": (1, 6, 16), "dinas": (1, 5, 13),
         "kecamatan": (0, 8, 14)}
# probability that a non-struktural employee is fungsional, per OPD kind and jenis ASN
P_FUNGSIONAL = {"besar": 0.88, "rsud": 0.8, "dinas": 0.3, "setda": 0.22, "kecamatan": 0.15}

MALE = ["Muhammad", "Ahmad", "Rizky", "Andi", "Dedi", "Hendra", "Fajar", "Agus", "Budi", "Yudi", "Iwan",
        "Rahmat", "Taufik", "Arif", "Hadi", "Joko", "Bambang", "Eko", "Hari", "Irwan", "Zulkifli", "Firdaus",
        "Yusuf", "Ridwan", "Dimas", "Aditya", "Bayu", "Rudi", "Hasan", "Ilham", "Wahyu", "Syahrial", "Herman",
        "Darmawan", "Kms.", "Mgs.", "Rendi", "Fikri", "Ikhsan", "Teguh", "Doni", "Yoga", "Aldi", "Farhan"]
FEMALE = ["Siti", "Nur", "Dewi", "Sri", "Rina", "Yuni", "Fitri", "Dian", "Ratna", "Lestari", "Putri", "Indah",
          "Wulan", "Ayu", "Rahma", "Nurul", "Novita", "Mega", "Desi", "Yulia", "Eka", "Maya", "Ani", "Lia",
          "Rini", "Wati", "Yanti", "Anisa", "Citra", "Intan", "Dwi", "Tri", "Sari", "Nyimas", "Ria", "Vina",
          "Febri", "Laila", "Hafizah", "Zahra", "Melati", "Kartika"]
MIDDLE = ["", "", "", "Nur", "Dwi", "Tri", "Eka", "Adi", "Putra", "Indah", "Ayu", "Agung", "Dewi", "Rahmat",
          "Sri", "Hadi", "Citra", "Bima", "Sukma"]
LAST_M = ["Saputra", "Pratama", "Wijaya", "Hidayat", "Kurniawan", "Santoso", "Setiawan", "Gunawan",
          "Syahputra", "Ramadhan", "Firmansyah", "Hasibuan", "Siregar", "Nasution", "Harahap", "Sitompul",
          "Panjaitan", "Simanjuntak", "Effendi", "Hakim", "Rahman", "Maulana", "Alamsyah", "Prasetyo",
          "Susanto", "Hermawan", "Fauzi", "Akbar", "Iskandar", "Sembiring"]
LAST_F = ["Saputri", "Lestari", "Permata", "Rahmawati", "Susanti", "Anggraini", "Utami", "Oktaviani",
          "Handayani", "Puspita", "Wulandari", "Fitriani", "Maharani", "Safitri", "Novianti", "Yuliani",
          "Purnamasari", "Siregar", "Nasution", "Harahap", "Hasibuan", "Amelia", "Kusuma", "Pertiwi",
          "Ramadhani", "Agustina", "Marlina", "Septiani", "Aprilia", "Damayanti"]

PENDIDIKAN_SIASN = {"SMA": "SLTA", "D3": "Diploma III", "S1": "S-1/Sarjana", "S2": "S-2", "S3": "S-3"}
GOL_PNS = ["I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d",
           "IV/a", "IV/b", "IV/c", "IV/d", "IV/e"]
START_GOL = {"SMA": GOL_PNS.index("II/a"), "D3": GOL_PNS.index("II/c"), "S1": GOL_PNS.index("III/a"),
             "S2": GOL_PNS.index("III/b"), "S3": GOL_PNS.index("III/c")}
PPPK_GOL = {"SMA": "V", "D3": "VII", "S1": "IX", "S2": "X", "S3": "XI"}
PREDIKAT = np.array(["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"])
# ratings (hasil kerja, perilaku) that give each predikat under the PermenPANRB 6/2022 matrix
RATINGS_FOR = {
    "Sangat Baik": [("Di atas ekspektasi", "Di atas ekspektasi")],
    "Baik": [("Sesuai ekspektasi", "Sesuai ekspektasi"), ("Di atas ekspektasi", "Sesuai ekspektasi"),
             ("Sesuai ekspektasi", "Di atas ekspektasi")],
    "Butuh Perbaikan": [("Di bawah ekspektasi", "Sesuai ekspektasi"), ("Di bawah ekspektasi", "Di atas ekspektasi")],
    "Kurang": [("Sesuai ekspektasi", "Di bawah ekspektasi"), ("Di atas ekspektasi", "Di bawah ekspektasi")],
    "Sangat Kurang": [("Di bawah ekspektasi", "Di bawah ekspektasi")],
}


@dataclass
class DemoData:
    employees: pd.DataFrame      # SIASN-like columns, canonical names
    kinerja: pd.DataFrame        # nip, tahun, rating_hasil_kerja, rating_perilaku, predikat
    asesmen: pd.DataFrame        # nip, tahun, scores
    hipo: np.ndarray             # planted high-potential flag per employee (ground truth)
    riwayat: pd.DataFrame | None = None    # riwayat jabatan of every struktural holder
    hukuman: pd.DataFrame | None = None    # a few disciplinary sanctions
    diklat: pd.DataFrame | None = None     # leadership and other training
    formasi: pd.DataFrame | None = None    # every struktural post with its holder, a few vacant ones


def _instansi_names(n: int, default: str) -> list[str]:
    if n <= 1:
        return [default]
    kinds = ["Kabupaten", "Kota"]
    return [default] + [f"Pemerintah {kinds[i % 2]} Contoh {i:03d}" for i in range(1, n)]


def generate(n: int = 21700, seed: int = 20251017, instansi: str = "Pemerintah Kota Palembang",
             n_instansi: int = 1, taken: np.ndarray | None = None) -> DemoData:
    """Build a synthetic population of ``n`` ASN, the same for the same arguments.

    ``taken`` (sorted int64 NIPs) are NIPs already given to other chunks: they are avoided, so that
    chunks generated one after another stay unique nationally.
    """
    rng = np.random.default_rng(seed)
    # --- jenis ASN in the Palembang proportions
    share = np.array([9240, 10287, 2173], dtype=float)
    counts = np.floor(share / share.sum() * n).astype(int)
    counts[0] += n - counts.sum()
    jenis = np.repeat(np.array(["PNS", "PPPK", "PPPK Paruh Waktu"]), counts)
    rng.shuffle(jenis)
    is_pns, is_pw = jenis == "PNS", jenis == "PPPK Paruh Waktu"
    is_pppk = ~is_pns

    # --- OPD, drawn per jenis ASN so that PPPK sit mostly in schools and health, PW in services
    opd_names = np.array([o[0] for o in OPD_TABLE])
    opd_kind = np.array([o[4] for o in OPD_TABLE])
    opd_idx = np.empty(n, dtype=int)
    for col, mask in ((1, is_pns), (2, jenis == "PPPK"), (3, is_pw)):
        w = np.array([o[col] for o in OPD_TABLE], dtype=float)
        opd_idx[mask] = rng.choice(len(OPD_TABLE), size=mask.sum(), p=w / w.sum())
    inst_names = np.array(_instansi_names(n_instansi, instansi))
    inst_idx = np.zeros(n, dtype=int) if n_instansi <= 1 else np.sort(rng.integers(0, n_instansi, n))

    # --- sex, age, education
    female = rng.random(n) < np.where(np.isin(opd_kind[opd_idx], ["besar", "rsud"]), 0.66, 0.42)
    age = np.where(is_pns, rng.normal(46, 8, n), np.where(is_pw, rng.normal(36, 8, n), rng.normal(39, 7, n)))
    # ages outside 23 to just under the general BUP (58: everyone generated is still in service) are brought
    # inside, spread over a year (not onto one day: a national population would otherwise put tens of thousands
    # of NIPs on a single birth-date prefix)
    spread = (np.arange(n) * 0.6180339887) % 1.0
    oldest = rules.BUP_LAIN - 0.1
    age = np.where(age < 23, 23 + spread, np.where(age > oldest, oldest - spread, age))
    pend = np.where(rng.random(n) < 0.08, "S2", "S1").astype(object)
    low = rng.random(n)
    pend[(low < 0.22)] = "D3"
    pend[(low < 0.12)] = "SMA"
    pend[is_pw & (rng.random(n) < 0.6)] = "SMA"

    # --- struktural posts (PNS only, the most senior in each OPD of each instansi)
    struktural = np.full(n, "", dtype=object)
    scale = max(1.0, n / 21700 / max(n_instansi, 1))
    order = np.lexsort((-age, inst_idx, opd_idx))
    key = inst_idx[order] * 1000 + opd_idx[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(order)]
    for s, e in zip(starts, ends):
        members = order[s:e]
        members = members[is_pns[members] & (age[members] >= 33) & (pend[members] != "SMA")]
        jpt, adm, pgw = POSTS[opd_kind[opd_idx[members[0]]]] if len(members) else (0, 0, 0)
        adm, pgw = int(round(adm * scale)), int(round(pgw * scale))
        members = members[rng.permutation(len(members))]
        members = members[np.argsort(-age[members] + rng.normal(0, 4, len(members)), kind="stable")]
        struktural[members[:jpt]] = "JPT"
        struktural[members[jpt:jpt + adm]] = "Administrator"
        struktural[members[jpt + adm:jpt + adm + pgw]] = "Pengawas"
    is_str = struktural != ""
    kind_of = opd_kind[opd_idx]
    p_f = np.vectorize(P_FUNGSIONAL.get)(kind_of)
    p_f = np.where(is_pw, p_f * 0.3, p_f)
    fungsional = ~is_str & (rng.random(n) < p_f)
    jenis_jabatan = np.where(is_str, "Struktural", np.where(fungsional, "Fungsional", "Pelaksana"))
    # struktural hold S-1 or more, except a third of the pengawas who kept their D-III (education
    # varies among the candidates for administrator posts)
    pend[is_str & (pend == "D3") & ((struktural != "Pengawas") | (np.arange(n) % 3 != 0))] = "S1"
    pend[is_str & (struktural != "Pengawas") & (rng.random(n) < 0.5)] = "S2"
    pend[fungsional & np.isin(kind_of, ["besar"]) & (pend == "SMA")] = "S1"

    # --- dates, NIP
    birth = np.array(np.datetime64(REF_DATE), dtype="datetime64[D]") - (age * 365.25).astype(int)
    birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
    entry_age = np.where(pend == "SMA", rng.integers(20, 28, n), rng.integers(23, 34, n))
    tmt_year = np.minimum(birth_year + entry_age, 2024)
    tmt_year = np.where(is_str, np.minimum(tmt_year, 2012), tmt_year)
    tmt_month = rng.integers(1, 13, n)
    pppk_year = np.where(is_pw, 2025, rng.choice([2021, 2022, 2023, 2024, 2025], n, p=[.2, .25, .2, .2, .15]))
    appoint_year = np.where(is_pns, tmt_year, pppk_year)
    sex_digit = np.where(female, "2", "1")
    bstr = pd.Series(birth.astype(str)).str.replace("-", "", regex=False).to_numpy()
    mid = np.where(is_pns, pd.Series(tmt_year).astype(str).str.cat(pd.Series(tmt_month).astype(str).str.zfill(2)),
                   pd.Series(pppk_year).astype(str) + "2" + pd.Series(rng.integers(1, 10, n)).astype(str))
    prefix = pd.Series(bstr).str.cat(pd.Series(mid)).str.cat(pd.Series(sex_digit))
    serial = (prefix.groupby(prefix).cumcount() + 1).to_numpy()   # unique within prefix
    nip = _unique_nips(prefix.to_numpy().astype(str), serial, taken)

    # --- golongan
    years_service = 2025 - appoint_year
    gidx = np.vectorize(START_GOL.get)(pend) + years_service // 4
    cap = np.where(is_str, 16, np.where(fungsional, 14, 11))
    floor = np.where(struktural == "JPT", 14, np.where(struktural == "Administrator", 11,
                     np.where(struktural == "Pengawas", 9, 0)))
    gidx = np.clip(np.maximum(gidx, floor), 0, cap)
    golongan = np.where(is_pns, np.array(GOL_PNS, dtype=object)[gidx], np.vectorize(PPPK_GOL.get)(pend))

    # --- eselon and jabatan
    eselon = np.full(n, "", dtype=object)
    setda = opd_names[opd_idx] == "Sekretariat Daerah"
    eselon[struktural == "JPT"] = np.where(setda[struktural == "JPT"], "21", "22")
    eselon[struktural == "Administrator"] = np.where(rng.random((struktural == "Administrator").sum()) < .4, "31", "32")
    eselon[struktural == "Pengawas"] = np.where(rng.random((struktural == "Pengawas").sum()) < .85, "41", "42")
    jabatan = _jabatan(rng, n, opd_names[opd_idx], kind_of, struktural, fungsional, golongan, is_pns, pend)
    jabatan = _distinct_posts(jabatan, inst_idx, opd_idx, is_str)
    unit = _unit_kerja(rng, opd_names[opd_idx], kind_of)

    # --- names
    first = np.where(female, rng.choice(FEMALE, n), rng.choice(MALE, n))
    middle = rng.choice(MIDDLE, n)
    last = np.where(female, rng.choice(LAST_F, n), rng.choice(LAST_M, n))
    nama = pd.Series(first).str.cat([pd.Series(middle), pd.Series(last)], sep=" ").str.replace(
        r"\s+", " ", regex=True).to_numpy()
    gelar_depan = np.where(np.char.startswith(jabatan.astype(str), "Dokter"), "dr.", "")
    gb = {"S1": "S.Pd.", "S2": "M.Si.", "D3": "A.Md.", "S3": "Dr.", "SMA": ""}
    gelar_belakang = np.vectorize(gb.get)(pend)
    gelar_belakang = np.where((pend == "S1") & (kind_of != "besar"), rng.choice(
        ["S.E.", "S.H.", "S.Kom.", "S.T.", "S.Sos.", "S.AP."], n), gelar_belakang)
    gelar_belakang = np.where((pend == "S1") & np.isin(kind_of, ["rsud"]), "S.Kep.", gelar_belakang)
    gelar_belakang = np.where(gelar_depan == "dr.", "", gelar_belakang)

    employees = pd.DataFrame({
        "nip": nip, "nama": nama, "gelar_depan": gelar_depan, "gelar_belakang": gelar_belakang,
        "instansi": inst_names[inst_idx], "opd": opd_names[opd_idx], "unit_kerja": unit,
        "jenis_asn": jenis, "jenis_kelamin": np.where(female, "Perempuan", "Laki-laki"),
        "tanggal_lahir": pd.to_datetime(birth).date, "jenis_jabatan": jenis_jabatan, "jabatan": jabatan,
        "eselon": eselon, "golongan": golongan, "pendidikan": pend.astype(str),
        "tmt_cpns": np.where(is_pns, pd.to_datetime(pd.DataFrame({"year": tmt_year, "month": tmt_month,
                                                                    "day": 1})).dt.date, None),
        "tahun_pengangkatan": appoint_year,
    })

    # --- latent ability; a minority of genuinely high-potential profiles
    hipo = rng.random(n) < np.where(is_str | fungsional, 0.06, 0.025)
    ability = rng.normal(0, 1, n) + np.where(hipo, 1.6, 0.0)
    kinerja = _kinerja(rng, nip, ability, appoint_year, is_pw)
    asesmen = _asesmen(rng, nip, ability, hipo, is_str, is_pns, is_pw, jenis_jabatan)
    # the succession data draws from its own generator: the population above stays as it was
    riwayat, hukuman, diklat, formasi = _succession(np.random.default_rng(seed + 17), employees, hipo)
    return DemoData(employees, kinerja, asesmen, hipo, riwayat, hukuman, diklat, formasi)


def _unique_nips(prefix: np.ndarray, serial: np.ndarray, taken: np.ndarray | None) -> np.ndarray:
    """NIP = prefix (15 digits) + serial (001-999), bumping the serial of any NIP already taken."""
    base = prefix.astype(np.int64) * 1000
    nips = base + serial
    taken = taken if taken is not None else np.empty(0, dtype=np.int64)
    for attempt in range(2000):
        order = np.argsort(nips, kind="stable")
        dup = np.zeros(len(nips), dtype=bool)
        dup[order[1:]] = nips[order[1:]] == nips[order[:-1]]        # later copies inside the chunk
        if len(taken):                                               # or already given elsewhere
            at = np.minimum(np.searchsorted(taken, nips), len(taken) - 1)
            dup |= taken[at] == nips
        bump = dup
        if not bump.any():
            break
        # a fresh serial drawn at random (seeded: the same inputs give the same NIPs); stepping by
        # one would pile collisions up in runs once the country fills the common birth/TMT prefixes
        # (seeded by the attempt and by how many NIPs are taken: the same inputs give the same NIPs, and
        # two chunks never walk the same sequence of serials and collide at every step)
        fresh = np.random.default_rng([attempt, len(taken)]).integers(1, 1000, len(serial))
        serial = np.where(bump, fresh, serial)
        if attempt >= 50:
            # a prefix that is (nearly) full nationally (many young PPPK share the youngest birth date):
            # an NI PPPK's 14th digit is a free 1-9, so move to the next one
            pre = base // 1000
            digit = (pre // 10) % 10
            move = bump & ((pre // 100) % 10 == 2)
            base = np.where(move, (pre + (digit % 9 + 1 - digit) * 10) * 1000, base)
        nips = base + serial
    return nips.astype(str)


def _jabatan(rng, n, opd, kind, struktural, fungsional, golongan, is_pns, pend) -> np.ndarray:
    out = np.full(n, "Pengadministrasi Perkantoran", dtype=object)
    pel = rng.choice(["Pengadministrasi Perkantoran", "Operator Layanan Operasional", "Pengelola Umum Operasional",
                      "Penata Layanan Operasional", "Pengelola Layanan Operasional"], n)
    out[:] = pel
    level = np.where(np.isin(golongan, ["IV/a", "IV/b", "IV/c"]), "Ahli Madya",
                     np.where(np.isin(golongan, ["III/c", "III/d"]), "Ahli Muda", "Ahli Pertama"))
    level = np.where(np.isin(golongan, ["IV/d", "IV/e"]), "Ahli Utama", level)
    level = np.where(~is_pns, np.where(pend == "D3", "Terampil", "Ahli Pertama"), level)
    level = np.where(is_pns & (pend == "D3"), rng.choice(["Terampil", "Mahir", "Penyelia"], n), level)
    base = rng.choice(["Analis Kebijakan", "Pranata Komputer", "Arsiparis", "Perencana", "Analis Keuangan",
                       "Pengelola Pengadaan Barang/Jasa", "Analis Sumber Daya Manusia Aparatur", "Pranata Humas"], n)
    base = np.where(opd == "Dinas Pendidikan", "Guru", base)
    health = rng.choice(["Perawat", "Bidan", "Dokter", "Apoteker", "Nutrisionis", "Pranata Laboratorium Kesehatan"],
                        n, p=[.42, .25, .12, .07, .07, .07])
    base = np.where(np.isin(kind, ["rsud"]) | (opd == "Dinas Kesehatan"), health, base)
    base = np.where(opd == "Inspektorat", "Auditor", base)
    base = np.where(opd == "Satpol PP", "Polisi Pamong Praja", base)
    base = np.where(opd == "Dinas Pemadam Kebakaran dan Penyelamatan", "Analis Kebakaran", base)
    base = np.where(opd == "Dinas Pertanian dan Ketahanan Pangan", "Penyuluh Pertanian", base)
    jf = pd.Series(base).str.cat(pd.Series(level), sep=" ").to_numpy()
    out = np.where(fungsional, jf, out)
    short = pd.Series(opd).str.replace("^(Dinas|Kecamatan) ", "", regex=True).to_numpy()
    kec = kind == "kecamatan"
    jpt = np.where(opd == "Sekretariat Daerah", rng.choice(["Asisten Pemerintahan dan Kesra",
                   "Asisten Perekonomian dan Pembangunan", "Asisten Administrasi Umum"], n),
                   pd.Series(["Kepala "] * n).str.cat(pd.Series(opd)).to_numpy())
    adm = np.where(kec, rng.choice(["Camat", "Sekretaris Camat", "Lurah"], n, p=[.12, .12, .76]),
                   rng.choice(["Sekretaris", "Kepala Bidang Program", "Kepala Bidang Pelayanan",
                               "Kepala Bidang Pengembangan"], n))
    adm = np.where(kec, pd.Series(adm).str.cat(pd.Series(short), sep=" ").to_numpy(), adm)
    pgw = rng.choice(["Kepala Subbagian Umum dan Kepegawaian", "Kepala Subbagian Keuangan", "Kepala Seksi Pelayanan",
                      "Kepala Seksi Pemberdayaan", "Kepala Seksi Ketertiban", "Kepala UPT"], n)
    out = np.where(struktural == "JPT", jpt, out)
    out = np.where(struktural == "Administrator", adm, out)
    out = np.where(struktural == "Pengawas", pgw, out)
    return out.astype(object)


_ROMAN_NUM = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _distinct_posts(jabatan: np.ndarray, inst_idx, opd_idx, is_str) -> np.ndarray:
    """Struktural posts named once per OPD (a post is instansi + OPD + jabatan): repeated names get
    a numeral ("Lurah Gandus II", "Kepala Seksi Pelayanan 12")."""
    df = pd.DataFrame({"i": inst_idx, "o": opd_idx, "j": jabatan})[is_str]
    if df.empty:
        return jabatan
    g = df.groupby(["i", "o", "j"], sort=False)["j"]
    k = g.cumcount().to_numpy()
    size = g.transform("size").to_numpy()
    suffix = np.array([_ROMAN_NUM[x] if x < len(_ROMAN_NUM) else str(x + 1) for x in k], dtype=object)
    named = np.where(size > 1, df["j"].to_numpy() + " " + suffix, df["j"].to_numpy())
    out = jabatan.copy()
    out[np.flatnonzero(is_str)] = named
    return out


# (name, jenis_diklat as written, first year, last year) of the leadership trainings per jenjang;
# before 2019 the Diklatpim names (SIASN carries the name only), from 2019 the PKP/PKA/PKN names
LEADERSHIP = {
    "4": [("Diklat Kepemimpinan Tingkat IV", "", 1995, 2018), ("Pelatihan Kepemimpinan Pengawas", "PKP", 2019, 2100)],
    "3": [("Diklat Kepemimpinan Tingkat III", "", 1995, 2018),
          ("Pelatihan Kepemimpinan Administrator", "PKA", 2019, 2100)],
    "2": [("Diklatpim Tingkat II", "PIM II", 1995, 2018), ("Pelatihan Kepemimpinan Nasional Tingkat II", "PKN II",
                                                           2019, 2100)],
}
OTHER_DIKLAT = [("Pelatihan Pengadaan Barang/Jasa", "Teknis"), ("Pelatihan Analisis Kebijakan", "Teknis"),
                ("Pelatihan Manajemen Aset Daerah", "Teknis"), ("Pelatihan Pelayanan Publik Prima", "Teknis"),
                ("Pelatihan Penjenjangan Jabatan Fungsional", "Fungsional"),
                ("Pelatihan Sistem Informasi ASN", "Teknis"), ("Pelatihan Penyusunan SAKIP", "Teknis")]
EARLIER_PENGAWAS = ["Kepala Subbagian Perencanaan", "Kepala Seksi Pengembangan", "Kepala Seksi Evaluasi",
                    "Kepala Subbagian Umum", "Kepala Seksi Pembinaan", "Kepala Seksi Pengendalian"]
EARLIER_ADMIN = ["Sekretaris", "Kepala Bidang Program", "Kepala Bidang Pembinaan", "Kepala Bagian Umum"]
FIRST_POST = [("Pengadministrasi Umum", "Pelaksana"), ("Pengolah Data", "Pelaksana"),
              ("Analis Kebijakan Ahli Pertama", "Fungsional"), ("Penyusun Program", "Pelaksana")]
VACANT = [("Kepala Bidang Perencanaan dan Evaluasi", "32"), ("Kepala Seksi Data dan Informasi", "41"),
          ("Kepala Subbagian Keuangan dan Aset", "41"), ("Kepala Bidang Pengembangan Kapasitas", "32")]
HUKUMAN = {"ringan": [("Teguran tertulis", 0), ("Pernyataan tidak puas secara tertulis", 0)],
           "sedang": [("Pemotongan tunjangan kinerja 25% selama 6 bulan", 6),
                      ("Pemotongan tunjangan kinerja 25% selama 12 bulan", 12)],
           "berat": [("Penurunan jabatan setingkat lebih rendah selama 12 bulan", 12),
                     ("Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan", 12)]}
KRITIKAL_OPD = {"Dinas Pendidikan", "Dinas Kesehatan", "BPKAD", "Bappeda", "Inspektorat", "BKPSDM",
                "RSUD Palembang BARI", "Dinas PUPR"}


def _days(years) -> np.ndarray:
    return np.round(np.asarray(years, dtype=float) * 365.25).astype("timedelta64[D]")


def _succession(rng, e: pd.DataFrame, hipo: np.ndarray):
    """TMT jabatan/golongan on ``e`` (added in place) and the four succession files' rows.

    Every struktural holder has a riwayat whose last row is the master's post (same jabatan, OPD and
    TMT) and earlier rows that climb to it without overlap, from TMT CPNS: a first post as pelaksana
    or JF, pengawas post(s), then administrator post(s) for administrators and JPT. Years in the
    current post vary (some pengawas under 3 years, some long), holders near BUP are those the
    population already has (struktural are the most senior).
    """
    n = len(e)
    ref = np.datetime64(REF_DATE, "D")
    is_pns = (e["jenis_asn"] == "PNS").to_numpy()
    cpns = pd.to_datetime(e["tmt_cpns"]).to_numpy().astype("datetime64[D]")
    appointed = np.where(is_pns, cpns, pd.to_datetime(pd.DataFrame({"year": e["tahun_pengangkatan"], "month": 3,
                                                                    "day": 1})).to_numpy().astype("datetime64[D]"))
    level = e["eselon"].str[:1].to_numpy()          # "2" JPT, "3" administrator, "4" pengawas, "" none
    is_str = level != ""
    served = (ref - appointed).astype(float) / 365.25
    # years in the current post: struktural 0,3-9 (varied on purpose), others up to their service
    in_post = np.where(is_str, 0.3 + rng.gamma(2.0, 1.6, n), rng.uniform(0.2, 1.0, n) * served)
    in_post = np.minimum(in_post, np.maximum(served - 0.2, 0.1))
    tmt_jab = np.maximum(ref - _days(in_post), appointed)
    tmt_jab = tmt_jab.astype("datetime64[M]").astype("datetime64[D]")   # the first of a month
    tmt_jab = np.maximum(tmt_jab, appointed)
    # golongan: PNS promoted every 4 years (the last one 0-4 years ago, not before CPNS); PPPK: appointment
    last_gol = (ref - _days(rng.uniform(0.1, 4.0, n))).astype("datetime64[M]").astype("datetime64[D]")
    last_gol = np.where(is_pns, np.maximum(last_gol, cpns), appointed)
    e["tmt_jabatan"] = pd.to_datetime(tmt_jab).date
    e["tmt_golongan"] = pd.to_datetime(last_gol).date

    # --- riwayat jabatan (struktural holders)
    rows = []
    idx = np.flatnonzero(is_str)
    nips, opds, jabs, esel = (e[c].to_numpy() for c in ("nip", "opd", "jabatan", "eselon"))
    all_opd = np.unique(opds)
    for i in idx:
        lv = level[i]
        steps = []                                   # earlier posts, oldest first: (jabatan, jenis, eselon, opd, years)
        if lv in ("2", "3"):
            steps += [(rng.choice(EARLIER_PENGAWAS), "Struktural", rng.choice(["41", "42"]), None,
                       rng.uniform(2.0, 6.0)) for _ in range(rng.integers(1, 3))]
        if lv == "2":
            steps += [(rng.choice(EARLIER_ADMIN), "Struktural", rng.choice(["31", "32"]), None,
                       rng.uniform(2.0, 5.0)) for _ in range(rng.integers(1, 3))]
        if lv == "4" and rng.random() < 0.35:       # a pengawas moved between two pengawas posts
            steps.append((rng.choice(EARLIER_PENGAWAS), "Struktural", rng.choice(["41", "42"]), None,
                          rng.uniform(1.0, 5.0)))
        start_cur = tmt_jab[i]
        room = (start_cur - cpns[i]).astype(int) / 365.25 - 1.0       # at least a year in the first post
        want = sum(s[4] for s in steps)
        scale = min(1.0, room / want) if want > 0 else 1.0
        ends = start_cur
        earlier = []
        for jab, jenis, es, _, years in reversed(steps):
            begin = (ends - _days(years * scale)).astype("datetime64[M]").astype("datetime64[D]")
            begin = max(begin, cpns[i] + np.timedelta64(31, "D"))
            if begin >= ends:
                continue
            opd = opds[i] if rng.random() < 0.7 else rng.choice(all_opd)
            earlier.append((jab, jenis, es, opd, begin, ends - np.timedelta64(1, "D")))
            ends = begin
        first, first_jenis = FIRST_POST[rng.integers(len(FIRST_POST))]
        for jab, jenis, es, opd, begin, end in [(first, first_jenis, "", opds[i], cpns[i], ends - np.timedelta64(1, "D"))] \
                + earlier[::-1] + [(jabs[i], "Struktural", esel[i], opds[i], start_cur, None)]:
            rows.append((nips[i], jab, jenis, es, opd, begin, end))
    riwayat = pd.DataFrame(rows, columns=["nip", "jabatan", "jenis_jabatan", "eselon", "opd", "tmt_mulai",
                                          "tmt_selesai"])
    # two posts of one person with the same name and start are one post: keep the key unique
    riwayat = riwayat.drop_duplicates(subset=["nip", "tmt_mulai", "jabatan"])

    # --- diklat: leadership training for the posts held, other training for some
    drows = []
    first_at = riwayat[riwayat["jenis_jabatan"] == "Struktural"].assign(lv=lambda d: d["eselon"].str[:1])
    first_at = first_at.groupby(["nip", "lv"], sort=False)["tmt_mulai"].min()
    for (nip_, lv), start in first_at.items():
        if rng.random() < 0.12:                      # some never followed the training for their jenjang
            continue
        year = min(pd.Timestamp(start).year + int(rng.integers(0, 3)), 2025)
        for name, jenis, lo, hi in LEADERSHIP[lv]:
            if lo <= year <= hi:
                drows.append((nip_, name, jenis, year))
    others = np.flatnonzero(rng.random(n) < 0.15)
    pick = rng.integers(len(OTHER_DIKLAT), size=len(others))
    since = np.maximum(appointed[others].astype("datetime64[Y]").astype(int) + 1970, 2010)
    years = since + np.floor(rng.random(len(others)) * (2026 - since)).astype(int)
    other = pd.DataFrame({"nip": nips[others], "nama_diklat": [OTHER_DIKLAT[k][0] for k in pick],
                          "jenis_diklat": [OTHER_DIKLAT[k][1] for k in pick], "tahun": years})
    diklat = pd.concat([pd.DataFrame(drows, columns=["nip", "nama_diklat", "jenis_diklat", "tahun"]), other],
                       ignore_index=True).drop_duplicates(subset=["nip", "nama_diklat", "tahun"])

    # --- hukuman disiplin: a few PNS, half of them struktural or high-potential (so that candidates have them)
    k = max(3, int(round(n * 0.002)))
    pool_a = np.flatnonzero(is_pns & (is_str | hipo))
    pool_b = np.flatnonzero(is_pns & ~(is_str | hipo))
    who = np.r_[rng.choice(pool_a, min(len(pool_a), k // 2), replace=False) if len(pool_a) else [],
                rng.choice(pool_b, min(len(pool_b), k - k // 2), replace=False) if len(pool_b) else []].astype(int)
    hrows = []
    for j, i in enumerate(who):
        tingkat = ("ringan", "sedang", "berat")[j % 3] if j < 6 else rng.choice(["ringan", "sedang", "berat"],
                                                                                 p=[.5, .3, .2])
        name, months = HUKUMAN[tingkat][rng.integers(2)]
        # recent (some still running at the reference date) or long ago
        years_ago = rng.uniform(0.1, 2.5) if j % 2 == 0 else rng.uniform(3.0, 12.0)
        begin = max(ref - _days(years_ago), cpns[i] + np.timedelta64(365, "D"))
        begin = begin.astype("datetime64[M]").astype("datetime64[D]")
        end = begin if months == 0 else (begin.astype("datetime64[M]") + np.timedelta64(months, "M")).astype(
            "datetime64[D]") - np.timedelta64(1, "D")
        hrows.append((nips[i], tingkat, name, begin, end))
    hukuman = pd.DataFrame(hrows, columns=["nip", "tingkat", "jenis_hukuman", "tmt_mulai", "tmt_selesai"])

    # --- formasi: every struktural post with its holder, four vacant posts per instansi, some kritikal
    f = e.loc[is_str, ["instansi", "opd", "jabatan", "eselon", "nip"]].rename(columns={"nip": "pemangku_nip"})
    f["kritikal"] = (f["eselon"].str[:1] == "2") & f["opd"].isin(KRITIKAL_OPD)
    f["kritikal"] |= (f["eselon"].str[:1] == "3") & (rng.random(len(f)) < 0.06)
    vac = []
    for inst in pd.unique(e["instansi"]):
        opd_here = pd.unique(e.loc[(e["instansi"] == inst).to_numpy() & is_str, "opd"])
        if not len(opd_here):
            continue
        for (jab, es), opd in zip(VACANT, rng.choice(opd_here, len(VACANT), replace=False)
                                  if len(opd_here) >= len(VACANT) else np.resize(opd_here, len(VACANT))):
            vac.append((inst, opd, jab, es, None, es.startswith("3")))
    f = pd.concat([f, pd.DataFrame(vac, columns=f.columns)], ignore_index=True)
    f = f.drop_duplicates(subset=["instansi", "opd", "jabatan"], keep="first")
    return riwayat, hukuman, diklat, f


def _unit_kerja(rng, opd, kind) -> np.ndarray:
    n = len(opd)
    sekolah = pd.Series(rng.choice(["SD Negeri", "SMP Negeri"], n, p=[.68, .32])).str.cat(
        pd.Series(rng.integers(1, 240, n)).astype(str), sep=" ") + " Palembang"
    puskesmas = "Puskesmas " + pd.Series(rng.choice(KECAMATAN, n))
    out = pd.Series(opd, dtype=object)
    out = out.where(opd != "Dinas Pendidikan", np.where(rng.random(n) < .93, sekolah, out))
    out = out.where(opd != "Dinas Kesehatan", np.where(rng.random(n) < .85, puskesmas, out))
    return out.to_numpy()


def _kinerja(rng, nip, ability, appoint_year, is_pw) -> pd.DataFrame:
    n = len(nip)
    persistent = 0.6 * ability + 0.45 * rng.normal(0, 1, n)
    frames = []
    for t in PERIODS:
        has = (appoint_year < t) | ((appoint_year == t) & ~is_pw & (rng.random(n) < 0.4))
        has &= rng.random(n) > 0.02  # a few SKP not yet uploaded
        k = persistent + 0.65 * rng.normal(0, 1, n)
        code = np.select([k > 0.95, k > -1.35, k > -2.0, k > -2.5], [0, 1, 2, 3], 4)
        pred = PREDIKAT[code]
        frames.append(pd.DataFrame({"nip": nip[has], "tahun": t, "predikat": pred[has]}))
    kin = pd.concat(frames, ignore_index=True)
    # ratings consistent with the predikat through the PermenPANRB 6/2022 matrix
    pick = rng.random(len(kin))
    hk, pk = [], []
    for p, r in zip(kin["predikat"].to_numpy(), pick):
        options = RATINGS_FOR[p]
        h, b = options[int(r * len(options))]
        hk.append(h)
        pk.append(b)
    kin["rating_hasil_kerja"] = hk
    kin["rating_perilaku"] = pk
    return kin


def _asesmen(rng, nip, ability, hipo, is_str, is_pns, is_pw, jenis_jabatan) -> pd.DataFrame:
    n = len(nip)
    pot = 0.55 * ability + 0.7 * rng.normal(0, 1, n) + np.where(hipo, 1.8, 0)
    assessed = np.zeros(n, dtype=bool)
    frames = []
    for t, p_new in zip(PERIODS, (0.25, 0.3, 0.35)):
        p = np.where(is_str & (t == 2023), 1.0, np.where(is_pw, 0.05, p_new))
        take = (~assessed & (rng.random(n) < p)) | (assessed & (rng.random(n) < 0.08))
        assessed |= take
        noise = rng.normal(0, 1, (5, n))
        jpm = 79 + 8.5 * pot + 3.0 * noise[0]
        cols = {
            "nilai_potensi": 72 + 8 * pot + 4 * noise[1],
            "nilai_manajerial": 73 + 8 * pot + 4 * noise[2] + np.where(jenis_jabatan == "Struktural", 2, 0),
            "nilai_sosial_kultural": 76 + 6 * pot + 4 * noise[3],
            "nilai_teknis": 75 + 7 * pot + 5 * noise[4],
        }
        df = pd.DataFrame({"nip": nip, "tahun": t, "jpm": np.round(np.clip(jpm, 40, 125), 2),
                           **{k: np.round(np.clip(v, 30, 100), 2) for k, v in cols.items()}})[take]
        frames.append(df)
    a = pd.concat(frames, ignore_index=True)
    a["kategori_jpm"] = np.select([a["jpm"] >= 90, a["jpm"] >= 78], ["Optimal", "Cukup Optimal"], "Kurang Optimal")
    a["rekomendasi_asesmen"] = np.select(
        [a["jpm"] >= 90, a["jpm"] >= 78], ["Dapat dipromosikan", "Dapat dipromosikan dengan pengembangan"],
        "Perlu pengembangan kompetensi")
    return a


# --- writing the files real data arrives in ---------------------------------------------------

SIASN_HEADERS = {
    "nip": "NIP_BARU", "nama": "NAMA", "gelar_depan": "GELAR_DEPAN", "gelar_belakang": "GELAR_BELAKANG",
    "tanggal_lahir": "TGL_LAHIR", "jenis_kelamin": "JENIS_KELAMIN", "jenis_asn": "JENIS_ASN",
    "jenis_jabatan": "JENIS_JABATAN", "jabatan": "JABATAN_NAMA", "eselon": "ESELON_ID", "golongan": "GOL",
    "unit_kerja": "UNOR_NAMA", "opd": "UNOR_INDUK_NAMA", "instansi": "INSTANSI_INDUK_NAMA",
    "tmt_cpns": "TMT_CPNS", "pendidikan": "TINGKAT_PENDIDIKAN_NAMA", "tmt_jabatan": "TMT_JABATAN",
    "tmt_golongan": "TMT_GOLONGAN",
}
XLSX_MAX_ROWS = 300_000


def _fmt_date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s).dt.strftime("%d-%m-%Y").fillna("")


def write_files(data: DemoData, out_dir: str | Path, fmt: str = "auto") -> list[Path]:
    """Write the demo files; return their paths in the order they must be imported."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    e = data.employees
    siasn = pd.DataFrame({SIASN_HEADERS[c]: e[c] for c in SIASN_HEADERS})
    siasn["TGL_LAHIR"] = _fmt_date(e["tanggal_lahir"])
    siasn["TMT_CPNS"] = _fmt_date(e["tmt_cpns"])
    siasn["TMT_JABATAN"] = _fmt_date(e["tmt_jabatan"])
    siasn["TMT_GOLONGAN"] = _fmt_date(e["tmt_golongan"])
    siasn["JENIS_KELAMIN"] = e["jenis_kelamin"].map({"Laki-laki": "L", "Perempuan": "P"})
    siasn["TINGKAT_PENDIDIKAN_NAMA"] = e["pendidikan"].map(PENDIDIKAN_SIASN)
    siasn["KEDUDUKAN_HUKUM_NAMA"] = "Aktif"
    paths = [out / "siasn_pegawai.csv"]
    siasn.to_csv(paths[0], index=False, encoding="utf-8")
    use_xlsx = fmt == "xlsx" or (fmt == "auto" and len(data.kinerja) <= XLSX_MAX_ROWS)
    names = e.set_index("nip")[["nama", "jabatan", "unit_kerja"]]
    for t in PERIODS:
        k = data.kinerja[data.kinerja["tahun"] == t].join(names, on="nip")
        skp = pd.DataFrame({
            "No": np.arange(1, len(k) + 1), "NIP": k["nip"].to_numpy(), "Nama": k["nama"].to_numpy(),
            "Jabatan": k["jabatan"].to_numpy(), "Unit Kerja": k["unit_kerja"].to_numpy(),
            "Tahun Penilaian": t, "Rating Hasil Kerja": k["rating_hasil_kerja"].to_numpy(),
            "Rating Perilaku Kerja": k["rating_perilaku"].to_numpy(), "Predikat Kinerja": k["predikat"].to_numpy(),
        })
        if t == PERIODS[0]:
            # the oldest report carries only the two ratings for part of the rows (predikat derived)
            skp.loc[skp.index % 10 == 3, "Predikat Kinerja"] = ""
        title = ["LAPORAN HASIL PENILAIAN KINERJA PEGAWAI (SKP)", e["instansi"].iloc[0],
                 f"PERIODE PENILAIAN: TAHUNAN {t}", "", "Sumber: e-Kinerja BKN (contoh sintetis)"]
        paths.append(_write_table(skp, out / f"ekinerja_skp_{t}", use_xlsx, title, header_row=8,
                                  text_cols={"NIP"}))
    a = data.asesmen.join(names[["nama", "jabatan"]], on="nip")
    hasil = pd.DataFrame({
        "No": np.arange(1, len(a) + 1), "NIP": a["nip"].to_numpy(), "Nama": a["nama"].to_numpy(),
        "Jabatan": a["jabatan"].to_numpy(), "Tahun": a["tahun"].to_numpy(),
        "Nilai Potensi": a["nilai_potensi"].to_numpy(), "Nilai Manajerial": a["nilai_manajerial"].to_numpy(),
        "Nilai Sosial Kultural": a["nilai_sosial_kultural"].to_numpy(), "Nilai Teknis": a["nilai_teknis"].to_numpy(),
        "JPM (%)": a["jpm"].to_numpy(), "Kategori JPM": a["kategori_jpm"].to_numpy(),
        "Rekomendasi": a["rekomendasi_asesmen"].to_numpy(),
    })
    title = ["REKAPITULASI HASIL UJI KOMPETENSI (ASSESSMENT CENTER)", e["instansi"].iloc[0],
             f"Tahun {PERIODS[0]}-{PERIODS[-1]}"]
    paths.append(_write_table(hasil, out / "hasil_asesmen", use_xlsx and len(hasil) <= XLSX_MAX_ROWS, title,
                              header_row=5, text_cols={"NIP"}))
    if data.riwayat is not None:
        paths += _write_succession(data, out, use_xlsx)
    return paths


def _write_succession(data: DemoData, out: Path, use_xlsx: bool) -> list[Path]:
    """The riwayat jabatan (SIASN export, CSV), hukuman disiplin (BKPSDM recap, XLSX with a title),
    diklat (SIASN riwayat diklat, CSV) and formasi (peta jabatan, XLSX with a title) files."""
    r = data.riwayat
    riwayat = pd.DataFrame({"NIP_BARU": r["nip"].to_numpy(), "JABATAN_NAMA": r["jabatan"].to_numpy(),
                            "JENIS_JABATAN": r["jenis_jabatan"].to_numpy(), "ESELON_ID": r["eselon"].to_numpy(),
                            "UNOR_INDUK_NAMA": r["opd"].to_numpy(), "TMT_JABATAN": _fmt_date(r["tmt_mulai"]).to_numpy(),
                            "TMT_SELESAI": _fmt_date(r["tmt_selesai"]).to_numpy()})
    paths = [out / "siasn_riwayat_jabatan.csv"]
    riwayat.to_csv(paths[0], index=False, encoding="utf-8")
    instansi = data.employees["instansi"].iloc[0]
    h = data.hukuman
    hukuman = pd.DataFrame({"No": np.arange(1, len(h) + 1), "NIP": h["nip"].to_numpy(),
                            "Tingkat Hukuman": h["tingkat"].str.capitalize().to_numpy(),
                            "Jenis Hukuman": h["jenis_hukuman"].to_numpy(),
                            "TMT Hukuman": _fmt_date(h["tmt_mulai"]).to_numpy(),
                            "Akhir Hukuman": _fmt_date(h["tmt_selesai"]).to_numpy()})
    paths.append(_write_table(hukuman, out / "rekap_hukuman_disiplin", use_xlsx,
                              ["REKAPITULASI HUKUMAN DISIPLIN PNS", instansi, "Sumber: BKPSDM (contoh sintetis)"],
                              header_row=5, text_cols={"NIP"}))
    d = data.diklat
    diklat = pd.DataFrame({"NIP_BARU": d["nip"].to_numpy(), "LATIHAN_STRUKTURAL_NAMA": d["nama_diklat"].to_numpy(),
                           "JENIS_DIKLAT": d["jenis_diklat"].to_numpy(), "TAHUN": d["tahun"].to_numpy()})
    paths.append(out / "siasn_riwayat_diklat.csv")
    diklat.to_csv(paths[-1], index=False, encoding="utf-8")
    f = data.formasi
    formasi = pd.DataFrame({"No": np.arange(1, len(f) + 1), "Instansi": f["instansi"].to_numpy(),
                            "OPD": f["opd"].to_numpy(), "Jabatan": f["jabatan"].to_numpy(),
                            "Eselon": f["eselon"].to_numpy(), "NIP Pemangku": f["pemangku_nip"].fillna("").to_numpy(),
                            "Kritikal": np.where(f["kritikal"].to_numpy(), "Ya", "Tidak")})
    paths.append(_write_table(formasi, out / "formasi_jabatan", use_xlsx,
                              ["PETA JABATAN STRUKTURAL (FORMASI)", instansi, f"Keadaan {REF_DATE:%d-%m-%Y}"],
                              header_row=5, text_cols={"NIP Pemangku"}))
    return paths


def _write_table(df: pd.DataFrame, stem: Path, xlsx: bool, title: list[str], header_row: int,
                 text_cols: set[str]) -> Path:
    if not xlsx:
        path = stem.with_suffix(".csv")
        df.to_csv(path, index=False, sep=";", encoding="utf-8")
        return path
    import xlsxwriter

    path = stem.with_suffix(".xlsx")
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    wb.set_properties({"created": dt.datetime(2025, 12, 31), "author": "Talenta (data sintetis)"})
    ws = wb.add_worksheet("Data")
    bold = wb.add_format({"bold": True})
    for i, line in enumerate(title):
        if line:
            ws.write_string(i, 0, line, bold)
    h = header_row - 1
    ws.write_row(h, 0, list(df.columns), bold)
    cols = list(df.columns)
    values = df.to_numpy(dtype=object)
    text_idx = {cols.index(c) for c in text_cols}
    for r, row in enumerate(values, start=h + 1):
        for c, v in enumerate(row):
            if c in text_idx:
                ws.write_string(r, c, str(v))
            elif v is None or (isinstance(v, float) and np.isnan(v)) or v == "":
                continue
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, float(v))
    wb.close()
    return path


DEMO_PASSWORD = "talenta-demo-2026"
DEMO_OPD = "Dinas Kesehatan"
DEMO_ACCOUNTS = [  # (username, display name, role, instansi-limited, OPD limit)
    ("admin", "Admin BKPSDM (demo)", "admin", False, ()),
    ("analis", "Analis BKPSDM (demo)", "analis", False, ()),
    ("komite", "Anggota Komite Talenta (demo)", "komite", False, ()),
    ("pimpinan", "Sekretaris Daerah (demo)", "pimpinan", False, ()),
    ("opd", "Pengelola Kepegawaian Dinas Kesehatan (demo)", "opd", True, (DEMO_OPD,)),
    ("tamu", "Layar rapat (demo)", "tamu", False, ()),
]


def add_demo_accounts(con, instansi: str = "Pemerintah Kota Palembang") -> list[str]:
    """One account per role with the one demo password, and the demo mark (the login page then shows
    the password). Existing accounts are left as they are. Returns the usernames created."""
    from . import accounts
    from .access import OPERATOR

    accounts.mark_demo(con)
    created = []
    for username, name, role, limited, opd in DEMO_ACCOUNTS:
        if accounts.get(con, username) is None:
            accounts.add_user(con, OPERATOR, username, role, DEMO_PASSWORD, name=name,
                              instansi=(instansi,) if limited else (), opd=opd)
            created.append(username)
    return created


def build(con, out_dir: str | Path, n: int = 21700, seed: int = 20251017,
          instansi: str = "Pemerintah Kota Palembang", n_instansi: int = 1, user: str = "demo",
          fmt: str = "auto", progress=None, stats: dict | None = None,
          chunk_employees: int = 500_000) -> list:
    """Generate, write and import the demo files, then build what the pages read (``derived.refresh``, once
    after all the imports). Re-running on the same database changes nothing.

    ``stats``, when given, receives the seconds spent generating, writing, importing and refreshing.
    """
    import time

    from . import accounts, derived, store
    from .errors import UsageError

    if not accounts.is_demo(con):
        have = store.query_one(con, "SELECT (SELECT count(*) FROM employee), (SELECT count(*) FROM app_user)")
        if any(have):
            raise UsageError(f"Basis data ini sudah berisi {have[0]} pegawai dan {have[1]} akun yang bukan demo: data "
                             "demo (pegawai rekaan, akun dengan kata sandi umum) tidak ditambahkan ke dalamnya. Pakai "
                             "--db atau TALENTA_DB_PATH lain untuk demo. Tidak ada yang diubah.")
    stats = stats if stats is not None else {}
    results = _build(con, out_dir, n, seed, instansi, n_instansi, user, fmt, progress, stats, chunk_employees)
    if progress:
        progress(1.0, "menyiapkan ringkasan")
    t = time.perf_counter()
    derived.refresh(con)
    stats["refresh_s"] = stats.get("refresh_s", 0.0) + time.perf_counter() - t
    return results


def _audit(con, user: str, results: list) -> None:
    """One audit row per demo file, as ``actions.import_one`` leaves for a file imported on the Impor page, so the
    demo's log names the batches its data came from (``sudah_ada`` when a re-run found the same bytes)."""
    from . import audit

    for r in results:
        audit.record(con, user, None, "import", r.file,
                     {"periode": None, "lembar": r.sheet, "demo": True, **r.audit_details()})


def _build(con, out_dir, n, seed, instansi, n_instansi, user, fmt, progress, stats, chunk_employees) -> list:
    import time

    from .ingest import import_file
    from .ingest.loader import import_files

    for k in ("generate_s", "write_s", "import_s"):
        stats.setdefault(k, 0.0)

    def timed(key, fn, *a, **kw):
        t = time.perf_counter()
        out = fn(*a, **kw)
        stats[key] += time.perf_counter() - t
        return out

    add_demo_accounts(con, instansi)
    if n_instansi <= 1:
        data = timed("generate_s", generate, n, seed, instansi, 1)
        paths = timed("write_s", write_files, data, out_dir, fmt)
        results = []
        for i, p in enumerate(paths):
            if progress:
                progress(i / len(paths), f"mengimpor {p.name}")
            results.append(timed("import_s", import_file, con, p, instansi=instansi, user=user))
            _audit(con, user, results[-1:])
        return results
    # national scale: generated one instansi at a time (memory bounded by the chunk, not by the
    # country) and written as multi-instansi exports of about ``chunk_employees`` ASN each, as a
    # regional or national SIASN export is (the instansi is a column). Each chunk's files are
    # imported through the normal import path and deleted, so disk stays bounded too.
    names = _instansi_names(n_instansi, instansi)
    sizes = _instansi_sizes(n, n_instansi, seed)
    taken = np.empty(0, dtype=np.int64)        # sorted: every NIP given so far (unique nationally)
    results: list = []
    pending: list[DemoData] = []
    n_chunk = 0

    def flush() -> None:
        nonlocal pending
        frames = {f: pd.concat([getattr(d, f) for d in pending], ignore_index=True)
                  for f in ("employees", "kinerja", "asesmen", "riwayat", "hukuman", "diklat", "formasi")}
        data = DemoData(hipo=np.concatenate([d.hipo for d in pending]), **frames)
        pending = []
        folder = Path(out_dir) / f"bagian_{len(results) // 5:03d}"
        paths = timed("write_s", write_files, data, folder, "csv")
        del data
        done = timed("import_s", import_files, con, paths, instansi="", user=user)
        _audit(con, user, done)
        results.extend(done)
        for p in paths:
            p.unlink()
        folder.rmdir()

    for i, (name, size) in enumerate(zip(names, sizes)):
        if progress:
            progress(i / n_instansi, f"{name}: {size} pegawai")
        data = timed("generate_s", generate, int(size), seed + i, name, 1, taken=taken)
        new = np.sort(data.employees["nip"].astype(np.int64).to_numpy())
        taken = np.insert(taken, np.searchsorted(taken, new), new)
        pending.append(data)
        n_chunk += int(size)
        if n_chunk >= chunk_employees:
            flush()
            n_chunk = 0
    if pending:
        flush()
    return results


def _instansi_sizes(n: int, k: int, seed: int) -> np.ndarray:
    """Sizes of ``k`` instansi adding up to ``n``: a few large provinces/cities, many small kabupaten."""
    rng = np.random.default_rng(seed)
    w = rng.lognormal(0, 0.8, k)
    sizes = np.maximum(50, np.floor(w / w.sum() * n)).astype(int)
    sizes[np.argmax(sizes)] += n - sizes.sum()
    return sizes
