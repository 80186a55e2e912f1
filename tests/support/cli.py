"""Run the command line for a test: ``hmbook.cli.main`` in a child forked from a clean, pre-loaded process.

A command run this way is a real process (its own exit status, its own stdout and stderr, its own working folder,
nothing it changes leaking into the test), but it starts in milliseconds: the child is forked from a
multiprocessing fork server that has imported hmbook's command line (pandas and friends) once, where
``python -m hmbook`` spends about half a second importing them. The fork server is a fresh process of its own,
started on first use in each pytest worker: a child never inherits the test process's threads, kernels,
ZeroMQ sockets or browser connections (a child forked from the test process itself could, and a kernel reply then
went missing in a grading test). The child runs what ``python -m hmbook`` runs after its imports
(``hmbook.cli.main``, whose SIGTERM and Ctrl-C handling is its own); an uncaught exception ends it as Python would
(its traceback on stderr, status 1).

The tests that need the interpreter's own start (``python -m hmbook`` as typed, its ``__main__`` and its early
signal handling, processes racing for a lock, an interrupt at a chosen moment) use
:func:`support.project.run_hmbook` instead.

``root`` runs the command as if hmbook had been imported from that copy of the project
(:func:`support.project.copy_project`): in the child only, ``hmbook.paths.ROOT`` is the copy, so the data folder,
the book's sources and the protected folders are the copy's.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

from hmbook import paths

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["hmbook.cli", "support.cli"])


def _child(argv: list[str], cwd: str | None, root: str | None, out: str, err: str, env: dict[str, str]) -> None:
    status = 1
    try:
        os.environ.clear()
        os.environ.update(env)  # the test's environment as it is now (the server's is the one it started with)
        for fd, name in ((1, out), (2, err)):
            target = os.open(name, os.O_WRONLY)
            os.dup2(target, fd)
            os.close(target)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if root is not None:
            paths.ROOT = Path(root).resolve()
        os.chdir(cwd or root or paths.ROOT)
        from hmbook.cli import main

        try:
            status = main(argv)
        except SystemExit as stop:  # argparse: --help (0) and usage errors (2)
            status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:
        traceback.print_exc()
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def run_cli(*args: object, cwd: Path | None = None, root: Path | None = None) -> tuple[int, str, str]:
    """Run ``hmbook ARGS`` in a forked child, in ``cwd`` (default ``root``, else the checkout); return (exit
    status, stdout, stderr)."""
    with tempfile.NamedTemporaryFile() as out, tempfile.NamedTemporaryFile() as err:
        child = _CONTEXT.Process(target=_child, args=([str(a) for a in args], None if cwd is None else str(cwd),
                                                      None if root is None else str(root), out.name, err.name,
                                                      dict(os.environ)))
        child.start()
        child.join()
        status = child.exitcode if child.exitcode is not None else 1
        if status < 0:  # killed by a signal: as a shell reports it
            status = 128 - status
        return (status, Path(out.name).read_text(encoding="utf-8", errors="replace"),
                Path(err.name).read_text(encoding="utf-8", errors="replace"))
