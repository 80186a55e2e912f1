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
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from hmbook import paths

__all__ = ["serve"]


@contextlib.contextmanager
def serve(root: str | Path, workdir: str | Path, startup: float = 90):
    """Start ``jupyter lab`` on ``root``; yield its base URL with the token. Stops the server it started on exit."""
    workdir = Path(workdir)
    settings = workdir / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    notes = workdir / "settings" / "@jupyterlab" / "apputils-extension"
    notes.mkdir(parents=True)
    (notes / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))  # no news pop-up
    (workdir / "workspaces").mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
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
    log = open(workdir / "jupyterlab.log", "w+")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None:
                    log.seek(0)
                    raise RuntimeError(f"JupyterLab exited at start-up: {log.read()[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer within {startup} s")
                time.sleep(0.5)
        yield base, token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
