"""Rules are data (issue 13 item 3): the KRS boxes, the retirement ages (BUP) and the age bands are declared in
``talenta/rules.py`` only. Everything else reads them from there.

The scan, over ``talenta/**.py``, ``views/*.py`` and ``app.py`` without comments and docstrings (prose may
explain a rule):
- a box-number list: ``7, 8, 9`` / ``7, 8 dan 9`` / ``7-8-9`` / ``kotak 7-9``, or a box compared with a number
  (``kotak >= 7``, ``kotak IN (``...; 0, which stands for "not placed", is no box);
- an age literal: in a string (SQL or text), a number that is an age of the rules or a retirement age
  (56-70); in Python, a comparison of something named like an age (usia, umur, age, bup, pensiun, lahir)
  with such a number.
``EXCEPTIONS`` lists (file, text) pairs allowed on purpose, each with its reason.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from talenta import rules

ROOT = Path(__file__).resolve().parents[2]
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("talenta/succession_rules.py", "age literal in usia_maks: 56"):
        "a succession rule (PP 11/2017: a JPT pratama candidate is at most 56), declared once in the succession "
        "rule set the Komite Talenta may change; not a retirement age",
}

BOX_PATTERNS = [
    re.compile(r"\b7\s*,\s*8\s*(?:,|dan|and)\s*9\b"),
    re.compile(r"\b7\s*-\s*8\s*-\s*9\b"),
    re.compile(r"\bkotak\s+7\s*-\s*9\b", re.I),
    re.compile(r"\bkotak\w*['\"\]]*\s*(?:>=|<=|>|<|==|!=)\s*[1-9]", re.I),     # (0 = not placed: no box)
    re.compile(r"\bkotak\w*['\"\]]*\s+(?:NOT\s+)?IN\s*\(\s*[1-9]", re.I),
]
AGES = ({rules.BUP_LAIN} | {age for *_, age in rules.BUP_RULES} | {top for top, _ in rules.USIA_KELOMPOK}
        | set(range(56, 71)))
AGE_WORDS = re.compile(r"usia|umur|age|bup|pensiun|lahir", re.I)
NUMBER = re.compile(r"(?<![\w.,%$-])(\d+)(?![\w.%])")


def _sources() -> list[Path]:
    files = [*(ROOT / "talenta").rglob("*.py"), *(ROOT / "views").glob("*.py"), ROOT / "app.py"]
    return sorted(p for p in files if p.name != "rules.py")


def _docstrings(tree: ast.AST) -> set[int]:
    """Line numbers of the docstrings (module, class, function)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                lines |= set(range(first.lineno, first.end_lineno + 1))
    return lines


def _code(text: str) -> str:
    """The source without comments and docstrings (line numbers kept)."""
    doc = _docstrings(ast.parse(text))
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT or (tok.type == tokenize.STRING and tok.start[0] in doc):
            continue
        out.append(tok)
    return tokenize.untokenize(out)


def offences(text: str) -> list[str]:
    """Every box-number list and age literal in ``text`` (a Python source), as short quotes."""
    found = []
    code = _code(text)
    for pat in BOX_PATTERNS:
        found += [f"box list: {m.group(0)!r}" for m in pat.finditer(code)]
    tree = ast.parse(text)
    doc = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.lineno not in doc:
            found += [f"age literal in text: {node.value[max(0, m.start() - 25):m.end() + 10]!r}"
                      for m in NUMBER.finditer(node.value) if int(m.group(1)) in AGES]
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            # a value named like an age (``bup_usia = {"umum": 58, ...}``, a dataclass field's default): its ages
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named = " ".join(ast.unparse(t) for t in targets)
            if AGE_WORDS.search(named) and node.value is not None:
                found += [f"age literal in {named}: {c.value}" for c in ast.walk(node.value)
                          if isinstance(c, ast.Constant) and type(c.value) is int and c.value in AGES]
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            nums = [s.value for s in sides if isinstance(s, ast.Constant) and type(s.value) is int]
            if any(n in AGES for n in nums) and AGE_WORDS.search(ast.unparse(node)):
                found.append(f"age literal in comparison: {ast.unparse(node)!r}")
    return found


def test_the_scan_finds_what_it_forbids():
    bad = '''
SQL = "SELECT count(*) FILTER (e.kotak >= 7) FROM final e WHERE kotak IN (7, 8, 9)"
BUP = "CASE WHEN e.eselon LIKE 'II.%' THEN 60 ELSE 58 END"
text = "KRS (kotak 7-8-9): kotak 7, 8 dan 9"
old = df["kotak"].isin([7, 8, 9])
if usia >= 58:
    pass
bup_usia: dict = field(default_factory=lambda: {"umum": 58, "jpt": 60})
'''
    found = offences(bad)
    assert "age literal in bup_usia: 58" in found and "age literal in bup_usia: 60" in found
    assert any("kotak >= 7" in f for f in found)
    assert any("kotak IN (7" in f for f in found)
    assert any("THEN 60" in f for f in found) and any("ELSE 58" in f for f in found)
    assert any("7-8-9" in f for f in found) and any("7, 8 dan 9" in f for f in found)
    assert sum(f == "box list: '7, 8, 9'" for f in found) == 2        # IN (7, 8, 9) and isin([7, 8, 9])
    assert any("usia >= 58" in f for f in found)
    prose = '''
def f():
    """Boxes 7, 8 and 9; retirement at 58."""
    return 1  # kotak 7-8-9, BUP 60
margin = dict(t=60)
'''
    assert offences(prose) == []


def test_no_box_list_or_age_literal_outside_rules():
    found = []
    for p in _sources():
        rel = str(p.relative_to(ROOT))
        found += [f"{rel}: {o}" for o in offences(p.read_text(encoding="utf-8"))
                  if (rel, o) not in EXCEPTIONS]
    assert found == [], "rules belong in talenta/rules.py (read them from there):\n" + "\n".join(found)


def test_the_krs_text_and_flags_follow_the_box_list():
    assert rules.KRS_TEXT == "kotak 7, 8 dan 9"
    assert tuple(b.number for b in rules.BOXES if b.krs) == rules.KRS_BOXES
