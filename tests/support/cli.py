"""Run the command line as a user does (a subprocess), for every test that checks a command."""

from support.project import run_hmbook


def run_cli(*args, cwd=None):
    """Run ``python -m hmbook ARGS`` in ``cwd`` (default: the checkout); return (exit status, stdout, stderr)."""
    return run_hmbook(None, *args, cwd=cwd)
