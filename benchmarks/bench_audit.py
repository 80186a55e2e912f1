"""How long do the audit and the limitations chapter's computations take? Prints seconds.

Run: .venv/bin/python benchmarks/bench_audit.py

Measured: reading the paper's figures file (the baseline, in the same run); ``hmbook.methods.audit.audit`` on it;
on a file ten times as long (the paper's rows repeated under ten source names, so every block and
cross-reference grows); on an adversarial file built to make a careless implementation allocate or loop in
proportion to the printed numbers (counts and denominators of 15 digits, percentages to 12 decimals printed
alone, a 40-level block whose subsets must be counted, means, SDs and 0/1 items over 10**15 people); the GRIM
search for one figure; ``hmbook.inference.ensemble_associations`` on 2,000 datasets (as in the limitations
chapter) after drawing them. Each timing is the best of three.
"""

import random

import pandas as pd

from hmbook import grim
from hmbook.data import published
from hmbook.methods import audit, inference
from hmbook.replicate import synth
from timing import best_of  # benchmarks/ is on sys.path when the script is run


def adversarial(rows: int = 100, seed: int = 1) -> pd.DataFrame:
    """A figures table of huge and over-precise numbers (written to look printed; nothing here is a real paper)."""
    rng = random.Random(seed)
    big = 10 ** 15 - 1
    out = []
    for i in range(rows):
        c = rng.randrange(big)
        pct = f"{100 * c / big:.12f}"
        out.append((f"full_{i}", "Table 1", "all", f"q{i}", "Yes", c, big, pct, "", "", None, None, None))
        out.append((f"alone_{i}", "Results", f"g{i}", f"p{i}", "Yes", None, None, f"{rng.random() * 100:.12f}", "",
                    "", None, None, None))
        out.append((f"count_{i}", "Results", "all", f"r{i}", "Yes", c, None, pct, "", "", None, None, None))
        out.append((f"mean_{i}", "Table 2", "all", f"m{i}", "mean", None, big, None, f"{rng.uniform(1, 5):.2f}",
                    f"{rng.uniform(0.5, 1.5):.2f}", 1, 1, 5))
        out.append((f"binary_{i}", "Table 2", "all", f"b{i}", "mean", None, big, None, f"{rng.random():.2f}", "0.45",
                    None, 0, 1))
    for j in range(40):  # one question with 40 levels, and a derived level whose subsets must be counted
        out.append((f"level_{j}", "Table 3", "all", "occupation", f"Job {j}", rng.randrange(10 ** 6), 40 * 10 ** 6,
                    None, "", "", None, None, None))
    out.append(("derived", "Results", "all", "occupation", "Job group", None, None, "37", "", "", None, None, None))
    df = pd.DataFrame(out, columns=list(published.FIGURE_COLUMNS + published.OPTIONAL_COLUMNS))
    for col in ("count", "denominator", "n_items", "scale_min", "scale_max"):
        df[col] = df[col].astype("Int64")
    df["percent_text"] = df["reported_percent"].fillna("")
    df["decimals"] = df["percent_text"].str.partition(".")[2].str.len()
    df["reported_percent"] = pd.to_numeric(df["reported_percent"]).astype("Float64")
    return df


def main() -> None:
    figs, register = published.figures(), published.assumptions()
    big = pd.concat([figs.assign(figure_id=figs["figure_id"] + f"_{i}", source=figs["source"] + f" {i}")
                     for i in range(10)], ignore_index=True)
    hostile = adversarial()
    read = best_of(3, published.figures)
    paper = best_of(3, lambda: audit.audit(figs, register))
    print(f"read the paper's figures ({len(figs)} rows):  {read:.3f} s (baseline)")
    print(f"audit, paper's figures:                 {paper:.3f} s ({paper / read:.0f}x reading it)")
    print(f"audit, ten times as many ({len(big)} rows): {best_of(3, lambda: audit.audit(big)):.3f} s")
    found = audit.audit(hostile)
    print(f"audit, adversarial ({len(hostile)} rows, 15-digit counts, 12 decimals, 10**15 people): "
          f"{best_of(3, lambda: audit.audit(hostile)):.3f} s ({len(found)} findings)")
    print(f"GRIM search, one figure:               {best_of(3, lambda: grim.implied_denominators(140, 98)):.4f} s")
    print(f"ensemble(2000) draw:                   {best_of(3, lambda: synth.ensemble(2000)):.3f} s")
    ens = synth.ensemble(2000)
    print(f"ensemble_associations on 2000:         {best_of(3, lambda: inference.ensemble_associations(ens)):.3f} s")


if __name__ == "__main__":
    main()
