"""``hmbook verify`` and ``generate`` on good input: the committed file passes, a wrong count or a swapped quoted
respondent fails table by table, ``--force`` replaces a different file.

Bad input (unreadable, misshapen or contract-breaking files, bad seeds and folders) is one matrix:
tests/test_bad_input.py, through the command line and through each loader.
"""

import hashlib
import os

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


def test_unknown_command_is_one_line(cli):
    one_line_error(*cli("frobnicate"), "invalid choice")
