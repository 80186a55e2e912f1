"""Start a local server for a test and stop it afterwards (test support, not the package): one way for every
server the tests run (JupyterLab, Taguette)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

__all__ = ["free_port", "running"]

T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(command: list[str], log_path: str | Path, ready: Callable[[str], T | None], *, name: str,
            startup: float, wait: bool = True, **popen) -> Iterator:
    """Run ``command``, its output (stdout and stderr) in ``log_path``; yield what ``ready`` first returns (or, with
    ``wait=False``, at once a function that waits for it and returns it, so the caller can work meanwhile).

    ``ready`` gets the log so far and returns None until the server is up (and then, say, its login token). A
    server that exits or is not up within ``startup`` seconds is a RuntimeError with the end of its log. On exit
    the process started here is stopped (SIGTERM, then SIGKILL after 30 s).
    """
    with open(log_path, "w+", encoding="utf-8") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **popen)
        deadline = time.monotonic() + startup

        def up() -> T:
            while True:
                log.seek(0)
                text = log.read()
                if (value := ready(text)) is not None:
                    return value
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited at start-up (status {proc.returncode}): {text[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start within {startup} s: {text[-2000:]}")
                time.sleep(0.2)

        try:
            yield up() if wait else up
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
