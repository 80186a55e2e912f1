"""How `make test` shares the suite between cores (pytest-xdist, ``--dist loadgroup``), and what each part cost.

Grouping (every item gets an ``xdist_group``; a group runs whole on one worker, in collection order):

- nbval: the cells of one notebook share a kernel, so a notebook is one group.
- a test module is one group, as with ``--dist loadfile``: its module- and session-scoped fixtures (a Taguette
  server, a JupyterLab, a built wheel, a browser, graded submissions) are made once, in one worker. A module
  whose tests are independent of each other may instead set ``XDIST_SPLIT = True``: its tests are then spread one
  by one; or ``XDIST_GROUP_BY = "param"``: its tests are grouped by that parameter's value (the site's tests by
  page, so that a page loaded once serves all of its tests; grading by chapter).
- doctests are spread one by one (each is independent).

Order: xdist hands out groups in collection order, so the items are re-ordered, heaviest group first, so that
the last groups to finish are short ones. The costs are measured, not typed: :data:`COSTS` (tests/support/
costs.json) holds each group's seconds from a `make test` run, written by ``make costs`` (``tools/timings.py
costs``); a group not in it (a new test module) counts as one second until the file is remade, and a test spread
on its own weighs its own recorded seconds (a second or more; else nothing). The order changes only when a test
runs, never whether it runs.

Timings: with ``--timings FILE``, the controller appends to FILE (JSON lines) one line per part of the summary
(nbval, doctests, each test module: label, seconds, CPU, tests) and one per xdist group (group, seconds), seconds
being the sum of its tests' set-up, call and tear-down times in the worker that ran them; ``tools/timings.py``
prints them with the build's and makes tests/support/costs.json from them.
"""

from __future__ import annotations

import json
import resource
from collections import defaultdict
from pathlib import Path

import pytest

__all__ = ["group_of", "COSTS", "costs"]

#: Each group's measured seconds (tests/support/costs.json, made by `make costs` from a `make test` run).
COSTS = Path(__file__).with_name("costs.json")
#: A test spread on its own is recorded (under its node id) when it took at least this many seconds.
SINGLE = 1.0


def costs(path: Path = COSTS) -> dict[str, float]:
    """The measured seconds of each group; none (every group counts alike) if the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}


def pytest_addoption(parser):
    parser.addoption("--timings", metavar="FILE", default=None,
                     help="append the time each part of the suite took to FILE (JSON lines; tools/timings.py)")


def group_of(item) -> str | None:
    """The xdist group of a test item (None: spread on its own)."""
    path = Path(str(item.path)).resolve().relative_to(Path(str(item.config.rootpath))).as_posix()
    if path.endswith(".ipynb"):
        return path
    if type(item).__name__ == "DoctestItem":
        return None
    module = getattr(item, "module", None)
    if module is not None and getattr(module, "XDIST_SPLIT", False):
        return None
    by = getattr(module, "XDIST_GROUP_BY", None) if module is not None else None
    callspec = getattr(item, "callspec", None)
    if by and callspec is not None and by in callspec.params:
        value = callspec.params[by]
        if isinstance(value, Path):  # named as in the checkout, so that the measured costs hold on any machine
            value = Path(value).resolve().relative_to(Path(str(item.config.rootpath)).resolve()).as_posix()
        return f"{path}::{value}"
    return path


def _summary_label(item_or_nodeid: str) -> str:
    path = item_or_nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        return "nbval (notebooks)"
    if not path.startswith("tests/"):
        return "doctests"
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    groups = {item: group_of(item) for item in items}
    for item, group in groups.items():
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    measured = costs()
    weights = {group: measured.get(group, 1.0) for group in set(groups.values()) if group is not None}
    # A test spread on its own weighs what it took (recorded under its node id when it took a second or more).
    def weight(item) -> float:
        group = groups[item]
        return weights[group] if group is not None else measured.get(item.nodeid, 0.0)

    # Heaviest first; within a group and among equal single tests, the collection order is kept (stable sort).
    items.sort(key=lambda item: -weight(item))


def _cpu() -> float:
    self, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return self.ru_utime + self.ru_stime + children.ru_utime + children.ru_stime


_CPU = pytest.StashKey[float]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if item.config.getoption("timings"):
        item.stash[_CPU] = _cpu()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Each test's CPU time (its worker's, and the processes it started and waited for) and its xdist group, on its
    last report (a report's user properties travel from the worker to the controller)."""
    outcome = yield
    if call.when == "teardown" and _CPU in item.stash:
        outcome.get_result().user_properties.append(("cpu", _cpu() - item.stash[_CPU]))
        outcome.get_result().user_properties.append(("group", group_of(item) or ""))


class _Timings:
    def __init__(self, path: Path):
        self.path = path
        self.seconds = defaultdict(float)
        self.cpu = defaultdict(float)
        self.tests = defaultdict(set)
        self.groups = defaultdict(float)
        self.group_of = {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        label = _summary_label(report.nodeid)
        self.seconds[label] += report.duration
        self.tests[label].add(report.nodeid)
        self.cpu[label] += sum(value or 0.0 for key, value in report.user_properties if key == "cpu")
        group = next((value for key, value in report.user_properties if key == "group"), None)
        if group is not None:
            self.group_of[report.nodeid] = group
        self.groups[report.nodeid] += report.duration

    @pytest.hookimpl
    def pytest_sessionfinish(self, session):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            for label in sorted(self.seconds, key=lambda k: -self.seconds[k]):
                f.write(json.dumps({"phase": "pytest", "label": label, "seconds": round(self.seconds[label], 2),
                                    "cpu": round(self.cpu[label], 2), "tests": len(self.tests[label])}) + "\n")
            by_group: dict[str, float] = defaultdict(float)
            for nodeid, seconds in self.groups.items():
                if self.group_of.get(nodeid):
                    by_group[self.group_of[nodeid]] += seconds
                elif nodeid in self.group_of and seconds >= SINGLE:  # spread on its own: weighed by its node id
                    by_group[nodeid] += seconds
            for group in sorted(by_group, key=lambda g: -by_group[g]):
                f.write(json.dumps({"phase": "group", "group": group, "seconds": round(by_group[group], 2)}) + "\n")


def pytest_configure(config):
    path = config.getoption("timings")
    if path and not hasattr(config, "workerinput"):  # the controller (or a run without xdist) records
        config.pluginmanager.register(_Timings(Path(path)), "hmbook-timings")
