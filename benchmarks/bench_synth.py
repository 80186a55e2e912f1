"""How long does ``hmbook synth`` take to solve? Prints seconds, with the vectorised generator of this paper as the
baseline measured in the same run.

Run: .venv/bin/python benchmarks/bench_synth.py

Measured (each the best of three): ``hmbook.replicate.synth.generate`` (this paper's hand-written generator; the
baseline); ``hmbook.synthesis.synthesise`` on the two made-up surveys of tests/data (50 and 40 respondents); on the
clean survey scaled up ten and forty times (every count and N multiplied, percentages kept: 500 and 2,000
respondents); and the minimal conflicting set of the clean survey with one planted slip (the deletion filter's
solves).
"""

from pathlib import Path

import pandas as pd

from hmbook import paths
from hmbook.data import published
from hmbook.errors import DataError
from hmbook.replicate import synth
from hmbook.synthesis import spec as study_spec
from hmbook.synthesis import synthesise
from timing import best_of  # benchmarks/ is on sys.path when the script is run

DATA = paths.ROOT / "tests" / "data"


def scaled(figs: pd.DataFrame, k: int) -> pd.DataFrame:
    """The figures of a survey k times as large: counts, denominators and Ns times k, percentages as printed."""
    out = figs.copy()
    for col in ("count", "denominator"):
        out[col] = out[col] * k
    return out


def run(figs: pd.DataFrame, spec_path: Path) -> None:
    synthesise.synthesise(figs, study_spec.read_spec(spec_path), seed=1, time_limit=600)


def main() -> None:
    clean, clean_spec = published.figures(DATA / "audit" / "clean.csv"), DATA / "synth" / "clean_spec.yml"
    bands, bands_spec = published.figures(DATA / "synth" / "bands.csv"), DATA / "synth" / "bands_spec.yml"
    base = best_of(3, lambda: synth.generate(1))
    print(f"this paper's vectorised generator (90):  {base:.3f} s (baseline)")
    for label, figs, spec in (("clean survey (50)", clean, clean_spec), ("bands and a set (40)", bands, bands_spec),
                              ("clean x10 (500)", scaled(clean, 10), clean_spec),
                              ("clean x40 (2000)", scaled(clean, 40), clean_spec)):
        t = best_of(3, lambda figs=figs, spec=spec: run(figs, spec))
        print(f"synth, {label + ':':<24} {t:8.3f} s ({t / base:.0f}x the baseline)")
    slip = clean.copy()
    slip.loc[slip["figure_id"] == "t1_sex_f", "count"] = 34  # 34 + 17 is more than the 50

    def conflict() -> None:
        try:
            run(slip, clean_spec)
        except DataError:
            return
        raise AssertionError("the planted slip was not found")

    t = best_of(3, conflict)
    print(f"synth, the minimal conflicting set:       {t:8.3f} s ({t / base:.0f}x the baseline)")


if __name__ == "__main__":
    main()
