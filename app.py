"""Talenta entrypoint: page config, database check, shared sidebar filters, navigation."""
import streamlit as st

from talenta.errors import TalentaError
from talenta.ui import errors, filters, queries, resources

st.set_page_config(page_title="Talenta · Manajemen Talenta ASN", page_icon=":material/groups:", layout="wide")

settings = resources.get_settings()
try:
    resources.get_connection()
    scope = resources.current_scope()
    filters.render_sidebar(scope)
except TalentaError as exc:
    errors.show(exc)
    st.stop()

pages = [
    st.Page("views/peta.py", title="Peta Talenta", icon=":material/grid_view:", url_path="peta-talenta",
            default=True),
    st.Page("views/data.py", title="Data", icon=":material/database:", url_path="data"),
]
admin = [
    st.Page("views/impor.py", title="Impor Data", icon=":material/upload_file:", url_path="impor"),
    st.Page("views/aturan.py", title="Aturan", icon=":material/rule:", url_path="aturan"),
]
nav = st.navigation({"Talenta": pages, "Pengelolaan data": admin})
st.sidebar.caption(f"{settings.instansi} · data sintetis bila dibangun dengan `make run`")
nav.run()
