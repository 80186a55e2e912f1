"""The code's own checks, as `make test` runs them: ruff, mypy, and full type annotations on hmbook's public API.

- ``ruff check .`` (its configuration in ``pyproject.toml``) passes on the whole checkout.
- ``mypy`` (``[tool.mypy]`` in ``pyproject.toml``: the package) finds no error.
- Every public function of hmbook (a name without a leading underscore, at a module's top level or a method of a
  public class) annotates every parameter but ``self``/``cls``, and its return; nested functions are exempt. The
  check reads the syntax tree, and is shown to fail on a module that breaks the rule.

Both tools are the venv's, run from the project root; neither leaves a cache in the checkout.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from hmbook import paths

ROOT = paths.ROOT
BIN = Path(sys.executable).parent
Function = ast.FunctionDef | ast.AsyncFunctionDef


def test_ruff_passes():
    proc = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "."], cwd=ROOT, check=False,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_passes(tmp_path):
    proc = subprocess.run([str(BIN / "mypy"), "--cache-dir", str(tmp_path / "mypy_cache")], cwd=ROOT, check=False,
                          capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "Success" in proc.stdout, out


def _public_functions(body: list[ast.stmt], in_class: bool) -> Iterator[tuple[Function, bool]]:
    """(function, is it a method?) for the public functions defined directly in ``body`` (a module's or a public
    class's), including those under a top-level ``if``/``try``/``with``; public classes are entered, functions
    are not (a nested function is exempt)."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not node.name.startswith("_"):
                yield node, in_class
        elif isinstance(node, ast.ClassDef):
            if not node.name.startswith("_"):
                yield from _public_functions(node.body, True)
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for block in ("body", "orelse", "finalbody"):
                yield from _public_functions(getattr(node, block, []), in_class)
            for handler in getattr(node, "handlers", []):
                yield from _public_functions(handler.body, in_class)


def _is_static(function: Function) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list)


def unannotated(package: Path) -> list[str]:
    """``"path:line name"`` of every public function under ``package`` (a folder of ``.py`` files) that lacks an
    annotation on a parameter (``self``/``cls`` of a method excepted) or on its return; paths relative to the
    folder holding ``package``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for function, is_method in _public_functions(tree.body, False):
            args = function.args
            params = [*args.posonlyargs, *args.args]
            if is_method and not _is_static(function) and params and params[0].arg in ("self", "cls"):
                params = params[1:]
            params += [*args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a is not None)]
            if function.returns is None or any(p.annotation is None for p in params):
                found.append(f"{path.relative_to(package.parent).as_posix()}:{function.lineno} {function.name}")
    return found


def test_every_public_function_is_annotated():
    missing = unannotated(ROOT / "hmbook")
    assert not missing, "public functions without full annotations:\n" + "\n".join(missing)


def test_the_annotation_check_finds_what_is_missing(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "mod.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "\n"
        "def complete(a: int, *args: int, b: str = '', **kwargs: object) -> None:\n"  # 3
        "    def nested(x):\n"  # exempt
        "        return x\n"
        "\n"
        "def no_return(a: int):\n"  # 7
        "    pass\n"
        "\n"
        "def bare(a) -> int:\n"  # 10
        "    return a\n"
        "\n"
        "def keyword_only(*, b) -> None: ...\n"  # 13
        "def star_args(*args) -> None: ...\n"  # 14
        "def star_kwargs(**kwargs) -> None: ...\n"  # 15
        "async def later(a): ...\n"  # 16
        "def _private(a): ...\n"  # exempt
        "\n"
        "class Public:\n"
        "    def method(self, a: int) -> int: ...\n"  # self exempt: fine
        "    @classmethod\n"
        "    def make(cls) -> 'Public': ...\n"  # cls exempt: fine
        "    @staticmethod\n"
        "    def static(self) -> None: ...\n"  # 24: a static method's first parameter is no self
        "    def untyped(self, a): ...\n"  # 25
        "    def __init__(self, a): ...\n"  # exempt (leading underscore)
        "\n"
        "class _Private:\n"
        "    def method(self, a): ...\n"  # exempt: the class is private
        "\n"
        "if TYPE_CHECKING:\n"
        "    def conditional(a): ...\n")  # 32
    assert unannotated(package) == [
        "pkg/sub/mod.py:7 no_return", "pkg/sub/mod.py:10 bare", "pkg/sub/mod.py:13 keyword_only",
        "pkg/sub/mod.py:14 star_args", "pkg/sub/mod.py:15 star_kwargs", "pkg/sub/mod.py:16 later",
        "pkg/sub/mod.py:24 static", "pkg/sub/mod.py:25 untyped", "pkg/sub/mod.py:32 conditional",
    ]
