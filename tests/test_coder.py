"""The coding sheet and its widget front end, driven as a student would (ticks, Next, Save), without a browser."""

import pandas as pd
import pytest

from hmbook.errors import DataError
from hmbook.qualitative import coder, thematic

RESPONSES = pd.DataFrame({"response_id": ["r1", "r2", "r3"], "question": ["benefits"] * 3,
                          "text": ["Safer.", "Builds trust <b>really</b>.", "No."]})
LABELS = {"safer_alternative": "A safer alternative", "agency_relationship": "Agency"}


def test_the_widget_saves_what_was_ticked(tmp_path):
    c = coder.Coder(RESPONSES, LABELS, tmp_path / "mine.csv")
    assert not (tmp_path / "mine.csv").exists(), "nothing is written before Save"
    c.boxes["safer_alternative"].value = True
    c.next_button.click()
    assert "&lt;b&gt;" in c.text.value, "response text is escaped"
    c.boxes["agency_relationship"].value = True
    c.next_button.click()
    c.next_button.click()  # already at the last response: stays there
    c.prev_button.click()
    assert c.boxes["agency_relationship"].value, "ticks are kept when moving back"
    c.save_button.click()
    sheet = coder.read_sheet(tmp_path / "mine.csv", list(LABELS), RESPONSES)
    assert sheet[list(LABELS)].to_numpy().tolist() == [[1, 0], [0, 1], [0, 0]]
    assert "Saved 3" in c.status.value


def test_a_hand_edited_sheet_is_read_and_scored(tmp_path):
    blank = coder.sheet(RESPONSES, LABELS)
    blank.loc[0, "safer_alternative"] = 1
    blank.to_csv(tmp_path / "sheet.csv", index=False)
    text = (tmp_path / "sheet.csv").read_text().replace(",0\n", ",\n", 1)  # an empty cell counts as 0
    (tmp_path / "sheet.csv").write_text(text)
    mine = coder.read_sheet(tmp_path / "sheet.csv", list(LABELS), RESPONSES)
    got = thematic.sheet_agreement(mine, mine, list(LABELS))
    assert got.loc["overall", "percent"] == 100 and got.loc["safer_alternative", "n_a"] == 1


@pytest.mark.parametrize("edit, message", [
    (lambda df: df.drop(columns="agency_relationship"), "missing column"),
    (lambda df: df.assign(agency_relationship=["yes", 0, 0]), "0 or 1"),
    (lambda df: df.assign(response_id=["r1", "r2", "r99"]), "not on the sheet"),
])
def test_bad_sheets_are_refused_with_one_line(tmp_path, edit, message):
    edit(coder.sheet(RESPONSES, LABELS)).to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(DataError, match=message) as err:
        coder.read_sheet(tmp_path / "bad.csv", list(LABELS), RESPONSES)
    assert "\n" not in str(err.value)


def test_rerunning_the_cell_keeps_the_saved_ticks(tmp_path):
    path = tmp_path / "mine.csv"
    first = coder.Coder(RESPONSES, LABELS, path)
    first.boxes["safer_alternative"].value = True
    first.next_button.click()
    first.boxes["agency_relationship"].value = True
    first.save_button.click()
    again = coder.Coder(RESPONSES, LABELS, path)  # the cell run a second time
    assert again.boxes["safer_alternative"].value, "the saved ticks are loaded, not a blank sheet"
    again.save_button.click()
    sheet = coder.read_sheet(path, list(LABELS), RESPONSES)
    assert int(sheet[list(LABELS)].to_numpy().sum()) == 2 and "2 ticks" in again.status.value


def test_save_refuses_to_overwrite_a_sheet_changed_elsewhere(tmp_path):
    path = tmp_path / "mine.csv"
    one, other = coder.Coder(RESPONSES, LABELS, path), coder.Coder(RESPONSES, LABELS, path)
    one.boxes["safer_alternative"].value = True
    one.save_button.click()
    saved = path.read_bytes()
    other.save_button.click()  # an older widget, loaded before the first save, would write a blank sheet
    assert path.read_bytes() == saved and "Not saved" in other.status.value


def test_a_broken_saved_sheet_is_reported_not_replaced(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("response_id,question,text,safer_alternative,agency_relationship\nr1,q,t,yes,0\n")
    with pytest.raises(DataError, match="0 or 1"):
        coder.Coder(RESPONSES, LABELS, path)
    assert "yes" in path.read_text()


def test_the_sheet_the_chapter_writes_is_git_ignored():
    import subprocess

    from hmbook import paths
    proc = subprocess.run(["git", "check-ignore", "-q", "book/my_coding.csv"], cwd=paths.ROOT)
    assert proc.returncode == 0
