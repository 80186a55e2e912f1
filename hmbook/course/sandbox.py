"""A bubblewrap sandbox for running one step of grading one submission: untrusted code, contained.

``bwrap`` (Debian's ``bubblewrap``, the isolation tool Flatpak is built on) gives the command its own mount, PID,
network, IPC and UTS namespaces: a new root holding only what the command needs, read-only (``/usr``, ``/etc``
with its secrets masked, the Python environment, the ``hmbook`` package and its ``data/`` folder, and the few
files bound in for this step), a private size-capped ``tmpfs`` as its only writable place (``/scratch``, also
``/tmp`` and ``$HOME``), a fresh ``/proc`` that shows only its own processes, a minimal ``/dev``, and no network
but its own loopback. Nothing else of the machine is there: not the instructor's home, the book, the submissions
folder, the other students' files, the autograder (unless bound in for the scoring step).

Run as root, the command drops to an unprivileged user id of its own (:data:`UID_BASE`; ``setpriv``, with every
capability and the bounding set cleared), so that the process limit holds (the kernel does not apply it to root)
and no file of the machine that is not world-readable can be read; run as another user, it keeps that user's id
in a user namespace. Inside, ``prlimit`` sets the limits of :class:`Limits` (address space, processes, CPU seconds, file
size, open files). Every process started inside dies with the sandbox: its PID namespace ends when its first
process does, and ``--die-with-parent`` ends it when hmbook does (killed, interrupted or timed out). The command's
standard output is the only way out, read up to a cap.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess  # the one module of hmbook that starts a program (bwrap): pyproject's no-test-support contract
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hmbook import paths
from hmbook.errors import DataError
from hmbook.files.interrupts import signals_deferred

__all__ = ['Limits', 'Outcome', 'UID_BASE', 'Stopped', 'uid_for', 'find_bwrap', 'check_available', 'run',
           'stop_all', 'resume']

#: A sandbox started by root runs as an unprivileged user id of its own, made from this, hmbook's process id and the
#: sandbox's slot (:func:`uid_for`), so that no two sandboxes running at once (two batches, or two jobs of one)
#: share a process budget (RLIMIT_NPROC counts per user). It owns no file of the machine.
UID_BASE = 1_000_000
#: Sandboxes one hmbook process may run at once (``hmbook grade --jobs``): each has a slot, so a user id, of its own.
MAX_SLOTS = 64


class Stopped(Exception):
    """Raised by :func:`run` once :func:`stop_all` has been called: the batch is being interrupted."""


_live: set[subprocess.Popen] = set()
_live_lock = threading.Lock()
_stopping = threading.Event()


def resume() -> None:
    """Let sandboxes start again after :func:`stop_all` (a new batch)."""
    _stopping.clear()


def uid_for(pid: int, slot: int = 0) -> int:
    """The user id a sandbox of process ``pid`` in ``slot`` runs as, when started by root."""
    return UID_BASE + pid * MAX_SLOTS + slot


def stop_all() -> None:
    """Kill every sandbox this process is running (from any thread) and refuse to start new ones
    (:class:`Stopped`) until :func:`resume`; for an interrupted batch."""
    _stopping.set()
    with _live_lock:
        for proc in _live:
            with contextlib.suppress(OSError):
                proc.kill()
#: Files of ``/etc`` hidden from the sandbox even though it runs unprivileged (masked with an empty file).
_ETC_SECRETS = ("/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-", "/etc/sudoers")


@dataclass(frozen=True)
class Limits:
    """What one sandboxed step may use. The defaults let a chapter's notebook run (it needs about 1 GB of address
    space and a few seconds) with room to spare, and stop a submission that allocates, forks or writes without end.
    """

    memory: int = 3 << 30  #: bytes of address space per process (RLIMIT_AS)
    processes: int = 256  #: processes and threads of the sandbox's user (RLIMIT_NPROC)
    cpu_seconds: int = 900  #: CPU seconds per process (RLIMIT_CPU)
    file_size: int = 64 << 20  #: bytes in any one file written (RLIMIT_FSIZE)
    open_files: int = 1024  #: open files per process (RLIMIT_NOFILE)
    scratch: int = 256 << 20  #: bytes of the private scratch folder (its tmpfs), /tmp included
    output: int = 64 << 20  #: bytes of standard output read back; more stops the step


@dataclass
class Outcome:
    """How a sandboxed step ended: exit status (negative: killed by that signal), its standard output (up to the
    cap), and whether it was stopped for running too long or printing too much."""

    status: int | None
    stdout: bytes
    timed_out: bool = False
    overflowed: bool = False
    stderr_tail: str = field(default="")

    @property
    def ok(self) -> bool:
        return self.status == 0 and not self.timed_out and not self.overflowed


def find_bwrap() -> str | None:
    """The ``bwrap`` program on ``PATH``, or None."""
    return shutil.which("bwrap")


def _root_entries() -> list[str]:
    """bwrap options giving the new root ``/usr`` and the top-level names that lead into it (``/bin`` ->
    ``usr/bin`` on a merged-/usr Debian, or a directory of its own), read-only."""
    opts = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            opts += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            opts += ["--ro-bind", str(top), str(top)]
    return opts


def _python_entries() -> tuple[list[str], list[str]]:
    """(bwrap options, PYTHONPATH) that make this Python, its environment and hmbook (with ``data/``) readable."""
    places = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.executable).resolve().parent}
    package = Path(__file__).resolve().parent.parent  # hmbook/
    data = paths.data_dir().resolve()
    binds = [p for p in sorted(places) if not p.is_relative_to("/usr")] + [package]
    if data.is_dir():
        binds.append(data)
    binds = [p for p in binds if not any(p != q and p.is_relative_to(q) for q in binds)]  # inside another: there
    opts: list[str] = []
    made = {Path("/"), Path("/tmp"), Path("/scratch")}  # the sandbox's own folders (its tmpfs), made before these
    for place in binds:
        for folder in reversed(place.parents):  # readable folders to reach it (bwrap would make them 0700)
            if folder not in made and not folder.is_relative_to("/usr"):
                opts += ["--perms", "0755", "--dir", str(folder)]
                made.add(folder)
        opts += ["--ro-bind", str(place), str(place)]
    return opts, [str(package.parent)]


def _identity(limits: Limits, slot: int) -> tuple[list[str], list[str]]:
    """(bwrap options, command prefix) for who runs inside and under which limits."""
    rlimits = ["prlimit", f"--as={limits.memory}", f"--cpu={limits.cpu_seconds}", f"--fsize={limits.file_size}",
               f"--nofile={limits.open_files}", "--core=0"]
    if os.geteuid() == 0:
        # RLIMIT_NPROC counts the processes of the real user id: the sandbox's own, once setpriv has dropped to it
        uid = uid_for(os.getpid(), slot)
        return (["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"],
                ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                 "--bounding-set=-all", *rlimits, f"--nproc={limits.processes}", "--"])
    # unprivileged: the user's own processes count too, so the budget is on top of those running now
    return ["--unshare-user"], [*rlimits, f"--nproc={_tasks_of(os.getuid()) + limits.processes}", "--"]


def _tasks_of(uid: int) -> int:
    """How many processes and threads the user ``uid`` has now (what RLIMIT_NPROC counts)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields["Threads"])
    return count


def command(argv: Sequence[str], inputs: Path | None = None, *, limits: Limits = Limits(),
            env: Mapping[str, str] | None = None, cwd: str = "/scratch", slot: int = 0) -> list[str]:
    """The full ``bwrap`` command line that runs ``argv`` in a new sandbox, with the folder ``inputs`` (if any)
    readable at ``/input``; ``slot`` (below :data:`MAX_SLOTS`) tells sandboxes running at once apart."""
    if not 0 <= slot < MAX_SLOTS:
        raise DataError(f"internal error: sandbox slot {slot} is not below {MAX_SLOTS}; please report it")
    bwrap = find_bwrap()
    if bwrap is None:
        raise DataError("bubblewrap (bwrap) is not installed")
    python_opts, pythonpath = _python_entries()
    who, prefix = _identity(limits, slot)
    opts = [bwrap, *_root_entries(), "--ro-bind", "/etc", "/etc"]
    for secret in _ETC_SECRETS:
        if os.path.lexists(secret):
            opts += ["--ro-bind", "/dev/null", secret]
    # the sandbox's own folders first, then the environment and hmbook (which may live under /tmp: bound onto
    # the tmpfs, not hidden by it)
    opts += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(limits.scratch), "--perms", "1777", "--tmpfs", "/scratch",
             "--size", str(limits.scratch), "--perms", "1777", "--tmpfs", "/tmp", *python_opts]
    if inputs is not None:
        opts += ["--ro-bind", str(inputs), "/input"]
    opts += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", *who,
             "--die-with-parent", "--new-session", "--hostname", "sandbox", "--chdir", cwd, "--clearenv"]
    environment = {"PATH": "/usr/bin:/bin", "HOME": "/scratch", "USER": "student", "LOGNAME": "student",
                   "LANG": "C.UTF-8", "PYTHONPATH": ":".join(pythonpath),
                   "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/scratch/.matplotlib",
                   "XDG_CACHE_HOME": "/scratch/.cache", "IPYTHONDIR": "/scratch/.ipython",
                   "JUPYTER_RUNTIME_DIR": "/scratch/.jupyter/runtime", "JUPYTER_DATA_DIR": "/scratch/.jupyter/data",
                   "JUPYTER_CONFIG_DIR": "/scratch/.jupyter/config", "JUPYTER_PLATFORM_DIRS": "1", **(env or {})}
    if os.environ.get(paths.ENV):
        environment[paths.ENV] = str(paths.data_dir().resolve())
    for key, value in environment.items():
        opts += ["--setenv", key, value]
    return [*opts, "--", *prefix, *argv]


def check_available() -> None:
    """Start an empty sandbox; raise a one-line :class:`DataError` saying why if it cannot start here."""
    if find_bwrap() is None:
        raise DataError("bubblewrap (bwrap) is not installed, so submissions cannot be sandboxed: install it "
                        "(apt-get install bubblewrap), or pass --unsafe-no-sandbox to run them as yourself")
    outcome = run(["true"], timeout=30)
    if not outcome.ok:
        raise DataError(f"the bubblewrap sandbox does not start here ({outcome.stderr_tail or outcome.status}); "
                        "pass --unsafe-no-sandbox to run submissions as yourself, accepting the risk")


def run(argv: Sequence[str], inputs: Mapping[str, bytes] | None = None, *, timeout: float,
        limits: Limits = Limits(), env: Mapping[str, str] | None = None, slot: int = 0) -> Outcome:
    """Run ``argv`` in a new sandbox (see :func:`command`) for at most ``timeout`` seconds of wall time, with
    ``inputs`` ({file name: bytes}) readable in ``/input``.

    The inputs are written to a private temporary folder (removed afterwards, whatever happens) and bound in
    read-only. Standard output is read up to ``limits.output`` bytes; beyond that, or past the time, the sandbox is
    killed (and with it every process it started). Ctrl-C or SIGTERM here kills it too before passing on, and
    :func:`stop_all` (from another thread) kills it and raises :class:`Stopped` here.
    """
    if _stopping.is_set():
        raise Stopped("the batch is being stopped")
    with signals_deferred():  # the folder's name is recorded before an interrupt can land
        private = Path(tempfile.mkdtemp(prefix="hmbook-sandbox-"))
    try:
        folder = None
        if inputs is not None:
            folder = private / "input"
            folder.mkdir()
            os.chmod(folder, 0o755)  # readable by the sandbox's user; the private folder around it is not
            for name, data in inputs.items():
                (folder / name).write_bytes(data)
                os.chmod(folder / name, 0o644)
        outcome = _run(command(argv, folder, limits=limits, env=env, slot=slot), timeout, limits)
        if _stopping.is_set():
            raise Stopped("the batch is being stopped")
        return outcome
    finally:
        with signals_deferred():
            shutil.rmtree(private, ignore_errors=True)


def _run(argv: list[str], timeout: float, limits: Limits) -> Outcome:
    with _live_lock:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        _live.add(proc)
        if _stopping.is_set():  # stop_all ran between the check in run and here
            proc.kill()
    chunks: list[bytes] = []
    err_tail: list[bytes] = []
    overflow = threading.Event()

    def read_out() -> None:
        assert proc.stdout is not None
        size = 0
        while block := os.read(proc.stdout.fileno(), 1 << 16):
            size += len(block)
            if size > limits.output:
                overflow.set()
                proc.kill()
                return
            chunks.append(block)

    def read_err() -> None:
        assert proc.stderr is not None
        while block := os.read(proc.stderr.fileno(), 1 << 16):
            err_tail[:] = [(b"".join(err_tail) + block)[-2000:]]

    readers = [threading.Thread(target=read_out, daemon=True), threading.Thread(target=read_err, daemon=True)]
    for reader in readers:
        reader.start()
    timed_out = False
    try:
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
    finally:
        if proc.poll() is None:
            proc.kill()  # bwrap's children die with it (--die-with-parent), and with them its PID namespace
        proc.wait()
        with _live_lock:
            _live.discard(proc)
        deadline = time.monotonic() + 5
        for reader in readers:
            reader.join(max(0.0, deadline - time.monotonic()))
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    tail = b"".join(err_tail).decode("utf-8", "replace").strip().splitlines()
    return Outcome(proc.returncode, b"".join(chunks), timed_out, overflow.is_set(), tail[-1] if tail else "")
