"""Print every value glued in the book's executed notebooks, as JSON: {notebook: {name: text/plain}}.

Used to check that a refactor leaves every glued number unchanged: run it before and after and compare
(``python tools/glue_values.py book/*.ipynb > before.json``). Reads the stored outputs only; executes nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def glue_values(path: Path) -> dict[str, str]:
    """The ``text/plain`` form of each value glued in one notebook's stored outputs, by glue name."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is not None:
                data = out.get("data", {})
                # display=False stores the value under a papermill prefix; display=True as plain text/plain
                plain = next((v for k, v in data.items() if k.endswith("text/plain")), "")
                found[name] = "".join(plain)
    return found


def main(argv: list[str]) -> int:
    print(json.dumps({Path(p).name: glue_values(Path(p)) for p in argv}, indent=1, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
