"""README, "Teaching with this book": the commands from a clone to a grades CSV, feedback and a gradebook, run as
written.

The block is read from the README and run line by line in a fresh clone of this repository. Two substitutions
only: `REPOSITORY` is this checkout, and `.venv` is the environment running the tests (so the test does not build
a second one); `make assignments` runs its recipe from the Makefile.
"""

import csv
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from hmbook import paths

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


def _block() -> list[str]:
    section = README.split("## Teaching with this book\n", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```sh\n(.*?)```", section, re.S)[1]
    return [re.sub(r"\s+#.*$", "", line).strip() for line in code.splitlines() if line.strip()]


def _recipe(target: str) -> list[str]:
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    body = makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return [line.strip() for line in body if line.startswith("\t") and not line.strip().startswith("@")]


def test_the_readme_sequence_gives_a_grades_csv(tmp_path):
    if not (paths.ROOT / ".git").exists():
        pytest.fail("the README test needs the git checkout to clone")
    lines = _block()
    assert lines[0].startswith("git clone REPOSITORY hmbook && cd hmbook"), lines[0]
    clone = tmp_path / "hmbook"
    subprocess.run(["git", "clone", "--quiet", str(paths.ROOT), str(clone)], check=True, timeout=120)
    env = {"PYTHONPATH": str(clone), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path),
           "MPLBACKEND": "Agg"}
    for line in lines[1:]:
        commands = [_venv(c) for c in _recipe(line.split()[1])] if line.startswith("make ") else [_venv(line)]
        for command in commands:
            proc = subprocess.run(command, shell=True, cwd=clone, env=env, capture_output=True, text=True, timeout=600)
            assert proc.returncode == 0, f"{command}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    rows = list(csv.DictReader((clone / "grades" / "table1_demographics.csv").open()))
    by_name = {r["submission"]: r for r in rows}
    assert set(by_name) == {"alice/table1_demographics", "bob/table1_demographics"}
    assert float(by_name["alice/table1_demographics"]["total"]) == 0
    bob = by_name["bob/table1_demographics"]
    assert float(bob["total"]) == float(bob["possible"]) > 0
    assert "ex-table1-age" in bob
    feedback = (clone / "feedback" / "bob" / "table1_demographics.md").read_text(encoding="utf-8")
    assert f"**Score: {float(bob['total']):g} out of {float(bob['possible']):g}**" in feedback
    book = {r["student"]: r for r in csv.DictReader((clone / "gradebook.csv").open())}
    assert set(book) == {"alice", "bob"} and float(book["bob"]["table1_demographics"]) == float(bob["total"])


def _venv(command: str) -> str:
    command = command.replace("$(BIN)/python", ".venv/bin/python")
    return command.replace(".venv/bin/python", shlex.quote(sys.executable))


def test_the_make_target_is_the_one_the_readme_names():
    assert _recipe("assignments")[0] == "$(BIN)/python -m hmbook assignments --out dist"
