"""Start a real Taguette server on loopback for the tests and benchmarks (test support, not the package)."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import time
from pathlib import Path

from hmbook.qualitative.taguette import Taguette

__all__ = ["serve"]


@contextlib.contextmanager
def serve(taguette: str | Path, workdir: str | Path, startup: float = 30):
    """Start ``taguette`` (the executable) in single-user mode on 127.0.0.1, its database in ``workdir``.

    Yields a logged-in :class:`Taguette` client; stops the server (the process started here, by its id) on exit.
    """
    workdir = Path(workdir)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(workdir / "taguette.log", "w+")
    proc = subprocess.Popen(
        [str(taguette), "--no-browser", "--bind", "127.0.0.1", "--port", str(port),
         "--database", str(workdir / "taguette.sqlite3")],
        stdout=log, stderr=subprocess.DEVNULL,
        env={**os.environ, "XDG_DATA_HOME": str(workdir), "HOME": str(workdir)})
    try:
        deadline, token = time.monotonic() + startup, None
        while token is None:
            log.seek(0)
            if m := re.search(r"token=([0-9a-f]+)", log.read()):
                token = m[1]
            elif proc.poll() is not None:
                raise RuntimeError(f"Taguette exited at start-up (status {proc.returncode})")
            elif time.monotonic() > deadline:
                raise RuntimeError(f"Taguette printed no login link within {startup} s")
            else:
                time.sleep(0.2)
        client = Taguette(f"http://127.0.0.1:{port}")
        client.login(token)
        yield client
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
