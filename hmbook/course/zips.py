"""Autograder zips made byte-stable (fixed timestamps, sorted members) and compared by their members.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

__all__ = ['stable_zip', 'same_zip']


def stable_zip(data: bytes) -> bytes:
    """The autograder zip with fixed timestamps and sorted members, so that the same source gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if name == "run_autograder" else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def same_zip(path: Path, data: bytes) -> bool:
    try:
        with zipfile.ZipFile(path) as old, zipfile.ZipFile(io.BytesIO(data)) as new:
            return sorted(old.namelist()) == sorted(new.namelist()) and all(
                old.read(n) == new.read(n) for n in new.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
