"""tools/system_deps.sh, which make book and make test run first: a missing Debian package is installed when the
machine allows it, and otherwise the target stops at once with one line."""

import os
import subprocess
from pathlib import Path

from hmbook import paths

SCRIPT = paths.ROOT / "tools" / "system_deps.sh"


def _run(*args, path: str, apt: str = "0"):
    return subprocess.run(["/bin/bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=60,
                          env={"PATH": path, "HMBOOK_APT": apt, "HOME": os.environ.get("HOME", "/")})


def test_a_missing_package_that_may_not_be_installed_stops_with_one_line(tmp_path):
    proc = _run("npm", path=str(tmp_path))  # a PATH with no npm on it
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "hmbook needs the Debian package(s) npm: install them (sudo apt-get install npm) and run make again"]


def test_bubblewrap_is_known_by_its_program():
    proc = _run("bubblewrap", path=str(Path(__file__).parent))  # a PATH with no bwrap on it
    assert proc.returncode == 1 and proc.stderr.splitlines() == [
        "hmbook needs the Debian package(s) bubblewrap: install them (sudo apt-get install bubblewrap) and run make "
        "again"]


def test_packages_that_are_present_pass_silently():
    proc = _run("npm", "chromium", "bubblewrap", path=os.environ["PATH"])
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_an_unknown_package_is_a_mistake_in_the_makefile(tmp_path):
    proc = _run("chromiun", path=str(tmp_path))
    assert proc.returncode == 2 and "unknown package 'chromiun'" in proc.stderr


def test_make_test_checks_chromium_and_bubblewrap_before_it_sets_anything_up():
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    lines = makefile.splitlines()
    for target in ("test", "check"):
        rule = next(line for line in lines if line.startswith(f"{target}:"))
        assert rule.split(":", 1)[1].split()[0] == "system-deps"
    recipe = lines[lines.index("system-deps:") + 1].split()
    assert recipe == ["@tools/system_deps.sh", "chromium", "bubblewrap"]
    assert Path(SCRIPT).stat().st_mode & 0o111, "the Makefile runs the script directly"
