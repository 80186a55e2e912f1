"""nbval against the build's execution: ``pytest --nbval-executed=_build/executed`` (a pytest plugin).

nbval checks that running a notebook in a fresh kernel gives the outputs stored in it. `make test` has just run
every notebook in a fresh kernel for the build (tools/execute_book.py, one kernel per notebook, in the notebook's
folder, as nbval runs it), so a second kernel would compute the same outputs again. With this option each
notebook's nbval items read that execution instead: nbval's own items, its comparison, its sanitising and its
failure reports are unchanged; only the kernel is replaced by :class:`ExecutedKernel`, which answers each cell
with the messages the build's kernel sent for it (rebuilt from the executed copy's outputs).

The executed copy must be of the same code: each cell nbval sends must be the copy's next code cell, word for
word, or the item fails. A notebook without an executed copy fails too (never skipped). Without the option (a
plain ``pytest``, or ``pytest --nbval book/x.ipynb`` while editing a chapter), nbval starts its kernel as usual.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from queue import Empty

import nbformat
import pytest

__all__ = ["ExecutedKernel"]


def pytest_addoption(parser):
    parser.getgroup("nbval").addoption(
        "--nbval-executed", metavar="DIR", default=None,
        help="compare each notebook with its executed copy DIR/<path relative to the root> (written by "
             "tools/execute_book.py) instead of running it again in a kernel")


class ExecutedKernel:
    """The part of nbval's RunningKernel that its items use, answering from an executed notebook."""

    _ids = itertools.count()

    def __init__(self, executed, where: str):
        self.cells = [c for c in executed.cells if c.cell_type == "code"]
        self.where = where
        self.position = 0
        self.messages: list[dict] = []
        self.alive = True

    def execute_cell_input(self, cell_input, allow_stdin=None):
        if self.position >= len(self.cells):
            raise RuntimeError(f"{self.where}: the executed copy has fewer code cells than the notebook")
        cell = self.cells[self.position]
        self.position += 1
        if cell.source != cell_input:
            raise RuntimeError(f"{self.where}: code cell {self.position - 1} differs from the executed copy "
                               "(run tools/execute_book.py again)")
        msg_id = f"executed-{next(self._ids)}"

        def message(msg_type, content):
            return {"msg_type": msg_type, "content": content, "parent_header": {"msg_id": msg_id}}

        self.messages = [message("status", {"execution_state": "busy"}),
                         message("execute_input", {"code": cell.source, "execution_count": cell.execution_count})]
        for out in cell.outputs:
            if out.output_type == "stream":
                self.messages.append(message("stream", {"name": out.name, "text": out.text}))
            elif out.output_type in ("display_data", "execute_result"):
                content = {"data": out.data, "metadata": out.get("metadata", {})}
                if out.output_type == "execute_result":
                    content["execution_count"] = out.execution_count
                self.messages.append(message(out.output_type, content))
            elif out.output_type == "error":
                self.messages.append(message("error", {"ename": out.ename, "evalue": out.evalue,
                                                       "traceback": out.traceback}))
            else:  # nbformat 4 has no other output type
                raise RuntimeError(f"{self.where}: unknown output type {out.output_type}")
        self.messages.append(message("status", {"execution_state": "idle"}))
        return msg_id

    def await_reply(self, msg_id, timeout=None):
        return {"content": {"status": "ok"}}

    def get_message(self, stream, timeout=None):
        if not self.messages:
            raise Empty
        return self.messages.pop(0)

    def await_idle(self, parent_id, timeout):
        self.messages.clear()

    def is_alive(self):
        return self.alive

    def interrupt(self):
        pass

    def stop(self):
        self.alive = False


def pytest_configure(config):
    folder = config.getoption("nbval_executed")
    if not folder:
        return
    from nbval.plugin import IPyNbFile

    folder = Path(folder).resolve()
    root = Path(config.rootpath)

    def setup(self):
        path = Path(self.fspath)
        copy = folder / path.resolve().relative_to(root)
        if not copy.is_file():
            pytest.fail(f"{copy}: no executed copy of {path.name} (make test writes them with tools/execute_book.py)",
                        pytrace=False)
        self.kernel = ExecutedKernel(nbformat.read(copy, as_version=4), str(path.relative_to(root)))
        self.setup_sanitize_files()

    IPyNbFile.setup = setup
