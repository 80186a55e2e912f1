"""The coded corpus in a real Taguette: start a server on loopback, load through its HTTP interface, read back.

Taguette runs from its own venv (`make taguette`, pinned in requirements-taguette.txt) because its pins clash
with the book's. This test is never skipped: without that venv it fails and says how to make it.
"""

import html
import re
import xml.etree.ElementTree as ET

import pytest

from hmbook import paths
from hmbook.qualitative import refi, taguette, thematic
from support import taguette_server

TAGUETTE = paths.ROOT / ".venv-taguette" / "bin" / "taguette"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not TAGUETTE.exists():
        pytest.fail(f"{TAGUETTE} is missing: run `make taguette` (or `make test`, which makes it)")
    with taguette_server.serve(TAGUETTE, tmp_path_factory.mktemp("taguette")) as client:
        yield client


@pytest.fixture(scope="module")
def data():
    return (thematic.read_corpus(), thematic.read_coding(paths.CODING_REFERENCE_CSV), thematic.read_codebook())


@pytest.fixture(scope="module")
def project(server, data):
    return taguette.load(server, *data)


def test_taguette_codebook_export_lists_the_same_codes_and_counts(server, project, data):
    corpus, ref, codebook = data
    got = server.codebook_csv(project)
    assert list(got["tag"]) == list(codebook["code"])
    want = taguette.expected_codebook(ref, codebook, corpus)
    assert got["number of highlights"].tolist() == want["highlights"].tolist()
    assert got["number of documents"].tolist() == want["documents"].tolist()
    assert want["highlights"].sum() == (ref["code"] != thematic.NONE).sum()


def test_taguette_highlights_are_the_coded_segments(server, project, data):
    corpus, ref, codebook = data
    segs = thematic.segments(corpus, ref)
    for code in codebook["code"]:
        snippets = sorted(html.unescape(re.sub(r"<[^>]+>", "", h["content"]))
                          for h in server.highlights(project, code))
        assert snippets == sorted(segs.loc[segs["code"] == code, "segment"]), code


def test_taguette_refi_export_names_the_same_codes(server, project, data):
    root = ET.fromstring(server.codebook_qdc(project).encode())
    ns = {"q": refi.NAMESPACE}
    assert [c.get("name") for c in root.findall("q:Codes/q:Code", ns)] == list(data[2]["code"])
