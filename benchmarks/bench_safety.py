"""How much time and memory does `python -m hmbook verify` take on hostile inputs? Prints seconds and peak MB.

Run: .venv/bin/python benchmarks/bench_safety.py

Each input is checked by a fresh `python -m hmbook verify` process, as a user runs it; its wall-clock time and peak
resident memory (``ru_maxrss`` of that child, from ``os.wait4``) are reported beside the committed 90-row file
measured in the same run (the baseline, which includes importing pandas). The inputs:

- the committed ``respondents.csv`` (accepted: the baseline);
- ``/dev/zero``, an endless stream of NUL bytes (before bounded reads: 18.6 GB after 60 s, then killed; since
  every input must be a regular file, refused before anything is read);
- a 1,000,000-row respondents file (the committed rows repeated; before: 58 s and 3.7 GB to reject it);
- the same rows piped (``cat FILE | hmbook verify /dev/stdin``), where the size is unknown until read (now refused
  at once as a named pipe, like /dev/zero);
- a 1 GB sparse file (a size the file system reports, without the disk holding it).
Each figure is the best of three runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hmbook import paths

ROWS = 1_000_000


def run(args: list[str], stdin=None) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit status, last line of stderr) of one `python -m hmbook` child."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "hmbook", *args], stdin=stdin, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, cwd=paths.ROOT)
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode, (err.strip().splitlines() or [""])[-1]


def best(args, pipe_from: Path | None = None, n: int = 3):
    results = []
    for _ in range(n):
        cat = subprocess.Popen(["cat", str(pipe_from)], stdout=subprocess.PIPE) if pipe_from else None
        try:
            results.append(run(args, cat.stdout if cat else None))
        finally:
            if cat is not None:
                cat.stdout.close()
                cat.kill()
                cat.wait()
    return min(r[0] for r in results), min(r[1] for r in results), results[-1][2], results[-1][3]


def main() -> None:
    lines = paths.RESPONDENTS_CSV.read_text().splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "million.csv"
        with open(big, "w") as fh:
            fh.write(lines[0])
            fh.writelines(lines[1 + i % 90] for i in range(ROWS))
        sparse = Path(tmp) / "sparse.csv"
        with open(sparse, "wb") as fh:
            fh.write(lines[0].encode())
            fh.truncate(2**30)
        cases = [
            ("committed file (90 rows, accepted)", [str(paths.RESPONDENTS_CSV)], None),
            ("/dev/zero", ["/dev/zero"], None),
            (f"{ROWS:,} rows ({big.stat().st_size / 1e6:.0f} MB)", [str(big)], None),
            (f"{ROWS:,} rows through a pipe", ["/dev/stdin"], big),
            ("1 GB sparse file", [str(sparse)], None),
        ]
        base_s = base_mb = None
        print(f"{'input':<38} {'seconds':>8} {'x base':>7} {'peak MB':>8} {'x base':>7} status  message")
        for label, args, stdin in cases:
            seconds, mb, status, message = best(["verify", *args], stdin)
            base_s, base_mb = (seconds, mb) if base_s is None else (base_s, base_mb)
            print(f"{label:<38} {seconds:8.2f} {seconds / base_s:7.2f} {mb:8.1f} {mb / base_mb:7.2f} {status:>6}  "
                  f"{message[:90]}")


if __name__ == "__main__":
    main()
