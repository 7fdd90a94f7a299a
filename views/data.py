"""Data: what is loaded — employees, kinerja and assessments per year, completeness per OPD, last imports."""
import streamlit as st

from talenta import charts, export_safe, labels, privacy
from talenta.escape import markdown as md
from talenta.ui import actions, filters, fmt, people, queries, resources, tables, talent, presentation

scope = resources.current_scope()
flt = filters.current_filters()

st.title("Data yang dimuat")
filters.summary_line(flt)
status = queries.status()
if not status["employees"]:
    st.info("Belum ada data pegawai. Impor berkas SIASN, e-Kinerja dan hasil asesmen, atau jalankan "
            "`make run` untuk membangun data demo.")
    st.stop()
if flt.period is None:
    st.info("Data pegawai sudah ada, tetapi belum ada data kinerja atau asesmen. Impor berkas SKP dan hasil asesmen.")
    st.stop()

period = flt.period
rs = queries.active_rule_set()
cov = queries.coverage_summary(scope, flt)
n = cov["pegawai"] or 1
cols = st.columns(4)
cols[0].metric("Pegawai (ASN)", fmt.num(cov["pegawai"]))
k_from, _ = rs.kinerja_window(period)
a_from, _ = rs.asesmen_window(period)
cols[1].metric(f"Ada kinerja {fmt.years(k_from, period)} ({fmt.pct(cov['ada_kinerja'] / n)})", fmt.num(cov["ada_kinerja"]),
               help=f"Punya SKP tahun {fmt.years(k_from, period)} (syarat sumbu kinerja; {md(rs.label)}).")
cols[2].metric(f"Ada asesmen {fmt.years(a_from, period)} ({fmt.pct(cov['ada_asesmen'] / n)})", fmt.num(cov["ada_asesmen"]),
               help=f"Punya hasil asesmen tahun {fmt.years(a_from, period)} (syarat sumbu potensial; {md(rs.label)}).")
cols[3].metric(f"Siap dipetakan ({fmt.pct(cov['lengkap'] / n)})", fmt.num(cov["lengkap"]),
               help="Punya kinerja dan asesmen yang berlaku: dapat ditempatkan di sembilan kotak.")

left, right = st.columns([2, 3])
with left:
    per_year = queries.per_period(scope, flt)
    st.plotly_chart(charts.coverage_per_period(per_year), key="data_chart_period", config=presentation.CHART_CONFIG)
with right:
    st.subheader("Kelengkapan per OPD")
    by_opd = queries.coverage_by_opd(scope, flt)
    show_cols = ["opd", "pegawai", "ada_kinerja", "ada_asesmen", "lengkap", "persen_lengkap"]
    if by_opd["instansi"].nunique() > 1:
        show_cols.insert(0, "instansi")
    if len(by_opd) > tables.SCREEN_ROWS:
        st.caption(f"{fmt.num(tables.SCREEN_ROWS)} OPD terbesar dari {fmt.num(len(by_opd))}; pilih instansi di "
                   "filter untuk mempersempit, atau unduh semuanya.")
    st.download_button("Unduh kelengkapan per OPD (CSV)", lambda: export_safe.to_bytes(labels.relabel(by_opd[show_cols]), "csv"),
                       file_name=f"kelengkapan_opd_{period}.csv", mime="text/csv", key="data_dl_opd", on_click="ignore")
    tables.show(by_opd[show_cols].head(tables.SCREEN_ROWS), key="data_tbl_opd", height=340,
                labels={"instansi": "Instansi", "opd": "OPD", "pegawai": "Pegawai", "ada_kinerja": "Ada kinerja",
                        "ada_asesmen": "Ada asesmen", "lengkap": "Lengkap", "persen_lengkap": "% lengkap"},
                ints=("pegawai", "ada_kinerja", "ada_asesmen", "lengkap"), pcts=("persen_lengkap",))

st.subheader("Pegawai yang datanya belum lengkap")
rs = queries.active_rule_set()
missing = queries.talent_summary(scope, flt, rs)["belum_terpetakan"]
st.write(f"{privacy.text(missing, fmt.num)} pegawai belum bisa dipetakan untuk {period}: "
         f"{talent.unplaced_breakdown(scope, flt, rs)} (rincian yang sama dengan Ringkasan).")
limit = tables.SCREEN_ROWS
incomplete = queries.incomplete_employees(scope, flt, limit)
if not privacy.hidden(missing) and missing > limit:
    every = queries.INCOMPLETE_FILE_ROWS
    st.caption(f"Menampilkan {fmt.num(limit)} pertama (urut OPD, nama); unduhan berisi "
               + ("semuanya." if missing <= every else f"{fmt.num(every)} pertama."))
people.show(incomplete, key="data_tbl_incomplete", scope=scope, height=300,
            labels={"nip": "NIP", "nama": "Nama", "opd": "OPD", "jabatan": "Jabatan", "kekurangan": "Kekurangan"})
actions.download_button(st, "Unduh daftar (CSV)", queries.incomplete_employees_file(scope, flt), "csv",
                        "data belum lengkap",
                        f"belum_lengkap_{period}.csv", mime="text/csv", key="data_dl_incomplete")

st.subheader("Impor terakhir")
batches = queries.recent_batches(scope)
if not scope.unlimited:
    st.caption("Jumlah baris tiap berkas mencakup seluruh instansi, jadi tidak ditampilkan untuk akun yang dibatasi "
               "pada OPD tertentu.")
tables.show(batches, key="data_tbl_batches",
            labels={"batch_id": "Batch", "file_name": "Berkas", "isi": "Isi", "rows_read": "Dibaca",
                    "rows_accepted": "Diterima", "rows_rejected": "Ditolak", "imported_at": "Waktu impor",
                    "imported_by": "Oleh", "dibatalkan": "Dibatalkan"},
            ints=("rows_read", "rows_accepted", "rows_rejected"))
st.caption(f"Impor terakhir: {fmt.stamp(status['last_import'])}")      # as every other date on a page
