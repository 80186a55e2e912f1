"""The hostile submissions of the grading sandbox's security matrix (tests/test_grade_sandbox.py), made in one
place so that benchmarks/bench_test.py's floor grades exactly the same files: a class folder per batch, with an
honest classmate, a secret beside it, and one submission per hostile cell.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat

from hmbook import paths

NAME = "table1_demographics"
#: The time limit (seconds) the matrix grades with (`hmbook grade --timeout`).
TIMEOUT = 60
POSSIBLE = 7.0
#: A line of a hidden test of the assignment (an assertion message): it must not reach any file a student writes.
HIDDEN_LINE = "the bands should add up to every respondent"

# Each hostile cell: (batch, base notebook, cell source with {placeholders}, expected total, note that must be in
# the row's note or "" for a row graded normally). {outside} is a folder beside the class folder, {classmate} the
# honest student's notebook, {autograder} the zip, {port} a loopback server of the test's, {token} a unique word.
#: Where a search for the tests and the notebooks looks (every top folder but /proc, /sys and /usr, whose walk takes
#: minutes; the sandbox shows only /usr, /etc, the Python environment and hmbook besides these).
SEARCH = "['/scratch', '/tmp', '/input', '/work', '/root', '/home', '/etc', '{root}']"

#: Start as many sleeping children as the limits allow (at most ``tries``), then print how many started.
FORKS = """
import os, time
children = 0
try:
    for _ in range({tries}):
        if os.fork() == 0:
            time.sleep({sleep})
            os._exit(0)
        children += 1
except OSError:
    pass
print(children)
"""

HOSTILE = {
    # -- batch "files": the tests, the hidden tests, other people's files
    "rewrite_tests": ("files", "student", """
import glob, os
SEARCH = """ + SEARCH + """
for path in [p for top in SEARCH for p in glob.glob(top + '/**/tests/*.py', recursive=True)]:
    try:
        with open(path, 'w') as fh:
            fh.write('from otter.test_files import test_case\\nOK_FORMAT = False\\nname = "x"\\npoints = 99\\n')
    except OSError:
        pass
for path in ['{autograder}', '/input/autograder.zip']:
    try:
        open(path, 'wb').write(b'PK')
    except OSError:
        pass
""", 0.0, ""),
    "read_hidden_tests": ("files", "student", """
import glob, os, zipfile
SEARCH = """ + SEARCH + """
found = []
for path in ['{autograder}'] + [p for top in SEARCH for p in glob.glob(top + '/**/*.zip', recursive=True)]:
    try:
        with zipfile.ZipFile(path) as z:
            found += [z.read(n) for n in z.namelist() if n.startswith('tests/')]
    except Exception:
        pass
for pid in os.listdir('/proc'):
    try:
        found.append(open(f'/proc/{{pid}}/cmdline', 'rb').read())
    except OSError:
        pass
for target in ['{outside}/leak.txt', '{classmate_dir}/leak.txt', '/tmp/leak.txt']:
    try:
        open(target, 'wb').write(b'\\n'.join(found) or b'nothing found')
    except OSError:
        pass
print(found)
""", 0.0, ""),
    "write_outside": ("files", "student", """
import os, shutil
for target in ['{outside}/written.txt', '{outside}/secret.txt', '{book}/HACKED.txt', '{submissions}/HACKED.txt',
               os.path.expanduser('~root/HACKED.txt'), '/etc/HACKED', '/usr/HACKED', '/input/HACKED']:
    try:
        with open(target, 'w') as fh:
            fh.write('hacked')
    except OSError:
        pass
for target in ['{outside}', '{submissions}']:
    shutil.rmtree(target, ignore_errors=True)
try:
    os.system('id > /scratch/id.txt; touch {outside}/by-shell.txt')
except Exception:
    pass
""", 0.0, ""),
    "overwrite_classmate": ("files", "student", """
import glob, os
SEARCH = """ + SEARCH + """
mine = open(glob.glob('/scratch/work/*.ipynb')[0], 'rb').read()
targets = ['{classmate}']
for pid in os.listdir('/proc'):  # the grading command's arguments name the class folder
    try:
        targets += [a.decode() for a in open(f'/proc/{{pid}}/cmdline', 'rb').read().split(b'\\0') if a.endswith(b'.ipynb')]
    except OSError:
        pass
targets += [p for top in SEARCH for p in glob.glob(top + '/**/*.ipynb', recursive=True)]
for target in targets:
    try:
        with open(target, 'wb') as fh:
            fh.write(mine)
        os.chmod(target, 0o777)
    except OSError:
        pass
""", 0.0, ""),
    "solutions_that_also_attack": ("files", "instructor", """
import os, socket, subprocess
try:
    open('{outside}/written-by-solutions.txt', 'w').write('x')
except OSError:
    pass
try:
    socket.create_connection(('127.0.0.1', {port}), timeout=2)
except OSError:
    pass
subprocess.Popen(['setsid', 'sleep', '{token}'])
""", POSSIBLE, ""),
    # -- batch "processes": the network, processes, memory
    "open_a_socket": ("processes", "student", """
import socket
for host in ['127.0.0.1', '10.0.0.1', '1.1.1.1', 'example.org']:
    try:
        socket.create_connection((host, {port} if host == '127.0.0.1' else 80), timeout=2).sendall(b'hello')
    except OSError:
        pass
""", 0.0, ""),
    "fork_many": ("processes", "student", FORKS.format(tries=2000, sleep=600), 0.0, ""),
    "allocate_without_end": ("processes", "student", """
hoard = []
try:
    while True:
        hoard.append(bytearray(b'x' * (64 << 20)))
except MemoryError:
    hoard = None
""", 0.0, ""),
    "leave_a_daemon": ("processes", "student", """
import os, subprocess
subprocess.Popen(['setsid', 'sleep', '{token}'])
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp('sleep', ['sleep', '{token}'])
    os._exit(0)
""", 0.0, ""),
    # -- batch "endings": the grading process killed, the kernel ended, output without end, the wrong notebook
    "kill_the_parent": ("endings", "student", """
import os, signal
os.kill(os.getppid(), signal.SIGKILL)
os.kill(-1, signal.SIGKILL)
""", 0.0, "killed"),
    "os_exit": ("endings", "student", """
import os
os._exit(0)
""", 0.0, "its kernel died"),
    "print_without_end": ("endings", "student", """
while True:
    print('x' * 100000)
""", 0.0, "printed more than"),
}


def with_cell(handouts: Path, base: str, cell: str) -> nbformat.NotebookNode:
    """The ``base`` notebook ("student" or "instructor") of the assignment with ``cell`` added at its end."""
    nb = nbformat.read(handouts / base / f"{NAME}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(cell.strip()))
    return nb


@dataclass(frozen=True)
class Class:
    """A class folder made by :func:`class_folder`."""

    root: Path
    submissions: Path
    outside: Path
    tmp: Path
    autograder: Path
    cases: dict[str, tuple]


def class_folder(handouts: Path, root: Path, batch: str, port: int, token: str) -> Class:
    """The class of one batch of the matrix under ``root``: bob's honest notebook (mode 0640), a secret beside the
    submissions (0600), the autograder, each hostile cell of ``batch`` as a submission of its own, and for
    "endings" another assignment's notebook under this one's name. ``port``: a loopback server of the caller's;
    ``token``: a word no other process has."""
    subs, outside, tmp = root / "submissions", root / "outside", root / "tmp"
    for folder in (subs / "bob", outside, tmp):
        folder.mkdir(parents=True)
    classmate = subs / "bob" / f"{NAME}.ipynb"
    classmate.write_bytes((handouts / "instructor" / f"{NAME}.ipynb").read_bytes())
    classmate.chmod(0o640)
    (outside / "secret.txt").write_text("the instructor's")
    (outside / "secret.txt").chmod(0o600)
    autograder = root / "autograder.zip"
    autograder.write_bytes((handouts / "autograder" / f"{NAME}.zip").read_bytes())
    cases = {name: case for name, case in HOSTILE.items() if case[0] == batch}
    places = {"root": root, "outside": outside, "classmate": classmate, "classmate_dir": classmate.parent,
              "autograder": autograder, "port": port, "token": token, "book": paths.ROOT / "book",
              "submissions": subs}
    for name, (_, base, cell, _, _) in cases.items():
        (subs / name).mkdir()
        nbformat.write(with_cell(handouts, base, cell.format(**places)), subs / name / f"{NAME}.ipynb")
    if batch == "endings":  # another assignment's notebook under this one's name
        (subs / "wrong_notebook").mkdir()
        (subs / "wrong_notebook" / f"{NAME}.ipynb").write_bytes((handouts / "student" / "audit.ipynb").read_bytes())
    return Class(root, subs, outside, tmp, autograder, cases)


class Listener:
    """A TCP server on the host's loopback that records every connection it gets."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()
