"""What every chapter notebook does first, in one call, and the glue helper chapters share.

A chapter opens with::

    from hmbook.teaching import chapter
    figs, resp, cmp = chapter.setup()

which sets the book's figure style and pandas display options, reads the published figures and the SYNTHETIC
respondents, compares the two, and glues the sample sizes the prose quotes (``n_all``, ``n_users``,
``n_non_users``). Chapters that use no respondent rows call ``chapter.setup(respondents=False)`` and get ``resp``
and ``cmp`` as ``None``. :func:`glue` is myst-nb's ``glue`` for numbers computed with NumPy or pandas.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from hmbook import paths
from hmbook.data import published
from hmbook.data.respondents import read_respondents
from hmbook.replicate import tables
from hmbook.viz import plotting

__all__ = ["Chapter", "setup", "glue", "plain"]


class Chapter(NamedTuple):
    """The three tables a chapter works from: published figures, SYNTHETIC respondents, and their comparison."""

    figs: pd.DataFrame
    resp: pd.DataFrame | None
    cmp: pd.DataFrame | None


def plain(value: object) -> object:
    """A number as a plain Python number for display: NumPy scalars unwrapped, whole floats as ints (76.0 -> 76).

    >>> plain(np.int64(3)), plain(76.0), plain(np.float64(0.25)), plain("x")
    (3, 76, 0.25, 'x')
    """
    if isinstance(value, (bool, np.bool_, str)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return value
    value = float(value) if isinstance(value, (float, np.floating)) else int(value)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def glue(name: str, value: object, display: bool = False) -> None:
    """Glue ``value`` under ``name`` for the prose (``{glue:text}`name```), numbers made :func:`plain` first."""
    from myst_nb import glue as _glue  # imported here: only notebooks need myst-nb

    _glue(name, plain(value), display=display)


def setup(*, respondents: bool = True, max_colwidth: int | None = None) -> Chapter:
    """Style, display options and the chapter's tables; glues the sample sizes when respondents are read."""
    plotting.use_style()
    pd.set_option("display.max_colwidth", max_colwidth)
    figs = published.figures()
    if not respondents:
        return Chapter(figs, None, None)
    resp = read_respondents(paths.RESPONDENTS_CSV)
    cmp = tables.compare(resp, figs)
    users = resp["used_hm"].astype(bool)
    glue("n_all", len(resp))
    glue("n_users", int(users.sum()))
    glue("n_non_users", int((~users).sum()))
    return Chapter(figs, resp, cmp)
