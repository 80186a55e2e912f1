"""The check helpers in hmbook.teaching.exercises: right answers pass, wrong ones get a diagnosis that hides the answer."""

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.proportion import proportion_confint

from hmbook import grim
from hmbook.errors import DataError
from hmbook.teaching import exercises as ex


def hides(feedback, *values):
    """The message of a wrong answer must not contain the right value."""
    assert not feedback.ok
    for v in values:
        assert str(v) not in feedback.message, (v, feedback.message)


def test_percentage_right_and_wrong():
    assert ex.check_percentage(58, 43, 74)
    assert ex.check_percentage(58.0, 43, 74).ok
    assert "proportion" in ex.check_percentage(0.581, 43, 74).message
    assert "rounded" in ex.check_percentage(58.1, 43, 74).message
    assert "others" in ex.check_percentage(42, 43, 74).message
    assert "different denominator" in ex.check_percentage(57, 43, 74, other_denominators=[76]).message
    hides(ex.check_percentage(70, 43, 74), 58)
    assert "too high" in ex.check_percentage(70, 43, 74).message
    assert "too low" in ex.check_percentage(20, 43, 74).message
    assert not ex.check_percentage("58", 43, 74)
    assert not ex.check_percentage(float("nan"), 43, 74)


def test_published_uses_printed_or_fitted_denominator(figs):
    assert ex.check_published(59, figs, "train_not_trained")
    assert "different denominator" in ex.check_published(58, figs, "train_not_trained").message
    assert ex.check_published(32, figs, "demo_psych_mh")          # percentage printed without a count
    hides(ex.check_published(30, figs, "demo_psych_mh"), 32)
    assert "proportion" in ex.check_published(0.32, figs, "demo_psych_mh").message
    with pytest.raises(DataError):
        ex.check_published(1, figs, "no_such_figure")
    with pytest.raises(DataError):
        ex.check_published(1, figs, "flow_clicked")                # a count with no percentage


def test_table_right_and_wrong(figs, committed):
    ages = committed["age_group"].value_counts()
    assert ex.check_table(ages, figs, "Table 1", variable="age_group")
    assert ex.check_table(ages.to_frame(), figs, "Table 1", variable="age_group")
    wrong = ages.copy()
    wrong["30-39"] += 1
    fb = ex.check_table(wrong, figs, "Table 1", variable="age_group")
    assert "too high (30-39)" in fb.message
    hides(fb, int(ages["30-39"]))
    assert "proportions" in ex.check_table(committed["age_group"].value_counts(normalize=True), figs, "Table 1",
                                           variable="age_group").message
    assert "missing" in ex.check_table(ages.drop("20-29"), figs, "Table 1", variable="age_group").message
    extra = pd.concat([ages, pd.Series({"70-79": 3})])
    assert "not in the published table" in ex.check_table(extra, figs, "Table 1", variable="age_group").message
    users = committed[committed["used_hm"].astype(bool)]
    pct = users[["tech_ice", "tech_pinching"]].astype(bool).sum().map(lambda count: grim.percent(count, len(users)))
    fb = ex.check_table(pct, figs, "Table 2", group="users", value="percent")
    assert not fb.ok and "missing" in fb.message                  # only two of the ten rows
    assert not ex.check_table([1, 2], figs, "Table 1", variable="age_group")
    assert not ex.check_table(pd.DataFrame({"a": [1], "b": [2]}), figs, "Table 1", variable="age_group")


def test_wilson_right_and_wrong():
    right = proportion_confint(26, 90, method="wilson")
    assert ex.check_wilson(right, 26, 90)
    assert ex.check_wilson(tuple(round(x, 2) for x in right), 26, 90)
    assert "normal-approximation" in ex.check_wilson(proportion_confint(26, 90, method="normal"), 26, 90).message
    assert "percentages" in ex.check_wilson(tuple(100 * x for x in right), 26, 90).message
    assert "confidence level" in ex.check_wilson(proportion_confint(26, 90, 0.1, "wilson"), 26, 90).message
    assert "not counted" in ex.check_wilson(proportion_confint(64, 90, method="wilson"), 26, 90).message
    assert "lower limit is above" in ex.check_wilson(right[::-1], 26, 90).message
    assert "contain the observed" in ex.check_wilson((0.5, 0.6), 26, 90).message
    assert not ex.check_wilson(0.3, 26, 90)
    fb = ex.check_wilson((0.2, 0.3), 26, 90)
    hides(fb, f"{right[0]:.2f}", f"{right[1]:.2f}")


def test_kappa_right_and_wrong():
    a = list("xxyyxyxxyy")
    b = list("xyyyxxxxyx")
    kappa = cohen_kappa_score(a, b)
    assert ex.check_kappa(kappa, a, b)
    assert ex.check_kappa(round(kappa, 2), a, b)
    observed = sum(x == y for x, y in zip(a, b)) / len(a)
    assert "raw (percent) agreement" in ex.check_kappa(observed, a, b).message
    assert "expected by chance" in ex.check_kappa(0.5, a, b).message   # both coders: half x, half y
    assert "between minus one and one" in ex.check_kappa(40, a, b).message
    hides(ex.check_kappa(0.9, a, b), f"{kappa:.2f}")
    with pytest.raises(DataError):
        ex.check_kappa(0.1, a, b[:-1])


def test_feedback_reads_as_its_message():
    fb = ex.Feedback(False, "Not quite.")
    assert repr(fb) == str(fb) == "Not quite." and not fb
