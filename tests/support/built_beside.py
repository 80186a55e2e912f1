"""``pytest --built-by FILE`` (``make check``): the checks start while the chapter is executed and both editions
are built, and each check that reads the build waits for it.

``make check`` runs the executor and the two site builds in the background and pytest at once: pytest's start (its
workers import the suite) and the checks that read only the book's sources (grading the chapter's submissions,
its hand-out files, running its hand-out in JupyterLab) need no build. The background job writes FILE when it
has ended, holding its exit status. Before every other test, the first time in each worker, the run waits for
FILE: waiting is the default, so a check nobody thought about never reads a build half made. A test module whose
tests read no part of ``_build`` says so with ``READS_BUILD = False``; one that reads the build only at some
point calls the ``build_ready`` fixture there (test_jupyterlab compares its run with the student edition at the
end), and such modules' tests are run first. When the build failed, the tests that need it fail with one line
pointing at its log (make check prints it); without the option nothing waits and the order is unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

__all__ = ["wait_for_build"]

# The longest the executor and the two builds may take before the waiting checks give up (a cold cache executes
# every chapter: a few minutes on the reference machine).
LIMIT = 1800.0
_DONE = pytest.StashKey[bool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--built-by", metavar="FILE", default=None,
                     help="checks that read _build wait until FILE exists (the build running beside pytest writes "
                          "it when done, holding its exit status)")


def wait_for_build(config: pytest.Config) -> None:
    """Return once the build beside this run has ended well (at once without ``--built-by``); fail the test if it
    failed or never ends."""
    marker = config.getoption("built_by")
    if marker is None or config.stash.get(_DONE, False):
        return
    marker = Path(marker)
    deadline = time.monotonic() + LIMIT
    while not marker.is_file():
        if time.monotonic() > deadline:
            pytest.fail(f"the build beside the checks did not end within {LIMIT:.0f} s ({marker} never appeared)",
                        pytrace=False)
        time.sleep(0.1)
    status = marker.read_text(encoding="utf-8").strip()
    if status != "0":
        pytest.fail(f"the execution or the build failed (exit status {status}); make check prints its output",
                    pytrace=False)
    config.stash[_DONE] = True


@pytest.fixture(scope="session")
def build_ready(pytestconfig: pytest.Config) -> Callable[[], None]:
    """Call it before reading ``_build``: it returns once the build running beside the checks has ended."""
    return lambda: wait_for_build(pytestconfig)


def _reads_build(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    return not (module is not None and getattr(module, "READS_BUILD", True) is False)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With a build beside the run, the checks that need none go first (each kind kept in its order, heaviest
    first: support.parallel), so the workers grade and run hand-outs while the build runs, not wait for it."""
    if config.getoption("built_by") is not None:
        items.sort(key=_reads_build)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _reads_build(item):
        wait_for_build(item.config)
