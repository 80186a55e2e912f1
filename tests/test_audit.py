"""``hmbook.methods.audit`` and ``python -m hmbook audit``: known values, the paper's findings, planted errors, bad input.

``tests/data/audit/clean.csv`` is a made-up figures file of another survey (50 respondents in two groups) that
exercises every rule; each planted error below changes it in one way, and the audit must catch it with the right
check. Bad input must give exit status 2 and one line on stderr, and must leave the file as it was.
"""

import hashlib
import json

import pytest

from hmbook import paths
from hmbook.data import published
from hmbook.methods import audit

CLEAN = paths.ROOT / "tests" / "data" / "audit" / "clean.csv"


@pytest.fixture(scope="module")
def paper():
    return audit.audit(audit.read_figures(), published.assumptions())


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
    assert audit.rounds(count, den, 0, conv) == expected


def test_grim_search_known_values():
    assert audit.implied_denominators(43, 58) == [74]
    assert audit.implied_denominators(44, 59) == [74, 75]
    assert audit.implied_denominators(30, 41) == [73, 74]
    assert audit.implied_denominators(9, 12, conventions=("half_up",)) == [73, 74, 75, 76, 77, 78]
    assert audit.implied_denominators(9, 12)[0] == 72  # 9/72 = 12.5%, which rounds to 12 under half-even
    assert audit.implied_counts(184, 98) == [180, 181]
    assert audit.implied_counts(76, 53) == [40] and audit.implied_counts(14, 53) == []
    assert audit.fits(1, 3, 33.3, 1) and not audit.fits(1, 3, 33.4, 1)


def test_the_paper_rounds_to_nearest():
    table = audit.conventions(audit.read_figures()).set_index("convention")
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


def test_every_table1_block_sums_to_the_header(paper):
    t1 = paper["figure_ids"].str.split(";").apply(lambda ids: all(i.startswith("t1_") for i in ids))
    sums = paper[(paper["check"] == "sum") & t1]
    assert len(sums) == 6 and (sums["status"] == "ok").all()


def test_grim_names_the_likely_denominator(paper):
    assert "43/74 is the likely reading" in finding(paper, "percentage", "conf_confident")["explanation"]
    assert "add up to 74" in finding(paper, "percentage", "train_not_trained")["explanation"]
    ranges = audit.implied_ranges(audit.read_figures(), ["flow_consented", "train_trained"])
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
