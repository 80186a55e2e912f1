import pytest

from hmbook import paths
from hmbook.data import published, respondents
from support.cli import run_cli


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
def handouts(tmp_path_factory):
    """`hmbook assignments` over the whole book, once per session: the dist folder (student, instructor, autograder)."""
    out = tmp_path_factory.mktemp("handouts") / "dist"
    rc, _, err = run_cli("assignments", "--out", out)
    assert rc == 0, err
    return out
