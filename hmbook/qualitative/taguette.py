"""Load the coded corpus into a running Taguette (https://www.taguette.org) through its own HTTP interface.

:class:`Taguette` drives a Taguette server as its web page does: log in with the single-user token, create a
project, tags, documents and highlights, and read back its codebook export. :func:`load` puts a whole coding in;
:func:`documents` is what it sends; :func:`expected_codebook` says what Taguette's codebook export should then
list. Readers point it at their own Taguette; the tests start one on loopback (``tests/support/taguette_server.py``,
never this package: the analysis package starts no servers).

Taguette's pinned dependencies clash with this book's (``chardet``), so it lives in its own virtual environment
(``make taguette``, see ``requirements-taguette.txt``); this module needs only the standard library to talk to it.
The HTTP client uses :mod:`urllib` (no extra dependency) rather than ``requests``.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import re
import urllib.parse
import urllib.request
import uuid

import pandas as pd

from hmbook.errors import DataError
from hmbook.qualitative.thematic import NONE

__all__ = ["Taguette", "documents", "expected_codebook", "load"]


def documents(corpus: pd.DataFrame, coding: pd.DataFrame) -> list[dict]:
    """One Taguette document per non-blank answer: name, description, HTML, and highlights.

    Highlights are ``(start, end, code)`` in UTF-8 bytes of the text, as Taguette counts offsets; segments coded
    ``none`` are not highlighted.
    """
    docs = []
    coded = coding[coding["code"] != NONE].groupby("response_id")
    groups = {k: g for k, g in coded}
    for r in corpus[corpus["text"] != ""].itertuples():
        segs = groups.get(r.response_id, coding.iloc[0:0])
        nbytes = lambda i: len(r.text[:i].encode("utf-8"))  # noqa: E731
        docs.append({"name": r.response_id, "description": f"SYNTHETIC answer to '{r.question}'",
                     "html": f"<p>{html.escape(r.text, quote=False)}</p>",
                     "highlights": [(nbytes(s.start), nbytes(s.end), s.code) for s in segs.itertuples()]})
    return docs


def expected_codebook(coding: pd.DataFrame, codebook: pd.DataFrame, corpus: pd.DataFrame) -> pd.DataFrame:
    """What Taguette's codebook export should list: tag, number of highlights, number of documents."""
    given = set(corpus.loc[corpus["text"] != "", "response_id"])
    coded = coding[(coding["code"] != NONE) & coding["response_id"].isin(given)]
    counts = coded.groupby("code").agg(highlights=("segment_id", "size"), documents=("response_id", "nunique"))
    out = counts.reindex(codebook["code"], fill_value=0).reset_index()
    return out.rename(columns={"code": "tag"})


class Taguette:
    """A minimal client for a Taguette server's HTTP interface (single-user mode)."""

    def __init__(self, base_url: str, timeout: float = 30):
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _xsrf(self) -> str:
        for cookie in self.jar:
            if cookie.name == "_xsrf" and cookie.value is not None:
                return cookie.value
        raise DataError(f"the server at {self.base} set no _xsrf cookie: is it a Taguette server?")

    def _open(self, path: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {}, method=method)
        return self.opener.open(req, timeout=self.timeout)

    def _json(self, path: str, obj, method: str = "POST") -> dict:
        headers = {"Content-Type": "application/json", "X-XSRFToken": self._xsrf()}
        with self._open(path, json.dumps(obj).encode(), headers, method) as resp:
            body = resp.read()
        return json.loads(body) if body else {}

    def login(self, token: str) -> None:
        """Log in with the token Taguette prints at start-up; fetches the form page that sets the XSRF cookie."""
        self._open(f"/?token={urllib.parse.quote(token)}").read()
        self._open("/project/new").read()

    def new_project(self, name: str, description: str = "") -> int:
        form = urllib.parse.urlencode({"name": name, "description": description, "_xsrf": self._xsrf()})
        with self._open("/project/new", form.encode()) as resp:
            m = re.search(r"/project/(\d+)", resp.geturl())
        if m is None:
            raise DataError(f"the server at {self.base} made no project (no /project/<id> after creating one)")
        return int(m[1])

    def tags(self, project: int) -> dict[str, int]:
        """The project's tags, path -> id (read from the project page, as the web client does)."""
        with self._open(f"/project/{project}") as resp:
            page = resp.read().decode("utf-8")
        m = re.search(r"var tags = (\{.*?\});\n", page)
        if m is None:
            raise DataError(f"the server at {self.base}: project {project}'s page lists no tags")
        tags = json.loads(m[1])
        return {t["path"]: t["id"] for t in tags.values()}

    def add_tag(self, project: int, path: str, description: str = "") -> int:
        return self._json(f"/api/project/{project}/tag/new", {"path": path, "description": description})["id"]

    def delete_tag(self, project: int, tag: int) -> None:
        self._json(f"/api/project/{project}/tag/{tag}", None, method="DELETE")

    def add_document(self, project: int, name: str, description: str, html_text: str) -> int:
        # multipart/form-data by hand: the standard library has no encoder for it
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                 for k, v in (("name", name), ("description", description))]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}.html"\r\n'
                     f"Content-Type: text/html\r\n\r\n{html_text}\r\n--{boundary}--\r\n")
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-XSRFToken": self._xsrf()}
        with self._open(f"/api/project/{project}/document/new", "".join(parts).encode("utf-8"), headers) as resp:
            return json.loads(resp.read())["created"]

    def add_highlight(self, project: int, document: int, start: int, end: int, tags: list[int]) -> int:
        obj = {"start_offset": start, "end_offset": end, "tags": tags}
        return self._json(f"/api/project/{project}/document/{document}/highlight/new", obj)["id"]

    def highlights(self, project: int, tag: str) -> list[dict]:
        """Every highlight with the tag (document id, snippet), page by page as the web client reads them."""
        out, page, pages = [], 1, 1
        while page <= pages:
            with self._open(f"/api/project/{project}/highlights/{urllib.parse.quote(tag)}?page={page}") as resp:
                obj = json.loads(resp.read())
            out += obj["highlights"]
            pages, page = obj["pages"], page + 1
        return out

    def codebook_csv(self, project: int) -> pd.DataFrame:
        """Taguette's own codebook export (tag, description, number of highlights, number of documents)."""
        with self._open(f"/project/{project}/export/codebook.csv") as resp:
            return pd.read_csv(resp, keep_default_na=False)

    def codebook_qdc(self, project: int) -> str:
        """Taguette's own REFI-QDA codebook export."""
        with self._open(f"/project/{project}/export/codebook.qdc") as resp:
            return resp.read().decode("utf-8")


def load(client: Taguette, corpus: pd.DataFrame, coding: pd.DataFrame, codebook: pd.DataFrame,
         name: str = "hmbook (SYNTHETIC)") -> int:
    """Create a project holding the codebook as tags and every answer as a document with its highlights."""
    project = client.new_project(name, "SYNTHETIC free-text answers and their reference coding, from hmbook")
    for _name, tag in client.tags(project).items():  # the default tag Taguette adds to a new project
        client.delete_tag(project, tag)
    ids = {row.code: client.add_tag(project, row.code, f"{row.theme} / {row.subtheme}")
           for row in codebook.itertuples()}
    for doc in documents(corpus, coding):
        doc_id = client.add_document(project, doc["name"], doc["description"], doc["html"])
        for start, end, code in doc["highlights"]:
            client.add_highlight(project, doc_id, start, end, [ids[code]])
    return project
