"""Start a real Taguette server on loopback for the tests and benchmarks (test support, not the package)."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from hmbook.qualitative.taguette import Taguette
from support import servers

__all__ = ["serve"]


@contextlib.contextmanager
def serve(taguette: str | Path, workdir: str | Path, startup: float = 30):
    """Start ``taguette`` (the executable) in single-user mode on 127.0.0.1, its database in ``workdir``.

    Yields a logged-in :class:`Taguette` client; stops the server (the process started here, by its id) on exit.
    """
    workdir = Path(workdir)
    port = servers.free_port()
    command = [str(taguette), "--no-browser", "--bind", "127.0.0.1", "--port", str(port),
               "--database", str(workdir / "taguette.sqlite3")]

    def token(log: str) -> str | None:  # the login link it prints once it listens
        return m[1] if (m := re.search(r"token=([0-9a-f]+)", log)) else None

    with servers.running(command, workdir / "taguette.log", token, name="Taguette", startup=startup,
                         env={**os.environ, "XDG_DATA_HOME": str(workdir), "HOME": str(workdir)}) as login:
        client = Taguette(f"http://127.0.0.1:{port}")
        client.login(login)
        yield client
