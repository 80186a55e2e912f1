"""Execute the book's notebooks in place, so that their stored outputs (which nbval compares) are current.

Usage: .venv/bin/python tools/run_notebooks.py [NOTEBOOK ...]   (default: every notebook under book/)

Timing metadata that Jupyter writes on execution is removed, and widget state is not saved (see below), so re-running an unchanged notebook leaves the file
unchanged and diffs show only real output changes.
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    # No saved widget state: the site shows static figures, and a page with widget state pulls in the 1.9 MB
    # widget embed script (over the page budget). Live widgets run in JupyterLab (make lab). (Executing with
    # nbclient's store_widget_state=False fails on Output widgets, hence removing it afterwards.)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    print(f"executed {path.relative_to(ROOT)}")


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "book").glob("*.ipynb"))
    for path in paths:
        run(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
