"""The command ``hmbook audit`` on the R package scrutiny's published test cases, run as a user runs it.

``tests/test_conformance.py`` checks the arithmetic (``hmbook.grim``) on every case of
``tests/data/audit/scrutiny_conformance.csv``; this module checks the command. The cases become figures files, one
for each scrutiny rounding the command can express, and ``hmbook audit FILE --format csv`` runs once on each:
scrutiny's default (``up_or_down``) with no ``--rounding`` at all, the others with the ``--rounding`` that means
the same. Each case is one row (its own variable, group ``all``, source ``scrutiny``), so no two rows are read as
one quantity or one question block. ``ceiling_or_floor`` (either truncation or ceiling, nothing else) has no
``--rounding`` choice: its cases are left to the arithmetic test.

The command's verdict on a case comes from the findings whose ``figure_ids`` is that case's id alone: consistent
when all of them are ``ok``, inconsistent when one is ``inconsistent``; a ``note``, an ``ambiguous`` or no finding
at all fails the case. Two kinds of finding are about the file rather than a case, and each run is checked to have
only those and no other: the ``denominator`` check (the file's rows print many denominators, so the audit reports
those below the group's size as respondents who skipped items; one such finding may name a single case, when only
that case prints its denominator), and at most one ``rounding`` note in the run without ``--rounding`` (the file
prints no percentage with its count, so its rounding cannot be inferred and round to nearest is assumed).
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass

import pytest

from hmbook import paths
from support.cli import run_cli

# The figures files are written under pytest's temporary folder: nothing here reads _build.
READS_BUILD = False

CASES = list(csv.DictReader(io.StringIO((paths.ROOT / "tests" / "data" / "audit" / "scrutiny_conformance.csv")
                                        .read_text(encoding="utf-8"))))
#: scrutiny's rounding -> the ``--rounding`` that means it (None: no option; the command's default, round to
#: nearest, is scrutiny's up_or_down). For non-negative values floor is truncation and anti_trunc is ceiling.
OPTION = {"up_or_down": None, "up": "half-up", "down": "half-down", "even": "half-even", "floor": "truncate",
          "trunc": "truncate", "ceiling": "ceiling", "anti_trunc": "ceiling"}
#: scrutiny's roundings no ``--rounding`` choice expresses: checked by tests/test_conformance.py only.
LEFT_TO_ARITHMETIC = {"ceiling_or_floor"}
RUN = [c for c in CASES if c["rounding"] in OPTION]
OPTIONS = list(dict.fromkeys(OPTION.values()))
#: A figures file's columns as a user writes them (data/README.md; the optional ones for means and SDs), and the
#: columns of the findings table the command prints (--format csv).
COLUMNS = ("figure_id", "source", "group", "variable", "level", "count", "denominator", "reported_percent", "mean",
           "sd", "n_items", "scale_min", "scale_max")
FINDING_COLUMNS = ("check", "figure_ids", "status", "explanation", "assumptions")
FILE_LEVEL = ("denominator", "rounding")


def name(option: str | None) -> str:
    return option or "default"


def figure_id(case) -> str:
    return f"c{case['case']}"


def figure_row(case) -> list[str]:
    """The case as a row of a figures file, every cell the CSV's text as it is (never through a float)."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(figure_id=figure_id(case), source="scrutiny", group="all", variable=f"v{case['case']}",
               level=case["test"], denominator=case["n"])
    if case["test"] == "grim_percent":  # x is the percentage as printed (pigs2_exp: scrutiny shows it / 100)
        row.update(reported_percent=case["x"])
    elif case["test"] == "grim":
        row.update(mean=case["x"], n_items=case["items"])
    elif case["test"] == "grimmer":
        row.update(mean=case["x"], sd=case["sd"], n_items=case["items"])
    elif case["test"] == "debit":  # answers of 0 or 1: the audit's DEBIT
        row.update(mean=case["x"], sd=case["sd"], scale_min="0", scale_max="1")
    else:
        raise ValueError(case["test"])
    return [row[c] for c in COLUMNS]


def expected(case) -> str:
    """scrutiny's verdict, or hmbook's where it differs on purpose (all three differences are cases scrutiny
    accepts: above_100 is out of range, exact_directed and exact_half_even fit no count under exact rounding)."""
    if not case["difference"]:
        return "ok" if case["expected"] == "true" else "inconsistent"
    assert case["expected"] == "true", case
    return "inconsistent"


@dataclass(frozen=True)
class Run:
    option: str | None
    cases: list[dict]
    status: int
    stdout: str
    stderr: str
    findings: list[dict[str, str]]  # the table the command printed, read once


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str | None, Run]:
    """Each figures file, audited once by the command (about a second for all of them)."""
    folder = tmp_path_factory.mktemp("scrutiny")
    done = {}
    for option in OPTIONS:
        cases = [c for c in RUN if OPTION[c["rounding"]] == option]
        path = folder / f"{name(option)}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(COLUMNS)
            writer.writerows(figure_row(c) for c in cases)
        status, out, err = run_cli("audit", path, "--format", "csv", *(["--rounding", option] if option else []))
        done[option] = Run(option, cases, status, out, err, list(csv.DictReader(io.StringIO(out))))
    return done


def own_findings(run: Run, case) -> list[dict[str, str]]:
    fid = figure_id(case)
    return [f for f in run.findings if f["figure_ids"] == fid and f["check"] not in FILE_LEVEL]


def verdict(run: Run, case) -> str:
    """``ok``, ``inconsistent``, or what else the command said about the case (which fails it)."""
    statuses = {f["status"] for f in own_findings(run, case)}
    if not statuses:
        return "no finding"
    if "inconsistent" in statuses:
        return "inconsistent"
    return "ok" if statuses == {"ok"} else "/".join(sorted(statuses))


@pytest.mark.parametrize("case", RUN, ids=[c["case"] for c in RUN])
def test_the_command_agrees(runs, case):
    run = runs[OPTION[case["rounding"]]]
    own = own_findings(run, case)
    what = (f"case {case['case']} ({case['test']} x={case['x']} sd={case['sd'] or '-'} n={case['n']} "
            f"items={case['items']}, scrutiny's {case['rounding']}, audit {name(run.option)})")
    shown = [(f["check"], f["status"], f["explanation"]) for f in own]
    assert verdict(run, case) == expected(case), f"{what}: expected {expected(case)}, got {shown}"
    if case["difference"] == "above_100":
        assert any(f["check"] == "range" and f["status"] == "inconsistent" for f in own), f"{what}: {shown}"


@pytest.mark.parametrize("option", OPTIONS, ids=[name(o) for o in OPTIONS])
def test_each_run(runs, option):
    """Exit status 1 when any case is inconsistent, nothing on stderr, the findings table, and no finding but the
    cases' own and the file-level ones described above."""
    run = runs[option]
    assert run.status == (1 if any(expected(c) == "inconsistent" for c in run.cases) else 0), run.stderr
    assert run.stderr == ""
    assert run.stdout.splitlines()[0] == ",".join(FINDING_COLUMNS)
    ids = {figure_id(c) for c in run.cases}
    found = run.findings
    strays = [f for f in found if f["check"] not in FILE_LEVEL and f["figure_ids"] not in ids]
    assert not strays, strays
    # rows whose denominator is below the group's size (the most printed, ties: the larger): one ambiguous
    # denominator finding for each such denominator, naming exactly the cases that print it
    dens = Counter(int(c["n"]) for c in run.cases)
    size = max(dens, key=lambda d: (dens[d], d))
    skipped = {frozenset(figure_id(c) for c in run.cases if int(c["n"]) == d) for d in dens if d < size}
    denominator = [f for f in found if f["check"] == "denominator"]
    assert {f["status"] for f in denominator} <= {"ambiguous"}, denominator
    assert Counter(frozenset(f["figure_ids"].split(";")) for f in denominator) == Counter(skipped)
    rounding = [f for f in found if f["check"] == "rounding"]
    assert len(rounding) <= (1 if option is None else 0) and all(f["status"] == "note" for f in rounding), rounding


def test_totals(runs):
    """How many cases the command runs, by rounding, and that it agrees with scrutiny on every case whose
    ``difference`` is empty (the figures quoted in tests/data/audit/README.md)."""
    assert set(OPTION) | LEFT_TO_ARITHMETIC == {c["rounding"] for c in CASES}
    assert len(RUN) == 602 and len(CASES) - len(RUN) == 24
    assert Counter(name(o) for o in (OPTION[c["rounding"]] for c in RUN)) == {
        "default": 434, "half-up": 24, "half-down": 24, "half-even": 24, "truncate": 48, "ceiling": 48}
    assert Counter(c["test"] for c in RUN) == {"grim": 452, "grim_percent": 129, "grimmer": 14, "debit": 7}
    agree = [c for c in RUN if not c["difference"]]
    assert len(agree) == 573 and Counter(c["difference"] for c in RUN if c["difference"]) == {
        "exact_directed": 20, "exact_half_even": 6, "above_100": 3}
    wrong = [(c["case"], name(OPTION[c["rounding"]]), verdict(runs[OPTION[c["rounding"]]], c)) for c in agree
             if verdict(runs[OPTION[c["rounding"]]], c) != expected(c)]
    assert not wrong, f"{len(wrong)} of the {len(agree)} cases without a documented difference disagree: {wrong}"
