"""otter-grader's Python entry points, called quietly: ``otter assign`` and ``otter run`` (no Docker).

otter prints a logo, progress and a summary and raises plain exceptions; here what it prints is captured (and kept,
for ``otter run``, in ``otter.log``) and a failure becomes one line.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path

from hmbook.errors import DataError
from hmbook.files import safe_write

__all__ = ['quietly', 'assign', 'run_otter']


def quietly(function: Callable[..., object], *args: object, **kwargs: object) -> str:
    """Call one of otter's entry points with its printing (logo, progress, summary) captured; return what it printed.

    An exception is re-raised as one line naming what failed and otter's last words.
    """
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            function(*args, **kwargs)
        return printed.getvalue()
    except Exception as err:  # otter raises plain exceptions; the command line wants one line
        last = [line for line in printed.getvalue().splitlines() if line.strip()]
        detail = str(err).strip().splitlines()[-1] if str(err).strip() else (last[-1] if last else type(err).__name__)
        raise DataError(f"otter {function.__module__.split('.')[1]} failed: {detail}") from None


def assign(master_path: Path, out: Path) -> None:
    """Run otter assign (its Python API, in this process) on one master notebook, writing into ``out``."""
    from otter.assign import main as otter_assign  # imported here: otter takes seconds to import

    quietly(otter_assign, str(master_path), str(out), no_pdfs=True, no_run_tests=True)


def run_otter(autograder: Path, submission: Path, out: Path) -> dict:
    """Grade one submission as ``otter run`` does (no Docker: in this environment); return its ``results.json``.

    ``out`` gets otter's ``results.json`` and ``otter.log``, what otter printed (its score summary). A notebook
    whose cells raise is graded as otter grades it (the failing questions score nothing); a file otter cannot
    grade at all is a :class:`DataError`.
    """
    from otter.run import main as otter_run  # imported here: otter takes seconds to import

    out.mkdir(parents=True, exist_ok=True)
    printed = quietly(otter_run, str(Path(submission).resolve()), autograder=str(Path(autograder).resolve()),
                       output_dir=str(out), no_logo=True)
    safe_write.write_atomic(out / "otter.log", printed.encode("utf-8"))
    return json.loads((out / "results.json").read_text(encoding="utf-8"))
