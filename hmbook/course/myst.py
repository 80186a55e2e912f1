"""The MyST reader the course tooling shares: a markdown cell split into plain text and whole directive blocks.

A directive opens with a fence of three or more backticks or colons and ``{name}``, and closes with a fence of the
same character at least as long. :func:`pieces` is all the course needs from MyST: the student edition, the lab
copies and the exercise parser each walk these pieces.

>>> [(p.directive, p.text) for p in pieces("Intro\\n```{note}\\nHi\\n```\\nEnd\\n", "page")]
[(None, 'Intro\\n'), ('note', '```{note}\\nHi\\n```\\n'), (None, 'End\\n')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hmbook.errors import DataError

__all__ = ['OPEN', 'LABEL', 'ExerciseFormatError', 'Piece', 'pieces']


# An opening fence of a MyST directive: backticks or colons, at least three, then {name}, then arguments.
OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<arg>.*)$")


LABEL = re.compile(r"^:label:\s*(\S+)", re.M)


class ExerciseFormatError(DataError):
    """The exercise convention is broken (an unclosed solution, a stray end directive, ...)."""


@dataclass
class Piece:
    """A stretch of a markdown cell: plain text, or one whole directive block."""

    text: str
    directive: str | None = None


def pieces(text: str, where: str) -> list[Piece]:
    """Split markdown into plain text and top-level directive blocks (closing fence matched by kind and length)."""
    lines = text.splitlines(keepends=True)
    out, plain, i = [], [], 0
    while i < len(lines):
        m = OPEN.match(lines[i].strip())
        if not m:
            plain.append(lines[i])
            i += 1
            continue
        fence = m["fence"]
        closer = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        j = i + 1
        while j < len(lines) and not closer.match(lines[j].strip()):
            j += 1
        if j == len(lines):
            raise ExerciseFormatError(f"{where}: the {{{m['name']}}} directive opened here is never closed")
        if plain:
            out.append(Piece("".join(plain)))
            plain = []
        out.append(Piece("".join(lines[i:j + 1]), m["name"]))
        i = j + 1
    if plain:
        out.append(Piece("".join(plain)))
    return out
