"""The chain's steps (:mod:`hmbook.synthesis.chain`) compiled with Numba: one turn of one variable for every copy.

A step looks at two respondents' rows and the few counts their answers enter, so it is a handful of scalar
operations; written in NumPy, each of its dozens of array calls costs microseconds of overhead whatever the size,
and a table of 2,000 respondents needs millions of steps (``benchmarks/bench_synth.py``: about 100 us a step in
NumPy, well under 1 us here). The random proposals are drawn outside, by NumPy's seeded generator, so the kernel
is deterministic; copies of the chain are independent, so they run in parallel (``prange``) with the same result.

The block's data are flat arrays with offsets (see ``chain._pack``); ``b`` is the block whose turn it is.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

NONE = -2  # no pin


@njit(cache=True)
def _truth(row, p, pred_lit_off, pred_lit, litvar, truth) -> int:
    for q in range(pred_lit_off[p], pred_lit_off[p + 1]):
        lit = pred_lit[q]
        if truth[lit, row[litvar[lit]] + 1] == 0:
            return 0
    return 1


@njit(cache=True)
def _rules(row, who, b, pinned, ruled_off, ruled_var, ruled_asked, ruled_skip, set_off, set_opt_off, set_opt,
           set_fewest, set_most, moved_off, moved, pred_lit_off, pred_lit, litvar, truth) -> bool:
    for r in range(ruled_off[b], ruled_off[b + 1]):
        u = ruled_var[r]
        answered = row[u] >= 0
        asked = True
        if ruled_asked[r] >= 0:
            asked = _truth(row, ruled_asked[r], pred_lit_off, pred_lit, litvar, truth) == 1
        if answered and not asked:
            return False
        if asked and not answered and not ruled_skip[r]:
            return False
    for s in range(set_off[b], set_off[b + 1]):
        chosen = 0
        for o in range(set_opt_off[s], set_opt_off[s + 1]):
            if row[set_opt[o]] == 0:  # Yes is a yes/no item's first level
                chosen += 1
        if chosen < set_fewest[s] or chosen > set_most[s]:
            return False
    for m in range(moved_off[b], moved_off[b + 1]):
        v = moved[m]
        if pinned[who, v] != NONE and row[v] != pinned[who, v]:
            return False
    return True


@njit(cache=True, parallel=True)
def turn(tables: np.ndarray, act: np.ndarray, b: int, swap: np.ndarray, first: np.ndarray, second: np.ndarray,
         state: np.ndarray, var: np.ndarray, moved_off: np.ndarray, moved: np.ndarray, pred_off: np.ndarray,
         counted: np.ndarray, pred_lit_off: np.ndarray, pred_lit: np.ndarray, litvar: np.ndarray, truth: np.ndarray,
         coef_off: np.ndarray, coef_row: np.ndarray, coef_val: np.ndarray, row_off: np.ndarray, row_id: np.ndarray,
         row_low: np.ndarray, row_high: np.ndarray, ruled_off: np.ndarray, ruled_var: np.ndarray,
         ruled_asked: np.ndarray, ruled_skip: np.ndarray, set_off: np.ndarray, set_opt_off: np.ndarray,
         set_opt: np.ndarray, set_fewest: np.ndarray, set_most: np.ndarray, pinned: np.ndarray) -> None:
    """``swap.shape[1]`` steps of block ``b`` for every copy (``tables[k]``, ``act[k]``), in place."""
    copies, steps = swap.shape
    nvars = tables.shape[2]
    nrows = row_off[b + 1] - row_off[b]
    for k in prange(copies):
        new_i = np.empty(nvars, dtype=tables.dtype)
        new_j = np.empty(nvars, dtype=tables.dtype)
        delta = np.zeros(nrows, dtype=np.int64)
        for t in range(steps):
            i, j, sw = first[k, t], second[k, t], swap[k, t]
            old_i, old_j = tables[k, i], tables[k, j]
            new_i[:] = old_i
            new_j[:] = old_j
            if sw:
                for m in range(moved_off[b], moved_off[b + 1]):
                    v = moved[m]
                    new_i[v] = old_j[v]
                    new_j[v] = old_i[v]
            else:
                new_i[var[b]] = state[k, t]
            same = True
            for m in range(moved_off[b], moved_off[b + 1]):
                v = moved[m]
                if new_i[v] != old_i[v] or new_j[v] != old_j[v]:
                    same = False
                    break
            if same:
                continue
            for p in range(pred_off[b], pred_off[b] + counted[b]):
                d = (_truth(new_i, p, pred_lit_off, pred_lit, litvar, truth)
                     - _truth(old_i, p, pred_lit_off, pred_lit, litvar, truth))
                if sw:
                    d += (_truth(new_j, p, pred_lit_off, pred_lit, litvar, truth)
                          - _truth(old_j, p, pred_lit_off, pred_lit, litvar, truth))
                if d != 0:
                    for c in range(coef_off[p], coef_off[p + 1]):
                        delta[coef_row[c]] += d * coef_val[c]
            ok = True
            for r in range(nrows):
                if delta[r] != 0:
                    value = act[k, row_id[row_off[b] + r]] + delta[r]
                    if value < row_low[row_off[b] + r] or value > row_high[row_off[b] + r]:
                        ok = False
                        break
            if ok:
                ok = _rules(new_i, i, b, pinned, ruled_off, ruled_var, ruled_asked, ruled_skip, set_off, set_opt_off,
                            set_opt, set_fewest, set_most, moved_off, moved, pred_lit_off, pred_lit, litvar, truth)
            if ok and sw:
                ok = _rules(new_j, j, b, pinned, ruled_off, ruled_var, ruled_asked, ruled_skip, set_off, set_opt_off,
                            set_opt, set_fewest, set_most, moved_off, moved, pred_lit_off, pred_lit, litvar, truth)
            if ok:
                tables[k, i, :] = new_i
                if sw:
                    tables[k, j, :] = new_j
                for r in range(nrows):
                    act[k, row_id[row_off[b] + r]] += delta[r]
            delta[:] = 0
