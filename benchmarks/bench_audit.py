"""How long do the audit and the limitations chapter's computations take? Prints seconds.

Run: .venv/bin/python benchmarks/bench_audit.py

Measured: ``hmbook.audit.audit`` on the paper's figures file, and on a figures file ten times as long (the paper's
rows repeated under ten source names, so every block and cross-reference grows); the GRIM search for one figure;
``hmbook.inference.ensemble_associations`` on 2,000 datasets (as in the limitations chapter) after drawing them.
Each timing is the best of three.
"""

import pandas as pd
from bench_ensemble import best_of  # the same best-of-n timer (benchmarks/ is on sys.path when run)

from hmbook.data import published
from hmbook.methods import audit, inference
from hmbook.replicate import synth


def main() -> None:
    figs, register = audit.read_figures(), published.assumptions()
    big = pd.concat([figs.assign(figure_id=figs["figure_id"] + f"_{i}", source=figs["source"] + f" {i}")
                     for i in range(10)], ignore_index=True)
    print(f"audit, paper's figures ({len(figs)} rows):   {best_of(3, lambda: audit.audit(figs, register)):.3f} s")
    print(f"audit, ten times as many ({len(big)} rows): {best_of(3, lambda: audit.audit(big)):.3f} s")
    print(f"GRIM search, one figure:               {best_of(3, lambda: audit.implied_denominators(140, 98)):.4f} s")
    print(f"ensemble(2000) draw:                   {best_of(3, lambda: synth.ensemble(2000)):.3f} s")
    ens = synth.ensemble(2000)
    print(f"ensemble_associations on 2000:         {best_of(3, lambda: inference.ensemble_associations(ens)):.3f} s")


if __name__ == "__main__":
    main()
