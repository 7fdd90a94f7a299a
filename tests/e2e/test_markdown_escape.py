"""Streamlit's own markdown renderer in a real browser shows text escaped by ``escape.markdown`` as typed:
no link, image, emphasis, math, colour directive, emoji, heading or HTML, in captions, headings, metric
labels, expander labels and alerts."""
import subprocess
import sys
import time
import urllib.request

import pytest

from talenta import escape

from .conftest import ARTIFACTS, ROOT, _free_port

CASES = [":red[Merah] :smile: :material/home: :blue-background[x]", "$x^2$ dan $$y$$",
         "~~coret~~ **tebal** _miring_ `kode`", "<b>x</b><br><img src=x> &lt;b&gt; &amp;", "| a | b |", "# judul",
         "http://127.0.0.1:9/x www.contoh.go.id budi@contoh.go.id",
         "[t](http://127.0.0.1:9/) ![i](http://127.0.0.1:9/i.png)",
         "\\*bintang\\* C:\\data", "1. satu - dua > tiga"]
SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from talenta.escape import markdown as md
CASES = {CASES!r}
for i, c in enumerate(CASES):
    st.caption(f"K{{i}}: " + md(c))
    st.subheader(f"S{{i}}: " + md(c))
    st.metric(f"M{{i}}: " + md(c), i)
    st.expander(f"E{{i}}: " + md(c))
    st.error(f"R{{i}}: " + md(c))
st.caption("SELESAI")
"""
MARKUP = ("a:not([href^='#']), img, strong, em, code, del, h1, li, table, .katex, [data-testid='stIconMaterial'], "
          "span[style]")


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    script = tmp_path_factory.mktemp("md") / "probe.py"
    script.write_text(SCRIPT, encoding="utf-8")
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "streamlit_markdown.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--server.headless", "true",
                                 "--browser.gatherUsageStats", "false"], stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        yield url
        proc.terminate()
        proc.wait(10)


def test_escaped_values_render_as_typed(browser, probe):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    trapped = []
    page.on("request", lambda r: trapped.append(r.url) if "127.0.0.1:9/" in r.url else None)
    try:
        page.goto(probe)
        page.get_by_text("SELESAI").wait_for(timeout=30000)
        page.wait_for_timeout(500)
        places = {"K": "[data-testid='stCaptionContainer']", "S": "h3", "M": "[data-testid='stMetricLabel']",
                  "E": "[data-testid='stExpander'] summary [data-testid='stMarkdownContainer']",
                  "R": "[data-testid='stAlert'] [data-testid='stMarkdownContainer']"}
        for prefix, sel in places.items():
            els = page.locator(sel).filter(has_text=prefix).all()
            shown = {el.inner_text().replace(escape.WORD_JOINER, "").strip(): el for el in els}
            for i, case in enumerate(CASES):
                el = shown.get(f"{prefix}{i}: {case}")
                assert el is not None, (f"{prefix}{i} not shown as typed", list(shown)[:i + 2])
                assert el.locator(MARKUP).count() == 0, el.inner_html()
        assert trapped == []
    finally:
        ctx.close()
