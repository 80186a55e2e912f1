"""A recruitment simulator: how an open, snowball-sampled survey can misstate the share of clinicians who
recommend harm minimisation.

The model is deliberately small and every part of it is a parameter of :class:`Model`. All defaults are
**illustrative**: they are chosen to give a study of roughly the size of the one replicated in this book, not
estimates of the real workforce or of the real study's recruitment.

The model, step by step
-----------------------
1. **Population.** ``n_population`` clinicians. Each has an occupation (drawn from ``occupations``, a mapping of
   occupation to ``(share, mean attitude)``) and an *attitude* towards harm minimisation, normal with the
   occupation's mean and unit spread. A clinician recommends harm minimisation with probability
   ``expit(recommend_intercept + attitude)``; the recommending share of this finite population is the *truth*.
2. **Network.** A Watts-Strogatz small world (``networkx``) whose ring is laid out in order of attitude, so that
   each clinician starts linked to the ``degree`` colleagues nearest in attitude. Each link is then rewired to a
   random colleague with probability ``1 - homophily``: ``homophily = 1`` keeps the attitude-sorted ring (like
   knows like), ``homophily = 0`` gives a random network.
3. **Willingness.** A clinician who receives an invitation takes part with probability
   ``expit(logit(take_part) + selection * attitude + log(occupation_odds[occupation]))``. ``selection`` is the
   pull of the advert's wording on favourably disposed clinicians (``0`` = none), in log-odds per unit of
   attitude; :meth:`Model.odds_ratio` turns it into the unit a reader can interpret, the odds ratio of taking
   part per standard deviation of attitude in the population. ``occupation_odds`` lets the invitation reach or
   appeal to some occupations more than others (selection through occupation only).
4. **Recruitment.** Wave 0: ``n_seeds`` clinicians picked at random (the researchers' own contacts) take part,
   and every clinician sees the advert with probability ``advert_reach`` and answers it according to their
   willingness. Then ``waves`` snowball waves: each newly recruited participant passes the invitation to each
   network neighbour with probability ``forward``; a neighbour not asked before decides by their willingness.
   Nobody is asked twice.
5. **Drop-out.** Each consenting participant stops before the end with probability ``dropout``, at random.
6. **Estimates.** The completers' share who recommend, with a naive 95 % Wilson interval
   (``statsmodels``) that treats them as a simple random sample; and the share post-stratified by occupation
   (each occupation's sample share weighted by its known population share; occupations with no completers are
   left out and the weights of the rest rescaled).

Randomness
----------
Every draw comes from a ``numpy.random.Generator`` passed in. :func:`simulate` draws the population and the
network from its generator (or takes a :class:`World` drawn once with :func:`world`), then runs all the studies at
once as ``(people, studies)`` arrays, so one population and network are shared by the studies of one call: the
spread reported is that of recruitment, not of the population or the network. Comparing two designs in one
world is a paired comparison; a new world moves every result a little (see the sampling chapter).

The inverse question
--------------------
:func:`compatible_truths` asks it the other way round: given an observed share, which population truths could
have produced it under each selection strength? Recruitment does not depend on who recommends, only on attitude,
so each selection strength is recruited once and every truth (set by ``recommend_intercept``) is read off the
same recruits, with the same uniform draws deciding who recommends (common random numbers).

>>> import numpy as np
>>> studies = simulate(Model(n_population=800), n_studies=50, rng=np.random.default_rng(1))
>>> list(studies.columns)[:4]
['study', 'truth', 'consented', 'completed']
>>> len(studies)
50
>>> Model(dropout=1.5)
Traceback (most recent call last):
...
hmbook.errors.DataError: dropout must be a probability between 0 and 1, not 1.5
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.special import expit, logit
from statsmodels.stats.proportion import proportion_confint

from hmbook.errors import DataError

__all__ = [
    "ILLUSTRATIVE_OCCUPATIONS", "Model", "World", "population", "network", "world", "simulate", "summarise",
    "grid", "post_stratify", "summarise_cells", "compatible_truths", "SHARES", "in_percent",
    "percentage_points",
]

# Occupation -> (share of the population, mean attitude). ILLUSTRATIVE: chosen so that occupations differ in how
# favourable they are, not taken from any workforce statistics or from the paper.
ILLUSTRATIVE_OCCUPATIONS: dict[str, tuple[float, float]] = {
    "General practitioner": (0.30, -0.6),
    "Psychologist": (0.20, 0.8),
    "Psychiatrist": (0.10, 0.1),
    "Mental health nurse": (0.25, 0.3),
    "Other clinician": (0.15, 0.2),
}

_SIZES = ("n_population", "degree", "n_seeds", "waves")
_PROBABILITIES = ("homophily", "take_part", "advert_reach", "forward", "dropout")


@dataclass(frozen=True)
class Model:
    """Parameters of the simulator; every default is illustrative. Invalid values raise
    :class:`~hmbook.errors.DataError`."""

    n_population: int = 3000            # clinicians in the population
    occupations: dict = field(default_factory=lambda: dict(ILLUSTRATIVE_OCCUPATIONS))
    recommend_intercept: float = 0.0    # P(recommend) = expit(intercept + attitude)
    degree: int = 8                     # colleagues per clinician in the network (even)
    homophily: float = 0.5              # 0 = random network, 1 = linked only to the nearest in attitude
    selection: float = 0.0              # log-odds of taking part per unit of attitude (advert wording)
    take_part: float = 0.45             # chance that an invited clinician of attitude 0 takes part
    occupation_odds: dict = field(default_factory=dict)  # occupation -> odds multiplier (default 1)
    advert_reach: float = 0.02          # chance that a clinician sees the advert
    n_seeds: int = 5                    # researchers' contacts who start the snowball
    waves: int = 3                      # snowball waves after the first
    forward: float = 0.3                # chance that a participant passes the invitation to one colleague
    dropout: float = 0.35               # chance that a consenting participant stops before the end (illustrative;
                                        # the sampling chapter passes the study's own share, from figures.csv)

    def __post_init__(self):
        for name in _SIZES:
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
                raise DataError(f"{name} must be a whole number of at least 0, not {v!r}")
        for name in _PROBABILITIES:
            v = getattr(self, name)
            if not isinstance(v, (int, float, np.floating, np.integer)) or not 0 <= v <= 1:
                raise DataError(f"{name} must be a probability between 0 and 1, not {v!r}")
        for name in ("selection", "recommend_intercept"):
            if not math.isfinite(getattr(self, name)):
                raise DataError(f"{name} must be a finite number, not {getattr(self, name)!r}")
        if self.n_population < 1:
            raise DataError(f"n_population must be at least 1, not {self.n_population}")
        if self.n_seeds > self.n_population:
            raise DataError(f"n_seeds ({self.n_seeds}) must not exceed n_population ({self.n_population})")
        if self.degree % 2 or self.degree >= self.n_population:
            raise DataError(f"degree must be even and smaller than n_population, not {self.degree}")
        if not 0 < self.take_part < 1:
            raise DataError(f"take_part must be strictly between 0 and 1, not {self.take_part!r}")
        shares = [s for s, _ in self.occupations.values()]
        if not shares or any(s < 0 for s in shares) or not math.isclose(sum(shares), 1.0, abs_tol=1e-9):
            raise DataError("occupations: shares must be at least 0 and add up to 1")
        for occ, odds in self.occupation_odds.items():
            if occ not in self.occupations:
                raise DataError(f"occupation_odds names {occ!r}, which is not in occupations")
            if not odds > 0:
                raise DataError(f"occupation_odds[{occ!r}] must be a positive odds multiplier, not {odds!r}")

    def with_(self, **changes: Any) -> Model:
        """A copy with some parameters changed (and checked).

        >>> Model().with_(selection=1.0).selection
        1.0
        """
        return replace(self, **changes)

    @property
    def attitude_sd(self) -> float:
        """The standard deviation of attitude across the whole population: a mixture of unit-spread normals, one
        per occupation, so the spread of the occupations' means adds to one.

        >>> round(Model(occupations={"a": (0.5, -1.0), "b": (0.5, 1.0)}).attitude_sd, 4)  # sqrt(1 + 1)
        1.4142
        """
        shares = np.array([share for share, _ in self.occupations.values()], dtype=float)
        means = np.array([mean for _, mean in self.occupations.values()], dtype=float)
        shares = shares / shares.sum()
        return float(np.sqrt(1.0 + shares @ (means - shares @ means) ** 2))

    def odds_ratio(self, selection: float | None = None) -> float:
        """The odds ratio of taking part per standard deviation of attitude, ``exp(selection * attitude_sd)``:
        how many times higher the odds are for a clinician one standard deviation more favourable than another
        (1 = no selection). ``selection`` defaults to the model's own.

        >>> Model().odds_ratio(0.0), round(Model().odds_ratio(1.0), 2)
        (1.0, 3.07)
        """
        return float(math.exp((self.selection if selection is None else selection) * self.attitude_sd))

    def as_series(self) -> pd.Series:
        """The scalar parameters, for display."""
        return pd.Series({f.name: getattr(self, f.name) for f in fields(self) if f.name not in
                          ("occupations", "occupation_odds")}, name="value", dtype=object)


def _recommends(intercept: float, attitude: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Who recommends harm minimisation: P = expit(intercept + attitude), decided by the uniform draws given."""
    return uniform < expit(intercept + attitude)


def population(model: Model, rng: np.random.Generator) -> pd.DataFrame:
    """Draw the population: one row per clinician with ``occupation``, ``attitude`` and ``recommends``.

    >>> pop = population(Model(n_population=10), np.random.default_rng(0))
    >>> list(pop.columns), len(pop)
    (['occupation', 'attitude', 'recommends'], 10)
    """
    names = list(model.occupations)
    shares = np.array([model.occupations[o][0] for o in names])
    means = np.array([model.occupations[o][1] for o in names])
    occ = rng.choice(len(names), size=model.n_population, p=shares / shares.sum())
    attitude = means[occ] + rng.standard_normal(model.n_population)
    recommends = _recommends(model.recommend_intercept, attitude, rng.random(model.n_population))
    return pd.DataFrame({
        "occupation": pd.Categorical.from_codes(occ, categories=names),
        "attitude": attitude,
        "recommends": recommends,
    })


def network(pop: pd.DataFrame, model: Model, rng: np.random.Generator) -> nx.Graph:
    """The colleague network over ``pop``'s rows (nodes are row positions), homophilous on attitude.

    A Watts-Strogatz graph on a ring in attitude order, each link rewired with probability ``1 - homophily``.

    >>> m = Model(n_population=50, degree=4, homophily=1.0)
    >>> g = network(population(m, np.random.default_rng(0)), m, np.random.default_rng(0))
    >>> g.number_of_nodes(), g.number_of_edges()
    (50, 100)
    """
    n = len(pop)
    ring = nx.watts_strogatz_graph(n, model.degree, 1.0 - model.homophily, seed=int(rng.integers(2**32)))
    order = np.argsort(pop["attitude"].to_numpy(), kind="stable")  # ring position -> row of pop
    return nx.relabel_nodes(ring, dict(enumerate(order.tolist())))


@dataclass(frozen=True)
class World:
    """One population and its colleague network, for running several designs on the same clinicians.

    ``model`` is the model the world was drawn under; :func:`simulate` refuses a model that would have drawn a
    different world (another population size, occupation mix, degree or homophily).
    """

    model: Model
    population: pd.DataFrame
    graph: nx.Graph

    def check(self, model: Model) -> None:
        fixed = ("n_population", "occupations", "degree", "homophily", "recommend_intercept")
        changed = [name for name in fixed if getattr(model, name) != getattr(self.model, name)]
        if changed:
            raise DataError(f"this world was drawn with other {', '.join(changed)}: draw a new world for them")


def world(model: Model, rng: np.random.Generator) -> World:
    """Draw a population and its network under ``model`` (the same draws :func:`simulate` makes first).

    >>> m = Model(n_population=200)
    >>> w = world(m, np.random.default_rng(1))
    >>> a = simulate(m.with_(n_seeds=10), 5, np.random.default_rng(2), world=w)
    >>> b = simulate(m.with_(n_seeds=20), 5, np.random.default_rng(2), world=w)
    >>> float(a["truth"].iloc[0]) == float(b["truth"].iloc[0])   # the same clinicians under both designs
    True
    >>> simulate(m.with_(homophily=0.9), 5, np.random.default_rng(2), world=w)
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: this world was drawn with other homophily: draw a new world for them
    """
    pop = population(model, rng)
    return World(model, pop, network(pop, model, rng))


_draw_world = world  # the same function, for simulate, whose parameter is named ``world``


def post_stratify(sample_counts: np.ndarray, sample_yes: np.ndarray, population_shares: np.ndarray) -> np.ndarray:
    """Post-stratified shares: occupation means weighted by population shares, per study (columns).

    ``sample_counts`` and ``sample_yes`` are ``(occupations, studies)``; occupations with no one in a study's
    sample are dropped and the remaining weights rescaled. ``nan`` where a study has no completers at all.

    >>> post_stratify(np.array([[10], [30]]), np.array([[5], [6]]), np.array([0.5, 0.5]))
    array([0.35])
    """
    counts = np.asarray(sample_counts, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, np.asarray(sample_yes) / counts, 0.0)
        weights = np.where(counts > 0, np.asarray(population_shares, dtype=float)[:, None], 0.0)
        return (weights * means).sum(axis=0) / weights.sum(axis=0)


def _check_studies(n_studies) -> int:
    if isinstance(n_studies, bool) or not isinstance(n_studies, (int, np.integer)) or n_studies < 1:
        raise DataError(f"n_studies must be a whole number of at least 1, not {n_studies!r}")
    return int(n_studies)


def simulate(model: Model, n_studies: int, rng: np.random.Generator, world: World | None = None) -> pd.DataFrame:
    """Run ``n_studies`` recruitments of one population and network; one row per study.

    The population and network are drawn from ``rng`` first, unless ``world`` (from :func:`world`) supplies them.
    Columns: ``study``, ``truth`` (population share who recommend), ``consented``, ``completed``, ``estimate``
    (completers' share), ``wilson_low``, ``wilson_high``, ``covers`` (the interval contains the truth),
    ``post_stratified``.
    """
    n_studies = _check_studies(n_studies)
    if world is None:
        world = _draw_world(model, rng)
    else:
        world.check(model)
    return _recruit(world.population, world.graph, model, n_studies, rng)


def _completers(pop: pd.DataFrame, graph: nx.Graph, model: Model, n_studies: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Who took part and who completed, as ``(people, studies)`` boolean arrays."""
    n, s = len(pop), n_studies
    adj = nx.to_scipy_sparse_array(graph, nodelist=range(n), dtype=np.float32, format="csr")
    occ = pop["occupation"].cat.codes.to_numpy()
    names = list(pop["occupation"].cat.categories)
    odds = np.log(np.array([model.occupation_odds.get(o, 1.0) for o in names]))
    willing = expit(logit(model.take_part) + model.selection * pop["attitude"].to_numpy() + odds[occ])[:, None]

    # Wave 0: seeds (distinct, per study) and the advert.
    seeds = np.zeros((n, s), dtype=bool)
    if model.n_seeds:
        picks = np.argpartition(rng.random((s, n)), model.n_seeds - 1, axis=1)[:, :model.n_seeds]
        seeds[picks, np.arange(s)[:, None]] = True
    asked = seeds | (rng.random((n, s)) < model.advert_reach)
    joined = seeds | (asked & (rng.random((n, s)) < willing))
    newest = joined
    for _ in range(model.waves):
        # Chance of at least one invitation: 1 - (1 - forward) ** (newly recruited neighbours).
        contacts = adj @ newest.astype(np.float32)
        invited = ~asked & (rng.random((n, s)) < 1.0 - (1.0 - model.forward) ** contacts)
        asked |= invited
        newest = invited & (rng.random((n, s)) < willing)
        joined |= newest
    completed = joined & (rng.random((n, s)) >= model.dropout)
    return joined, completed


def _recruit(pop: pd.DataFrame, graph: nx.Graph, model: Model, n_studies: int,
             rng: np.random.Generator) -> pd.DataFrame:
    joined, completed = _completers(pop, graph, model, n_studies, rng)
    n, s = len(pop), n_studies
    occ = pop["occupation"].cat.codes.to_numpy()
    names = list(pop["occupation"].cat.categories)
    recommends = pop["recommends"].to_numpy()
    n_done = completed.sum(axis=0)
    yes = (completed & recommends[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(n_done > 0, yes / np.maximum(n_done, 1), np.nan)
    low, high = proportion_confint(yes, np.maximum(n_done, 1), alpha=0.05, method="wilson")
    low, high = np.where(n_done > 0, low, np.nan), np.where(n_done > 0, high, np.nan)
    truth = float(recommends.mean())
    onehot = np.eye(len(names), dtype=np.int64)[occ].T            # (occupations, people)
    shares = onehot.sum(axis=1) / n
    by_occ = onehot @ completed.astype(np.int64)
    yes_by_occ = onehot @ (completed & recommends[:, None]).astype(np.int64)
    return pd.DataFrame({
        "study": np.arange(s),
        "truth": truth,
        "consented": joined.sum(axis=0),
        "completed": n_done,
        "estimate": estimate,
        "wilson_low": low,
        "wilson_high": high,
        "covers": (low <= truth) & (truth <= high),
        "post_stratified": post_stratify(by_occ, yes_by_occ, shares),
    })


def summarise(studies: pd.DataFrame) -> pd.Series:
    """Bias, spread and coverage over the studies of :func:`simulate`.

    ``bias`` and ``ps_bias`` are mean estimate minus truth (naive and post-stratified), ``spread`` and
    ``ps_spread`` their standard deviations, ``coverage`` the share of naive Wilson intervals that contain the
    truth; ``mc_se`` is the Monte Carlo standard error of ``bias``. Studies with no completers are left out.

    >>> s = summarise(pd.DataFrame({"truth": 0.5, "estimate": [0.4, 0.6], "post_stratified": [0.5, 0.5],
    ...     "covers": [True, False], "consented": [10, 12], "completed": [8, 9]}))
    >>> float(s["bias"]), float(s["coverage"])
    (0.0, 0.5)
    """
    ok = studies.dropna(subset=["estimate"])
    err, ps_err = ok["estimate"] - ok["truth"], ok["post_stratified"] - ok["truth"]
    return pd.Series({
        "truth": float(ok["truth"].mean()),
        "mean_estimate": float(ok["estimate"].mean()),
        "bias": float(err.mean()),
        "spread": float(ok["estimate"].std(ddof=1)),
        "mc_se": float(ok["estimate"].std(ddof=1) / math.sqrt(len(ok))),
        "coverage": float(ok["covers"].mean()),
        "ps_bias": float(ps_err.mean()),
        "ps_spread": float(ok["post_stratified"].std(ddof=1)),
        "consented": float(ok["consented"].mean()),
        "completed": float(ok["completed"].mean()),
        "studies": int(len(ok)),
    })


# The results that are shares (or differences of shares): :func:`in_percent` shows them in per cent (points).
SHARES = ("truth", "mean_estimate", "bias", "spread", "mc_se", "coverage", "ps_bias", "ps_spread", "estimate",
          "post_stratified", "wilson_low", "wilson_high", "low", "high")


def percentage_points(share: float, decimals: int = 1) -> float:
    """A share, or a difference of two shares, in percentage points rounded to ``decimals``, never ``-0.0``
    (the form in which the chapter's text and figures quote a bias).

    >>> percentage_points(0.1234), percentage_points(-0.0004), f"{percentage_points(-0.0004):+.1f}"
    (12.3, 0.0, '+0.0')
    """
    return round(100 * float(share), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0


def in_percent(results: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """A copy of ``results`` (a :func:`summarise` Series, or a DataFrame with its fields as rows or columns) with
    every share in per cent, so that a bias reads in percentage points as the chapter's text does; counts such as
    ``completed`` are left as they are, and ``-0.0`` becomes ``0.0``.

    >>> in_percent(pd.Series({"bias": 0.1234, "coverage": 0.95, "completed": 80.0})).round(1).to_dict()
    {'bias': 12.3, 'coverage': 95.0, 'completed': 80.0}
    """
    out = results.copy()
    axis_labels = out.index if isinstance(out, pd.Series) or out.index.isin(SHARES).any() else out.columns
    shares = [label for label in axis_labels if label in SHARES]
    if isinstance(out, pd.Series) or axis_labels is out.index:
        out.loc[shares] = out.loc[shares].astype(float) * 100 + 0.0
    else:
        out[shares] = out[shares].astype(float) * 100 + 0.0
    return out


def grid(model: Model, selections: Iterable[float] = (0.0, 0.5, 1.0, 1.5),
         homophilies: Iterable[float] = (0.0, 0.5, 0.9), n_studies: int = 300,
         rng: np.random.Generator | None = None, studies: bool = False) -> pd.DataFrame:
    """Simulate every combination of ``selection`` and ``homophily``, other parameters from ``model``.

    One population is drawn and shared by every cell; one network per homophily value is shared by that
    column's cells; each cell then has its own stream of recruitment draws, spawned from ``rng``. Returns one row
    per cell with the columns of :func:`summarise` (or, with ``studies=True``, one row per simulated study), and
    ``selection``, ``odds_ratio`` (:meth:`Model.odds_ratio`) and ``homophily``.
    """
    if rng is None:
        raise DataError("rng must be a numpy.random.Generator (seeded), not None")
    selections, homophilies = list(selections), list(homophilies)
    for h in homophilies:
        model.with_(homophily=h)  # validates
    pop_rng, *net_rngs = rng.spawn(1 + len(homophilies))
    pop = population(model, pop_rng)
    cells = []
    for h, net_rng in zip(homophilies, net_rngs):
        graph_rng, *cell_rngs = net_rng.spawn(1 + len(selections))
        graph = network(pop, model.with_(homophily=h), graph_rng)
        for sel, r in zip(selections, cell_rngs):
            out = _recruit(pop, graph, model.with_(homophily=h, selection=float(sel)), n_studies, r)
            cells.append(out.assign(selection=float(sel), odds_ratio=model.odds_ratio(float(sel)),
                                    homophily=float(h)))
    long = pd.concat(cells, ignore_index=True)
    return long if studies else summarise_cells(long)


def summarise_cells(long: pd.DataFrame) -> pd.DataFrame:
    """:func:`summarise` for each (selection, homophily) cell of ``grid(..., studies=True)``: one row per cell."""
    rows = [{"selection": sel, "odds_ratio": float(cell["odds_ratio"].iloc[0]), "homophily": h,
             **summarise(cell).to_dict()}
            for (sel, h), cell in long.groupby(["selection", "homophily"], sort=True)]
    return pd.DataFrame(rows).astype({"studies": int})


def compatible_truths(model: Model, observed: float, rng: np.random.Generator,
                      selections: Sequence[float] = (0.0, 0.5, 1.0, 1.5), intercepts: Iterable[float] | None = None,
                      n_studies: int = 300) -> pd.DataFrame:
    """Which population truths are compatible with an ``observed`` share, under each selection strength?

    For each selection strength (other parameters from ``model``) the studies are recruited once; for each
    ``recommend_intercept`` in ``intercepts`` (default: 61 values from -2 to 4, truths from about a quarter to
    nine in ten) the same recruits are asked who recommends, with the same uniform draws, so the curves are smooth.
    One row per (selection, intercept): ``selection``, ``odds_ratio``, ``truth`` (the population share),
    ``mean_estimate``, ``low`` and ``high`` (the middle 95% of the studies' estimates) and ``compatible``
    (``observed`` lies between them: a study like the paper's could have seen it).

    >>> t = compatible_truths(Model(n_population=400), 0.84, np.random.default_rng(0), selections=(0.0,),
    ...                       intercepts=[0.0, 3.0], n_studies=20)
    >>> list(t.columns)
    ['selection', 'odds_ratio', 'recommend_intercept', 'truth', 'mean_estimate', 'low', 'high', 'compatible']
    >>> bool(t["truth"].is_monotonic_increasing)
    True
    """
    if not 0 <= observed <= 1:
        raise DataError(f"observed must be a share between 0 and 1, not {observed!r}")
    n_studies = _check_studies(n_studies)
    intercepts = np.linspace(-2.0, 4.0, 61) if intercepts is None else np.asarray(intercepts, dtype=float)
    drawn = _draw_world(model, rng)
    pop, graph = drawn.population, drawn.graph
    attitude = pop["attitude"].to_numpy()
    draws = rng.random(len(pop))                     # who recommends, at every intercept: common random numbers
    rows = []
    for sel, r in zip(selections, rng.spawn(len(selections))):
        _, completed = _completers(pop, graph, model.with_(selection=float(sel)), n_studies, r)
        n_done = completed.sum(axis=0)
        done = n_done > 0
        for b in intercepts:
            recommends = _recommends(b, attitude, draws)
            estimate = (completed[:, done] & recommends[:, None]).sum(axis=0) / n_done[done]
            low, high = np.quantile(estimate, [0.025, 0.975]) if done.any() else (np.nan, np.nan)
            rows.append({"selection": float(sel), "odds_ratio": model.odds_ratio(float(sel)),
                         "recommend_intercept": float(b), "truth": float(recommends.mean()),
                         "mean_estimate": float(estimate.mean()) if done.any() else np.nan,
                         "low": float(low), "high": float(high), "compatible": bool(low <= observed <= high)})
    return pd.DataFrame(rows)
