"""Drawing consistent tables at random: a Markov chain whose every state satisfies every row and rule of the count
program, started from the solver's table, run as many independent copies at once as tables are wanted.

**The distribution.** Each step proposes one small change to a table and keeps it if the table still satisfies
every figure, rule and pin, else keeps the table as it was (a Metropolis chain whose target gives every consistent
table the same weight). The proposals, for the variable whose turn it is (every variable in spec order, again and
again):

* *change* (probability 1/2): a respondent drawn uniformly gets a state drawn uniformly from the variable's levels
  and "unanswered";
* *swap* (probability 1/2): two different respondents drawn uniformly exchange their answers to the variable and to
  every variable asked only of some of them by a condition on it (so a skip pattern moves with its answers).

and, after the variables, turns that only swap: two respondents exchange every option of a multi-answer set (each set
in turn), every question of a block whose skips the spec's rules tie together (``skip_together``, ``if_skipped``:
each block in turn, so that a skip pattern can move between respondents), and their whole rows.

Each proposal is as likely as its reverse, so every step leaves the uniform distribution over consistent tables
unchanged: a table drawn after many steps is (close to) **uniform over the consistent respondent tables** (rows
numbered 1 to n) that such steps can reach from the solver's table. In general the steps need not reach every
consistent table (there can be tables that differ only by a change no single step makes without breaking a figure
on the way); ``tests/test_synthesis_enumerated.py`` enumerates every consistent table of small surveys and checks that
the draws are uniform over all of them. Copies of the chain share nothing but the start and the order in which
variables take their turn, so the tables of an ensemble are independent draws.

**How long.** A *sweep* is, turn by turn, n steps of that turn (so each answer is proposed for change about once);
``sweeps`` sweeps are made before a table is taken (20 by default: on the test's survey of three, draws after 5
sweeps are still far from uniform, p < 1e-90, and after 20 indistinguishable from it).
``benchmarks/bench_synth.py`` shows how a statistic the figures leave open settles as sweeps grow.

The steps run in :mod:`hmbook.synthesis.kernel` (compiled by Numba, copies in parallel): a step looks only at the
two respondents' rows and the counts their answers enter. The proposals are drawn here, by NumPy's seeded
generator, so the same seed gives the same tables.
"""

from __future__ import annotations

import numpy as np

from hmbook.synthesis.program import Program

__all__ = ["DEFAULT_SWEEPS", "draw", "counts", "satisfied"]

DEFAULT_SWEEPS = 20


def _dependants(program: Program) -> list[set[int]]:
    direct: list[set[int]] = [set() for _ in program.variables]
    for k, v in enumerate(program.variables):
        for name, _ in v.asked:
            direct[program.column(name)].add(k)
    out = []
    for k in range(len(program.variables)):
        seen, todo = {k}, [k]
        while todo:
            for d in direct[todo.pop()] - seen:
                seen.add(d)
                todo.append(d)
        out.append(seen)
    return out


def _turns(program: Program) -> list[tuple[int, set[int]]]:
    """(variable a change sets, or -1; variables a swap exchanges) for every turn of a sweep."""
    moves = [(k, moved) for k, moved in enumerate(_dependants(program))]
    for _, options, _, _ in program.sets():  # a set's options swapped together, with what is asked on them
        moves.append((-1, set().union(*(moves[o][1] for o in options))))
    for block in _skip_blocks(program):  # questions whose skips are tied by rules, swapped together
        moves.append((-1, set().union(*(moves[k][1] for k in block))))
    moves.append((-1, set(range(len(program.variables)))))  # two respondents' whole rows
    return moves


def _skip_blocks(program: Program) -> list[set[int]]:
    """The variables whose skips the spec's rules tie together (skip_together, if_skipped), joined where rules
    share a variable: each block is swapped whole between two respondents, so that a skip pattern can move."""
    blocks: list[set[int]] = []
    for rule in program.spec.rules:
        if rule.kind in ("skip_together", "skip_implies"):
            block = {program.column(v) for v in rule.variables}
            for other in [b for b in blocks if b & block]:
                block |= other
                blocks.remove(other)
            blocks.append(block)
    return blocks


def _offsets(parts: list[list]) -> tuple[np.ndarray, np.ndarray]:
    off = np.zeros(len(parts) + 1, dtype=np.int64)
    off[1:] = np.cumsum([len(p) for p in parts])
    return off, np.array([x for p in parts for x in p], dtype=np.int64)


def _pack(program: Program, turns: list[tuple[int, set[int]]]) -> dict[str, np.ndarray]:
    """Every turn's data as the flat arrays :func:`hmbook.synthesis.kernel.turn` reads."""
    litvar = np.array([var for var, _ in program.literals] or [0], dtype=np.int64)
    width = max(len(v.levels) for v in program.variables) + 1
    truth = np.zeros((max(len(program.literals), 1), width), dtype=np.int8)
    for k, (_, codes) in enumerate(program.literals):
        for c in codes:
            truth[k, c + 1] = 1
    asked = program.rules_asked()
    sets = program.sets()
    preds: list[int] = []  # global list of (turn's) predicates, turn by turn
    pred_off, counted, moved, rows, ruled, ruled_asked, ruled_skip, turn_sets = [0], [], [], [], [], [], [], []
    coef_rows: list[list[int]] = []
    coef_vals: list[list[int]] = []
    for _, turn_moved in turns:
        touched = [q for q, lits in enumerate(program.predicates) if any(litvar[lit] in turn_moved for lit in lits)]
        turn_rows = [r for r, (terms, *_) in enumerate(program.rows) if any(q in terms for q in touched)]
        touched = sorted({q for r in turn_rows for q in program.rows[r][0]} & set(touched))
        turn_ruled = sorted({u for u, v in enumerate(program.variables)
                             if u in turn_moved or any(program.column(name) in turn_moved for name, _ in v.asked)})
        rule_preds = sorted({a for u in turn_ruled if (a := asked[u]) is not None} - set(touched))
        base = len(preds)
        column = {q: base + j for j, q in enumerate(touched + rule_preds)}
        preds += touched + rule_preds
        pred_off.append(len(preds))
        counted.append(len(touched))
        local = {r: j for j, r in enumerate(turn_rows)}
        for q in touched + rule_preds:
            entries = [(local[r], c) for r, (terms, *_) in enumerate(program.rows)
                       if r in local and (c := terms.get(q, 0))] if q in touched else []
            coef_rows.append([r for r, _ in entries])
            coef_vals.append([c for _, c in entries])
        moved.append(sorted(turn_moved))
        rows.append(turn_rows)
        ruled.append(turn_ruled)
        ruled_asked.append([-1 if (a := asked[u]) is None else column[a] for u in turn_ruled])
        ruled_skip.append([int(program.variables[u].may_skip) for u in turn_ruled])
        turn_sets.append([s for s, (_, opts, _, _) in enumerate(sets) if set(opts) & turn_moved])
    big = np.iinfo(np.int64).max // 4
    row_off, row_id = _offsets(rows)
    chosen = [sets[s] for ts in turn_sets for s in ts]
    set_opt_off, set_opt = _offsets([list(opts) for _, opts, _, _ in chosen])
    return {
        "var": np.array([max(var, 0) for var, _ in turns], dtype=np.int64),
        **dict(zip(("moved_off", "moved"), _offsets(moved))),
        "pred_off": np.array(pred_off, dtype=np.int64), "counted": np.array(counted, dtype=np.int64),
        **dict(zip(("pred_lit_off", "pred_lit"), _offsets([list(program.predicates[q]) for q in preds]))),
        "litvar": litvar, "truth": truth,
        **dict(zip(("coef_off", "coef_row"), _offsets(coef_rows))), "coef_val": _offsets(coef_vals)[1],
        "row_off": row_off, "row_id": row_id,
        "row_low": np.array([-big if program.rows[r][1] is None else program.rows[r][1] for r in row_id],
                            dtype=np.int64),
        "row_high": np.array([big if program.rows[r][2] is None else program.rows[r][2] for r in row_id],
                             dtype=np.int64),
        **dict(zip(("ruled_off", "ruled_var"), _offsets(ruled))), "ruled_asked": _offsets(ruled_asked)[1],
        "ruled_skip": _offsets(ruled_skip)[1].astype(np.bool_),
        "set_off": _offsets(turn_sets)[0], "set_opt_off": set_opt_off, "set_opt": set_opt,
        "set_fewest": np.array([f for _, _, f, _ in chosen], dtype=np.int64),
        "set_most": np.array([len(o) if m is None else m for _, o, _, m in chosen], dtype=np.int64),
    }


def counts(program: Program, codes: np.ndarray) -> np.ndarray:
    """Every row's value (sum of coefficient times count) in the table ``codes`` (respondents x variables)."""
    lits = np.array([var for var, _ in program.literals], dtype=np.int64)
    truth = np.array([[c in cs for c in range(-1, max(len(v.levels) for v in program.variables))]
                      for _, cs in program.literals], dtype=bool).reshape(len(program.literals), -1)
    values = truth[np.arange(len(lits))[None, :], codes[:, lits] + 1] if len(lits) else np.zeros((len(codes), 0))
    per = np.array([values[:, list(lits_)].all(axis=1).sum() if lits_ else len(codes)
                    for lits_ in program.predicates], dtype=np.int64)
    return np.array([sum(c * per[q] for q, c in terms.items()) for terms, *_ in program.rows], dtype=np.int64)


def satisfied(program: Program, codes: np.ndarray) -> bool:
    """Does the table ``codes`` satisfy every row and rule of ``program``? (Computed afresh, not step by step.)"""
    value = counts(program, codes)
    for (_, low, high, _), v in zip(program.rows, value):
        if (low is not None and v < low) or (high is not None and v > high):
            return False
    asked = program.rules_asked()
    for k, var in enumerate(program.variables):
        answered = codes[:, k] >= 0
        who = np.ones(len(codes), dtype=bool)
        if (a := asked[k]) is not None:
            for lit in program.predicates[a]:
                col, cs = program.literals[lit]
                who &= np.isin(codes[:, col], list(cs))
        if (answered & ~who).any() or (not var.may_skip and (who & ~answered).any()):
            return False
    for _, options, fewest, most in program.sets():
        chosen = (codes[:, list(options)] == 0).sum(axis=1)
        if (chosen < fewest).any() or (most is not None and (chosen > most).any()):
            return False
    return all(codes[i, col] == code for i, col, code in program.pins())


def draw(program: Program, start: np.ndarray, k: int, seed: int, sweeps: int = DEFAULT_SWEEPS) -> np.ndarray:
    """``k`` tables (k x respondents x variables, codes), each after ``sweeps`` sweeps of its own copy of the chain
    from ``start`` (see the module). The same arguments give the same tables."""
    from hmbook.synthesis import kernel  # Numba compiles (or loads from its cache) on first use only

    n, nvars = start.shape
    turns = _turns(program)
    packed = _pack(program, turns)
    rng = np.random.default_rng(seed)
    tables = np.ascontiguousarray(np.repeat(start[None, :, :].astype(np.int16), k, axis=0))
    pinned = np.full((n, nvars), kernel.NONE, dtype=np.int16)
    for who, col, code in program.pins():
        pinned[who, col] = code
    act = np.ascontiguousarray(np.repeat(counts(program, start)[None, :], k, axis=0))
    levels = np.array([len(v.levels) for v in program.variables])
    for _ in range(sweeps):
        for b, (var, _) in enumerate(turns):
            if n < 2 and var < 0:
                continue
            swap = (rng.random((k, n)) < 0.5 if n > 1 else np.zeros((k, n), dtype=bool)) if var >= 0 else \
                np.ones((k, n), dtype=bool)
            first = rng.integers(0, n, (k, n))
            second = (first + 1 + rng.integers(0, max(n - 1, 1), (k, n))) % n
            state = rng.integers(-1, levels[max(var, 0)], (k, n)).astype(np.int16)
            kernel.turn(tables, act, b, swap, first, second, state, pinned=pinned, **packed)
    return tables
