"""``hmbook.methods.inference`` against known values, and the ensemble summary reproducible under its seed."""

import numpy as np
import pandas as pd
import pytest

from hmbook.data import published
from hmbook.methods import inference
from hmbook.replicate import synth


def test_wilson_known_values():
    # Wilson (1927) score interval; 0/10 and 7/14 worked by hand from the closed form.
    out = inference.wilson_table(pd.DataFrame({"count": [0, 7, 55], "n": [10, 14, 76]}))
    assert out["lower"].iloc[0] == pytest.approx(0.0, abs=1e-12)
    assert out["upper"].iloc[0] == pytest.approx(0.27753, abs=1e-5)
    assert out[["lower", "upper"]].iloc[1].tolist() == pytest.approx([0.26799, 0.73201], abs=1e-5)
    z = 1.959963984540054
    p, n = 55 / 76, 76
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert out[["lower", "upper"]].iloc[2].tolist() == pytest.approx([centre - half, centre + half])


def test_fisher_known_values_and_adjustment():
    items = pd.DataFrame({"item": ["lady tasting tea", "scipy example", "none"],
                          "users_count": [3, 8, 5], "users_n": [4, 10, 10],
                          "non_users_count": [1, 1, 5], "non_users_n": [4, 6, 10]})
    out = inference.fisher_table(items, method="holm")
    assert out["p_value"].tolist() == pytest.approx([0.48571, 0.03497, 1.0], abs=1e-4)
    assert out["odds_ratio"].iloc[:2].tolist() == pytest.approx([9.0, 20.0])
    # Holm: sort p ascending, multiply by (m - rank), keep monotone, cap at 1.
    assert out["p_adjusted"].tolist() == pytest.approx([0.97143, 0.10490, 1.0], abs=1e-4)
    assert not out["reject"].any()


def test_group_items_reads_the_published_counts():
    t4 = inference.group_items(published.figures(), "Table 4", "Agree")
    assert t4.set_index("variable").loc["shas_safe_environment"].tolist()[1:] == [42, 72, 1, 14]
    assert len(inference.group_items(published.figures(), "Table 2", "Yes")) == 10


def test_cramers_v_matches_scipy_on_a_dense_table():
    from scipy.stats.contingency import association
    table = np.array([[12, 5, 3], [4, 9, 10]])
    assert inference.cramers_v(table) == pytest.approx(association(table, method="cramer"))


def test_ensemble_associations_are_reproducible_under_the_seed():
    a = inference.ensemble_associations(synth.ensemble(200, seed=7))
    b = inference.ensemble_associations(synth.ensemble(200, seed=7))
    c = inference.ensemble_associations(synth.ensemble(200, seed=8))
    pd.testing.assert_frame_equal(a, b)
    assert not a["value"].equals(c["value"])
    assert a["value"].notna().all() and len(a) == 4 * 200


def test_vectorised_cramers_v_matches_scipy_on_ensemble_tables():
    ens = synth.ensemble(30, seed=5)
    occ, years = ens.codes["occupation"], inference._band_codes(ens.codes["years_in_role"])
    tables = inference._tables(occ, years, np.ones_like(occ, dtype=bool), int(occ.max()) + 1, int(years.max()) + 1)
    assert inference._cramers_v_many(tables) == pytest.approx([inference.cramers_v(t) for t in tables])
    assert inference._cramers_v_many(np.array([[[5, 5], [0, 0]]])).tolist() == [0.0]
