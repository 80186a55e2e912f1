"""``hmbook.methods.audit`` and ``python -m hmbook audit``: known values, the paper's findings, planted errors, bad input.

``tests/data/audit/clean.csv`` is a made-up figures file of another survey (50 respondents in two groups) that
exercises every rule; each planted error below changes it in one way, and the audit must catch it with the right
check. Bad input must give exit status 2 and one line on stderr, and must leave the file as it was.
"""

import hashlib
import json

import pytest

from hmbook import grim, paths
from hmbook.data import published
from hmbook.errors import DataError
from hmbook.methods import audit

CLEAN = paths.ROOT / "tests" / "data" / "audit" / "clean.csv"


@pytest.fixture(scope="module")
def paper():
    return audit.audit(published.figures(), published.assumptions())


def finding(found, check, figure_id, status=None):
    hits = found[(found["check"] == check) & found["figure_ids"].str.split(";").apply(lambda ids: figure_id in ids)]
    if status is not None:
        hits = hits[hits["status"] == status]
    assert len(hits), f"no {status or ''} {check} finding for {figure_id}"
    return hits.iloc[0]


# ------------------------------------------------------------------------------------------------ known values
@pytest.mark.parametrize("count, den, conv, expected", [
    (9, 72, "half_up", 13), (9, 72, "half_even", 12), (9, 72, "half_down", 12), (9, 72, "truncate", 12),
    (1, 8, "half_even", 12), (3, 8, "half_even", 38), (44, 74, "truncate", 59), (44, 76, "ceiling", 58),
    (140, 184, "half_up", 76), (0, 14, "ceiling", 0),
])
def test_rounding_conventions(count, den, conv, expected):
    assert grim.rounds(count, den, 0, conv) == expected


def test_grim_search_known_values():
    assert list(grim.implied_denominators(43, 58)) == [74]
    assert list(grim.implied_denominators(44, 59)) == [74, 75]
    assert list(grim.implied_denominators(30, 41)) == [73, 74]
    assert list(grim.implied_denominators(9, 12, conventions=("half_up",))) == [73, 74, 75, 76, 77, 78]
    assert grim.implied_denominators(9, 12)[0] == 72  # 9/72 = 12.5%, which rounds to 12 under half-even
    assert list(grim.implied_counts(184, 98)) == [180, 181]
    assert list(grim.implied_counts(76, 53)) == [40] and not grim.implied_counts(14, 53)
    assert grim.fits(1, 3, 33.3, 1) and not grim.fits(1, 3, 33.4, 1)


def test_the_paper_rounds_to_nearest():
    table = audit.conventions(published.figures()).set_index("convention")
    assert table.loc[["half_up", "half_even", "half_down"], "consistent"].all()
    assert not table.loc[["truncate", "ceiling"], "consistent"].any()


# ------------------------------------------------------------------------------------------------ the paper
@pytest.mark.parametrize("check, figure_id, status, register", [
    ("percentage", "flow_consented", "inconsistent", "A26"),
    ("percentage", "conf_confident", "inconsistent", "A03"),
    ("sum", "conf_unsure", "inconsistent", "A03"),
    ("sum", "t3_n_non_users", "inconsistent", "A05"),
    ("percentage", "train_not_trained", "ambiguous", "A01"),
    ("percentage", "train_trained", "ambiguous", "A01"),
    ("sum", "train_trained", "ambiguous", "A01"),
    ("denominator", "t4_users_safe_agree", "ambiguous", "A04"),
    ("denominator", "flow_completed", "inconsistent", "A06"),
    ("percentage", "prac_setting_adults", "ambiguous", "A24"),
    ("percentage", "prac_setting_children", "ambiguous", "A24"),
    ("percentage", "demo_psych_mh", "ambiguous", "A10"),
    ("percentage", "demo_over_2_years", "ok", "A11"),
    ("sum", "t1_occ_gp", "ok", ""),
    ("sum", "prac_other_any", "ok", ""),
    ("cross-reference", "abs_female", "ok", ""),
    ("cross-reference", "prac_rubber_bands", "ok", ""),
])
def test_findings_on_the_paper(paper, check, figure_id, status, register):
    row = finding(paper, check, figure_id, status)
    assert register in row["assumptions"].split(";") or not register


def test_the_completion_check_counts_every_group_with_a_gap(paper):
    """89 completed, so at most 1 of the 90 can have a gap; the users' denominators show 4 (Table 4) and the
    non-users' groups-to-avoid question leaves 2 unaccounted for (A05): at least 6, not 4."""
    row = finding(paper, "denominator", "flow_completed", "inconsistent")
    assert "at least 6 with a gap (2 non_users, 4 users)" in row["explanation"]
    assert {"A04", "A05", "A06"} <= set(row["assumptions"].split(";"))


def test_every_table1_block_sums_to_the_header(paper):
    t1 = paper["figure_ids"].str.split(";").apply(lambda ids: all(i.startswith("t1_") for i in ids))
    sums = paper[(paper["check"] == "sum") & t1]
    assert len(sums) == 6 and (sums["status"] == "ok").all()


def test_grim_names_the_likely_denominator(paper):
    assert "43/74 is the likely reading" in finding(paper, "percentage", "conf_confident")["explanation"]
    assert "add up to 74" in finding(paper, "percentage", "train_not_trained")["explanation"]
    ranges = audit.implied_ranges(published.figures(), ["flow_consented", "train_trained"])
    assert ranges[["low", "high"]].values.tolist() == [[143, 143], [73, 74]]


# ------------------------------------------------------------------------------------------------ planted errors
def plant(text, figure_id, **fields):
    lines = text.splitlines()
    header = lines[0].split(",")
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == figure_id:
            for k, v in fields.items():
                cells[header.index(k)] = str(v)
            lines[i] = ",".join(cells)
            return "\n".join(lines) + "\n"
    raise KeyError(figure_id)


PLANTED = {
    "percentage": (dict(figure_id="t2_a_item", reported_percent=45), "percentage", "t2_a_item"),
    "decimal percentage": (dict(figure_id="t2_b_item", reported_percent="26.0"), "percentage", "t2_b_item"),
    "block sum": (dict(figure_id="t1_sex_m", count=19, reported_percent=38), "sum", "t1_sex_m"),
    "yes/no sum": (dict(figure_id="text_a_conf_no", count=7), "sum", "text_a_conf_no"),
    "header sum": (dict(figure_id="t3_role_doctor", count=12), "sum", "t3_role_doctor"),
    "group partition": (dict(figure_id="text_item_all", count=19, reported_percent=38), "sum", "text_item_all"),
    "cross-reference percent": (dict(figure_id="text_sex_f", reported_percent=64), "cross-reference", "text_sex_f"),
    "cross-reference count": (dict(figure_id="abs_used", count=31, reported_percent=62), "cross-reference",
                              "abs_used"),
}


def test_the_clean_file_passes(cli):
    status, out, err = cli("audit", CLEAN)
    assert status == 0 and not err, out + err
    assert "0 inconsistent, 0 ambiguous" in out


@pytest.mark.parametrize("kind", PLANTED)
def test_each_planted_error_is_caught(tmp_path, cli, kind):
    change, check, figure_id = PLANTED[kind]
    bad = tmp_path / "planted.csv"
    bad.write_text(plant(CLEAN.read_text(), **change))
    status, out, err = cli("audit", bad, "--format", "json")
    assert status == 1, out + err
    found = json.loads(out)["findings"]
    hits = [f for f in found if f["check"] == check and figure_id in f["figure_ids"].split(";")
            and f["status"] == "inconsistent"]
    assert hits, [f for f in found if f["status"] != "ok"]


def test_the_committed_figures_are_audited_with_the_register(cli):
    status, out, err = cli("audit")
    assert status == 1 and not err
    assert "[register: A26]" in out and "half_up, half_even, half_down" in out


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_formats(cli, fmt):
    status, out, _ = cli("audit", CLEAN, "--format", fmt)
    assert status == 0
    if fmt == "csv":
        assert out.splitlines()[0] == ",".join(audit.FINDING_COLUMNS)
    elif fmt == "json":
        assert {"file", "conventions", "findings"} <= set(json.loads(out))


# ------------------------------------------------------------------------------------------------ bad input
BAD = {
    "missing file": (None, "no such file"),
    "empty": ("", "the file is empty"),
    "wrong columns": ("figure_id,source,group,count\nx,Table 1,all,3\n", "missing column(s): variable, level"),
    "non-numeric count": (lambda t: plant(t, "t1_sex_f", count="33a"), "count '33a' is not a whole number"),
    "non-numeric denominator": (lambda t: plant(t, "t1_sex_f", denominator="fifty"), "is not a whole number"),
    "non-numeric percent": (lambda t: plant(t, "t1_sex_f", reported_percent="66%"), "is not a number"),
    "zero denominator": (lambda t: plant(t, "t1_sex_f", denominator=0), "a denominator of 0"),
    "duplicate id": (lambda t: t + "t1_n,Table 1,all,respondents,analysed,50,,\n", "appears more than once"),
    "header only": (lambda t: t.splitlines()[0] + "\n", "has no rows"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_gives_one_line_and_exit_2(tmp_path, cli, case):
    make, expected = BAD[case]
    path = tmp_path / "figures.csv"
    if make is not None:
        path.write_text(make if isinstance(make, str) else make(CLEAN.read_text()))
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    status, out, err = cli("audit", path)
    assert status == 2, (out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert expected in err, err
    assert (hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None) == before


def test_bad_register_and_format(tmp_path, cli):
    reg = tmp_path / "reg.csv"
    reg.write_text("a,b\n1,2\n")
    status, _, err = cli("audit", CLEAN, "--register", reg)
    assert status == 2 and "not an assumption register" in err and len(err.strip().splitlines()) == 1
    status, _, err = cli("audit", CLEAN, "--format", "xml")
    assert status == 2 and len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------------ another paper
# tests/data/audit/as_printed.csv is a made-up table printed as most survey papers print one: n (%) under a header
# N, no denominators on the rows, percentages to two decimals, means and SDs of a scale, a 0/1 item.
AS_PRINTED = paths.ROOT / "tests" / "data" / "audit" / "as_printed.csv"
HEADER = "figure_id,source,group,variable,level,count,denominator,reported_percent"


def write(tmp_path, *lines, header=HEADER, name="figures.csv"):
    path = tmp_path / name
    path.write_text("\n".join((header,) + lines) + "\n", encoding="utf-8")
    return path


def audited(path, rounding="auto"):
    return audit.audit(published.figures(path), rounding=rounding)


@pytest.fixture
def main(capsys):
    """``python -m hmbook ARGS`` in this process: (exit status, stdout, stderr)."""
    from hmbook import cli

    def run(*args):
        try:
            status = cli.main([str(a) for a in args])
        except SystemExit as stop:  # argparse's own exits
            status = stop.code
        out, err = capsys.readouterr()
        return status, out, err
    return run


def test_a_table_printed_under_a_header_n_gets_verdicts(main):
    status, out, err = main("audit", AS_PRINTED)
    assert status == 0 and not err, out + err
    assert "0 inconsistent, 0 ambiguous, 0 notes" in out
    found = audited(AS_PRINTED)
    pct = finding(found, "percentage", "t1_sex_m", "ok")
    assert "177/482" in pct["explanation"] and "header N of Table 1" in pct["explanation"]
    assert "482, the table's header N" in finding(found, "sum", "t1_sex_m", "ok")["explanation"]
    for check, fid in [("mean", "t2_phq9"), ("sd", "t2_phq9"), ("mean", "t2_wellbeing"), ("sd", "t2_wellbeing"),
                       ("binary", "t1_smoker"), ("cross-reference", "text_female")]:
        finding(found, check, fid, "ok")


SLIPS = {  # change, check, figure id, status, words the explanation must contain
    "transposed digits": (dict(figure_id="t1_role_nurse", reported_percent="31.21"), "percentage",
                          "t1_role_nurse", "inconsistent", "150/482"),
    "count typed wrong": (dict(figure_id="t1_sex_m", count=117), "percentage", "t1_sex_m", "inconsistent",
                          "counts that give it out of 482: 177"),
    "count typed wrong (sum)": (dict(figure_id="t1_sex_m", count=117), "sum", "t1_sex_m", "inconsistent",
                                "60 are unaccounted for"),
    "truncated": (dict(figure_id="t1_role_other", reported_percent="43.77"), "percentage", "t1_role_other",
                  "inconsistent", "fits only under truncation"),
    "text against a table count": (dict(figure_id="text_urban", reported_percent="55.7"), "cross-reference",
                                   "text_urban", "inconsistent", "text_urban prints 55.7% but 268/482 is 55.6%"),
    "text disagrees": (dict(figure_id="text_female", reported_percent="63.2"), "cross-reference", "text_female",
                       "inconsistent", "the percents differ"),
    "GRIM": (dict(figure_id="t2_phq9", mean="9.3815"), "mean", "t2_phq9", "inconsistent", "(GRIM)"),
    "GRIM under truncation only": (dict(figure_id="t2_phq9", mean="9.381"), "mean", "t2_phq9", "inconsistent",
                                   "only under truncation"),
    "DEBIT": (dict(figure_id="t1_smoker", sd="0.39"), "binary", "t1_smoker", "inconsistent", "(DEBIT)"),
    "mean outside its scale": (dict(figure_id="t2_wellbeing", mean="5.12"), "range", "t2_wellbeing",
                               "inconsistent", "outside the scale's 1 to 5"),
    "SD too large for the scale": (dict(figure_id="t2_wellbeing", sd="2.62"), "range", "t2_wellbeing",
                                   "inconsistent", "larger than any 482 answers between 1 and 5"),
    "count above the header N": (dict(figure_id="t1_role_other", count=500), "range", "t1_role_other",
                                 "inconsistent", "more than its denominator 482 (the header N of Table 1"),
}


@pytest.mark.parametrize("kind", SLIPS)
def test_slips_in_a_table_printed_under_a_header_n(tmp_path, kind):
    change, check, figure_id, status, words = SLIPS[kind]
    path = tmp_path / "slip.csv"
    path.write_text(plant(AS_PRINTED.read_text(), **change))
    row = finding(audited(path), check, figure_id, status)
    assert words in row["explanation"], row["explanation"]


def test_a_percentage_with_its_denominator_and_no_count_gets_a_verdict(tmp_path):
    path = write(tmp_path, "a,Results,all,q1,Yes,,50,34", "b,Results,all,q2,Yes,,50,35", "c,Results,all,q3,Yes,,7,43")
    found = audited(path)
    assert "34% of 50 is 17, the only count that gives it" in finding(found, "percentage", "a", "ok")["explanation"]
    assert "No whole count out of 50 gives 35%: 17/50 is 34% and 18/50 is 36%" in \
        finding(found, "percentage", "b", "inconsistent")["explanation"]
    finding(found, "percentage", "c", "ok")  # 3/7 = 42.9%


def test_scrutinys_percentage_cases_get_verdicts_in_a_figures_file(tmp_path):
    """The issue's example: scrutiny's GRIM-for-percentages cases, transcribed as rows with a percentage and a
    denominator, each get ok or inconsistent (never ambiguous, never a note), as scrutiny says (above 100%: out of
    range); the file fixes no rounding, and says so once (tests/test_conformance_command.py runs every case)."""
    import csv

    cases = [r for r in csv.DictReader((paths.ROOT / "tests/data/audit/scrutiny_conformance.csv").open())
             if r["test"] == "grim_percent" and r["rounding"] == "up_or_down"]
    lines = [f"s{r['case']},Test,case_{r['case']},q,Yes,,{r['n']},{r['x']}" for r in cases]
    found = audited(write(tmp_path, *lines))
    assert len(cases) == 129 and len(found) == len(cases) + 1, found["status"].value_counts()
    assert finding(found, "rounding", "", "note")["figure_ids"] == ""
    status = dict(zip(found["figure_ids"], found["status"]))
    for r in cases:
        assert status[f"s{r['case']}"] == ("ok" if r["expected"] == "true" and not r["difference"] else
                                           "inconsistent"), r
    assert (found.loc[found["check"] == "range", "status"] == "inconsistent").sum() == 12  # the 12 above 100%


# ------------------------------------------------------------------------------------------------ rounding
def test_with_no_full_row_the_audit_rounds_to_nearest(tmp_path):
    path = write(tmp_path, "a,Results,all,q1,Yes,,30,34", "b,Results,all,q2,Yes,,30,33")  # 10/30 = 33.3%
    found = audited(path)
    assert "only under rounding up (ceiling)" in finding(found, "percentage", "a", "inconsistent")["explanation"]
    finding(found, "percentage", "b", "ok")
    assert "does not fix its rounding (no percentage is printed with its count" in finding(
        found, "rounding", "", "note")["explanation"]
    assert (found["check"] == "rounding").sum() == 1  # said once, not on every row
    rounding = audit.choose_rounding(published.figures(path))
    assert rounding.accepted == grim.NEAREST and rounding.basis == "assumed"
    finding(audited(path, "ceiling"), "percentage", "a", "ok")
    finding(audited(path, "any"), "percentage", "a", "ok")
    finding(audited(path, "ceiling"), "percentage", "b", "inconsistent")
    assert not (audited(path, "ceiling")["check"] == "rounding").any()  # a rounding chosen is not assumed


def test_the_rounding_option_on_the_command_line(tmp_path, main):
    path = write(tmp_path, "a,Results,all,q1,Yes,,30,34", "b,Results,all,q2,Yes,,30,33")
    status, out, err = main("audit", path, "--rounding", "ceiling", "--format", "json")
    assert status == 1 and not err
    result = json.loads(out)
    assert result["rounding"].startswith("ceiling (as chosen: --rounding ceiling)")
    assert {f["figure_ids"]: f["status"] for f in result["findings"]} == {"a": "ok", "b": "inconsistent"}
    status, out, _ = main("audit", path)
    assert status == 1 and "1 inconsistent, 0 ambiguous, 1 note, 1 ok" in out
    assert "Rounding: half_up, half_even, half_down (round to nearest assumed: no percentage" in out
    status, out, _ = main("audit", path, "--rounding", "any")
    assert status == 0 and "0 inconsistent, 0 ambiguous, 0 notes, 2 ok" in out


def test_halves_and_double_rounding_are_named(tmp_path):
    assert grim.rounds(109, 245, 1) == 44.5 and grim.rounds(109, 245) == 44  # 44.49%: to 44.5, then 45
    path = write(tmp_path, "a,Results,all,q1,Yes,1,8,12", "b,Results,all,q2,Yes,109,245,45")
    found = audited(path, "half-up")
    assert "fits only under rounding halves to even" in finding(found, "percentage", "a", "inconsistent")[
        "explanation"]
    assert "the printed 45% fits only under rounding up (ceiling) or double rounding" in finding(
        found, "percentage", "b", "inconsistent")["explanation"]
    finding(audited(path, "half-even"), "percentage", "a", "ok")
    # round to nearest, halves not fixed by the file: an exact half that only one treatment gives is a note
    assert "exactly a half at the printed precision: 12% fits under rounding halves to even or rounding halves down, " \
           "not rounding halves up" in finding(audited(path, "nearest"), "percentage", "a", "note")["explanation"]


def test_the_files_own_rounding_is_inferred(tmp_path, main):
    # 2/3, 1/6, 5/6 and 7/9 truncated: the file truncates; a row that fits only rounding to nearest is inconsistent
    path = write(tmp_path, "a,Results,all,q1,Yes,2,3,66", "b,Results,all,q2,Yes,1,6,16",
                 "c,Results,all,q3,Yes,5,6,83", "d,Results,all,q4,Yes,7,9,78")
    rounding = audit.choose_rounding(published.figures(path))
    assert rounding.accepted == ("truncate",) and rounding.basis == "inferred"
    found = audited(path)
    assert "78% fits only under rounding halves" in finding(found, "percentage", "d", "inconsistent")["explanation"]
    assert not (found["check"] == "rounding").any()  # inferred: nothing to say once
    status, out, _ = main("audit", path)
    assert status == 1 and "Rounding: truncate (inferred: it reproduces 3 of the 4 percentages" in out


def test_a_slip_in_a_file_that_rounds_to_nearest_is_inconsistent(tmp_path, main):
    """The issue's case, made up on the same pattern: a table under a header N of 482 that rounds to nearest
    (372 printed as 77.2% in one place), with 372 also printed as 77.1% (truncated) and 18 as 3.8% (rounded up):
    both slips are inconsistent, exit 1, each naming the rounding that would give it."""
    rows = ["n,Table 1,all,respondents,answered,482,,", "a,Table 1,all,q1,Yes,372,,77.2", "b,Table 1,all,q2,Yes,60,,12.4",
            "c,Table 1,all,q3,Yes,101,,21.0", "d,Table 1,all,q4,Yes,250,,51.9", "e,Table 2,all,q5,Yes,372,,77.1",
            "f,Table 2,all,q6,Yes,18,,3.8", "g,Table 1,all,q7,Yes,100,,20.7", "i,Table 1,all,q8,Yes,30,,6.2",
            "m,Table 2,all,respondents,answered,482,,"]
    path = write(tmp_path, *rows)
    found = audited(path)
    assert audit.choose_rounding(published.figures(path)).basis == "inferred"
    assert "372/482 (the header N of Table 2; no denominator is printed on the row) is 77.2% under rounding to " \
           "nearest, the file's rounding; the printed 77.1% fits only under truncation" in finding(
               found, "percentage", "e", "inconsistent")["explanation"]
    assert "fits only under rounding up (ceiling)" in finding(found, "percentage", "f", "inconsistent")["explanation"]
    status, out, _ = main("audit", path)
    assert status == 1 and "2 inconsistent" in out
    status, out, _ = main("audit", path, "--rounding", "any")
    assert status == 0 and "0 inconsistent" in out


def test_decimals_are_those_printed(tmp_path):
    path = write(tmp_path, "a,Results,all,q1,Yes,1,3,33.3", "b,Results,all,q2,Yes,1,3,33.30",
                 "c,Results,all,q3,Yes,1,3,33.33")
    found = audited(path)
    finding(found, "percentage", "a", "ok"), finding(found, "percentage", "c", "ok")
    finding(found, "percentage", "b", "inconsistent")


# ------------------------------------------------------------------------------------------------ blocks
def test_a_block_short_of_its_header_n_is_reported_whatever_the_percentages(tmp_path):
    # 400 + 200 + 133 = 733 of a header N of 743; the percentages (of 743) add up to 98.66
    rows = ["n,Table 2,all,respondents,answered,743,,", "a,Table 2,all,q,A,400,,53.84", "b,Table 2,all,q,B,200,,26.92",
            "c,Table 2,all,q,C,133,,17.90"]
    row = finding(audited(write(tmp_path, *rows)), "sum", "a", "ambiguous")
    assert "10 are unaccounted for" in row["explanation"] and "98.66" in row["explanation"]
    # the same counts with percentages of the 733 who answered (adding up to 100): the table contradicts its N
    rows[1:] = ["a,Table 2,all,q,A,400,,54.57", "b,Table 2,all,q,B,200,,27.29", "c,Table 2,all,q,C,133,,18.14"]
    found = audited(write(tmp_path, *rows))
    assert "10 are unaccounted for" in finding(found, "sum", "a", "inconsistent")["explanation"]
    assert "add up to 733, so 400/733 is the likely reading" in finding(found, "percentage", "a")["explanation"]


def test_a_block_over_its_header_n_is_inconsistent_and_one_equal_to_it_is_ok(tmp_path):
    rows = ["n,Table 2,all,respondents,answered,100,,", "a,Table 2,all,q,A,60,,", "b,Table 2,all,q,B,50,,"]
    assert "10 too many" in finding(audited(write(tmp_path, *rows)), "sum", "a", "inconsistent")["explanation"]
    rows[2] = "b,Table 2,all,q,B,40,,"
    assert "60 + 40 = 100, the table's header N" in finding(audited(write(tmp_path, *rows)), "sum", "a", "ok")[
        "explanation"]


def test_nested_stages_are_checked_as_a_chain(paper, tmp_path):
    row = finding(paper, "chain", "flow_analysed", "ambiguous")
    assert "'analysed' (90) is larger than 'completed' (89)" in row["explanation"]
    assert not ((paper["check"] == "sum") & paper["figure_ids"].str.contains("flow_")).any()
    rows = ["s1,Flow,all,flow,invited,200,,", "s2,Flow,all,flow,consented,150,200,75",
            "s3,Flow,all,flow,completed,120,150,80"]
    found = audited(write(tmp_path, *rows))
    assert "invited 200 -> consented 150 -> completed 120" in finding(found, "chain", "s1", "ok")["explanation"]
    assert (found["check"] != "sum").all()


# ------------------------------------------------------------------------------------------------ ranges, bounds
def test_values_out_of_range_are_inconsistent(tmp_path, main):
    path = write(tmp_path, "a,Results,all,q1,Yes,60,50,120", "b,Results,all,q2,Yes,,50,104",
                 "c,Results,all,q3,Yes,,,-3", "d,Results,all,q4,Yes,,,140")
    found = audited(path)
    said = " ".join(found.loc[found["figure_ids"] == "a", "explanation"])
    assert "count 60 is more than its denominator 50" in said and "120% is above 100" in said
    for fid in "bcd":
        finding(found, "range", fid, "inconsistent")
    assert not (found["check"] == "percentage").any()  # nothing called "ok" about them
    status, out, err = main("audit", path)
    assert status == 1 and not err


def test_huge_numbers_are_handled_exactly_and_briefly(tmp_path):
    big = 10 ** 15 - 1
    path = write(tmp_path, f"a,Results,all,q1,Yes,{big // 3},{big},33.333333333333", f"b,Results,all,q2,Yes,,{big},50",
                 "c,Results,all,q3,Yes,,,33.333333333333", f"d,Results,all,q4,Yes,{big},,50")
    found = audited(path)
    finding(found, "percentage", "a", "ok")
    assert "495000000000000-504999999999999" in finding(found, "percentage", "b", "ok")["explanation"]
    assert "at all is 3." in finding(found, "percentage", "c", "ambiguous")["explanation"]
    assert "only out of 1980198019801979-2020202020202018" in finding(found, "percentage", "d", "ambiguous")[
        "explanation"]


def test_means_over_more_answers_than_a_machine_word_holds(tmp_path):
    big = 10 ** 15 - 1  # people x items = 10**30: totals and sums of squares beyond 2**63, still exact
    rows = [f"a,T,a,q,mean,,{big},,3.51,1.20,{big},,", f"b,T,b,q,mean,,{big},,0.50,0.50,,0,1"]
    found = audited(write(tmp_path, *rows, header=HEADER + ",mean,sd,n_items,scale_min,scale_max"))
    assert "fits a total of 3504999999999992990000000000004-" in finding(found, "mean", "a", "ok")["explanation"]
    finding(found, "sd", "a", "ok"), finding(found, "binary", "b", "ok")


BAD_NUMBERS = {
    "negative count": ("a,Results,all,q,Yes,-3,50,", "count '-3' is below 0"),
    "count too long": ("a,Results,all,q,Yes,1234567890123456,,", "more than 15 digits"),
    "percent too precise": ("a,Results,all,q,Yes,,,12.3456789012345", "too many digits"),
    "percent sign": ("a,Results,all,q,Yes,3,50,6%", "without the % sign"),
}


@pytest.mark.parametrize("case", BAD_NUMBERS)
def test_numbers_that_cannot_be_printed_figures_are_one_line_errors(tmp_path, main, case):
    line, expected = BAD_NUMBERS[case]
    status, out, err = main("audit", write(tmp_path, line))
    assert status == 2 and len(err.strip().splitlines()) == 1 and expected in err, err


# ------------------------------------------------------------------------------------------------ bad files
def test_bad_files_are_one_line_errors(tmp_path, main):
    cases = {
        "extra field": (HEADER + "\nx,Table 1,all,q,Yes,3,10,30,oops\n", "line 2 has 9 fields but the header has 8"),
        "after a comment": (HEADER + "\n# a note\n\nx,Table 1,all,q,Yes,3,10,30,oops\n", "line 4 has 9 fields"),
        "semicolons": (HEADER.replace(",", ";") + "\nx;Table 1;all;q;Yes;3;10;30\n", "separated by semicolons"),
        "tabs": (HEADER.replace(",", "\t") + "\nx\tTable 1\tall\tq\tYes\t3\t10\t30\n", "separated by tabs"),
        "open quote": (HEADER + '\nx,"Table 1,all,q,Yes,3,10,30\n', "not valid CSV"),
        "only comments": ("# nothing here\n", "the file is empty"),
        "negative SD": (HEADER + ",mean,sd,n_items\nx,T,all,q,m,,10,,3.1,-1.2,1\n", "cannot be negative"),
        "no items": (HEADER + ",mean,n_items\nx,T,all,q,m,,10,,3.1,0\n", "n_items '0' is below 1"),
        "scale upside down": (HEADER + ",mean,scale_min,scale_max\nx,T,all,q,m,,10,,3.1,5,1\n", "is not below"),
        "repeated column": (HEADER + ",count\nx,T,all,q,Yes,3,10,30,3\n", "'count' appears more than once"),
    }
    for name, (text, expected) in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        before = path.read_bytes()
        status, out, err = main("audit", path)
        assert status == 2 and len(err.strip().splitlines()) == 1 and expected in err, (name, err)
        assert path.read_bytes() == before


def test_bad_registers_are_one_line_errors(tmp_path, main):
    cases = {"missing.csv": (None, "no such file"), "latin1.csv": ("assumption_id,kind\nA1,caf\xe9\n".encode("latin-1"),
             "not UTF-8"), "empty.csv": (b"", "the file is empty"),
             "semi.csv": (b"assumption_id;kind;figure_ids\nA1;gap;x\n", "separated by semicolons"),
             "ragged.csv": (b'assumption_id,kind,figure_ids\nA1,gap,x,y,z\n"A2,gap\n', "line 2 has 5 fields but the "
                            "header has 3")}
    for name, (data, expected) in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        status, _, err = main("audit", CLEAN, "--register", path)
        assert status == 2 and len(err.strip().splitlines()) == 1 and expected in err, (name, err)
    status, _, err = main("audit", CLEAN, "--rounding", "sideways")
    assert status == 2 and len(err.strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------------ means
def test_means_and_sds_of_scrutinys_examples(tmp_path):
    header = HEADER + ",mean,sd,n_items,scale_min,scale_max"
    rows = ["a,T,a,x,mean,,28,,5.19,,1,,", "b,T,b,x,mean,,32,,5.19,,1,,",         # GRIM: no, yes
            "c,T,c,x,mean,,35,,5.23,2.55,1,,", "d,T,d,x,mean,,28,,5.21,1.6,1,,",   # GRIMMER: parity; ok
            "h,T,h,x,mean,,20,,3.00,1.00,1,,",                                       # parity, whatever the rounding
            "e,T,e,x,mean,,1683,,0.19,0.35,,0,1", "f,T,f,x,mean,,1683,,0.53,0.50,,0,1",  # DEBIT: no, yes
            "g,T,g,x,mean,,40,,3.50,,,,"]                                             # no items: no check
    found = audited(write(tmp_path, *rows, header=header))
    finding(found, "mean", "a", "inconsistent"), finding(found, "mean", "b", "ok")
    assert "fit only under rounding up (ceiling)" in finding(found, "sd", "c", "inconsistent")["explanation"]
    assert "wrong parity" in finding(found, "sd", "h", "inconsistent")["explanation"]
    finding(found, "sd", "d", "ok")
    finding(found, "binary", "e", "inconsistent"), finding(found, "binary", "f", "ok")
    assert not found["figure_ids"].eq("g").any()


# ------------------------------------------------------------------------------------------------ template
def test_the_template_is_written_once_and_reads_back(tmp_path, main):
    target = tmp_path / "other_paper.csv"
    status, out, err = main("audit", "--template", target)
    assert status == 0 and not err and target.read_text() == audit.template()
    assert target.read_text().splitlines()[0].split(",") == list(published.FIGURE_COLUMNS + published.OPTIONAL_COLUMNS)
    before = target.read_bytes()
    status, _, err = main("audit", "--template", target)
    assert status == 2 and "already exists" in err and target.read_bytes() == before
    status, _, err = main("audit", CLEAN, "--template", tmp_path / "new.csv")
    assert status == 2 and "not both" in err and not (tmp_path / "new.csv").exists()
    status, _, err = main("audit", target)
    assert status == 2 and "has no rows" in err  # the example row is a comment
    target.write_text(target.read_text().replace("# ", ""))
    status, out, err = main("audit", target)
    assert status == 0 and "60/90 rounds to 66.7%" in out


def test_a_finding_states_the_numbers_its_explanation_gives(figs):
    """What a chapter glues comes from the finding (its values), not from working the numbers out again."""
    checked = audit.checked(figs)
    gaps = audit.pick(checked, "denominator", "flow_completed")
    assert gaps["room"] == gaps["analysed"] - gaps["completed"]
    assert gaps["at_least"] == sum(gaps["by_group"].values())  # the paper's groups partition its respondents
    assert f"at most {gaps['room']} can have a gap" in gaps.explanation
    assert f"at least {gaps['at_least']} with a gap" in gaps.explanation
    users = published.value(figs, "t2_n_users") - published.value(figs, "t4_n_users")  # Table 4's shorter base
    assert gaps["by_group"]["users"] == users
    without = audit.checked(figs[figs["level"] != "completed"])  # no completed count: nothing to weigh
    assert not any(f.check == "denominator" and f.status != "ambiguous" for f in without)
    consent = audit.pick(checked, "percentage", "flow_consented")
    assert (consent["count"], consent["denominator"], consent["rounded"]) == (140, 184, 76)
    assert f"Denominators that give 98% with 140: {consent['denominators'][0]}" in consent.explanation
    psych = audit.pick(checked, "percentage", "demo_psych_mh")
    assert f"{psych['sets']} different sets" in psych.explanation and psych["sets"] > 1
    with pytest.raises(DataError, match="states no 'sets' \\(it states count, denominator"):
        consent["sets"]
    with pytest.raises(DataError, match="0 sum findings on flow_clicked; expected one"):
        audit.pick(checked, "sum", "flow_clicked")
    table = audit.audit(figs)
    assert len(table) == len(checked) and list(table["explanation"]) == [
        f.explanation for f in sorted(checked, key=lambda f: f.status.rank)]


# ------------------------------------------------------------------------------------------------ the typed form
def test_one_reader_one_typed_form(tmp_path):
    """The audit takes only the typed form: the file reader's or figures_table's, which type alike; an untyped
    table is refused in one line that says how to make one."""
    rows = ["a,Results,all,q1,Yes,3,8,37.50", "b,Results,all,q2,Yes,,8,25"]
    from_file = published.figures(write(tmp_path, *rows))
    made = published.figures_table([dict(zip(published.FIGURE_COLUMNS, r.split(","))) for r in rows])
    assert from_file.equals(made) and tuple(made.columns) == published.TYPED_COLUMNS
    assert made.loc[0, "percent_text"] == "37.50" and made.loc[0, "decimals"] == 2
    assert audit.audit(from_file).equals(audit.audit(made))
    with pytest.raises(DataError, match="not a typed figures table .* published.figures_table"):
        audit.audit(from_file[list(published.FIGURE_COLUMNS)])
    with pytest.raises(DataError, match="needs the column"):
        published.figures_table([{"figure_id": "a"}])
    with pytest.raises(DataError, match="row 1 \\(a\\): count 'x' is not a whole number"):
        published.figures_table([dict(zip(published.FIGURE_COLUMNS, "a,R,all,q,Yes,x,8,1".split(",")))])
    with pytest.raises(DataError, match="not a number a paper prints"):
        published.figures_table([dict(zip(published.FIGURE_COLUMNS, ["a", "R", "all", "q", "Yes", True, 8, "1"]))])


def test_no_check_reads_another(tmp_path):
    """Each check of the registry, run alone on a fresh context, finds what it finds when all run together."""
    from hmbook.methods.audit import context, registry

    figs = published.figures(CLEAN)
    together = registry.findings(context.make_context(figs))
    alone = [f for run in reversed(list(registry.CHECKS.values())) for f in run(context.make_context(figs))]
    assert sorted(together, key=repr) == sorted(alone, key=repr) and len(together) > 10
    assert {f.status for f in together} <= set(audit.Status)
