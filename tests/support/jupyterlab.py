"""Start a real JupyterLab server on loopback for the hand-out tests (test support, not the package).

The server runs with a fresh settings and workspace folder, so nothing of a person's own JupyterLab set-up leaks
in, and with notebook windowing off, so every cell is in the page (JupyterLab 4 otherwise renders only the cells
in view, and a test reading the page would miss the rest).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import urllib.request
from pathlib import Path

from hmbook import paths
from support import servers

__all__ = ["serve"]


@contextlib.contextmanager
def serve(root: str | Path, workdir: str | Path, startup: float = 90, wait: bool = True):
    """Start ``jupyter lab`` on ``root``; yield its base URL and token (with ``wait=False``, at once a function
    that waits for the server and returns them). Stops the server it started on exit."""
    workdir = Path(workdir)
    settings = workdir / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    notes = workdir / "settings" / "@jupyterlab" / "apputils-extension"
    notes.mkdir(parents=True)
    (notes / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))  # no news pop-up
    (workdir / "workspaces").mkdir()
    port, token = servers.free_port(), secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT), "JUPYTERLAB_SETTINGS_DIR": str(workdir / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(workdir / "workspaces"), "JUPYTER_CONFIG_DIR": str(workdir / "config"),
           "JUPYTER_RUNTIME_DIR": str(workdir / "runtime")}
    env.pop("MPLBACKEND", None)  # the kernel's inline figures, as a student sees them (Agg would hide them)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
               "--ServerApp.open_browser=False",
               "--LabApp.expose_app_in_browser=True"]  # window.jupyterapp: the tests save a notebook through its commands
    if os.geteuid() == 0:
        command.append("--allow-root")
    base = f"http://127.0.0.1:{port}"

    def up(_log: str) -> tuple[str, str] | None:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return base, token
        except OSError:
            return None

    with servers.running(command, workdir / "jupyterlab.log", up, name="JupyterLab", startup=startup,
                         wait=wait, env=env, cwd=root) as started:
        yield started
