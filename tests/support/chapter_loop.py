"""``pytest --chapter NAME`` (``make check CHAPTER=NAME``): only the checks of one chapter, for the edit-and-check
loop of a person working on it.

Kept: the nbval cells of ``book/NAME.ipynb``, and every test parametrized by that chapter (a notebook path whose
stem is NAME, or the page ``book/NAME``): its site page in a browser, its graded submissions, its hand-out in
JupyterLab, its hand-out files and content note. Everything else is deselected (pytest says how many). The
session's hand-outs (the ``handouts`` fixture) are then made for that chapter alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hmbook import paths


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--chapter", metavar="NAME", default=None,
                     help="run only the checks of book/NAME.ipynb (its nbval cells and the tests parametrized by it)")


def chapter(config: pytest.Config) -> str | None:
    """The chapter ``--chapter`` names, checked (a usage error, one line, for one the book does not have)."""
    name = config.getoption("chapter")
    if name is None:
        return None
    if not name or not (paths.ROOT / "book" / f"{name}.ipynb").is_file():
        raise pytest.UsageError(f"--chapter {name!r}: no chapter book/{name}.ipynb (a notebook's name without "
                                ".ipynb, eg table2_techniques)")
    return name


def _is_of(value: object, name: str) -> bool:
    if isinstance(value, Path):
        return value.suffix == ".ipynb" and value.stem == name
    return isinstance(value, str) and value in (name, f"book/{name}", f"book/{name}.ipynb")


def belongs(item: pytest.Item, name: str) -> bool:
    """Whether a collected test is one of chapter ``name``'s checks."""
    if Path(str(item.path)).resolve() == (paths.ROOT / "book" / f"{name}.ipynb").resolve():
        return True  # nbval's cells of the chapter
    callspec = getattr(item, "callspec", None)
    return callspec is not None and any(_is_of(v, name) for v in callspec.params.values())


def pytest_configure(config: pytest.Config) -> None:
    chapter(config)  # a wrong name stops the run before anything is collected


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    name = chapter(config)
    if name is None:
        return
    mine = {id(item): belongs(item, name) for item in items}
    kept = [item for item in items if mine[id(item)]]
    dropped = [item for item in items if not mine[id(item)]]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept
