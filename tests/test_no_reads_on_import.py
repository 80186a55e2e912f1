"""No module of hmbook opens a file of the project when it is imported: data are read by functions, when called.

Each check runs in a fresh interpreter with an audit hook (:func:`sys.addaudithook`) that records every file opened
while the package's modules are imported: the import system reading ``.py``/``.pyc`` files and third-party
packages reading their own files (under ``sys.prefix``) and package metadata (``*.egg-info``: networkx scans
entry points on import, and an editable install keeps its metadata in the checkout) are left out; anything else under
the project root counts.
"""

import json
import os
import subprocess
import sys
import textwrap

from hmbook import paths

PROBE = textwrap.dedent(r'''
    import importlib, json, os, pkgutil, sys

    root, package = os.path.abspath(sys.argv[1]), sys.argv[2]
    installed = tuple(os.path.abspath(p) + os.sep for p in {sys.prefix, sys.base_prefix, sys.exec_prefix})
    opened, importing = [], [package]

    def hook(event, args):
        if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.endswith((".py", ".pyc", f"{os.sep}__pycache__")) or f"{os.sep}__pycache__{os.sep}" in path:
            return  # the import system (or Numba, for compiled functions) reading or caching modules
        if path.startswith(installed) or not path.startswith(root + os.sep):
            return  # third-party packages reading their own files; anything outside the project
        if any(part.endswith((".egg-info", ".dist-info")) for part in path.split(os.sep)):
            return  # package metadata (an editable install's), read by importlib.metadata for entry points
        opened.append([importing[0], os.path.relpath(path, root)])

    sys.addaudithook(hook)
    top = importlib.import_module(package)
    names = [package] + [m.name for m in pkgutil.walk_packages(top.__path__, package + ".")]
    for name in names:
        if name.rsplit(".", 1)[-1] == "__main__":
            continue  # running it is running the program
        importing[0] = name
        importlib.import_module(name)
    print(json.dumps({"modules": len(names), "opened": opened}))
''')


def probe(root, package, path_entry):
    env = {**os.environ, "PYTHONPATH": str(path_entry), "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", PROBE, str(root), package], capture_output=True, text=True, env=env,
                          cwd=root, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])


def test_no_hmbook_module_reads_a_file_on_import():
    got = probe(paths.ROOT, "hmbook", paths.ROOT)
    assert got["modules"] >= 25, "every module is imported"
    assert got["opened"] == [], got["opened"]


def test_the_probe_catches_a_read_on_import(tmp_path):
    """The check can fail: a package whose module reads a CSV (with pandas) or a text file on import is caught."""
    pkg = tmp_path / "leaky"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "table.csv").write_text("a,b\n1,2\n")
    (pkg / "notes.txt").write_text("hello\n")
    (pkg / "sub" / "tables.py").write_text("import pandas as pd\nfrom pathlib import Path\n"
                                           "T = pd.read_csv(Path(__file__).parent.parent / 'table.csv')\n")
    (pkg / "words.py").write_text("from pathlib import Path\nW = (Path(__file__).parent / 'notes.txt').read_text()\n")
    got = probe(tmp_path, "leaky", tmp_path)
    assert sorted(map(tuple, got["opened"])) == [("leaky.sub.tables", "leaky/table.csv"),
                                                 ("leaky.words", "leaky/notes.txt")]
