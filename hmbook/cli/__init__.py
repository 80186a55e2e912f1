"""The command line: :mod:`~hmbook.cli.commands` parses the arguments and calls the layers below;
:mod:`~hmbook.cli.policy` decides which folders a command may write into.
"""

from hmbook.cli.commands import main

__all__ = ["main"]
