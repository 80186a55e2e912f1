"""What `hmbook grade` is given, checked before anything is graded (hmbook.course.grade)."""

import pytest

from hmbook.course import grade
from hmbook.errors import DataError


def test_folders_give_their_notebooks_sorted_without_checkpoints_and_files_are_kept_as_given(tmp_path):
    for name in ("class/b.ipynb", "class/a/a.ipynb", "class/.ipynb_checkpoints/b-checkpoint.ipynb", "class/notes.txt",
                 "late.ipynb"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = grade.find_submissions([tmp_path / "late.ipynb", tmp_path / "class"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["late.ipynb", "class/a/a.ipynb", "class/b.ipynb"]


def test_a_missing_submission_is_refused_by_name(tmp_path):
    with pytest.raises(DataError, match="gone.ipynb: no such file or folder"):
        grade.find_submissions([tmp_path / "gone.ipynb"])


def test_a_results_folder_must_be_new_or_empty(tmp_path):
    grade.check_results_folder(tmp_path / "new")
    grade.check_results_folder(tmp_path)
    (tmp_path / "old.json").write_text("{}")
    for taken in (tmp_path, tmp_path / "old.json"):
        with pytest.raises(DataError, match="exists and is not an empty folder"):
            grade.check_results_folder(taken)
