"""The course tooling: what makes a course from the book's chapters, run by ``hmbook`` commands and ``make``.

It reads the chapters as files and imports nothing of the analysis (a contract checked in ``make test``); the
chapters' own notebooks import :mod:`hmbook.teaching` instead. By concern:

- reading the book: ``toc`` (``_toc.yml``), ``notebooks`` (notebook files, bounded and validated), ``myst`` (the
  MyST splitter every other module walks), ``chapters`` (a folder of chapters with their numbers, titles and note),
  ``content_notes`` (the content note and UK signposting, from the one source, into a notebook)
- the editions: ``editions`` (the student edition: every solution removed), ``readable`` (MyST rewritten as plain
  Markdown with the glued values pasted in) and ``lab`` (the readable copies for JupyterLab)
- the hand-outs: ``exercise_format`` (the exercise convention, parsed and checked), ``assign`` (otter master
  notebooks and ``otter assign``), ``zips`` (byte-stable autograder zips), ``otter_api`` (otter's entry points,
  called quietly)
- grading: ``sandbox`` (one step of one submission in a bubblewrap sandbox), ``sandbox_steps`` (what runs inside:
  the student's cells with no test in reach, then the tests on their snapshots in a fresh sandbox), ``timeouts``
  (otter run unsandboxed with a time limit, for ``--unsafe-no-sandbox``), ``grade`` (the class's scores)
"""
