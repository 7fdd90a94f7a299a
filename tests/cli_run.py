"""``python -m talenta ARGS`` for the tests: a real child process, without the interpreter start each time.

Each command runs in a process of its own, forked from a small server process (started once per test
process) that has already imported the command line and what its commands import. The child gets the
environment, working directory and standard input it is given, runs ``talenta.cli.main(ARGS)`` as
``talenta/__main__.py`` does and exits with its status. stdout, stderr and the status come back as from
``subprocess.run(..., capture_output=True, text=True)``: an exception escaping ``main`` prints its traceback
on stderr and exits 1, argparse's refusals exit 2, a crash by a signal is a negative status. A database
another process holds is held by another process here too.

Starting Python and importing pandas, DuckDB, SciPy and argon2 (whose import here hashes a dummy password)
costs about 1.5 s of CPU per command, and the suite runs some 70 commands. The entry point itself
(``python -m talenta``) keeps plain subprocesses in ``tests/storage/test_cli.py``.
"""
from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# imported once by the server: the command line and the modules its commands import when they run
PRELOAD = ["talenta.cli", "talenta.fairness", "talenta.hipo", "talenta.export", "talenta.deck", "talenta.backup",
           "talenta.demo", "talenta.succession", "talenta.accounts", "talenta.calibration"]
_server: subprocess.Popen | None = None
_lock = threading.Lock()


def _serve() -> None:
    """The server: one JSON request a line on stdin, one exit status a line on stdout. Single-threaded, so
    that forking it is safe."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    requests, replies = sys.stdin.buffer, sys.stdout
    for line in requests:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(**req)
        _, status = os.waitpid(pid, 0)
        replies.write(f"{os.waitstatus_to_exitcode(status)}\n")
        replies.flush()


def _child(argv: list[str], env: dict, cwd: str, stdin: str, stdout: str, stderr: str) -> None:
    """In the forked process: the streams, environment and directory of ``subprocess.run``, then ``main``."""
    status = 1
    try:
        import traceback

        os.environ.clear()
        os.environ.update(env)
        os.chdir(cwd)
        for fd, path, flags in ((0, stdin, os.O_RDONLY), (1, stdout, os.O_WRONLY), (2, stderr, os.O_WRONLY)):
            f = os.open(path, flags)
            os.dup2(f, fd)
            os.close(f)
        sys.stdin = open(0, encoding="utf-8", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        try:
            from talenta.cli import main

            status = main(argv)
        except SystemExit as exc:           # argparse: --help, usage errors
            status = exc.code
            if status is not None and not isinstance(status, int):
                print(status, file=sys.stderr)
                status = 1
        except BaseException:               # as the interpreter does with an uncaught exception
            traceback.print_exc()
            status = 1
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status or 0)


def _stop() -> None:
    if _server is not None and _server.poll() is None:
        _server.stdin.close()
        try:
            _server.wait(10)
        except subprocess.TimeoutExpired:
            _server.kill()


def _start() -> subprocess.Popen:
    global _server
    if _server is None or _server.poll() is not None:
        log = tempfile.NamedTemporaryFile(prefix="cli-server-", suffix=".log", delete=False)
        _server = subprocess.Popen([sys.executable, "-c", "from tests.cli_run import _serve; _serve()"], cwd=ROOT,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        _server.log_path = log.name
        atexit.register(_stop)
    return _server


def cli(*args, db=None, stdin: str | None = None, env: dict | None = None,
        cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m talenta [--db DB] ARGS`` with ``stdin`` as its input, in ``cwd``, under ``env`` (default:
    this process's environment)."""
    argv = (["--db", str(db)] if db is not None else []) + [str(a) for a in args]
    with _lock, tempfile.TemporaryDirectory(prefix="cli-") as d:
        names = {n: os.path.join(d, n) for n in ("stdin", "stdout", "stderr")}
        for n, path in names.items():
            Path(path).write_text((stdin or "") if n == "stdin" else "", encoding="utf-8")
        server = _start()
        server.stdin.write(json.dumps({"argv": argv, "env": dict(os.environ if env is None else env),
                                       "cwd": str(cwd), **names}) + "\n")
        server.stdin.flush()
        reply = server.stdout.readline()
        if not reply:
            raise RuntimeError(f"the command server stopped; see {server.log_path}")
        out, err = (Path(names[n]).read_text(encoding="utf-8", errors="replace") for n in ("stdout", "stderr"))
        return subprocess.CompletedProcess(["python", "-m", "talenta", *argv], int(reply), out, err)
