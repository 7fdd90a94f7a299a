"""Ekspor: the meeting slides (PPTX) and the working book (XLSX) for the current filters, with provenance."""
import streamlit as st

from talenta import export
from talenta.errors import TalentaError
from talenta.escape import markdown as md
from talenta.ui import actions, errors, filters, fmt, queries, resources, tables

settings, flt = resources.get_settings(), filters.current_filters()
st.title("Ekspor dan presentasi")
filters.summary_line(flt)
if flt.period is None:
    st.info("Belum ada data untuk diekspor.")
    st.stop()
rs = queries.active_rule_set()
st.write(f"Bahan rapat (PPTX) dan buku kerja (XLSX) dibuat untuk filter di atas, periode **{flt.period}**, dengan **{md(rs.label)}**. Setiap berkas "
         "membawa cap asal-usul (instansi, periode, filter, aturan, batch impor, waktu, pembuat) dan tercatat di riwayat "
         "ekspor. Grafik di halaman lain dapat diunduh sebagai PNG resolusi presentasi lewat ikon kamera pada grafik.")
unmasked = resources.current_scope().may_unmask and st.checkbox(
    "Tampilkan identitas pegawai (NIP dan nama) — hanya untuk keperluan internal yang sah", key="exp_unmasked")
if unmasked:
    st.warning("Berkas akan berisi identitas pegawai. Pastikan penerimanya berhak (UU 27/2022).")


made_for = actions.made_for(resources.export_scope(unmasked), flt, rs)


def _make(kind: str):
    try:
        scope = resources.export_scope(unmasked)
        st.session_state[f"exp_{kind}"] = (*actions.export_file(kind, scope, flt, rs), made_for)
    except TalentaError as exc:
        errors.show(exc)


c1, c2 = st.columns(2)
if c1.button("Buat bahan rapat (PPTX)", type="primary", key="exp_make_pptx"):
    with st.spinner("Menyusun bahan rapat…"):
        _make("pptx")
if c2.button("Buat buku kerja (XLSX)", key="exp_make_xlsx"):
    with st.spinner("Menyusun buku kerja…"):
        _make("xlsx")
mime = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
for kind, col in (("pptx", c1), ("xlsx", c2)):
    if f"exp_{kind}" in st.session_state:
        name, data, built_for = st.session_state[f"exp_{kind}"]
        if built_for != made_for:      # other identities, filters, data or calibration: never offer it again
            del st.session_state[f"exp_{kind}"]
            col.caption("Berkas yang dibuat sebelumnya tidak ditawarkan lagi: identitas, filter, data atau kalibrasi "
                        "sudah berubah. Buat lagi.")
            continue
        col.download_button(f"Unduh {name} ({fmt.num(len(data) / 1024)} KB)", data, name, mime=mime[kind],
                            key=f"exp_dl_{kind}")

st.subheader("Riwayat ekspor")
log = export.export_history(resources.get_connection(), resources.current_scope(), resources.current_user().username)
tables.show(log.assign(kind=log["kind"].map({"pptx": "Bahan rapat (PPTX)", "xlsx": "Buku kerja (XLSX)"}).fillna(log["kind"])),
            key="exp_tbl_log", empty="Belum ada ekspor.")
