"""Time the steps of `make test` and print a short summary at the end.

Usage:
  python tools/timings.py run FILE LABEL -- COMMAND ...   run COMMAND; append its wall and CPU time to FILE
  python tools/timings.py summary FILE                     print every step of FILE, and pytest's parts
  python tools/timings.py costs FILE OUT                   write each xdist group's measured seconds to OUT (JSON),
                                                           the costs make test orders its groups by (make costs)

Wall time is what a person waits. CPU time is that of COMMAND and every process it started and waited for
(kernels, browsers, servers), which other work on a shared machine disturbs less. pytest's parts (nbval, the
doctests, each test module) are written to FILE by tests/support/parallel.py; their seconds are the time each
part kept a worker busy, so they add up to about (pytest's wall time) x (workers).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from hmbook.errors import DataError
from hmbook.files import safe_write


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(path: Path, label: str, command: list[str]) -> int:
    began, start, cpu = time.time(), time.perf_counter(), _cpu()
    status = subprocess.call(command)
    record = {"phase": "step", "label": label, "wall": round(time.perf_counter() - start, 2),
              "cpu": round(_cpu() - cpu, 2), "load": round(os.getloadavg()[0], 2), "status": status,
              "start": round(began, 2), "end": round(time.time(), 2)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    return status


def summary(path: Path, parts: int = 8) -> str:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    steps = [r for r in records if r["phase"] == "step"]
    tests = sorted((r for r in records if r["phase"] == "pytest"), key=lambda r: -r["seconds"])
    lines = ["", "make test: where the time went", f"  {'step':<38}{'wall':>8}{'CPU':>9}   load (1 min)"]
    for r in steps:
        lines.append(f"  {r['label']:<38}{r['wall']:>7.1f}s{r['cpu']:>8.1f}s   {r['load']:.2f}")
    # Steps may overlap (the build runs beside pytest): the total is from the first start to the last end.
    if steps and all("start" in r and "end" in r for r in steps):
        wall = max(r["end"] for r in steps) - min(r["start"] for r in steps)
    else:
        wall = sum(r["wall"] for r in steps)
    lines.append(f"  {'total (first start to last end)':<38}{wall:>7.1f}s{sum(r['cpu'] for r in steps):>8.1f}s")
    if tests:
        lines.append(f"  pytest's parts ({len(tests)}; wall = time a worker spent on it){'':<2}{'wall':>5}{'CPU':>9}")
        for r in tests[:parts]:
            lines.append(f"    {r['label']:<36}{r['seconds']:>7.1f}s{r['cpu']:>8.1f}s   {r['tests']} tests")
        rest = tests[parts:]
        if rest:
            lines.append(f"    {'the other ' + str(len(rest)) + ' parts':<36}{sum(r['seconds'] for r in rest):>7.1f}s"
                         f"{sum(r['cpu'] for r in rest):>8.1f}s   {sum(r['tests'] for r in rest)} tests")
    return "\n".join(lines)


def costs(path: Path, out: Path) -> str:
    """Each xdist group's seconds in the run recorded in ``path``, written to ``out`` as JSON (heaviest first)."""
    try:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: not a timings file of make test ({err})") from None
    groups = {r["group"]: r["seconds"] for r in records if isinstance(r, dict) and r.get("phase") == "group"}
    if not groups:
        raise DataError(f"{path}: no pytest groups recorded (run make test first; it writes them)")
    ordered = dict(sorted(((g, round(s, 1)) for g, s in groups.items()), key=lambda kv: (-kv[1], kv[0])))
    safe_write.write_atomic(out, (json.dumps(ordered, indent=1) + "\n").encode("utf-8"))
    return f"wrote {out}: the measured seconds of {len(ordered)} groups ({sum(ordered.values()):.0f} s in all)"


def main(argv: list[str]) -> int:
    if len(argv) >= 4 and argv[0] == "run" and argv[3] == "--":
        return run(Path(argv[1]), argv[2], argv[4:])
    if len(argv) == 2 and argv[0] == "summary":
        print(summary(Path(argv[1])))
        return 0
    if len(argv) == 3 and argv[0] == "costs":
        try:
            print(costs(Path(argv[1]), Path(argv[2])))
        except DataError as err:
            print(f"timings.py costs: error: {err}", file=sys.stderr)
            return 2
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
