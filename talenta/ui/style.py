"""Small pieces of CSS that make Streamlit's own widgets read Indonesian and keep side panels in view."""
from __future__ import annotations

import streamlit as st

from ..fmt import num


# Streamlit's table toolbar offers "Download as CSV", which writes the cells as they are: a name or OPD beginning
# with = + - @ became a live formula in Excel (=HYPERLINK, =cmd|...; hostile pass, session 22), and the file left
# no row in the audit log. The app's own downloads ("Unduh ...") neutralise such values and are logged, so the
# toolbar's is hidden; search, columns and full screen stay.
BASE_CSS = """<style>
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] { display: none !important; }
</style>"""


def base() -> None:
    """The style of every signed-in page (drawn by app.py before the page runs), in the sidebar: an element of the
    page's own column, even one holding only a style, pushes the page down by a row gap (a presentation step then
    overflowed 1.080 px by 6)."""
    st.sidebar.markdown(BASE_CSS, unsafe_allow_html=True)


def uploader_texts(max_mb: int, types: list[str]) -> None:
    """Replace the file uploader's English texts ("Upload", "Add files", "200MB per file • CSV", "Drag and
    drop files here"): Streamlit has no parameter for them, so the text is hidden and drawn by CSS. The drop text's
    rule names the drag overlay only (a div of one span, no test ids inside): once a file was chosen, the div holding
    the file chips matched it too and "Lepaskan berkas di sini" was drawn over the chips (hostile pass, session 22)."""
    kinds = ", ".join(t.upper() for t in types)
    hint = f"Seret berkas ke sini atau klik Pilih berkas · maks. {num(max_mb)} MB per berkas · {kinds}"
    css = f"""<style>
[data-testid="stFileUploader"] button[kind="secondary"] [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploader"] button[kind="secondary"] [data-testid="stMarkdownContainer"] p::after {{
  content: "Pilih berkas"; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{hint}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]):not(:has([data-testid])) > span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]):not(:has([data-testid])) > span::after {{
  content: "Lepaskan berkas di sini"; font-size: 1rem; }}
</style>"""
    st.markdown(css, unsafe_allow_html=True)


def sticky_panel(key: str) -> None:
    """Keep the column holding ``st.container(key=key)`` in view while the page scrolls past a tall chart."""
    st.markdown(f"""<style>
[data-testid="stColumn"]:has(.st-key-{key}) {{
  position: sticky; top: 3.75rem; align-self: flex-start; }}
</style>""", unsafe_allow_html=True)
