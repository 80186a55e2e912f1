"""Shared by the benchmark scripts (run as `python benchmarks/NAME.py`, so this folder is on the path)."""

import time


def best_of(n, fn):
    """The shortest of ``n`` wall-clock timings of ``fn()``, in seconds."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
