"""The recruitment simulator (hmbook.methods.sampling): its statistical behaviour, determinism and bad parameters."""

import numpy as np
import pytest

from hmbook.errors import DataError
from hmbook.methods import sampling
from hmbook.methods.sampling import Model

SMALL = Model(n_population=1500)


def run(model, n=800, seed=11):
    return sampling.summarise(sampling.simulate(model, n, np.random.default_rng(seed)))


def test_no_selection_no_homophily_is_unbiased_with_nominal_coverage():
    s = run(SMALL.with_(selection=0.0, homophily=0.0))
    assert abs(s["bias"]) < 4 * s["mc_se"] + 0.005
    # Monte Carlo standard error of a coverage near 0.95 over 800 studies is under 0.008.
    assert 0.92 <= s["coverage"] <= 0.98


def test_positive_selection_biases_upwards_and_coverage_falls():
    none = run(SMALL.with_(selection=0.0, homophily=0.0))
    strong = run(SMALL.with_(selection=1.0, homophily=0.0))
    assert strong["bias"] > 0.05 and strong["bias"] > 10 * strong["mc_se"]
    assert strong["coverage"] < none["coverage"] - 0.2


def test_selection_grows_with_its_strength():
    g = sampling.grid(SMALL, selections=(0.0, 0.5, 1.0), homophilies=(0.0,), n_studies=300,
                      rng=np.random.default_rng(3))
    assert g["bias"].is_monotonic_increasing and g["coverage"].is_monotonic_decreasing


def test_post_stratification_fixes_bias_through_occupation_only():
    model = SMALL.with_(selection=0.0, homophily=0.0,
                        occupation_odds={"General practitioner": 0.2, "Psychologist": 4.0})
    s = run(model)
    assert s["bias"] > 0.03
    assert abs(s["ps_bias"]) < 0.01


def test_post_stratification_cannot_remove_selection_on_attitude():
    s = run(SMALL.with_(selection=1.0, homophily=0.0))
    assert s["ps_bias"] > 0.05


def test_deterministic_under_a_seed():
    a = sampling.simulate(SMALL, 50, np.random.default_rng(7))
    b = sampling.simulate(SMALL, 50, np.random.default_rng(7))
    c = sampling.simulate(SMALL, 50, np.random.default_rng(8))
    assert a.equals(b) and not a.equals(c)
    g1 = sampling.grid(SMALL, (0.0, 1.0), (0.0, 0.5), n_studies=20, rng=np.random.default_rng(1))
    g2 = sampling.grid(SMALL, (0.0, 1.0), (0.0, 0.5), n_studies=20, rng=np.random.default_rng(1))
    assert g1.equals(g2)


def test_grid_can_return_every_study():
    long = sampling.grid(SMALL, (0.0, 1.0), (0.5,), n_studies=10, rng=np.random.default_rng(1), studies=True)
    assert len(long) == 20 and set(long["selection"]) == {0.0, 1.0}


def test_network_is_homophilous_when_asked():
    m = SMALL.with_(homophily=1.0)
    pop = sampling.population(m, np.random.default_rng(0))
    att = pop["attitude"].to_numpy()
    for h, limit in ((1.0, 0.9), (0.0, 0.2)):
        g = sampling.network(pop, m.with_(homophily=h), np.random.default_rng(0))
        u, v = np.array(list(g.edges())).T
        r = np.corrcoef(att[np.r_[u, v]], att[np.r_[v, u]])[0, 1]  # both directions of every link
        assert (r > limit) if h == 1.0 else (abs(r) < limit)


@pytest.mark.parametrize("changes, name", [
    ({"n_population": -5}, "n_population"),
    ({"n_population": 0}, "n_population"),
    ({"n_seeds": -1}, "n_seeds"),
    ({"waves": -1}, "waves"),
    ({"degree": -2}, "degree"),
    ({"degree": 3}, "degree"),
    ({"n_population": 4, "n_seeds": 5, "degree": 2}, "n_seeds"),
    ({"homophily": 1.2}, "homophily"),
    ({"dropout": -0.1}, "dropout"),
    ({"forward": 2}, "forward"),
    ({"advert_reach": -1e-3}, "advert_reach"),
    ({"take_part": 1.0}, "take_part"),
    ({"selection": float("nan")}, "selection"),
    ({"n_seeds": 2.5}, "n_seeds"),
    ({"occupation_odds": {"Nobody": 2.0}}, "occupation_odds"),
    ({"occupation_odds": {"Psychologist": 0.0}}, "occupation_odds"),
    ({"occupations": {"A": (0.5, 0.0)}}, "occupations"),
])
def test_bad_parameters_raise_value_error_naming_them(changes, name):
    with pytest.raises(DataError, match=name):
        Model(**changes)


def test_bad_number_of_studies_and_missing_generator():
    with pytest.raises(DataError, match="n_studies"):
        sampling.simulate(SMALL, -1, np.random.default_rng(0))
    with pytest.raises(DataError, match="rng"):
        sampling.grid(SMALL)


def test_the_live_panel_has_a_slider_per_parameter_and_redraws(monkeypatch):
    from hmbook.viz import widgets

    drawn = []
    simulate = sampling.simulate
    monkeypatch.setattr(sampling, "simulate", lambda m, *a, **k: drawn.append(m) or simulate(m, *a, **k))
    panel = widgets.sampling_panel(SMALL, n_studies=5, seed=1)
    sliders = [w for box in panel.children[0].children for w in box.children]
    assert sorted(s.description for s in sliders) == sorted(widgets.SLIDERS)
    assert [m.n_seeds for m in drawn] == [SMALL.n_seeds], "the panel draws once, at the model's settings"
    seeds = next(s for s in sliders if s.description == "n_seeds")
    seeds.value = SMALL.n_seeds + 2  # moving a slider redraws with the new setting and the others unchanged
    assert [m.n_seeds for m in drawn] == [SMALL.n_seeds, SMALL.n_seeds + 2]
    assert drawn[-1] == SMALL.with_(n_seeds=SMALL.n_seeds + 2)


@pytest.mark.parametrize("changes, says", [
    ({"n_seeds": 0, "advert_reach": 0.0}, "no one is invited"),
    ({"take_part": 0.05, "n_seeds": 0, "advert_reach": 0.001, "dropout": 0.9}, "No simulated study kept"),
])
def test_the_live_panel_explains_settings_under_which_nobody_takes_part(changes, says, capsys, monkeypatch):
    """No empty plot reading "bias +nan": the panel says why nothing can be drawn, and draws nothing."""
    from hmbook.viz import plotting, widgets

    drawn = []
    monkeypatch.setattr(plotting, "sampling_histogram", lambda *a, **k: drawn.append(a))
    widgets.sampling_panel(SMALL.with_(**changes), n_studies=3, seed=1)  # outside a kernel, prints reach stdout
    assert says in capsys.readouterr().out and not drawn


def test_selection_reads_as_an_odds_ratio_per_standard_deviation():
    m = Model(occupations={"a": (0.5, -1.0), "b": (0.5, 1.0)})
    assert m.attitude_sd == pytest.approx(2 ** 0.5)
    assert m.odds_ratio(0.0) == 1.0 and m.with_(selection=0.5).odds_ratio() == pytest.approx(np.exp(0.5 * 2 ** 0.5))
    pop = sampling.population(Model(n_population=20000), np.random.default_rng(3))
    assert pop["attitude"].std() == pytest.approx(Model().attitude_sd, rel=0.02)  # the formula matches the draws


def test_compatible_truths_shift_down_as_selection_grows():
    """The inverse question: an observed share fits lower truths the stronger the selection on attitude."""
    t = sampling.compatible_truths(SMALL, 0.84, np.random.default_rng(4), selections=(0.0, 1.5), n_studies=80)
    fits = t[t["compatible"]].groupby("selection")["truth"]
    assert fits.max()[1.5] < fits.max()[0.0] and fits.min()[1.5] < fits.min()[0.0]
    none = t[t["selection"] == 0.0]
    assert not none.loc[none["truth"] < 0.5, "compatible"].any()  # no selection: a truth of a half cannot give 84%
    with pytest.raises(DataError, match="observed"):
        sampling.compatible_truths(SMALL, 84, np.random.default_rng(4))


def test_a_world_is_shared_by_designs_and_refuses_another_network():
    w = sampling.world(SMALL, np.random.default_rng(5))
    a = sampling.simulate(SMALL, 30, np.random.default_rng(6), world=w)
    b = sampling.simulate(SMALL.with_(waves=SMALL.waves + 1), 30, np.random.default_rng(6), world=w)
    assert a["truth"].iloc[0] == b["truth"].iloc[0] and b["consented"].mean() > a["consented"].mean()
    # simulate without a world draws the same world first, so the results agree with drawing it by hand
    again = sampling.simulate(SMALL, 30, np.random.default_rng(5))
    rng = np.random.default_rng(5)
    by_hand = sampling.world(SMALL, rng)
    assert again.equals(sampling.simulate(SMALL, 30, rng, world=by_hand))
    with pytest.raises(DataError, match="degree"):
        sampling.simulate(SMALL.with_(degree=4), 5, np.random.default_rng(6), world=w)
