"""Run the command line as a user does (a subprocess), for every test that checks a command."""

import subprocess
import sys

from hmbook import paths


def run_cli(*args, cwd=None):
    """Run ``python -m hmbook ARGS`` in ``cwd`` (default: the checkout); return (exit status, stdout, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "hmbook", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or paths.ROOT)
    return proc.returncode, proc.stdout, proc.stderr
