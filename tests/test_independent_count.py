"""An independent count of respondents.csv, with the standard library only, against every published count.

This deliberately shares no code with hmbook.replicate.tables: it reads both CSV files with ``csv`` and counts with plain
Python, so a bug in the comparison engine cannot hide a wrong dataset.
"""

import csv
import re

from hmbook import paths

# Figures whose printed denominator is the size of the group, not the number who answered (A03, A05).
GROUP_SIZE_DENOMINATORS = {"conf_confident", "avoid_non_users_none"}


def rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def in_group(r, group):
    return group == "all" or (r["used_hm"] == "true") == (group == "users")


def matches(value, level, variable):
    if level in ("Yes", "No"):
        return value == {"Yes": "true", "No": "false"}[level]
    if variable == "years_in_role":
        years = int(value)
        if m := re.fullmatch(r"(\d+) or less", level):
            return years <= int(m[1])
        if m := re.fullmatch(r"(\d+) or more", level):
            return years >= int(m[1])
        lo, hi = map(int, level.split("-"))
        return lo <= years <= hi
    return value == level


def test_an_independent_count_reproduces_every_published_count():
    people = rows(paths.RESPONDENTS_CSV)
    checked = 0
    for fig in rows(paths.FIGURES_CSV):
        var, level, group = fig["variable"], fig["level"], fig["group"]
        if not fig["count"] or var not in people[0] or level in ("minimum", "maximum", "answered"):
            continue
        members = [r for r in people if in_group(r, group)]
        answered = [r for r in members if r[var] != ""]
        count = sum(matches(r[var], level, var) for r in answered)
        assert count == int(fig["count"]), fig["figure_id"]
        if fig["denominator"]:
            den = len(members) if fig["figure_id"] in GROUP_SIZE_DENOMINATORS else len(answered)
            assert den == int(fig["denominator"]), fig["figure_id"]
        checked += 1
    assert checked >= 95  # Tables 1-4 and the text: a floor, so that a broken filter cannot pass vacuously


def test_the_extremes_and_headers_hold():
    people = rows(paths.RESPONDENTS_CSV)
    years = [int(r["years_in_role"]) for r in people]
    figs = {f["figure_id"]: f for f in rows(paths.FIGURES_CSV)}
    assert min(years) == int(figs["t1_years_min"]["count"]) and max(years) == int(figs["t1_years_max"]["count"])
    assert len(people) == int(figs["t1_n"]["count"])
    assert sum(r["completed_survey"] == "true" for r in people) == int(figs["flow_completed"]["count"])
    shas_users = [r for r in people if r["used_hm"] == "true" and r["shas_safe_environment"]]
    assert len(shas_users) == int(figs["t4_n_users"]["count"])
    assert all(r["synthetic"] == "true" for r in people)
