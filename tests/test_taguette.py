"""The coded corpus in a real Taguette: start a server on loopback, load through its HTTP interface, read back.

Taguette runs from its own venv (`make taguette`, pinned in requirements-taguette.txt) because its pins clash
with the book's. This test is never skipped: without that venv it fails and says how to make it.
"""

import html
import os
import re
import socket
import subprocess
import time
import xml.etree.ElementTree as ET

import pytest

from hmbook import paths, qda, thematic

TAGUETTE = paths.ROOT / ".venv-taguette" / "bin" / "taguette"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not TAGUETTE.exists():
        pytest.fail(f"{TAGUETTE} is missing: run `make taguette` (or `make test`, which makes it)")
    tmp = tmp_path_factory.mktemp("taguette")
    port = _free_port()
    out = open(tmp / "stdout.log", "w+")
    proc = subprocess.Popen(
        [str(TAGUETTE), "--no-browser", "--bind", "127.0.0.1", "--port", str(port),
         "--database", str(tmp / "taguette.sqlite3")],
        stdout=out, stderr=subprocess.DEVNULL, env={**os.environ, "XDG_DATA_HOME": str(tmp), "HOME": str(tmp)})
    try:
        token = None
        for _ in range(150):
            out.seek(0)
            if m := re.search(r"token=([0-9a-f]+)", out.read()):
                token = m[1]
                break
            assert proc.poll() is None, "Taguette exited at start-up"
            time.sleep(0.2)
        assert token, "Taguette printed no login link within 30 s"
        client = qda.Taguette(f"http://127.0.0.1:{port}")
        client.login(token)
        yield client
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        out.close()


@pytest.fixture(scope="module")
def data():
    return (thematic.read_corpus(), thematic.read_coding(paths.CODING_REFERENCE_CSV), thematic.read_codebook())


@pytest.fixture(scope="module")
def project(server, data):
    return qda.load(server, *data)


def test_taguette_codebook_export_lists_the_same_codes_and_counts(server, project, data):
    corpus, ref, codebook = data
    got = server.codebook_csv(project)
    assert list(got["tag"]) == list(codebook["code"])
    want = qda.expected_codebook(ref, codebook, corpus)
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
    ns = {"q": qda.NAMESPACE}
    assert [c.get("name") for c in root.findall("q:Codes/q:Code", ns)] == list(data[2]["code"])
