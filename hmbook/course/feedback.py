"""Feedback a student can be given: one Markdown file per graded submission, with the total and each question's
points, what the public tests said (the output ``grader.check`` shows in the notebook) and, for a submission that
could not be graded, why.

Nothing of the hidden tests goes into it but their share of each question's points: otter's results hold, for a
question whose hidden tests failed, the failing test's output (its assertion, sometimes its source), so only the
"Public Tests" output is copied. Every file opens with the book's content note and support signposting, from its
one source (:func:`hmbook.course.content_notes.content_note`).
"""

from __future__ import annotations

from hmbook.course.grade import Graded, scores

__all__ = ["PUBLIC", "render", "file_name"]

#: The name otter gives the summary of the public tests in ``results.json``.
PUBLIC = "Public Tests"


def file_name(row: str) -> str:
    """The feedback file of a grades row (``alice/table1_demographics`` -> ``alice/table1_demographics.md``)."""
    return f"{row}.md"


def render(row: str, assignment: str, graded: Graded, note: str) -> str:
    """The feedback on the submission ``row`` of ``assignment`` (Markdown); ``note`` is the content note."""
    lines = [note, "", f"# Feedback on {assignment}", "", f"Submission: `{row}`", ""]
    if graded.results is None:
        lines += ["**Not graded.** " + (graded.note[:1].upper() + graded.note[1:] if graded.note else "") + ".", "",
                  "Ask your instructor what to do next; your notebook itself was not changed."]
        return "\n".join(lines) + "\n"
    tests = graded.results["tests"]
    got = scores(graded.results)
    possible = {t["name"]: float(t["max_score"]) for t in tests if t.get("score") is not None}
    lines += [f"**Score: {sum(got.values()):g} out of {sum(possible.values()):g}**", "", "| Question | Points |",
              "|---|---|"]
    lines += [f"| {q} | {got[q]:g} of {possible[q]:g} |" for q in got]
    public = next((t for t in tests if t.get("name") == PUBLIC), None)
    lines += ["", "Each question is also checked by tests you did not see; the points above count them."]
    if public is not None and str(public.get("output", "")).strip():
        text = str(public["output"]).strip().replace("```", "'''")
        lines += ["", "## What the public tests said", "", "These are the checks `grader.check` runs in your "
                  "notebook:", "", "```", text, "```"]
    return "\n".join(lines) + "\n"
