"""Holding back Ctrl-C and SIGTERM while a write that must not be cut short finishes (renames and clean-up)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["signals_deferred"]


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM until the block ends (then they take effect): renames and clean-up run through.

    The Python-level handlers are swapped for one that only notes the signal. A signal mask would not do: NumPy's
    worker threads leave the signals unblocked, so the kernel hands the signal to one of them and Python still runs
    its handler in the main thread. Outside the main thread (where handlers cannot be set) nothing is held back.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: pending.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if pending:
            signal.raise_signal(pending[0])  # now handled as it would have been (an exception, or the default)

