"""make assignments: student notebooks carry no solution and run top to bottom; instructor notebooks execute."""

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from hmbook import paths
from hmbook.teaching import editions

from support.cli import run_cli
from support.teaching import output_differences, snippets

NOTEBOOKS = sorted((paths.ROOT / "book").glob("*.ipynb"))
md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    rc, _, err = run_cli("assignments", "--out", out)
    assert rc == 0, err
    return out


@pytest.fixture(scope="module")
def executed(dist, tmp_path_factory):
    """Execute every student and instructor notebook (four at a time); return {path: (exit status, stderr)}."""
    run_dir = tmp_path_factory.mktemp("executed")
    jobs = [p for edition in ("student", "instructor") for p in sorted((dist / edition).glob("*.ipynb"))]

    def run(path):
        target = run_dir / path.parent.name
        proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                               "--ExecutePreprocessor.timeout=300",
                               "--ExecutePreprocessor.startup_timeout=300",  # kernels start slowly on a loaded machine
                               "--output-dir", str(target), str(path)],
                              capture_output=True, text=True, cwd=target.parent)
        return path, (proc.returncode, proc.stderr[-2000:], target / path.name)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(run, jobs))


def test_every_notebook_gets_both_copies(dist):
    for nb in NOTEBOOKS:
        assert (dist / "student" / nb.name).is_file() and (dist / "instructor" / nb.name).is_file()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_copy_has_no_solution_and_no_outputs(dist, nb):
    text = (dist / "student" / nb.name).read_text()
    student = nbformat.reads(text, as_version=4)
    for key, lines in snippets().items():
        if key.startswith(nb.name):
            flat = " ".join(text.split())
            for line in lines:
                assert json.dumps(line)[1:-1] not in flat and line not in " ".join(
                    " ".join(c.source.split()) for c in student.cells), f"{key}: {line!r}"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in student.cells
               if c.cell_type == "code")
    assert not any("solution-start" in c.source or "solution-end" in c.source for c in student.cells)
    scaffolds = [c for c in student.cells if c.cell_type == "code" and "exercise-answer" in c.metadata.get("tags", [])]
    source = nbformat.read(nb, as_version=4)
    assert len(scaffolds) == len(editions.exercise_labels(source)) >= 3
    assert all("Your answer here" in c.source for c in scaffolds)


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_notebooks_run_top_to_bottom(executed, edition):
    failed = {p.name: err for p, (rc, err, _) in executed.items() if p.parent.name == edition and rc != 0}
    assert not failed, failed
    ran = [out for p, (_, _, out) in executed.items() if p.parent.name == edition]
    assert len(ran) == len(NOTEBOOKS)
    for out in ran:
        nb = nbformat.read(out, as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, out.name


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_edition_shows_what_a_run_without_solutions_shows(executed, nb):
    """The student site is not executed: it shows the instructor build's outputs of the cells it keeps. They must
    be the outputs those cells give with the solutions left out (the student hand-out, run above)."""
    shown = nbformat.read(paths.ROOT / "_build" / "student-src" / "book" / nb.name, as_version=4)
    (run,) = [out for p, (_, _, out) in executed.items() if p.parent.name == "student" and p.name == nb.name]
    assert sum(bool(c.get("outputs")) for c in shown.cells if c.cell_type == "code") >= 3, "no outputs to compare"
    problems = output_differences(shown, nbformat.read(run, as_version=4))
    assert not problems, problems


def test_instructor_copy_keeps_and_tags_solutions(dist):
    nb = nbformat.read(dist / "instructor" / "table2_techniques.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(tagged) >= 3 and any(c.cell_type == "code" and c.outputs for c in tagged)


def test_same_source_gives_the_same_bytes(dist):
    rc, _, err = run_cli("assignments", "--out", dist)  # no --force needed: nothing differs
    assert rc == 0, err


# ---- the conversion on small notebooks, including broken conventions ----

def _nb(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


GATED = [md("```{exercise-start}\n:label: ex-a\n```"), md("Question."), md("```{exercise-end}\n```"),
         md("```{solution-start} ex-a\n:class: dropdown\n```"), code("secret_value = 42"),
         md("Secret prose.\n\n```{solution-end}\n```"), md("After.")]


def test_gated_solution_is_removed_with_its_prose_and_the_rest_kept():
    out = editions.strip_solutions(_nb(*GATED))
    text = nbformat.writes(out)
    assert "secret_value" not in text and "Secret prose" not in text and "After." in text
    assert editions.solution_texts(_nb(*GATED)) == ["secret_value = 42", "Secret prose.\n\n"]


def test_non_gated_solution_block_in_a_page_is_removed():
    page = "Text.\n\n````{exercise}\n:label: ex-b\nDo it.\n````\n\n````{solution} ex-b\n```python\nx = 1\n```\n````\n"
    out = editions.strip_page(page)
    assert "x = 1" not in out and "Do it." in out and "Text." in out
    student = editions.student_notebook(_nb(md(page)))
    assert any("ex-b" in c.source and c.cell_type == "code" for c in student.cells)


@pytest.mark.parametrize("cells, problem", [
    ([md("```{solution-start} ex-a\n```"), code("x = 1")], "never closed"),
    ([md("```{solution-end}\n```")], "without a solution-start"),
    ([md("```{solution-start} ex-a\n```"), md("```{solution-start} ex-b\n```")], "inside an open solution"),
    ([md("```{exercise-start}\n:label: ex-a\n")], "never closed"),
])
def test_broken_conventions_are_reported(cells, problem):
    with pytest.raises(editions.ExerciseFormatError, match=problem):
        editions.student_notebook(_nb(*cells))


def test_cli_bad_input_is_one_line_and_writes_nothing(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(_nb(md("```{solution-start} ex-a\n```"), code("x = 1")), book / "broken.ipynb")
    out = tmp_path / "out"
    rc, _, err = run_cli("assignments", "--book", book, "--out", out)
    assert rc == 2 and err.count("\n") == 1 and "never closed" in err and not out.exists()
    rc, _, err = run_cli("assignments", "--book", tmp_path / "nowhere", "--out", out)
    assert rc == 2 and "not a directory" in err and "Traceback" not in err
    empty = tmp_path / "empty"
    empty.mkdir()
    rc, _, err = run_cli("assignments", "--book", empty, "--out", out)
    assert rc == 2 and "no notebooks" in err
    (tmp_path / "file").write_text("x")
    rc, _, err = run_cli("assignments", "--out", tmp_path / "file")
    assert rc == 2 and "not a directory" in err
    rc, _, err = run_cli("student-sources", "--out", tmp_path / "elsewhere")
    assert rc == 2 and "inside _build" in err and not (tmp_path / "elsewhere").exists()


def test_cli_refuses_to_overwrite_a_changed_copy(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(_nb(*GATED), book / "a.ipynb")
    out = tmp_path / "out"
    assert run_cli("assignments", "--book", book, "--out", out)[0] == 0
    (out / "student" / "a.ipynb").write_text("{}")
    rc, _, err = run_cli("assignments", "--book", book, "--out", out)
    assert rc == 2 and "--force" in err and (out / "student" / "a.ipynb").read_text() == "{}"
    assert run_cli("assignments", "--book", book, "--out", out, "--force")[0] == 0


def test_student_sources_tree(tmp_path):
    root = tmp_path / "src"
    (root / "book").mkdir(parents=True)
    nbformat.write(_nb(*GATED), root / "book" / "a.ipynb")
    (root / "book" / "guide.md").write_text("# Guide\n")
    (root / "book" / "page.md").write_text("Text.\n\n```{solution} ex-a\nsecret_prose here\n```\n")
    (root / "refs.bib").write_text("@misc{x}\n")
    (root / "_config.yml").write_text("title: T\n")
    (root / "_toc.yml").write_text("root: book/a\nchapters:\n  - file: book/page\n  - file: book/guide\n")
    out = editions.write_student_sources(root, tmp_path / "out", drop=("book/guide",))
    assert "secret_value" not in (out / "book" / "a.ipynb").read_text()
    assert "secret_prose" not in (out / "book" / "page.md").read_text()
    assert not (out / "book" / "guide.md").exists() and "guide" not in (out / "_toc.yml").read_text()
    assert (out / "refs.bib").exists()
    config = (out / "_config.yml").read_text()
    assert "student edition" in config and "hide_solutions: true" in config


def test_every_hand_out_opens_with_the_content_note(dist):
    """Hand-out readers never see the site's banner: the note and UK signposting are the first cell of every copy."""
    from hmbook.teaching import lab

    note = lab.content_note()
    copies = sorted((dist / "student").glob("*.ipynb")) + sorted((dist / "instructor").glob("*.ipynb"))
    assert copies
    for path in copies:
        assert lab.has_content_note(nbformat.read(path, as_version=4), note), path
