"""Check ``percentage``: printed percentages against their counts and denominators, with a GRIM search where one
of them is missing."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from hmbook import grim
from hmbook.methods.audit import structure
from hmbook.methods.audit.context import Context
from hmbook.methods.audit.findings import Finding, Status
from hmbook.methods.audit.words import how, percent, span


def check(ctx: Context) -> list[Finding]:
    found = []
    file_dens = sorted({int(d) for d in ctx.figs["denominator"].dropna()} | set(ctx.sizes.values()))
    for r in ctx.figs[ctx.figs["percent_text"] != ""].itertuples():
        if ctx.out_of_range_as(r.figure_id, "percent"):
            continue  # the range check reports it
        den, basis = ctx.denominator(r)
        if pd.notna(r.count) and den is not None:
            found.append(_full(ctx, r, int(r.count), den, basis))
        elif pd.notna(r.count):
            found.append(_missing_denominator(ctx, r))
        elif den is not None and r.figure_id not in ctx.covered:
            found.append(_percent_of_n(ctx, r, den, basis))
        elif den is None and r.figure_id not in ctx.twins:  # a percentage alone; with a twin, the cross-reference
            found.append(_alone(ctx, file_dens, r))
    return found


def _full(ctx: Context, r, c: int, d: int, basis: str) -> Finding:
    text, p, dec, rounding = r.percent_text, percent(r.percent_text), int(r.decimals), ctx.rounding
    conv = rounding.accepted
    if grim.fits(c, d, text, None, conv):
        split = [cv for cv in conv if not grim.fits(c, d, text, None, (cv,))] if grim.on_half(c, d, text) else []
        if split:
            return Finding.of("percentage", r.figure_id, Status.NOTE,
                              f"{c}/{d}{basis} is exactly a half at the printed precision: {p} fits under "
                              f"{how(cv for cv in conv if cv not in split)}, not {how(split)}, and the file's other "
                              "rows do not say which way it rounds halves.")
        return Finding.of("percentage", r.figure_id, Status.OK, f"{c}/{d} rounds to {p}{basis}.", count=c,
                          denominator=d)
    near = grim.rounds(c, d, dec, conv[0])
    alt = rounding.others(lambda cv: grim.fits(c, d, text, None, cv))
    if alt:
        return Finding.of("percentage", r.figure_id, Status.INCONSISTENT,
                          f"{c}/{d}{basis} is {near:.{dec}f}% under {rounding.words}; the printed {p} fits only "
                          f"under {how(alt)}.", count=c, denominator=d, rounded=near, conventions=tuple(alt))
    dens, counts = grim.implied_denominators(c, text, None, conv), grim.implied_counts(d, text, None, conv)
    parts = ctx.index.part_counts(r.group, r.variable)
    likely = sum(parts) if len(parts) > 1 and sum(parts) in dens else None
    why = (f"{c}/{d}{basis} is {near:.{dec}f}%, not the printed {p}. Denominators that give {p} with {c}: "
           f"{span(dens)}; counts that give it out of {d}: {span(counts)}. ")
    why += (f"The parts of this question add up to {likely}, so {c}/{likely} is the likely reading."
            if likely else "No other figure of the file supplies such a denominator, and no other rounding gives "
                           "it: the percentage itself is probably misprinted.")
    return Finding.of("percentage", r.figure_id, Status.INCONSISTENT, why, count=c, denominator=d, rounded=near,
                      denominators=dens, counts=counts, likely=likely)


def _percent_of_n(ctx: Context, r, den: int, basis: str) -> Finding:
    """A percentage with a denominator (printed, or the header N) but no count: which whole counts give it?"""
    text, p, dec, rounding = r.percent_text, percent(r.percent_text), int(r.decimals), ctx.rounding
    conv = rounding.accepted
    counts = grim.implied_counts(den, text, None, conv)
    if counts:
        which = "the only count that gives it" if counts[0] == counts[-1] else "the counts that give it"
        return Finding.of("percentage", r.figure_id, Status.OK, f"{p} of {den}{basis} is {span(counts)}, {which}.",
                          denominator=den, counts=counts)
    below = int(Decimal(text) * den // 100)
    near = (f"{below}/{den} is {grim.rounds(below, den, dec, conv[0]):.{dec}f}% and {below + 1}/{den} is "
            f"{grim.rounds(below + 1, den, dec, conv[0]):.{dec}f}%")
    alt = rounding.others(lambda cv: bool(grim.implied_counts(den, text, None, cv)))
    if alt:
        return Finding.of("percentage", r.figure_id, Status.INCONSISTENT,
                          f"No whole count out of {den}{basis} gives {p} under {rounding.words} ({near}); "
                          f"{span(grim.implied_counts(den, text, None, alt))} gives it only under {how(alt)}.")
    return Finding.of("percentage", r.figure_id, Status.INCONSISTENT,
                      f"No whole count out of {den}{basis} gives {p}: {near}.")


def _missing_denominator(ctx: Context, r) -> Finding:
    c, text, p = int(r.count), r.percent_text, percent(r.percent_text)
    dens = grim.implied_denominators(c, text, None, ctx.rounding.accepted)
    known = []  # (denominator, where it comes from), the firmest first
    known += [(d, "printed with this question") for d in ctx.index.dens.get((r.group, r.variable), [])]
    if r.group in ctx.sizes:
        known.append((ctx.sizes[r.group], f"the size of group {r.group!r}"))
    known += [(k, f"the count of {fid}") for fid, k in ctx.index.source_counts.get((r.source, r.group), [])
              if fid != r.figure_id]
    parts = ctx.index.part_counts(r.group, r.variable)
    total = sum(parts)
    for d, where in known:
        if d in dens:
            also = sorted({k for k, _ in known if k in dens and k != d}
                          | ({total} if len(parts) > 1 and total in dens and total != d else set()))
            extra = f" (it also fits {span(also)})" if also else ""
            return Finding.of("percentage", r.figure_id, Status.OK,
                              f"No denominator printed; {c} gives {p} out of {d}, {where}{extra}.", count=c,
                              denominator=d, denominators=dens)
    why = f"No denominator printed, and none printed nearby fits: {c} gives {p} only out of {span(dens)} (GRIM)"
    if r.group in ctx.sizes:
        why += f", not out of the group's {ctx.sizes[r.group]}"
    why += (f". The parts of this question add up to {total}, the likely denominator." if len(parts) > 1
            and total in dens else ".")
    return Finding.of("percentage", r.figure_id, Status.AMBIGUOUS, why, count=c, denominators=dens)


def _alone(ctx: Context, file_dens: list[int], r) -> Finding:
    text, p, conv = r.percent_text, percent(r.percent_text), ctx.rounding.accepted
    den = ctx.sizes.get(r.group)
    block = ctx.index.parts.get((r.group, r.variable), {})  # level -> (figure id, count)
    counts = grim.implied_counts(den, text, None, conv) if den else range(0)
    if den and block and r.level not in block:
        found = structure.level_sets(block, r.level, counts)
        if found is None:
            return Finding.of("percentage", r.figure_id, Status.AMBIGUOUS,
                              f"{r.level!r} is not one of the {len(block)} printed levels of {r.variable!r}. {p} of "
                              f"{den} is {span(counts)}; too many sets of the printed levels add up to numbers like "
                              "that to count.")
        n_sets, n_near, chosen = found
        if n_sets == 1:
            levels = list(block)
            return Finding.of("percentage", r.figure_id, Status.OK,
                              f"{r.level!r} is not a printed level of {r.variable!r}, but only one set of levels "
                              f"gives {p} of {den}: {', '.join(repr(levels[i]) for i in chosen)}.", denominator=den,
                              counts=counts, sets=1, near_sets=n_near)
        return Finding.of("percentage", r.figure_id, Status.AMBIGUOUS,
                          f"{r.level!r} is not one of the {len(block)} printed levels of {r.variable!r}. {p} of {den} "
                          f"is {span(counts)}; {n_sets} different sets of the printed levels add up to that, {n_near} "
                          "of them using only levels whose labels share a word with it. The paper does not say which.",
                          denominator=den, counts=counts, sets=n_sets, near_sets=n_near)
    usable = [f"{d} ({span(grim.implied_counts(d, text, None, conv))})" for d in file_dens
              if grim.implied_counts(d, text, None, conv)]
    smallest = grim.smallest_denominator(text, None, conv)
    return Finding.of("percentage", r.figure_id, Status.AMBIGUOUS,
                      f"{p} is printed with no count or denominator, so it cannot be checked. Of the denominators in "
                      f"this file, those that can give it (with the count) are: {', '.join(usable) or 'none'}; the "
                      f"smallest denominator that can give it at all is {smallest}.", smallest=smallest)
