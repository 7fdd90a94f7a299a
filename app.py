"""Talenta entrypoint: page config, database check, shared sidebar filters, navigation."""
import streamlit as st

from talenta.errors import TalentaError
from talenta.ui import errors, filters, resources

st.set_page_config(page_title="Talenta · Manajemen Talenta ASN", page_icon="📊", layout="wide")

settings = resources.get_settings()
try:
    resources.get_connection()
    st.sidebar.toggle("Mode presentasi", key=resources.PRESENTATION_KEY,
                      help="Untuk rapat: identitas (NIP, nama) disamarkan dan kelompok kecil disembunyikan.")
    filters.render_sidebar(resources.current_scope())
except TalentaError as exc:
    errors.show(exc)
    st.stop()

pages = [
    st.Page("views/ringkasan.py", title="Ringkasan", icon=":material/dashboard:", url_path="ringkasan",
            default=True),
    st.Page("views/peta.py", title="Peta Talenta", icon=":material/grid_view:", url_path="peta-talenta"),
    st.Page("views/pool.py", title="Talent Pool per OPD", icon=":material/groups:", url_path="talent-pool"),
    st.Page("views/hipo.py", title="Potensi Tinggi", icon=":material/star:", url_path="potensi-tinggi"),
    st.Page("views/data.py", title="Data", icon=":material/database:", url_path="data"),
]
admin = [
    st.Page("views/impor.py", title="Impor Data", icon=":material/upload_file:", url_path="impor"),
    st.Page("views/aturan.py", title="Aturan", icon=":material/rule:", url_path="aturan"),
]
nav = st.navigation({"Talenta": pages, "Pengelolaan data": admin})
st.sidebar.caption(f"{settings.instansi} · data sintetis bila dibangun dengan `make run`")
nav.run()
