"""A throw-away copy of the project, and fingerprints of files, for tests that run writing commands.

A command run in a copy (``run_hmbook(copy, ...)``) resolves ``hmbook.paths.ROOT`` to the copy, so ``package``,
``corpus`` and ``generate --out data/synthetic`` can be tried, with good and bad data, without touching the
checkout. :func:`fingerprint` records the SHA-256 and mode of every file under some folders: equal fingerprints
before and after a command mean no file was changed, re-moded, added or left behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from hmbook import paths

PARTS = ("hmbook", "data", "book", "_config.yml", "_toc.yml", "references.bib")


def copy_project(dest: Path) -> Path:
    """Copy the package, the data, the book's sources and its configuration to ``dest``; return ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        src = paths.ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        elif src.is_file():
            shutil.copy2(src, dest / part)
    return dest


def env_for(root: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a command run as a user would, with ``root``'s hmbook first on the path."""
    env = dict(os.environ, **extra)
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run_hmbook(root: Path | None, *args, cwd: Path | None = None, **popen):
    """Run ``python -m hmbook ARGS`` with ``root``'s package (the checkout's if None); return (status, out, err)."""
    proc = subprocess.run([sys.executable, "-m", "hmbook", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or root or paths.ROOT, env=env_for(root), **popen)
    return proc.returncode, proc.stdout, proc.stderr


def fingerprint(*folders: Path) -> dict[str, tuple[str, int]]:
    """{path: (sha256, permission bits)} of every file under ``folders`` (hidden files included)."""
    out = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            out[str(path)] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(path.stat().st_mode))
    return out
