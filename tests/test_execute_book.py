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


def test_a_notebook_runs_in_an_encrypted_kernel_without_a_warning(tmp_path):
    proc = subprocess.run([sys.executable, "tools/execute_book.py", "--build", str(tmp_path),
                           "book/participant_flow.ipynb"], cwd=paths.ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr and "without encryption" not in proc.stderr, proc.stderr
    assert (tmp_path / "executed" / "book" / "participant_flow.ipynb").is_file()
