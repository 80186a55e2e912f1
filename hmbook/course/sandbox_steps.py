"""What runs inside the grading sandbox (:mod:`hmbook.course.sandbox`): the two steps of grading one submission.

``python -m hmbook.course.sandbox_steps run NOTEBOOK`` executes the student's notebook (nbclient, a kernel of
this environment) in the sandbox's scratch folder, with no test file anywhere in reach. Each ``grader.check("q")``
cell is replaced by a snapshot of the notebook's variables at that point (each value pickled on its own; what
cannot be pickled is left out), and one more snapshot is taken at the end; the snapshots, as one zip, are the
step's only output (standard output). Everything in that zip was made by the student's code, so it is data to
distrust: nothing outside a sandbox ever opens it.

``python -m hmbook.course.sandbox_steps score AUTOGRADER SNAPSHOTS`` runs in a second, fresh sandbox, where no
code of the student's has ever run: it extracts the autograder's tests (hidden ones included) and runs each
question's tests, with otter's own test runner, on that question's snapshot (the end one for a question the
notebook never checked), loaded by an unpickler that builds only plain values, NumPy arrays and pandas objects
(:data:`ALLOWED`) and refuses everything else, so loading a snapshot runs none of the student's code. It prints
otter's results (the ``results.json`` of ``otter run``) and its score summary as JSON.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import re
import sys
import types
import zipfile
from pathlib import Path
from typing import Any

__all__ = ['ALLOWED', 'END', 'KERNEL_DIED', 'NO_END', 'FLOOD', 'MAX_OUTPUT', 'snapshot', 'load_values', 'run_notebook',
           'score']

#: The label of the snapshot taken after the last cell.
END = "__end__"
#: Exit statuses of the run step: the kernel died (a cell ended its process); the last snapshot is missing; the
#: cells printed more than :data:`MAX_OUTPUT`.
KERNEL_DIED, NO_END, FLOOD = 3, 4, 5
#: Bytes of output (printed text, figures, tables) a notebook's cells may give before the run is stopped: a chapter
#: gives well under 2 MB.
MAX_OUTPUT = 32 << 20
#: Where the snapshots are written inside the sandbox.
SNAPSHOTS = Path("/scratch/.snapshots")
#: A check cell: ``grader.check("ex-name")`` (any name for the grader, either quote).
_CHECK = re.compile(r"""^\s*[A-Za-z_]\w*\s*\.\s*check\(\s*(["'])([\w.-]+)\1\s*\)\s*;?\s*$""")
#: Names of the kernel's own that are not the student's values.
_SKIP = {"In", "Out", "exit", "quit", "get_ipython", "grader"}

#: Every class or function a snapshot may name, as ``module.name``: plain values, NumPy arrays and scalars and
#: pandas frames, series, indexes and their dtypes. Nothing here runs code of the pickle's choosing.
ALLOWED = frozenset({
    "builtins.complex", "builtins.slice", "builtins.range", "builtins.set", "builtins.frozenset",
    "builtins.bytearray", "builtins.object",
    "collections.OrderedDict", "collections.defaultdict", "collections.Counter", "collections.deque",
    "copyreg._reconstructor", "datetime.date", "datetime.datetime", "datetime.time", "datetime.timedelta",
    "datetime.timezone", "decimal.Decimal", "fractions.Fraction",
    "numpy.dtype", "numpy.ndarray", "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
    "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar", "numpy.core.numeric._frombuffer",
    "numpy._core.numeric._frombuffer", "numpy.dtypes.Float64DType", "numpy.dtypes.Int64DType",
    "numpy.dtypes.BoolDType", "numpy.dtypes.ObjectDType", "numpy.dtypes.StrDType", "numpy.dtypes.Float32DType",
    "numpy.dtypes.Int32DType", "numpy.dtypes.DateTime64DType", "numpy.dtypes.TimeDelta64DType",
    "numpy.random._pickle.__bit_generator_ctor", "numpy.random._pickle.__generator_ctor",
    "numpy.random._pickle.__randomstate_ctor", "numpy.random._pcg64.PCG64",
    "pandas.core.frame.DataFrame", "pandas.core.series.Series",
    "pandas.core.internals.managers.BlockManager", "pandas.core.internals.managers.SingleBlockManager",
    "pandas._libs.internals._unpickle_block", "pandas.core.internals.blocks.new_block",
    "pandas.core.indexes.base._new_Index", "pandas.core.indexes.base.Index", "pandas.core.indexes.range.RangeIndex",
    "pandas.core.indexes.multi.MultiIndex", "pandas.core.indexes.category.CategoricalIndex",
    "pandas.core.indexes.datetimes.DatetimeIndex", "pandas.core.indexes.datetimes._new_DatetimeIndex",
    "pandas.core.indexes.interval.IntervalIndex", "pandas.core.indexes.period.PeriodIndex",
    "pandas.core.arrays.categorical.Categorical", "pandas.core.dtypes.dtypes.CategoricalDtype",
    "pandas.core.arrays.integer.IntegerArray", "pandas.core.arrays.boolean.BooleanArray",
    "pandas.core.arrays.floating.FloatingArray", "pandas.core.arrays.string_.StringArray",
    "pandas.core.arrays.string_.StringDtype", "pandas.core.arrays.integer.Int64Dtype",
    "pandas.core.arrays.floating.Float64Dtype", "pandas.core.arrays.boolean.BooleanDtype",
    "pandas.core.arrays.datetimes.DatetimeArray", "pandas.core.arrays.interval.IntervalArray",
    "pandas._libs.interval.Interval", "pandas._libs.tslibs.timestamps._unpickle_timestamp",
    "pandas._libs.tslibs.timedeltas._timedelta_unpickle", "pandas._libs.tslibs.nattype.__nat_unpickle",
    "pandas._libs.missing.NAType", "pandas._libs.missing.NA", "pandas._libs.arrays.__pyx_unpickle_NDArrayBacked",
    "pandas._libs.lib._NoDefault",
    "pandas.core.flags.Flags", "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
    "numpy.random.bit_generator.SeedSequence", "copyreg.__newobj__",
    # the book's own result types (plain dataclasses and enums) that exercises ask for
    "hmbook.methods.audit.findings.Finding", "hmbook.methods.audit.findings.Status", "hmbook.replicate.synth.Ensemble",
    "hmbook.methods.sampling.Model", "hmbook.methods.sampling.World",
})


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if f"{module}.{name}" not in ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a value a snapshot may hold")
        return super().find_class(module, name)


def load_values(data: bytes, limit: int = 1 << 30) -> dict[str, Any]:
    """A snapshot's variables, each unpickled with :data:`ALLOWED` only; a value that names anything else, or
    that fails to load, is left out (a test that needs it fails, as it would for a missing variable)."""
    outer = _Unpickler(io.BytesIO(data[:limit])).load()
    values: dict[str, Any] = {}
    if isinstance(outer, dict):
        for name, blob in outer.items():
            if isinstance(name, str) and isinstance(blob, bytes):
                try:
                    values[name] = _Unpickler(io.BytesIO(blob)).load()
                except Exception:  # refused or broken: as if the variable were not there
                    pass
    return values


def snapshot(label: str, namespace: dict[str, Any]) -> None:
    """Write the notebook's variables (``namespace``, the kernel's globals) to the snapshot ``label``: run in the
    student's kernel, by a cell that takes the place of a check cell."""
    blobs: dict[str, bytes] = {}
    for name, value in list(namespace.items()):
        if name.startswith("_") or name in _SKIP or isinstance(
                value, (types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type)):
            continue
        try:
            blobs[name] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # not a value that can leave the kernel
            pass
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    (SNAPSHOTS / f"{label}.pkl").write_bytes(pickle.dumps(blobs, protocol=pickle.HIGHEST_PROTOCOL))


def _snapshot_cell(label: str) -> str:
    return f"__import__('hmbook.course.sandbox_steps', fromlist=['snapshot']).snapshot({label!r}, globals())"


def run_notebook(submission: Path, out: io.BufferedIOBase) -> None:
    """Execute ``submission`` in a kernel, a snapshot in place of each check cell and one at the end; write the
    snapshots to ``out`` as a zip."""
    import nbclient
    import nbformat

    work = Path("/scratch/work")
    work.mkdir(parents=True, exist_ok=True)
    nb = nbformat.reads(submission.read_text(encoding="utf-8"), as_version=4)
    (work / submission.name).write_text(nbformat.writes(nb), encoding="utf-8")  # otter.Notebook reads it
    for cell in nb.cells:
        if cell.cell_type == "code":
            match = _CHECK.match(cell.source)
            if match:
                cell.source = _snapshot_cell(match.group(2))
            cell.outputs = []
    nb.cells.append(nbformat.v4.new_code_cell(_snapshot_cell(END)))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    class Flood(Exception):
        pass

    class Capped(nbclient.NotebookClient):
        """nbclient keeping every output in memory: a cell that prints without end is stopped at MAX_OUTPUT."""

        printed = 0

        def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
            self.printed += len(json.dumps(msg.get("content", {})))
            if self.printed > MAX_OUTPUT:
                raise Flood
            return super().output(outs, msg, display_id, cell_index)

    client = Capped(nb, timeout=None, allow_errors=True, kernel_name="python3",
                    resources={"metadata": {"path": str(work)}})
    try:
        client.execute()
    except nbclient.exceptions.DeadKernelError:
        raise SystemExit(KERNEL_DIED) from None
    except Flood:
        raise SystemExit(FLOOD) from None
    labels = sorted(SNAPSHOTS.glob("*.pkl")) if SNAPSHOTS.is_dir() else []
    if not any(p.stem == END for p in labels):
        raise SystemExit(NO_END)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        for path in labels:
            zipped.write(path, path.name)


def _import_otter_lightly() -> None:
    """Make otter's submodules importable without running ``otter/__init__.py``.

    That file imports otter's whole API (its exporters pull in nbconvert and its Markdown and HTML filters): 0.97 s
    of a scoring step that needs only the test runner (0.49 s without it, measured by ``bench_assignments.py``'s
    scoring step), paid once per submission since each is scored in a fresh sandbox. The package is registered
    under its own name with its real search path, so ``otter.test_files`` and the rest load from the installed
    otter as usual; only the package's own ``__init__`` is not run. Harmless if otter was imported already.
    """
    import importlib.util

    if "otter" in sys.modules:
        return
    spec = importlib.util.find_spec("otter")
    if spec is None or spec.submodule_search_locations is None:
        return  # not installed as a package: the imports below fail with otter's own error
    package = types.ModuleType("otter")
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    package.__file__ = spec.origin
    sys.modules["otter"] = package


def score(autograder: Path, snapshots: Path) -> dict[str, Any]:
    """Each question's tests (from ``autograder``, extracted here) run on its snapshot: otter's ``results.json``
    (``results``) and its score summary (``summary``)."""
    _import_otter_lightly()
    from otter.nbmeta_config import NBMetadataConfig
    from otter.run.run_autograder.autograder_config import AutograderConfig
    from otter.test_files import GradingResults, create_test_file

    source = Path("/scratch/autograder")
    with zipfile.ZipFile(autograder) as zipped:
        zipped.extractall(source)
    config = json.loads((source / "otter_config.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(snapshots) as zipped:
        taken = {Path(n).stem: n for n in zipped.namelist() if n.endswith(".pkl") and "/" not in n}
        tests = []
        for path in sorted((source / "tests").glob("*.py")):
            label = path.stem if path.stem in taken else END
            values = load_values(zipped.read(taken[label])) if label in taken else {}
            test = create_test_file(str(path), NBMetadataConfig())
            test.run(values)
            tests.append(test)
    results = GradingResults(tests)
    return {"results": results.to_gradescope_dict(AutograderConfig(config)),
            "summary": f"{results.summary()}\n\nTotal Score: {results.total:.3f} / {results.possible:.3f} "
                       f"({results.percent * 100:.3f}%)\n"}


def main(argv: list[str]) -> int:
    """The sandbox's command: ``run NOTEBOOK`` or ``score AUTOGRADER SNAPSHOTS``; the result on standard output,
    which the kernel does not inherit (its own standard output goes to /dev/null; its standard error, like this
    process's, is read by hmbook for the last line only)."""
    channel = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    if argv[:1] == ["run"] and len(argv) == 2:
        buffer = io.BytesIO()
        run_notebook(Path(argv[1]), buffer)
        channel.write(buffer.getvalue())
    elif argv[:1] == ["score"] and len(argv) == 3:
        channel.write(json.dumps(score(Path(argv[1]), Path(argv[2]))).encode("utf-8"))
    else:
        raise SystemExit("usage: sandbox_steps run NOTEBOOK | score AUTOGRADER SNAPSHOTS")
    channel.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
