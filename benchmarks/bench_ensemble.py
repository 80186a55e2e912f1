"""How fast can hmbook.synth draw consistent datasets? Prints datasets per second.

Run: .venv/bin/python benchmarks/bench_ensemble.py [K]   (default K = 10000)

Measured in one run: the vectorised ensemble (K datasets in one pass) against the baseline of drawing datasets
one at a time (``ensemble(1, seed)`` in a loop, on a smaller number, scaled). Each timing is the best of three.
The target for the replication core is K = 10,000 datasets in at most 2 s on the 2-core reference machine.
"""

import sys

from hmbook.data import published
from hmbook.replicate import synth
from timing import best_of


def main(k: int = 10_000) -> None:
    figs, facts = published.figures(), published.respondent_facts()
    vectorised = best_of(3, lambda: synth.ensemble(k, seed=1, figs=figs, facts=facts))
    loop_n = 200
    one_at_a_time = best_of(3, lambda: [synth.ensemble(1, seed=s, figs=figs, facts=facts) for s in range(loop_n)])
    per_dataset_loop = one_at_a_time / loop_n
    print(f"ensemble({k}) in one pass:      {vectorised:.3f} s  = {k / vectorised:,.0f} datasets/s")
    print(f"one at a time ({loop_n} draws):      {one_at_a_time:.3f} s  = {1 / per_dataset_loop:,.0f} datasets/s")
    print(f"speed-up of the vectorised pass: {per_dataset_loop * k / vectorised:.0f}x")
    print(f"target: {k} datasets in <= 2 s: {'met' if vectorised <= 2 else 'MISSED'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
