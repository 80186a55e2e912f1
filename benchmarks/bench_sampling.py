"""How long does the sampling chapter's default grid take? Prints seconds and a ratio against a baseline.

Run: .venv/bin/python benchmarks/bench_sampling.py [STUDIES]   (default: the grid's own default, 300 per cell)

Measured in one run, best of three each: the default grid of ``hmbook.sampling.grid`` (every selection strength
x homophily, with the book's model: drop-out as published), and as a baseline one cell of it (``simulate`` at
selection 0, homophily 0.5, same number of studies), which includes drawing the population and one network.
The target is the default grid in at most 20 s on the 2-core reference machine.

The inverse question (``sampling.compatible_truths``, the chapter's default: 4 selection strengths x 61 truths)
is measured against the same baseline: it recruits once per selection strength and reads every truth off the same
recruits, so it should cost a few cells, not 244 of them. Target: at most 10 one-cell times.
"""

import inspect
import sys

import numpy as np

from hmbook.data import published
from hmbook.methods import sampling
from timing import best_of


def main(studies: int | None = None) -> None:
    defaults = inspect.signature(sampling.grid).parameters
    studies = studies or defaults["n_studies"].default
    cells = len(defaults["selections"].default) * len(defaults["homophilies"].default)
    figs = published.figures()
    completed, consented = published.value(figs, "flow_completed"), published.value(figs, "flow_consented")
    model = sampling.Model(dropout=1 - completed / consented)
    rng = np.random.default_rng
    whole = best_of(3, lambda: sampling.grid(model, n_studies=studies, rng=rng(1)))
    one = best_of(3, lambda: sampling.simulate(model, studies, np.random.default_rng(1)))
    people = model.n_population
    print(f"default grid: {cells} cells x {studies} studies, population {people}: {whole:.2f} s")
    print(f"baseline, one cell (population, network and {studies} studies): {one:.2f} s")
    print(f"grid / one cell: {whole / one:.1f}x for {cells} cells ({whole / cells:.2f} s per cell in the grid)")
    print(f"target: default grid in <= 20 s: {'met' if whole <= 20 else 'MISSED'}")
    observed = published.value(figs, "abs_used_hm") / published.value(figs, "abs_used_hm", "denominator")
    inverse = best_of(3, lambda: sampling.compatible_truths(model, observed, np.random.default_rng(1),
                                                             n_studies=studies))
    settings = len(sampling.compatible_truths(model, observed, np.random.default_rng(1), n_studies=2))
    print(f"compatible_truths: {settings} (selection, truth) settings x {studies} studies: {inverse:.2f} s "
          f"= {inverse / one:.1f} one-cell times (target <= 10: {'met' if inverse <= 10 * one else 'MISSED'})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
