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

and, after the variables, two turns that only swap: two respondents exchange every option of a multi-answer set
(each set in turn), and two respondents exchange their whole rows.

Each proposal is as likely as its reverse, so every step leaves the uniform distribution over consistent tables
unchanged: a table drawn after many steps is (close to) **uniform over the consistent respondent tables** (rows
numbered 1 to n) that such steps can reach from the solver's table. In general the steps need not reach every
consistent table (there can be tables that differ only by a change no single step makes without breaking a figure
on the way); ``tests/test_synthesis_enumerated.py`` enumerates every consistent table of small surveys and checks that
the draws are uniform over all of them. Copies of the chain share nothing but the start and the order in which
variables take their turn, so the tables of an ensemble are independent draws.

**How long.** A *sweep* is n steps for every turn (so each answer is proposed for change about once);
``sweeps`` sweeps are made before a table is taken (20 by default: on the test's survey of three, draws after 5
sweeps are still far from uniform, p < 1e-90, and after 20 indistinguishable from it).
``benchmarks/bench_synth.py`` shows how a statistic the figures leave open settles as sweeps grow.

Vectorised with NumPy over the copies: a step evaluates, for every copy at once, only the counts the variable's
answers enter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hmbook.synthesis.program import Program

__all__ = ["DEFAULT_SWEEPS", "draw", "counts", "satisfied"]

DEFAULT_SWEEPS = 20
_NONE = -2  # no pin


@dataclass(frozen=True)
class _Block:
    var: int  # the variable whose turn it is (a change sets it; -1: the block only swaps)
    moved: np.ndarray  # the variables a swap exchanges: var and those asked by a condition on it
    lits: np.ndarray  # literal indices the counts below need
    litvar: np.ndarray
    table: np.ndarray  # per literal of lits, truth by code + 1
    members: np.ndarray  # literals x predicates (0/1): which literals each predicate needs
    sizes: np.ndarray  # literals per predicate
    counted: int  # the first `counted` predicates enter rows; the others are rules' `asked` predicates
    rows: np.ndarray  # the rows those predicates enter
    coef: np.ndarray  # predicates x rows
    low: np.ndarray
    high: np.ndarray
    ruled: np.ndarray  # variables whose rule the move can touch
    asked_col: np.ndarray  # per ruled variable, its asked predicate's column here (-1: everyone is asked)
    may_skip: np.ndarray
    sets: tuple[tuple[np.ndarray, int, int], ...]


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


def _blocks(program: Program) -> list[_Block]:
    litvar_all = np.array([var for var, _ in program.literals] or [0], dtype=np.int64)
    width = max(len(v.levels) for v in program.variables) + 1
    truth = np.zeros((max(len(program.literals), 1), width), dtype=np.int8)
    for k, (_, codes) in enumerate(program.literals):
        for c in codes:
            truth[k, c + 1] = 1
    asked = program.rules_asked()
    sets = program.sets()
    blocks = []
    moves = [(k, moved) for k, moved in enumerate(_dependants(program))]
    every = set(range(len(program.variables)))
    for _, options, _, _ in sets:  # a set's options swapped together, with what is asked by a condition on them
        moves.append((-1, set().union(*(moves[o][1] for o in options))))
    moves.append((-1, every))  # two respondents' whole rows
    for k, moved in moves:
        touched = [q for q, lits in enumerate(program.predicates) if any(litvar_all[lit] in moved for lit in lits)]
        rows = [r for r, (terms, *_) in enumerate(program.rows) if any(q in terms for q in touched)]
        touched = sorted({q for r in rows for q in program.rows[r][0]} & set(touched))
        ruled = sorted({u for u, v in enumerate(program.variables)
                        if u in moved or any(program.column(name) in moved for name, _ in v.asked)})
        rule_preds = sorted({a for u in ruled if (a := asked[u]) is not None} - set(touched))
        preds = touched + rule_preds
        lits = sorted({lit for q in preds for lit in program.predicates[q]})
        where = {lit: j for j, lit in enumerate(lits)}
        members = np.zeros((len(lits), len(preds)), dtype=np.int64)
        for j, q in enumerate(preds):
            for lit in program.predicates[q]:
                members[where[lit], j] = 1
        coef = np.zeros((len(touched), len(rows)), dtype=np.int64)
        for j, r in enumerate(rows):
            for q, c in program.rows[r][0].items():
                if q in touched:
                    coef[touched.index(q), j] = c
        big = np.iinfo(np.int64).max // 4
        column = {q: j for j, q in enumerate(preds)}
        blocks.append(_Block(
            k, np.array(sorted(moved)), np.array(lits, dtype=np.int64), litvar_all[lits] if lits else
            np.zeros(0, dtype=np.int64), truth[lits] if lits else np.zeros((0, width), dtype=np.int8), members,
            members.sum(axis=0), len(touched), np.array(rows, dtype=np.int64), coef,
            np.array([-big if program.rows[r][1] is None else program.rows[r][1] for r in rows], dtype=np.int64),
            np.array([big if program.rows[r][2] is None else program.rows[r][2] for r in rows], dtype=np.int64),
            np.array(ruled, dtype=np.int64),
            np.array([-1 if (a := asked[u]) is None else column[a] for u in ruled], dtype=np.int64),
            np.array([program.variables[u].may_skip for u in ruled], dtype=bool),
            tuple((np.array(opts), fewest, len(opts) if most is None else most) for _, opts, fewest, most in sets
                  if set(opts) & moved)))
    return blocks


def _truth(block: _Block, rows: np.ndarray) -> np.ndarray:
    """Which of the block's predicates each of ``rows`` (tables' respondents, by codes) matches (0/1)."""
    if not len(block.lits):
        return np.ones((len(rows), len(block.sizes)), dtype=np.int64)
    values = block.table[np.arange(len(block.lits))[None, :], rows[:, block.litvar] + 1]
    return (values.astype(np.int64) @ block.members == block.sizes).astype(np.int64)


def _rules_hold(block: _Block, new: np.ndarray, truth: np.ndarray, pinned: np.ndarray) -> np.ndarray:
    answered = new[:, block.ruled] >= 0
    asked = np.ones_like(answered)
    has = block.asked_col >= 0
    asked[:, has] = truth[:, block.asked_col[has]].astype(bool)
    ok = ((~answered | asked) & (answered | ~asked | block.may_skip[None, :])).all(axis=1)
    for options, fewest, most in block.sets:
        chosen = (new[:, options] == 0).sum(axis=1)  # Yes is a yes/no item's first level
        ok &= (chosen >= fewest) & (chosen <= most)
    pins = pinned[:, block.moved]
    return ok & ((pins == _NONE) | (new[:, block.moved] == pins)).all(axis=1)


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
    n, nvars = start.shape
    blocks = _blocks(program)
    rng = np.random.default_rng(seed)
    tables = np.repeat(start[None, :, :].astype(np.int16), k, axis=0)
    pinned = np.full((n, nvars), _NONE, dtype=np.int16)
    for who, col, code in program.pins():
        pinned[who, col] = code
    act = np.repeat(counts(program, start)[None, :], k, axis=0)
    copies = np.arange(k)
    levels = np.array([len(v.levels) for v in program.variables])
    for _ in range(sweeps * n):
        for b in blocks:
            if b.var < 0 and n < 2:
                continue
            swap = (rng.random(k) < 0.5 if n > 1 else np.zeros(k, dtype=bool)) if b.var >= 0 else np.ones(k, bool)
            i = rng.integers(0, n, k)
            j = (i + 1 + rng.integers(0, max(n - 1, 1), k)) % n
            var = max(b.var, 0)
            state = rng.integers(-1, levels[var], k).astype(np.int16)
            old_i, old_j = tables[copies, i], tables[copies, j]
            new_i, new_j = old_i.copy(), old_j.copy()
            new_i[:, b.moved] = np.where(swap[:, None], old_j[:, b.moved], old_i[:, b.moved])
            new_i[:, var] = np.where(swap, new_i[:, var], state)
            new_j[:, b.moved] = np.where(swap[:, None], old_i[:, b.moved], old_j[:, b.moved])
            truth = _truth(b, np.concatenate([old_i, old_j, new_i, new_j]))
            t_oi, t_oj, t_ni, t_nj = truth[:k], truth[k:2 * k], truth[2 * k:3 * k], truth[3 * k:]
            delta = (t_ni + t_nj - t_oi - t_oj)[:, : b.counted]
            moved_act = act[:, b.rows] + delta @ b.coef
            ok = ((moved_act >= b.low) & (moved_act <= b.high)).all(axis=1)
            ok &= _rules_hold(b, new_i, t_ni, pinned[i])
            ok &= ~swap | _rules_hold(b, new_j, t_nj, pinned[j])
            if not ok.any():
                continue
            tables[copies[ok], i[ok]] = new_i[ok]
            both = ok & swap
            tables[copies[both], j[both]] = new_j[both]
            act[:, b.rows] = np.where(ok[:, None], moved_act, act[:, b.rows])
    return tables
