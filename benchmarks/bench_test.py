"""The test loop against its floor, in one run: `make test` from a clean `_build` against executing the book once.

Run: .venv/bin/python benchmarks/bench_test.py      (about 7 to 15 minutes on the 2-core reference machine)

1. The floor, measured before and after `make test` (the machine's load drifts; their mean is used): each
   notebook in `book/` executed once, standalone, in a fresh kernel (nbclient, in its own folder), one after
   another, plus the strict build with execution off (benchmarks/bench_site.py's).
2. `make test` as a person runs it: `_build` deleted, the whole suite, the timing summary at its end.

Wall time is what a person waits; CPU time is that of every process involved (kernels, browsers, servers), which
other work on a shared machine disturbs less. The load average is printed before each phase: compare readings
taken at similar loads. Target: `make test` wall time <= 3 x the floor's.

`make test` runs with SIGINT at its default action even when this script was started in the background (a shell
without job control starts background jobs ignoring SIGINT, and the interrupt tests need it). The script deletes
`_build`: do not run it while another build or test run uses the same checkout.
"""

import os
import signal
import subprocess
import sys

from bench_site import ROOT, Clock, build_without_execution, execution_times  # same folder, run as a script

TARGET = 3.0


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (1 min), {five:.2f} (5 min)"


def floor():
    docs = [p.relative_to(ROOT).with_suffix("").as_posix() for p in sorted((ROOT / "book").glob("*.ipynb"))]
    execs = execution_times(docs)
    no_exec = build_without_execution()
    return no_exec, execs


def make_test():
    def default_sigint():
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    with Clock() as clock:
        proc = subprocess.run(["make", "test"], cwd=ROOT, preexec_fn=default_sigint, capture_output=True, text=True)
    summary = proc.stdout[proc.stdout.rfind("make test: where the time went"):] if proc.returncode == 0 else ""
    return clock, proc.returncode, summary or (proc.stdout[-3000:] + proc.stderr[-3000:])


def main():
    print(f"test-loop benchmark: {len(list((ROOT / 'book').glob('*.ipynb')))} notebooks, {os.cpu_count()} cores")
    print(f"floor, first reading ... {load()}")
    first = floor()
    print(f"make test ... {load()}")
    test, status, summary = make_test()
    print(f"floor, second reading ... {load()}")
    second = floor()
    print(f"done, {load()}\n")

    def totals(reading):
        no_exec, execs = reading
        return (no_exec.wall + sum(c.wall for c in execs.values()), no_exec.cpu + sum(c.cpu for c in execs.values()))

    print("                                        wall      CPU (all processes)")
    for name, reading in (("first", first), ("second", second)):
        no_exec, execs = reading
        wall, cpu = totals(reading)
        print(f"floor ({name} reading):               {wall:6.1f} s  {cpu:6.1f} s")
        print(f"  build without execution            {no_exec.wall:6.1f} s  {no_exec.cpu:6.1f} s")
        for doc, c in execs.items():
            print(f"  + execute {doc:<26} {c.wall:6.1f} s  {c.cpu:6.1f} s")
    floor_wall = (totals(first)[0] + totals(second)[0]) / 2
    floor_cpu = (totals(first)[1] + totals(second)[1]) / 2
    print(f"floor (mean of the two):               {floor_wall:6.1f} s  {floor_cpu:6.1f} s")
    print(f"make test (exit status {status}):          {test.wall:6.1f} s  {test.cpu:6.1f} s")
    ratio = test.wall / floor_wall
    print(f"make test / floor:                     {ratio:6.2f}    {test.cpu / floor_cpu:6.2f}     (target on wall "
          f"time <= {TARGET:g}: {'met' if ratio <= TARGET and status == 0 else 'MISSED'})")
    print(summary)
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
