"""How long do the hand-outs take to make and to grade? Prints seconds per step.

Run: .venv/bin/python benchmarks/bench_assignments.py

The pure conversions over every notebook in book/ (read once; best of three): the otter master notebooks
(hmbook.course.assign), the JupyterLab copies (hmbook.course.lab) and the stripped site sources
(hmbook.course.editions). Then, once each, the whole `hmbook assignments` build (otter assign on every chapter,
in this process) and grading one submission with otter run (the solutions of one chapter), which is what the
grading tests repeat three times per chapter; then the same submission as `hmbook grade` grades it, in its two
bubblewrap sandboxes (hmbook.course.grade.grade_one), against the run in this process, and the sandbox's own
start (an empty bwrap sandbox). Then a class: N submissions of one chapter (--class N, default 48; half solutions,
half untouched hand-outs) graded by `hmbook grade --jobs` on every core, against the floor: the same N notebooks
executed with nbclient, as many at once, in the same run. Note the machine's load: the steps are dominated by
kernels executing the chapter.

    .venv/bin/python benchmarks/bench_assignments.py [--class N] [--jobs N]
"""

import argparse
import concurrent.futures
import multiprocessing
import tempfile
import time
from pathlib import Path

import nbformat
from bench_ensemble import best_of  # the scripts' folder is on sys.path when run as a script

from hmbook import paths
from hmbook.course import assign, editions, grade, otter_api, readable, sandbox


def _execute(path: str) -> None:
    """The floor: one notebook executed with nbclient in a fresh kernel, in its own folder (no grading)."""
    import nbclient

    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=None, allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}}).execute()


def grade_class(dist: Path, tmp: Path, count: int, jobs: int) -> None:
    """N submissions of the Table 1 chapter graded with --jobs (every core), against executing them as many at
    once."""
    name = "table1_demographics"
    made = []
    for i in range(count):
        kind = "instructor" if i % 2 == 0 else "student"
        target = tmp / "class" / f"student{i:03d}" / f"{name}.ipynb"
        target.parent.mkdir(parents=True)
        target.write_bytes((dist / kind / f"{name}.ipynb").read_bytes())
        made.append(target)
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        list(pool.map(_execute, map(str, made)))
    floor = time.perf_counter() - start
    start = time.perf_counter()
    table = grade.grade(dist / "autograder" / f"{name}.zip", made, None, jobs=jobs)
    graded = time.perf_counter() - start
    bad = int((table["note"] != "").sum())
    print(f"{'a class, executed':>24}: {floor:7.1f} s for {count} notebooks, {jobs} at once (nbclient: the floor)")
    print(f"{'a class, graded':>24}: {graded:7.1f} s (hmbook grade --jobs {jobs}; {bad} not graded); "
          f"{graded / floor:.2f}x the floor, target 1.5x")
    print(f"{'per submission':>24}: {(graded - floor) * jobs / count:7.2f} s of sandboxes and scoring beyond "
          "executing it")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class", dest="count", type=int, default=48, help="submissions in the class (48)")
    parser.add_argument("--jobs", type=int, default=grade.default_jobs(),
                        help="submissions graded (and executed) at once (default: hmbook grade's, every core)")
    args = parser.parse_args()
    book = paths.ROOT / "book"
    sources = [(p.stem, nbformat.read(p, as_version=4)) for p in sorted(book.glob("*.ipynb"))]
    cells = sum(len(nb.cells) for _, nb in sources)
    print(f"{len(sources)} notebooks, {cells} cells")
    for label, fn in (("otter master notebooks", lambda nb, name: assign.master_notebook(nb, name)),
                      ("JupyterLab copies", lambda nb, name: readable.readable_notebook(nb, where=name)),
                      ("stripped site sources", editions.strip_solutions)):
        t = best_of(3, lambda: [fn(nb, name) for name, nb in sources])
        print(f"{label:>24}: {t * 1000:7.1f} ms for all notebooks ({t * 1e6 / cells:6.1f} us per cell)")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        assign.write_assignments(book, Path(tmp) / "dist")
        print(f"{'hmbook assignments':>24}: {time.perf_counter() - start:7.1f} s for every chapter (otter assign)")
        start = time.perf_counter()
        solved = Path(tmp) / "dist" / "instructor" / "table1_demographics.ipynb"
        autograder = Path(tmp) / "dist" / "autograder" / "table1_demographics.zip"
        res = otter_api.run_otter(autograder, solved, Path(tmp) / "r")
        direct = time.perf_counter() - start
        print(f"{'otter run, one chapter':>24}: {direct:7.1f} s (score {sum(grade.scores(res).values()):g})")
        start = time.perf_counter()  # as `hmbook grade` grades it: its two bubblewrap sandboxes
        data, assignment = grade.assignment_of(autograder)
        graded = grade.grade_one(data, assignment, solved)
        boxed = time.perf_counter() - start
        score = sum(grade.scores(graded.results).values()) if graded.results else graded.note
        print(f"{'the same, sandboxed':>24}: {boxed:7.1f} s (score {score}; {boxed / direct:.2f}x otter run in "
              "this process)")
        empty = best_of(3, lambda: sandbox.run(["true"], timeout=30))
        print(f"{'an empty sandbox':>24}: {empty * 1000:7.1f} ms to start and end (bwrap, setpriv, prlimit)")
        grade_class(Path(tmp) / "dist", Path(tmp), args.count, args.jobs)


if __name__ == "__main__":
    main()
