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


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _talenta_imports(path: Path, top_level_only: bool) -> set[str]:
    """The ``talenta`` modules ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("talenta")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("talenta"):
                continue
            for a in node.names:        # "from . import x" may name a module
                cand = f"{mod}.{a.name}"
                found.add(cand if (ROOT / (cand.replace(".", "/") + ".py")).exists()
                          or (ROOT / cand.replace(".", "/")).is_dir() else mod)
    return found


def test_no_import_cycles_in_the_library():
    """No cycle, imports inside functions included (a function-level import is no way around a cycle)."""
    mods = {_module_name(p): p for p in (ROOT / "talenta").rglob("*.py")}
    graph = {m: {d for d in _talenta_imports(p, top_level_only=False) if d in mods and d != m} for m, p in mods.items()}
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for d in sorted(graph[m]):
            visit(d)
        stack.pop()

    for m in sorted(graph):
        visit(m)
    assert cycles == []


def test_library_never_imports_the_ui():
    offenders = [f"{_module_name(p)} -> {d}" for p in (ROOT / "talenta").rglob("*.py")
                 if "ui" not in p.relative_to(ROOT / "talenta").parts[:1]
                 for d in _talenta_imports(p, top_level_only=False) if d.startswith("talenta.ui")]
    assert offenders == []


def test_pages_never_import_store():
    for p in [ROOT / "app.py", *(ROOT / "views").glob("*.py")]:
        assert not any(d == "talenta.store" for d in _talenta_imports(p, top_level_only=False)), p.name


def test_no_parameter_list_is_pruned_by_searching_the_sql():
    """A query is given exactly the parameters it binds; none is dropped by looking for ``$name`` in its text
    (issue 13, 4: ``succession._used`` and ``validate._run`` did)."""
    pattern = re.compile(r"""(re\.(search|findall|match)\(\s*r?["']\\\$)|(["']\$["']\s*\+\s*\w+\s+in\s)""")
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in ROOT.glob("talenta/**/*.py")
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert hits == []
    assert pattern.search("if \"$\" + k in sql") and pattern.search('re.search(r"\\$" + k, sql)')


def test_the_period_travels_in_the_filters():
    """A reader that takes the filters reads the period from them (``Filters.period``), never from a second
    argument that could disagree with it (issue 13, 4: 42 readers took ``filters`` and ``period``)."""
    both = []
    for p in ROOT.glob("talenta/**/*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                names = {a.arg for a in args}
                typed = {a.arg for a in args if isinstance(a.annotation, ast.Name) and a.annotation.id == "Filters"}
                if "period" in names and (typed or names & {"filters", "flt"}):
                    both.append(f"{p.relative_to(ROOT)}:{node.lineno} {node.name}")
    # the calibration's moves belong to a session, keyed by (instansi, period); their filters only narrow the list
    assert sorted(b.split()[-1] for b in both) == ["moved_count", "moves"], both


def _module_aliases(tree: ast.AST, path: Path) -> set[str]:
    """Names under which ``path`` imports other talenta modules (``from . import pool``, ``import talenta.x as y``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("talenta")):
            base = path.parent if node.level else ROOT
            for _ in range(max(node.level - 1, 0)):
                base = base.parent
            folder = base.joinpath(*(node.module or "").split(".")) if node.module else base
            names |= {a.asname or a.name for a in node.names
                      if (folder / (a.name + ".py")).exists() or (folder / a.name).is_dir()}
        elif isinstance(node, ast.Import):
            names |= {a.asname for a in node.names if a.asname and a.name.startswith("talenta")}
    return names


def test_no_module_calls_another_modules_private_names():
    """A function or constant another module needs is public (issue 13, 1: ``talentmap._query`` was the seam of
    pool and hipo; ``validate`` called ``normalize._key``)."""
    hits = []
    for p in [*ROOT.glob("talenta/**/*.py"), *ROOT.glob("views/*.py"), ROOT / "app.py"]:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        aliases = _module_aliases(tree, p)
        hits += [f"{p.relative_to(ROOT)}:{n.lineno} {n.value.id}.{n.attr}" for n in ast.walk(tree)
                 if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in aliases
                 and n.attr.startswith("_") and not n.attr.startswith("__")]
    assert hits == []


def test_numbers_are_formatted_by_talenta_fmt_only():
    """One Indonesian number formatter (``talenta/fmt.py``) for pages, exports and the command line (issue 13,
    5): no thousands separator format spec and no decimal point turned into a comma anywhere else."""
    pattern = re.compile(r"""(?<!%)\{[^{}]*:,[.\d]*f?\}|replace\(\s*["']\.["']\s*,\s*["'],["']\s*\)""")
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in [*ROOT.glob("talenta/**/*.py"), *ROOT.glob("views/*.py")]
            if p.name != "fmt.py" or p.parent.name != "talenta"
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert hits == []
    assert pattern.search('f"{x:,}".replace(",", ".")') and pattern.search('text.replace(".", ",")')
    assert not pattern.search('hovertemplate="%{value:,.0f}"')       # plotly's own format, with the layout's separators


def test_small_counts_are_judged_by_privacy_only():
    """"Is this count small?" is answered by ``privacy.small`` (issue 13, 9: four modules each had their own
    ``0 < n < t``); suppression itself lives in privacy.py."""
    pattern = re.compile(r"0 < [^<\n]+ < (t|threshold)\b|> 0\) & \([^)]*< (t|threshold)\)")
    hits = [f"{p.relative_to(ROOT)}:{i}" for p in [*ROOT.glob("talenta/**/*.py"), *ROOT.glob("views/*.py")]
            if p.name != "privacy.py"
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert hits == []
    assert pattern.search("pd.NA if t and 0 < n < t else n") and pattern.search("((df[c] > 0) & (df[c] < t))")
