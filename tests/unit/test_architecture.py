"""The shape of the house: a pure library, thin pages, no SQL built from strings of user input."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_streamlit_outside_ui():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "talenta").rglob("*.py")
                 if "ui" not in p.relative_to(ROOT / "talenta").parts[:1] and "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_are_thin():
    for p in [ROOT / "app.py", *(ROOT / "views").glob("*.py")]:
        n = len(p.read_text(encoding="utf-8").splitlines())
        assert n < 200, f"{p.name} has {n} lines"


def test_every_page_has_a_docstring():
    for p in (ROOT / "views").glob("*.py"):
        assert ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))), p.name


def test_pages_do_not_touch_duckdb():
    for p in [ROOT / "app.py", *(ROOT / "views").glob("*.py")]:
        text = p.read_text(encoding="utf-8")
        assert "duckdb" not in _imports(p), p.name
        assert ".execute(" not in text and ".sql(" not in text, p.name


def test_no_f_string_sql_calls():
    pattern = re.compile(r"(execute|sql|query|query_df|query_one)\(\s*f[\"']")
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in [*ROOT.glob("talenta/**/*.py"), *ROOT.glob("views/*.py")]
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert hits == []
