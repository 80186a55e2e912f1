"""The lock a writing command holds on its output folder, so that two commands never write the same files at once."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from hmbook.errors import DataError
from hmbook.files.interrupts import signals_deferred

__all__ = ["LOCK_NAME", "LOCK_WAIT", "output_lock"]

#: The lock file a writing command holds in its output folder (removed when it finishes).
LOCK_NAME = ".hmbook.lock"
#: Seconds a writing command waits for another one writing to the same folder before giving up (the environment
#: variable ``HMBOOK_LOCK_WAIT`` overrides it, for scripts that would rather fail at once).
LOCK_WAIT = 20.0


@contextlib.contextmanager
def output_lock(folder: str | Path, wait: float | None = None) -> Iterator[None]:
    """Hold the folder's lock: a second writer waits up to ``wait`` seconds (default :data:`LOCK_WAIT`), then
    fails with a one-line :class:`DataError`. The lock file is removed before the lock is let go.

    The lock is ``filelock.FileLock`` (``flock`` on Unix): the kernel lets it go if the process dies, so a killed
    writer never blocks the next one. Removing the file while still holding it is safe with filelock, which
    re-opens the path when the file it locked has been unlinked.
    """
    import filelock  # imported here: only commands that write need it

    if wait is None:
        try:
            wait = float(os.environ.get("HMBOOK_LOCK_WAIT", LOCK_WAIT))
        except ValueError:
            raise DataError(f"HMBOOK_LOCK_WAIT must be a number of seconds, not {os.environ['HMBOOK_LOCK_WAIT']!r}") \
                from None
    lock_path = Path(folder) / LOCK_NAME
    lock = filelock.FileLock(lock_path, timeout=wait)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise DataError(f"{folder}: another hmbook command is writing to this folder (it holds {lock_path}); "
                        "try again when it has finished") from None
    try:
        yield
    finally:
        with signals_deferred():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock_path)  # while still held: a waiting writer sees the unlinked file and opens a new one
            lock.release()
