"""Run Jupyter Book's command line (`python site/jb.py build ...`), as `jupyter-book` does, but faster to start.

Jupyter Book validates _config.yml with jsonschema. jsonschema, when the optional package rfc3987-syntax is
installed (it is, through jupyterlab -> jupyter-events -> jsonschema[format-nongpl]), compiles 38 Lark grammars on
import for its "iri" format check: about 3 s of every build on the reference machine, more than the rest of a
one-chapter rebuild's start-up. Jupyter Book's schema uses no IRI format, so the import is blocked here and
jsonschema skips that check (it treats the package as absent). Measured in benchmarks/bench_site.py.
"""

import sys

__all__ = ["main"]


def main():
    sys.modules["rfc3987_syntax"] = None  # `import rfc3987_syntax` now raises ImportError, which jsonschema expects
    from jupyter_book.cli.main import main as jupyter_book

    return jupyter_book()


if __name__ == "__main__":
    sys.exit(main())
