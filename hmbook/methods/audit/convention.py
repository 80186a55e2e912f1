"""Check ``rounding``: said once, when the file's own rows do not fix its rounding and none was chosen."""

from __future__ import annotations

from hmbook.grim import NEAREST
from hmbook.methods.audit.context import Context
from hmbook.methods.audit.findings import Finding, Status
from hmbook.methods.audit.words import how


def check(ctx: Context) -> list[Finding]:
    figs = ctx.figs
    judged = figs[(figs["percent_text"] != "") | (figs["mean"] != "")]
    if ctx.rounding.basis != "assumed" or judged.empty:
        return []
    kind = "rounding to nearest" if ctx.rounding.accepted[0] in NEAREST else how(ctx.rounding.accepted)
    return [Finding.of("rounding", (), Status.NOTE,
                       f"The file does not fix its rounding ({ctx.rounding.reason}). "
                       f"Its {len(judged)} percentages and means are judged under {kind}, the usual convention, and "
                       "one that fits only under another rounding is inconsistent, its finding naming the rounding "
                       "that would give it. If the paper says it rounds another way, audit it with --rounding "
                       "(--rounding any accepts every convention).")]
