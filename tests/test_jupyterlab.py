"""The hand-outs in a real JupyterLab, driven by Playwright with Debian's Chromium: every student notebook is
opened, run from top to bottom, and read as a student would see it: no raw MyST (`{glue`, `:name:`, `{term}`),
no error or stderr output, the content note at the top, the tables the site glues visible.

The run is saved and kept: it is the one execution of the book's public cells without any solution, so the student
site (built from the instructor build's outputs with the solutions removed, not executed again) is checked against
it here: every code cell the student site shows must show what it gave in JupyterLab."""

import json
import re
import shutil
import time
import urllib.request

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from hmbook import paths
from support import jupyterlab, signposting, sitekit
from support.book import NOTEBOOKS
from support.teaching import output_differences

CHAPTER_CHECKS = True  # tests parametrized by a chapter: make check imports this module (support.chapter_loop)

# The hand-outs are made from the book's sources, and the run is compared with the student edition only at the end,
# after build_ready (make check starts this before its build has ended: support.built_beside).
READS_BUILD = False
RAW = re.compile(r"\{glue|:name:|\{term\}|\{doc\}|\{exercise-|\{solution-")


@pytest.fixture(scope="module")
def lab(request, tmp_path_factory):
    """A JupyterLab server on a folder holding the student hand-outs. The server starts first and the hand-outs are
    made (or, under xdist, waited for) while it does: it reads its folder only when a notebook is opened."""
    root = tmp_path_factory.mktemp("lab-root")
    with jupyterlab.serve(root, tmp_path_factory.mktemp("lab-server"), wait=False) as started:
        shutil.copytree(request.getfixturevalue("handouts") / "student", root / "student")
        yield (*started(), root)


def test_jupyterlab_is_set_never_to_fetch_news_or_check_for_updates(lab):
    base, token, _ = lab
    url = f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}"
    with urllib.request.urlopen(url, timeout=60) as response:
        schema = json.load(response)["schema"]["properties"]
    assert (schema["fetchNews"]["default"], schema["checkForUpdates"]["default"]) == ("false", False)


def _run_all(page, timeout_ms=300_000):
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    # Done when the last code cell has an execution count and no cell is queued or running ([*]). Cells whose
    # source is folded away (what the site hides) show no prompt.
    page.wait_for_function("""() => {
        const panel = window.hmNotebook && window.hmNotebook.node;  // the notebook _open opened
        if (!panel) return false;
        const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent.trim())
            .filter(t => t !== '');
        return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
    }""", timeout=timeout_ms, polling=200)


def _saved_run(page, path, timeout_s=60):
    """Save the notebook on show (File > Save Notebook) and return the file once every code cell in it has run."""
    # As File > Save Notebook. Not awaited: a save that waits on a dialog would hold evaluate() for ever (it has no
    # timeout); the file on disk is what tells that the save happened, and the dialog is reported if it did not.
    page.evaluate("() => { window.jupyterapp.commands.execute('docmanager:save'); }")
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except (OSError, json.JSONDecodeError, nbformat.reader.NotJSONError):
            nb = None
        if nb and all(c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()):
            return nb
        # Waiting through Playwright, not time.sleep: the page's requests (the save's among them) pass through the
        # offline route handler, which runs only while this thread is inside a Playwright call.
        page.wait_for_timeout(200)
    missing = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()
               and not c.execution_count] if nb else "unreadable"
    dialogs = page.locator(".jp-Dialog").all_inner_texts()
    raise AssertionError(f"{path.name}: JupyterLab did not save the run within {timeout_s} s (cells not run: "
                         f"{missing}; dialogs open: {dialogs})")


@pytest.fixture(scope="module")
def lab_page(lab, browser):
    """One JupyterLab window for every hand-out, offline, as a student working through the book in one sitting:
    the app loads once (a few seconds), and each test opens its notebook in it (the command a double click in
    the file browser runs), leaving no notebook open and no kernel running when it ends."""
    base, token, _ = lab
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked = sitekit.offline(context)
    page = context.new_page()
    page.goto(f"{base}/lab?reset&token={token}")  # ?reset: a fresh workspace, nothing reopened
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell && window.jupyterapp.commands"
                           " && document.querySelector('.jp-LabShell')", timeout=120_000, polling=200)
    yield page, blocked
    context.close()


# The notebook opened for `path` (kept by _OPEN in window.hmNotebook) is in the page with its cells, its kernel is up
# and idle ("Run All Cells" before that does nothing), and it is the notebook on show, which the menus act on.
_OPEN = """path => window.jupyterapp.commands.execute('docmanager:open', {path}).then(w => {
    window.hmNotebook = w;
    window.jupyterapp.shell.activateById(w.id);
    return true;
})"""
_READY = """path => {
    const w = window.hmNotebook;
    const kernel = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    if (w && window.jupyterapp.shell.currentWidget !== w) window.jupyterapp.shell.activateById(w.id);
    return !!(w && w.context && w.context.path === path && kernel && kernel.status === 'idle'
              && w.node.querySelector('.jp-Cell') && window.jupyterapp.shell.currentWidget === w);
}"""
# What the page shows, for a message when the notebook does not become ready.
_STATE = """() => {
    const w = window.hmNotebook, cur = window.jupyterapp.shell.currentWidget;
    const kernel = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return {opened: w && w.context && w.context.path, on_show: cur && cur.title.label,
            kernel: kernel ? kernel.status : null, cells: !!(w && w.node.querySelector('.jp-Cell')),
            dialogs: [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText.slice(0, 300))};
}"""


def _open(page, path, timeout_ms=120_000):
    """Open the notebook at ``path`` as a double click in the file browser does, and wait until it can be run."""
    page.bring_to_front()  # the window has the focus JupyterLab's notion of the notebook on show depends on
    page.evaluate(_OPEN, path)
    try:
        page.wait_for_function(_READY, arg=path, timeout=timeout_ms, polling=200)
    except PlaywrightTimeout:
        raise AssertionError(f"{path}: not ready to run within {timeout_ms / 1000:.0f} s: {page.evaluate(_STATE)}") from None


def _close_everything(page, base, token):
    """Close every open document and shut down every kernel: the next hand-out starts clean. The run was checked
    on disk already, so the documents are closed as they are, with no "Save your work?" dialog (a notebook can
    count as changed again after its save); a dialog left open is dismissed first."""
    for _ in range(5):
        if page.locator(".jp-Dialog").count() == 0:
            break
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
    page.evaluate("() => { for (const w of [...window.jupyterapp.shell.widgets('main')]) w.dispose(); }")
    # With the main area empty JupyterLab opens a Launcher, a moment later: wait for it, so that it cannot open
    # (and take the focus) after the next notebook has.
    try:
        page.wait_for_function("() => [...window.jupyterapp.shell.widgets('main')].map(w => w.node)"
                               ".some(n => n.classList.contains('jp-Launcher') || n.querySelector('.jp-Launcher'))",
                               timeout=10_000, polling=100)
    except PlaywrightTimeout:  # no Launcher came: nothing to race with
        pass
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=30) as response:
        sessions = json.load(response)
    for session in sessions:
        request = urllib.request.Request(f"{base}/api/sessions/{session['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_hand_out_runs_and_reads_cleanly_in_jupyterlab(lab, lab_page, build_ready, nb):
    base, token, root = lab
    page, blocked = lab_page
    del blocked[:]
    path = f"student/{nb.name}"
    try:
        _open(page, path)
        _run_all(page)
        notebook = page.locator(f"#{page.evaluate('() => window.hmNotebook.id')} .jp-Notebook")
        text = notebook.inner_text()
        raw = RAW.search(text)
        assert not raw, f"raw MyST in {nb.name}: ...{text[max(0, raw.start() - 80):raw.end() + 80]}..."
        errors = notebook.locator("[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.first.inner_text()[:2000]
        first = notebook.locator(".jp-Cell").first.inner_text()
        assert not signposting.missing(first), (signposting.missing(first), first[:300])
        if nb.stem.startswith("table"):  # the rebuilt table the site glues is on the page
            assert notebook.locator(".jp-MarkdownCell table").count() >= 1
        assert not blocked, blocked[:5]
        # No toast asking whether to fetch the Jupyter news (tools/jupyterlab-overrides.json, installed by make)
        assert page.get_by_text("Jupyter news").count() == 0
        run = _saved_run(page, root / "student" / nb.name)
    finally:
        _close_everything(page, base, token)
    # The student site shows the instructor build's outputs of the cells it keeps: they must be what those cells
    # give with every solution left out, as here.
    build_ready()
    shown = nbformat.read(paths.ROOT / "_build" / "student-src" / "book" / nb.name, as_version=4)
    assert sum(bool(c.get("outputs")) for c in shown.cells if c.cell_type == "code") >= 3, "no outputs to compare"
    problems = output_differences(shown, run)
    assert not problems, problems
