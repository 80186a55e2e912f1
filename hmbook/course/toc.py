"""The book's table of contents (``_toc.yml``): the one reader of it, for the editions builder, tests and benchmarks.

>>> files()[:2]
['book/intro', 'book/study_design']
"""

from __future__ import annotations

from pathlib import Path

import yaml

from hmbook import paths

__all__ = ["load", "files", "without", "chapter_numbers"]


def load(root: str | Path | None = None) -> dict:
    """``_toc.yml`` under ``root`` (default: the checkout, :data:`hmbook.paths.ROOT` when called) as a dict."""
    return yaml.safe_load((Path(paths.ROOT if root is None else root) / "_toc.yml").read_text(encoding="utf-8"))


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
