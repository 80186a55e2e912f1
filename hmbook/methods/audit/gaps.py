"""Check ``denominator``: printed denominators below a group's size (who skipped items), and whether the count of
those who completed leaves room for every respondent with a gap."""

from __future__ import annotations

from typing import NamedTuple

from hmbook.methods.audit.context import Context
from hmbook.methods.audit.findings import Finding, Status

__all__ = ["Gaps", "check"]


class Gaps(NamedTuple):
    """Who can have a gap in their answers, against who must: the numbers of the completion check's finding."""

    completed: int  # the respondents who completed every question that applied
    analysed: int  # the respondents analysed (group ``all``)
    at_least: int  # the fewest respondents with a gap that the printed denominators and blocks show
    by_group: dict[str, int]  # that shortfall, group by group
    partitioned: bool  # whether the groups split the respondents (then their shortfalls add up)
    figure_id: str  # the figure that prints the completed count

    @property
    def room(self) -> int:
        """Analysed less completed: the most respondents who can have a gap."""
        return self.analysed - self.completed


def _skips(ctx: Context) -> tuple[list[Finding], dict[str, int], list[tuple[str, ...]]]:
    """Per group, the larger of the skips its printed denominators show and the shortfall of a question block;
    with the findings for those denominators and the blocks' figure ids."""
    found = []
    shortfall: dict[str, int] = {}
    block_ids = []
    for group, size in ctx.sizes.items():
        rows = ctx.figs[(ctx.figs["group"] == group) & ctx.figs["denominator"].notna()]
        for den, sub in rows[rows["denominator"] < size].groupby("denominator"):
            den = int(den)
            shortfall[group] = max(shortfall.get(group, 0), size - den)
            found.append(Finding.of("denominator", sub["figure_id"], Status.AMBIGUOUS,
                                    f"{den} of the {size} in group {group!r} answered these items: {size - den} gave "
                                    "no answer, and the file does not say who or why."))
    for group, (gap, ids) in ctx.shortfalls.items():
        if group in ctx.sizes and gap > shortfall.get(group, 0):
            shortfall[group] = gap
            block_ids.append(ids)
    return found, shortfall, block_ids


def _gaps(ctx: Context, shortfall: dict[str, int]) -> Gaps | None:
    completed = ctx.figs[(ctx.figs["level"] == "completed") & ctx.figs["count"].notna()]
    if not (len(completed) and "all" in ctx.sizes and shortfall):
        return None
    counted = {g: shortfall[g] for g in (ctx.parts or shortfall) if shortfall.get(g)}
    at_least = sum(counted.values()) if ctx.parts else max(shortfall.values())
    return Gaps(int(completed["count"].iloc[0]), ctx.sizes["all"], at_least, counted, bool(ctx.parts),
                completed["figure_id"].iloc[0])


def check(ctx: Context) -> list[Finding]:
    found, shortfall, block_ids = _skips(ctx)
    gaps = _gaps(ctx, shortfall)
    if gaps is not None:
        ids = [gaps.figure_id] + [i for f in found for i in f.figure_ids] + [i for b in block_ids for i in b]
        by_group = (f" ({', '.join(f'{n} {g}' for g, n in gaps.by_group.items())})"
                    if gaps.partitioned and len(gaps.by_group) > 1 else "")
        found.append(Finding.of("denominator", ids, Status.OK if gaps.at_least <= gaps.room else Status.INCONSISTENT,
                                f"{gaps.completed} of {gaps.analysed} completed every question that applied, so at "
                                f"most {gaps.room} can have a gap; the printed denominators and the questions' "
                                f"shortfalls show at least {gaps.at_least} with a gap{by_group}.",
                                **gaps._asdict(), room=gaps.room))
    return found
