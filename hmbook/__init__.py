"""hmbook: replicate the tables of Haris et al. (2022) from a synthetic respondent table, and teach its methods.

Subpackages by concern, lowest layer first (a layer imports only layers below it; ``make test`` checks this with
import-linter, see ARCHITECTURE.md):

- :mod:`hmbook.constants`: the default seed, the groups and the display labels (imports nothing)
- :mod:`hmbook.errors`, :mod:`hmbook.grim`, :mod:`hmbook.paths`: the one error type; exact rounding and
  granularity arithmetic (GRIM, GRIMMER, DEBIT; standard library only); where the data files live (``data/``
  beside the package, or ``$HMBOOK_DATA``, read when a path is asked for)
- :mod:`hmbook.files`: strict bounded reading (``reading``), the true/false and whole-number codecs (``cells``),
  all-or-nothing writes (``safe_write``), one writer per folder (``locks``), interrupts held back (``interrupts``)
- :mod:`hmbook.data`: the column contract (``schema``), the published figures and assumption register
  (``published``), ``respondents.csv`` I/O (``respondents``), the Frictionless descriptor (``datapackage``)
- :mod:`hmbook.replicate`: the seeded exact generator (``synth``), respondents -> the paper's tables beside the
  published values (``tables``), the verification report (``verify``)
- :mod:`hmbook.methods`: the audit of printed numbers (``audit``), intervals and tests (``inference``), the
  recruitment-bias simulation (``sampling``), the CHERRIES reading of the design (``design``)
- :mod:`hmbook.qualitative`: the SYNTHETIC free-text corpus (``corpus_data`` reads the files it is assembled
  from, ``corpus`` assembles it), coding and agreement (``thematic``), the students' coding sheet (``coder``),
  REFI-QDA export (``refi``), the Taguette client (``taguette``)
- :mod:`hmbook.synthesis`: SYNTHETIC respondent tables for any paper's figures file from a study spec (``spec``):
  whole-number rows over counts (``program``), solved by scipy's HiGHS (``aggregate``, ``solve``), drawn uniformly
  by a Markov chain (``chain``, ``kernel``), checked and described (``synthesise``); exact bounds (``bounds``)
- :mod:`hmbook.viz`: one style and palette for every figure (``plotting``), live ipywidgets panels (``widgets``)
- :mod:`hmbook.teaching`: what the chapters import: check helpers for answers (``exercises``), the setup every
  chapter shares (``chapter``)
- :mod:`hmbook.course`: the course tooling, outside the analysis: the table of contents (``toc``), the student
  edition (``editions``), readable JupyterLab copies (``readable``, ``lab``), the content note
  (``content_notes``), the exercise format (``exercise_format``), otter hand-outs (``assign``) and grading
  (``grade``, in a bubblewrap ``sandbox`` running ``sandbox_steps``; ``timeouts``, ``otter_api``), feedback for
  students (``feedback``) and the course's gradebook (``gradebook``)
- :mod:`hmbook.cli`: ``python -m hmbook generate | verify | audit | synth | bounds | corpus | package |
  assignments | grade | gradebook | lab-copies | student-sources`` (``commands``), and which folders a command may
  write into (``policy``)

Importing hmbook has no side effects: nothing is read or written until a function is called.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
