"""The test loop against its floor, in one run: `make test`, and one chapter's `make check`, each against the
executions its checks need.

Run: .venv/bin/python benchmarks/bench_test.py [CHAPTER]   (about 20 minutes on the 2-core reference machine;
CHAPTER defaults to table2_techniques)

1. `make test` as a person runs it: `_build` deleted, the whole suite, the timing summary at its end.
2. The floor: every execution the checks need, each run on its own, one after another, then summed and divided
   by the cores (the most a perfect scheduler could share them out):
   - each notebook in `book/` executed once, in a fresh kernel in its own folder (nbclient, as the build does);
   - each graded submission graded once (the three of every chapter that tests/test_grading.py grades, made by
     tests/support/grading.py; in its two bubblewrap sandboxes, as `hmbook grade` grades it);
   - each submission of the grading sandbox's security matrix graded once (tests/test_grade_sandbox.py's three
     classes of hostile notebooks and their honest classmate, made by tests/support/hostile.py; graded one by one
     with the matrix's time limit, where the test grades each class with `hmbook grade --jobs 2`);
   - each JupyterLab run, counted as its execution: each student hand-out executed once in a fresh kernel;
   - each timed test (`pytest -m timed`: a time limit, a lock wait, a pause before a signal), run on its own, its
     call phase as pytest reports it.
3. `make check CHAPTER=NAME AGAIN=1` (the chapter executed again, as after an edit; the other chapters from the
   cache `make test` left), against that chapter's floor: its notebook, its three graded submissions and its
   hand-out, summed and divided by the cores.

Targets (issue 19): `make test` wall time <= 2 x its floor; the chapter loop <= 3 x the chapter's floor. Wall time
is what a person waits; CPU time (every process involved: kernels, browsers, servers) is printed beside it, as
other work on a shared machine disturbs it less. The load average is printed before each phase.

`make test` runs with SIGINT at its default action even when this script was started in the background (a shell
without job control starts background jobs ignoring SIGINT, and the interrupt tests need it). The script deletes
`_build`: do not run it while another build or test run uses the same checkout.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from bench_site import ROOT, Clock, execution_times  # same folder, run as a script
from hmbook.course import grade

sys.path.insert(0, str(ROOT / "tests"))
from support import hostile
from support.grading import submissions

TARGET_SUITE, TARGET_CHAPTER = 2.0, 3.0
CORES = os.cpu_count() or 1


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (1 min), {five:.2f} (5 min)"


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def make(*args: str) -> tuple[Clock, int, str]:
    with Clock() as clock:
        proc = subprocess.run(["make", *args], cwd=ROOT, preexec_fn=_default_sigint, capture_output=True, text=True)
    return clock, proc.returncode, proc.stdout[-3000:] + proc.stderr[-3000:]


def handouts(tmp: Path) -> Path:
    out = tmp / "dist"
    subprocess.run([sys.executable, "-m", "hmbook", "assignments", "--out", str(out)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return out


def grading_times(dist: Path, stems: list[str], tmp: Path) -> dict[str, Clock]:
    """Each submission of each chapter graded once, as the grading tests grade it."""
    times = {}
    for stem in stems:
        for kind, target in submissions(dist, stem, tmp / "graded").items():
            data, assignment = grade.assignment_of(dist / "autograder" / f"{stem}.zip")
            with Clock() as times[f"{stem} {kind}"]:
                grade.grade_one(data, assignment, target)
    return times


def hostile_times(dist: Path, tmp: Path) -> dict[str, Clock]:
    """Each submission of the security matrix graded once, on its own, as the matrix's `hmbook grade` grades it."""
    times = {}
    data, assignment = grade.assignment_of(dist / "autograder" / f"{hostile.NAME}.zip")
    for batch in ("files", "processes", "endings"):
        listener = hostile.Listener()
        try:
            made = hostile.class_folder(dist, tmp / "hostile" / batch, batch, listener.port, f"bench.{os.getpid()}")
            for target in sorted(made.submissions.glob(f"*/{hostile.NAME}.ipynb")):
                with Clock() as times[f"{batch} {target.parent.name}"]:
                    grade.grade_one(data, assignment, target, timeout=hostile.TIMEOUT)
        finally:
            listener.close()
    return times


def handout_times(dist: Path, stems: list[str]) -> dict[str, Clock]:
    """Each student hand-out executed once in a fresh kernel, in its folder (what a JupyterLab run executes)."""
    times = {}
    for stem in stems:
        path = dist / "student" / f"{stem}.ipynb"
        nb = nbformat.read(path, as_version=4)
        with Clock() as times[stem]:
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
    return times


def timed_tests() -> tuple[dict[str, float], Clock]:
    """The call phase of each timed test, run on their own (pytest -m timed, one process)."""
    with Clock() as clock:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-m", "timed", "-p", "no:cacheprovider", "-q",
                               "--durations=0", "--durations-min=0", "tests"], cwd=ROOT, capture_output=True,
                              text=True, preexec_fn=_default_sigint)
    if proc.returncode != 0:
        raise SystemExit(f"the timed tests failed on their own:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
    calls = {m[2]: float(m[1]) for m in re.finditer(r"^([0-9.]+)s call\s+(\S+)$", proc.stdout, re.M)}
    return calls, clock


def main(argv: list[str]) -> int:
    chapter = argv[0] if argv else "table2_techniques"
    if not (ROOT / "book" / f"{chapter}.ipynb").is_file():
        print(f"bench_test: no chapter book/{chapter}.ipynb", file=sys.stderr)
        return 2
    stems = sorted(p.stem for p in (ROOT / "book").glob("*.ipynb"))
    print(f"test-loop benchmark: {len(stems)} notebooks, {CORES} cores, chapter {chapter}")

    print(f"make test ... {load()}", flush=True)
    suite, status, tail = make("test")
    summary = tail[tail.rfind("make test: where the time went"):] if status == 0 else tail

    print(f"floor ... {load()}", flush=True)
    docs = [f"book/{s}" for s in stems]
    books = execution_times(docs)
    with tempfile.TemporaryDirectory(prefix="hmbook-bench-") as tmp:
        dist = handouts(Path(tmp))
        graded = grading_times(dist, stems, Path(tmp))
        matrix = hostile_times(dist, Path(tmp))
        labs = handout_times(dist, stems)
    calls, timed_clock = timed_tests()

    print(f"make check CHAPTER={chapter} AGAIN=1 ... {load()}", flush=True)
    loop, loop_status, loop_tail = make("check", f"CHAPTER={chapter}", "AGAIN=1")
    print(f"done, {load()}\n")

    parts = {"notebooks executed": sum(c.wall for c in books.values()),
             "submissions graded": sum(c.wall for c in graded.values()),
             "security-matrix submissions graded": sum(c.wall for c in matrix.values()),
             "hand-outs executed (JupyterLab runs)": sum(c.wall for c in labs.values()),
             "timed tests (call phase)": sum(calls.values())}
    cpu = {"notebooks executed": sum(c.cpu for c in books.values()),
           "submissions graded": sum(c.cpu for c in graded.values()),
           "security-matrix submissions graded": sum(c.cpu for c in matrix.values()),
           "hand-outs executed (JupyterLab runs)": sum(c.cpu for c in labs.values()),
           "timed tests (call phase)": timed_clock.cpu}
    floor_wall, floor_cpu = sum(parts.values()) / CORES, sum(cpu.values())
    print("the floor: each execution on its own           wall      CPU")
    for name in parts:
        print(f"  {name:<44}{parts[name]:7.1f} s {cpu[name]:7.1f} s")
    print(f"    ({len(books)} notebooks, {len(graded)} + {len(matrix)} submissions, {len(labs)} hand-outs, "
          f"{len(calls)} timed tests; "
          f"slowest notebook {max(books, key=lambda d: books[d].wall)} {max(c.wall for c in books.values()):.1f} s)")
    print(f"  summed / {CORES} cores{'':<29}{floor_wall:7.1f} s   (CPU summed {floor_cpu:.1f} s)")
    ratio = suite.wall / floor_wall
    print(f"make test (exit status {status}){'':<23}{suite.wall:7.1f} s {suite.cpu:7.1f} s")
    print(f"make test / floor{'':<33}{ratio:7.2f}     (target <= {TARGET_SUITE:g}: "
          f"{'met' if ratio <= TARGET_SUITE and status == 0 else 'MISSED'})")

    mine = (books[f"book/{chapter}"].wall + sum(c.wall for k, c in graded.items() if k.split()[0] == chapter)
            + labs[chapter].wall)
    chapter_floor = mine / CORES
    loop_ratio = loop.wall / chapter_floor
    print(f"\nthe chapter's floor ({chapter}: notebook, 3 submissions, hand-out) / {CORES} cores: "
          f"{chapter_floor:.1f} s (summed {mine:.1f} s)")
    print(f"make check CHAPTER={chapter} AGAIN=1 (exit status {loop_status}): {loop.wall:.1f} s wall, "
          f"{loop.cpu:.1f} s CPU")
    print(f"make check / chapter floor{'':<24}{loop_ratio:7.2f}     (target <= {TARGET_CHAPTER:g}: "
          f"{'met' if loop_ratio <= TARGET_CHAPTER and loop_status == 0 else 'MISSED'})")
    if loop_status != 0:
        print(loop_tail)
    print(summary)
    return 0 if status == 0 and loop_status == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
