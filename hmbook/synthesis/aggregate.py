"""The count program as a small integer program over *classes* of like respondents, when its shape allows: the
same tables, far fewer unknowns than one per respondent and level.

The **context** variables are those a group or an ``asked`` condition names (and the other options of a set that
has one of them). Every predicate of the program is then some context literals and at most one literal on another
variable, so a table's counts depend only on, for each class, how many respondents it holds and how many of them
gave each level of each other variable. A **class** is a combination of context answers (one that the spec's rules
allow), for the unpinned respondents, or for one pinned respondent (each pinned respondent is a class of one, whose
pins are rows; in a focused program, which is only counted, respondents with the same pins share their classes).
Unknowns: ``m[class]``, its respondents, and ``y[class, v, level]``, those of it at a level of a
non-context variable ``v`` (0 unless the class is asked ``v``).

Any solution is the counts of some table, and every table's counts are a solution, because within a class the
non-context variables can be laid out independently: each variable's levels handed out in order, and a multi-answer
set's options laid out by wrapping around the class (options counted ``y_1, y_2, ...`` are written into the
respondents 1, 2, ..., m, 1, 2, ... in turn), which gives every respondent distinct options, between floor and
ceiling of their total over m: within the set's fewest and most exactly when ``fewest * m <= total <= most * m``
(the set's row here). A cross-tabulation of two non-context variables (for ``hmbook bounds``) adds the unknowns
``w[class, a, b]`` of the pair's joint counts, whose margins are the y's; such a joint can be laid out too, unless
both variables lie in multi-answer sets, which the per-respondent form (:mod:`.solve`) then handles.

:func:`compile_classes` returns None when the shape does not allow this (too many classes, a set whose options may
be skipped, a set mixing the two kinds) or when it would have more unknowns than one per respondent and level
(many pinned respondents, or large joints); :func:`hmbook.synthesis.solve.compile_program` then builds the
per-respondent form.
"""

from __future__ import annotations

import itertools

import numpy as np

from hmbook.synthesis.integer import Compiled, Rows
from hmbook.synthesis.program import Program

__all__ = ["MAX_CLASSES", "compile_classes"]

#: The most combinations of context answers the class form takes (beyond it, one unknown per respondent).
MAX_CLASSES = 5000
_MAX_PINNED = 200
_SMALL = 20_000


def _context(program: Program) -> set[int]:
    """The context variables: those a group or an ``asked`` condition names (and the rest of a set they touch)."""
    spec = program.spec
    ctx = {program.column(var) for cond in spec.groups.values() for var, _ in cond}
    ctx |= {program.column(var) for v in program.variables for var, _ in v.asked}
    changed = True
    while changed:  # a set with a context option is context throughout
        changed = False
        for _, options, _, _ in program.sets():
            if set(options) & ctx and not set(options) <= ctx:
                ctx |= set(options)
                changed = True
    return ctx


def _states(program: Program, ctx: list[int]) -> list[tuple[int, ...]] | None:
    """Every combination of context answers the spec's rules allow (codes, in ``ctx`` order)."""
    total = 1
    for k in ctx:
        total *= len(program.variables[k].levels) + 1
        if total > MAX_CLASSES * 20:
            return None
    where = {k: j for j, k in enumerate(ctx)}
    out = []
    for state in itertools.product(*(range(-1, len(program.variables[k].levels)) for k in ctx)):
        ok = True
        for k in ctx:
            v = program.variables[k]
            asked = all(state[where[program.column(name)]] == program.variables[program.column(name)].levels.index(lv)
                        for name, lv in v.asked)
            answered = state[where[k]] >= 0
            if (answered and not asked) or (asked and not answered and not v.may_skip):
                ok = False
                break
        if ok:
            for _, options, fewest, most in program.sets():
                if set(options) <= set(ctx):
                    chosen = sum(state[where[o]] == 0 for o in options)
                    if chosen < fewest or (most is not None and chosen > most):
                        ok = False
        if ok:
            out.append(state)
    return out if len(out) <= MAX_CLASSES else None


def compile_classes(program: Program, also: tuple[int, ...] = ()) -> Compiled | None:
    """The class form of ``program`` (see the module), or None when its shape does not allow it."""
    n, variables = program.n, program.variables
    # a focused program (Program.focused) holds only some variables: the others get no unknowns at all
    relevant = frozenset(range(len(variables))) if program.relevant is None else program.relevant
    ctx_set = _context(program) & relevant
    ctx = sorted(ctx_set)
    other = [k for k in range(len(variables)) if k not in ctx_set and k in relevant]
    sets = [s for s in program.sets() if set(s[1]) <= relevant]
    free_sets = [s for s in sets if not set(s[1]) & ctx_set]
    if any(variables[o].may_skip for _, options, _, _ in free_sets for o in options):
        return None
    pins = [pin for pin in program.pins() if pin[1] in relevant]
    pinned = sorted({who for who, _, _ in pins})
    if len(pinned) > _MAX_PINNED:
        return None
    # the pinned respondents by class: each on their own; in a focused program, which is only counted (never asked
    # for a minimal conflicting set, whose pins name respondents), those with the same pins together
    members: dict[int, list[int]] = {}
    if program.relevant is None:
        members = {who: [who] for who in pinned}
    else:
        alike: dict[frozenset, list[int]] = {}
        for who in pinned:
            alike.setdefault(frozenset((col, code) for w, col, code in pins if w == who), []).append(who)
        members = {same[0]: same for same in alike.values()}
    states = _states(program, ctx)
    if states is None or not states:
        return None
    where = {k: j for j, k in enumerate(ctx)}
    fixed = {(who, col): code for who, col, code in pins if col in ctx_set}
    classes = [(s, who) for who in [-1, *members] for s in range(len(states))  # a pinned respondent: its pins' states
               if who < 0 or all(states[s][where[col]] == code for (w, col), code in fixed.items() if w == who)]
    size = 0

    def new(count: int) -> np.ndarray:
        nonlocal size
        out = np.arange(size, size + count, dtype=np.int64)
        size += count
        return out

    m = new(len(classes))
    upper = [n if who < 0 else len(members[who]) for _, who in classes]

    def asked_in(state: tuple[int, ...], v: int) -> bool:
        return all(state[where[program.column(name)]] == variables[program.column(name)].levels.index(lv)
                   for name, lv in variables[v].asked)

    y: dict[tuple[int, int], np.ndarray] = {}  # (class, variable) -> unknowns per level
    for c, (s, _) in enumerate(classes):
        for v in other:
            if asked_in(states[s], v):
                y[(c, v)] = new(len(variables[v].levels))
                upper += [upper[c]] * len(variables[v].levels)
    # beyond the per-respondent form's own unknowns, counting classes saves nothing (many pinned respondents times
    # many context states, or large joints): let that form take it (below _SMALL either form is quick)
    limit = max(n * sum(len(v.levels) for v in variables), _SMALL)
    if size > limit:
        return None
    rows = Rows()

    def row(cols, vals, low, high, tag=""):
        rows.block(np.asarray(cols, dtype=np.int64)[None, :], np.asarray(vals, dtype=float), low, high, tag)

    free = [c for c, (_, who) in enumerate(classes) if who < 0]
    row(m[free], np.ones(len(free)), n - len(pinned), n - len(pinned))
    for who, same in members.items():
        mine = [c for c, (_, w) in enumerate(classes) if w == who]
        row(m[mine], np.ones(len(mine)), len(same), len(same))
    for (c, v), cols in y.items():  # those of the class who answer v: all of it, or at most all if they may skip
        row(np.concatenate([cols, [m[c]]]), np.concatenate([np.ones(len(cols)), [-1.0]]),
            -np.inf if variables[v].may_skip else 0, 0)
    for name, options, fewest, most in free_sets:  # fewest * m <= options chosen <= most * m
        for c in range(len(classes)):
            if (c, options[0]) in y:
                yes = [y[(c, o)][0] for o in options]  # Yes is a yes/no item's first level
                row([*yes, m[c]], [*([1.0] * len(yes)), -float(fewest)], 0, np.inf, f"set {name}")
                if most is not None:
                    row([*yes, m[c]], [*([1.0] * len(yes)), -float(most)], -np.inf, 0, f"set {name}")
    for who, col, code in pins:
        if who not in members:
            continue  # pinned alike with another respondent, whose rows hold for both
        tag = f"pin {who + 1} {variables[col].name}"
        mine = [c for c, (_, w) in enumerate(classes) if w == who]
        if col in ctx_set:  # the class of one (or of those pinned alike) must have that answer
            wrong = [c for c in mine if states[classes[c][0]][where[col]] != code]
            if wrong:
                row(m[wrong], np.ones(len(wrong)), 0, 0, tag)
        else:
            at = [y[(c, col)][code] for c in mine if (c, col) in y]
            pinned_alike = len(members[who])
            row(at or [m[mine[0]]], np.ones(len(at)) if at else [0.0], pinned_alike, pinned_alike, tag)
    # the joint counts of a cross of two non-context variables that a predicate names (hmbook bounds)
    joint: dict[tuple[int, int], dict[int, np.ndarray]] = {}
    asked = program.rules_asked()
    wanted = {p for terms, *_ in program.rows for p in terms} | {p for p in asked if p is not None} | set(also)
    wanted = {p for p in wanted if all(program.literals[lit][0] in relevant for lit in program.predicates[p])}
    for p in wanted:
        pair = sorted({program.literals[lit][0] for lit in program.predicates[p]} - ctx_set)
        if len(pair) > 2:
            return None
        if len(pair) == 2:
            a, b = pair
            in_set = [any(v in options for _, options, _, _ in free_sets) for v in (a, b)]
            if all(in_set):
                return None
            if (a, b) not in joint:
                if size + len(classes) * (len(variables[a].levels) + 1) * (len(variables[b].levels) + 1) > limit:
                    return None
                joint[(a, b)] = {}
                for c in range(len(classes)):
                    la, lb = len(variables[a].levels) + 1, len(variables[b].levels) + 1
                    w = new(la * lb)
                    upper += [upper[c]] * (la * lb)
                    joint[(a, b)][c] = w
                    grid = w.reshape(la, lb)  # state index = code + 1 (0: unanswered)
                    for var, lines in ((a, grid), (b, grid.T)):
                        ys = y.get((c, var))
                        for code in range(-1, len(variables[var].levels)):
                            cells = lines[code + 1]
                            if code >= 0 and ys is not None:
                                row(np.concatenate([cells, [ys[code]]]),
                                    np.concatenate([np.ones(len(cells)), [-1.0]]), 0, 0)
                            elif code >= 0:
                                row(cells, np.ones(len(cells)), 0, 0)
                            elif ys is not None:  # unanswered: m less those who answered
                                row(np.concatenate([cells, ys, [m[c]]]),
                                    np.concatenate([np.ones(len(cells)), np.ones(len(ys)), [-1.0]]), 0, 0)
                            else:
                                row(np.concatenate([cells, [m[c]]]), np.concatenate([np.ones(len(cells)), [-1.0]]),
                                    0, 0)
    columns: list[np.ndarray] = []
    for p, lits in enumerate(program.predicates):
        if any(program.literals[lit][0] not in relevant for lit in lits):
            columns.append(np.zeros(0, dtype=np.int64))  # about a variable the focused program leaves out
            continue
        inner = [program.literals[lit] for lit in lits if program.literals[lit][0] in ctx_set]
        outer = [program.literals[lit] for lit in lits if program.literals[lit][0] not in ctx_set]
        match = [c for c, (s, _) in enumerate(classes) if all(states[s][where[var]] in codes for var, codes in inner)]
        if not outer:
            columns.append(m[match] if lits else np.zeros(0, dtype=np.int64))
        elif len(outer) == 1:
            (var, codes), = outer
            columns.append(np.array([y[(c, var)][code] for c in match if (c, var) in y for code in sorted(codes)],
                                    dtype=np.int64))
        elif p in wanted:
            (va, ca), (vb, cb) = sorted(outer)
            lb = len(variables[vb].levels) + 1
            columns.append(np.array([joint[(va, vb)][c][(x + 1) * lb + (z + 1)] for c in match for x in sorted(ca)
                                     for z in sorted(cb)], dtype=np.int64))
        else:
            columns.append(np.zeros(0, dtype=np.int64))
    impossible = rows.figures(program, columns)

    def decode(values: np.ndarray) -> np.ndarray:
        out = np.full((n, len(variables)), -1, dtype=np.int16)
        unpinned = iter([i for i in range(n) if i not in set(pinned)])
        alike = {who: iter(same) for who, same in members.items()}
        for c, (s, who) in enumerate(classes):
            people = [next(unpinned if who < 0 else alike[who]) for _ in range(int(values[m[c]]))]
            if not people:
                continue
            for var in ctx:
                out[people, var] = states[s][where[var]]
            in_sets = {o for _, options, _, _ in free_sets for o in options}
            for var in other:
                if var in in_sets or (c, var) not in y:
                    continue
                k = 0
                for code, count in enumerate(values[y[(c, var)]]):
                    out[people[k:k + int(count)], var] = code
                    k += int(count)
            for _, options, _, _ in free_sets:
                if (c, options[0]) not in y:
                    continue
                for o in options:
                    out[people, o] = 1  # No, unless the wrap-around below says Yes
                slot = 0
                for o in options:
                    for _ in range(int(values[y[(c, o)][0]])):
                        out[people[slot % len(people)], o] = 0
                        slot += 1
        return out

    return Compiled(program, size, np.zeros(len(variables), dtype=np.int64), 0, *rows.matrix(size), tuple(columns),
                    impossible, np.array(upper, dtype=float), decode)
