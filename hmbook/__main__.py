"""``python -m hmbook``: see :mod:`hmbook.cli`."""

import sys

from hmbook.cli import main

if __name__ == "__main__":
    sys.exit(main())
