"""bench/RESULTS.md as `bench/run.py` keeps it: the latest run at the top, compared with the run it replaces.

The file is mostly hand-written history (what was measured, why, what changed). A run of `bench/run.py` owns
only the part between ``BEGIN`` and ``END``: it puts its own table there, followed by a comparison of every
figure with the run it replaces (same size, same label), and moves that earlier run, unchanged, to the end
of the file under ``EARLIER``. Nothing else in the file is touched, so `make bench` never erases a measurement.
"""
from __future__ import annotations

import re

BEGIN = "<!-- bench/run.py: the latest run begins here -->"
END = "<!-- bench/run.py: the latest run ends here -->"
EARLIER = "## Earlier runs of `bench/run.py` (moved here by the run after them)"

# figures where more is better; counts of the data (no direction) are listed apart; every other figure is a
# time, a size or a memory peak: less is better
HIGHER_BETTER_PREFIXES = ("impor: baris per detik", "rasio ")
NO_DIRECTION = ("pegawai", "instansi", "baris diimpor", "potensi tinggi: pegawai berasesmen", "suksesi: jabatan target",
                "… kandidat (pasangan)")
# a difference inside the run-to-run spread of a 2-core machine is "setara": within 10 % or within 0,02 (s, MB)
RELATIVE_TOLERANCE = 0.10
ABSOLUTE_TOLERANCE = 0.02


def parse_number(text: str) -> float | None:
    """A figure as `run.fmt` writes it ("1.234", "4,26", "100"), or None ("–", "gagal", empty)."""
    t = text.strip()
    if not re.fullmatch(r"-?[0-9][0-9.]*(,[0-9]+)?", t):
        return None
    return float(t.replace(".", "").replace(",", "."))


def parse_table(text: str) -> dict[str, dict[str, float]]:
    """The first `| ukuran | ... |` table of ``text``: {size label: {figure label: value}}."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and cells and cells[0] == "ukuran":
            sizes = cells[1:]
            out: dict[str, dict[str, float]] = {s: {} for s in sizes}
            parent = ""
            for row in lines[i + 2:]:
                if not row.lstrip().startswith("|"):
                    break
                rc = [c.strip() for c in row.strip().strip("|").split("|")]
                # "… terlama (s)" follows two different figures: named with the one it follows, or the second
                # overwrote the first and a 45-fold slowdown read "setara" (review 15, 4)
                label = f"{parent} {rc[0]}" if rc[0].startswith("…") and parent else rc[0]
                parent = parent if rc[0].startswith("…") else rc[0]
                for size, value in zip(sizes, rc[1:]):
                    number = parse_number(value)
                    if number is not None:
                        out[size][label] = number
            return out
    return {}


def verdict(label: str, before: float, now: float) -> str:
    """'lebih baik', 'setara' or 'lebih buruk' for a figure going from ``before`` to ``now``; '' without a
    direction (a count of the data; a reference pipeline's own time, which is not Talenta's)."""
    if label in NO_DIRECTION or label.startswith("referensi "):
        return ""
    if abs(now - before) <= max(RELATIVE_TOLERANCE * abs(before), ABSOLUTE_TOLERANCE):
        return "setara"
    higher = label.startswith(HIGHER_BETTER_PREFIXES)
    return "lebih baik" if (now > before) == higher else "lebih buruk"


def comparison(before: dict[str, dict[str, float]], now: dict[str, dict[str, float]]) -> tuple[str, int]:
    """A markdown table of every figure both runs have (per size), and how many got worse."""
    rows, worse = [], 0
    for size, figures in now.items():
        for label, value in figures.items():
            if label not in before.get(size, {}):
                continue
            v = verdict(label, before[size][label], value)
            worse += v == "lebih buruk"
            rows.append(f"| {size} | {label} | {_fmt(before[size][label])} | {_fmt(value)} | {v or '–'} |")
    if not rows:
        return "Tidak ada angka yang sama dengan run sebelumnya untuk dibandingkan.", 0
    head = ("| ukuran | angka | run sebelumnya | run ini | |\n|---|---|---|---|---|")
    summary = (f"{worse} dari {len(rows)} angka lebih buruk dari run sebelumnya (selisih di atas "
               f"{RELATIVE_TOLERANCE * 100:.0f} % dan di atas {_fmt(ABSOLUTE_TOLERANCE)}).")
    return summary + "\n\n" + head + "\n" + "\n".join(rows), worse


def _fmt(v: float) -> str:
    if v == int(v):
        return f"{int(v):,}".replace(",", ".")
    return f"{v:,.2f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def latest(text: str) -> tuple[int, int] | None:
    """Where the latest run's part is in the file (start of BEGIN, end of END), or None."""
    a, b = text.find(BEGIN), text.find(END)
    return (a, b + len(END)) if a >= 0 and b > a else None


def write(old_text: str, run_text: str) -> tuple[str, int]:
    """The new RESULTS.md: ``run_text`` as the latest run with its comparison against the run it replaces,
    that run moved under EARLIER at the end. Returns the text and how many figures got worse."""
    span = latest(old_text)
    if span is None:            # a file without the markers: everything stays, the run goes first
        previous, head, tail = "", old_text, ""
        insert_at = _after_title(old_text)
        head, tail = old_text[:insert_at], old_text[insert_at:]
    else:
        previous = old_text[span[0] + len(BEGIN):span[1] - len(END)].strip()
        head, tail = old_text[:span[0]], old_text[span[1]:]
    compared, worse = comparison(parse_table(previous), parse_table(run_text)) if previous else ("", 0)
    part = BEGIN + "\n" + run_text.strip() + "\n"
    if compared:
        part += "\n### Dibanding run sebelumnya\n\n" + compared + "\n"
    part += END
    tail = tail.rstrip() + "\n"
    if previous:
        if EARLIER not in tail:
            tail += "\n" + EARLIER + "\n"
        tail += "\n---\n\n" + previous + "\n"
    return head + part + tail, worse


def _after_title(text: str) -> int:
    """After the file's first heading line (0 when it has none)."""
    m = re.match(r"#[^\n]*\n\n?", text)
    return m.end() if m else 0
