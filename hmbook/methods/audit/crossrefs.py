"""Check ``cross-reference``: rows that report the same quantity (group, variable and level), whatever their
source, must agree on its count, denominator, percentage, mean and SD."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from hmbook import grim
from hmbook.methods.audit.context import Context
from hmbook.methods.audit.findings import Finding, Status
from hmbook.methods.audit.words import percent


def check(ctx: Context) -> list[Finding]:
    found = []
    conv = ctx.rounding.accepted
    for (group, variable, level), rows in ctx.quantities.items():
        if len(rows) < 2:
            continue
        problems = []
        for field in ("count", "denominator"):
            printed = [o for o in rows if pd.notna(getattr(o, field))]
            if len({int(getattr(o, field)) for o in printed}) > 1:
                shown = ", ".join(f"{o.figure_id} ({o.source}) {int(getattr(o, field))}" for o in printed)
                problems.append(f"the {field}s differ: {shown}")
        for field, what in (("percent_text", "percents"), ("mean", "means"), ("sd", "SDs")):
            printed = [o for o in rows if getattr(o, field)]
            if not agree([getattr(o, field) for o in printed], conv):
                shown = ", ".join(f"{o.figure_id} ({o.source}) {getattr(o, field)}" for o in printed)
                problems.append(f"the {what} differ: {shown}")
        full = [(int(o.count), den) for o in rows
                if pd.notna(o.count) and (den := ctx.denominator(o)[0]) is not None]
        if full:
            c, d = full[0]
            for o in rows:
                if pd.isna(o.count) and o.percent_text and 0 <= c <= d \
                        and not grim.fits(c, d, o.percent_text, None, conv):
                    problems.append(f"{o.figure_id} prints {percent(o.percent_text)} but {c}/{d} is "
                                    f"{grim.rounds(c, d, int(o.decimals), conv[0]):g}%")
        sources = sorted({o.source for o in rows})
        what = f"{group} / {variable} / {level}, printed in {len(rows)} places ({'; '.join(sources)})"
        ids = [o.figure_id for o in rows]
        if problems:
            found.append(Finding.of("cross-reference", ids, Status.INCONSISTENT, f"{what}: " + "; ".join(problems)
                                    + "."))
        else:
            found.append(Finding.of("cross-reference", ids, Status.OK, f"{what}: they agree."))
    return found


def agree(texts: list[str], conv: tuple[str, ...]) -> bool:
    """Whether printed values (perhaps to different decimals) can all be roundings of one true value: their
    rounding intervals overlap. 63.28 and 63.3 agree; 63.28 and 63.2 do not.

    >>> agree(["63.28", "63.3"], grim.NEAREST), agree(["63.28", "63.2"], grim.NEAREST)
    (True, False)
    """
    if len(set(texts)) < 2:
        return True
    spans = []
    for t in texts:
        v, dec = grim.scaled(t)
        span = grim.interval(abs(v), conv).scaled(Fraction(1, 10 ** dec))
        spans.append((span.low, span.high) if v >= 0 else (-span.high, -span.low))
    return max(lo for lo, _ in spans) <= min(hi for _, hi in spans)
