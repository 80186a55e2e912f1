"""Notebooks that read well in JupyterLab: MyST the site renders, turned into plain Markdown a notebook shows.

The book's notebooks are written for Jupyter Book: numbers are pasted into the prose with ``{glue:text}`` roles,
tables and figures with ``{glue:figure}`` directives, glossary terms are ``{term}`` roles and exercises are
sphinx-exercise directives. JupyterLab shows all of these as raw text (no MyST extension for JupyterLab has glue,
and ``jupyterlab-myst`` 2.7.0 does not load in JupyterLab 4.6). The hand-outs and the lab copy of the book are
therefore made readable here:

- :func:`glue_store` collects every value a notebook glued, from its stored outputs (the book's notebooks are
  committed executed, so the values are the ones the site shows, computed by code);
- :func:`readable_markdown` rewrites one markdown text: glued text and figures pasted in (HTML tables inline,
  images as cell attachments, captions numbered per chapter as on the site), roles reduced to their text, and
  directives to plain Markdown (admonitions as quotations, exercise markers as headings, options dropped);
- :func:`readable_notebook` applies it to every markdown cell and folds away the cells the site hides;

This is a small, purpose-made rewriter rather than a full MyST renderer: the book uses a handful of roles and
directives, each rewritten below, and anything else degrades to its text (never to raw MyST syntax).

>>> store = {"n": {"text/plain": "90"}, "share": {"text/plain": "0.5123"}}
>>> readable_markdown("Of {glue:text}`n` people, {term}`users <User>`: {glue:text}`share:.1%`.", store)[0]
'Of 90 people, users: 51.2%.'
>>> readable_markdown(":::{note}\\n:class: tip\\nRead the {term}`Seed` entry.\\n:::\\n", {})[0]
'> **Note**\\n>\\n> Read the Seed entry.\\n'
"""

from __future__ import annotations

import base64
import copy
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from hmbook.course.myst import OPEN, pieces
from hmbook.errors import DataError

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ['glue_store', 'figure_numbers', 'readable_markdown', 'readable_notebook', 'fold_hidden']


_GLUE_PREFIX = "application/papermill.record/"


_ROLE = re.compile(r"\{(?P<name>[\w:-]+)\}`(?P<body>[^`]*)`")


_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


_OPTION = re.compile(r"^:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")


_ADMONITIONS = {"note", "warning", "tip", "important", "caution", "attention", "hint", "danger", "error",
                "seealso", "admonition", "dropdown", "margin", "sidebar", "topic"}


def glue_store(nb: NotebookNode) -> dict[str, dict]:
    """Every value ``nb`` glued, by name: its MIME bundle as stored in the notebook's outputs.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
    ...     "display_data", data={_GLUE_PREFIX + "text/plain": "90"}, metadata={"scrapbook": {"name": "n"}})])])
    >>> glue_store(nb)
    {'n': {'text/plain': '90'}}
    """
    store: dict[str, dict] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                store[name] = {k.removeprefix(_GLUE_PREFIX): v for k, v in out.get("data", {}).items()}
    return store


def figure_numbers(nb: NotebookNode, chapter: int | None) -> dict[str, str]:
    """"Table 3.1", "Figure 3.2" ... for every named figure directive, in order, per kind, as the site numbers them.

    A name starting ``tbl-`` is a table, anything else a figure; ``chapter`` None numbers within the notebook.
    """
    counts = {"Table": 0, "Figure": 0}
    numbers: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for name in re.findall(r"^:name:\s*(\S+)", cell.source, re.M):
            kind = "Table" if name.startswith("tbl-") else "Figure"
            counts[kind] += 1
            numbers[name] = f"{kind} {'' if chapter is None else f'{chapter}.'}{counts[kind]}"
    return numbers


def _format_glue(store: dict, body: str) -> str:
    from myst_nb.core.variables import format_plain_text  # the site's own formatting of glued text

    key, _, spec = body.partition(":")
    key = key.split("::")[-1].strip()
    if key not in store or "text/plain" not in store[key]:
        raise DataError(f"no glued value {key!r} in the notebook's outputs (run the notebook first)")
    return format_plain_text(_text(store[key]["text/plain"]), spec)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


def _roles(text: str, store: dict, numbers: dict, titles: dict) -> str:
    def one(m):
        name, body = m["name"], m["body"]
        if name.startswith("glue"):
            return _format_glue(store, body)
        target = _TARGET.match(body)
        if target:  # `text <target>`: the reader sees the text
            return target["text"]
        if name in ("numref", "ref", "numref:") or name.startswith("numref"):
            return numbers.get(body, body.replace("-", " "))
        if name == "doc":
            return titles.get(Path(body).stem, Path(body).stem.replace("_", " "))
        if name.startswith("cite"):
            return f"[{body}]"
        if name == "math":
            return f"${body}$"
        return body

    return _ROLE.sub(one, text)


def _directive(block: str) -> tuple[str, str, dict[str, str], str]:
    """(name, argument, options, body) of one directive block."""
    lines = block.splitlines()
    m = OPEN.match(lines[0].strip())
    assert m is not None  # pieces() made the block from a line OPEN matched
    inner = lines[1:-1]
    options: dict[str, str] = {}
    if inner and inner[0].strip() == "---":  # YAML-style options
        end = next((i for i in range(1, len(inner)) if inner[i].strip() == "---"), 0)
        for line in inner[1:end]:
            key, _, value = line.partition(":")
            options[key.strip()] = value.strip()
        inner = inner[end + 1:]
    while inner and (o := _OPTION.match(inner[0].strip())):
        options[o["key"]] = o["value"]
        inner = inner[1:]
    return m["name"], m["arg"].strip(), options, "\n".join(inner).strip("\n")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def _figure(key: str, options: dict, caption: str, store: dict, numbers: dict, attachments: dict) -> str:
    if key not in store:
        raise DataError(f"no glued figure {key!r} in the notebook's outputs (run the notebook first)")
    bundle = store[key]
    label = numbers.get(options.get("name", ""), "")
    caption = f"**{label}.** {caption}" if label else caption
    if "text/html" in bundle:  # a table: the HTML pandas wrote, which JupyterLab renders in Markdown
        shown = re.sub(r"<style[^>]*>.*?</style>", "", _text(bundle["text/html"]), flags=re.S).strip()
        return f"{caption}\n\n{shown}\n" if label.startswith("Table") else f"{shown}\n\n{caption}\n"
    for mime in ("image/png", "image/jpeg", "image/svg+xml"):
        if mime in bundle:
            name = f"{key}.{mime.split('/')[1].split('+')[0]}"
            data = _text(bundle[mime])
            if mime == "image/svg+xml":
                data = base64.b64encode(data.encode("utf-8")).decode("ascii")
            attachments[name] = {mime: data.replace("\n", "")}
            alt = " ".join(options.get("alt", caption).split()).replace("[", "(").replace("]", ")")
            return f"![{alt}](attachment:{name})\n\n{caption}\n"
    return f"{html.escape(_text(bundle.get('text/plain', '')))}\n\n{caption}\n"


def _convert_directive(name, arg, options, body, store, numbers, titles, attachments) -> str:
    options_of = options

    def text(t):
        return _roles(t, store, numbers, titles)

    if name.startswith("glue"):
        return _figure(arg, options, text(body), store, numbers, attachments)
    if name == "exercise-start" or name == "exercise":
        title = f": {text(arg)}" if arg else ""
        return f"### Exercise{title}\n\n{text(body)}".rstrip() + "\n"
    if name in ("exercise-end", "solution-end"):
        return ""
    if name in ("solution-start", "solution"):
        return f"#### Solution\n\n{text(body)}".rstrip() + "\n"
    if name in _ADMONITIONS:
        title = text(arg) if arg else name.capitalize()
        return _quote(f"**{title}**\n\n{text(body)}".rstrip()) + "\n"
    if name == "figure":
        alt = options.get("alt", text(body)).replace("[", "(").replace("]", ")")
        label = numbers.get(options.get("name", ""), "")
        caption = f"**{label}.** {text(body)}" if label else text(body)
        return f"![{' '.join(alt.split())}]({arg})\n\n{caption}\n"
    if name == "self-check":  # the site's quiz: here the options, with the answer folded away
        options = [line[2:] for line in body.splitlines() if line.startswith("- ")]
        answer = options[int(options_of.get("answer", 0)) - 1] if options_of.get("answer", "").isdigit() and \
            0 < int(options_of["answer"]) <= len(options) else ""
        reveal = f"\n\n<details><summary>Answer</summary>\n\n{text(answer)}. {text(options_of.get('explain', ''))}" \
                 f"\n\n</details>" if answer else ""
        return f"**Self-check: {text(arg)}**\n\n{text(body)}{reveal}\n"
    if name == "math":
        return f"$$\n{body}\n$$\n"
    if name in ("code", "code-block", "sourcecode"):
        return f"```{arg}\n{body}\n```\n"
    heading = f"**{text(arg)}**\n\n" if arg else ""
    return f"{heading}{text(body)}".rstrip() + "\n"


def readable_markdown(text: str, store: dict, numbers: dict | None = None, titles: dict | None = None,
                      where: str = "markdown") -> tuple[str, dict]:
    """``text`` with MyST roles and directives rewritten as plain Markdown; returns (text, cell attachments)."""
    attachments: dict[str, dict[str, str]] = {}
    out: list[str] = []
    numbers, titles = numbers or {}, titles or {}
    for piece in pieces(text, where):
        if piece.directive is None:
            plain = re.sub(r"^\([\w:-]+\)=[ \t]*\n?", "", piece.text, flags=re.M)  # (label)= targets
            plain = re.sub(r"^%.*\n?", "", plain, flags=re.M)  # MyST comments
            out.append(_roles(plain, store, numbers, titles))
        else:
            converted = _convert_directive(*_directive(piece.text), store, numbers, titles, attachments)
            out.append(converted)
    joined = re.sub(r"\n{3,}", "\n\n", "".join(out))
    return joined, attachments


def fold_hidden(cell: NotebookNode) -> None:
    """Fold away in JupyterLab what the site hides: cells tagged remove-cell, remove-input or remove-output."""
    tags = set(cell.metadata.get("tags", []))
    jupyter: dict[str, bool] = {}
    if tags & {"remove-cell", "remove-input", "hide-input", "hide-cell"}:
        jupyter["source_hidden"] = True
    if tags & {"remove-cell", "remove-output", "hide-output", "hide-cell"}:
        jupyter["outputs_hidden"] = True
    if jupyter:
        cell.metadata.setdefault("jupyter", {}).update(jupyter)


def readable_notebook(nb: NotebookNode, *, chapter: int | None = None, titles: dict | None = None,
                      store: dict | None = None, where: str = "notebook") -> NotebookNode:
    """A copy of ``nb`` that reads well in JupyterLab (see the module docstring); outputs are kept.

    ``store`` defaults to the notebook's own glued values; ``chapter`` numbers its tables and figures.
    """
    out = copy.deepcopy(nb)
    store = glue_store(nb) if store is None else store
    numbers = figure_numbers(nb, chapter)
    for index, cell in enumerate(out.cells):
        if cell.cell_type == "markdown":
            text, attachments = readable_markdown(cell.source, store, numbers, titles, f"{where} cell {index}")
            cell.source = text.strip("\n")
            if attachments:
                cell.attachments = {**cell.get("attachments", {}), **attachments}
        elif cell.cell_type == "code":
            fold_hidden(cell)
    out.cells = [c for c in out.cells if c.cell_type != "markdown" or c.source.strip()]
    return out
