"""Reading and writing files, by concern: :mod:`~hmbook.files.reading` (strict, bounded CSV and text),
:mod:`~hmbook.files.cells` (the ``true``/``false`` and whole-number codecs), :mod:`~hmbook.files.safe_write`
(all-or-nothing writes that keep modes), :mod:`~hmbook.files.locks` (one writer per folder) and
:mod:`~hmbook.files.interrupts` (Ctrl-C held back while a write finishes).

Above :mod:`hmbook.errors` and :mod:`hmbook.paths`, below every other layer. Which folders a command may write into
is not decided here but by the command line (:mod:`hmbook.cli.policy`).
"""
