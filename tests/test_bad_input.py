"""The bad-input matrix: every command given every kind of bad input, run as a user runs it.

Each case runs the command line (forked from the test process, :mod:`support.cli`) in a fresh copy of the project
(so ``package``, ``corpus`` and writes to the book's folders can be tried without touching the checkout) and must
give exit status 2, exactly one line on
stderr naming the problem, no traceback, and leave every file that existed before (the whole copy and the inputs)
with the same SHA-256 and mode, and no file added (no temporary or lock file either). A second matrix gives each
loader of the package every kind of bad file and expects one :class:`~hmbook.errors.DataError` line naming it.
"""

from __future__ import annotations

import csv
import json
import os
import re
from io import StringIO
from pathlib import Path

import pytest

from hmbook import paths
from hmbook.data import published, respondents
from hmbook.errors import DataError
from hmbook.methods import design
from hmbook.qualitative import coder, thematic
from support.cli import run_cli
from support.project import copy_project, fingerprint

RESPONDENTS = paths.RESPONDENTS_CSV.read_text(encoding="utf-8")
CLEAN_FIGURES = (paths.ROOT / "tests" / "data" / "audit" / "clean.csv").read_text(encoding="utf-8")
GRADES = "submission,ex-a,total,possible,note\nalice/t1,7,7,7,\nbob/t1,3,3,7,\n"  # as hmbook grade --out writes
CLEAN_SPEC = (paths.ROOT / "tests" / "data" / "synth" / "clean_spec.yml").read_text(encoding="utf-8")
AUDIT_NB = (paths.ROOT / "book" / "audit.ipynb").read_text(encoding="utf-8")  # a true copy, without outputs or not
EMPTY_NB = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


@pytest.fixture
def proj(tmp_path):
    root = copy_project(tmp_path / "proj")
    (root / "_build" / "html").mkdir(parents=True)
    (root / "_build" / "html" / "index.html").write_text("<p>the site</p>\n")
    (root / "_build" / ".jupyter_cache").mkdir()
    (root / "_build" / ".jupyter_cache" / "global.db").write_bytes(b"cache")
    (root / "_build" / "mine").mkdir()
    (root / "_build" / "mine" / "notes.txt").write_text("a person's notes\n")
    (root / "inputs").mkdir()
    return root


# ------------------------------------------------------------------------------------------- text manipulation
def cell(text: str, row: int, column: str, value: str) -> str:
    """CSV ``text`` with data row ``row``'s ``column`` set to ``value`` (written back as hmbook writes CSV)."""
    rows = list(csv.reader(StringIO(text, newline="")))
    rows[row][rows[0].index(column)] = value
    buf = StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def drop_column(text: str, column: str) -> str:
    rows = list(csv.reader(StringIO(text, newline="")))
    i = rows[0].index(column)
    buf = StringIO()
    csv.writer(buf, lineterminator="\n").writerows(r[:i] + r[i + 1:] for r in rows)
    return buf.getvalue()


def data_file(name: str) -> str:
    return (paths.DATA / name).read_text(encoding="utf-8")


def write(root, rel, content):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def inp(root, content, name="in.csv"):
    return write(root, f"inputs/{name}", content)


def chapter_with(root, part, text):
    """The Table 1 chapter in a book folder inputs/nb, with the solution of its first exercise (``part``
    "solution") or its first test's TEST CONFIG ("config") replaced by ``text``."""
    nb = json.loads((paths.ROOT / "book" / "table1_demographics.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if part == "solution" and cell["cell_type"] == "code" and "ages = " in source and "check_table" in source:
            cell["source"] = text
            break
        if part == "config" and source.startswith('""" # BEGIN TEST CONFIG\n'):
            cell["source"] = re.sub(r"(?s)CONFIG\n.*?\n\"\"\" # END", f"CONFIG\n{text}\n\"\"\" # END", source, count=1)
            break
    else:
        raise AssertionError(f"no {part} to replace")
    return write(root, "inputs/nb/table1_demographics.ipynb", json.dumps(nb))


def book_with(root, name, content):
    """A book folder inputs/nb (one empty notebook) with ``name`` beside it: text or bytes, a symlink to a Path, or
    a named pipe for None."""
    write(root, "inputs/nb/a.ipynb", '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    path = root / "inputs" / name
    if content is None:
        os.mkfifo(path)
    elif isinstance(content, Path):
        path.symlink_to(content)
    else:
        write(root, f"inputs/{name}", content)
    return path


def sparse(root, size=2**30, name="huge.csv"):
    """A file that claims ``size`` bytes without taking the disk (like a 1,000,000-row export, but instant)."""
    path = root / "inputs" / name
    with open(path, "wb") as fh:
        fh.write(RESPONDENTS.encode())
        fh.truncate(size)
    return path


def fifo(root, name="pipe.csv"):
    """A named pipe with no writer: opening it to read would wait for ever."""
    path = root / "inputs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def linked(root, target="book", name="link"):
    """A folder of the project reached through a symlink in inputs/."""
    path = root / "inputs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(root / target, target_is_directory=True)
    return path


def dangling(root, name="sym.csv"):
    """A symlink in inputs/ to a file not yet made in book/: writing through it would write into the book."""
    path = root / "inputs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(root / "book" / "new.csv")
    return path


def many_rows(n: int) -> str:
    lines = RESPONDENTS.splitlines(keepends=True)
    return lines[0] + "".join(lines[1 + i % 90] for i in range(n))


ARABIC_SEVEN, FULLWIDTH_SEVEN = "\u0667", "\uff17"

# Every case runs in a project copy of its own: make test spreads them one by one over its workers.
XDIST_SPLIT = True

# id: (setup(root) -> command-line arguments, text the one error line must contain)
CASES = {
    # verify: every kind of unreadable, oversized or contract-breaking file
    "verify missing file": (lambda r: ["verify", r / "inputs" / "nope.csv"], "no such file"),
    "verify directory": (lambda r: ["verify", r / "inputs"], "is a directory"),
    "verify empty": (lambda r: ["verify", inp(r, "")], "the file is empty"),
    "verify blank lines": (lambda r: ["verify", inp(r, "\n\n \n")], "the file is empty"),
    "verify binary": (lambda r: ["verify", inp(r, b"PK\x03\x04\x00\x00binary")], "not a text file"),
    "verify /dev/zero": (lambda r: ["verify", "/dev/zero"], "not a regular file (it is a device)"),
    "verify a named pipe": (lambda r: ["verify", fifo(r)], "not a regular file (it is a named pipe)"),
    "audit /dev/zero": (lambda r: ["audit", "/dev/zero"], "not a regular file (it is a device)"),
    "audit a named pipe": (lambda r: ["audit", fifo(r)], "not a regular file (it is a named pipe)"),
    "audit --register a named pipe": (lambda r: ["audit", "data/published/figures.csv", "--register", fifo(r)],
                                      "not a regular file (it is a named pipe)"),
    "audit --template into book": (lambda r: ["audit", "--template", "book/figures.csv"], "the book's sources"),
    "audit --template into the package": (lambda r: ["audit", "--template", "hmbook/f.csv"], "the hmbook package"),
    "audit --template into .git": (lambda r: ["audit", "--template", ".git/f.csv"], "git's store"),
    "audit --template into the site": (lambda r: ["audit", "--template", "_build/html/f.csv"], "the built site"),
    "audit --template through a symlink into book": (lambda r: ["audit", "--template", linked(r) / "f.csv"],
                                                    "the book's sources"),
    "audit --template over a symlink": (lambda r: ["audit", "--template", dangling(r)], "already exists"),
    "audit huge file": (lambda r: ["audit", inp(r, "figure_id,source,group,variable,level,count,denominator,"
                                                "reported_percent\n" + "x" * 6_000_000 + "\n")], "too large"),
    "verify latin-1": (lambda r: ["verify", inp(r, RESPONDENTS.replace("Wales", "W\xe4les").encode("latin-1"))],
                       "not UTF-8"),
    "verify semicolons": (lambda r: ["verify", inp(r, RESPONDENTS.replace(",", ";"))], "separated by semicolons"),
    "verify tabs": (lambda r: ["verify", inp(r, RESPONDENTS.replace(",", "\t"))], "separated by tabs"),
    "verify not csv": (lambda r: ["verify", inp(r, "some words\nmore words\n")], "not a CSV file"),
    "verify ragged row": (lambda r: ["verify", inp(r, RESPONDENTS.replace("\n", ",x\n", 2).replace(",x\n", "\n", 1))],
                          "line 2 has 32 fields"),
    "verify bad quoting": (lambda r: ["verify", inp(r, RESPONDENTS.replace("\n", ',"open\n', 2)
                                                    .replace(',"open\n', "\n", 1))], "not valid CSV"),
    "verify too many rows": (lambda r: ["verify", inp(r, many_rows(200))], "more than 90 rows"),
    "verify a 1 GB file": (lambda r: ["verify", sparse(r)], "too large for a respondents table"),
    "verify wrong kind": (lambda r: ["verify", paths.ASSUMPTIONS_CSV], "not a respondents table"),
    "verify full-width digits": (lambda r: ["verify", inp(r, cell(RESPONDENTS, 2, "years_in_role", FULLWIDTH_SEVEN))],
                                 "years_in_role: value '７' in row 2 is not a whole number"),
    "verify Arabic-Indic digits": (lambda r: ["verify", inp(r, cell(RESPONDENTS, 2, "years_in_role", ARABIC_SEVEN))],
                                   "is not a whole number"),
    "verify plus sign": (lambda r: ["verify", inp(r, cell(RESPONDENTS, 2, "years_in_role", "+7"))],
                         "is not a whole number"),
    "verify huge id": (lambda r: ["verify", inp(r, cell(RESPONDENTS, 90, "respondent_id", "9" * 23))],
                       "is above 90"),
    "verify years above the maximum": (lambda r: ["verify", inp(r, cell(RESPONDENTS, 2, "years_in_role", "999"))],
                                       "is above 40"),
    "verify synthetic false": (lambda r: ["verify", inp(r, cell(RESPONDENTS, 4, "synthetic", "false"))],
                               "synthetic: value 'false' in row 4 is not allowed"),
    "verify TRUE": (lambda r: ["verify", inp(r, cell(RESPONDENTS, 4, "used_hm", "TRUE"))], "not 'true' or 'false'"),
    "verify spaced boolean": (lambda r: ["verify", inp(r, cell(RESPONDENTS, 4, "used_hm", " true"))],
                              "not 'true' or 'false'"),
    # generate: seeds, output folders, an existing file, edited published figures
    "generate seed ' +7 '": (lambda r: ["generate", "--out", "out", "--seed", " +7 "], "digits 0-9"),
    "generate seed Arabic-Indic": (lambda r: ["generate", "--out", "out", "--seed", ARABIC_SEVEN], "digits 0-9"),
    "generate seed full-width": (lambda r: ["generate", "--out", "out", "--seed", FULLWIDTH_SEVEN], "digits 0-9"),
    "generate seed 1_000": (lambda r: ["generate", "--out", "out", "--seed", "1_000"], "digits 0-9"),
    "generate seed negative": (lambda r: ["generate", "--out", "out", "--seed", "-4"], "must not be negative"),
    "generate seed huge": (lambda r: ["generate", "--out", "out", "--seed", "9" * 30], "at most"),
    "generate --out empty": (lambda r: ["generate", "--out", ""], "--out is empty"),
    "generate --out a file": (lambda r: ["generate", "--out", inp(r, "x")], "is not a directory"),
    "generate --out book": (lambda r: ["generate", "--out", "book"], "the book's sources"),
    "generate --out inside book": (lambda r: ["generate", "--out", "book/data"], "the book's sources"),
    "generate --out the site": (lambda r: ["generate", "--out", "_build/html"], "the built site"),
    "generate --out the cache": (lambda r: ["generate", "--out", "_build/.jupyter_cache"], "execution cache"),
    "generate --out the package": (lambda r: ["generate", "--out", "hmbook"], "the hmbook package"),
    "generate over a different file": (lambda r: ["generate", "--out", "data/synthetic", "--seed", "3"], "--force"),
    "generate, figures edited": (lambda r: [write(r, "data/published/figures.csv", data_file("published/figures.csv")
                                                  .replace("t1_used_no,Table 1,all,used_hm,No,14,", "t1_used_no,Table 1,"
                                                           "all,used_hm,No,15,")) and "generate", "--out", "out"],
                                 "do not fit together"),
    "generate, figures binary": (lambda r: [write(r, "data/published/figures.csv", b"\x00" * 64) and "generate",
                                            "--out", "out"], "figures.csv: not a text file"),
    "generate, figures full-width": (lambda r: [write(r, "data/published/figures.csv", data_file(
        "published/figures.csv").replace("abs_n,Abstract,all,respondents,analysed,90,", "abs_n,Abstract,all,"
                                         "respondents,analysed,９0,")) and "generate", "--out", "out"],
                                     "is not a whole number"),
    "generate, figures of the wrong kind": (lambda r: [write(r, "data/published/figures.csv", RESPONDENTS)
                                                       and "generate", "--out", "out"], "not a figures file"),
    "generate, facts edited": (lambda r: [write(r, "data/published/respondent_facts.csv", data_file(
        "published/respondent_facts.csv").replace("2,occupation,Clinical psychologist", "2,occupation,Astronaut"))
                                          and "generate", "--out", "out"], "'Astronaut' is not a value of occupation"),
    "generate, facts huge id": (lambda r: [write(r, "data/published/respondent_facts.csv", data_file(
        "published/respondent_facts.csv").replace("\n2,occupation", "\n" + "9" * 25 + ",occupation"))
                                           and "generate", "--out", "out"], "is above 90"),
    # corpus: bad respondents, output folders, one different file of three
    "corpus respondents missing": (lambda r: ["corpus", "--respondents", r / "inputs" / "no.csv", "--out", "out"],
                                   "no such file"),
    "corpus respondents huge id": (lambda r: ["corpus", "--respondents", inp(r, cell(RESPONDENTS, 1, "respondent_id",
                                                                                      "9" * 23)), "--out", "out"],
                                   "is above 90"),
    "corpus respondents binary": (lambda r: ["corpus", "--respondents", inp(r, b"\x00\x01"), "--out", "out"],
                                  "not a text file"),
    "corpus --out a file": (lambda r: ["corpus", "--out", inp(r, "x")], "is not a directory"),
    "corpus --out empty": (lambda r: ["corpus", "--out", ""], "--out is empty"),
    "corpus, one file of three differs": (lambda r: [write(r, "data/synthetic/coding_second.csv", "edited\n")
                                                     and "corpus"], "coding_second.csv: exists with different"),
    "corpus seed bad": (lambda r: ["corpus", "--seed", "seven", "--out", "out"], "digits 0-9"),
    # package: refuses to re-hash files that fail their loaders or verification
    "package, respondents garbage": (lambda r: [write(r, "data/synthetic/respondents.csv", "garbage\n")
                                                and "package"], "respondents.csv"),
    "package, respondents fail verify": (lambda r: [write(r, "data/synthetic/respondents.csv", cell(
        RESPONDENTS, int(next(line.split(",")[0] for line in RESPONDENTS.splitlines()[1:]
                              if line.split(",")[5] == "Psychiatrist")), "occupation", "Social worker"))
                                                    and "package"], "does not reproduce the published figures"),
    "package, corpus says FALSE": (lambda r: [write(r, "data/synthetic/free_text.csv", cell(
        data_file("synthetic/free_text.csv"), 1, "held_back", "FALSE")) and "package"], "not 'true' or 'false'"),
    "package, coding binary": (lambda r: [write(r, "data/synthetic/coding_reference.csv", b"\x00" * 10)
                                          and "package"], "not a text file"),
    "package, figures empty": (lambda r: [write(r, "data/published/figures.csv", "") and "package"],
                               "the file is empty"),
    "package, register of the wrong kind": (lambda r: [write(r, "data/published/assumptions.csv", RESPONDENTS)
                                                       and "package"], "not an assumption register"),
    # assignments: broken notebooks, protected folders, one edited copy among many
    "assignments --out book": (lambda r: ["assignments", "--out", "book"], "the book's sources"),
    "assignments --out empty": (lambda r: ["assignments", "--out", ""], "--out is empty"),
    "assignments corrupt notebook": (lambda r: [write(r, "inputs/nb/a.ipynb", "{ not json") and "assignments",
                                                "--book", r / "inputs" / "nb", "--out", "out"],
                                     "not a readable notebook"),
    "assignments binary notebook": (lambda r: [write(r, "inputs/nb/a.ipynb", b"\x89PNG\x00\x00") and "assignments",
                                               "--book", r / "inputs" / "nb", "--out", "out"], "not a text file"),
    "assignments invalid notebook": (lambda r: [write(r, "inputs/nb/a.ipynb", '{"cells": 3}') and "assignments",
                                                "--book", r / "inputs" / "nb", "--out", "out"],
                                     "not a readable notebook"),
    "assignments one edited copy": (lambda r: [write(r, "out/student/limitations.ipynb", "{}\n") and "assignments",
                                               "--out", "out"], "limitations.ipynb: exists with different"),
    # assignments and lab-copies: a table of contents or configuration beside the book that is not what it claims
    # (read bounded, never from a pipe or a device)
    "assignments _toc.yml a list": (lambda r: [book_with(r, "_toc.yml", "- a\n- b\n") and "assignments", "--book",
                                               r / "inputs" / "nb", "--out", "out"], "must be a YAML mapping"),
    "assignments _toc.yml parts of numbers": (lambda r: [book_with(r, "_toc.yml", "parts: [1, 2]\n") and
                                                         "assignments", "--book", r / "inputs" / "nb", "--out", "out"],
                                              "its parts must be a list"),
    "assignments _toc.yml not YAML": (lambda r: [book_with(r, "_toc.yml", "parts: [\n") and "assignments",
                                                 "--book", r / "inputs" / "nb", "--out", "out"], "not valid YAML"),
    "assignments _toc.yml is /dev/zero": (lambda r: [book_with(r, "_toc.yml", Path("/dev/zero")) and "assignments",
                                                     "--book", r / "inputs" / "nb", "--out", "out"],
                                          "not a regular file (it is a device)"),
    "lab-copies _config.yml in latin-1": (lambda r: [book_with(r, "_config.yml", "html:\n  announcement: caf\xe9\n"
                                                               .encode("latin-1")) and "lab-copies", "--book",
                                                     r / "inputs" / "nb", "--out", "out"], "not UTF-8 text"),
    "lab-copies _config.yml a FIFO": (lambda r: [book_with(r, "_config.yml", None) and "lab-copies", "--book",
                                                 r / "inputs" / "nb", "--out", "out"],
                                      "not a regular file (it is a named pipe)"),
    "assignments a book too large in all": (lambda r: [write(r, "inputs/nb/a.md", "# A\n")
                                                       and [sparse(r, 19_000_000, f"nb/ch{i}.ipynb") for i in range(4)]
                                                       and "assignments", "--book", r / "inputs" / "nb", "--out",
                                                       "out"], "more than a book's 60 MB"),
    # assignments: an exercise whose solution or tests cannot be read as the format says
    "assignments solution not Python": (lambda r: [chapter_with(r, "solution", "ages = (\n") and "assignments",
                                                   "--book", r / "inputs" / "nb", "--out", "out"],
                                        "the solution of ex-table1-age is not valid Python (line 1"),
    "assignments solution a %%bash cell": (lambda r: [chapter_with(r, "solution", "%%bash\necho 1\n") and
                                                      "assignments", "--book", r / "inputs" / "nb", "--out", "out"],
                                           "is a %%bash cell, not Python"),
    "assignments TEST CONFIG not YAML": (lambda r: [chapter_with(r, "config", "points: [1\n") and "assignments",
                                                    "--book", r / "inputs" / "nb", "--out", "out"],
                                         "a TEST CONFIG of ex-table1-age is not YAML"),
    # grade: submissions and autograders that are not what they claim, protected folders
    "grade missing submission": (lambda r: ["grade", r / "inputs" / "nope.ipynb", "--autograder", inp(r, "x", "a.zip"),
                                            "--out", "grades.csv"], "no such file or folder"),
    "grade corrupt submission": (lambda r: ["grade", inp(r, "{ not json", "sub.ipynb"), "--autograder",
                                            inp(r, "x", "a.zip"), "--out", "grades.csv"], "not a readable notebook"),
    "grade not a notebook": (lambda r: ["grade", inp(r, "x", "sub.txt"), "--autograder", inp(r, "x", "a.zip"),
                                        "--out", "grades.csv"], "not a notebook (.ipynb) file"),
    "grade autograder not a zip": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                              inp(r, "PK but not a zip", "a.zip"), "--out", "grades.csv"],
                                   "not an autograder zip"),
    "grade --timeout 0": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder", inp(r, "x", "a.zip"),
                                     "--out", "grades.csv", "--timeout", "0"], "not a number of seconds above 0"),
    "grade --out book": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder", inp(r, "x", "a.zip"),
                                    "--out", "book/grades.csv"], "the book's sources"),
    # grade: what it would write is checked before anything is graded (a folder, an existing CSV, a results
    # folder that holds something or is protected), and a time limit the clocks cannot hold
    "grade --out a folder": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                        inp(r, "x", "a.zip"), "--out", r / "inputs"], "is a folder"),
    "grade --out exists": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder", inp(r, "x", "a.zip"),
                                      "--out", inp(r, "old grades", "grades.csv")], "exists; pass --force"),
    "grade --results not empty": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                             inp(r, "x", "a.zip"), "--out", "grades.csv", "--results", r / "inputs"],
                                  "exists and is not an empty folder"),
    "grade --results in .git": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                           inp(r, "x", "a.zip"), "--out", "grades.csv", "--results", ".git/res"],
                                "git's store"),
    "grade --results in book": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                           inp(r, "x", "a.zip"), "--out", "grades.csv", "--results", "book/res"],
                                "the book's sources"),
    "grade --feedback in book": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                            inp(r, "x", "a.zip"), "--out", "grades.csv", "--feedback", "book/fb"],
                                 "the book's sources"),
    "grade --feedback not empty": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                              inp(r, "x", "a.zip"), "--out", "grades.csv", "--feedback",
                                              r / "inputs"], "exists and is not empty; pass --force"),
    "gradebook not a grades CSV": (lambda r: ["gradebook", inp(r, CLEAN_FIGURES), "--out", "book.csv"],
                                   "not a grades CSV"),
    "gradebook a row not STUDENT/CHAPTER": (lambda r: ["gradebook", inp(r, GRADES.replace("alice/t1", "t1"), "g.csv"),
                                                       "--out", "book.csv"], "row 't1' is not STUDENT/CHAPTER"),
    "gradebook one student twice": (lambda r: ["gradebook", inp(r, GRADES.replace("bob/t1", "alice/t1"), "g.csv"),
                                               "--out", "book.csv"], "student 'alice' has more than one row"),
    "gradebook one chapter twice": (lambda r: ["gradebook", inp(r, GRADES, "g.csv"), inp(r, GRADES, "h.csv"),
                                               "--out", "book.csv"], "a second grades CSV for t1"),
    "gradebook two chapters in one file": (lambda r: ["gradebook", inp(r, GRADES.replace("bob/t1", "bob/t2"), "g.csv"),
                                                      "--out", "book.csv"], "rows of more than one chapter"),
    "gradebook a total that is not a number": (lambda r: ["gradebook", inp(r, GRADES.replace("7,7,7,", "7,seven,7,"),
                                                                           "g.csv"), "--out", "book.csv"],
                                               "must be numbers"),
    "gradebook over an input": (lambda r: ["gradebook", inp(r, GRADES, "g.csv"), "--out", r / "inputs" / "g.csv"],
                                "is one of the grades CSVs read"),
    "gradebook --out exists": (lambda r: ["gradebook", inp(r, GRADES, "g.csv"), "--out",
                                          inp(r, "someone's gradebook\n", "book.csv")], "--force"),
    "grade --resume without --results": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                                    inp(r, "x", "a.zip"), "--out", "grades.csv", "--resume"],
                                         "--resume needs --results"),
    "grade --resume a folder not of grade": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                                        inp(r, "x", "a.zip"), "--out", "grades.csv", "--results",
                                                        r / "inputs", "--resume"], "so --resume cannot add to it"),
    "grade --timeout 3000000": (lambda r: ["grade", "book/table1_demographics.ipynb", "--autograder",
                                           inp(r, "x", "a.zip"), "--out", "grades.csv", "--timeout", "3000000"],
                                "at most 86400 seconds"),
    # lab-copies: broken notebooks, protected folders, an edited copy
    "lab-copies --out book": (lambda r: ["lab-copies", "--out", "book"], "the book's sources"),
    "lab-copies corrupt notebook": (lambda r: [write(r, "inputs/nb/a.ipynb", "{ not json") and "lab-copies",
                                               "--book", r / "inputs" / "nb", "--out", "out"],
                                    "not a readable notebook"),
    "lab-copies one edited copy": (lambda r: [write(r, "out/limitations.ipynb", "{}\n") and "lab-copies",
                                              "--out", "out"], "limitations.ipynb: exists with different"),
    # student-sources: never replaces Jupyter Book's outputs or a person's folder
    "student-sources --out _build": (lambda r: ["student-sources", "--out", "_build"], "holds the built site"),
    "student-sources --out the site": (lambda r: ["student-sources", "--out", "_build/html"], "the built site"),
    "student-sources --out the cache": (lambda r: ["student-sources", "--out", "_build/.jupyter_cache"],
                                        "execution cache"),
    "student-sources --out a person's folder": (lambda r: ["student-sources", "--out", "_build/mine"],
                                                "was not made by this command"),
    "student-sources --out outside _build": (lambda r: ["student-sources", "--out", "elsewhere"], "inside _build"),
    "student-sources --out the project": (lambda r: ["student-sources", "--out", "."], "cannot be replaced"),
    # student-sources --executed: the executed copies must be there, and be of the current sources
    # synth: specs that are not specs, figures that cannot hold together, refused folders and limits
    "synth without a spec": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--out", "inputs/out"],
                             "synth needs a figures file, --spec SPEC and --out DIR"),
    "synth a named pipe as the spec": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", fifo(r, "spec.yml"),
                                                  "--out", "inputs/out"], "not a regular file (it is a named pipe)"),
    "synth a figures file as the spec": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec",
                                                    inp(r, CLEAN_FIGURES, "spec.yml"), "--out", "inputs/out"],
                                         "not a study spec"),
    "synth a huge N": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(r, CLEAN_SPEC.replace(
        "respondents: abs_n", "respondents: 1000000"), "spec.yml"), "--out", "inputs/out"],
                       "respondents: 1000000 is greater than the maximum of 100000"),
    "synth conflicting figures": (lambda r: ["synth", inp(r, CLEAN_FIGURES.replace("Female,33,50,66", "Female,34,50,68")),
                                             "--spec", inp(r, CLEAN_SPEC, "spec.yml"), "--out", "inputs/out"],
                                  "satisfies these figures together: t1_sex_f, text_sex_f"),
    "synth a percentage no count gives": (lambda r: ["synth", inp(r, CLEAN_FIGURES.replace("Female,,,66", "Female,,,67")),
                                                     "--spec", inp(r, CLEAN_SPEC, "spec.yml"), "--out", "inputs/out"],
                                          "satisfies these figures together: text_sex_f"),
    "synth --out into book": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(r, CLEAN_SPEC, "spec.yml"),
                                         "--out", "book/synth"], "the book's sources"),
    "synth --template into the package": (lambda r: ["synth", "--template", "hmbook/spec.yml"], "the hmbook package"),
    "synth --time-limit too long": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(r, CLEAN_SPEC, "spec.yml"),
                                               "--out", "inputs/out", "--time-limit", "1e9"], "at most 86400"),
    "synth --ensemble too many": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(r, CLEAN_SPEC, "spec.yml"),
                                             "--out", "inputs/out", "--ensemble", "20000"], "from 1 to 10000"),
    "synth --sweeps zero": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(r, CLEAN_SPEC, "spec.yml"),
                                       "--out", "inputs/out", "--sweeps", "0"], "from 1 to 10000"),
    # synth: the spec's rules, readings and pins from a file, checked before anything is solved
    "synth a rule naming an unknown variable": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(
        r, CLEAN_SPEC + "rules:\n  - {id: r1, never: {nope: true}}\n", "spec.yml"), "--out", "inputs/out"],
                                                "rules[0] (r1): no variable 'nope' in the spec"),
    "synth a linear rule without values": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(
        r, CLEAN_SPEC + "rules:\n  - {id: r1, linear: {role: 1}, at_most: 0}\n", "spec.yml"), "--out", "inputs/out"],
                                           "values.role must give a number for every level"),
    "synth one rule id twice": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(
        r, CLEAN_SPEC + "rules:\n  - {id: r1, never: {used: true, item: true}}\n"
        "  - {id: r1, never: {used: false, item: true}}\n", "spec.yml"), "--out", "inputs/out"],
                                "the id 'r1' is used twice"),
    "synth rules the figures break": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(
        r, CLEAN_SPEC + "rules:\n  - {id: no_women_doctors, never: {sex: Female, role: Doctor}}\n"
        "  - {id: no_male_nurses, never: {sex: Male, role: Nurse}}\n", "spec.yml"), "--out", "inputs/out"],
                                      "t3_role_doctor, text_sex_f, with the spec's rule no_male_nurses"),
    "synth pins_from outside the spec's folder": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(
        r, CLEAN_SPEC + "pins_from: ../facts.csv\n", "spec.yml"), "--out", "inputs/out"],
                                                  "pins_from must name a file beside the spec"),
    "synth pins_from a figures file": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(
        r, CLEAN_SPEC + "pins_from: in.csv\n", "spec.yml"), "--out", "inputs/out"], "not a facts file"),
    "synth pins_from a named pipe": (lambda r: [fifo(r, "facts.csv") and "synth", inp(r, CLEAN_FIGURES), "--spec",
                                                inp(r, CLEAN_SPEC + "pins_from: facts.csv\n", "spec.yml"), "--out",
                                                "inputs/out"], "not a regular file (it is a named pipe)"),
    "synth one answer pinned two ways": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(
        r, CLEAN_SPEC + "pins:\n  - {respondent: 1, variable: sex, value: Female}\n"
        "  - {respondent: 1, variable: sex, value: Male}\n", "spec.yml"), "--out", "inputs/out"],
                                         "respondent 1's sex is pinned to both 'Female' and 'Male'"),
    "synth a reading of an unknown figure": (lambda r: ["synth", inp(r, CLEAN_FIGURES), "--spec", inp(
        r, CLEAN_SPEC + "read:\n  nope: {percent: group}\n", "spec.yml"), "--out", "inputs/out"],
                                             "read names figure 'nope'"),
    # bounds: the cross must name two variables of the spec; the spec and figures are checked as for synth
    "bounds an unknown variable": (lambda r: ["bounds", inp(r, CLEAN_FIGURES), "--spec", inp(r, CLEAN_SPEC, "spec.yml"),
                                              "--cross", "used", "nope"], "'nope', which is not a variable of the spec"),
    "bounds one variable twice": (lambda r: ["bounds", inp(r, CLEAN_FIGURES), "--spec", inp(r, CLEAN_SPEC, "spec.yml"),
                                             "--cross", "used", "used"], "two different variables"),
    "bounds a figures file as the spec": (lambda r: ["bounds", inp(r, CLEAN_FIGURES), "--spec",
                                                     inp(r, CLEAN_FIGURES, "spec.yml"), "--cross", "used", "sex"],
                                          "not a study spec"),
    "bounds conflicting figures": (lambda r: ["bounds", inp(r, CLEAN_FIGURES.replace("Female,33,50,66", "Female,34,50,68")),
                                              "--spec", inp(r, CLEAN_SPEC, "spec.yml"), "--cross", "used", "sex"],
                                   "satisfies these figures together: t1_sex_f, text_sex_f"),
    "student-sources --executed nowhere": (lambda r: ["student-sources", "--out", "_build/student-src", "--executed",
                                                      "nowhere"], "not a directory of executed notebooks"),
    "student-sources --executed a copy missing": (lambda r: [write(r, "inputs/ex/book/audit.ipynb", AUDIT_NB)
                                                             and "student-sources", "--out", "_build/student-src",
                                                             "--executed", "inputs/ex"], "no executed copy of"),
    "student-sources --executed a stale copy": (lambda r: [write(r, "inputs/ex/book/all_figures.ipynb", EMPTY_NB)
                                                           and "student-sources", "--out", "_build/student-src",
                                                           "--executed", "inputs/ex"], "not an executed copy"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_one_line_and_changes_nothing(case, proj):
    setup, expected = CASES[case]
    args = setup(proj)
    before = fingerprint(proj)
    status, out, err = run_cli(*args, root=proj)
    assert status == 2, (status, out, err)
    assert "Traceback" not in out + err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"hmbook {args[0]}: error: "), err
    assert expected in lines[0], lines[0]
    assert fingerprint(proj) == before, "a file was changed, re-moded, added or left behind"


def test_the_matrix_covers_every_command():
    """Every subcommand the command line offers (read from its --help) has cases in the matrix."""
    rc, out, _ = run_cli("--help")
    commands = set(re.search(r"\{([\w,-]+)\}", out)[1].split(","))
    assert rc == 0 and "verify" in commands
    assert {c.split()[0].rstrip(",") for c in CASES} == commands


# ------------------------------------------------------------------------------------------ the loaders, in Python
def _sheet_codes():
    return ["safer_alternative", "training"]


LOADERS = {
    "respondents": (respondents.read_respondents, paths.RESPONDENTS_CSV),
    "figures": (published.figures, paths.FIGURES_CSV),
    "register": (published.assumptions, paths.ASSUMPTIONS_CSV),
    "facts": (published.respondent_facts, paths.FACTS_CSV),
    "cherries": (design.cherries, paths.CHERRIES_CSV),
    "corpus": (thematic.read_corpus, paths.FREE_TEXT_CSV),
    "coding": (thematic.read_coding, paths.CODING_REFERENCE_CSV),
    "codebook": (thematic.read_codebook, paths.CODEBOOK_CSV),
    "coder sheet": (lambda p: coder.read_sheet(p, _sheet_codes()), None),
}

BAD_FILES = {
    "missing": (lambda d, good: d / "missing.csv", "no such file"),
    "directory": (lambda d, good: d, "is a directory"),
    "empty": (lambda d, good: write(d, "f.csv", ""), "the file is empty"),
    "binary": (lambda d, good: write(d, "f.csv", b"\x00\x01\x02PK"), "not a text file"),
    "latin-1": (lambda d, good: write(d, "f.csv", good.encode("utf-8") + "caf\xe9\n".encode("latin-1")), "not UTF-8"),
    "semicolons": (lambda d, good: write(d, "f.csv", good.replace(",", ";")), "separated by semicolons"),
    "ragged": (lambda d, good: write(d, "f.csv", good.splitlines()[0] + "\n" + "a,b\n"), "fields but the header has"),
    "wrong kind": (lambda d, good: write(d, "f.csv", data_file("cherries.csv") if "item_id" not in good
                                         else data_file("codebook.csv")), "not a"),
    "endless": (lambda d, good: "/dev/zero", "not a regular file (it is a device)"),
    "named pipe": (lambda d, good: fifo(d), "not a regular file (it is a named pipe)"),
}


def _good_text(name):
    path = LOADERS[name][1]
    if path is None:  # a coding sheet as a student saves it
        return "response_id,question,text,safer_alternative,training\nS101-benefits,benefits,Safer.,1,0\n"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("bad", sorted(BAD_FILES))
@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_every_loader_refuses_every_bad_file_in_one_line(loader, bad, tmp_path):
    read = LOADERS[loader][0]
    make, expected = BAD_FILES[bad]
    path = make(tmp_path, _good_text(loader))
    with pytest.raises(DataError) as err:
        read(path)
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{path}: ") and expected in message, message


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_every_loader_reads_its_good_file(loader, tmp_path):
    path = write(tmp_path, "good.csv", _good_text(loader))
    assert len(LOADERS[loader][0](path)) >= 1


@pytest.mark.parametrize("loader, edit, expected", [
    ("corpus", lambda t: cell(t, 1, "held_back", "FALSE"), "held_back: value 'FALSE' in row 1 is not 'true'"),
    ("corpus", lambda t: cell(t, 1, "synthetic", "false"), "row 1 is not marked synthetic"),
    ("corpus", lambda t: cell(t, 2, "response_id", "S101-other_techniques"), "appears more than once"),
    ("corpus", lambda t: cell(t, 1, "writer_id", "26"), "writer_id: value '26' in row 1 is below 101"),
    ("coding", lambda t: cell(t, 1, "start", FULLWIDTH_SEVEN), "start: value '７' in row 1 is not a whole number"),
    ("coding", lambda t: cell(t, 1, "end", "9" * 40), "is too large a number"),
    ("figures", lambda t: cell(t, 1, "count", ARABIC_SEVEN), "line 2 (abs_n): count '٧' is not a whole number"),
    ("figures", lambda t: cell(t, 2, "figure_id", "abs_n"), "figure_id 'abs_n' appears more than once"),
    ("facts", lambda t: cell(t, 1, "respondent_id", "9" * 23), "is above 90"),
    ("facts", lambda t: cell(t, 1, "variable", "shoe_size"), "'shoe_size' is not a yes/no or labelled column"),
    ("facts", lambda t: cell(cell(t, 2, "variable", "synthetic"), 2, "value", "false"),
     "'false' is not a value of synthetic"),
    ("codebook", lambda t: t.replace("\nsafer_alternative,1,", "\nsafer_alternative,x,", 1), "is not a whole number"),
    ("cherries", lambda t: cell(t, 1, "reported", "Maybe"), "reported must be one of"),
    ("respondents", lambda t: cell(t, 1, "respondent_id", "2"), "respondent_id 2 appears more than once"),
    ("respondents", lambda t: drop_column(t, "confidence"), "missing column(s): confidence"),
    ("respondents", lambda t: "".join(r.rstrip("\n") + (",extra\n" if i == 0 else ",x\n")
                                      for i, r in enumerate(t.splitlines(keepends=True))),
     "unexpected column(s): extra"),
    ("respondents", lambda t: t.replace("gender,country", "gender,gender", 1), "appears more than once"),
    ("respondents", lambda t: cell(t, 5, "occupation", "Astronaut"), "not one of the allowed labels"),
    ("respondents", lambda t: cell(t, 3, "used_hm", "yes"), "is not 'true' or 'false'"),
    ("respondents", lambda t: cell(t, 3, "years_in_role", "five"), "is not a whole number"),
    ("respondents", lambda t: cell(t, 3, "years_in_role", "-3"), "is below 0"),
    ("respondents", lambda t: cell(t, 3, "gender", ""), "row 3 is empty"),
    ("respondents", lambda t: cell(t, 3, "avoid_groups", "Everyone"), "not in Table 3"),
    ("respondents", lambda t: cell(t, 90, "respondent_id", "91"), "value '91' in row 90 is above 90"),
    ("respondents", lambda t: "".join(t.splitlines(keepends=True)[:-1]), "89 respondents, but the paper analysed 90"),
])
def test_loaders_check_their_cells(loader, edit, expected, tmp_path):
    path = write(tmp_path, "edited.csv", edit(_good_text(loader)))
    with pytest.raises(DataError, match=re.escape(expected)):
        LOADERS[loader][0](path)


def test_a_quoted_cell_over_several_lines_is_read_as_written(tmp_path):
    """Cells are not split or cleaned line by line: blank, '#' and odd-line-break lines inside quotes are kept."""
    text = "First line.\r\n\r\n# not a comment\n\x0c\nlast\u2028line"
    path = write(tmp_path, "corpus.csv", cell(_good_text("corpus"), 1, "text", text))
    assert thematic.read_corpus(path)["text"].iloc[0] == text


def test_a_register_given_a_respondents_table_is_refused():
    with pytest.raises(DataError, match="not an assumption register"):
        published.assumptions(paths.RESPONDENTS_CSV)


def test_reads_stop_at_the_cap(tmp_path):
    """A figures file of a million rows is refused by size before it is read; one just over the row cap after it."""
    header = data_file("published/figures.csv").splitlines()[0]
    over = write(tmp_path, "over.csv", header + "\n" + "".join(f"f{i},s,all,v,l,1,,\n"
                                                                  for i in range(published.MAX_FIGURES + 1)))
    with pytest.raises(DataError, match=f"more than {published.MAX_FIGURES} rows"):
        published.figures(over)
    with open(tmp_path / "million.csv", "wb") as fh:
        fh.write((header + "\n").encode())
        fh.truncate(40 * 1_000_000)
    with pytest.raises(DataError, match="too large for a figures file"):
        published.figures(tmp_path / "million.csv")
