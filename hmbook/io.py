"""Reading and writing the project's files: strict bounded reading, the ``true``/``false`` codec, safe writes.

Every data file in ``data/`` is UTF-8 CSV in which an empty cell is a missing value, whole numbers are ASCII digits
and booleans are spelled ``true`` and ``false``. These helpers are the one place that knows it:

- :func:`read_table` reads a CSV strictly and boundedly (every loader of hmbook goes through it): a missing, empty,
  binary, wrongly encoded, wrongly delimited, ragged, oversized or wrong-kind file is a one-line
  :class:`~hmbook.errors.DataError` naming the file and the problem (and the line); :func:`read_rows` is the
  same reading giving the rows with their line numbers (the audit's figures files, which may hold comments);
  :func:`read_text` is its first half, for files that are not CSV (notebooks);
- :func:`parse_int`, :func:`parse_bool` and :func:`format_bool` convert cells (ASCII digits only; ``true``/``false``
  only, both directions);
- :func:`write_files` writes a set of files all-or-nothing, keeping modes; :func:`write_outputs` adds what a
  command needs around it (a checked output folder, ``--force``, a lock against a concurrent writer);
  :func:`replace_tree` replaces a build folder hmbook made; :func:`refuse_overwrite` is the check behind every
  ``--force``.

>>> parse_bool(pd.Series(["true", "false", ""])).tolist()
[True, False, <NA>]
>>> format_bool(pd.Series([True, False, None], dtype="boolean")).tolist()
['true', 'false', '']
>>> parse_int(pd.Series(["7", "", "0040"])).tolist()
[7, <NA>, 40]
>>> parse_int(pd.Series(["7", "\\uff17"]))  # a full-width seven
Traceback (most recent call last):
...
hmbook.errors.DataError: value '７' in row 2 is not a whole number (digits 0-9 only)
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import secrets
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from io import StringIO
from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.errors import DataError

__all__ = ["TRUE", "FALSE", "BOOLS", "BOOL_TEXT", "LOCK_NAME", "LOCK_WAIT", "read_text", "read_table", "read_rows",
           "read_csv_strings", "parse_int", "parse_bool", "typed", "require_unique", "format_bool", "write_atomic",
           "write_files", "write_outputs", "output_dir", "output_lock", "replace_tree", "refuse_overwrite"]

TRUE, FALSE = "true", "false"
#: The codec itself, both ways: text to bool and bool to text.
BOOLS = {TRUE: True, FALSE: False}
BOOL_TEXT = {True: TRUE, False: FALSE}

#: The lock file a writing command holds in its output folder (removed when it finishes).
LOCK_NAME = ".hmbook.lock"
#: Seconds a writing command waits for another one writing to the same folder before giving up (the environment
#: variable ``HMBOOK_LOCK_WAIT`` overrides it, for scripts that would rather fail at once).
LOCK_WAIT = 20.0
_ROW_BYTES = 1024  # the default byte budget per row of a table (a respondents row is about 300 bytes)
_INT = re.compile(r"-?[0-9]+")  # ASCII digits only: str.isdigit and \d also accept full-width and Arabic-Indic digits
_INT_DIGITS = 18  # longer numbers are refused before conversion: int64 holds every 18-digit number
_SEPARATORS = (("semicolon", ";"), ("tab", "\t"), ("pipe", "|"))


# -------------------------------------------------------------------------------------------------------- reading
def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def read_text(path: str | Path, *, kind: str, max_bytes: int) -> str:
    """The text of a UTF-8 file, read no further than ``max_bytes`` (a byte order mark is dropped).

    Refuses a folder, a missing or unreadable file, a binary file (NUL bytes), a file in another encoding, an empty
    file and one larger than ``max_bytes``, each with a one-line :class:`DataError` naming the file. ``kind`` (say
    "a respondents table") is used in the messages.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if stat.S_ISREG(os.fstat(fh.fileno()).st_mode) and size > max_bytes:  # refused without reading
                raise DataError(f"{path}: {_size(size)} is too large for {kind} (at most {_size(max_bytes)})")
            data = fh.read(max_bytes + 1)  # a device or pipe (/dev/zero) is read no further than the budget
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a file") from None
    except FileNotFoundError:
        paths.check(path)  # a data file while hmbook has no data folder: say how to point it at one
        raise DataError(f"{path}: no such file") from None
    except OSError as err:
        raise DataError(f"{path}: cannot be read ({err.strerror or err})") from None
    if b"\x00" in data:
        raise DataError(f"{path}: not a text file (it contains NUL bytes)")
    if len(data) > max_bytes:
        raise DataError(f"{path}: too large for {kind} (more than {_size(max_bytes)})")
    if not data.strip():
        raise DataError(f"{path}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text (byte {err.start}); save the file as UTF-8") from None


def read_table(path: str | Path, *, kind: str, columns: Sequence[str], max_rows: int, extra: bool = False,
               max_bytes: int | None = None) -> pd.DataFrame:
    """A CSV file as a DataFrame of strings (empty cell = empty string), checked for shape before anything else.

    ``kind`` names what the file should be ("an assumption register"); ``columns`` are the columns it must have
    (others are refused unless ``extra``); ``max_rows`` is the most data rows such a file can have, and reading
    stops there; ``max_bytes`` (default 1 kB a row) bounds what is read at all. Every problem is a one-line
    :class:`DataError` that names the file. The rows are read by :func:`read_rows`.

    >>> read_table(paths.ASSUMPTIONS_CSV, kind="a respondents table", columns=["respondent_id"], max_rows=90)
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: .../assumptions.csv: not a respondents table (its columns are assumption_id, kind, figure_ids, ...; a respondents table has respondent_id)
    """
    header, _, rows = read_rows(path, kind=kind, columns=columns, max_rows=max_rows, extra=extra,
                                max_bytes=max_bytes)
    return pd.DataFrame(rows, columns=header, dtype=object)


def read_rows(path: str | Path, *, kind: str, columns: Sequence[str], max_rows: int, extra: bool = False,
              max_bytes: int | None = None, comments: bool = False) -> tuple[list[str], list[int], list[list[str]]]:
    """The header, each row's line number and the rows of a CSV file, checked as :func:`read_table` says.

    Blank lines are skipped, and with ``comments`` lines starting with ``#`` too; line numbers count every line
    of the file, as an editor does, so that a message ("line 7 has 9 fields") points at the right place.
    """
    path = Path(path)
    text = read_text(path, kind=kind, max_bytes=max_bytes or 65536 + max_rows * _ROW_BYTES)
    if comments:  # a comment line becomes an empty line, so that the csv reader's line numbers stay the file's
        text = "".join("\n" if line.lstrip().startswith("#") else line
                       for line in StringIO(text, newline="").readlines())  # split at \n, \r\n or \r only
    header_line = next((line for line in StringIO(text, newline="") if line.strip()), "")
    if not header_line:
        raise DataError(f"{path}: the file is empty")
    if "," not in header_line and len(columns) > 1:
        for name, sep in _SEPARATORS:
            if sep in header_line:
                raise DataError(f"{path}: columns are separated by {name}s; the file must be comma-separated")
        raise DataError(f"{path}: not a CSV file with a header row of column names")
    reader = csv.reader(StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    try:
        header = next(row for row in reader if row)
        for row in reader:
            if not row:
                continue  # a blank line
            if len(rows) == max_rows:
                raise DataError(f"{path}: more than {max_rows} rows, the most {kind} can have")
            if len(row) != len(header):
                raise DataError(f"{path}: line {reader.line_num} has {len(row)} fields but the header has "
                                f"{len(header)}")
            rows.append(row)
            numbers.append(reader.line_num)
    except csv.Error as err:
        raise DataError(f"{path}: not valid CSV at line {reader.line_num} ({err})") from None
    if len(set(header)) != len(header):
        raise DataError(f"{path}: column {next(h for h in header if header.count(h) > 1)!r} appears more than once")
    _check_columns(path, header, columns, kind, extra)
    return header, numbers, rows


def _check_columns(path: Path, header: list[str], columns: Sequence[str], kind: str, extra: bool) -> None:
    missing = [c for c in columns if c not in header]
    if missing and len(missing) * 2 > len(columns):  # most expected columns absent: another kind of file
        shown = ", ".join(header[:3]) + (", ..." if len(header) > 3 else "")
        wanted = ", ".join(columns[:3]) + (", ..." if len(columns) > 3 else "")
        raise DataError(f"{path}: not {kind} (its columns are {shown}; {kind} has {wanted})")
    if missing:
        raise DataError(f"{path}: missing column(s): {', '.join(missing)}")
    unexpected = [c for c in header if c not in columns]
    if unexpected and not extra:
        raise DataError(f"{path}: unexpected column(s): {', '.join(unexpected)}")


def read_csv_strings(path, **kwargs) -> pd.DataFrame:
    """A CSV of the project's own (or a buffer) with every cell a string; empty cells stay empty strings.

    For files hmbook wrote itself; a file a user gives is read with :func:`read_table`.
    """
    if isinstance(path, (str, os.PathLike)):
        paths.check(path)  # a data file while hmbook has no data folder: say how to point it at one
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)


def _bad(values: pd.Series, mask, what: str) -> None:
    if mask.any():
        i = int(mask.to_numpy().argmax())
        raise DataError(f"value {values.iloc[i]!r} in row {i + 1} {what}")


def parse_int(values: pd.Series, *, minimum: int | None = None, maximum: int | None = None,
              required: bool = False) -> pd.Series:
    """Whole numbers written in ASCII digits (an optional minus) as ``Int64``; empty cells are missing.

    Anything else (a full-width or Arabic-Indic digit, a ``+``, a space, a decimal point) raises
    :class:`DataError`, as does a value outside ``minimum``..``maximum``, a number too long to hold, or (when
    ``required``) an empty cell.
    """
    values = values.astype(str).reset_index(drop=True)
    empty = values.eq("")
    if required:
        _bad(values, empty, "is empty, but a value is needed")
    present = ~empty
    _bad(values, present & ~values.map(lambda v: _INT.fullmatch(v) is not None), "is not a whole number "
         "(digits 0-9 only)")
    digits = values.str.lstrip("-").str.lstrip("0").str.len()
    too_long = present & digits.gt(_INT_DIGITS)
    negative = values.str.startswith("-")
    if minimum is not None:
        _bad(values, too_long & negative, f"is below {minimum}")
    if maximum is not None:
        _bad(values, too_long & ~negative, f"is above {maximum}")
    _bad(values, too_long, "is too large a number")
    ints = pd.array([int(v) if v else None for v in values], dtype="Int64")
    out = pd.Series(ints)
    if minimum is not None:
        _bad(values, out.lt(minimum).fillna(False), f"is below {minimum}")
    if maximum is not None:
        _bad(values, out.gt(maximum).fillna(False), f"is above {maximum}")
    return out


def parse_bool(values: pd.Series, *, required: bool = False) -> pd.Series:
    """``true``/``false``/empty strings as a nullable boolean Series. Any other value (``TRUE``, ``1``, a space)
    raises :class:`DataError`, as does an empty cell when ``required``."""
    values = values.astype(str).reset_index(drop=True)
    if required:
        _bad(values, values.eq(""), "is empty, but a value is needed")
    _bad(values, ~values.isin([TRUE, FALSE, ""]), "is not 'true' or 'false'")
    return values.map({**BOOLS, "": None}).astype("boolean")


def typed(path: str | Path, df: pd.DataFrame, column: str, parse, **limits) -> pd.Series:
    """``parse(df[column], **limits)`` (:func:`parse_int` or :func:`parse_bool`), its error naming file and column."""
    try:
        return parse(df[column], **limits)
    except DataError as err:
        raise DataError(f"{path}: column {column}: {err}") from None


def require_unique(path: str | Path, df: pd.DataFrame, column: str) -> None:
    """Refuse an empty or repeated identifier in ``df[column]``, naming the file."""
    ids = df[column].reset_index(drop=True)
    if ids.eq("").any():
        raise DataError(f"{path}: row {int(ids.eq('').to_numpy().argmax()) + 1} has no {column}")
    dup = ids[ids.duplicated()]
    if len(dup):
        raise DataError(f"{path}: {column} {dup.iloc[0]!r} appears more than once")


def format_bool(values: pd.Series) -> pd.Series:
    """Booleans as ``true``/``false`` strings, missing as an empty string (the inverse of :func:`parse_bool`)."""
    return values.map(BOOL_TEXT).astype(object).where(values.notna(), "")


# -------------------------------------------------------------------------------------------------------- writing
def _default_mode(base: int = 0o666) -> int:
    """The mode a plain write gives a new file (``base`` 0o777 for a folder): ``base`` less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
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


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_files(files: Mapping[str | Path, bytes]) -> None:
    """Write every file of ``files`` ({path: bytes}) or none of them.

    Each file is first written in full to a temporary file beside its target; then, with interrupts held back,
    each target is replaced by a rename, keeping a hard link to the old file until all renames have succeeded, so
    that a failure part-way puts the old files back. Nothing temporary survives an interrupt (SIGINT, or SIGTERM
    once :mod:`hmbook.cli` has turned it into an exception). A replaced file keeps its permission bits; a new file
    gets the mode a plain write would give (0666 less the umask) rather than the 0600 of a temporary file.
    """
    staged: dict[Path, str] = {}
    try:
        for target, data in files.items():
            target = Path(target)
            try:
                mode = stat.S_IMODE(target.stat().st_mode)
            except FileNotFoundError:
                mode = _default_mode()
            with _signals_deferred():  # the name is recorded before an interrupt can land
                fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
                staged[target] = tmp
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
        with _signals_deferred():
            _swap(staged)
    finally:
        with _signals_deferred():
            for tmp in staged.values():
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)


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


def _protected() -> dict[Path, str]:
    """Folders no command writes into: the book's and the package's sources, git, and Jupyter Book's outputs."""
    root, build = paths.ROOT, paths.ROOT / "_build"
    return {root / "book": "the book's sources", root / "hmbook": "the hmbook package", root / ".git": "git's store",
            build / "html": "the built site", build / "jupyter_execute": "the build's executed notebooks",
            build / ".jupyter_cache": "the build's execution cache"}


def output_dir(text: str | Path, option: str = "--out", *, whole: bool = False) -> Path:
    """The folder a command may write into, checked before anything is written.

    Refuses an empty name (which would silently mean the current folder), something that is not a folder, and a
    folder that is or is inside the book's sources, the package, ``.git`` or Jupyter Book's site and caches. A
    folder to be replaced ``whole`` may also not hold any of those, nor the project itself.

    >>> output_dir(paths.ROOT / "book" / "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: .../book/x: is inside the book's sources (book/); choose another folder
    """
    if not str(text).strip():
        raise DataError(f"{option} is empty; name a folder (. for the current one)")
    out = Path(text)
    if out.exists() and not out.is_dir():
        raise DataError(f"{out}: exists and is not a directory")
    real = out.resolve()
    for place, what in _protected().items():
        if real.is_relative_to(place):
            where = "is" if real == place else "is inside"
            raise DataError(f"{out}: {where} {what} ({place.relative_to(paths.ROOT)}/); choose another folder")
        if whole and place.is_relative_to(real):
            raise DataError(f"{out}: holds {what} ({place.relative_to(paths.ROOT)}/), so it cannot be replaced "
                            "as a whole; choose another folder")
    if whole and paths.ROOT.is_relative_to(real):
        raise DataError(f"{out}: holds the whole project, so it cannot be replaced; choose another folder")
    return out


@contextlib.contextmanager
def output_lock(folder: str | Path, wait: float | None = None) -> Iterator[None]:
    """Hold the folder's lock: a second writer waits up to ``wait`` seconds (default :data:`LOCK_WAIT`), then
    fails with a one-line :class:`DataError`. The lock file is removed before the lock is let go.

    The lock is ``filelock.FileLock`` (``flock`` on Unix): the kernel lets it go if the process dies, so a killed
    writer never blocks the next one. Removing the file while still holding it is safe with filelock, which
    re-opens the path when the file it locked has been unlinked.
    """
    import filelock  # imported here: only commands that write need it

    if wait is None:
        try:
            wait = float(os.environ.get("HMBOOK_LOCK_WAIT", LOCK_WAIT))
        except ValueError:
            raise DataError(f"HMBOOK_LOCK_WAIT must be a number of seconds, not {os.environ['HMBOOK_LOCK_WAIT']!r}") \
                from None
    lock_path = Path(folder) / LOCK_NAME
    lock = filelock.FileLock(lock_path, timeout=wait)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise DataError(f"{folder}: another hmbook command is writing to this folder (it holds {lock_path}); "
                        "try again when it has finished") from None
    try:
        yield
    finally:
        with _signals_deferred():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock_path)  # while still held: a waiting writer sees the unlinked file and opens a new one
            lock.release()


def write_outputs(out: str | Path, files: Mapping[str | Path, bytes], *, force: bool,
                  lock_wait: float | None = None) -> list[Path]:
    """Write ``files`` ({path relative to ``out``: bytes}) into the folder ``out``: all of them or none.

    In order: ``out`` is checked (:func:`output_dir`); every target is checked against ``--force``
    (:func:`refuse_overwrite`) before anything is created; the folders are made; the folder's lock is taken and
    the targets checked again under it (a concurrent writer may have finished meanwhile); then
    :func:`write_files`. On failure, folders this call created are removed again if empty.
    """
    out = output_dir(out)
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


def replace_tree(out: str | Path, files: Mapping[str | Path, bytes], marker: str) -> Path:
    """Replace the folder ``out`` with a new one holding exactly ``files`` ({relative path: bytes}).

    Only a folder hmbook made may be replaced: the new folder gets a file named ``marker``, and an existing
    non-empty ``out`` without it is refused, so a person's folder is never deleted. The new tree is built beside
    ``out`` and swapped in by two renames with interrupts held back; the old tree is deleted only after that.
    """
    out = output_dir(out, whole=True)

    def refuse_unmarked():
        if out.exists() and any(out.iterdir()) and not (out / marker).is_file():
            raise DataError(f"{out}: exists and was not made by this command (no {marker}); remove it yourself or "
                            "choose another folder")

    refuse_unmarked()
    out.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out.parent):
        refuse_unmarked()
        with _signals_deferred():  # the name is recorded before an interrupt can land
            new = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
        old = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
        try:
            os.chmod(new, _default_mode(0o777))  # mkdtemp makes it 0700, a plain mkdir would not
            for rel, data in {**files, marker: b"Made by hmbook; replaced as a whole when remade.\n"}.items():
                target = new / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            with _signals_deferred():
                if out.exists():
                    os.rename(out, old)
                try:
                    os.rename(new, out)
                except BaseException:
                    if old.exists():
                        os.rename(old, out)
                    raise
        finally:
            with _signals_deferred():
                shutil.rmtree(new, ignore_errors=True)
                shutil.rmtree(old, ignore_errors=True)
    return out
