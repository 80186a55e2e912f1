"""How long do the teaching copies take to make? Prints seconds per step (best of three).

Run: .venv/bin/python benchmarks/bench_assignments.py

Times the pure conversions in hmbook.assignments over every notebook in book/ (read once): the student copy
(solutions stripped, outputs cleared, answer cells added), the instructor copy, and the stripped site source. The
builds themselves (`make student`, executing the notebooks) are dominated by Jupyter Book and the kernels; time
them with `time make student`.
"""

import nbformat
from bench_ensemble import best_of  # the scripts' folder is on sys.path when run as a script

from hmbook import paths
from hmbook.teaching import editions


def main() -> None:
    sources = [(p.name, nbformat.read(p, as_version=4)) for p in sorted((paths.ROOT / "book").glob("*.ipynb"))]
    cells = sum(len(nb.cells) for _, nb in sources)
    print(f"{len(sources)} notebooks, {cells} cells")
    for label, fn in (("student copies", editions.student_notebook),
                      ("instructor copies", editions.instructor_notebook),
                      ("stripped site sources", editions.strip_solutions)):
        t = best_of(3, lambda: [fn(nb, name) for name, nb in sources])
        print(f"{label:>22}: {t * 1000:7.1f} ms for all notebooks ({t * 1e6 / cells:6.1f} us per cell)")


if __name__ == "__main__":
    main()
