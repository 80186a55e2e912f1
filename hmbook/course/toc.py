"""The book's table of contents (``_toc.yml``): the one reader of it, for the editions builder, tests and benchmarks.

>>> files()[:2]
['book/intro', 'book/study_design']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hmbook import paths
from hmbook.errors import DataError
from hmbook.files import reading

__all__ = ["MAX_BYTES", "read_yaml_mapping", "load", "files", "without", "chapter_numbers"]

#: The most a book's YAML file (``_toc.yml``, ``_config.yml``) may hold: the book's are a few kB.
MAX_BYTES = 1_000_000


def read_yaml_mapping(path: str | Path, kind: str) -> dict[str, Any]:
    """A YAML file that must hold a mapping (``_toc.yml``, ``_config.yml``), read bounded (a regular UTF-8 file
    of at most :data:`MAX_BYTES`, never a pipe or a device); anything else is a one-line :class:`DataError`."""
    text = reading.read_text(path, kind=kind, max_bytes=MAX_BYTES)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        where = getattr(err, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        raise DataError(f"{path}: not valid YAML{at} ({getattr(err, 'problem', None) or type(err).__name__})") \
            from None
    if not isinstance(data, dict):
        raise DataError(f"{path}: {kind} must be a YAML mapping (key: value lines), not {type(data).__name__}")
    return data


def load(root: str | Path | None = None) -> dict:
    """``_toc.yml`` under ``root`` (default: the checkout, :data:`hmbook.paths.ROOT` when called) as a dict;
    refused with one line if it is not a readable mapping whose parts and chapters name their files."""
    path = Path(paths.ROOT if root is None else root) / "_toc.yml"
    toc = read_yaml_mapping(path, "a table of contents (_toc.yml)")
    parts = toc.get("parts", [])
    if not isinstance(parts, list) or not all(
            isinstance(part, dict) and isinstance(part.get("chapters", []), list)
            and all(isinstance(c, dict) and isinstance(c.get("file"), str) for c in part.get("chapters", []))
            for part in parts):
        raise DataError(f"{path}: its parts must be a list, each with a list of chapters that name a file "
                        "(parts: [{caption: ..., chapters: [{file: book/NAME}]}])")
    return toc


def files(toc: dict | None = None) -> list[str]:
    """Every document the table of contents lists (root, chapters and sections), in reading order, once each."""
    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    yield node[key]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)
    return list(dict.fromkeys(walk(load() if toc is None else toc)))


def without(toc: dict, drop: tuple[str, ...]) -> dict:
    """A copy of ``toc`` with the entries for the documents in ``drop`` removed (and parts left empty dropped)."""
    def walk(node):
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            kept = [walk(item) for item in node if not (isinstance(item, dict) and item.get("file") in drop)]
            return [item for item in kept if not (isinstance(item, dict) and item.get("chapters") == [])]
        return node
    return walk(toc)


def chapter_numbers(toc: dict | None = None) -> dict[str, int]:
    """Chapter numbers as the site shows them: Sphinx numbers the chapters of each numbered part from 1.

    >>> chapter_numbers()["study_design"]
    1
    """
    numbers = {}
    for part in (load() if toc is None else toc).get("parts", []):
        if part.get("numbered"):
            for i, chapter in enumerate(part.get("chapters", []), start=1):
                numbers[Path(chapter["file"]).stem] = i
    return numbers
