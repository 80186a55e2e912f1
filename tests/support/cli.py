"""Run the command line for a test: ``hmbook.cli.main`` in a child forked from the test's own process.

A command run this way is a real process (its own exit status, its own stdout and stderr, its own working folder,
nothing it changes leaking into the test), but it starts in milliseconds: the child inherits the test process's
imported hmbook, pandas and friends, where ``python -m hmbook`` spends about half a second importing them. The
child runs what ``python -m hmbook`` runs after its imports (``hmbook.cli.main``, whose SIGTERM and Ctrl-C
handling is its own), and an uncaught exception ends it as Python would (its traceback on stderr, status 1).

The tests that need the interpreter's own start (``python -m hmbook`` as typed, its ``__main__`` and its early
signal handling, processes racing for a lock, an interrupt at a chosen moment) use
:func:`support.project.run_hmbook` instead.

``root`` runs the command as if hmbook had been imported from that copy of the project
(:func:`support.project.copy_project`): in the child only, ``hmbook.paths.ROOT`` is the copy, so the data folder,
the book's sources and the protected folders are the copy's.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

from hmbook import paths


def run_cli(*args: object, cwd: Path | None = None, root: Path | None = None) -> tuple[int, str, str]:
    """Run ``hmbook ARGS`` in a forked child, in ``cwd`` (default ``root``, else the checkout); return (exit
    status, stdout, stderr)."""
    argv = [str(a) for a in args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            status = 1
            try:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
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
        _, wait_status = os.waitpid(pid, 0)
        out.seek(0)
        err.seek(0)
        return (os.waitstatus_to_exitcode(wait_status), out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"))
