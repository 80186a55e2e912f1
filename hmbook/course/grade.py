"""Grading a class: the submissions found and checked, each graded in its own sandbox, one table of scores.

Each submission is graded in two steps, each in a new bubblewrap sandbox (:mod:`hmbook.course.sandbox`; what
runs inside is :mod:`hmbook.course.sandbox_steps`): its cells run with no test file in reach, leaving snapshots
of its variables; then a fresh sandbox, in which none of the student's code runs, scores the snapshots with the
autograder's tests. Whatever one submission does (loops, fills memory, kills its process, is another
assignment's notebook), its row scores nothing with a ``note`` saying why, and the others are graded.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import math
import os
import queue
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hmbook.course import sandbox, sandbox_steps
from hmbook.course.notebooks import read_notebook
from hmbook.course.timeouts import GRADE_TIMEOUT, run_otter_within
from hmbook.errors import DataError
from hmbook.files import safe_write

__all__ = ['scores', 'find_submissions', 'check_submissions', 'check_results_folder', 'assignment_of', 'Graded',
           'grade_one', 'Progress', 'default_jobs', 'grade', 'log_line']

#: The longest ``--timeout`` (a day): beyond it a limit is a mistake, and the clocks behind it overflow.
MAX_TIMEOUT = 86_400.0
#: Seconds the scoring step may take (it runs the tests only; a chapter's take a few seconds).
SCORE_TIMEOUT = 300.0


def scores(results: dict) -> dict[str, float]:
    """Question -> score from an otter ``results.json`` (the summary of public tests has no score and is left out)."""
    return {t["name"]: float(t["score"]) for t in results["tests"] if t.get("score") is not None}


def find_submissions(given: Iterable[str | Path]) -> list[Path]:
    """The notebooks to grade: each file as given, and every ``.ipynb`` under each folder (sorted, checkpoints left
    out). A name that does not exist raises :class:`DataError` before anything is graded."""
    found: list[Path] = []
    for path in map(Path, given):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif path.exists():
            found.append(path)
        else:
            raise DataError(f"{path}: no such file or folder")
    return found


def check_submissions(submissions: list[Path]) -> None:
    """Refuse, before anything is graded, a submission that is not a readable notebook file (one-line
    :class:`DataError` naming it): a file the grading could only fail on is the instructor's to look at first."""
    if not submissions:
        raise DataError("no submissions to grade")
    for s in submissions:
        if not s.is_file() or s.suffix != ".ipynb":
            raise DataError(f"{s}: not a notebook (.ipynb) file")
        read_notebook(s)


#: The file a batch leaves in its ``--results`` folder, so that ``--resume`` knows the folder is one it may add to.
RESULTS_MARKER = ".hmbook-grade"


def check_results_folder(results: Path, resume: bool = False) -> None:
    """Refuse a ``--results`` folder that holds anything already (or is not a folder): otter's results for these
    submissions go there, and no earlier results are overwritten. With ``resume``, a folder an earlier batch wrote
    (it holds :data:`RESULTS_MARKER`) is taken too: its results are kept where they still hold."""
    if results.exists() and not results.is_dir():
        raise DataError(f"{results}: exists and is not an empty folder")
    if resume and (results / RESULTS_MARKER).is_file():
        return
    if results.exists() and any(results.iterdir()):
        raise DataError(f"{results}: exists and is not an empty folder" + (
            " written by hmbook grade (no " + RESULTS_MARKER + "), so --resume cannot add to it" if resume else ""))


def assignment_of(autograder: Path) -> tuple[bytes, str]:
    """The autograder zip's bytes and the assignment it grades (its ``otter_config.json``); a file that is not an
    autograder zip is a one-line :class:`DataError`."""
    problem = f"{autograder}: not an autograder zip (make assignments writes dist/autograder/NAME.zip)"
    if not autograder.is_file() or autograder.suffix != ".zip" or not zipfile.is_zipfile(autograder):
        raise DataError(problem)
    data = autograder.read_bytes()
    try:
        with zipfile.ZipFile(autograder) as zipped:
            config = json.loads(zipped.read("otter_config.json"))
            if not any(n.startswith("tests/") and n.endswith(".py") for n in zipped.namelist()):
                raise DataError(problem)
        name = config["assignment_name"]
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError):
        raise DataError(problem) from None
    return data, str(name)


@dataclass
class Graded:
    """One submission graded: otter's ``results.json`` (None if it could not be graded), why not (``note``), and
    the score summary (``otter.log``)."""

    results: dict | None
    note: str = ""
    log: str = ""
    kept: bool = False  #: taken from an earlier batch's results (``--resume``), not graded again


def _limits(timeout: float) -> sandbox.Limits:
    return sandbox.Limits(cpu_seconds=int(math.ceil(timeout)) + 30)


def _step(args: list[str], inputs: dict[str, bytes], timeout: float, slot: int) -> sandbox.Outcome:
    return sandbox.run([sys.executable, "-m", "hmbook.course.sandbox_steps", *args], inputs, timeout=timeout,
                       limits=_limits(timeout), slot=slot)


def _why(outcome: sandbox.Outcome, timeout: float, limits: sandbox.Limits) -> str:
    """The note for a run step that did not end well."""
    if outcome.timed_out:
        return f"stopped after {timeout:g} s: a cell did not end"
    if outcome.overflowed:
        return f"stopped: its output passed {limits.output >> 20} MB"
    if outcome.status == sandbox_steps.KERNEL_DIED:
        return "its kernel died (a cell ended the process or ran out of memory): not graded"
    if outcome.status == sandbox_steps.FLOOD:
        return f"stopped: its cells printed more than {sandbox_steps.MAX_OUTPUT >> 20} MB"
    if outcome.status == sandbox_steps.NO_END:
        return "its notebook did not run to the end (a cell ended the grading): not graded"
    status = outcome.status if outcome.status is not None else 0
    if status < 0 or status > 128:  # killed by a signal (bwrap reports its command's as 128 + the signal)
        number = -status if status < 0 else status - 128
        return f"its grading process was killed (signal {number}): a cell killed it, or it passed a limit"
    return f"its grading ended with exit status {outcome.status}: not graded"


def grade_one(autograder: bytes, assignment: str, submission: Path, timeout: float = GRADE_TIMEOUT,
              slot: int = 0) -> Graded:
    """Grade one submission in two sandboxes (see the module's description; ``slot`` tells sandboxes running at
    once apart); never raises for what the submission does: a submission that cannot be graded gets ``results``
    None and a ``note``."""
    try:
        nb = read_notebook(submission)
    except DataError as err:
        return Graded(None, str(err).split(": ", 1)[-1])
    claimed = nb.metadata.get("otter", {}).get("assignment_name") if isinstance(nb.metadata.get("otter"), dict) \
        else None
    if claimed != assignment:
        what = f"the hand-out of {claimed!r}" if claimed else "not an otter hand-out"
        return Graded(None, f"the wrong notebook: it is {what}, not of {assignment!r}")
    name = "submission.ipynb" if submission.name.startswith(".") else submission.name
    ran = _step(["run", f"/input/{name}"], {name: submission.read_bytes()}, timeout, slot)
    if not ran.ok:
        return Graded(None, _why(ran, timeout, _limits(timeout)))
    scored = _step(["score", "/input/autograder.zip", "/input/snapshots.zip"],
                   {"autograder.zip": autograder, "snapshots.zip": ran.stdout}, SCORE_TIMEOUT, slot)
    if not scored.ok:
        why = scored.stderr_tail or f"exit status {scored.status}"
        return Graded(None, f"its snapshots could not be scored ({why[:200]})")
    try:
        answer = json.loads(scored.stdout)
        results, log = answer["results"], str(answer["summary"])
        scores(results)
    except (ValueError, KeyError, TypeError) as err:
        return Graded(None, f"its snapshots could not be scored ({str(err)[:200]})")
    return Graded(results, "", log)


def _grade_unsafely(autograder: Path, submission: Path, out: Path, timeout: float) -> Graded:
    """otter run as it runs without Docker (as the instructor, tests beside the submission): --unsafe-no-sandbox."""
    try:
        results = run_otter_within(autograder, submission, out, timeout)
    except DataError as err:
        return Graded(None, str(err).split(": ", 1)[-1])
    if results is None:
        return Graded(None, f"stopped after {timeout:g} s: a cell did not end")
    log = out / "otter.log"
    return Graded(results, "", log.read_text(encoding="utf-8") if log.is_file() else "")


#: Called as each submission is graded: (its row's name, how it went, seconds it took).
Progress = Callable[[str, Graded, float], None]


def default_jobs() -> int:
    """Submissions graded at once by default: one per core this process may use."""
    return max(1, min(len(os.sched_getaffinity(0)), sandbox.MAX_SLOTS))


def grade(autograder: Path, submissions: list[Path], results_dir: Path | None, timeout: float = GRADE_TIMEOUT, *,
          sandboxed: bool = True, workdir: Path | None = None, jobs: int = 1,
          progress: Progress | None = None, resume: bool = False) -> pd.DataFrame:
    """Grade every submission (:func:`grade_one`, or otter run unsandboxed), ``jobs`` at once; one row each:
    submission, each question's score, total, possible and note.

    Rows are named by the submission's path without ``.ipynb`` (``alice/table1_demographics`` for a folder per
    student), relative to the submissions' common folder, in the order given. ``results_dir`` (if given) gets each
    submission's ``results.json`` and ``otter.log`` in a folder of that name, and ``grading.log``, one line per
    submission as it ends. Every submission is a readable notebook and the autograder an autograder zip before
    anything runs (:func:`check_submissions`, one-line :class:`DataError`); what a submission then does is its own
    row's note. ``workdir`` is where the unsandboxed otter run works, when there is no ``results_dir``. An
    interrupt (Ctrl-C, SIGTERM) kills every sandbox running before it passes on.

    Each result is stored with its key, the SHA-256 of the autograder and of the submission: with ``resume``, a
    submission whose stored key still matches keeps its result and is not graded again (an interrupted batch, run
    again, grades only what is missing or changed).
    """
    submissions, autograder = [Path(s) for s in submissions], Path(autograder)
    check_submissions(submissions)
    data, assignment = assignment_of(autograder)
    common = Path(os.path.commonpath([s.resolve().parent for s in submissions]))
    names = [s.resolve().relative_to(common).with_suffix("").as_posix() for s in submissions]
    jobs = max(1, min(jobs, sandbox.MAX_SLOTS, len(submissions))) if sandboxed else 1
    slots: queue.SimpleQueue[int] = queue.SimpleQueue()
    for slot in range(jobs):
        slots.put(slot)
    log_lock = threading.Lock()
    autograder_hash = hashlib.sha256(data).hexdigest()
    if results_dir is not None:
        safe_write.write_files({results_dir / RESULTS_MARKER: b"results of hmbook grade (--resume adds to them)\n"})

    def one(index: int) -> Graded:
        s, name = submissions[index], names[index]
        start = time.monotonic()
        key = f"{autograder_hash} {hashlib.sha256(s.read_bytes()).hexdigest()}\n"
        kept = _kept(results_dir / name, key) if resume and results_dir is not None else None
        if kept is not None:
            graded = kept
        elif sandboxed:
            slot = slots.get()
            try:
                graded = grade_one(data, assignment, s, timeout, slot)
            finally:
                slots.put(slot)
        else:
            graded = _grade_unsafely(autograder, s, (results_dir or workdir or Path(".")) / name, timeout)
        seconds = time.monotonic() - start
        if results_dir is not None:
            with log_lock:
                if graded.results is not None and not graded.kept:
                    folder = results_dir / name
                    folder.mkdir(parents=True, exist_ok=True)
                    safe_write.write_files({
                        folder / "results.json": json.dumps(graded.results, indent=1).encode("utf-8"),
                        folder / "otter.log": graded.log.encode("utf-8"), folder / "key": key.encode("ascii")})
                with open(results_dir / "grading.log", "a", encoding="utf-8") as log:
                    log.write(log_line(name, graded, seconds) + "\n")
        if progress is not None:
            progress(name, graded, seconds)
        return graded

    if not sandboxed:  # otter run forks a child for each: from this thread, as it always has
        return _table(names, [one(i) for i in range(len(submissions))])
    sandbox.resume()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="hmbook-grade")
    try:
        futures = [pool.submit(one, i) for i in range(len(submissions))]
        graded = [f.result() for f in futures]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        sandbox.stop_all()  # the running sandboxes are killed; their threads end at once
        raise
    finally:
        pool.shutdown(wait=True)
    return _table(names, graded)


def _table(names: list[str], graded: list[Graded]) -> pd.DataFrame:
    # One assignment: its questions and points, from any submission that was graded.
    first = next((g.results for g in graded if g.results is not None), None)
    questions = list(scores(first)) if first else []
    possible = sum(float(t["max_score"]) for t in first["tests"] if t.get("score") is not None) if first else None
    rows = []
    for name, one_graded in zip(names, graded):
        got = scores(one_graded.results) if one_graded.results is not None else dict.fromkeys(questions)
        total = float(sum(v or 0.0 for v in got.values()))
        rows.append({"submission": name, **got, "total": total, "possible": possible, "note": one_graded.note})
    return pd.DataFrame(rows)


def _kept(folder: Path, key: str) -> Graded | None:
    """The result an earlier batch stored in ``folder`` if its key is ``key`` (same autograder, same submission)."""
    try:
        if (folder / "key").read_text(encoding="ascii") != key:
            return None
        results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        scores(results)
        log = (folder / "otter.log").read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged: graded again
    return Graded(results, "", log, kept=True)


def log_line(name: str, graded: Graded, seconds: float) -> str:
    """One line on one graded submission: its name, score or note, and how long it took."""
    if graded.results is None:
        return f"{name}: not graded ({graded.note}) [{seconds:.1f} s]"
    got = scores(graded.results)
    possible = sum(float(t["max_score"]) for t in graded.results["tests"] if t.get("score") is not None)
    took = "kept from an earlier batch" if graded.kept else f"{seconds:.1f} s"
    return f"{name}: {sum(got.values()):g} / {possible:g} [{took}]"
