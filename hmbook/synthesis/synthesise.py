"""Synthetic respondent tables from a figures file and a study spec: build the count program, solve it once, draw
from the chain, check, describe.

Every table handed out is checked afresh against the count program (:func:`hmbook.synthesis.chain.satisfied`), and
the first is also counted again here, independently of the program, against every figure it carries (count,
denominator, percentage under the rounding used); a table that failed would be an error of hmbook's, never written.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hmbook import grim
from hmbook.errors import DataError
from hmbook.methods.audit import choose_rounding, structure
from hmbook.synthesis import chain
from hmbook.synthesis import program as program_
from hmbook.synthesis import solve as solve_
from hmbook.synthesis.spec import NO, YES, Spec

__all__ = ["Result", "prepare", "synthesise", "table", "describe"]


@dataclass(frozen=True)
class Result:
    """Synthetic tables and what they rest on."""

    tables: tuple[pd.DataFrame, ...]  # every draw
    carried: tuple[str, ...]  # figure ids the table holds
    not_carried: tuple[str, ...]  # the others: the spec's not_carried, and figures about undeclared variables
    conventions: tuple[str, ...]
    seed: int
    sweeps: int

    @property
    def table(self) -> pd.DataFrame:
        """The first (or only) draw."""
        return self.tables[0]


def prepare(figs: pd.DataFrame, spec: Spec, rounding: str = "auto") -> tuple[program_.Program, tuple[str, ...]]:
    """The count program of ``figs`` and ``spec``, and the rounding it reads percentages under; one-line
    :class:`DataError` on a spec that does not fit its figures."""
    known = set(figs["figure_id"])
    if unknown := sorted(set(spec.not_carried) - known):
        raise DataError(f"{spec.path}: not_carried names figure {unknown[0]!r}, which the figures file does not have")
    if unknown := sorted(set(spec.read) - known):
        raise DataError(f"{spec.path}: read names figure {unknown[0]!r}, which the figures file does not have")
    figs = program_.as_read(figs, spec)
    used = set(figs["variable"])
    if unused := [v.name for v in spec.variables if v.name not in used and v.printed and not any(
            v.name == var for cond in spec.groups.values() for var, _ in cond)]:
        raise DataError(f"{spec.path}: variable {unused[0]!r} is in no figure of the file and defines no group "
                        "(a category no figure prints, left to the draw, says printed: false)")
    conventions = choose_rounding(figs, rounding).accepted
    built = program_.build(spec, figs, conventions)  # refuses a figure's group or level the spec lacks
    printed = set(zip(figs["variable"], figs["level"]))
    named = {pair for cond in [*spec.groups.values(), *(v.asked for v in spec.variables)] for pair in cond}
    for v in spec.variables:
        if v.kind == "category" and v.printed and (
                lost := [lv for lv in v.levels if (v.name, lv) not in printed | named]):
            raise DataError(f"{spec.path}: {v.name}'s level {lost[0]!r} is in no figure of the file and no condition "
                            "(its count would be left to chance: remove it, or transcribe the figure that prints it)")
    return built, conventions


def start(built: program_.Program, time_limit: float, form: str = "auto") -> tuple[solve_.Compiled, np.ndarray]:
    """The integer program and one table (codes) the solver finds; one line naming a minimal set of figures that
    cannot hold together when there is none."""
    compiled = solve_.compile_program(built, form=form)
    first = solve_.find_table(compiled, time_limit)
    if first is None:
        needed = solve_.conflict(compiled, time_limit)
        rules = {r.id for r in built.spec.rules}
        figures = [t for t in needed if t not in rules]
        also = [t for t in needed if t in rules]
        with_rules = f", with the spec's rule{'s' if len(also) > 1 else ''} {', '.join(also)}" if also else ""
        raise DataError(f"no respondent table satisfies these figures together: {', '.join(figures)}{with_rules} "
                        "(read them beside `hmbook audit`; a figure no table can carry goes under not_carried in "
                        "the spec)")
    return compiled, first


def synthesise(figs: pd.DataFrame, spec: Spec, seed: int, time_limit: float, rounding: str = "auto",
               draws: int = 1, sweeps: int = chain.DEFAULT_SWEEPS) -> Result:
    """``draws`` tables satisfying every figure of ``figs`` the spec lets a respondent table carry (see
    :mod:`hmbook.synthesis.program`), drawn by the chain (:mod:`hmbook.synthesis.chain`) from the solver's table;
    a one-line :class:`DataError` naming a minimal set of figures that cannot hold together when there is none, or
    when the time limit is reached."""
    built, conventions = prepare(figs, spec, rounding)
    _, first = start(built, time_limit)
    if not chain.satisfied(built, first):
        raise DataError("internal error: the solver's table breaks the program; please report it")
    drawn = chain.draw(built, first, draws, seed, sweeps)
    if not all(chain.satisfied(built, t) for t in drawn):
        raise DataError("internal error: the chain left the consistent tables; please report it")
    tables = tuple(table(built, t) for t in drawn)
    carried = tuple(dict.fromkeys(built.carried))
    _recount(tables[0], spec, figs, carried, conventions)
    return Result(tables, carried, tuple(f for f in figs["figure_id"] if f not in set(carried)),
                  conventions, seed, sweeps)


def table(built: program_.Program, codes: np.ndarray) -> pd.DataFrame:
    """The respondent table of ``codes``: ``respondent_id`` 1 to n, then one column per variable (a category's
    level, ``true``/``false`` for a yes/no item, the number for a whole number; empty: unanswered)."""
    out: dict[str, list] = {"respondent_id": list(range(1, built.n + 1))}
    for k, var in enumerate(built.variables):
        names = [{YES: "true", NO: "false"}.get(lv, lv) if var.kind == "yesno" else lv for lv in var.levels]
        out[var.name] = ["" if c < 0 else names[c] for c in codes[:, k]]
    return pd.DataFrame(out)


def _recount(table: pd.DataFrame, spec: Spec, figs: pd.DataFrame, carried: tuple[str, ...],
             conventions: tuple[str, ...]) -> None:
    """Count every carried figure again in ``table``; raise if one does not hold (a fault of hmbook's)."""
    figs = program_.as_read(figs, spec)
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
                how = spec.read.get(r.figure_id)
                printed_is, of = (how.denominator, how.percent) if how is not None else ("answered", "printed")
                levels = {text[var.name](lv) for lv in program_.level_set(var, r.level) or ()}
                c = int(answered[var.name].isin(levels).sum())
                den = structure.denominator(r, heads)[0] if of == "printed" else None
                den = (len(rows) if of == "group" else len(answered)) if den is None else den
                ok = (pd.isna(r.count) or c == int(r.count)) and (
                    pd.isna(r.denominator) or (len(rows) if printed_is == "group" else len(answered)) == int(
                        r.denominator)) and (
                    not r.percent_text or of == "not_carried" or (
                        den > 0 and grim.fits(c, den, r.percent_text, None, conventions)))
        if not ok:
            raise DataError(f"internal error: the solver's table breaks figure {r.figure_id}; please report it")


def file_name(result: Result, ensemble: bool) -> str:
    return "synthetic_ensemble.csv" if ensemble else "synthetic_respondents.csv"


def to_csv(result: Result, ensemble: bool) -> bytes:
    """The table (or, for an ensemble, every draw, a ``draw`` column 1 to K first) as CSV bytes."""
    if not ensemble:
        return result.table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    both = pd.concat([t.assign(draw=k) for k, t in enumerate(result.tables, start=1)], ignore_index=True)
    both = both[["draw", *result.table.columns]]
    return both.to_csv(index=False, lineterminator="\n").encode("utf-8")


def describe(result: Result, figures: str, spec: str, ensemble: bool = False) -> str:
    """The README written beside the table: what it is (SYNTHETIC), what made it, how it was drawn, which figures
    it holds."""
    k = len(result.tables)
    head = (f"SYNTHETIC DATA. synthetic_ensemble.csv is not real data: {k} made-up respondent tables of "
            f"{len(result.table)}\n(one per value of its draw column)" if ensemble else
            f"SYNTHETIC DATA. synthetic_respondents.csv is not real data: {len(result.table)} made-up respondents")
    option = f" --ensemble {k}" if ensemble else ""
    return (f"{head}\nwhose answers reproduce the figures below, made by\n`hmbook synth {figures} --spec {spec} "
            f"--seed {result.seed} --sweeps {result.sweeps}{option}`.\n"
            "Anything the figures do not fix (who answered what, associations the paper never printed) is a random\n"
            "draw and means nothing.\n\n"
            "How it was drawn: the solver found one table that holds every figure; a Markov chain then changed it\n"
            f"step by step, {result.sweeps} sweeps, keeping only steps after which every figure still holds. Its "
            "tables are\n(close to) uniform over every table that holds the figures and that such steps reach "
            "(see hmbook/synthesis/chain.py).\n\n"
            f"Rounding of the percentages: {', '.join(result.conventions)}.\n"
            f"Figures it holds ({len(result.carried)}): {', '.join(result.carried)}\n"
            f"Figures no respondent table of this spec carries ({len(result.not_carried)}): "
            f"{', '.join(result.not_carried) or 'none'}\n")
