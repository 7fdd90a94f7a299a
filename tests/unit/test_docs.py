"""The docs list what the code accepts: every header alias and every reason code."""
from pathlib import Path

from talenta import schema
from talenta.ingest.validate import RULES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")


def test_every_alias_documented():
    missing = [a for names in schema.ALIASES.values() for a in names if f"`{a.upper()}`" not in DOC]
    missing += [a for kind in schema.KIND_ALIASES.values() for names in kind.values() for a in names
                if f"`{a.upper()}`" not in DOC]
    missing += [a for a in schema.RIWAYAT_SK_HEADERS if f"`{a.upper()}`" not in DOC]
    assert missing == []


def test_every_reason_code_documented():
    assert [c for c in RULES if f"`{c}`" not in DOC] == []
