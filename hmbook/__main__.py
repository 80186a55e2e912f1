"""``python -m hmbook``: see :mod:`hmbook.cli`."""

import signal
import sys

_RECEIVED: list[int] = []


def _stopped(signum, frame):
    _RECEIVED.append(signum)
    print("hmbook: interrupted", file=sys.stderr)
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    # Until hmbook.cli takes over (pandas and friends take a moment to import), an interrupt ends the run with one
    # line, not a traceback; nothing has been written yet.
    signal.signal(signal.SIGTERM, _stopped)
    signal.signal(signal.SIGINT, _stopped)
    try:
        from hmbook.cli import main
    except BaseException:
        # The SystemExit raised above can reach here wrapped: a signal that lands while a class is being made
        # (inside __set_name__, as when `platform` is imported) becomes a RuntimeError. Still one line, no traceback.
        if _RECEIVED:
            sys.exit(128 + _RECEIVED[0])
        raise

    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
