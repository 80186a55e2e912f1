import os

import pytest
from filelock import FileLock

from hmbook import paths
from hmbook.data import published, respondents
from support import chapter_loop
from support.book import SITE
from support.cli import run_cli
from support.sitekit import launch_args, serve

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


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def handouts(tmp_path_factory, pytestconfig):
    """`hmbook assignments` over the whole book (or the one chapter of ``--chapter``), once per run: the dist
    folder (student, instructor, autograder). Under xdist the workers share one copy, made by the first worker to
    ask (the others wait on its lock), in the run's own temporary folder (each run has a new one)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # pytest-N/, whose popen-gwK/ are this run's workers' folders
    out = shared / "handouts" / "dist"
    with FileLock(str(shared / "handouts.lock")):
        if not (shared / "handouts.done").is_file():
            name = chapter_loop.chapter(pytestconfig)
            rc, _, err = run_cli("assignments", "--out", out, *(["--chapter", name] if name else []))
            assert rc == 0, err
            (shared / "handouts.done").touch()
    return out


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium with these (tests/support/sitekit.py); missing Chromium fails."""
    try:
        return {**browser_type_launch_args, **launch_args()}
    except FileNotFoundError as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope="session")
def site_url():
    """The built site, served on a free loopback port for the whole session."""
    if not (SITE / "index.html").is_file():
        pytest.fail("no built site: run `make test` (it builds _build/html before running pytest)")
    with serve(SITE) as url:
        yield url
