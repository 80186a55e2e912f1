"""Checks ``mean``, ``sd`` and ``binary``: GRIM for means of whole-number items, GRIMMER for their SDs, DEBIT for
0/1 items."""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from hmbook import grim
from hmbook.methods.audit.context import Context
from hmbook.methods.audit.findings import Finding, Status
from hmbook.methods.audit.words import how, span


def check(ctx: Context) -> list[Finding]:
    found = []
    for r in ctx.figs[ctx.figs["mean"] != ""].itertuples():
        if ctx.out_of_range_as(r.figure_id, "mean"):
            continue  # the range check reports it
        n, basis = ctx.denominator(r)
        binary = pd.notna(r.scale_min) and pd.notna(r.scale_max) and (r.scale_min, r.scale_max) == (0, 1)
        if not binary and pd.isna(r.n_items):
            continue  # not declared as whole-number answers: nothing to check the granularity of
        if n is None:
            found.append(Finding.of("binary" if binary and r.sd else "mean", r.figure_id, Status.AMBIGUOUS,
                                    f"The mean {r.mean} has no n (no denominator and no header N), so it cannot be "
                                    "checked."))
            continue
        if binary and r.sd:
            found.append(_debit(ctx, r, n, basis))
            continue
        items = 1 if binary else int(r.n_items)
        low = None if pd.isna(r.scale_min) else int(r.scale_min)
        high = None if pd.isna(r.scale_max) else int(r.scale_max)
        mean = _grim(ctx, r, n, items, low, high, basis)
        found.append(mean)
        if r.sd and mean.status == Status.OK:
            found.append(_grimmer(ctx, r, n, items, low, high, basis))
    return found


def _cells(n: int, items: int) -> str:
    return f"{n} people x {items} items" if items > 1 else f"{n} people"


def _grim(ctx: Context, r, n: int, items: int, low: int | None, high: int | None, basis: str) -> Finding:
    rounding, cells = ctx.rounding, _cells(n, items)
    sums = grim.grim_sums(r.mean, n, items, rounding.accepted, low, high)
    if sums:
        return Finding.of("mean", r.figure_id, Status.OK, f"The mean {r.mean} of {cells}{basis} fits a total of "
                                                          f"{span(sums)} (GRIM).")
    alt = rounding.others(lambda cv: bool(grim.grim_sums(r.mean, n, items, cv, low, high)))
    if alt:
        return Finding.of("mean", r.figure_id, Status.INCONSISTENT,
                          f"No whole-number total of {cells}{basis} gives the mean {r.mean} under {rounding.words}; "
                          f"one does only under {how(alt)}.")
    return Finding.of("mean", r.figure_id, Status.INCONSISTENT,
                      f"No whole-number total of {cells}{basis} gives the mean {r.mean} (GRIM): "
                      f"{_near_means(r.mean, n * items)}.")


def _near_means(mean: str, cells: int) -> str:
    m, dec = grim.scaled(mean)
    below = math.floor(Fraction(m * cells, 10 ** dec))
    return " and ".join(f"{s}/{cells} = {float(Fraction(s, cells)):.{dec + 2}f}" for s in (below, below + 1))


def _grimmer(ctx: Context, r, n: int, items: int, low: int | None, high: int | None, basis: str) -> Finding:
    if n < 2:
        return Finding.of("sd", r.figure_id, Status.AMBIGUOUS, f"The SD {r.sd} needs an n of at least 2, not {n}.")
    rounding = ctx.rounding
    ok, reason = grim.grimmer(r.mean, r.sd, n, items, rounding.accepted, low, high)
    what = f"The mean {r.mean} and SD {r.sd} of {_cells(n, items)}{basis}"
    if ok:
        return Finding.of("sd", r.figure_id, Status.OK,
                          f"{what} fit a whole-number sum of squares of the right parity (GRIMMER).")
    if ok is None:
        return Finding.of("sd", r.figure_id, Status.AMBIGUOUS, f"{what}: too many totals fit the mean to check them "
                                                               "all.")
    why = {"sd": "no whole-number sum of squares gives that SD with that mean",
           "parity": "the sums of squares that give that SD are all of the wrong parity (odd where the total is "
                     "even, or the reverse)"}[reason]
    alt = rounding.others(lambda cv: bool(grim.grimmer(r.mean, r.sd, n, items, cv, low, high)[0]))
    if alt:
        return Finding.of("sd", r.figure_id, Status.INCONSISTENT,
                          f"{what} do not fit under {rounding.words} (GRIMMER: {why}); they fit only under {how(alt)}.")
    return Finding.of("sd", r.figure_id, Status.INCONSISTENT, f"{what} do not fit (GRIMMER): {why}.")


def _debit(ctx: Context, r, n: int, basis: str) -> Finding:
    rounding = ctx.rounding
    what = f"The mean {r.mean} and SD {r.sd} of {n} answers of 0 or 1{basis}"
    if grim.debit(r.mean, r.sd, n, rounding.accepted):
        return Finding.of("binary", r.figure_id, Status.OK, f"{what} fit some count of ones (DEBIT).")
    alt = rounding.others(lambda cv: grim.debit(r.mean, r.sd, n, cv))
    if alt:
        return Finding.of("binary", r.figure_id, Status.INCONSISTENT,
                          f"{what} do not fit under {rounding.words}; they fit together only under {how(alt)} "
                          "(DEBIT).")
    return Finding.of("binary", r.figure_id, Status.INCONSISTENT, f"{what} do not fit any count of ones (DEBIT).")
