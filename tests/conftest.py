import subprocess
import sys

import pytest

from hmbook import paths
from hmbook.data import published, respondents


ROOT = paths.ROOT


@pytest.fixture(scope="session")
def figs():
    return published.figures()


@pytest.fixture(scope="session")
def committed():
    return respondents.read_respondents(paths.RESPONDENTS_CSV)


@pytest.fixture(scope="session")
def committed_text():
    return paths.RESPONDENTS_CSV.read_text(encoding="utf-8")


def run_cli(*args, cwd=None):
    """Run ``python -m hmbook`` as a user would; return (exit status, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "hmbook", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def cli():
    return run_cli
