"""Talenta entrypoint: page config, database check, shared sidebar filters, navigation, presentation mode."""
import streamlit as st

from talenta.errors import TalentaError
from talenta.ui import errors, filters, presentation, resources

st.set_page_config(page_title="Talenta · Manajemen Talenta ASN", page_icon="📊", layout="wide")

settings = resources.get_settings()
try:
    resources.get_connection()
    st.sidebar.toggle("Mode presentasi", key=resources.PRESENTATION_KEY, on_change=resources.keep_presentation_choice,
                      value=bool(st.session_state.get(resources.PRESENTATION_STATE, False)),
                      help="Untuk rapat: huruf besar, identitas (NIP, nama) disamarkan, kelompok kecil disembunyikan, "
                           "tanpa kontrol penyuntingan; telusuri tampilan utama dengan tombol di bawah halaman.")
    filters.render_sidebar(resources.current_scope())
except TalentaError as exc:
    errors.show(exc)
    st.stop()

key_views = [
    st.Page("views/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", url_path="ringkasan", default=True),
    st.Page("views/peta.py", title="Peta Talenta", icon=":material/grid_view:", url_path="peta-talenta"),
    st.Page("views/pool.py", title="Talent Pool per OPD", icon=":material/groups:", url_path="talent-pool"),
    st.Page("views/hipo.py", title="Potensi Tinggi", icon=":material/star:", url_path="potensi-tinggi"),
]
more = [st.Page("views/data.py", title="Data", icon=":material/database:", url_path="data"),
        st.Page("views/ekspor.py", title="Ekspor", icon=":material/download:", url_path="ekspor")]
admin = [
    st.Page("views/impor.py", title="Impor Data", icon=":material/upload_file:", url_path="impor"),
    st.Page("views/aturan.py", title="Aturan", icon=":material/rule:", url_path="aturan"),
    st.Page("views/cadangan.py", title="Cadangan", icon=":material/backup:", url_path="cadangan"),
]
if presentation.active():     # meeting form: the key views only, no editing pages
    nav = st.navigation(key_views)
else:
    nav = st.navigation({"Talenta": key_views + more, "Pengelolaan data": admin})
presentation.apply_style()
st.sidebar.caption(f"{settings.instansi} · data sintetis bila dibangun dengan `make run`")
nav.run()
if presentation.active():
    presentation.stepper(key_views, nav)
