"""Writing files all-or-nothing, keeping their modes, and never over what a person changed unless told to.

:func:`write_files` writes a set of files all-or-nothing; :func:`write_outputs` adds what a command needs around
it (``--force`` and a lock against a concurrent writer); :func:`replace_tree` replaces a build folder hmbook made;
:func:`refuse_overwrite` is the check behind every ``--force``. Which folders a command may write into at all is
the command line's policy (:mod:`hmbook.cli.policy`), checked before any of these is called.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from hmbook.errors import DataError
from hmbook.files.interrupts import signals_deferred
from hmbook.files.locks import output_lock

__all__ = ["Files", "write_files", "write_atomic", "write_new", "refuse_overwrite", "write_outputs", "replace_tree"]

#: Files to write, {path: bytes}: paths as str, as Path, or both (a Mapping's key type is invariant, so a
#: ``dict[str, bytes]`` is not a ``Mapping[str | Path, bytes]``).
Files = Mapping[str, bytes] | Mapping[Path, bytes] | Mapping[str | Path, bytes]


def _default_mode(base: int = 0o666) -> int:
    """The mode a plain write gives a new file (``base`` 0o777 for a folder): ``base`` less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_files(files: Files) -> None:
    """Write every file of ``files`` ({path: bytes}) or none of them.

    Each file is first written in full to a temporary file beside its target; then, with interrupts held back,
    each target is replaced by a rename, keeping a hard link to the old file until all renames have succeeded, so
    that a failure part-way puts the old files back. Nothing temporary survives an interrupt (SIGINT, or SIGTERM
    once :mod:`hmbook.cli` has turned it into an exception). A replaced file keeps its permission bits; a new file
    gets the mode a plain write would give (0666 less the umask) rather than the 0600 of a temporary file. A
    replaced file also keeps its owner and group where this process may give them (:func:`_keep_owner`).
    """
    staged: dict[Path, str] = {}
    try:
        for target, data in files.items():
            target = Path(target)
            try:
                before = target.stat()
                mode, owner = stat.S_IMODE(before.st_mode), (before.st_uid, before.st_gid)
            except FileNotFoundError:
                mode, owner = _default_mode(), None
            with signals_deferred():  # the name is recorded before an interrupt can land
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
                staged[target] = tmp
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if owner is not None:
                _keep_owner(tmp, *owner)
            os.chmod(tmp, mode)  # after chown, which may clear the set-id bits
        with signals_deferred():
            _swap(staged)
    finally:
        with signals_deferred():
            for tmp in staged.values():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)


def _keep_owner(path: str, uid: int, gid: int) -> None:
    """Give ``path`` the owner and group of the file it replaces, as far as this process may: root keeps both;
    another user keeps the group if it is one of theirs (a shared 0660 file stays shared), and otherwise the new
    file is theirs, with their group, as any file they write is."""
    try:
        os.chown(path, uid, gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):
            os.chown(path, -1, gid)


def _swap(staged: dict[Path, str]) -> None:
    """Rename each staged file over its target; on any failure, put back every target already replaced."""
    done: list[tuple[Path, str | None]] = []
    backups: list[str] = []
    try:
        for target, tmp in staged.items():
            backup = None
            if target.is_file():
                backup = str(target.parent / f".{target.name}.{secrets.token_hex(4)}.old")
                os.link(target, backup)
                backups.append(backup)
            os.replace(tmp, target)
            done.append((target, backup))
        for folder in {t.parent for t in staged}:
            _fsync_dir(folder)
    except BaseException:
        for target, backup in reversed(done):
            if backup is None:
                os.unlink(target)
            else:
                os.replace(backup, target)
        raise
    finally:
        for backup in backups:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(backup)


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write one file all-or-nothing (see :func:`write_files`), keeping the mode of the file it replaces."""
    write_files({path: data})


def write_new(path: str | Path, data: bytes, what: str) -> None:
    """Write ``what`` (say "the template") to a new file ``path``, all-or-nothing; never over anything there."""
    path = Path(path)
    if path.exists() or path.is_symlink():  # a symlink, even to nothing, is something a person made: kept
        raise DataError(f"{path}: already exists; {what} is only written to a new file")
    if not path.parent.is_dir():
        raise DataError(f"{path.parent}: no such directory")
    write_atomic(path, data)


def refuse_overwrite(path: str | Path, data: bytes, force: bool) -> None:
    """Raise :class:`DataError` if ``path`` exists with contents other than ``data`` and ``force`` is not set.

    The same contents are not a clash: a command that regenerates a file byte for byte may always run. Something
    at ``path`` that is not a file is refused even with ``force``.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        raise DataError(f"{path}: exists and is not a file")
    if force or not path.exists():
        return
    if path.stat().st_size != len(data) or path.read_bytes() != data:
        raise DataError(f"{path}: exists with different contents; pass --force to replace it")


def write_outputs(out: str | Path, files: Files, *, force: bool,
                  lock_wait: float | None = None) -> list[Path]:
    """Write ``files`` ({path relative to ``out``: bytes}) into the folder ``out``: all of them or none.

    ``out`` is a folder the caller has already cleared (the command line checks it with
    :func:`hmbook.cli.policy.output_dir`). In order: every target is checked against ``--force``
    (:func:`refuse_overwrite`) before anything is created; the folders are made; the folder's lock is taken and
    the targets checked again under it (a concurrent writer may have finished meanwhile); then
    :func:`write_files`. On failure, folders this call created are removed again if empty.
    """
    out = Path(out)
    targets = {out / rel: data for rel, data in files.items()}
    for target, data in targets.items():
        refuse_overwrite(target, data, force)
    created = sorted({d for folder in {out, *(t.parent for t in targets)} for d in (folder, *folder.parents)
                      if not d.exists()}, key=lambda d: len(d.parts))  # parents first
    try:
        for folder in created:
            folder.mkdir(parents=True, exist_ok=True)
        with output_lock(out, lock_wait):
            for target, data in targets.items():
                refuse_overwrite(target, data, force)
            write_files(targets)
    except BaseException:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty: never anything a person put there meanwhile
        raise
    return list(targets)


def _keep_time_if_unchanged(old: Path, new: Path, data: bytes) -> None:
    """Give ``new`` the times of ``old`` if ``old`` is a regular file holding exactly ``data``."""
    try:
        before = old.lstat()
        if not stat.S_ISREG(before.st_mode) or before.st_size != len(data) or old.read_bytes() != data:
            return
    except OSError:  # no old file (or not ours to read): the new one keeps its own time
        return
    os.utime(new, ns=(before.st_atime_ns, before.st_mtime_ns))


def replace_tree(out: str | Path, files: Files, marker: str) -> Path:
    """Replace the folder ``out`` with a new one holding exactly ``files`` ({relative path: bytes}).

    Only a folder hmbook made may be replaced: the new folder gets a file named ``marker``, and an existing
    non-empty ``out`` without it is refused, so a person's folder is never deleted. The new tree is built beside
    ``out`` and swapped in by two renames with interrupts held back; the old tree is deleted only after that. A file
    whose bytes are unchanged keeps its modification time, so a build that compares times (Sphinx, on the student
    edition's sources) redoes only what changed.
    """
    out = Path(out)

    def refuse_unmarked() -> None:
        if out.exists() and any(out.iterdir()) and not (out / marker).is_file():
            raise DataError(f"{out}: exists and was not made by this command (no {marker}); remove it yourself or "
                            "choose another folder")

    refuse_unmarked()
    out.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out.parent):
        refuse_unmarked()
        with signals_deferred():  # the name is recorded before an interrupt can land
            new = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
        old = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
        try:
            os.chmod(new, _default_mode(0o777))  # mkdtemp makes it 0700, a plain mkdir would not
            tree: dict[str | Path, bytes] = {rel: data for rel, data in files.items()}
            tree[marker] = b"Made by hmbook; replaced as a whole when remade.\n"
            for rel, data in tree.items():
                target = new / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                _keep_time_if_unchanged(out / rel, target, data)
            with signals_deferred():
                if out.exists():
                    os.rename(out, old)
                try:
                    os.rename(new, out)
                except BaseException:
                    if old.exists():
                        os.rename(old, out)
                    raise
        finally:
            with signals_deferred():
                shutil.rmtree(new, ignore_errors=True)
                shutil.rmtree(old, ignore_errors=True)
    return out
