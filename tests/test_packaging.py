"""hmbook as a package: its import layers, its declared dependencies, a wheel in a fresh venv, and the locks.

- ``lint-imports`` (import-linter, run as a user runs it) keeps the contracts in ``pyproject.toml``, and breaks on a
  copy of the package given an import that crosses a layer, joins the two independent layers, pulls in test
  support or adds a module outside every layer.
- ``pyproject.toml`` declares exactly the third-party packages hmbook imports, and the optional ones only where a
  module needs an extra.
- A wheel built from the sources installs into a new venv and every module imports from it, with the checkout
  off the path and no data folder beside the package; its command line then reads the data through
  ``HMBOOK_DATA`` and says in one line how to set it when it is missing.
- ``requirements.lock`` and ``requirements-taguette.lock`` pin every pin of their requirements file, at the same
  version, with sha256 hashes for every entry.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from hmbook import paths

ROOT = paths.ROOT
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# Modules (or whole packages) that need an optional extra, and the extra: only these may import its packages at
# module level.
NEEDS_EXTRA = {"hmbook.viz.widgets": "widgets", "hmbook.course": "editions"}


def _env(**extra) -> dict:
    """The environment less anything that would put the checkout or its data on the path of a child process."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", paths.ENV)}
    return {**env, "MPLBACKEND": "Agg", "COLUMNS": "300", **extra}


def _lint(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package under ``root``, with that folder first on the path."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=_env(PYTHONPATH=str(root)),
                          capture_output=True, text=True, timeout=120)


def _name(requirement: str) -> str:
    """The normalised project name of a requirement string such as ``"pandas>=2.2,<3"``."""
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group()).lower()


# ------------------------------------------------------------------------------------------------ import layers
def test_lint_imports_keeps_every_contract():
    contracts = PYPROJECT["tool"]["importlinter"]["contracts"]
    assert {c["id"] for c in contracts} == {"layers", "audit-layers", "course-outside-analysis", "no-test-support",
                                            "dependency-free-bottom"}
    proc = _lint(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Contracts: {len(contracts)} kept, 0 broken." in proc.stdout, proc.stdout


BAD_IMPORTS = {
    # module edited: (line added, what the report must name)
    "a lower layer imports a higher one": ("hmbook/data/schema.py", "from hmbook.viz import plotting",
                                           "hmbook.data.schema -> hmbook.viz.plotting"),
    "methods imports qualitative": ("hmbook/methods/design.py", "from hmbook.qualitative import thematic",
                                    "hmbook.methods.design -> hmbook.qualitative.thematic"),
    "the package imports test support": ("hmbook/viz/widgets.py", "from support import sitekit",
                                         "hmbook.viz.widgets -> support"),
    "the package imports subprocess": ("hmbook/qualitative/refi.py", "import subprocess",
                                     "hmbook.qualitative.refi -> subprocess"),
    "a module outside every layer": ("hmbook/extra.py", "from hmbook.files import reading", "hmbook.extra"),
    "the course tooling imports the analysis": ("hmbook/course/grade.py", "from hmbook.teaching import exercises",
                                                "hmbook.course.grade -> hmbook.teaching.exercises"),
    "the file helpers import the data layer": ("hmbook/files/cells.py", "from hmbook.data import schema",
                                               "hmbook.files.cells -> hmbook.data.schema"),
    "the exact arithmetic imports a third-party package": ("hmbook/grim.py", "import numpy", "hmbook.grim -> numpy"),
    "the constants import a module above them": ("hmbook/constants.py", "from hmbook import errors",
                                                 "hmbook.constants -> hmbook.errors"),
    "one audit check imports another": ("hmbook/methods/audit/sums.py", "from hmbook.methods.audit import means",
                                        "hmbook.methods.audit.sums -> hmbook.methods.audit.means"),
    "the audit's structure imports a check": ("hmbook/methods/audit/structure.py",
                                              "from hmbook.methods.audit import percentages",
                                              "hmbook.methods.audit.structure -> hmbook.methods.audit.percentages"),
}


@pytest.mark.parametrize("case", BAD_IMPORTS)
def test_lint_imports_breaks_on_a_bad_import(tmp_path, case):
    shutil.copytree(ROOT / "hmbook", tmp_path / "hmbook", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    assert _lint(tmp_path).returncode == 0  # the copy as it is keeps the contracts
    module, line, named = BAD_IMPORTS[case]
    target = tmp_path / module
    target.write_text((target.read_text(encoding="utf-8") if target.exists() else "") + f"\n{line}\n",
                      encoding="utf-8")
    proc = _lint(tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 broken" in proc.stdout and named in proc.stdout, proc.stdout


# ------------------------------------------------------------------------------------------ declared dependencies
def _imports(path: Path) -> tuple[set[str], set[str]]:
    """Top-level names of the modules a file imports: (all of them, those imported at module level)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module_level = {id(node) for node in tree.body}
    every, top = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = {node.module.split(".")[0]}
        else:
            continue
        every |= names
        if id(node) in module_level:
            top |= names
    return every, top


@functools.cache
def _providers() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()  # about a second: scans every installed distribution


def _third_party(names: set[str]) -> set[str]:
    """The distributions (normalised names) that provide the given top-level modules, leaving out the stdlib."""
    providers = _providers()
    out = set()
    for name in names - set(sys.stdlib_module_names) - {"hmbook", "__future__"}:
        assert name in providers, f"{name} is imported by hmbook but no installed distribution provides it"
        out |= {_name(d) for d in providers[name]}
    return out


def test_pyproject_declares_exactly_what_hmbook_imports():
    project = PYPROJECT["project"]
    core = {_name(r) for r in project["dependencies"]}
    extras = {extra: {_name(r) for r in reqs} for extra, reqs in project["optional-dependencies"].items()}
    declared = core.union(*extras.values())
    imported = set()
    for path in sorted((ROOT / "hmbook").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        every, top = _imports(path)
        imported |= _third_party(every)
        # A module imports an extra's packages at module level only if it is listed as needing that extra.
        needs = _third_party(top) - core
        owner = next((m for m in NEEDS_EXTRA if module == m or module.startswith(m + ".")), None)
        allowed = extras.get(NEEDS_EXTRA.get(owner or ""), set())
        assert needs <= allowed, f"{module} imports {sorted(needs - allowed)} at module level, outside its extra"
    assert imported == declared, (f"imported, not declared: {sorted(imported - declared)}; "
                                  f"declared, not imported: {sorted(declared - imported)}")


def test_pyproject_packages_cover_every_subpackage():
    assert PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"] == ["hmbook*"]
    subpackages = {p.parent for p in (ROOT / "hmbook").rglob("__init__.py")}
    assert {p.name for p in subpackages} >= {"hmbook", "files", "data", "replicate", "methods", "qualitative",
                                             "viz", "teaching", "course", "cli"}
    assert all((d / "__init__.py").is_file() for d in (ROOT / "hmbook").iterdir()
               if d.is_dir() and d.name != "__pycache__"), "a folder of hmbook without __init__.py is not packaged"


# ------------------------------------------------------------------------------------------ the wheel, installed
_IMPORT_ALL = """
import importlib, importlib.util, json, pkgutil, sys
from pathlib import Path

# Files opened under the checkout, or in the data folder beside the installed package, while importing; the
# dependencies' own files are left out (they come from the outer venv, argv[2], which may live in the checkout).
watched = (Path(sys.argv[1]), Path(importlib.util.find_spec("hmbook").origin).parent.parent / "data")
deps = Path(sys.argv[2])
opened = []
sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" and isinstance(args[0], str)
                 and any(Path(args[0]).is_relative_to(w) for w in watched)
                 and not Path(args[0]).is_relative_to(deps) else None)
import hmbook
names = [m.name for m in pkgutil.walk_packages(hmbook.__path__, "hmbook.")]
files = {name: importlib.import_module(name).__file__ for name in ["hmbook", *names]}
print(json.dumps({"prefix": sys.prefix, "path": sys.path, "files": files, "opened": opened}))
"""


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A new venv holding the hmbook wheel built from the sources, and the directory it runs in.

    The wheel is installed without dependencies; the venv reaches the installed, locked ones through a ``.pth``
    file naming this interpreter's site-packages (a file in that folder is not processed, so an editable hmbook
    there stays out of sight). ``pip check`` then holds the wheel's declared requirements against them.
    """
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT / "hmbook", src / "hmbook", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src)
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-w", tmp / "dist",
                    src], check=True, env=_env(), cwd=tmp, timeout=120)
    (wheel,) = (tmp / "dist").glob("hmbook-*.whl")
    env_dir = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env_dir], check=True, env=_env(), timeout=60)
    python = env_dir / "bin" / "python"
    subprocess.run([*pip, "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel], check=True,
                   env=_env(), cwd=tmp, timeout=120)
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               check=True, capture_output=True, text=True, env=_env()).stdout.strip())
    here = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    (site / "_hmbook_test_dependencies.pth").write_text("\n".join(here) + "\n", encoding="utf-8")
    run = tmp / "run"
    run.mkdir()
    return {"python": python, "bin": env_dir / "bin", "wheel": wheel, "cwd": run, "pip": pip}


def test_the_wheel_holds_every_module(venv):
    names = set(zipfile.ZipFile(venv["wheel"]).namelist())
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "hmbook").rglob("*.py")}
    assert sources <= names, sorted(sources - names)
    assert not [n for n in names if n.startswith(("tests/", "data/", "book/", "support/"))]


def test_every_module_imports_from_the_wheel_without_reading_files(venv):
    proc = subprocess.run([venv["python"], "-c", _IMPORT_ALL, ROOT, sys.prefix], capture_output=True, text=True,
                          cwd=venv["cwd"], env=_env(), timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout)
    prefix = Path(seen["prefix"])
    assert prefix == venv["python"].parent.parent
    assert str(ROOT) not in seen["path"], seen["path"]
    expected = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                for p in (ROOT / "hmbook").rglob("*.py")}
    assert set(seen["files"]) == expected
    outside = {name: f for name, f in seen["files"].items() if not Path(f).is_relative_to(prefix)}
    assert not outside, outside
    assert seen["opened"] == [], f"importing hmbook opened files: {seen['opened']}"


def test_pip_check_holds_the_declared_requirements(venv):
    metadata = zipfile.ZipFile(venv["wheel"]).read("hmbook-0.1.0.dist-info/METADATA").decode("utf-8")
    requires = re.findall(r"^Requires-Dist: (.+)$", metadata, flags=re.MULTILINE)
    project = PYPROJECT["project"]
    assert {_name(r) for r in requires if "extra ==" not in r} == {_name(r) for r in project["dependencies"]}
    assert set(re.findall(r"^Provides-Extra: (.+)$", metadata, flags=re.MULTILINE)) == set(
        project["optional-dependencies"])
    proc = subprocess.run([*venv["pip"], "--python", venv["python"], "check"], capture_output=True, text=True,
                          cwd=venv["cwd"], env=_env(), timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _hmbook(venv, *args, **env) -> subprocess.CompletedProcess:
    return subprocess.run([venv["bin"] / "hmbook", *map(str, args)], capture_output=True, text=True,
                          cwd=venv["cwd"], env=_env(**env), timeout=120)


def test_the_installed_command_reads_the_data_named_by_hmbook_data(venv):
    proc = _hmbook(venv, "verify", paths.RESPONDENTS_CSV, HMBOOK_DATA=str(paths.DATA))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK: all" in proc.stdout and "synthetic" in proc.stdout


@pytest.mark.parametrize("setting, message", [
    (None, "no data folder at "),
    ("no/such/folder", "HMBOOK_DATA=no/such/folder: no such folder"),
])
def test_the_installed_command_says_how_to_find_the_data(venv, setting, message):
    env = {} if setting is None else {paths.ENV: setting}
    for args in (("audit",), ("verify", paths.RESPONDENTS_CSV), ("package",)):
        proc = _hmbook(venv, *args, **env)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert lines[0].startswith(f"hmbook {args[0]}: error: {message}"), lines[0]
        assert "set HMBOOK_DATA to the data/ folder of an hmbook checkout" in lines[0]


# ------------------------------------------------------------------------------------------------------- locks
def _pins(path: Path) -> dict[str, str]:
    """``name: version`` for every requirement line of a requirements file (comments and options left out)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, sep, version = line.partition("==")
            assert sep, f"{path.name}: {line!r} is not pinned with =="
            pins[_name(name)] = version.split(";")[0].strip()
    return pins


def _lock(path: Path) -> dict[str, tuple[str, int]]:
    """``name: (version, number of sha256 hashes)`` for every entry of a lock in pip's hash-checking format."""
    entries = {}
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement, *options = line.split(" --")
        name, sep, version = requirement.partition("==")
        assert sep, f"{path.name}: {requirement!r} is not pinned with =="
        hashes = [o for o in options if re.fullmatch(r"hash=sha256:[0-9a-f]{64}", o.strip())]
        assert len(hashes) == len(options), f"{path.name}: {line[:80]}: options other than sha256 hashes"
        entries[_name(name)] = (version.split(";")[0].strip(), len(hashes))
    return entries


@pytest.mark.parametrize("requirements, lock", [("requirements.txt", "requirements.lock"),
                                                ("requirements-taguette.txt", "requirements-taguette.lock")])
def test_the_lock_pins_every_requirement_with_hashes(requirements, lock):
    pins, locked = _pins(ROOT / requirements), _lock(ROOT / lock)
    assert len(pins) > 20 and len(locked) >= len(pins)
    differ = {name: (version, locked.get(name, ("missing",))[0]) for name, version in pins.items()
              if locked.get(name, ("missing",))[0] != version}
    assert not differ, f"{requirements} pin vs {lock}: {differ}"
    unhashed = [name for name, (_, hashes) in locked.items() if hashes == 0]
    assert not unhashed, f"{lock}: no hash for {unhashed}"


def test_the_lock_holds_what_hmbook_needs():
    locked = _lock(ROOT / "requirements.lock")
    project = PYPROJECT["project"]
    for requirement in [*project["dependencies"], *(r for reqs in project["optional-dependencies"].values()
                                                   for r in reqs)]:
        assert _name(requirement) in locked, f"{requirement}: not in requirements.lock"


def test_every_jupyterlab_extension_installed_is_one_jupyterlab_can_load():
    proc = subprocess.run([str(Path(sys.executable).with_name("jupyter")), "labextension", "list"],
                          capture_output=True, text=True, timeout=120)
    listing = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "enabled" in listing, listing
    assert "is not compatible" not in listing and " X " not in re.sub(r"\x1b\[[0-9;]*m", "", listing), listing
