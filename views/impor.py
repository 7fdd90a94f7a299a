"""Impor Data: upload SIASN / e-Kinerja / assessment files, check the mapping, import, see every rejected row."""
import pandas as pd
import streamlit as st

from talenta import labels, schema
from talenta.escape import markdown as md
from talenta.errors import ImportFileError, TalentaError, UsageError
from talenta.ingest import loader
from talenta.ingest.loader import undo_plan
from talenta.ui import actions, errors, fmt, queries, resources, style, tables, upload

settings = resources.get_settings()
st.title("Impor Data")
st.write("Unggah berkas apa adanya: ekspor SIASN (data pegawai), laporan SKP e-Kinerja, rekap hasil asesmen, "
         "riwayat jabatan, hukuman disiplin, diklat/pelatihan, atau formasi jabatan target "
         "(CSV atau XLSX). Talenta mengenali kolomnya, memeriksa setiap baris, menyimpan baris yang benar dan "
         "menjelaskan setiap baris yang ditolak. Berkas yang sama tidak akan terhitung dua kali.")

style.uploader_texts(settings.max_upload_mb, ["csv", "xlsx", "txt"])
files = st.file_uploader("Berkas CSV / XLSX", type=["csv", "xlsx", "txt"], accept_multiple_files=True,
                         key="imp_files", max_upload_size=settings.max_upload_mb,
                         help=f"Maksimal {settings.max_upload_mb} MB per berkas.")
st.caption(f"Batas unggah {settings.max_upload_mb} MB per berkas (TALENTA_MAX_UPLOAD_MB). Berkas yang lebih besar "
           "ditolak sebelum dikirim (pesan peramban: \"File must be ... or smaller\") dan tidak mengubah apa pun.")
c1, c2 = st.columns(2)
period = c1.number_input("Tahun penilaian (hanya bila berkas tidak punya kolom tahun)", min_value=2000,
                         max_value=2100, value=None, step=1, key="imp_period", placeholder="dari kolom berkas")
sheet = c2.text_input("Nama lembar Excel (kosong: lembar aktif, atau lembar terlihat pertama yang berisi tabel)",
                      key="imp_sheet") or None



def readable(rej: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows as a user reads them: column and reason names in Indonesian."""
    return rej.assign(kolom=rej["kolom"].map(labels.columns_text),
                      reason=rej["reason"].map(lambda cs: "; ".join(labels.reason(c) for c in str(cs).split(";") if c)))


checked = []
for f in files or []:
    if refusal := upload.too_large(f):
        st.error(refusal)
        continue
    digest, pv = upload.preview_of(f, int(period) if period else None, sheet)
    if isinstance(pv, ImportFileError):
        st.error(f"**{md(f.name)}** tidak dapat diimpor: {md(pv.message)}")
        continue
    checked.append((f, digest, pv))
# employee files first, and the others previewed as they will import: after them (loader.import_order; their NIP
# check counts the employee files' NIPs as known: loader.preview's also_known)
checked = [checked[i] for i in loader.import_order([pv for _, _, pv in checked])]
master_nips = loader.master_nips([pv for _, _, pv in checked])
masters = tuple(d for _, d, pv in checked if schema.PEGAWAI in pv.kinds and not pv.already_imported)
ready = []
for f, digest, pv in checked:
    along = None
    if schema.PEGAWAI not in pv.kinds and master_nips is not None and pv.unknown_nip and not pv.already_imported:
        before = pv.unknown_nip
        again = upload.preview_of(f, int(period) if period else None, sheet, masters, master_nips)[1]
        pv = again if not isinstance(again, ImportFileError) else pv
        if before > pv.unknown_nip:
            along = (f"{fmt.num(before - pv.unknown_nip)} baris dengan NIP dari berkas data pegawai yang ikut "
                     "diunggah dihitung diterima: berkas data pegawai diimpor lebih dulu.")
    kinds = ", ".join(schema.KIND_LABELS[k] for k in pv.kinds)
    with st.expander(f"{md(f.name)}: {kinds} · {fmt.num(pv.rows_read)} baris", expanded=len(files) == 1):
        if along:
            st.caption(along)
        if pv.already_imported:
            st.info(f"Berkas yang sama persis sudah diimpor (batch {pv.already_imported}); mengimpornya lagi "
                    "tidak mengubah apa pun.")
        passed = pv.rows_read - pv.rejected_now - pv.unknown_nip
        where = f"Judul kolom ditemukan di baris {pv.header_row}" + (f", lembar '{md(pv.sheet)}'" if pv.sheet else "")
        if pv.already_imported:     # nothing would be accepted or rejected again: no estimate of an import (review 5, 18)
            st.write(where + f". Isi berkas menurut pemeriksaan sekarang: {fmt.num(passed)} baris lolos, "
                     f"{fmt.num(pv.rejected_now)} tidak lolos karena isinya, {fmt.num(pv.unknown_nip)} dengan NIP "
                     "yang belum ada di data pegawai.")
        else:
            st.write(where + f". Perkiraan: {fmt.num(passed)} diterima, {fmt.num(pv.rejected_now)} ditolak karena "
                     f"isinya, {fmt.num(pv.unknown_nip)} ditolak karena NIP belum ada di data pegawai.")
        tables.show(pd.DataFrame(pv.mapping), key=f"imp_map_{digest}")
        if len(pv.rejected) and pv.already_imported:
            st.markdown(f"**Baris yang tidak lolos pemeriksaan ({fmt.num(len(pv.rejected))})** — perbaiki di "
                        "berkas sumber, lalu impor berkas yang sudah diperbaiki.")
            tables.show(readable(pv.rejected).head(tables.SCREEN_ROWS), key=f"imp_prev_rej_{digest}", height=240)
        elif len(pv.rejected):
            st.markdown(f"**Baris yang akan ditolak ({fmt.num(len(pv.rejected))})** — perbaiki di berkas sumber "
                        "sebelum mengimpor, atau impor sekarang dan perbaiki kemudian.")
            tables.show(readable(pv.rejected).head(tables.SCREEN_ROWS), key=f"imp_prev_rej_{digest}", height=240)
        else:
            st.caption("Tidak ada baris yang akan ditolak.")
        for rn, why in pv.skipped:
            st.caption(f"Baris {rn}: {md(why)}")
    ready.append(f)

if ready and st.button(f"Impor {len(ready)} berkas", type="primary", key="imp_go"):
    results = []
    for f in ready:
        bar = st.progress(0.0, text=f"{f.name}: mulai")
        with errors.guarded("impor"), upload.saved(f) as path:
            results.append(actions.import_one(
                path, file_name=f.name, period=int(period) if period else None, sheet=sheet, refresh=False,
                progress=lambda x, m, f=f, bar=bar: bar.progress(x, text=f"{f.name}: {m}")))
    actions.after_imports()
    upload.forget_previews()
    st.session_state["imp_last"] = [(r.summary(), r.batch, r.rejected, r.status) for r in results]

for summary, batch, rejected, status in st.session_state.get("imp_last", []):
    (st.warning if rejected else st.success)(md(summary))

st.subheader("Baris yang ditolak")
rej = queries.rejected_rows()
if rej.empty:
    st.write("Belum ada baris yang ditolak.")
else:
    f1, f2 = st.columns(2)
    batch_pick = f1.multiselect("Batch", sorted(rej["batch"].unique(), reverse=True), key="imp_rej_batch",
                                placeholder="Semua batch")
    codes = sorted({c for cs in rej["reason"] for c in cs.split(";")})
    code_pick = f2.multiselect("Alasan", codes, key="imp_rej_code", placeholder="Semua alasan",
                               format_func=labels.reason)
    view = rej[rej["batch"].isin(batch_pick)] if batch_pick else rej
    if code_pick:
        view = view[view["reason"].str.split(";").map(lambda cs: bool(set(cs) & set(code_pick)))]
    st.caption(f"{fmt.num(len(view))} baris. Perbaiki di berkas sumber pada baris yang disebut, lalu impor ulang.")
    view = readable(view)
    tables.show(view.drop(columns=["nilai_asli"]), key="imp_tbl_rej", height=320)
    d1, d2 = st.columns(2)
    actions.download_button(d1, "Unduh XLSX", view, "xlsx", "baris ditolak", "baris_ditolak.xlsx", key="imp_dl_xlsx",
                            sheet="Baris ditolak")
    actions.download_button(d2, "Unduh CSV", view, "csv", "baris ditolak", "baris_ditolak.csv", key="imp_dl_csv")

st.subheader("Riwayat impor")
hist = queries.recent_batches(resources.current_scope(), 200)
tables.show(hist, key="imp_tbl_hist", ints=("rows_read", "rows_accepted", "rows_rejected"))
st.subheader("Batalkan batch")
st.caption("Membatalkan sebuah batch mengeluarkan baris-barisnya; setiap kolom yang ditulis batch itu kembali ke nilai "
           "dari batch lain yang masih berlaku, kolom lain tidak berubah.")
if msg := st.session_state.pop("imp_undo_msg", None):
    (st.success if msg[0] else st.error)(msg[1])
active = hist.loc[~hist["dibatalkan"]]
files_of = dict(zip(active["batch_id"], active["file_name"]))


def _undo(batch: int, dependents: list[int]) -> None:
    """Runs before the next rerun, so the history above already shows the result."""
    try:
        counts = actions.undo(batch, with_dependents=dependents)
        also = f" bersama batch {', '.join(map(str, dependents))}" if dependents else ""
        st.session_state["imp_undo_msg"] = (True, f"Batch {batch} dibatalkan{also}: {fmt.num(sum(counts.values()))} "
                                                  "baris dikeluarkan, nilai sebelumnya dikembalikan.")
    except TalentaError as exc:
        st.session_state["imp_undo_msg"] = (False, md(str(exc)))
    st.session_state["imp_undo_pick"] = None
    st.session_state["imp_undo_confirm"] = ""


if files_of:
    to_undo = st.selectbox("Batch yang akan dibatalkan", list(files_of), index=None, key="imp_undo_pick",
                           placeholder="Pilih batch", format_func=lambda b: f"Batch {b} · {files_of[b]}")
    plan = None
    if to_undo is not None:
        try:
            plan = undo_plan(resources.get_connection(), int(to_undo))
        except UsageError as exc:
            errors.show(exc)
    if plan is not None:
        written = "; ".join(f"{schema.KIND_LABELS[k]}: " + ", ".join(schema.COLUMNS[c].label for c in cols
                                                                     if c in schema.COLUMNS)
                            for k, t in loader.TABLES.items() if (cols := plan.columns.get(t)))
        tables.show(pd.DataFrame({"hal": [
            "Berkas", "Isi", "Baris", "Waktu impor", "Kolom yang ditulis"], "isi": [
            plan.file, ", ".join(schema.KIND_LABELS[k] for k in plan.kinds),
            f"{fmt.num(plan.rows_read)} dibaca, {fmt.num(plan.rows_accepted)} diterima",
            fmt.date(plan.imported_at, with_time=True) + (f" oleh {plan.imported_by}" if plan.imported_by else ""),
            written or "–"]}), key="imp_undo_info", labels={"hal": f"Batch {plan.batch}", "isi": " "})
        deps = [b for b, _ in plan.dependents]
        together = True
        if deps:
            st.warning(f"{fmt.num(plan.orphans)} pegawai hanya ada di batch ini dan masih punya data kinerja/asesmen "
                       f"dari {len(deps)} batch lain. Membatalkan batch ini sendiri akan meninggalkan data tanpa "
                       "pegawai; batch-batch di bawah ini harus ikut dibatalkan.")
            tables.show(pd.DataFrame(plan.dependents, columns=["batch", "file"]), key="imp_undo_deps",
                        labels={"batch": "Batch yang ikut dibatalkan", "file": "Berkas"})
            together = st.checkbox(f"Batalkan juga batch {', '.join(map(str, deps))}", key="imp_undo_with")
        if plan.decisions:
            st.warning(
                f"Pembatalan ini mengeluarkan {fmt.num(len({d[0] for d in plan.decisions}))} pegawai yang tercatat "
                "dalam keputusan suksesi atau perpindahan kalibrasi yang masih berlaku. Keputusan itu tetap tersimpan "
                "di riwayatnya, tetapi tidak tampil lagi (suksesor yang ditetapkan menjadi \"tidak ada di data "
                "pegawai\") sampai pegawainya diimpor kembali.")
            tables.show(pd.DataFrame(plan.decisions, columns=["nip", "nama", "keputusan"]), key="imp_undo_decisions",
                        labels={"nip": "NIP", "nama": "Nama", "keputusan": "Keputusan yang terdampak"})
        typed = st.text_input(f"Ketik {plan.batch} untuk mengonfirmasi", key="imp_undo_confirm",
                              placeholder="nomor batch")
        st.button("Batalkan batch", type="primary", key="imp_undo_go",
                  disabled=not (together and typed.strip() == str(plan.batch)),
                  on_click=_undo, args=(plan.batch, deps))
else:
    st.write("Tidak ada batch yang dapat dibatalkan.")
