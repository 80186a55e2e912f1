"""Put the content note and UK signposting into the first cell of every notebook in book/, from the one source.

Usage: .venv/bin/python tools/content_note.py [--check]

The note's text is the site's announcement in _config.yml (hmbook.course.content_notes.content_note turns its HTML into
Markdown). Each notebook gets it as its first cell, tagged `content-note` and `remove-cell` (the site shows the same
note as its banner). Running the tool again after the announcement changes updates every notebook; --check only
reports notebooks whose first cell is not the current note (exit status 1), as tests/test_content_note.py does.
The hand-outs get the note from `make assignments` (hmbook.course.assign), from the same source.
"""

import sys

from hmbook import paths
from hmbook.course import content_notes
from hmbook.course.notebooks import notebook_bytes, read_notebook
from hmbook.files import safe_write


def main(argv: list[str]) -> int:
    note = content_notes.content_note(paths.ROOT / "_config.yml")
    stale = []
    for path in sorted((paths.ROOT / "book").glob("*.ipynb")):
        nb = read_notebook(path)
        if content_notes.has_content_note(nb, note):
            continue
        stale.append(path)
        if "--check" not in argv:
            safe_write.write_atomic(path, notebook_bytes(content_notes.with_content_note(nb, note)))
            print(f"content note written to {path.relative_to(paths.ROOT)}")
    if "--check" in argv and stale:
        print("no current content note in: " + ", ".join(p.name for p in stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
