"""Cadangan: back the whole database up now, see the snapshots kept, and how to restore one."""
import shlex
from pathlib import Path

import streamlit as st

from talenta import backup
from talenta.errors import TalentaError
from talenta.ui import actions, errors, fmt, resources, tables

settings = resources.get_settings()
st.title("Cadangan")
st.write("Keputusan Komite Talenta, versi aturan, riwayat impor dan log ekspor hanya ada di basis data ini. "
         "Cadangan adalah salinan utuh seluruh basis data pada satu saat (aman dibuat selagi dashboard dipakai), "
         "disertai manifest jumlah baris setiap tabel untuk memeriksanya sebelum dipulihkan.")

if st.button("Cadangkan sekarang", type="primary", key="cad_go"):
    try:
        with st.spinner("Menyalin basis data..."):
            snap = actions.backup_now()
        st.session_state["cad_last"] = snap.summary()
    except TalentaError as exc:
        errors.show(exc)
if "cad_last" in st.session_state:
    st.success("Cadangan dibuat: " + st.session_state["cad_last"])

if settings.backup_daily:
    st.caption(f"Cadangan harian aktif: sekali sehari, {fmt.num(settings.backup_keep)} cadangan harian terakhir "
               "disimpan (cadangan manual tidak pernah dihapus otomatis).")
else:
    st.caption("Cadangan harian belum aktif: setel TALENTA_BACKUP_DAILY=1 (dan TALENTA_BACKUP_KEEP, bawaan 7) "
               "lalu jalankan ulang dashboard.")

st.subheader("Cadangan tersimpan")
st.caption(f"Folder: {settings.backup_dir}")
snaps = backup.listing(settings.backup_dir)
if snaps.empty:
    st.write("Belum ada cadangan di folder ini.")
else:
    tables.show(snaps, key="cad_tbl", ints=("tabel", "baris", "versi_skema"), decimals={"ukuran_mb": 1},
                labels={"berkas": "Berkas", "jenis": "Jenis", "waktu": "Waktu", "ukuran_mb": "Ukuran (MB)",
                        "tabel": "Tabel", "baris": "Baris", "versi_skema": "Versi skema", "manifest": "Manifest"})
    if not snaps["manifest"].all():
        st.warning(f"{fmt.num(int((~snaps['manifest']).sum()))} berkas tanpa manifest (.json) yang dapat dibaca: "
                   "isinya tidak dapat dicocokkan dan pemulihannya hanya memeriksa manifest di dalam berkas.")

st.subheader("Memulihkan")
st.write("Pemulihan mengganti seluruh basis data, jadi dilakukan oleh operator server saat dashboard berhenti: "
         "hentikan dashboard, lalu jalankan")
# the folder and database this dashboard uses, so the command restores into them from any shell (review 12, L3)
newest = snaps["berkas"].iloc[0] if not snaps.empty else "<berkas>.duckdb"
st.code(f"TALENTA_DB_PATH={shlex.quote(str(Path(settings.db_path).resolve()))} python -m talenta restore "
        f"{shlex.quote(str(Path(settings.backup_dir).resolve() / newest))}", language="bash")
st.write("Cadangan diperiksa dulu (dapat dibuka, setiap blok data terbaca, jumlah baris setiap tabel sama dengan "
         "manifest, checksum cocok); basis data lama disimpan di sampingnya sebagai "
         "`<basis data>.sebelum-pulih-<waktu>`.")
