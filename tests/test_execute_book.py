"""The one notebook executor (tools/execute_book.py), run as a contributor runs it."""

import subprocess
import sys

from hmbook import paths


def test_a_name_outside_the_toc_stops_with_one_line_and_runs_nothing(tmp_path):
    proc = subprocess.run([sys.executable, "tools/execute_book.py", "--build", str(tmp_path), "--in-place",
                           "book/no_such_chapter.ipynb"], cwd=paths.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines() == [
        "execute_book: not a notebook of the book's table of contents: book/no_such_chapter.ipynb"]
    assert not any(tmp_path.iterdir()), "nothing is cached or written for a refused run"


def _execute(build, *args):
    return subprocess.run([sys.executable, "tools/execute_book.py", "--build", str(build), *args], cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=300)


def test_a_notebook_runs_in_an_encrypted_kernel_without_a_warning_once_unless_asked_again(tmp_path):
    proc = _execute(tmp_path, "book/participant_flow.ipynb")
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr and "without encryption" not in proc.stderr, proc.stderr
    assert (tmp_path / "executed" / "book" / "participant_flow.ipynb").is_file()
    assert "executed 1 of 1 notebooks" in proc.stdout, proc.stdout
    cached = _execute(tmp_path, "book/participant_flow.ipynb")  # unchanged: taken from the cache
    assert cached.returncode == 0 and "executed 0 of 1 notebooks (1 already in the cache)" in cached.stdout
    again = _execute(tmp_path, "--again", "book/participant_flow.ipynb", "book/participant_flow.ipynb")
    assert again.returncode == 0 and "executed 1 of 1 notebooks" in again.stdout, again.stdout + again.stderr
