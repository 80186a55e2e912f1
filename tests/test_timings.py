"""tools/timings.py: the summary's total, and costs (the test groups' measured seconds, from a make test timings
file) with its bad input."""

import json
import subprocess
import sys

from hmbook import paths
from support import parallel


def _costs(*args):
    return subprocess.run([sys.executable, "tools/timings.py", "costs", *map(str, args)], cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=60)


def test_costs_are_written_from_the_groups_a_run_recorded(tmp_path):
    timings = tmp_path / "timings.jsonl"
    timings.write_text("\n".join(json.dumps(r) for r in [
        {"phase": "step", "label": "pytest", "wall": 10.0, "cpu": 9.0, "load": 1.0, "status": 0},
        {"phase": "group", "group": "tests/test_a.py", "seconds": 2.04},
        {"phase": "group", "group": "book/x.ipynb", "seconds": 7.36}]) + "\n", encoding="utf-8")
    out = tmp_path / "costs.json"
    proc = _costs(timings, out)
    assert proc.returncode == 0, proc.stderr
    assert list(json.loads(out.read_text(encoding="utf-8")).items()) == [("book/x.ipynb", 7.4), ("tests/test_a.py", 2.0)]
    assert parallel.costs(out) == {"book/x.ipynb": 7.4, "tests/test_a.py": 2.0}


def test_a_file_without_groups_or_no_file_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "costs.json"
    (tmp_path / "empty.jsonl").write_text('{"phase": "step", "label": "x", "wall": 1, "cpu": 1}\n', encoding="utf-8")
    (tmp_path / "junk.jsonl").write_text("not json\n", encoding="utf-8")
    for given, said in ((tmp_path / "missing.jsonl", "not a timings file"), (tmp_path / "junk.jsonl", "not a timings"),
                        (tmp_path / "empty.jsonl", "no pytest groups")):
        proc = _costs(given, out)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert len(proc.stderr.splitlines()) == 1 and said in proc.stderr, proc.stderr
    assert not out.exists()


def test_the_committed_costs_name_groups_the_suite_has():
    measured = parallel.costs()
    assert measured, "tests/support/costs.json is missing or empty: run make test, then make costs"
    for group in measured:
        assert (paths.ROOT / group.split("::", 1)[0]).is_file(), f"costs.json names {group}, which is gone (make costs)"


def test_the_summary_total_counts_overlapping_steps_once(tmp_path):
    """The build runs beside pytest: the total is from the first start to the last end, not the steps' sum."""
    path = tmp_path / "t.jsonl"
    steps = [{"phase": "step", "label": "build (beside pytest)", "wall": 30.0, "cpu": 50.0, "load": 1.0,
              "status": 0, "start": 100.0, "end": 130.0},
             {"phase": "step", "label": "pytest", "wall": 200.0, "cpu": 300.0, "load": 2.0, "status": 0,
              "start": 101.0, "end": 301.0}]
    path.write_text("".join(json.dumps(s) + "\n" for s in steps))
    proc = subprocess.run([sys.executable, "tools/timings.py", "summary", str(path)], cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    total = next(line for line in proc.stdout.splitlines() if "total" in line)
    assert "201.0s" in total and "350.0s" in total, total
