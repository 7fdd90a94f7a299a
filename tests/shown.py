"""What a reader sees of the markdown Streamlit receives (escaped values rendered as CommonMark, tags dropped)."""
import html
import re

from markdown_it import MarkdownIt

from talenta import escape

_MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def shown(markdown: str) -> str:
    out = re.sub(r"<[^>]+>", "", _MD.render(markdown))
    return html.unescape(out).replace(escape.WORD_JOINER, "").strip()
