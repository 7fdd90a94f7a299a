"""Potensi Tinggi: clustering suggests high-potential employees, explains each flag, and records the committee's decision."""
import pandas as pd
import streamlit as st

from talenta import access, charts, hipo, privacy, rules
from talenta.errors import UsageError
from talenta.escape import markdown as md
from talenta.ui import actions, auth, errors, filters, fmt, people, queries, resources, tables, presentation

scope, flt, settings = resources.current_scope(), filters.current_filters(), resources.get_settings()
st.title(f"Potensi Tinggi {flt.period or ''}")
filters.summary_line(flt)
st.warning("**Saran, bukan keputusan.** Penanda potensi tinggi dihasilkan algoritma pengelompokan sebagai pendapat "
           "kedua bagi Komite Talenta. Setiap penanda disertai alasannya; keputusan dibuat dan dicatat oleh Komite "
           "(UU 27/2022 Pasal 10: pegawai berhak menolak keputusan yang semata-mata didasarkan pada pemrosesan otomatis).")
if flt.period is None:
    st.info("Belum ada data kinerja atau asesmen.")
    st.stop()
period, rs, params = flt.period, queries.active_rule_set(), settings.hipo_params()
try:
    v, cells = queries.hipo_view(scope, flt, rs, params, tables.SCREEN_ROWS)
except UsageError as exc:
    errors.show(exc)
    st.stop()
dec = queries.hipo_decisions(period)[["nip", "keputusan", "catatan", "oleh", "pada"]]


def model():
    """The whole model's rows for downloads and the decision form (shared and read-only: never modified here)."""
    return queries.hipo_result(scope, flt, rs, params)


def with_decisions(rows):
    """Rows of the model with the committee's current decision, as the scope may see them."""
    return hipo.people(rows, dec, scope)


def on_page(rows):
    """The listed columns; an unplaced employee's box reads "–" (Streamlit shows an empty number as None)."""
    out = rows[[c for c in COLS if c in rows]]
    return out.assign(kotak=[("–" if pd.isna(k) else str(int(k))) for k in rows["kotak"]]) if "kotak" in out else out


def all_flagged():
    rows = with_decisions(hipo.listed(model(), lambda t: t[t["hipo"]], v.list_count(v.n_hipo), scope))
    return rows[[c for c in hipo.FILE_COLUMNS if c in rows]]


on_screen = with_decisions(v.flagged)

num = lambda n: privacy.text(n, fmt.num)  # noqa: E731
LOW = f"{min(rules.VERIFY_BOXES)}-{max(rules.VERIFY_BOXES)}"      # the boxes where a flag needs checking
st.caption("Model dilatih pada seluruh pegawai berasesmen instansi pada periode ini; filter OPD, jenis jabatan dan "
           "jenis ASN hanya memilih pegawai yang ditampilkan dan dihitung. Penanda dan keyakinan seseorang tidak "
           "berubah karena filter.")
c = st.columns(4)
c[0].metric("Pegawai dengan asesmen berlaku", num(v.n))
c[1].metric(hipo.flagged_label(v), num(v.n_hipo))
c[2].metric(f"Perlu verifikasi (ditandai, di kotak {LOW})", num(v.n_flag_verify),
            help=f"Penanda pada pegawai di kotak {LOW} bertentangan dengan penempatannya: periksa data kinerja dan "
                 "asesmennya sebelum diusulkan. Tidak pernah dihitung sebagai potensi tinggi begitu saja.")
c[3].metric("Perlu kajian (kurang stabil)", num(v.n_review))
st.info(hipo.reconcile(v, params.flag_threshold, num))

left, right = st.columns(2)
if hipo.profiles_shown(v):
    left.plotly_chart(charts.cluster_profiles(v.profiles, hipo.FEATURES, "Profil klaster (rata-rata nilai)"),
                      key="hipo_profiles", config=presentation.CHART_CONFIG)
else:        # no cluster may be shown (small groups for a masked scope, or nobody assessed): say so, no empty axes
    left.info(hipo.profiles_withheld(scope))
if not privacy.threshold(scope):
    right.plotly_chart(charts.cluster_scatter(cells, "Sebaran pegawai menurut klaster"), key="hipo_scatter",
                       config=presentation.CHART_CONFIG)
else:        # masked: a dot is a person, so the scatter is not drawn (the profiles on the left are averages)
    right.info("Sebaran pegawai menurut klaster tidak ditampilkan pada tampilan ini: setiap titik bisa menunjuk "
               "satu orang. Profil klaster di sebelah kiri adalah rata-rata.")
with st.expander("Metode (untuk analis)"):
    fitted_on = f"{num(v.n_fit)} pegawai" if v.n_fit is not None else "sampel pegawai seluruh instansi"
    st.markdown(
        f"- **Model**: Gaussian mixture (kovarians penuh) atas {', '.join(hipo.FEATURES[f] for f in v.features_used)}"
        f", dilatih pada {fitted_on} (seluruh instansi, periode {period}), lalu diterapkan ke semua.\n"
        f"- **Jumlah klaster**: {v.k}, dipilih dengan BIC (dicoba {params.k_min}-{params.k_max}); klaster "
        f"potensi tinggi: {', '.join(map(str, v.hipo_clusters))} (rata-rata profil tertinggi).\n"
        f"- **Keyakinan**: peluang posterior masuk klaster potensi tinggi; ditandai bila ≥ "
        f"{fmt.pct(params.flag_threshold, 0)}.\n"
        f"- **Stabilitas**: {params.bootstrap} pengulangan bootstrap; rata-rata adjusted Rand index (ARI) "
        f"{fmt.num(v.ari_mean, 2) if v.ari_mean is not None else '–'} (1 = pengelompokan identik); "
        f"penanda yang muncul di kurang dari {fmt.pct(params.stability_threshold, 0)} pengulangan: perlu kajian.\n"
        f"- **Aturan**: {md(rs.label)}. Rincian: docs/hipo.md.")
    tables.show(pd.DataFrame({"k": list(v.bic), "bic": list(v.bic.values())}), key="hipo_tbl_bic",
                labels={"k": "Jumlah klaster", "bic": "BIC (lebih kecil lebih baik)"}, decimals={"bic": 0})

COLS = {"nip": "NIP", "nama": "Nama", "opd": "OPD", "kotak": "Kotak", "status": "Status", "cluster": "Klaster",
        "confidence": "Keyakinan", "stability": "Stabilitas", "perlu_kajian": "Perlu kajian", "alasan": "Alasan",
        "keputusan": "Keputusan Komite"}
st.subheader("Pegawai yang ditandai")
if privacy.threshold(scope):
    st.caption(privacy.note(privacy.threshold(scope)))
if not privacy.people_allowed(scope):            # tamu: aggregates only
    st.info(privacy.withheld(scope))
elif not privacy.hidden(v.n_hipo) and v.n_hipo > len(on_screen):
    st.caption(f"{fmt.num(len(on_screen))} teratas menurut keyakinan dari {fmt.num(v.n_hipo)} pegawai yang "
               "ditandai; unduhan di bawah berisi semuanya.")
BARS = {"confidence": st.column_config.ProgressColumn("Keyakinan", min_value=0, max_value=1),
        "stability": st.column_config.ProgressColumn("Stabilitas", min_value=0, max_value=1)}
if privacy.people_allowed(scope):
    people.show(on_page(on_screen), key="hipo_tbl_flagged", scope=scope, height=360, labels=COLS, column_config=BARS)
if len(on_screen):                          # nothing listed (none flagged, or a masked list): nothing to download
    d1, d2 = st.columns(2)
    actions.download_button(d1, "Unduh XLSX", all_flagged, "xlsx", "potensi tinggi", f"potensi_tinggi_{period}.xlsx",
                            key="hipo_dl_xlsx", sheet="Potensi tinggi")
    actions.download_button(d2, "Unduh CSV", all_flagged, "csv", "potensi tinggi", f"potensi_tinggi_{period}.csv",
                            key="hipo_dl_csv")

# only the open tab runs and is sent (each list is up to 500 rows with reasons, ~100 KB at national size)
tab1, tab2, tab3 = st.tabs(["Klaster × kotak", "Talenta tersembunyi", "Di KRS, tidak ditandai"], key="hipo_tab",
                           on_change="rerun")
if tab1.open is not False:
    ct = v.crosstab.rename(columns={0: "Belum", **{i: f"Kotak {i}" for i in range(1, 10)}}).rename_axis("Klaster")
    tab1.dataframe(ct.map(lambda n: privacy.text(n, fmt.num)), width="stretch")     # 3.843, or • when hidden


def list_tab(tab, caption: str, rows, select, count, name: str) -> None:
    """One list tab: its count, the capped list, and a download of every row ``select`` picks."""
    tab.caption(caption)
    if not privacy.people_allowed(scope):
        tab.info(privacy.withheld(scope))
        return
    with tab:
        people.show(on_page(with_decisions(rows)), key=f"hipo_tbl_{name}", scope=scope, height=360, labels=COLS,
                    column_config=BARS)
    actions.download_button(tab, "Unduh semua (CSV)", lambda: on_file(with_decisions(
        hipo.listed(model(), select, count, scope))), "csv", f"potensi tinggi {name}", f"{name}_{period}.csv",
        key=f"hipo_dl_{name}")


def on_file(rows):
    return rows[[c for c in hipo.FILE_COLUMNS if c in rows]]


if tab2.open:
    list_tab(tab2, f"{num(v.n_hidden)} pegawai ditandai potensi tinggi tetapi tidak di kotak {rules.KRS_SHORT} (atau belum "
             f"terpetakan; yang di kotak {LOW} berstatus perlu verifikasi); paling yakin lebih dahulu.", v.hidden,
             hipo.hidden_talent, v.list_count(v.n_hidden), "talenta_tersembunyi")
if tab3.open:
    list_tab(tab3, f"{num(v.n_verify)} pegawai di kotak {rules.KRS_SHORT} yang tidak ditandai: periksa profil kompetensinya "
             "(yang paling dekat dengan penanda lebih dahulu).", v.verify, hipo.to_verify, v.n_verify,
             "krs_tidak_ditandai")
if not privacy.hidden(v.n) and v.n and privacy.list_allowed(scope, v.list_count(v.n)):
    # every assessed employee in scope, flagged or not (what `python -m talenta hipo --all` writes)
    st.caption(f"Daftar di layar dibatasi {fmt.num(tables.SCREEN_ROWS)} baris; setiap unduhan berisi semua baris "
               "daftarnya.")
    actions.download_button(st, "Unduh semua pegawai berasesmen (CSV)", lambda: on_file(with_decisions(
        hipo.listed(model(), lambda t: t, v.list_count(v.n), scope))), "csv", "potensi tinggi semua berasesmen",
        f"berasesmen_{period}.csv", key="hipo_dl_all")

st.subheader("Keputusan Komite Talenta")
if scope.mask_identity:
    st.info("Formulir keputusan tidak tersedia dalam mode presentasi." if privacy.people_allowed(scope) else
            "Keputusan atas pegawai berpotensi tinggi dicatat oleh Komite Talenta.")
elif not access.can(auth.current_user(), "hipo_decide"):
    st.info("Keputusan atas pegawai berpotensi tinggi dicatat oleh Komite Talenta.")
elif not privacy.hidden(v.n_hipo) and v.n_hipo:
    labels = dict(zip(on_screen["nip"], on_screen["nama"] + " · " + on_screen["opd"]))
    with st.form("hipo_form"):     # not cleared: a double click sends the same decision again (recorded once)
        nip = st.selectbox("Pegawai", list(on_screen["nip"]), format_func=lambda n: f"{labels[n]} ({n})",
                           key="hipo_pick")
        other = st.text_input("Atau NIP pegawai lain yang ditandai", key="hipo_pick_nip").strip() \
            if v.n_hipo > len(on_screen) else ""
        keputusan = st.radio("Keputusan", hipo.DECISIONS, horizontal=True, key="hipo_decision")
        catatan = st.text_area("Catatan", key="hipo_note")
        if st.form_submit_button("Simpan keputusan"):
            if other and not hipo.is_flagged(model(), other):
                st.error(f"NIP '{md(other)}' tidak ada di antara pegawai yang ditandai potensi tinggi; keputusan "
                         "belum dicatat.")
                st.stop()
            nip = other or nip
            actions.hipo_decision(nip, period, keputusan, catatan)
            who = labels.get(nip) or nip
            st.success(f"Keputusan '{md(keputusan)}' untuk {md(who)} dicatat.")
            st.rerun()
    hist = hipo.decision_history(resources.get_connection(), period, scope=scope)
    tables.show(hist, key="hipo_tbl_hist", labels={"nip": "NIP", "keputusan": "Keputusan", "catatan": "Catatan",
                                                    "oleh": "Oleh", "pada": "Waktu"})
