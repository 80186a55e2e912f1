"""Where the tests find the book's sources and its built site (shared by the test modules; not a test module)."""

from hmbook import paths

BOOK = paths.ROOT / "book"
SITE = paths.ROOT / "_build" / "html"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))
