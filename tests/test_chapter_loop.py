"""make check CHAPTER=NAME and pytest --chapter NAME: one chapter's checks, and a clear line for a wrong name."""

import subprocess
import sys

from hmbook import paths


def _pytest(*args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=300)


def test_the_chapter_option_keeps_that_chapters_checks_only():
    proc = _pytest("--collect-only", "-q", "--chapter", "table2_techniques", "tests", "book")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    ids = [line for line in proc.stdout.splitlines() if "::" in line]
    assert ids and all("table2_techniques" in i for i in ids), [i for i in ids if "table2_techniques" not in i][:5]
    kinds = {i.split("::", 1)[0] for i in ids}
    # nbval's cells, the site page in a browser, the graded submissions, the hand-out in JupyterLab
    assert {"book/table2_techniques.ipynb", "tests/test_site_browser.py", "tests/test_grading.py",
            "tests/test_jupyterlab.py"} <= kinds, kinds
    assert "deselected" in proc.stdout


def test_an_unknown_chapter_is_one_line_from_pytest_and_from_make():
    proc = _pytest("--collect-only", "-q", "--chapter", "no_such_chapter", "tests")
    assert proc.returncode != 0 and "no chapter book/no_such_chapter.ipynb" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    for given in ("CHAPTER=no_such_chapter", "CHAPTER="):
        made = subprocess.run(["make", "--no-print-directory", "check", given], cwd=paths.ROOT, capture_output=True,
                              text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HMBOOK_APT": "0"})
        lines = [line for line in made.stderr.splitlines() if not line.startswith("make:")]
        assert made.returncode != 0 and len(lines) == 1 and "make check: no chapter" in lines[0], made.stderr
