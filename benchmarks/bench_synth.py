"""How long does the solver-backed engine (``hmbook synth``, ``hmbook bounds``) take? Prints seconds, with this
paper's vectorised generator as the baseline measured in the same run.

Run: .venv/bin/python benchmarks/bench_synth.py [--quick]

Measured (each the best of three unless said): ``hmbook.replicate.synth.generate`` (this paper's hand-written
generator; the baseline) and its vectorised ``ensemble`` of 1,000; ``hmbook.synthesis.synthesise`` on the two
made-up surveys of tests/data (one table, and an ensemble of 1,000 of the clean survey); on the clean survey scaled
up forty times (2,000 respondents); the minimal conflicting set of the clean survey with one planted slip; and the
**stress case** of the issue: a known table of 2,000 respondents and 40 variables (a yes/no grouping item, six
categories, 30 yes/no items of which six form a multi-answer set, three whole numbers printed in bands and asked
only of one group) from which 300 figures are printed (counts with and without percentages, percentages alone,
every variable for everyone and for each of the two groups, and twelve items for a crossed group, users in one
category); one table of it, and the bounds of one cell of a cross
the figures never print. Then the chain's settling: on the clean survey, how the spread of a count the figures leave
open (women doctors) across 1,000 draws changes with the sweeps.

Numba compiles the chain's kernel once (its cache is kept under hmbook/synthesis/__pycache__); the first call,
which loads it, is timed apart.
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from hmbook import paths
from hmbook.data import published
from hmbook.errors import DataError
from hmbook.replicate import synth
from hmbook.synthesis import bounds, paper, synthesise
from hmbook.synthesis import spec as study_spec
from timing import best_of  # benchmarks/ is on sys.path when the script is run

DATA = paths.ROOT / "tests" / "data"


def scaled(figs: pd.DataFrame, k: int) -> pd.DataFrame:
    """The figures of a survey k times as large: counts, denominators and Ns times k, percentages as printed."""
    out = figs.copy()
    for col in ("count", "denominator"):
        out[col] = out[col] * k
    return out


def stress_case(folder: Path, seed: int = 7) -> tuple[pd.DataFrame, study_spec.Spec]:
    """The stress case (see the module): its figures (typed) and spec, printed from a known random table."""
    rng = np.random.default_rng(seed)
    n = 2000
    used = rng.random(n) < 0.6
    columns: dict[str, np.ndarray] = {"used": np.where(used, "Yes", "No")}
    spec = ["spec: hmbook-study-spec/1", "respondents: s_n", "variables:", "  - {name: used, kind: yesno}"]
    for c in range(6):
        levels = [f"L{k}" for k in range(3 + c % 3)]
        columns[f"cat{c}"] = rng.choice(levels, n, p=rng.dirichlet(np.ones(len(levels))))
        spec.append(f"  - {{name: cat{c}, kind: category, levels: [{', '.join(levels)}]}}")
    for q in range(24):
        columns[f"item{q}"] = np.where(rng.random(n) < rng.uniform(0.1, 0.9), "Yes", "No")
        spec.append(f"  - {{name: item{q}, kind: yesno}}")
    options = [f"opt{o}" for o in range(6)]
    chosen = rng.random((n, 6)) < 0.35
    chosen[~chosen.any(axis=1), 0] = True
    for o, name in enumerate(options):
        columns[name] = np.where(chosen[:, o], "Yes", "No")
    spec.append(f"  - {{name: options, kind: multi, options: [{', '.join(options)}], min_chosen: 1}}")
    for w in range(3):
        columns[f"years{w}"] = np.where(used, rng.integers(0, 41, n).astype(str), "")
        spec.append(f"  - {{name: years{w}, kind: whole, low: 0, high: 40, asked: {{used: true}}}}")
    spec += ["groups:", "  users: {used: true}", "  others: {used: false}", "  users_l0: {used: true, cat0: L0}"]
    table = pd.DataFrame(columns)
    rows = [("s_n", "Table 1", "all", "respondents", "analysed", n, "", "")]
    kinds = 0
    crossed = used & (table["cat0"] == "L0").to_numpy()  # a crossed group, as "GPs among non-users"
    for group, mask in (("all", np.ones(n, bool)), ("users", used), ("others", ~used), ("users_l0", crossed)):
        part = table[mask]
        for name in [c for c in table.columns if c.startswith(("cat", "item", "opt"))] + ["used"]:
            if (group != "all" and name == "used") or (group == "users_l0" and name not in
                                                       [f"item{q}" for q in range(12)]):
                continue
            for level in sorted(set(table[name])):
                count = int((part[name] == level).sum())
                pct = str((Decimal(100 * count) / len(part)).quantize(Decimal("0.1"), ROUND_HALF_UP))  # exact halves up
                kinds += 1
                style = kinds % 3  # count and percentage; count alone; percentage alone (its count unknown)
                rows.append((f"s_{group}_{name}_{level}", f"Table 2 ({group})", group, name, level,
                             count if style < 2 else "", len(part) if style == 0 else "", pct if style != 1 else ""))
        if group not in ("all", "users_l0"):
            rows.append((f"s_{group}_n", f"Table 2 ({group})", group, "respondents", "analysed", len(part), "", ""))
        elif group == "users_l0":
            rows.append((f"s_{group}_n", "Table 4", group, "respondents", "analysed", len(part), "", ""))
        if group == "users":
            for w in range(3):
                rows.append((f"s_years{w}_answered", "Table 3", group, f"years{w}", "answered", len(part), "", ""))
                values = part[f"years{w}"].astype(int)
                for band, ok in (("9 or less", values <= 9), ("10-19", values.between(10, 19)),
                                 ("20 or more", values >= 20)):
                    rows.append((f"s_years{w}_{band}", "Table 3", group, f"years{w}", band, int(ok.sum()), "", ""))
                rows.append((f"s_years{w}_min", "Table 3", group, f"years{w}", "minimum", int(values.min()), "", ""))
                rows.append((f"s_years{w}_max", "Table 3", group, f"years{w}", "maximum", int(values.max()), "", ""))
    figs_path, spec_path = folder / "stress.csv", folder / "stress.yml"
    pd.DataFrame(rows, columns=["figure_id", "source", "group", "variable", "level", "count", "denominator",
                                "reported_percent"]).to_csv(figs_path, index=False)
    spec_path.write_text("\n".join(spec) + "\n", encoding="utf-8")
    return published.figures(figs_path), study_spec.read_spec(spec_path)


def timed(label: str, fn, base: float, repeat: int = 3) -> float:
    t = best_of(repeat, fn)
    print(f"{label:<52} {t:8.3f} s ({t / base:.0f}x the baseline)")
    return t


def main() -> None:
    quick = "--quick" in sys.argv
    clean, clean_spec = published.figures(DATA / "audit" / "clean.csv"), study_spec.read_spec(
        DATA / "synth" / "clean_spec.yml")
    bands, bands_spec = published.figures(DATA / "synth" / "bands.csv"), study_spec.read_spec(
        DATA / "synth" / "bands_spec.yml")
    base = best_of(3, lambda: synth.generate(1))
    print(f"{'this paper, vectorised generator, one table (90):':<52} {base:8.3f} s (baseline)")
    t = best_of(3, lambda: synth.ensemble(1000, 1))
    print(f"{'this paper, vectorised ensemble of 1,000:':<52} {t:8.3f} s")
    start = time.perf_counter()
    synthesise.synthesise(clean, clean_spec, 1, 600)
    print(f"{'first synth of the run (loads the compiled chain):':<52} {time.perf_counter() - start:8.3f} s")
    timed("this paper through its spec, one table:", lambda: paper.result(1, seed=1), base)
    timed("this paper through its spec, ensemble of 1,000:", lambda: paper.result(1000, seed=1), base, 1)
    timed("synth, clean survey (50), one table:", lambda: synthesise.synthesise(clean, clean_spec, 1, 600), base)
    timed("synth, bands and a set (40), one table:", lambda: synthesise.synthesise(bands, bands_spec, 1, 600),
          base)
    timed("synth, clean survey, ensemble of 1,000:",
          lambda: synthesise.synthesise(clean, clean_spec, 1, 600, draws=1000), base, 1)
    timed("synth, clean x40 (2,000), one table:",
          lambda: synthesise.synthesise(scaled(clean, 40), clean_spec, 1, 600), base, 1)
    slip = clean.copy()
    slip.loc[slip["figure_id"] == "t1_sex_f", "count"] = 34  # 34 + 17 is more than the 50

    def conflict() -> None:
        try:
            synthesise.synthesise(slip, clean_spec, 1, 600)
        except DataError:
            return
        raise AssertionError("the planted slip was not found")

    timed("synth, the minimal conflicting set:", conflict, base)
    timed("bounds, clean survey, sex by role:", lambda: bounds.cross(clean, clean_spec, "sex", "role", 600), base)
    with tempfile.TemporaryDirectory() as folder:
        figs, spec = stress_case(Path(folder))
        print(f"stress case: {len(figs)} figures, {len(spec.variables)} variables, 2,000 respondents")
        timed("synth, stress case, one table:", lambda: synthesise.synthesise(figs, spec, 1, 600), base, 1)
        timed("bounds, stress case, item0 by item1 (4 cells):",
              lambda: bounds.cross(figs, spec, "item0", "item1", 600), base, 1)
    if quick:
        return
    print("\nthe chain settling: women doctors in 1,000 draws of the clean survey (the figures allow 0 to 10)")
    for sweeps in (1, 2, 5, 10, 20, 40):
        result = synthesise.synthesise(clean, clean_spec, 1, 600, draws=1000, sweeps=sweeps)
        counts = np.array([((t["sex"] == "Female") & (t["role"] == "Doctor")).sum() for t in result.tables])
        print(f"  {sweeps:3d} sweeps: mean {counts.mean():.2f}, sd {counts.std():.2f}, "
              f"range {counts.min()}-{counts.max()}")


if __name__ == "__main__":
    main()
