"""Data is text: one escaping helper per renderer, applied wherever a value from data or users is shown.

Plotly renders a subset of HTML in text, tick labels, hover text, legend names and titles; Streamlit
renders markdown (links, images, ``$...$`` LaTeX, ``:red[...]`` directives) in titles, captions,
labels, alerts and ``st.write`` of strings; HTML needs entities; office files (XLSX, PPTX) cannot hold
control characters and a spreadsheet runs text that starts with ``=``. Escape at the last step, once,
with the helper of the target: a value escaped for one renderer is wrong in another.
"""
from __future__ import annotations

import html as _html
import re
import string

import pandas as pd

_PLOTLY = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# every ASCII punctuation character may be backslash-escaped in CommonMark and then shows as itself;
# escaping all of them also covers Streamlit's extensions ($ math, :directives[], ~~strike~~)
_MARKDOWN = str.maketrans({c: "\\" + c for c in string.punctuation})
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")
# GFM links bare addresses (http://, www., name@host) found in the text after escapes are resolved: an
# invisible word joiner after the scheme or "www" and before "@" keeps them plain text
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|xmpp)(?=:)|www(?=\.)|(?=@)")
# C0 controls except tab and newline, DEL and C1 controls: invalid in XML 1.0 or invisible garbage; and the
# bidirectional controls, which reorder the text around them ("\u202eDinas RTL" showed as "LTR saniD", a name before
# its NIP): the import refuses them, and a value stored before is shown without them
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def plotly(value) -> str:
    """Text for plotly labels, hover text, legend names and titles: ``<a href>``, ``<b>``, ``<br>`` and
    entities show literally (``&``, ``<``, ``>`` become entities plotly turns back into characters)."""
    return _BIDI.sub("", _text(value)).translate(_PLOTLY)


def markdown(value) -> str:
    """Text for Streamlit markdown (titles, captions, labels, alerts, ``st.write``): every punctuation
    character is backslash-escaped, so links, images, emphasis, ``$...$``, headings, tables and HTML show
    as typed; line breaks become spaces (a value cannot start a new block); bare addresses get an invisible
    ``WORD_JOINER`` so they are not turned into links."""
    text = _LINE_BREAKS.sub(" ", _BIDI.sub("", _text(value)))
    return _AUTOLINK.sub(lambda m: m.group() + WORD_JOINER, text).translate(_MARKDOWN)


def html(value) -> str:
    """Text for HTML: ``& < > " '`` as entities."""
    return _html.escape(_BIDI.sub("", _text(value)), quote=True)


def office(value) -> str:
    """Text for XLSX and PPTX cells and text boxes: control characters (except tab and newline) removed."""
    return _CONTROL.sub("", _text(value))


def office_footer(value) -> str:
    """Text for an Excel header or footer, where ``&`` starts a control code (``&P`` page number)."""
    return office(value).replace("&", "&&")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix an apostrophe to text cells that a spreadsheet would read as a formula."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            s = out[c].astype("string")
            risky = s.str.startswith(FORMULA_START).fillna(False)
            if risky.any():
                out[c] = s.mask(risky, "'" + s)
    return out


def office_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A table ready for a spreadsheet: control characters removed from text cells, then formulas
    neutralised (``neutralise``). Returns a new frame."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            s = out[c].astype("string")
            bad = s.str.contains(_CONTROL, na=False)
            if bad.any():
                out[c] = s.mask(bad, s.str.replace(_CONTROL, "", regex=True))
    return neutralise(out)


def filename(value, fallback: str = "data") -> str:
    """A file name part from data: letters, digits, ``-`` and ``_`` only (others become ``_``)."""
    name = re.sub(r"[^0-9A-Za-z_-]+", "_", _text(value)).strip("_")[:60]
    return name or fallback
