"""``python -m hmbook``: see :mod:`hmbook.cli`."""

import signal
import sys


def _stopped(signum, frame):
    print("hmbook: interrupted", file=sys.stderr)
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    # Until hmbook.cli takes over (pandas and friends take a moment to import), an interrupt ends the run with one
    # line, not a traceback; nothing has been written yet.
    signal.signal(signal.SIGTERM, _stopped)
    signal.signal(signal.SIGINT, _stopped)
    from hmbook.cli import main

    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
