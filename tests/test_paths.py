"""The data folder is resolved when a path is asked for, not when hmbook is imported (``hmbook.paths``).

So a test, a notebook or a long-lived process may point hmbook at other data after importing it, and nothing is
frozen into a default argument. These run in this process: no subprocess is needed to change the variable.
"""

from __future__ import annotations

import shutil

import pytest

from hmbook import paths
from hmbook.data import published
from hmbook.errors import DataError
from hmbook.qualitative import corpus_data


def test_paths_follow_the_variable_as_it_is_now(monkeypatch, tmp_path):
    monkeypatch.delenv(paths.ENV, raising=False)
    assert paths.DATA == paths.ROOT / "data"
    monkeypatch.setenv(paths.ENV, str(tmp_path))
    assert paths.DATA == tmp_path
    assert paths.FIGURES_CSV == tmp_path / "published" / "figures.csv"
    assert paths.QUESTIONS_CSV == tmp_path / "corpus" / "questions.csv"
    monkeypatch.setenv(paths.ENV, "")  # empty counts as unset
    assert paths.DATA == paths.ROOT / "data"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NO_SUCH_CSV"):
        paths.NO_SUCH_CSV  # noqa: B018 - the attribute access is the test


def test_readers_read_the_folder_named_after_import(monkeypatch, tmp_path):
    """A copy of the data with one figure changed is what the default readers see once the variable names it."""
    shutil.copytree(paths.DATA, tmp_path / "data")
    figures = tmp_path / "data" / "published" / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace("abs_used_hm,", "abs_used_hm_copy,", 1),
                       encoding="utf-8")
    monkeypatch.setenv(paths.ENV, str(tmp_path / "data"))
    assert "abs_used_hm_copy" in set(published.figures()["figure_id"])
    assert len(corpus_data.read_codebook()) > 0  # every reader follows, not only the published figures


def test_a_missing_folder_is_one_line_naming_the_variable(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.ENV, str(tmp_path / "nowhere"))
    for reader in (published.figures, published.assumptions, published.respondent_facts, corpus_data.read_codebook):
        with pytest.raises(DataError) as err:
            reader()
        message = str(err.value)
        assert "\n" not in message and f"set {paths.ENV} to the data/ folder of an hmbook checkout" in message
