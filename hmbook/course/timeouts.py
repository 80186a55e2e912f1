"""Grading one submission in a child process that is stopped after a time limit.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from hmbook.course.otter_api import run_otter
from hmbook.errors import DataError

__all__ = ['GRADE_TIMEOUT', 'run_otter_within']


#: Seconds one submission may take to grade before it is stopped (``hmbook grade --timeout``). A chapter's notebook
#: runs in under a minute; a submission that takes ten has a cell that does not end.
GRADE_TIMEOUT = 600.0


def run_otter_within(autograder: Path, submission: Path, out: Path, timeout: float) -> dict | None:
    """:func:`run_otter` in a child process, stopped after ``timeout`` seconds: its results, or None if stopped.

    otter 7 runs a notebook locally with no time limit (only its Docker grading has one), so a submission with a
    cell that never ends would hold the whole batch. The child is forked (multiprocessing, so that otter, already
    imported, is not imported again); when it is killed, its kernel ends by itself within a second (ipykernel
    watches the process that started it, through ``JPY_PARENT_PID``). A :class:`DataError` in the child is raised
    here.
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        # The kernel inherits these: its own log lines (a warning about TCP, the note that it stops when this
        # process is killed) would otherwise land on the instructor's terminal. otter's printing is captured by
        # run_otter, and what the submission prints stays in its notebook.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            send.send(("results", run_otter(autograder, submission, out)))
        except DataError as err:
            send.send(("error", str(err)))

    proc = context.Process(target=child, daemon=True)
    proc.start()
    send.close()
    try:
        message = receive.recv() if receive.poll(timeout) else ("stopped", None)
    except EOFError:  # the child ended without a word (killed from outside, or otter ended the process)
        message = ("ended", None)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receive.close()
    kind, value = message
    if kind == "ended":
        raise DataError(f"{submission}: grading ended unexpectedly (exit status {proc.exitcode})")
    if kind == "error":
        raise DataError(value)
    return value  # None when stopped
