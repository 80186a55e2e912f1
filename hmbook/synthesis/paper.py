"""This paper through the general engine: its study spec (``data/published/spec.yml``) solved and drawn by
:mod:`hmbook.synthesis`, and each table put in the book's respondents contract (:mod:`hmbook.data.schema`), so that
``hmbook verify`` and every table of the book read it as they read ``respondents.csv``.

The spec carries the columns the paper's figures and facts speak of. The columns it leaves out are the ones the book
fills for illustration only (A14 ``organisation_other`` and A25 ``avoid_groups``, whose splits the paper does not
print): they are empty here. ``synthetic`` is true on every row: these are SYNTHETIC respondents.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.constants import DEFAULT_SEED
from hmbook.data import published, schema
from hmbook.synthesis import chain
from hmbook.synthesis import spec as spec_
from hmbook.synthesis import synthesise as synthesise_

__all__ = ["TIME_LIMIT", "result", "draws", "respondents"]

#: Seconds any one solve of this paper may take (it takes about one).
TIME_LIMIT = 60.0


def respondents(table: pd.DataFrame) -> pd.DataFrame:
    """One table of :func:`hmbook.synthesis.synthesise.synthesise` as a typed respondents table of the book's
    contract: the columns the spec does not have are empty, ``synthetic`` is true."""
    strings = pd.DataFrame({c: table[c].astype(str) if c in table.columns else "" for c in schema.NAMES},
                           index=table.index)
    strings["respondent_id"] = table["respondent_id"].astype(str)
    strings["synthetic"] = "true"
    return schema.from_strings(strings.reset_index(drop=True))


def result(k: int = 1, seed: int = DEFAULT_SEED, sweeps: int = chain.DEFAULT_SWEEPS, *,
           figures: Path | None = None, spec: Path | None = None) -> synthesise_.Result:
    """``k`` SYNTHETIC tables of this paper from the general engine, as it hands them out (seeded: the same
    arguments give the same tables)."""
    figs = published.figures(paths.FIGURES_CSV if figures is None else figures)
    study = spec_.read_spec(paths.SPEC_YML if spec is None else spec)
    return synthesise_.synthesise(figs, study, seed, TIME_LIMIT, draws=k, sweeps=sweeps)


def draws(k: int = 1, seed: int = DEFAULT_SEED, sweeps: int = chain.DEFAULT_SWEEPS, *,
          figures: Path | None = None, spec: Path | None = None) -> list[pd.DataFrame]:
    """:func:`result`'s tables, each a typed respondents table of the book's contract (:func:`respondents`)."""
    return [respondents(t) for t in result(k, seed, sweeps, figures=figures, spec=spec).tables]
