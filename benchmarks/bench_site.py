"""The site's performance budget, measured in one run. Prints the figures; records nothing by itself.

Run: .venv/bin/python benchmarks/bench_site.py      (about three to four minutes on the 2-core reference machine)

1. Clean build: `make book` from an empty `_build` (executes every notebook), against its floor: the same build
   with execution off (the committed outputs are rendered) plus each toc notebook's standalone execution time
   (nbclient, one fresh kernel each, as the build does). Target: clean build <= 1.3 x floor.
2. One-chapter rebuild: touch the first notebook chapter in `_toc.yml`, then `make book` again. Target: <= 8 s.
3. Heaviest page: each toc page loaded in Debian's Chromium from the built site on 127.0.0.1 with an empty cache;
   transferred bytes = response headers + bodies as served (uncompressed, by the standard library's server); the
   gzip size a compressing host would send is printed beside it. Target: heaviest page <= 2.5 MB.

Each time is printed as wall time (what the targets are about) and CPU time of all processes involved, which
other work on the machine disturbs less: compare the two when the machine is shared.
The script leaves a freshly built `_build/html` behind. It deletes `_build` first: do not run it while another
build or `make test` is using the same checkout.
"""

import gzip
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

from hmbook import paths
from hmbook.course import toc

ROOT = paths.ROOT
sys.path.insert(0, str(ROOT / "tests"))
from support.sitekit import launch_args, offline, serve  # noqa: E402

JB = [str(Path(sys.executable).with_name("jupyter-book"))]  # as the Makefile runs Jupyter Book
BUILD = ROOT / "_build"
MB = 1e6
TARGETS = {"ratio": 1.3, "rebuild_s": 8.0, "page_mb": 2.5}


class Clock:
    """Wall time and CPU time (this process plus finished children, kernels included) over a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, self._cpu() - self.cpu

    @staticmethod
    def _cpu():
        me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(cmd):
    with Clock() as clock:
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return clock


def clean_build():
    shutil.rmtree(BUILD, ignore_errors=True)
    return timed(["make", "book"])


def build_without_execution():
    """The same strict build with execution off, into a temporary folder (the committed outputs are rendered)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = "off"
    local = config.get("sphinx", {}).get("local_extensions", {})
    for name, path in local.items():  # resolved against the config file's folder, which is temporary here
        local[name] = str((ROOT / path).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "_config.yml"
        cfg.write_text(yaml.safe_dump(config, sort_keys=False))
        return timed([*JB, "build", ".", "-W", "-n", "--keep-going", "--config", str(cfg),
                      "--path-output", str(Path(tmp) / "out")])


def execution_times(docs):
    """Standalone execution time of each toc notebook: a fresh kernel each, run in the notebook's folder."""
    times = {}
    for doc in docs:
        path = ROOT / f"{doc}.ipynb"
        if not path.is_file():
            continue
        nb = nbformat.read(path, as_version=4)
        with Clock() as times[doc]:
            NotebookClient(nb, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
    return times


def rebuild_after_touch(docs):
    chapter = next(ROOT / f"{d}.ipynb" for d in docs if (ROOT / f"{d}.ipynb").is_file())
    os.utime(chapter)
    return chapter.relative_to(ROOT), timed(["make", "book"])


def page_weights(docs):
    """doc -> (bytes as served, bytes if gzip-compressed), each page loaded with an empty cache."""
    from playwright.sync_api import sync_playwright

    weights = {}
    with serve(BUILD / "html") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(**launch_args())
        for doc in docs:
            context = browser.new_context()
            offline(context)
            page = context.new_page()
            finished = []
            page.on("requestfinished", lambda request: finished.append(request))
            page.goto(f"{base}{doc}.html", wait_until="networkidle")
            raw = zipped = 0
            for request in finished:
                sizes = request.sizes()
                raw += sizes["responseHeadersSize"] + sizes["responseBodySize"]
                response = request.response()
                body = response.body() if response else b""
                zipped += sizes["responseHeadersSize"] + min(len(body), len(gzip.compress(body)))
            weights[doc] = (raw, zipped)
            context.close()
        browser.close()
    return weights


def main():
    docs = toc.files()
    print(f"site benchmark: {len(docs)} toc pages, {os.cpu_count()} cores")
    clean = clean_build()
    rebuilt_chapter, rebuild = rebuild_after_touch(docs)
    weights = page_weights(docs)
    no_exec = build_without_execution()
    execs = execution_times(docs)
    floor_wall = no_exec.wall + sum(c.wall for c in execs.values())
    floor_cpu = no_exec.cpu + sum(c.cpu for c in execs.values())

    print("                                    wall      CPU (all processes)")
    print(f"clean `make book`:                 {clean.wall:6.1f} s  {clean.cpu:6.1f} s")
    print(f"  floor = build without execution  {no_exec.wall:6.1f} s  {no_exec.cpu:6.1f} s")
    for doc, c in execs.items():
        print(f"        + execute {doc:<32} {c.wall:5.1f} s  {c.cpu:6.1f} s")
    print(f"  floor:                           {floor_wall:6.1f} s  {floor_cpu:6.1f} s")
    ratio = clean.wall / floor_wall
    print(f"  clean / floor:                   {ratio:6.2f}    {clean.cpu / floor_cpu:6.2f}     (target on wall time "
          f"<= {TARGETS['ratio']}: {'met' if ratio <= TARGETS['ratio'] else 'MISSED'})")
    print(f"rebuild after touching {rebuilt_chapter}: {rebuild.wall:5.1f} s wall, {rebuild.cpu:.1f} s CPU   "
          f"(target <= {TARGETS['rebuild_s']:.0f} s: {'met' if rebuild.wall <= TARGETS['rebuild_s'] else 'MISSED'})")
    heaviest = max(weights, key=lambda d: weights[d][0])
    for doc, (raw, zipped) in sorted(weights.items(), key=lambda kv: -kv[1][0]):
        print(f"  page {doc:<40} {raw / MB:5.2f} MB as served, {zipped / MB:5.2f} MB gzip")
    raw = weights[heaviest][0] / MB
    print(f"heaviest page: {heaviest}, {raw:.2f} MB transferred   (target <= {TARGETS['page_mb']} MB: "
          f"{'met' if raw <= TARGETS['page_mb'] else 'MISSED'})")


if __name__ == "__main__":
    main()
