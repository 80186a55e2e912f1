"""One synthetic respondent table from a figures file and a study spec: build, solve, check, describe.

The table the solver gives is counted again here, independently of the integer program, against every figure it
carries (count, denominator, percentage under the rounding used); a table that failed would be an error of hmbook's,
never written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hmbook import grim
from hmbook.errors import DataError
from hmbook.methods.audit import choose_rounding, structure
from hmbook.synthesis import model as model_
from hmbook.synthesis import solve as solve_
from hmbook.synthesis.spec import Spec

__all__ = ["Result", "synthesise", "describe"]


@dataclass(frozen=True)
class Result:
    """A synthetic table and what it rests on."""

    table: pd.DataFrame
    carried: tuple[str, ...]  # figure ids the table holds
    not_carried: tuple[str, ...]  # the others: the spec's not_carried, and figures about undeclared variables
    conventions: tuple[str, ...]
    seed: int


def synthesise(figs: pd.DataFrame, spec: Spec, seed: int, time_limit: float, rounding: str = "auto") -> Result:
    """One table satisfying every figure of ``figs`` the spec lets a respondent table carry (see
    :mod:`hmbook.synthesis.model`); a one-line :class:`DataError` naming a minimal set of figures that cannot hold
    together when there is none, or when the time limit is reached."""
    known = set(figs["figure_id"])
    if unknown := sorted(set(spec.not_carried) - known):
        raise DataError(f"{spec.path}: not_carried names figure {unknown[0]!r}, which the figures file does not have")
    used = set(figs["variable"])
    if unused := [v.name for v in spec.variables if v.name not in used and not any(
            v.name == var for cond in spec.groups.values() for var, _ in cond)]:
        raise DataError(f"{spec.path}: variable {unused[0]!r} is in no figure of the file and defines no group")
    conventions = choose_rounding(figs, rounding).accepted
    built = model_.build(spec, figs, conventions)  # refuses a figure's group or level the spec lacks
    printed = set(zip(figs["variable"], figs["level"]))
    named = {pair for cond in [*spec.groups.values(), *(v.asked for v in spec.variables)] for pair in cond}
    for v in spec.variables:
        if v.kind == "category" and (lost := [lv for lv in v.levels if (v.name, lv) not in printed | named]):
            raise DataError(f"{spec.path}: {v.name}'s level {lost[0]!r} is in no figure of the file and no condition "
                            "(its count would be left to chance: remove it, or transcribe the figure that prints it)")
    outcome = solve_.solve(built, seed, time_limit)
    if outcome.values is None:
        needed = solve_.conflict(built, seed, time_limit)
        raise DataError(f"no respondent table satisfies these figures together: {', '.join(needed)} (read them beside "
                        "`hmbook audit`; a figure no table can carry goes under not_carried in the spec)")
    table = solve_.table(spec, built, outcome.values)
    carried = tuple(dict.fromkeys(built.carried))
    _recount(table, spec, figs, carried, conventions)
    return Result(table, carried, tuple(f for f in figs["figure_id"] if f not in set(carried)), conventions, seed)


def _recount(table: pd.DataFrame, spec: Spec, figs: pd.DataFrame, carried: tuple[str, ...],
             conventions: tuple[str, ...]) -> None:
    """Count every carried figure again in ``table``; raise if one does not hold (a fault of hmbook's)."""
    heads = structure.headers(figs)
    text = {v.name: (lambda lv, kind=v.kind: {"Yes": "true", "No": "false"}.get(lv, lv) if kind == "yesno" else lv)
            for v in spec.variables}
    for r in figs[figs["figure_id"].isin(carried)].itertuples():
        rows = table
        for name, level in spec.groups.get(r.group, ()):
            rows = rows[rows[name] == text[name](level)]
        if r.variable == "respondents":
            ok = len(rows) == int(r.count)
        else:
            var = spec.variable(r.variable)
            answered = rows[rows[var.name] != ""]
            if r.level == "answered":
                ok = len(answered) == int(r.count)
            elif r.level in ("minimum", "maximum") and var.kind == "whole":
                values = answered[var.name].astype(int)
                ok = len(values) > 0 and (values.min() if r.level == "minimum" else values.max()) == int(r.count)
            else:
                levels = {text[var.name](lv) for lv in model_.level_set(var, r.level) or ()}
                c = int(answered[var.name].isin(levels).sum())
                den = structure.denominator(r, heads)[0]
                den = len(answered) if den is None else den
                ok = (pd.isna(r.count) or c == int(r.count)) and (
                    pd.isna(r.denominator) or len(answered) == int(r.denominator)) and (
                    not r.percent_text or (den > 0 and grim.fits(c, den, r.percent_text, None, conventions)))
        if not ok:
            raise DataError(f"internal error: the solver's table breaks figure {r.figure_id}; please report it")


def describe(result: Result, figures: str, spec: str) -> str:
    """The README written beside the table: what it is (SYNTHETIC), what made it, which figures it holds."""
    return (f"SYNTHETIC DATA. synthetic_respondents.csv is not real data: {len(result.table)} made-up respondents\n"
            f"whose answers reproduce the figures below, made by `hmbook synth {figures} --spec {spec} --seed "
            f"{result.seed}`.\n"
            "Anything the figures do not fix (who answered what, associations the paper never printed) is one draw\n"
            "among many and means nothing.\n\n"
            f"Rounding of the percentages: {', '.join(result.conventions)}.\n"
            f"Figures it holds ({len(result.carried)}): {', '.join(result.carried)}\n"
            f"Figures no respondent table of this spec carries ({len(result.not_carried)}): "
            f"{', '.join(result.not_carried) or 'none'}\n")
