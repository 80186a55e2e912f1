"""Execute the book's notebooks for the build, on every core, once each; keep the executed copies for the checks.

Usage: .venv/bin/python tools/execute_book.py [--build _build] [--jobs N] [--in-place] [--again NOTEBOOK] [NOTEBOOK ...]

Jupyter Book (myst-nb, `execute_notebooks: cache`) executes the notebooks one after another while Sphinx reads
them, and keeps each executed notebook in the build's jupyter-cache (`_build/.jupyter_cache`), keyed by a hash of
its code. This script fills that same cache first, N notebooks at a time (default: one per core), with
jupyter-cache's own execution worker: each notebook in a fresh kernel, in its own folder, with the timeout and
`allow_errors` of `_config.yml`, as myst-nb would run it. The build that follows finds every notebook in the cache
and only renders it, exactly as a second `make book` does. A notebook the cache already holds for its current code
is not executed again.

Then every executed notebook (the source with the fresh outputs merged in, as the build renders it) is written to
`_build/executed/<path>.ipynb`. Those copies are the one execution the other checks share: the student edition is
made from them with the solutions removed (`hmbook student-sources --executed`), and `pytest --nbval-executed`
compares them with the outputs committed in `book/` (nbval's comparison, without running a second kernel).

With `--in-place`, the executed outputs are also written back into the source notebooks (the outputs that nbval
compares), all files or none, modes kept: the one way to refresh a notebook's stored outputs after editing it.
Widget state is not saved into the source (the site shows static figures, and a page with widget state pulls in
the 1.9 MB widget embed script; live widgets run in JupyterLab), and each cell keeps its own metadata, so
re-running an unchanged notebook leaves the file unchanged. Naming notebooks restricts the run to them.

A notebook that raises stops the script with its traceback (exit status 1); nothing is cached for it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from pathlib import Path

from jupyter_cache.cache.db import NbProjectRecord
from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData
from jupyter_cache.executors.utils import single_nb_execution
from jupyter_client.manager import KernelManager
from traitlets import default

from hmbook.course import toc
from hmbook.course.notebooks import notebook_bytes, read_notebook
from hmbook.files import safe_write
from hmbook.paths import ROOT


def notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks the build executes: the toc's pages that are .ipynb files, in toc order."""
    return [root / f"{doc}.ipynb" for doc in toc.files(toc.load(root)) if (root / f"{doc}.ipynb").is_file()]


def settings(root: Path = ROOT) -> dict:
    """Timeout and allow_errors from `_config.yml`'s execute section, as Jupyter Book passes them to myst-nb."""
    import yaml

    execute = (yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}).get("execute") or {}
    return {"timeout": int(execute.get("timeout", 30)), "allow_errors": bool(execute.get("allow_errors", False))}


class EncryptedKernelManager(KernelManager):
    """A kernel manager that provisions CurveZMQ keys when the kernelspec declares support (ipykernel's does)."""

    @default("transport_encryption")
    def _auto(self) -> str:
        return "auto"


class EncryptedWorker(ExecutionWorkerLocalMProc):
    """jupyter-cache's execution worker, with each kernel's connection encrypted.

    The same worker as the library's (one notebook in a fresh kernel, in its own folder), except that the kernel
    manager provisions CurveZMQ keys (:class:`EncryptedKernelManager`; nbclient still starts and shuts down the
    kernel), so that the kernel does not warn that it runs over TCP in plain text, a warning a reader of `make book`
    could do nothing about.
    """

    @staticmethod
    def execute(project_nb, data):
        return single_nb_execution(project_nb.nb, cwd=str(Path(project_nb.uri).parent), timeout=data.timeout,
                                   allow_errors=data.allow_errors, kernel_manager_class=EncryptedKernelManager)


def execute(paths: list[Path], cache, jobs: int, timeout: int, allow_errors: bool,
            again: tuple[Path, ...] = ()) -> list[Path]:
    """Run every notebook of ``paths`` that ``cache`` (the build's jupyter-cache) does not hold, and those of
    ``again`` even if it does (their cached results are dropped first); return those it ran.

    Uses jupyter-cache's execution worker (the one its `local-parallel` executor maps over a pool) so that a
    result is executed and cached exactly as the library does it; the pool here hands out one notebook at a time,
    largest first, so that two cores finish together.
    """
    todo = []
    for path in paths:
        record = cache.add_nb_to_project(str(path))
        try:
            cached = cache.match_cache_notebook(cache.get_project_notebook(record.pk).nb)
        except KeyError:
            todo.append((path, record))
            continue
        if path in again:
            cache.remove_cache(cached.pk)
            todo.append((path, record))
    todo.sort(key=lambda item: -item[0].stat().st_size)
    failed = []
    if todo:
        data = [ProcessData(record.pk, record.uri, cache, timeout, allow_errors) for _, record in todo]
        with multiprocessing.Pool(min(jobs, len(todo))) as pool:
            for status, uri in pool.imap_unordered(EncryptedWorker(), data, chunksize=1):
                if status != 0:
                    failed.append(Path(uri))
    for path in failed:
        record = NbProjectRecord.record_from_uri(str(path), cache.db)
        print(f"{path.relative_to(ROOT)}: execution failed\n{record.traceback or '(no traceback recorded)'}",
              file=sys.stderr)
    if failed:
        raise SystemExit(1)
    return [path for path, _ in todo]


def write_executed(paths: list[Path], cache, build: Path, root: Path = ROOT) -> list[Path]:
    """Write each notebook with its outputs in ``cache`` merged in to ``build/executed/<path relative to root>``."""
    import nbformat

    written = []
    for path in paths:
        _, merged = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
        target = build / "executed" / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(merged, target)
        written.append(target)
    return written


def write_in_place(paths: list[Path], cache) -> None:
    """Write each notebook's cached outputs back into the notebook itself (no widget state; its own cell metadata)."""
    files = {}
    for path in paths:
        _, merged = cache.merge_match_into_notebook(read_notebook(path), nb_meta=("kernelspec", "language_info"),
                                                    cell_meta=())
        files[path] = notebook_bytes(merged)
    safe_write.write_files(files)


def chosen(names: list[str], root: Path = ROOT) -> list[Path]:
    """The book's notebooks, or those of them named (any other name stops the script with one line)."""
    every = notebooks(root)
    if not names:
        return every
    picked = [Path(name).resolve() for name in names]
    unknown = [str(name) for name, path in zip(names, picked) if path not in every]
    if unknown:
        raise SystemExit(f"execute_book: not a notebook of the book's table of contents: {', '.join(unknown)}")
    return picked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build", help="the build folder (default: _build)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks at a time (default: cores)")
    parser.add_argument("--in-place", action="store_true", help="also write the outputs back into the notebooks")
    parser.add_argument("--again", action="append", default=[], metavar="NOTEBOOK",
                        help="execute this notebook even if the cache holds it (as after an edit); repeatable")
    parser.add_argument("notebook", nargs="*", help="only these notebooks (default: every notebook of the toc)")
    args = parser.parse_args(argv)
    from jupyter_cache import get_cache

    paths, build = chosen(args.notebook), args.build.resolve()
    cache = get_cache(build / ".jupyter_cache")
    again = tuple(chosen(args.again)) if args.again else ()
    paths += [path for path in again if path not in paths]
    ran = execute(paths, cache, max(1, args.jobs), again=again, **settings())
    write_executed(paths, cache, build)
    if args.in_place:
        write_in_place(paths, cache)
        print(f"wrote the outputs into {len(paths)} notebook(s)")
    print(f"executed {len(ran)} of {len(paths)} notebooks ({len(paths) - len(ran)} already in the cache), "
          f"{max(1, args.jobs)} at a time; copies in {args.build / 'executed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
