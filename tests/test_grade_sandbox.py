"""The grading sandbox against hostile submissions: each is a real submission of the Table 1 assignment, graded by
the real `hmbook grade` command as an instructor runs it, in a class beside an honest classmate.

Each hostile notebook is a hand-out (or the solutions) with one cell more that tries to cheat or to do harm:
rewrite the tests on disk, read the hidden tests, write outside its scratch folder, overwrite a classmate's
notebook, open a network socket, fork many processes, allocate without end, leave a daemon behind, kill the process
that grades it, end its kernel with os._exit, print without end, or be another assignment's notebook. For each
the test checks that it was contained (every file outside the sandbox keeps its bytes and mode, the classmate's
notebook included; nothing reached the network; no process or temporary file is left) and scored fairly (the
classmate gets full marks, a cheating hand-out nothing, solutions that also attack get their marks, and a
submission that cannot be graded gets 0 with a note saying why). The hostile submissions are graded in three
batches (three `hmbook grade` runs, spread over the workers), to keep the cost of the matrix to a few runs.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from hmbook import paths
from hmbook.course import sandbox
from support import hostile
from support.hostile import FORKS, NAME, POSSIBLE, Listener, with_cell
from support.project import env_for, fingerprint

READS_BUILD = False
XDIST_SPLIT = True  # every test grades its own class: the batches and the others are spread over the workers

def _processes(pid: int, token: str) -> list[str]:
    """Processes running as a sandbox user of the grading process ``pid`` (any slot), or with ``token`` in their
    command line."""
    uids = {str(sandbox.uid_for(pid, slot)) for slot in range(sandbox.MAX_SLOTS)}
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        real = next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:"))
        if real in uids or token in cmdline:
            found.append(f"{proc.name}: {cmdline}")
    return found


@pytest.mark.parametrize("batch", ["files", "processes", "endings"])
def test_hostile_submissions_are_contained_and_scored_fairly(handouts, tmp_path, batch):
    root = tmp_path / "course"
    token = f"{4000 + os.getpid() % 1000}.{time.monotonic_ns() % 10**9}"  # a sleep no other process has
    listener = Listener()
    made = hostile.class_folder(handouts, root, batch, listener.port, token)
    subs, tmp, autograder, cases = made.submissions, made.tmp, made.autograder, made.cases
    before = fingerprint(root)
    book_before = fingerprint(paths.ROOT / "book")
    try:
        proc = subprocess.Popen([sys.executable, "-m", "hmbook", "grade", "--timeout", str(hostile.TIMEOUT), "--jobs", "2",
                                 "--autograder", autograder, "--out", root / "grades.csv", "--results",
                                 root / "results", subs],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env_for(None, TMPDIR=str(tmp)))
        out, err = proc.communicate(timeout=600)
    finally:
        listener.close()
    assert proc.returncode == 0 and err == "", err
    rows = {r["submission"].split("/")[0]: r for r in csv.DictReader((root / "grades.csv").open(encoding="utf-8"))}
    # fair scores: the classmate's full marks, each hostile row as expected, a note for what could not be graded
    assert float(rows["bob"]["total"]) == POSSIBLE and rows["bob"]["note"] == "", rows["bob"]
    for name, (_, _, _, total, note) in cases.items():
        assert float(rows[name]["total"]) == total, (name, rows[name])
        assert (note in rows[name]["note"]) if note else rows[name]["note"] == "", (name, rows[name])
        assert rows[name]["possible"] == rows["bob"]["possible"], (name, rows[name])
    log = (root / "results" / "grading.log").read_text(encoding="utf-8").splitlines()  # a line each, as they end
    assert sorted(line.split("/")[0] for line in log) == sorted(rows), log
    if batch == "endings":
        assert rows["wrong_notebook"]["note"].startswith("the wrong notebook: it is the hand-out of 'audit'")
        assert float(rows["wrong_notebook"]["total"]) == 0
    # contained: every file outside the sandbox keeps its bytes and mode (the classmate's notebook included), and
    # nothing was added but the grades, their results and what the command itself writes
    after = fingerprint(root)
    written = {k for k in after if k == str(root / "grades.csv") or k.startswith(str(root / "results") + "/")}
    assert {k: v for k, v in after.items() if k not in written} == before
    assert fingerprint(paths.ROOT / "book") == book_before
    for text in (Path(k).read_text(encoding="utf-8", errors="replace") for k in written):
        assert "hacked" not in text
    assert listener.connections == 0, "a submission reached the host's network"
    # nothing left: no process of the sandbox's user or with the daemon's token, no temporary file
    deadline = time.monotonic() + 5
    while (left := _processes(proc.pid, token)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"processes left running: {left}"
    assert list(tmp.iterdir()) == []


def test_without_bubblewrap_grade_refuses_with_one_line_unless_told_to_take_the_risk(handouts, tmp_path):
    """No bwrap on PATH: `hmbook grade` stops before grading with one line and exit 2; --unsafe-no-sandbox grades
    as otter run does, as the instructor."""
    subs = tmp_path / "submissions"
    subs.mkdir()
    (subs / f"{NAME}.ipynb").write_bytes((handouts / "instructor" / f"{NAME}.ipynb").read_bytes())
    empty = tmp_path / "bin"
    empty.mkdir()
    command = [sys.executable, "-m", "hmbook", "grade", "--autograder", handouts / "autograder" / f"{NAME}.zip",
               "--out", tmp_path / "grades.csv", subs]
    env = env_for(None, PATH=str(empty))
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "bubblewrap (bwrap) is not installed" in proc.stderr
    assert "--unsafe-no-sandbox" in proc.stderr and not (tmp_path / "grades.csv").exists()
    proc = subprocess.run([*command, "--unsafe-no-sandbox"], capture_output=True, text=True,
                          env=env_for(None), timeout=300)
    assert proc.returncode == 0, proc.stderr
    row = next(csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8")))
    assert float(row["total"]) == POSSIBLE


@pytest.mark.timed
def test_an_interrupted_batch_leaves_no_process_and_no_temporary_file(handouts, tmp_path):
    """SIGTERM (and Ctrl-C) while a submission runs in its sandbox: the command ends with 143 (130), and the
    sandbox, its kernel and the folders it was given are gone."""
    subs, tmp = tmp_path / "submissions", tmp_path / "tmp"
    subs.mkdir()
    tmp.mkdir()
    nb = with_cell(handouts, "student", "import time\nwhile True:\n    time.sleep(1)")
    nbformat.write(nb, subs / f"{NAME}.ipynb")
    for sig, status in ((signal.SIGTERM, 143), (signal.SIGINT, 130)):
        proc = subprocess.Popen([sys.executable, "-m", "hmbook", "grade", "--autograder",
                                 handouts / "autograder" / f"{NAME}.zip", "--out", tmp_path / "grades.csv", subs],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env_for(None, TMPDIR=str(tmp)))
        deadline = time.monotonic() + 60
        while not _processes(proc.pid, "no-token") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _processes(proc.pid, "no-token"), "the sandbox never started"
        time.sleep(2)  # its kernel is running the loop
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == status and "interrupted" in err, err
        deadline = time.monotonic() + 5
        while (left := _processes(proc.pid, "no-token")) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not left, left
        assert list(tmp.iterdir()) == [] and not (tmp_path / "grades.csv").exists()


class _Gadget:
    """A value whose pickle runs a command when loaded (the classic pickle attack)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_the_scoring_step_loads_values_but_never_runs_a_pickles_code(tmp_path):
    """The snapshots come from the student's kernel: the unpickler of the scoring step builds plain values, arrays
    and frames, and refuses what would call anything else (os.system here), leaving the variable out."""
    import pickle

    import numpy as np
    import pandas as pd

    from hmbook.course import sandbox_steps

    marker = tmp_path / "ran"
    frame = pd.DataFrame({"n": [1, 2], "group": pd.Categorical(["a", "b"]), "x": [0.5, np.nan]})
    blobs = {"frame": pickle.dumps(frame), "pair": pickle.dumps((0.1, 0.2)), "array": pickle.dumps(np.arange(3)),
             "series": pickle.dumps(frame["n"]), "evil": pickle.dumps(_Gadget(marker)),
             "nested": pickle.dumps([1, {"deeper": _Gadget(marker)}]), "not bytes": "a str"}
    values = sandbox_steps.load_values(pickle.dumps(blobs))
    assert set(values) == {"frame", "pair", "array", "series"} and not marker.exists()
    pd.testing.assert_frame_equal(values["frame"], frame)
    assert values["pair"] == (0.1, 0.2) and list(values["array"]) == [0, 1, 2]
    with pytest.raises(pickle.UnpicklingError, match="posix.system is not a value a snapshot may hold"):
        sandbox_steps.load_values(pickle.dumps(_Gadget(marker)))
    assert not marker.exists()


def _inside(code: str, *, timeout: float = 60, limits: sandbox.Limits | None = None, **inputs: bytes):
    """Run Python ``code`` in a new sandbox (the environment's interpreter); its Outcome."""
    return sandbox.run([sys.executable, "-c", code], inputs or None, timeout=timeout,
                       limits=limits or sandbox.Limits())


def test_the_sandbox_shows_only_its_own_root_processes_and_loopback(tmp_path):
    """What the sandbox sees: /usr, /etc (secrets masked), the environment, hmbook and its data, read-only; its own
    scratch; its own processes; no network; an unprivileged user that may not write anywhere but its scratch."""
    code = """
import json, os, socket
seen = {'root': sorted(os.listdir('/')), 'input': sorted(os.listdir('/input')), 'uid': os.getuid(),
        'pids': sorted(int(p) for p in os.listdir('/proc') if p.isdigit())}
try:
    seen['shadow'] = open('/etc/shadow').read()
except OSError as err:
    seen['shadow'] = err.strerror
for target in ['/usr/x', '/etc/x', '/input/x', os.environ['PYTHONPATH'] + '/x']:
    try:
        open(target, 'w')
        seen[target] = 'written'
    except OSError as err:
        seen[target] = err.strerror
open('/scratch/mine', 'w').write('ok')
try:
    socket.create_connection(('1.1.1.1', 80), timeout=2)
    seen['net'] = 'connected'
except OSError as err:
    seen['net'] = err.strerror
seen['interfaces'] = [name for _, name in socket.if_nameindex()]
print(json.dumps(seen))
"""
    outcome = _inside(code, **{"notebook.ipynb": b"{}"})
    assert outcome.ok, outcome
    seen = json.loads(outcome.stdout)
    # the system's folders and the sandbox's own, plus the top folder of each place it must expose (this Python's
    # environment and the checkout, wherever they are: CI clones into a folder of its own choosing)
    exposed = {Path(p).resolve().parts[1] for p in (sys.prefix, sys.base_prefix, paths.ROOT)}
    assert set(seen["root"]) <= {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "proc", "dev",
                                 "scratch", "tmp", "input"} | exposed, seen["root"]
    assert seen["input"] == ["notebook.ipynb"] and seen["shadow"] in ("", "Permission denied")  # masked
    assert seen["uid"] != 0 and len(seen["pids"]) <= 3, seen  # bwrap's init, the command (and none of the host's)
    assert all(seen[k] in ("Read-only file system", "Permission denied") for k in seen if k.startswith("/")), seen
    assert seen["net"] != "connected" and seen["interfaces"] == ["lo"], seen
    assert not (paths.ROOT / "x").exists()


@pytest.mark.timed
def test_the_sandbox_limits_processes_memory_scratch_files_output_and_time():
    limits = sandbox.Limits(memory=1 << 30, processes=64, scratch=32 << 20, file_size=8 << 20, output=1 << 20)
    forks = _inside(FORKS.format(tries=1000, sleep=60), limits=limits)
    assert forks.ok and 0 < int(forks.stdout) < 64, forks
    memory = _inside("""
try:
    hoard = bytearray(2 << 30)
    print('allocated')
except MemoryError:
    print('refused')
""", limits=limits)
    assert memory.stdout.strip() == b"refused", memory
    files = _inside("""
import os
sizes = []
for name, size in (('/scratch/big', 16 << 20), ('/scratch/a', 6 << 20), ('/scratch/b', 6 << 20), ('/scratch/c', 6 << 20), ('/scratch/d', 6 << 20), ('/scratch/e', 6 << 20)):
    try:
        with open(name, 'wb') as fh:
            fh.write(b'x' * size)
        sizes.append('ok')
    except OSError as err:
        sizes.append(err.strerror)
print(sizes)
""", limits=limits)
    assert files.ok, files
    said = files.stdout.decode()
    assert said.startswith("['File too large'") and "No space left on device" in said, said  # 8 MB a file, 32 in all
    flood = _inside("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)", limits=limits)
    assert flood.overflowed and not flood.ok and len(flood.stdout) <= limits.output
    start = time.monotonic()
    slow = _inside("import os, subprocess, time\nsubprocess.Popen(['setsid', 'sleep', '600'])\ntime.sleep(600)",
                   timeout=3, limits=limits)
    assert slow.timed_out and time.monotonic() - start < 15, slow


def test_a_batch_run_again_with_resume_grades_only_what_is_missing_or_changed(handouts, tmp_path):
    """--resume keeps each stored result whose submission and autograder are unchanged (their SHA-256), and grades
    a changed submission and one that was never graded; without --resume the folder is refused."""
    subs, results = tmp_path / "submissions", tmp_path / "results"
    for student in ("alice", "bob"):
        (subs / student).mkdir(parents=True)
    (subs / "alice" / f"{NAME}.ipynb").write_bytes((handouts / "student" / f"{NAME}.ipynb").read_bytes())
    (subs / "bob" / f"{NAME}.ipynb").write_bytes((handouts / "instructor" / f"{NAME}.ipynb").read_bytes())
    command = [sys.executable, "-m", "hmbook", "grade", "--jobs", "1", "--autograder",
               handouts / "autograder" / f"{NAME}.zip", "--out", tmp_path / "grades.csv", "--results", results, subs]
    proc = subprocess.run(command, capture_output=True, text=True, env=env_for(None), timeout=300)
    assert proc.returncode == 0, proc.stderr
    kept = fingerprint(results / "bob")
    # alice hands in her work late (the solutions), carol for the first time; bob's is unchanged
    (subs / "alice" / f"{NAME}.ipynb").write_bytes((handouts / "instructor" / f"{NAME}.ipynb").read_bytes())
    (subs / "carol").mkdir()
    (subs / "carol" / f"{NAME}.ipynb").write_bytes((handouts / "student" / f"{NAME}.ipynb").read_bytes())
    again = subprocess.run(command + ["--force"], capture_output=True, text=True, env=env_for(None), timeout=300)
    assert again.returncode == 2 and "exists and is not an empty folder" in again.stderr
    again = subprocess.run(command + ["--force", "--resume"], capture_output=True, text=True, env=env_for(None),
                           timeout=300)
    assert again.returncode == 0, again.stderr
    log = (results / "grading.log").read_text(encoding="utf-8").splitlines()
    assert len(log) == 5 and sorted(line.split("/")[0] for line in log[2:]) == ["alice", "bob", "carol"], log
    assert [line for line in log if "kept from an earlier batch" in line] == [
        f"bob/{NAME}: 7 / 7 [kept from an earlier batch]"]
    rows = {r["submission"].split("/")[0]: float(r["total"])
            for r in csv.DictReader((tmp_path / "grades.csv").open(encoding="utf-8"))}
    assert rows == {"alice": POSSIBLE, "bob": POSSIBLE, "carol": 0.0}
    assert fingerprint(results / "bob") == kept
