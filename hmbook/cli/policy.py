"""Where a command may write: the project's folder policy, checked before a command writes anything."""

from __future__ import annotations

from pathlib import Path

from hmbook import paths
from hmbook.errors import DataError

__all__ = ["output_dir"]


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
