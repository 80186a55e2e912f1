"""hmbook: replicate the tables of Haris et al. (2022) from a synthetic respondent table.

The package is small and side-effect free on import. Modules, one concern each:

- :mod:`hmbook.paths`     where the data files live (resolved from the package)
- :mod:`hmbook.schema`    the column contract of ``respondents.csv`` and its loaders
- :mod:`hmbook.published` the published figures and the assumption register
- :mod:`hmbook.synth`     the seeded generator of exact synthetic respondent tables
- :mod:`hmbook.tables`    respondents -> the paper's tables, beside the published values
- :mod:`hmbook.verify`    check any respondents CSV against the published figures
- :mod:`hmbook.datapackage` the Frictionless descriptor of ``data/``
- :mod:`hmbook.plotting`  one style and colour-blind-safe palette for every figure
- :mod:`hmbook.exercises` check helpers students call on their answers
- :mod:`hmbook.assignments` student and instructor copies of the book (notebooks and site sources)
- :mod:`hmbook.cli`       ``python -m hmbook generate | verify | package | assignments | student-sources``
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
