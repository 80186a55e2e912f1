"""The suite's own settings, as `make test` applies them: a test that hangs fails, and says where it hung.

A hang (a kernel that never answers, a server that never starts) must not hold `make test` until CI's time limit
with no word of where: pytest-timeout, configured in ``pyproject.toml``, ends the test and prints the stacks.
"""

import subprocess
import sys

import pytest

from hmbook import paths


@pytest.mark.timed
def test_the_configured_timeout_ends_a_hanging_test_with_its_stack(tmp_path):
    test = tmp_path / "test_hangs.py"
    test.write_text("import time\n\ndef test_waits_forever():\n    time.sleep(600)\n")
    # The project's pytest configuration (pyproject.toml), with the timeout shortened from its 900 s.
    proc = subprocess.run([sys.executable, "-m", "pytest", "-c", str(paths.ROOT / "pyproject.toml"),
                           "--rootdir", str(paths.ROOT), "-o", "timeout=2", "-p", "no:xdist", str(test)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert "Timeout" in out and "test_waits_forever" in out and "time.sleep(600)" in out, out[-3000:]
