"""Talenta entrypoint: page config, sign-in gate, shared sidebar filters, navigation per role, presentation mode."""
import streamlit as st

from talenta import access, overview
from talenta.errors import TalentaError
from talenta.escape import markdown as md
from talenta.ui import auth, errors, filters, presentation, queries, resources, slides, style

st.set_page_config(page_title="Talenta · Manajemen Talenta ASN", page_icon="📊", layout="wide",
                   initial_sidebar_state="collapsed" if presentation.active() else "auto")

KEY_VIEWS = (("ringkasan", "Ringkasan", "dashboard", "ringkasan"),
             ("peta", "Peta Talenta", "grid_view", "peta-talenta"),
             ("pool", "Talent Pool per OPD", "groups", "talent-pool"),
             ("hipo", "Potensi Tinggi", "star", "potensi-tinggi"))
MORE = (("profil", "Profil Talenta", "person", "profil"), ("suksesi", "Suksesi", "account_tree", "suksesi"),
        ("kalibrasi", "Kalibrasi", "balance", "kalibrasi"), ("data", "Data", "database", "data"),
        ("ekspor", "Ekspor", "download", "ekspor"))
ADMIN = (("impor", "Impor Data", "upload_file", "impor"), ("aturan", "Aturan", "rule", "aturan"),
         ("pengguna", "Pengguna", "manage_accounts", "pengguna"), ("cadangan", "Cadangan", "backup", "cadangan"))
try:
    settings = resources.get_settings()       # an unusable TALENTA_* value: a message, not Streamlit's error page
    # the login page and st.stop() until signed in: nothing reads data before this. Signed out, every page's
    # address still resolves (a link waits behind the login) but no menu is drawn: a session the server ended kept
    # the signed-out role's menu beside the login form (review 12, L7)
    user = auth.gate(lambda: st.navigation(
        [st.Page(auth.signed_out, title="Masuk", url_path="masuk", default=True)]     # "/": the login form itself
        + [st.Page(f"views/{f}.py", title=t, url_path=u) for f, t, _i, u in KEY_VIEWS + MORE + ADMIN],
        position="hidden"))
    auth.sidebar(user)
    st.sidebar.toggle("Mode presentasi", key=resources.PRESENTATION_KEY, on_change=resources.keep_presentation_choice,
                      value=bool(st.session_state.get(resources.PRESENTATION_STATE, False)),
                      help="Untuk rapat: huruf besar, identitas (NIP, nama) disamarkan, kelompok kecil disembunyikan, "
                           "tanpa kontrol penyuntingan; telusuri tampilan utama dengan tombol di bawah halaman.")
    filters.render_sidebar(resources.current_scope())
except TalentaError as exc:
    errors.show(exc)
    st.stop()


def allowed(*specs: tuple[str, str, str, str]) -> list:
    """Pages (file, title, icon, url path) the signed-in role may use (access.ROLES); the library refuses
    their actions too. The first page of the navigation is the default (Ringkasan, open to every role)."""
    return [st.Page(f"views/{f}.py", title=t, icon=f":material/{i}:", url_path=u)
            for f, t, i, u in specs if access.may_open(user, u)]


key_views = allowed(*KEY_VIEWS)
more = allowed(*MORE)
admin = allowed(*ADMIN)
if presentation.active():     # meeting form: the steps of the key views, one screen each, no editing pages
    steps = slides.pages(lambda url: access.may_open(user, url))
    nav = st.navigation(steps)
else:
    nav = st.navigation({k: v for k, v in {"Talenta": key_views + more, "Pengelolaan data": admin}.items() if v},
                       expanded=True)   # every page listed (Streamlit folds a long menu behind "View more")
wanted = auth.requested_page()          # the page a link pointed at before the login page came between
wanted_params = auth.requested_params()  # and its query parameters (a link to a profile: ?nip=...)
target = next((p for p in key_views + more + admin if wanted and p.url_path == wanted), None)
if target is not None and (target.url_path != nav.url_path or wanted_params) and not presentation.active():
    st.switch_page(target, query_params=wanted_params or None)
style.base()
presentation.apply_style()
shown_instansi = overview.instansi_label(queries.filter_options(resources.current_scope()).get("instansi", []),
                                        filters.current_filters().instansi, settings.instansi)   # the data's
st.sidebar.caption(md(shown_instansi) + (" · data demo sintetis" if queries.is_demo() else ""))
if presentation.active():
    presentation.stepper(steps, nav)    # above the step: a failing or long step never takes it away
with errors.guarded("halaman " + (nav.url_path or "utama")):     # a bug: the app's message with its code (review 10, 1)
    nav.run()
