"""What the published counts support, and what they leave open: intervals, illustrative tests, ensemble ranges.

* :func:`wilson_table`: 95 % Wilson intervals (statsmodels) for proportions given as counts and denominators.
* :func:`group_items`: users and non-users side by side for the items of a table of ``figures.csv``.
* :func:`fisher_table`: Fisher's exact test (scipy) per item, users against non-users, with a multiplicity
  adjustment (statsmodels). The tests use published counts only: no synthetic row enters them.
* :func:`ensemble_associations`: the spread, over many synthetic datasets that all reproduce the published
  counts, of associations the paper never reports. The spread shows what the margins leave open; no value in it
  is an estimate of the real association.

>>> wilson_table(pd.DataFrame({"count": [7], "n": [14]})).round(3)[["proportion", "lower", "upper"]]
   proportion  lower  upper
0         0.5  0.268  0.732
>>> fisher_table(pd.DataFrame({"item": ["x"], "users_count": [3], "users_n": [10], "non_users_count": [8],
...                            "non_users_n": [10]})).round(4)[["odds_ratio", "p_value"]]
   odds_ratio  p_value
0      0.1071   0.0698
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from scipy.stats.contingency import association
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from hmbook.constants import VARIABLE_LABELS
from hmbook.data import published, schema
from hmbook.replicate.synth import Ensemble

__all__ = ["wilson_table", "group_items", "fisher_table", "cramers_v", "ensemble_associations", "ASSOCIATIONS"]


def wilson_table(df: pd.DataFrame, count: str = "count", n: str = "n", alpha: float = 0.05) -> pd.DataFrame:
    """``df`` with ``proportion``, ``lower``, ``upper`` and ``width`` (Wilson score interval, level 1 - alpha)."""
    c, m = df[count].astype(int).to_numpy(), df[n].astype(int).to_numpy()
    lower, upper = proportion_confint(c, m, alpha=alpha, method="wilson")
    return df.assign(proportion=c / m, lower=lower, upper=upper, width=upper - lower)


def group_items(figs: pd.DataFrame, source: str, level: str) -> pd.DataFrame:
    """One row per variable of ``source``: ``users_count``, ``users_n``, ``non_users_count``, ``non_users_n``.

    >>> row = group_items(published.figures(), "Table 2", "Yes").iloc[0]
    >>> row["item"], row[["users_count", "users_n", "non_users_count", "non_users_n"]].astype(int).tolist()
    ('Pinching', [23, 76, 7, 14])
    """
    rows = figs[(figs["source"] == source) & (figs["level"] == level) & figs["denominator"].notna()]
    wide = rows.pivot_table(index="variable", columns="group", values=["count", "denominator"], aggfunc="first",
                            sort=False)
    out = pd.DataFrame({
        "variable": wide.index,
        "item": [VARIABLE_LABELS.get(v, v) for v in wide.index],
        "users_count": wide[("count", "users")].astype(int).to_numpy(),
        "users_n": wide[("denominator", "users")].astype(int).to_numpy(),
        "non_users_count": wide[("count", "non_users")].astype(int).to_numpy(),
        "non_users_n": wide[("denominator", "non_users")].astype(int).to_numpy(),
    })
    return out


def fisher_table(items: pd.DataFrame, method: str = "holm", alpha: float = 0.05) -> pd.DataFrame:
    """Fisher's exact test (two-sided) per row of :func:`group_items`, p-values adjusted together by ``method``.

    Adds ``users_pct``, ``non_users_pct``, ``odds_ratio`` (users' odds over non-users'), ``p_value``,
    ``p_adjusted`` and ``reject`` (at ``alpha`` after adjustment).
    """
    odds, p = [], []
    for r in items.itertuples():
        table = [[r.users_count, r.users_n - r.users_count], [r.non_users_count, r.non_users_n - r.non_users_count]]
        res = fisher_exact(table, alternative="two-sided")
        odds.append(float(res.statistic))
        p.append(float(res.pvalue))
    reject, adjusted, _, _ = multipletests(p, alpha=alpha, method=method)
    return items.assign(users_pct=100 * items["users_count"] / items["users_n"],
                        non_users_pct=100 * items["non_users_count"] / items["non_users_n"],
                        odds_ratio=odds, p_value=p, p_adjusted=adjusted, reject=reject)


def cramers_v(table: np.ndarray) -> float:
    """Cramér's V of a contingency table (scipy), after dropping empty rows and columns; 0 if degenerate.

    >>> round(cramers_v(np.array([[10, 0], [0, 10]])), 3), cramers_v(np.array([[5, 5], [0, 0]]))
    (1.0, 0.0)
    """
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return 0.0
    return float(association(table, method="cramer"))


def _cramers_v_many(tables: np.ndarray) -> np.ndarray:
    """Cramér's V of each table in a (k, r, c) stack, empty rows and columns ignored; 0 if degenerate.

    Hand-rolled on purpose: scipy's ``association`` takes one table at a time, and the chapter needs thousands
    (about a hundred times faster vectorised). ``tests/test_inference.py`` checks it against scipy table by table.
    """
    n = tables.sum(axis=(1, 2)).astype(float)
    rows, cols = tables.sum(axis=2), tables.sum(axis=1)
    expected = rows[:, :, None] * cols[:, None, :] / n[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        chi2 = np.where(expected > 0, (tables - expected) ** 2 / expected, 0.0).sum(axis=(1, 2))
    dof = np.minimum((rows > 0).sum(axis=1), (cols > 0).sum(axis=1)) - 1
    return np.where(dof > 0, np.sqrt(chi2 / (n * np.maximum(dof, 1))), 0.0)


def _tables(a: np.ndarray, b: np.ndarray, keep: np.ndarray, na: int, nb: int) -> np.ndarray:
    """Contingency tables (k, na, nb) of code arrays ``a``, ``b`` (k, n) over the cells where ``keep`` holds."""
    k = a.shape[0]
    out = np.zeros((k, na, nb), dtype=np.int64)
    ds = np.broadcast_to(np.arange(k)[:, None], a.shape)
    np.add.at(out, (ds[keep], a[keep], b[keep]), 1)
    return out


def _band_codes(years: np.ndarray) -> np.ndarray:
    bands = published.year_bands(published.figures())
    edges = np.array([hi for _, _, hi, _ in bands[:-1]])
    return np.searchsorted(edges, years, side="left")


def _training_confidence(ens: Ensemble) -> dict[str, np.ndarray]:
    users = ens.codes["used_hm"] == 1
    trained, conf = ens.codes["trained"], ens.codes["confidence"]
    keep = users & (trained >= 0) & (conf >= 0)
    tables = _tables(trained, conf, keep, 2, len(schema.column("confidence").categories))
    confident = tables[:, :, 0] / tables.sum(axis=2)  # category 0 is 'Confident'
    return {"confident_gap": 100 * (confident[:, 1] - confident[:, 0]),
            "v_training_confidence": _cramers_v_many(tables)}


def _occupation_years(ens: Ensemble) -> dict[str, np.ndarray]:
    occ, years = ens.codes["occupation"], _band_codes(ens.codes["years_in_role"])
    tables = _tables(occ, years, np.ones_like(occ, dtype=bool), len(schema.column("occupation").categories),
                     int(years.max()) + 1)
    gp = schema.column("occupation").categories.index("General practitioner")
    over_2 = tables[:, :, 1:].sum(axis=2) / tables.sum(axis=2)
    others = ((tables[:, :, 1:].sum(axis=(1, 2)) - tables[:, gp, 1:].sum(axis=1))
              / (tables.sum(axis=(1, 2)) - tables[:, gp].sum(axis=1)))
    return {"over_two_gap": 100 * (over_2[:, gp] - others),
            "v_occupation_years": _cramers_v_many(tables)}


#: The associations :func:`ensemble_associations` measures, by pair of variables (keys are identifiers).
ASSOCIATIONS = {"training_confidence": _training_confidence, "occupation_years": _occupation_years}

def ensemble_associations(ens: Ensemble) -> pd.DataFrame:
    """Long table: ``pair``, ``measure``, ``dataset``, ``value``, one row per measure and synthetic dataset.

    ``pair`` and ``measure`` are identifiers (keys of :data:`ASSOCIATIONS` and of
    :data:`hmbook.constants.MEASURE_LABELS`); show them to a reader through those labels.

    >>> from hmbook.replicate import synth
    >>> out = ensemble_associations(synth.ensemble(50, seed=3))
    >>> sorted(out["pair"].unique()), int(out["dataset"].max())
    (['occupation_years', 'training_confidence'], 49)
    """
    frames = []
    for pair, fn in ASSOCIATIONS.items():
        for measure, values in fn(ens).items():
            frames.append(pd.DataFrame({"pair": pair, "measure": measure, "dataset": np.arange(len(values)),
                                        "value": values}))
    return pd.concat(frames, ignore_index=True)
