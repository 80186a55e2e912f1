"""Checks ``sum`` and ``chain``: each question block's parts against what they should add up to, nested stages in
order, and a count in ``all`` against its groups' counts when the groups split the respondents."""

from __future__ import annotations

from hmbook.methods.audit import structure
from hmbook.methods.audit.context import Context
from hmbook.methods.audit.findings import Finding, Status

_SUM, _BAD, _UNSURE, _OK = "sum", Status.INCONSISTENT, Status.AMBIGUOUS, Status.OK


def check(ctx: Context) -> list[Finding]:
    found = [f for b in ctx.blocks if (f := _block(b)) is not None]
    return found + _partition_sums(ctx)


def _block(b: structure.Block) -> Finding | None:
    if b.kind == "chain":
        return _chain(b)
    if b.kind == "loose":
        return None  # nothing says its levels add up to anything
    if b.kind == "mixed":
        if b.exhaustive:
            return Finding.of(_SUM, b.ids, _BAD, f"{b.name}: the parts print different denominators "
                                                 f"({', '.join(map(str, b.dens))}).")
        shares = b.rows.dropna(subset=["denominator"]).groupby("denominator")["count"].sum()
        over = [f"{int(n)} > {int(d)}" for d, n in shares.items() if n > d]
        return Finding.of(_SUM, b.ids, _BAD if over else _OK,
                          f"{b.name}: the parts ({b.parts}) print different denominators, so they are only checked "
                          "not to add up to more than the denominator they share: " +
                          (f"they do ({', '.join(over)})." if over else "they do not."))
    if b.kind == "nothing" or b.expected is None:
        return Finding.of(_SUM, b.ids, _UNSURE, f"{b.name}: the parts add up to {b.total}; nothing to compare.")
    total, expected = b.total, b.expected
    pct_note = f" The percentages add up to {b.pct_sum:g}." if b.pct_sum is not None else ""
    if b.header is not None and b.dens and b.header != b.dens[0]:
        return Finding.of(_SUM, b.ids, _BAD, f"{b.name}: the header N {b.header} differs from the denominator "
                                             f"{b.dens[0]}.")
    if b.exhaustive and b.pct_sum is not None and not b.pct_whole and total == expected:
        return Finding.of(_SUM, b.ids, _BAD, f"{b.name}: the percentages add up to {b.pct_sum:g}, more than "
                                             f"rounding allows ({b.tolerance:g} points) from 100.")
    if total == expected:
        return Finding.of(_SUM, b.ids, _OK, f"{b.name}: {b.parts} = {total}, {b.basis}.{pct_note}")
    if total > expected:
        return Finding.of(_SUM, b.ids, _BAD if b.firm else _UNSURE,
                          f"{b.name}: the parts add up to {b.parts} = {total}, but {b.basis} is {expected}; "
                          f"{total - expected} too many." + pct_note)
    gap = (f"{b.name}: the parts add up to {b.parts} = {total}, but {b.basis} is {expected}; {expected - total} are "
           "unaccounted for.")
    if b.pct_sum is not None and b.pct_sum < 100 - b.tolerance:
        return Finding.of(_SUM, b.ids, _UNSURE,
                          f"{gap} The percentages add up to {b.pct_sum:g}, short of 100 as well, so the table leaves "
                          "out a level or those who did not answer; it does not say which.")
    if b.exhaustive:
        return Finding.of(_SUM, b.ids, _BAD if b.firm else _UNSURE, gap + pct_note)
    return Finding.of(_SUM, b.ids, _UNSURE, f"{gap} The levels printed may not be all the answers; the file does not "
                                            "say.")


def _chain(b: structure.Block) -> Finding:
    stages = list(b.rows.itertuples())
    path = " -> ".join(f"{o.level} {int(o.count)}" for o in stages)
    rises = [(x, y) for x, y in zip(stages, stages[1:]) if y.count > x.count]
    if not rises:
        return Finding.of("chain", b.ids, _OK, f"{b.name}: nested stages ({path}), each no larger than the one "
                                               "before.")
    x, y = rises[0]
    extra = int(y.count - x.count)
    return Finding.of("chain", b.ids, _UNSURE,
                      f"{b.name}: nested stages ({path}), read in file order since a stage's denominator is an "
                      f"earlier stage's count. {y.level!r} ({int(y.count)}) is larger than {x.level!r} "
                      f"({int(x.count)}) before it, so it is not part of it: {extra} "
                      f"{'comes' if extra == 1 else 'come'} from elsewhere (partial responses, say), and the file "
                      "does not say which.")


def _partition_sums(ctx: Context) -> list[Finding]:
    parts = ctx.parts
    if not parts:
        return []
    keyed: dict[tuple[str, str], list] = {}
    for o in structure.counted(ctx.figs).drop_duplicates(["group", "variable", "level"]).itertuples():
        keyed.setdefault((o.variable, o.level), []).append(o)
    found = []
    for (variable, level), rows in keyed.items():
        whole = [o for o in rows if o.group == "all"]
        pieces = [o for o in rows if o.group in parts]
        if not whole or not pieces:
            continue
        w, s = int(whole[0].count), sum(int(o.count) for o in pieces)
        every = {o.group for o in pieces} == set(parts)
        ok = (w == s) if every else (w >= s)
        shown = " + ".join(f"{int(o.count)} ({o.group})" for o in pieces)
        found.append(Finding.of(_SUM, [o.figure_id for o in whole + pieces], _OK if ok else _BAD,
                                f"{variable} / {level}: the groups {', '.join(parts)} make up 'all', so all's {w} "
                                f"should be {'=' if every else 'at least'} {shown}"
                                f"{' = ' + str(s) if len(pieces) > 1 else ''}."))
    return found
