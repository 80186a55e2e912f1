"""The package's one error type for bad input and refused operations.

Every expected failure (a file that breaks a contract, a command that would overwrite a person's work, an
argument out of range) raises :class:`DataError` with a one-line message fit to show a user as it is; the command
line prints it after ``hmbook COMMAND: error:`` and exits with status 2. Anything else is a bug.
"""

from __future__ import annotations

__all__ = ["DataError"]


class DataError(ValueError):
    """Bad input or a refused operation. The message is one line, fit to show a user."""
