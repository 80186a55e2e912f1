"""A small Sphinx extension for the hmbook site (loaded through `sphinx.local_extensions` in _config.yml).

1. Jupyter Book 1 registers sphinx-thebe's inline configuration script twice on every page, so the browser reports
"Identifier 'THEBE_JS_URL' has already been declared" in the console. This drops exact duplicates from each page's
script list (same file or inline body, same attributes, whatever their priority), keeping the first.
2. pydata-sphinx-theme loads FontAwesome twice over: its CSS with web fonts (about 0.4 MB) and its "SVG with
   JavaScript" bundle (1.5 MB, more than half of every page's weight), which replaces the same <i> icons with SVG.
   The filter `hmbook_without_icon_script`, applied in book_site/templates/layout.html, drops the script tag.
3. Docutils writes a bibliography (the References page) as `<div role="list">` whose entries have
   `role="doc-biblioentry"`, a role that is deprecated and not a list item, so axe-core reports a critical
   aria-required-children violation. Each entry's role becomes `listitem`, which is what the list needs.
4. A table pasted with myst-nb's `{glue:figure}` is a figure to Sphinx, so it was numbered and captioned
   "Fig. 4.1". A figure whose name starts with `tbl-` becomes a `TableFigure`, which Sphinx numbers as a table
   ("Table 4.1", in the table sequence, also for `{numref}`); it is written to HTML exactly as a figure.
5. `{self-check}`: a multiple-choice question readers answer on the static site, without a kernel or the
   network (book_site/static/self-check.js). In a notebook the directive's body is a Markdown list of options, so
   JupyterLab and the hand-outs (hmbook.course.readable) show the question and its options as plain text::

       ```{self-check} Which population does the interval describe?
       :answer: 2
       :explain: A snowball sample is not random ...
       - All UK clinicians.
       - At best, clinicians reached through the same networks.
       ```
6. Each exercise shows its label (`ex-table3-avoid`) under its title, as the instructor guide names it, so that an
   instructor can match the guide's tables to the page (the label is otherwise only the box's HTML id).
"""

import html
import re

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.transforms import SphinxTransform
from sphinx.writers.html5 import HTML5Translator

__all__ = ["setup", "without_icon_script", "citation_list_items", "exercise_ids_shown", "TableFigure", "SelfCheck",
           "self_check_html"]

_ICON_SCRIPT = re.compile(r'\s*<script src="[^"]*/vendor/fontawesome/[^"]*/js/all\.min\.js[^"]*"></script>')


def without_icon_script(html):
    """Remove FontAwesome's JavaScript bundle from a rendered block of the page head.

    >>> head = '<link href="a.css"/>\\n  <script src="../_static/vendor/fontawesome/6.5.2/js/all.min.js?digest=x">'
    >>> without_icon_script(head + '</script>')
    '<link href="a.css"/>'
    """
    return _ICON_SCRIPT.sub("", str(html))


def citation_list_items(html):
    """Give each bibliography entry of a rendered page the role its list needs.

    >>> citation_list_items('<div role="list" class="citation-list"><div class="citation" role="doc-biblioentry">')
    '<div role="list" class="citation-list"><div class="citation" role="listitem">'
    """
    return html.replace('role="doc-biblioentry"', 'role="listitem"')


def _fix_citation_roles(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = citation_list_items(context["body"])


_EXERCISE_TITLE = re.compile(r'(<div class="exercise admonition[^"]*" id="(?P<label>[^"]+)">\s*'
                             r'<p class="admonition-title">.*?</p>)', re.DOTALL)


def exercise_ids_shown(html):
    """Put each exercise's label on a line of its own under the exercise's title, in a rendered page.

    >>> page = exercise_ids_shown('<div class="exercise admonition" id="ex-a-b">\\n<p class="admonition-title">T</p>')
    >>> page.endswith('<p class="admonition-title">T</p><p class="hm-exercise-id">Exercise id: <code>ex-a-b</code></p>')
    True
    """
    return _EXERCISE_TITLE.sub(lambda m: f'{m.group(1)}<p class="hm-exercise-id">Exercise id: '
                                         f'<code>{m.group("label")}</code></p>', html)


def _show_exercise_ids(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = exercise_ids_shown(context["body"])


def _add_filter(app):
    if hasattr(app.builder, "templates"):
        app.builder.templates.environment.filters["hmbook_without_icon_script"] = without_icon_script


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
        # An inline script's filename is None or "" depending on who added it; the priority is ignored too.
        key = (getattr(script, "filename", None) or "", attributes)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


class TableFigure(nodes.figure):
    """A glued table: a figure node that Sphinx numbers in the table sequence."""


class _TablesAsTables(SphinxTransform):
    default_priority = 200  # after the directives have run, before the numbers are assigned (doctree-read)

    def apply(self):
        for figure in list(self.document.findall(nodes.figure)):
            if type(figure) is nodes.figure and any(i.startswith("tbl-") for i in figure["ids"] + figure["names"]):
                table = TableFigure(figure.rawsource, *figure.children, **figure.attributes)
                figure.replace_self(table)
                for node_id in table["ids"]:  # cross-references look the target up here
                    self.document.ids[node_id] = table


def self_check_html(question: str, options: list[str], answer: int, explain: str, key: str) -> str:
    """The HTML form of one self-check question (``answer`` counts options from 1).

    >>> 'data-answer="2"' in self_check_html("Q?", ["a", "b"], 2, "Because.", "q1")
    True
    """
    if not options or not 1 <= answer <= len(options):
        raise ValueError(f"self-check {question!r}: :answer: must number one of its {len(options)} options")
    items = "".join(
        f'<label><input type="radio" name="{key}" value="{i}"> {html.escape(text)}</label>'
        for i, text in enumerate(options, start=1))
    return (f'<form class="self-check" data-answer="{answer}" data-explain="{html.escape(explain, quote=True)}">'
            f'<fieldset><legend>Self-check: {html.escape(question)}</legend>{items}</fieldset>'
            f'<button type="submit">Check</button>'
            f'<p class="self-check-feedback" role="status" aria-live="polite"></p></form>')


class SelfCheck(Directive):
    """``{self-check} QUESTION`` with ``:answer: N``, ``:explain: TEXT`` and a Markdown list of options."""

    required_arguments, final_argument_whitespace, has_content = 1, True, True
    option_spec = {"answer": directives.positive_int, "explain": directives.unchanged_required}

    def run(self):
        options = [line[2:].strip() for line in self.content if line.startswith("- ")]
        env = self.state.document.settings.env
        key = f"self-check-{env.docname.replace('/', '-')}-{env.new_serialno('self-check')}"
        try:
            form = self_check_html(self.arguments[0], options, self.options.get("answer", 0),
                                   self.options.get("explain", ""), key)
        except ValueError as err:
            raise self.error(str(err)) from None
        return [nodes.raw("", form, format="html")]


def setup(app):
    app.add_directive("self-check", SelfCheck)
    app.add_js_file("self-check.js")
    app.add_js_file("scroll-cue.js")
    app.add_enumerable_node(TableFigure, "table",
                            html=(HTML5Translator.visit_figure, HTML5Translator.depart_figure))
    app.add_transform(_TablesAsTables)
    app.connect("builder-inited", _add_filter)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _fix_citation_roles)
    app.connect("html-page-context", _show_exercise_ids)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
