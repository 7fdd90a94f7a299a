"""A full disk is said in words, not as a bug's code or logging's traceback (review 12, M6)."""
from __future__ import annotations

import errno

import duckdb

from talenta import cli, errors


def test_a_full_disk_is_recognised_through_the_errors_it_caused():
    assert errors.disk_full(OSError(errno.ENOSPC, "No space left on device"))
    wrapped = RuntimeError("menulis gagal")
    wrapped.__cause__ = duckdb.IOException('Could not write file "x.wal": No space left on device')
    assert errors.disk_full(wrapped)
    assert not errors.disk_full(OSError(errno.EACCES, "Permission denied"))
    assert not errors.disk_full(ValueError("bukan disk"))


def test_the_command_line_says_the_disk_is_full(monkeypatch, capsys, tmp_path):
    def full(args, settings, db):
        raise duckdb.IOException('Could not write file "t.duckdb.wal": No space left on device')

    monkeypatch.setitem(cli.COMMANDS, "status", full)
    monkeypatch.setenv("TALENTA_DB_PATH", str(tmp_path / "t.duckdb"))
    assert cli.main(["status"]) == 1
    err = capsys.readouterr().err
    assert "Ruang disk server penuh" in err and "Traceback" not in err and "kode" not in err


def test_a_log_file_on_a_full_disk_costs_one_line_not_a_traceback(tmp_path, capsys):
    import logging

    handler = errors._file_handler(tmp_path / "talenta-errors.log")

    class Full:                                 # the log file's stream on a full disk
        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self):
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self):
            pass

    handler.stream = Full()
    record = logging.LogRecord("talenta", logging.ERROR, __file__, 1, "x", None, None)
    handler.handle(record)
    try:
        handler.close()
    except OSError:
        pass
    err = capsys.readouterr().err
    assert "tidak dapat ditulis" in err and "Traceback" not in err
