"""``python -m hmbook verify`` and ``generate``: the good case, and every kind of bad input.

Each bad input must give exit status 2 with one line on stderr (no traceback), and must leave the file as it was.
"""

import hashlib
import os

import pytest

from hmbook import paths


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def one_line_error(status, out, err, expected):
    assert status == 2, (status, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert expected in lines[0], lines[0]


def test_verify_passes_on_the_committed_file(cli):
    before = os.stat(paths.RESPONDENTS_CSV)
    status, out, err = cli("verify", paths.RESPONDENTS_CSV)
    assert status == 0, out + err
    assert "OK: all 123 figures" in out and "synthetic" in out
    after = os.stat(paths.RESPONDENTS_CSV)
    assert (before.st_mtime_ns, before.st_size) == (after.st_mtime_ns, after.st_size)


def lines_of(text):
    return text.splitlines(keepends=True)


def replace_cell(text, rid, column, value):
    rows = lines_of(text)
    header = rows[0].rstrip("\n").split(",")
    cells = rows[rid].rstrip("\n").split(",")
    cells[header.index(column)] = value
    rows[rid] = ",".join(cells) + "\n"
    return "".join(rows)


def drop_column(text, column):
    rows = [r.rstrip("\n").split(",") for r in lines_of(text)]
    i = rows[0].index(column)
    return "".join(",".join(r[:i] + r[i + 1:]) + "\n" for r in rows)


BAD_TEXT = {
    "empty": (lambda t: "", "the file is empty"),
    "blank lines only": (lambda t: "\n\n", "the file is empty"),
    "semicolons": (lambda t: t.replace(",", ";"), "separated by semicolons"),
    "tabs": (lambda t: t.replace(",", "\t"), "separated by tabs"),
    "not a csv": (lambda t: "just some words\nand more words\n", "not a CSV file"),
    "missing column": (lambda t: drop_column(t, "confidence"), "missing column(s): confidence"),
    "extra column": (lambda t: "".join(r.rstrip("\n") + (",extra\n" if i == 0 else ",x\n")
                                       for i, r in enumerate(lines_of(t))), "unexpected column(s): extra"),
    "duplicate header": (lambda t: t.replace("gender,country", "gender,gender", 1), "appears more than once"),
    "unknown label": (lambda t: replace_cell(t, 5, "occupation", "Astronaut"), "not one of the allowed labels"),
    "bad boolean": (lambda t: replace_cell(t, 3, "used_hm", "yes"), "is not 'true' or 'false'"),
    "bad integer": (lambda t: replace_cell(t, 3, "years_in_role", "five"), "is not a whole number"),
    "negative integer": (lambda t: replace_cell(t, 3, "years_in_role", "-3"), "is below 0"),
    "empty required": (lambda t: replace_cell(t, 3, "gender", ""), "row 3 is empty"),
    "unknown group": (lambda t: replace_cell(t, 3, "avoid_groups", "Everyone"), "not in Table 3"),
    "duplicate id": (lambda t: replace_cell(t, 2, "respondent_id", "1"), "respondent_id 1 appears more than once"),
    "id out of range": (lambda t: replace_cell(t, 90, "respondent_id", "91"), "value '91' in row 90 is above 90"),
    "too few rows": (lambda t: "".join(lines_of(t)[:-1]), "89 respondents"),
    "too many fields": (lambda t: t.replace("\n", ",x\n", 2).replace(",x\n", "\n", 1), "line 2 has 32 fields"),
    "bad quoting": (lambda t: t.replace("\n", ',"unterminated\n', 2).replace(',"unterminated\n', "\n", 1),
                    "not valid CSV at line"),
}


@pytest.mark.parametrize("case", sorted(BAD_TEXT))
def test_verify_rejects_bad_input_with_one_line(case, tmp_path, cli, committed_text):
    make, expected = BAD_TEXT[case]
    path = tmp_path / "bad.csv"
    path.write_text(make(committed_text), encoding="utf-8")
    before = digest(path)
    one_line_error(*cli("verify", path), expected)
    assert digest(path) == before


def test_verify_rejects_a_missing_file(tmp_path, cli):
    one_line_error(*cli("verify", tmp_path / "nope.csv"), "no such file")


def test_verify_rejects_a_directory(tmp_path, cli):
    one_line_error(*cli("verify", tmp_path), "is a directory")


def test_verify_rejects_another_encoding(tmp_path, cli, committed_text):
    path = tmp_path / "latin1.csv"
    path.write_bytes(replace_cell(committed_text, 4, "country", "Wales").replace("Wales", "Wälës").encode("latin-1"))
    one_line_error(*cli("verify", path), "not UTF-8 text")


def test_verify_rejects_a_binary_file(tmp_path, cli):
    path = tmp_path / "data.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    one_line_error(*cli("verify", path), "not a text file")


def test_verify_accepts_a_byte_order_mark_and_crlf(tmp_path, cli, committed_text):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + committed_text.replace("\n", "\r\n").encode("utf-8"))
    status, out, err = cli("verify", path)
    assert status == 0, out + err


def test_verify_reports_wrong_counts_table_by_table(tmp_path, cli, committed, committed_text):
    user = int(committed.loc[committed["used_hm"].astype(bool) & committed["tech_pinching"].astype(bool),
                             "respondent_id"].iloc[0])
    path = tmp_path / "wrong.csv"
    path.write_text(replace_cell(committed_text, user, "tech_pinching", "false"), encoding="utf-8")
    status, out, err = cli("verify", path)
    assert status == 1 and err == ""
    assert "✗ t2_users_pinching" in out and "count 22, published 23" in out
    assert "FAILED: 1 of 123 figures" in out


def test_verify_checks_the_quoted_respondents(tmp_path, cli, committed_text):
    # Swap the occupations of ID 39 (a GP) and a non-quoted psychiatrist: margins hold, a fact does not.
    text = committed_text
    rows = lines_of(text)
    occ = rows[0].split(",").index("occupation")
    other = next(i for i, r in enumerate(rows[1:], 1) if r.split(",")[occ] == "Psychiatrist"
                 and i not in (6, 8, 41))
    text = replace_cell(replace_cell(text, 39, "occupation", "Psychiatrist"), other, "occupation",
                        "General practitioner")
    path = tmp_path / "swapped.csv"
    path.write_text(text, encoding="utf-8")
    status, out, _ = cli("verify", path)
    assert status == 1
    assert "✗ ID 39: occupation should be General practitioner" in out


def test_generate_refuses_to_overwrite_a_different_file(tmp_path, cli):
    target = tmp_path / "respondents.csv"
    target.write_text("precious\n")
    one_line_error(*cli("generate", "--out", tmp_path, "--seed", "3"), "pass --force")
    assert target.read_text() == "precious\n"
    status, _, err = cli("generate", "--out", tmp_path, "--seed", "3", "--force")
    assert status == 0, err
    assert target.read_text().startswith("respondent_id,")
    assert [p.name for p in tmp_path.iterdir()] == ["respondents.csv"]  # no temporary file left behind


def test_generate_rejects_a_file_as_out(tmp_path, cli):
    out = tmp_path / "file"
    out.write_text("x")
    one_line_error(*cli("generate", "--out", out), "is not a directory")


@pytest.mark.parametrize("seed,expected", [("abc", "seed must be a whole number"), ("-4", "must not be negative")])
def test_generate_rejects_a_bad_seed(seed, expected, tmp_path, cli):
    one_line_error(*cli("generate", "--out", tmp_path, "--seed", seed), expected)
    assert not any(tmp_path.iterdir())


def test_unknown_command_is_one_line(cli):
    one_line_error(*cli("frobnicate"), "invalid choice")
