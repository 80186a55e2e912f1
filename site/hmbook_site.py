"""A small Sphinx extension for the hmbook site (loaded through `sphinx.local_extensions` in _config.yml).

1. Jupyter Book 1 registers sphinx-thebe's inline configuration script twice on every page, so the browser reports
"Identifier 'THEBE_JS_URL' has already been declared" in the console. This drops exact duplicates from each page's
script list (same file or inline body, same attributes, whatever their priority), keeping the first.
2. pydata-sphinx-theme loads FontAwesome twice over: its CSS with web fonts (about 0.4 MB) and its "SVG with
   JavaScript" bundle (1.5 MB, more than half of every page's weight), which replaces the same <i> icons with SVG.
   The filter `hmbook_without_icon_script`, applied in site/templates/layout.html, drops the script tag.
3. A table pasted with myst-nb's `{glue:figure}` is a figure to Sphinx, so it was numbered and captioned
   "Fig. 4.1". A figure whose name starts with `tbl-` becomes a `TableFigure`, which Sphinx numbers as a table
   ("Table 4.1", in the table sequence, also for `{numref}`); it is written to HTML exactly as a figure.
"""

import re

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.writers.html5 import HTML5Translator

__all__ = ["setup", "without_icon_script", "TableFigure"]

_ICON_SCRIPT = re.compile(r'\s*<script src="[^"]*/vendor/fontawesome/[^"]*/js/all\.min\.js[^"]*"></script>')


def without_icon_script(html):
    """Remove FontAwesome's JavaScript bundle from a rendered block of the page head.

    >>> without_icon_script('<link href="a.css"/>\\n  <script src="../_static/vendor/fontawesome/6.5.2/js/all.min.js?digest=x"></script>')
    '<link href="a.css"/>'
    """
    return _ICON_SCRIPT.sub("", str(html))


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


def setup(app):
    app.add_enumerable_node(TableFigure, "table",
                            html=(HTML5Translator.visit_figure, HTML5Translator.depart_figure))
    app.add_transform(_TablesAsTables)
    app.connect("builder-inited", _add_filter)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
