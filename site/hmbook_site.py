"""A small Sphinx extension for the hmbook site (loaded through `sphinx.local_extensions` in _config.yml).

1. Jupyter Book 1 registers sphinx-thebe's inline configuration script twice on every page, so the browser reports
"Identifier 'THEBE_JS_URL' has already been declared" in the console. This drops exact duplicates from each page's
script list (same file or inline body, same attributes, whatever their priority), keeping the first.
2. pydata-sphinx-theme loads FontAwesome twice over: its CSS with web fonts (about 0.4 MB) and its "SVG with
   JavaScript" bundle (1.5 MB, more than half of every page's weight), which replaces the same <i> icons with SVG.
   The filter `hmbook_without_icon_script`, applied in site/templates/layout.html, drops the script tag.
3. Docutils writes a bibliography (the References page) as `<div role="list">` whose entries have
   `role="doc-biblioentry"`, a role that is deprecated and not a list item, so axe-core reports a critical
   aria-required-children violation. Each entry's role becomes `listitem`, which is what the list needs.
"""

import re

__all__ = ["setup", "without_icon_script", "citation_list_items"]

_ICON_SCRIPT = re.compile(r'\s*<script src="[^"]*/vendor/fontawesome/[^"]*/js/all\.min\.js[^"]*"></script>')


def without_icon_script(html):
    """Remove FontAwesome's JavaScript bundle from a rendered block of the page head.

    >>> without_icon_script('<link href="a.css"/>\\n  <script src="../_static/vendor/fontawesome/6.5.2/js/all.min.js?digest=x"></script>')
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


def setup(app):
    app.connect("builder-inited", _add_filter)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _fix_citation_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
