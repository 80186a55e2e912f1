"""hmbook: replicate the tables of Haris et al. (2022) from a synthetic respondent table.

The package is small and side-effect free on import. Modules, one concern each:

- :mod:`hmbook.paths`     where the data files live (``data/`` beside the package, or ``$HMBOOK_DATA``)
- :mod:`hmbook.schema`    the column contract of ``respondents.csv`` and its loaders
- :mod:`hmbook.published` the published figures and the assumption register
- :mod:`hmbook.synth`     the seeded generator of exact synthetic respondent tables
- :mod:`hmbook.tables`    respondents -> the paper's tables, beside the published values
- :mod:`hmbook.verify`    check any respondents CSV against the published figures
- :mod:`hmbook.datapackage` the Frictionless descriptor of ``data/``
- :mod:`hmbook.design`    the paper against the CHERRIES web-survey checklist (``data/cherries.csv``)
- :mod:`hmbook.sampling`  a documented simulator of recruitment bias (illustrative, self-contained)
- :mod:`hmbook.plotting`  one style and colour-blind-safe palette for every figure
- :mod:`hmbook.widgets`   live ipywidgets controls for JupyterLab (the sampling simulator)
- :mod:`hmbook.fragments` the sentences of the synthetic free-text corpus (written for the book)
- :mod:`hmbook.corpus`    the seeded assembly of the free-text corpus and its two codings
- :mod:`hmbook.thematic`  keyword in context, code counts, agreement between coders
- :mod:`hmbook.coder`     the students' coding sheet and its ipywidgets front end
- :mod:`hmbook.qda`       REFI-QDA codebook export and the Taguette client
- :mod:`hmbook.exercises` check helpers students call on their answers
- :mod:`hmbook.assignments` student and instructor copies of the book (notebooks and site sources)
- :mod:`hmbook.cli`       ``python -m hmbook generate | verify | audit | corpus | package | assignments | student-sources``
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
