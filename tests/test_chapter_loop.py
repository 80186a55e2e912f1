"""make check CHAPTER=NAME and pytest --chapter NAME: one chapter's checks, and a clear line for a wrong name."""

import subprocess
import sys
import time

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


# ------------------------------------------------------------------ make check's build beside the checks
def _beside(tmp_path):
    """A small suite using tests/support/built_beside.py: one module that reads no build, one that does."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["support.built_beside"]\n')
    log = tmp_path / "order.log"
    (tmp_path / "test_a_sources.py").write_text(
        f"READS_BUILD = False\n\ndef test_sources():\n    open({str(log)!r}, 'a').write('sources\\n')\n")
    (tmp_path / "test_b_build.py").write_text(
        "from pathlib import Path\n\ndef test_build():\n"
        f"    assert Path({str(tmp_path / 'built')!r}).is_file()\n    open({str(log)!r}, 'a').write('build\\n')\n")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-o", "addopts=",
               "--built-by", str(tmp_path / "built"), str(tmp_path)]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(paths.ROOT / "tests")}
    return command, env, log


def test_checks_that_read_the_build_wait_for_it_and_the_others_do_not(tmp_path):
    command, env, log = _beside(tmp_path)
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    deadline = time.monotonic() + 120
    while not (log.is_file() and "sources" in log.read_text()):  # the build has not ended, yet this check ran
        assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.stdout else ""
        time.sleep(0.1)
    assert log.read_text() == "sources\n"  # the other is still waiting
    (tmp_path / "built").write_text("0\n")
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert log.read_text() == "sources\nbuild\n"


def test_a_failed_build_stops_the_checks_that_need_it_with_one_line(tmp_path):
    command, env, log = _beside(tmp_path)
    (tmp_path / "built").write_text("2\n")
    proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout
    assert "1 passed, 1 error" in proc.stdout and log.read_text() == "sources\n"  # the wait is in set-up
    assert "the execution or the build failed (exit status 2)" in proc.stdout and "Traceback" not in proc.stdout


def test_a_module_with_chapter_checks_must_say_so(tmp_path):
    """make check imports only the modules that declare CHAPTER_CHECKS; a full run refuses one that has chapter
    checks without the declaration, with one line, before any test runs."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["support.chapter_loop"]\n')
    (tmp_path / "test_x.py").write_text(
        "import pytest\n\n@pytest.mark.parametrize('doc', ['book/table2_techniques'])\ndef test_page(doc):\n    pass\n")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-o", "addopts=", str(tmp_path)]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(paths.ROOT / "tests")}
    proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4 and "has chapter checks" in proc.stderr and "CHAPTER_CHECKS = True" in proc.stderr
    (tmp_path / "test_x.py").write_text("CHAPTER_CHECKS = True\n" + (tmp_path / "test_x.py").read_text())
    proc = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "1 passed" in proc.stdout, proc.stdout + proc.stderr
