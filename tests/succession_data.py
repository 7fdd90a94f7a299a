"""Synthetic succession data built by code, until the importer and demo of issue 17 land (succdata's part).

``add_to_demo(con)`` enriches a demo database: TMT jabatan/golongan, the holders' riwayat jabatan, diklat,
a few disciplinary cases, and a formasi (every structural post of the master, a few made vacant, a few
critical). ``small(con)`` builds a tiny instansi whose every candidate sits on one side of one rule's
boundary (the golden eligibility cases). Everything is deterministic and inserted with bound parameters
under the synthetic batch ``BATCH``.
"""
from __future__ import annotations

import datetime as dt

from talenta import store

BATCH = 990001
INSTANSI = "Pemerintah Kota Contoh"
OPD = "Dinas Contoh"
OPD2 = "Badan Lain"
TANGGAL = dt.date(2025, 12, 31)


def add_to_demo(con, *, vacant_every: int = 20, critical_every: int = 9) -> dict[str, int]:
    """Add succession data to a demo database (see the module docstring). Returns row counts added."""
    with store.transaction(con) as cur:
        cur.execute("""UPDATE employee SET tmt_golongan = DATE '2020-04-01' + CAST(hash(nip) % 2000 AS INTEGER),
                              tmt_jabatan = CASE WHEN jenis_jabatan = 'Struktural'
                                   THEN DATE '2018-01-01' + CAST(hash(nip || 'j') % 2500 AS INTEGER) END
                       WHERE jenis_asn = 'PNS'""")
        # current post of every structural holder and JF, and a previous post one level below
        cur.execute("""INSERT INTO riwayat_jabatan
            SELECT nip, jabatan, jenis_jabatan, eselon, opd, coalesce(tmt_jabatan, tmt_cpns + INTERVAL 4 YEAR)::DATE,
                   NULL, $b, NULL
            FROM employee WHERE jenis_asn = 'PNS' AND jenis_jabatan IN ('Struktural', 'Fungsional')
              AND tmt_cpns IS NOT NULL""", {"b": BATCH})
        cur.execute("""INSERT INTO riwayat_jabatan
            SELECT nip, CASE WHEN eselon LIKE 'II.%' THEN 'Kepala Bidang' WHEN eselon LIKE 'III.%' THEN 'Kepala Seksi'
                             ELSE 'Pelaksana' END,
                   CASE WHEN eselon LIKE 'IV.%' THEN 'Pelaksana' ELSE 'Struktural' END,
                   CASE WHEN eselon LIKE 'II.%' THEN 'III.a' WHEN eselon LIKE 'III.%' THEN 'IV.a' END,
                   opd, tmt_cpns, tmt_jabatan, $b, NULL
            FROM employee WHERE jenis_jabatan = 'Struktural' AND tmt_jabatan > tmt_cpns""", {"b": BATCH})
        cur.execute("""INSERT INTO diklat
            SELECT nip, CASE WHEN eselon LIKE 'II.%' THEN 'PKN Tingkat II' WHEN eselon LIKE 'III.%'
                             THEN 'Pelatihan Kepemimpinan Administrator' ELSE 'Pelatihan Kepemimpinan Pengawas' END,
                   CASE WHEN eselon LIKE 'II.%' THEN 'PKN II' WHEN eselon LIKE 'III.%' THEN 'PKA' ELSE 'PKP' END,
                   year(tmt_jabatan), $b, NULL
            FROM employee WHERE jenis_jabatan = 'Struktural' AND tmt_jabatan IS NOT NULL""", {"b": BATCH})
        # a few sanctions: every 150th PNS by NIP order, alternating tingkat and end dates
        cur.execute("""INSERT INTO hukuman_disiplin
            SELECT nip, ['ringan', 'sedang', 'berat'][1 + (rn // 150) % 3], 'Hukuman disiplin (sintetis)',
                   DATE '2022-01-01' + CAST((rn // 150) % 900 AS INTEGER),
                   CASE WHEN (rn // 150) % 2 = 0 THEN DATE '2024-06-30' END, $b, NULL
            FROM (SELECT nip, row_number() OVER (ORDER BY nip) AS rn FROM employee WHERE jenis_asn = 'PNS')
            WHERE rn % 150 = 0""", {"b": BATCH})
        cur.execute("""INSERT INTO formasi
            SELECT jabatan_id(instansi, opd, jab), instansi, opd, jab, eselon,
                   CASE WHEN rn % $v = 0 THEN NULL ELSE nip END, rn % $c = 0, $b, NULL
            FROM (SELECT *, row_number() OVER (ORDER BY opd, jab, nip) AS rn FROM (
                SELECT nip, instansi, opd, eselon,
                       CASE WHEN count(*) OVER (PARTITION BY instansi, opd, jabatan) = 1 THEN jabatan
                            ELSE jabatan || ' ' || row_number() OVER (PARTITION BY instansi, opd, jabatan ORDER BY nip)
                       END AS jab
                FROM employee WHERE jenis_jabatan = 'Struktural' AND eselon IS NOT NULL))""",
                    {"b": BATCH, "v": vacant_every, "c": critical_every})
        counts = {t: cur.execute(COUNT_SQL[t], {"b": BATCH}).fetchall()[0][0] for t in COUNT_SQL}
    return counts


# rows added per table (fixed statements: table names are an allow-list, never interpolated)
COUNT_SQL = {
    "riwayat_jabatan": "SELECT count(*) FROM riwayat_jabatan WHERE batch_id = $b",
    "diklat": "SELECT count(*) FROM diklat WHERE batch_id = $b",
    "hukuman_disiplin": "SELECT count(*) FROM hukuman_disiplin WHERE batch_id = $b",
    "formasi": "SELECT count(*) FROM formasi WHERE batch_id = $b",
}


# --- the golden instansi ------------------------------------------------------------------------

def _person(nip, nama, *, opd=OPD, jenis="Struktural", jabatan="Kepala Seksi", eselon="IV.a", golongan="IV/a",
            pendidikan="S1", lahir=dt.date(1980, 5, 5), tmt_golongan=dt.date(2021, 4, 1), tmt_jabatan=None):
    return dict(nip=nip, nama=nama, opd=opd, jenis=jenis, jabatan=jabatan, eselon=eselon, golongan=golongan,
                pendidikan=pendidikan, lahir=lahir, tmt_golongan=tmt_golongan, tmt_jabatan=tmt_jabatan)


def _nip(i: int, lahir: dt.date) -> str:
    return f"{lahir:%Y%m%d}200501{1 + i % 2}{i:03d}"


# Posts: a vacant administrator post, a vacant pengawas post, a vacant JPT pratama post, and one held by
# someone who reaches BUP within 24 months (its holder is the 'holder' below).
POSTS = {"adm": ("Kepala Bidang Perencanaan", "III.a"), "pgw": ("Kepala Seksi Data", "IV.a"),
         "jpt": ("Kepala Dinas", "II.b"), "held": ("Sekretaris", "III.a")}


def small(con) -> dict[str, str]:
    """The golden instansi. Returns {case name: NIP}; posts' ids via ``post_id(con, key)``.

    Every candidate is in KRS (box 8: SKP Baik, JPM 95) and meets every rule except the one its name says.
    Administrator candidates are pengawas with 4 years in the post; pengawas candidates are pelaksana
    in service since 2005; JPT candidates are administrators with 3 years."""
    lahir0 = dt.date(1980, 5, 5)
    people = {
        # administrator target
        "adm_ok": _person(None, "Ayu Contoh"),
        "adm_ok_twin": _person(None, "Bayu Contoh"),
        "exp_2y11m": _person(None, "Citra Contoh", tmt_jabatan=dt.date(2023, 1, 31)),
        "exp_3y": _person(None, "Dedi Contoh", tmt_jabatan=dt.date(2022, 12, 31)),
        "exp_6m": _person(None, "Eka Contoh", tmt_jabatan=dt.date(2025, 6, 30)),
        "kin_bp": _person(None, "Fajar Contoh"),
        "hd_1y": _person(None, "Gita Contoh"),
        "hd_old": _person(None, "Hadi Contoh"),
        "bup_11": _person(None, "Indah Contoh", lahir=dt.date(1968, 11, 15)),
        "bup_13": _person(None, "Joko Contoh", lahir=dt.date(1969, 1, 15)),
        "gol_1step": _person(None, "Kiki Contoh", golongan="III/c", tmt_golongan=dt.date(2022, 4, 1)),
        "gol_far": _person(None, "Lina Contoh", golongan="III/b", tmt_golongan=dt.date(2024, 4, 1)),
        "other_opd": _person(None, "Mira Contoh", opd=OPD2),
        "not_krs": _person(None, "Nina Contoh"),
        # pengawas target
        "pend_d3": _person(None, "Oki Contoh", jenis="Pelaksana", jabatan="Pengadministrasi", eselon=None,
                           golongan="III/b", pendidikan="D3"),
        "pend_sma": _person(None, "Putri Contoh", jenis="Pelaksana", jabatan="Pengadministrasi", eselon=None,
                            golongan="III/b", pendidikan="SMA"),
        # JPT pratama target
        "age_56": _person(None, "Rina Contoh", jabatan="Kepala Bidang", eselon="III.b", golongan="IV/b",
                          lahir=dt.date(1969, 6, 1)),
        "age_57": _person(None, "Sari Contoh", jabatan="Kepala Bidang", eselon="III.b", golongan="IV/b",
                          lahir=dt.date(1968, 6, 1)),
        # the holder of 'held', reaching BUP (58) within 24 months
        "holder": _person(None, "Tono Contoh", jabatan="Sekretaris", eselon="III.a", lahir=dt.date(1968, 3, 10)),
    }
    nips = {}
    with store.transaction(con) as cur:
        for i, (key, p) in enumerate(people.items()):
            nip = _nip(i + 1, p["lahir"])
            nips[key] = nip
            admin_level = p["eselon"] == "III.b"
            tmt_jab = p["tmt_jabatan"] or (dt.date(2022, 12, 31) if admin_level else dt.date(2021, 12, 31))
            cur.execute("INSERT INTO employee (nip, nama, instansi, opd, unit_kerja, jenis_asn, jenis_kelamin, "
                        "tanggal_lahir, jenis_jabatan, jabatan, eselon, golongan, pendidikan, tmt_cpns, batch_id, "
                        "tmt_jabatan, tmt_golongan) VALUES (?, ?, ?, ?, ?, 'PNS', 'Perempuan', ?, ?, ?, ?, ?, ?, ?, ?, "
                        "?, ?)",
                        [nip, p["nama"], INSTANSI, p["opd"], p["opd"], p["lahir"], p["jenis"], p["jabatan"],
                         p["eselon"], p["golongan"], p["pendidikan"], dt.date(2005, 1, 1), BATCH,
                         tmt_jab if p["eselon"] else None, p["tmt_golongan"]])
            if p["eselon"]:
                cur.execute("INSERT INTO riwayat_jabatan VALUES (?, ?, 'Struktural', ?, ?, ?, NULL, ?, NULL)",
                            [nip, p["jabatan"], p["eselon"], p["opd"], tmt_jab, BATCH])
            kin = ("Baik", "Butuh Perbaikan") if key == "kin_bp" else ("Baik", "Baik")
            for year, pred in zip((2024, 2025), kin):
                cur.execute("INSERT INTO performance (nip, tahun, predikat, batch_id) VALUES (?, ?, ?, ?)",
                            [nip, year, pred, BATCH])
            jpm = 60.0 if key == "not_krs" else 95.0
            cur.execute("INSERT INTO assessment (nip, tahun, jpm, nilai_manajerial, batch_id) VALUES (?, 2025, ?, ?, ?)",
                        [nip, jpm, 80.0, BATCH])
        cur.execute("INSERT INTO hukuman_disiplin VALUES (?, 'berat', 'Penurunan jabatan', DATE '2023-01-01', "
                    "DATE '2024-12-31', ?, NULL)", [nips["hd_1y"], BATCH])
        cur.execute("INSERT INTO hukuman_disiplin VALUES (?, 'berat', 'Penurunan jabatan', DATE '2012-01-01', "
                    "DATE '2014-12-31', ?, NULL)", [nips["hd_old"], BATCH])
        for key, (jab, es) in POSTS.items():
            cur.execute("INSERT INTO formasi VALUES (jabatan_id(?, ?, ?), ?, ?, ?, ?, ?, false, ?, NULL)",
                        [INSTANSI, OPD, jab, INSTANSI, OPD, jab, es, nips["holder"] if key == "held" else None, BATCH])
    return nips


def post_id(con, key: str) -> str:
    jab = POSTS[key][0]
    return store.query_one(con, "SELECT jabatan_id(?, ?, ?)", [INSTANSI, OPD, jab])[0]
