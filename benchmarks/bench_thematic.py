"""Timings for the thematic-analysis chapter: corpus generation, agreement, exports, the Taguette round trip.

Run: .venv/bin/python benchmarks/bench_thematic.py   (the Taguette line needs `make taguette`)
"""

import sys
import tempfile
import time

import numpy as np
import pandas as pd

from hmbook import paths
from hmbook.data import respondents
from hmbook.qualitative import corpus, corpus_data, refi, taguette, thematic
from hmbook.viz import plotting

sys.path.insert(0, str(paths.ROOT / "tests"))
from support import taguette_server


def timed(label, fn, repeat=3):
    best = min((lambda t0: (fn(), time.perf_counter() - t0)[1])(time.perf_counter()) for _ in range(repeat))
    print(f"{label:<58} {best * 1000:9.1f} ms")


resp = respondents.read_respondents(paths.RESPONDENTS_CSV)
corp = thematic.read_corpus()
ref = thematic.read_coding(paths.CODING_REFERENCE_CSV)
second = thematic.read_coding(paths.CODING_SECOND_CSV)
codebook = thematic.read_codebook()
codes = list(codebook["code"])

timed("corpus_data.load (read and check data/corpus/, codebook)", corpus_data.load)
timed("corpus.build (90 respondents, all three tables)", lambda: corpus.build(resp))
timed(f"thematic.agreement ({len(ref)} segments, 10 codes + overall)", lambda: thematic.agreement(ref, second, codes))
rng = np.random.default_rng(1)
big = pd.DataFrame({"segment_id": np.arange(100_000).astype(str),
                    "code": rng.choice(codes + ["none"], 100_000)})
big2 = big.assign(code=np.where(rng.random(100_000) < 0.2, rng.choice(codes + ["none"], 100_000), big["code"]))
timed("thematic.agreement (100,000 random segments)", lambda: thematic.agreement(big, big2, codes), repeat=1)
timed("thematic.confusion (100,000 random segments)", lambda: thematic.confusion(big, big2, codes), repeat=1)
timed("refi.refi_codebook", lambda: refi.refi_codebook(codebook, plotting.OKABE_ITO))

exe = paths.ROOT / ".venv-taguette" / "bin" / "taguette"
if exe.exists():
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with taguette_server.serve(exe, tmp) as client:
            t1 = time.perf_counter()
            project = taguette.load(client, corp, ref, codebook)
            t2 = time.perf_counter()
            client.codebook_csv(project)
            t3 = time.perf_counter()
        n_docs = int((corp["text"] != "").sum())
        n_hl = int((ref["code"] != thematic.NONE).sum())
        print(f"{'Taguette start-up and login':<58} {(t1 - t0) * 1000:9.1f} ms")
        print(f"{f'taguette.load ({n_docs} documents, {n_hl} highlights, 10 tags)':<58} {(t2 - t1) * 1000:9.1f} ms")
        print(f"{'Taguette codebook export':<58} {(t3 - t2) * 1000:9.1f} ms")
else:
    print("Taguette: skipped (run `make taguette`)")
