"""Aturan: the active rule set in words, its history, and a form to adopt new cut-offs after previewing their effect."""
import streamlit as st

from talenta import access, charts, labels, rules, schema
from talenta.escape import markdown as md
from talenta.errors import TalentaError
from talenta.rules import RuleSetError
from talenta.ui import actions, auth, errors, filters, fmt, inputs, queries, resources, tables

settings = resources.get_settings()
scope = resources.current_scope()
flt = filters.current_filters()
active = queries.active_rule_set()
may_activate = access.can(auth.current_user(), "ruleset_activate")

st.title("Aturan penilaian")
if done := st.session_state.pop("at_done", None):     # after a save or an activation: the page reran under it
    st.success(done)
st.subheader(md(active.label))
st.caption(f"Dibuat oleh {md(active.created_by or '–')} pada {active.created_at[:16] or '–'}. {md(active.note)}")
for line in active.describe():
    st.markdown("- " + line)
box_table = [{"Kotak": b.number, "Label": b.label, "Rekomendasi": b.rekomendasi, "KRS": "ya" if b.krs else ""}
             for b in rules.BOXES]
with st.expander("Sembilan kotak dan rekomendasinya (PermenPANRB 3/2020)"):
    st.dataframe(box_table, hide_index=True, width="stretch")

st.subheader("Ubah aturan")
st.write("Isi nilai baru, lihat dampaknya pada peta talenta periode terpilih, lalu simpan sebagai versi baru. "
         "Versi lama tetap tersimpan dan dapat diaktifkan kembali.")
with st.form("aturan_form"):
    c1, c2, c3 = st.columns(3)
    dec = inputs.decimal_input
    k_atas = dec(c1, "Kinerja: batas 'di atas ekspektasi'", active.kinerja_atas, 0.0, 200.0, key="at_k_atas")
    k_sesuai = dec(c1, "Kinerja: batas 'sesuai ekspektasi'", active.kinerja_sesuai, 0.0, 200.0, key="at_k_sesuai")
    k_years = c1.number_input("Tahun kinerja yang dirata-rata", 1, 5, active.kinerja_years, key="at_k_years")
    p_tinggi = dec(c2, "Potensial: batas 'tinggi'", active.potensial_tinggi, 0.0, 200.0, key="at_p_tinggi")
    p_menengah = dec(c2, "Potensial: batas 'menengah'", active.potensial_menengah, 0.0, 200.0, key="at_p_menengah")
    a_years = c2.number_input("Masa berlaku asesmen (tahun)", 1, 5, active.asesmen_years, key="at_a_years")
    jpm_cap = dec(c2, "JPM dihitung paling tinggi", active.jpm_cap, 50.0, 200.0, key="at_jpm_cap")
    points = {p: dec(c3, f"Nilai predikat {p}", active.predikat_points[p], 0.0, 100.0, key=f"at_pt_{i}")
              for i, p in enumerate(schema.PREDIKAT)}          # in the regulation's order, best first
    w = st.columns(4)
    weights = {c: dec(w[i], f"Bobot {labels.label(c).lower()}", active.weights[c], 0.0, 10.0, key=f"at_w_{i}")
               for i, c in enumerate(rules.SCORE_COLUMNS)}
    previewed = st.form_submit_button("Pratinjau dampak")

typed = [k_atas, k_sesuai, p_tinggi, p_menengah, jpm_cap, *points.values(), *weights.values()]
candidate = None
if any(v is None for v in typed):
    st.error("Ada isian yang belum berupa angka yang sah (lihat pesan di bawah isiannya); aturan belum dapat "
             "dipratinjau.")
else:
    try:
        candidate = rules.RuleSet(predikat_points=points, kinerja_sesuai=k_sesuai, kinerja_atas=k_atas,
                                  kinerja_years=int(k_years), potensial_menengah=p_menengah, potensial_tinggi=p_tinggi,
                                  asesmen_years=int(a_years), jpm_cap=jpm_cap, weights=weights)
    except RuleSetError as exc:
        errors.show(exc)

if candidate is not None and flt.period and candidate.rules_dict() != active.rules_dict():
    m = queries.sensitivity(scope, flt, active, candidate)
    moved = int(m.to_numpy().sum() - m.to_numpy().trace())
    st.metric(f"Pegawai yang pindah kotak ({flt.period}, filter aktif)", fmt.num(moved))
    st.plotly_chart(charts.transition_heatmap(m, f"Perpindahan kotak bila aturan baru dipakai, {flt.period}"),
                    key="at_sens_chart")
    st.caption("Baris: kotak dengan aturan aktif; kolom: kotak dengan aturan baru; 'Belum' = belum terpetakan.")
    # beside the save button, outside the form: what is typed here reaches the save (inside the form it reached
    # the server only with the next preview, and the save said the name was missing)
    name = st.text_input("Nama versi baru", key="at_name", placeholder="mis. Keputusan Komite Talenta 2026")
    note = st.text_area("Catatan (dasar keputusan)", key="at_note")
    if st.button("Simpan sebagai versi baru dan aktifkan" if may_activate else "Simpan sebagai usulan versi baru",
                 type="primary", key="at_save"):
        try:
            saved = actions.save_rule_set(candidate, name=name, note=note)
        except TalentaError as exc:
            errors.show(exc)
        else:       # rerun: the heading and the rules above named the old set until the next click (review 10, 7)
            st.session_state["at_done"] = (f"{md(saved.label)} disimpan dan aktif." if may_activate else
                                           f"{md(saved.label)} disimpan sebagai usulan; administrator yang "
                                           "mengaktifkannya.")
            st.rerun()
elif candidate is not None and previewed:
    st.info("Nilai yang diisi sama dengan aturan aktif: tidak ada yang berubah.")

st.subheader("Riwayat aturan")
hist = queries.rule_set_history()
tables.show(hist.drop(columns=["params"]), key="at_tbl_hist",
            labels={"rule_set_id": "No.", "name": "Nama", "note": "Catatan", "created_by": "Dibuat oleh",
                    "created_at": "Dibuat", "active": "Aktif", "activated_by": "Diaktifkan oleh",
                    "activated_at": "Diaktifkan"})
others = hist.loc[~hist["active"], "rule_set_id"].tolist()
if others and may_activate:
    a1, a2 = st.columns([1, 2])
    pick = a1.selectbox("Aktifkan kembali versi", others, key="at_pick")
    if a2.button("Aktifkan", key="at_activate"):
        actions.activate_rule_set(int(pick))
        st.session_state["at_done"] = f"Aturan #{pick} kini aktif."
        st.rerun()
