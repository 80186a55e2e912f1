"""Check ``range``: counts above their denominator, percentages outside 0-100, means outside the scale, SDs too
large for it."""

from __future__ import annotations

from hmbook.methods.audit.context import Context
from hmbook.methods.audit.findings import Finding, Status


def check(ctx: Context) -> list[Finding]:
    return [Finding.of("range", fid, Status.INCONSISTENT, why)
            for fid, problems in ctx.out_of_range.items() for _, why in problems]
