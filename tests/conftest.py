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
