"""make assignments: otter-grader hand-outs made from the book, with no solution or hidden test for students."""

import functools
import json
import re
import zipfile

import nbformat
import pytest

from hmbook import paths
from hmbook.course import assign, content_notes, editions, exercise_format, myst
from support.book import NOTEBOOKS
from support.teaching import snippets

CHAPTER_CHECKS = True  # tests parametrized by a chapter: make check imports this module (support.chapter_loop)

# The hand-outs and copies are made from the book's sources: nothing here reads _build (make check starts these
# before its build has ended: support.built_beside).
READS_BUILD = False

md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
RAW_MYST = re.compile(r"\{(glue|term|doc|numref|ref)[\w:-]*\}`|:name:|^(```|:::)\{", re.M)


def _source(nb_path):
    return nbformat.read(nb_path, as_version=4)


@functools.cache  # per chapter, once per test process
def hidden_lines(nb_path) -> tuple[str, ...]:
    """The body lines of every hidden test of a chapter that a student must never see: those not also in a
    public test or in the chapter's own visible cells."""
    visible = " ".join(" ".join(c.source.split()) for c in editions.strip_solutions(_source(nb_path)).cells)
    public = public_lines(nb_path)
    lines = []
    for ex in exercise_format.exercises(_source(nb_path), nb_path.name):
        for cell, config in zip(ex.tests, ex.test_configs()):
            if config.get("hidden"):
                body = cell.source.split('""" # END TEST CONFIG\n', 1)[1]
                lines += [line.strip() for line in body.splitlines() if len(line.strip()) >= 12
                          and not line.startswith("def ") and not re.match(r"^(from|import) ", line.strip())
                          and not line.startswith("test_") and " ".join(line.split()) not in public
                          and " ".join(line.split()) not in visible]
    return tuple(lines)


def _quotes(text: str) -> str:
    """Text with every quote mark alike: otter rewrites test code with Python's own quoting (ast.unparse)."""
    return re.sub(r"\\?[\"']", "'", text)


@functools.cache
def public_lines(nb_path) -> frozenset[str]:
    """Lines of the public tests, which students are meant to have (in their notebook's metadata)."""
    lines = set()
    for ex in exercise_format.exercises(_source(nb_path), nb_path.name):
        for cell, config in zip(ex.tests, ex.test_configs()):
            if not config.get("hidden"):
                lines |= {" ".join(line.split()) for line in cell.source.splitlines()}
    return frozenset(lines)


def test_every_chapter_gets_three_files(handouts):
    for nb in NOTEBOOKS:
        for part in ("student", "instructor"):
            assert (handouts / part / nb.name).is_file(), (part, nb.name)
        assert zipfile.is_zipfile(handouts / "autograder" / f"{nb.stem}.zip")
    assert len([p for p in handouts.rglob("*") if p.is_file()]) == 3 * len(NOTEBOOKS)  # nothing else in dist


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_copy_has_no_solution_no_hidden_test_and_no_outputs(handouts, nb):
    text = (handouts / "student" / nb.name).read_text(encoding="utf-8")
    student = nbformat.reads(text, as_version=4)
    flat = " ".join(" ".join(json.loads(text)["metadata"].get("otter", {}).get("tests", {}).values()).split())
    flat_text = " ".join(text.split())
    public = public_lines(nb)
    for key, lines in snippets().items():
        if key.startswith(nb.name):
            for line in lines:
                if re.match(r"^(from \S+ )?import ", line) or any(line in p for p in public):
                    continue  # handed out on purpose: the scaffold's imports and the public tests
                assert json.dumps(line)[1:-1] not in flat_text and line not in flat, f"{key}: {line!r}"
    for line in hidden_lines(nb):
        assert _quotes(line) not in _quotes(text) and _quotes(json.dumps(line)[1:-1]) not in _quotes(text), \
            f"hidden test line in {nb.name}: {line}"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in student.cells
               if c.cell_type == "code")
    assert "instructor-note" not in text and "BEGIN SOLUTION" not in text and "# SOLUTION" not in text


def test_no_file_under_student_holds_a_hidden_test_or_solution(handouts):
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in (handouts / "student").rglob("*")
             if p.is_file()}
    assert set(p.suffix for p in texts) == {".ipynb"}
    everything = _quotes("\n".join(texts.values()))
    book = _quotes(" ".join(" ".join(c.source.split()) for nb in NOTEBOOKS
                            for c in editions.strip_solutions(_source(nb)).cells))
    for nb in NOTEBOOKS:
        for line in hidden_lines(nb):
            if _quotes(" ".join(line.split())) in book:  # also a visible line of another chapter
                continue
            assert _quotes(line) not in everything and _quotes(json.dumps(line)[1:-1]) not in everything, line


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_exercise_is_a_question_with_a_scaffold_and_a_check(handouts, nb):
    student = nbformat.read(handouts / "student" / nb.name, as_version=4)
    exercises = exercise_format.exercises(_source(nb), nb.name)
    assert len(exercises) >= 3
    sources = [c.source for c in student.cells]
    for ex in exercises:
        if ex.graded_by_tests:
            i = sources.index(f'grader.check("{ex.label}")')
            answer = student.cells[i - 1]
            assert "otter_answer_cell" in answer.metadata.get("tags", []) and "= ..." in answer.source, ex.label
        else:
            assert any(ex.label in s or "Type your answer here" in s for s in sources), ex.label
    assert sources[1].startswith("# Initialize Otter") or "otter.Notebook" in sources[1]


@pytest.mark.parametrize("part", ["student", "instructor"])
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_hand_outs_open_with_the_content_note_and_no_raw_myst(handouts, nb, part):
    handout = nbformat.read(handouts / part / nb.name, as_version=4)
    assert content_notes.has_content_note(handout, content_notes.content_note())
    markdown = "\n".join(c.source for c in handout.cells if c.cell_type == "markdown")
    assert not RAW_MYST.search(markdown), RAW_MYST.search(markdown)


def test_instructor_copy_keeps_solutions_and_explanations(handouts):
    nb = nbformat.read(handouts / "instructor" / "table1_demographics.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert 'resp["age_group"].value_counts()' in text and "Explanation" in text


def test_autograder_zip_holds_every_test_including_hidden(handouts):
    with zipfile.ZipFile(handouts / "autograder" / "table1_demographics.zip") as z:
        tests = "\n".join(z.read(n).decode() for n in z.namelist() if n.startswith("tests/"))
    lines = hidden_lines(paths.ROOT / "book" / "table1_demographics.ipynb")
    assert lines and all(_quotes(line) in _quotes(tests) for line in lines)


def test_same_source_gives_the_same_bytes(handouts, cli):
    before = {p: p.read_bytes() for p in handouts.rglob("*") if p.is_file()}
    rc, _, err = cli("assignments", "--out", handouts, "--chapter", "table1_demographics")  # no --force needed
    assert rc == 0, err
    assert {p: p.read_bytes() for p in handouts.rglob("*") if p.is_file()} == before


# ---- the conversion on small notebooks, including broken conventions ----

def _nb(*cells):
    return nbformat.v4.new_notebook(cells=list(cells), metadata={"kernelspec": {"name": "python3",
                                                                               "display_name": "Python 3"}})


def _test_cell(body, points=1, hidden=False):
    cell = code(f'""" # BEGIN TEST CONFIG\npoints: {points}\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG\n'
                f"{body}")
    cell.metadata["tags"] = ["remove-cell"]
    return cell


EXERCISE = [md("# A chapter"), code("base = 40"),
            md("```{exercise-start} Add two\n:label: ex-a\n```"), md("*Starter · code · 2 points*\n\nAdd two to `base`; call it `total`."),
            md("```{exercise-end}\n```"), md("```{solution-start} ex-a\n:class: dropdown\n```"),
            code("import math\n\ntotal = base + 2"),
            _test_cell("def test_total_is_a_number(total):\n    assert isinstance(total, int), 'total should be a whole number'\n\ntest_total_is_a_number(total)"),
            _test_cell("def test_total(total):\n    assert total == 42, 'not yet'\n\ntest_total(total)", hidden=True),
            md("Because 40 + 2 = 42."), md("```{solution-end}\n```")]


GATED = [md("```{exercise-start}\n:label: ex-g\n```"), md("Question."), md("```{exercise-end}\n```"),
         md("```{solution-start} ex-g\n:class: dropdown\n```"), code("secret_value = 42"),
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


def test_master_notebook_structure():
    master = assign.master_notebook(_nb(*EXERCISE), "demo")
    sources = [c.source for c in master.cells]
    assert sources[0].startswith("# ASSIGNMENT CONFIG")
    assert "# BEGIN QUESTION\nname: \"ex-a\"\npoints: 2" in sources
    prompt = next(s for s in sources if "BEGIN PROMPT" in s)
    assert "import math\n\ntotal = ...\n" in prompt and "total = base + 2" in prompt
    assert sum(s.startswith('""" # BEGIN TEST CONFIG') for s in sources) == 2


def test_a_solution_timed_with_a_magic_gets_its_scaffold():
    """A %%time cell (and a line magic) in a solution is IPython, not a mistake: the scaffold is made from its
    Python."""
    cells = [nbformat.from_dict(dict(c)) for c in EXERCISE]
    cells[6] = code("%%time\nimport math\n%matplotlib inline\n\ntotal = base + 2")
    prompt = next(c.source for c in assign.master_notebook(_nb(*cells), "demo").cells if "BEGIN PROMPT" in c.source)
    assert "import math\n\ntotal = ...\n" in prompt


@pytest.mark.parametrize("change, problem", [
    (lambda c: c.__setitem__(3, md("Add two to `base`.")), "no label line"),
    (lambda c: c.__setitem__(3, md("*Starter · code · 3 points*\n\nAdd two.")), "worth 2 points, its label line says 3"),
    (lambda c: c.__setitem__(8, _test_cell("def test_total(total):\n    assert total == 42\n\ntest_total(total)", hidden=True, points=1)) or c[7].metadata.update(tags=[]), "must be tagged remove-cell"),
    (lambda c: c.__delitem__(10), "not closed by its solution"),
    (lambda c: c.__setitem__(5, md("```{solution-start} ex-b\n```")), "does not follow its exercise"),
    (lambda c: c.__setitem__(7, _test_cell("def test_n(total):\n    assert total\n\ntest_n(total)", hidden=True)), "at least one public test"),
    (lambda c: c.__setitem__(6, code("other = 1")), "check none of the names"),
    (lambda c: c.__setitem__(6, code("total = (")), "the solution of ex-a is not valid Python"),
    (lambda c: c.__setitem__(6, code("%%bash\necho 42")), "is a %%bash cell, not Python"),
    (lambda c: c.__setitem__(7, _test_cell("def test_x(total):\n    assert total", points="[1")), "is not YAML"),
])
def test_broken_conventions_are_reported(change, problem):
    cells = [nbformat.from_dict(dict(c)) for c in EXERCISE]
    change(cells)
    with pytest.raises(myst.ExerciseFormatError, match=problem):
        assign.master_notebook(_nb(*cells), "demo")


def test_written_answers_need_a_model_answer_and_no_code():
    cells = [md("```{exercise-start}\n:label: ex-w\n```"), md("*Core · written answer · 2 points*\n\nWhy?"),
             md("```{exercise-end}\n```"), md("```{solution-start} ex-w\n```"), md("```{solution-end}\n```")]
    with pytest.raises(myst.ExerciseFormatError, match="no model answer"):
        exercise_format.exercises(_nb(*cells))
    cells.insert(4, md("Because the sample is not random."))
    (ex,) = exercise_format.exercises(_nb(*cells))
    assert ex.kind == "written answer" and not ex.graded_by_tests and ex.points == 2


def test_cli_bad_input_is_one_line_and_writes_nothing(tmp_path, cli):
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(_nb(md("```{solution-start} ex-a\n```"), code("x = 1")), book / "broken.ipynb")
    out = tmp_path / "out"
    rc, _, err = cli("assignments", "--book", book, "--out", out)
    assert rc == 2 and err.count("\n") == 1 and "does not follow its exercise" in err and not out.exists()
    rc, _, err = cli("assignments", "--book", tmp_path / "nowhere", "--out", out)
    assert rc == 2 and "not a directory" in err and "Traceback" not in err
    empty = tmp_path / "empty"
    empty.mkdir()
    rc, _, err = cli("assignments", "--book", empty, "--out", out)
    assert rc == 2 and "no notebooks" in err
    rc, _, err = cli("assignments", "--out", out, "--chapter", "no_such_chapter")
    assert rc == 2 and "no chapter notebook no_such_chapter" in err and not out.exists()
    (tmp_path / "file").write_text("x")
    rc, _, err = cli("assignments", "--out", tmp_path / "file")
    assert rc == 2 and "not a directory" in err
    rc, _, err = cli("student-sources", "--out", tmp_path / "elsewhere")
    assert rc == 2 and "inside _build" in err and not (tmp_path / "elsewhere").exists()


def test_an_edited_hand_out_is_never_replaced_without_force(tmp_path, cli):
    book = tmp_path / "book"
    book.mkdir()
    nbformat.write(_nb(*EXERCISE), book / "a.ipynb")
    out = tmp_path / "out"
    assert cli("assignments", "--book", book, "--out", out)[0] == 0
    handout = out / "student" / "a.ipynb"
    nb = nbformat.read(handout, as_version=4)
    answer = next(c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", []))
    answer.source = "total = 42  # a student's answer"
    nbformat.write(nb, handout)
    edited = handout.read_bytes()
    others = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p != handout}
    rc, _, err = cli("assignments", "--book", book, "--out", out)
    assert rc == 2 and "--force" in err and err.count("\n") == 1
    assert handout.read_bytes() == edited
    assert {p: p.read_bytes() for p in others} == others  # all or nothing: nothing else was touched either
    makefile = (paths.ROOT / "Makefile").read_text()
    target = makefile.split("\nassignments:", 1)[1].split("\n\n", 1)[0]
    assert "--force" not in target  # the everyday target never forces
    assert cli("assignments", "--book", book, "--out", out, "--force")[0] == 0
    assert b"a student's answer" not in handout.read_bytes()


def test_student_sources_tree(tmp_path):
    root = tmp_path / "src"
    (root / "book").mkdir(parents=True)
    nbformat.write(_nb(*EXERCISE), root / "book" / "a.ipynb")
    (root / "book" / "guide.md").write_text("# Guide\n")
    (root / "book" / "page.md").write_text("Text.\n\n```{solution} ex-a\nsecret_prose here\n```\n")
    (root / "refs.bib").write_text("@misc{x}\n")
    (root / "_config.yml").write_text("title: T\n")
    (root / "_toc.yml").write_text("root: book/a\nchapters:\n  - file: book/page\n  - file: book/guide\n")
    out = editions.write_student_sources(root, tmp_path / "out", drop=("book/guide",))
    text = (out / "book" / "a.ipynb").read_text()
    assert "total = base + 2" not in text and "test_total" not in text
    assert "secret_prose" not in (out / "book" / "page.md").read_text()
    assert not (out / "book" / "guide.md").exists() and "guide" not in (out / "_toc.yml").read_text()
    assert (out / "refs.bib").exists()
    config = (out / "_config.yml").read_text()
    assert "student edition" in config and "hide_solutions: true" in config


def test_lab_copies_read_cleanly_and_keep_a_readers_edits(tmp_path, cli):
    out = tmp_path / "lab"
    rc, _, err = cli("lab-copies", "--out", out)
    assert rc == 0, err
    for nb in NOTEBOOKS:
        copy = nbformat.read(out / nb.name, as_version=4)
        assert content_notes.has_content_note(copy, content_notes.content_note())
        markdown = "\n".join(c.source for c in copy.cells if c.cell_type == "markdown")
        assert not RAW_MYST.search(markdown), (nb.name, RAW_MYST.search(markdown))
        assert any(c.get("outputs") for c in copy.cells if c.cell_type == "code")  # the executed book's outputs
    table1 = nbformat.read(out / "table1_demographics.ipynb", as_version=4)
    assert any("<table" in c.source and "Table 4.1" in c.source for c in table1.cells if c.cell_type == "markdown")
    edited = out / "audit.ipynb"
    edited.write_text(edited.read_text().replace("Content note", "My note: Content note"))
    before = edited.read_bytes()
    rc, _, err = cli("lab-copies", "--out", out)
    assert rc == 2 and "--force" in err and edited.read_bytes() == before
