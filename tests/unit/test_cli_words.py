"""The command line speaks Indonesian: argparse's refusals, the usage line and every command's ``--help``
(analysts at BKPSDM read Bahasa Indonesia). Usage errors still exit 2 and run nothing."""
from __future__ import annotations

import argparse

import pytest

from talenta import cli as talenta_cli
from tests.cli_run import cli

# words argparse prints in English; none may reach an analyst
ENGLISH = ["usage:", "options:", "positional arguments", "show this help message", "error:", "invalid",
           "required", "argument ", "choose from", "expected", "unrecognized", "not allowed", "ignored explicit"]


def _no_english(text: str) -> None:
    found = [w for w in ENGLISH if w in text]
    assert not found, f"English argparse words {found} in:\n{text}"


@pytest.mark.parametrize("argv, said", [
    (["export", "--format", "pptx", "--out", "a.pptx"], "argumen berikut wajib diisi: --period"),
    (["export", "--period", "2025", "--format", "pdf", "--out", "a.pdf"],
     "argumen --format: pilihan 'pdf' tidak dikenal (pilih salah satu: 'pptx', 'xlsx', 'kalibrasi')"),
    (["export", "--period", "abc", "--format", "pptx", "--out", "a.pptx"], "argumen --period: 'abc' bukan bilangan bulat"),
    (["map", "--period", "2025", "--rule-set", "abc", "--out", "a.csv"], "argumen --rule-set: 'abc' bukan bilangan bulat"),
    (["export", "--period", "2025", "--format", "pptx", "--out", "a.pptx", "--min-group", "abc"],
     "argumen --min-group: 'abc' tidak sah; tulis bilangan bulat 1 atau lebih"),
    (["undo", "x"], "argumen BATCH: 'x' bukan bilangan bulat"),
    (["status", "--bogus"], "argumen tidak dikenal: --bogus"),
    (["status", "--json=1"], "argumen --json: opsi ini tidak menerima nilai ('1')"),
    (["export", "--period"], "argumen --period: perlu satu nilai"),
    (["foo"], "argumen PERINTAH: pilihan 'foo' tidak dikenal"),
    ([], "argumen berikut wajib diisi: PERINTAH"),
    (["user"], "argumen berikut wajib diisi: PERINTAH"),
    (["import"], "argumen berikut wajib diisi: BERKAS"),
    (["succession", "decide", "--post", "J1"], "argumen berikut wajib diisi: --nip, --step, --reason, --as"),
    (["audit", "--since", "kemarin", "--out", "a.csv"], "argumen --since: tanggal 'kemarin' tidak sah"),
])
def test_usage_errors_are_indonesian_and_exit_2(argv, said, tmp_path):
    r = cli(*argv, db=tmp_path / "t.duckdb", cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    assert f"Kesalahan penggunaan: {said}" in r.stderr
    assert r.stderr.startswith("penggunaan: python -m talenta")
    assert "Lihat 'python -m talenta" in r.stderr and "--help'." in r.stderr
    _no_english(r.stderr)
    assert not (tmp_path / "t.duckdb").exists()          # a refused command runs nothing
    assert list(tmp_path.iterdir()) == []


def test_a_command_s_usage_error_points_to_its_own_help(tmp_path):
    r = cli("export", "--period", "2025", "--format", "pdf", "--out", "a.pdf", db=tmp_path / "t.duckdb")
    assert "Lihat 'python -m talenta export --help'." in r.stderr
    assert r.stderr.startswith("penggunaan: python -m talenta export ")


def _commands(parser: argparse.ArgumentParser, path=()):
    """(words, parser) of the top level and every command and sub-command."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, path + (name,))


COMMANDS = [words for words, _ in _commands(talenta_cli.build_parser())]


def test_every_command_and_option_has_indonesian_help():
    missing = []
    for words, parser in _commands(talenta_cli.build_parser()):
        if words and not parser.description:
            missing.append(" ".join(words) + " (description)")
        for action in parser._actions:
            if action.help in (None, "") and not isinstance(action, argparse._SubParsersAction):
                missing.append(" ".join(words) + " " + ("/".join(action.option_strings) or action.dest))
    assert missing == []
    assert len(COMMANDS) > 20          # the walk saw the commands (top, 19 commands, user's 4, decide)


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "talenta")
def test_help_is_indonesian(words, tmp_path):
    r = cli(*words, "--help", db=tmp_path / "t.duckdb")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("penggunaan: python -m talenta")
    assert "opsi:" in r.stdout and "tampilkan bantuan ini lalu keluar" in r.stdout
    _no_english(r.stdout)
    for placeholder in ("PERIOD", "RULE_SET", "USERNAME", " OUT", " NAME", " FILE", " TEXT"):
        assert placeholder not in r.stdout


def test_export_help_describes_each_option(tmp_path):
    out = cli("export", "--help", db=tmp_path / "t.duckdb").stdout
    assert "deck rapat (PPTX) atau workbook (XLSX)" in out            # the command's description
    for line in ("--period TAHUN        tahun penilaian", "--opd NAMA            batasi ke OPD ini",
                 "--format {pptx,xlsx,kalibrasi}\n                        pptx: deck rapat",
                 "--out BERKAS          berkas keluaran",
                 "--rule-set NOMOR      nomor aturan"):
        assert line in out


def test_argparse_is_english_again_after_the_command_line(capsys):
    """The translation is swapped in only while our parser works: another argparse user in the process
    (pytest itself) keeps its own words."""
    with pytest.raises(SystemExit) as exc:
        talenta_cli.main(["export", "--format", "pdf"])
    assert exc.value.code == 2
    assert "pilihan 'pdf' tidak dikenal" in capsys.readouterr().err
    assert argparse._("usage: ") == "usage: "
    other = argparse.ArgumentParser(prog="lain")
    assert other.format_usage().startswith("usage: lain")
