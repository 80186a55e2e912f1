"""How long do the hand-outs take to make and to grade? Prints seconds per step.

Run: .venv/bin/python benchmarks/bench_assignments.py

The pure conversions over every notebook in book/ (read once; best of three): the otter master notebooks
(hmbook.course.assign), the JupyterLab copies (hmbook.course.lab) and the stripped site sources
(hmbook.course.editions). Then, once each, the whole `hmbook assignments` build (otter assign on every chapter,
in this process) and grading one submission with otter run (the solutions of one chapter), which is what the
grading tests repeat three times per chapter; then the same submission as `hmbook grade` runs it, in a forked
child that its time limit can stop, against the run in this process. Note the machine's load: the last steps are
dominated by otter's start-up and a kernel executing the chapter.
"""

import tempfile
import time
from pathlib import Path

import nbformat
from bench_ensemble import best_of  # the scripts' folder is on sys.path when run as a script

from hmbook import paths
from hmbook.course import assign, editions, grade, otter_api, readable, timeouts


def main() -> None:
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
        start = time.perf_counter()  # as `hmbook grade` runs it: in a forked child that a time limit can stop
        res = timeouts.run_otter_within(autograder, solved, Path(tmp) / "r2", timeouts.GRADE_TIMEOUT)
        child = time.perf_counter() - start
        print(f"{'the same, in a child':>24}: {child:7.1f} s (score {sum(grade.scores(res).values()):g}; "
              f"{child / direct:.2f}x the run in this process)")


if __name__ == "__main__":
    main()
