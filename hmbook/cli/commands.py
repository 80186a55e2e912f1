"""The command line: ``python -m hmbook generate | verify | audit | synth | bounds | corpus | package | assignments |
grade | lab-copies | student-sources``.

Thin by design: argument parsing and error messages only; the work is done by the modules it calls. Every
expected failure is one line on stderr and a non-zero exit status, never a traceback: 2 for bad input or a refused
operation (:class:`~hmbook.errors.DataError`), 130 for Ctrl-C and 143 for SIGTERM (both turned into an exception,
so that a command being interrupted leaves its old files or its new ones, and nothing temporary).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import sys
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

from hmbook import paths
from hmbook.cli import policy
from hmbook.constants import DEFAULT_SEED
from hmbook.data import datapackage, published, respondents
from hmbook.errors import DataError
from hmbook.files import safe_write
from hmbook.methods import audit
from hmbook.qualitative import corpus
from hmbook.replicate import synth, verify

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


_MAX_SEED = 2**64 - 1


def _seed(text: str) -> int:
    """A seed written in ASCII digits (``int`` alone would take " +7 ", "1_000" and an Arabic-Indic seven)."""
    if re.fullmatch(r"-[0-9]+", text):
        raise argparse.ArgumentTypeError(f"seed must not be negative, not {text}")
    if not re.fullmatch(r"[0-9]+", text):
        raise argparse.ArgumentTypeError(f"seed must be a whole number written with digits 0-9, not {text!r}")
    if len(text.lstrip("0")) > 20 or int(text) > _MAX_SEED:
        raise argparse.ArgumentTypeError(f"seed must be at most {_MAX_SEED}")
    return int(text)


def _generate(args) -> int:
    policy.output_dir(args.out)
    df = synth.generate(args.seed)
    (target,) = safe_write.write_outputs(args.out, {"respondents.csv": respondents.to_csv_bytes(df)}, force=args.force)
    print(f"wrote {target} ({len(df)} synthetic respondents, seed {args.seed})")
    return 0


def _verify(args) -> int:
    resp = respondents.read_respondents(args.file)
    text, ok = verify.report(resp)
    print(f"Checking {args.file} against the published figures (the data are synthetic)")
    print(text)
    return 0 if ok else 1


def _audit(args) -> int:
    if args.template:
        if args.figures:
            raise DataError("give either a figures file to audit or --template FILE to write one, not both")
        policy.output_dir(Path(args.template).parent, "--template")  # the folder rules of every writing command
        audit.write_template(args.template)
        print(f"wrote {args.template}: the columns of a figures file and one commented example row")
        return 0
    path = Path(args.figures) if args.figures else paths.FIGURES_CSV
    paths.check(path)
    figs = published.figures(path)
    register = args.register or (paths.ASSUMPTIONS_CSV if not args.figures else None)
    reg = audit.read_register(register) if register else None
    table = audit.conventions(figs)  # which roundings fit: made once, for the checks, the sentence and the report
    findings = audit.audit(figs, reg, args.rounding, table)
    rounding = audit.choose_rounding(figs, args.rounding, table)
    sys.stdout.write(audit.render(findings, table, args.format, str(path), rounding.why))
    return 1 if (findings["status"] == "inconsistent").any() else 0


#: The longest --time-limit takes (a day): beyond it a solve is a mistake, and the solver's clock overflows.
_MAX_TIME_LIMIT = 86_400.0


def _time_limit(text: str) -> float:
    value = _seconds(text)
    if value > _MAX_TIME_LIMIT:
        raise argparse.ArgumentTypeError(f"--time-limit is at most {_MAX_TIME_LIMIT:g} seconds, not {text}")
    return value


#: The most tables --ensemble draws (the draws are kept in memory and written as one file).
_MAX_ENSEMBLE = 10_000
_MAX_SWEEPS = 10_000


def _whole(low: int, high: int):
    def parse(text: str) -> int:
        if not re.fullmatch(r"[0-9]+", text) or not low <= int(text) <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}, not {text!r}")
        return int(text)
    return parse


def _synth(args) -> int:
    # imported here: the solver (scipy.optimize, 0.3 s) and the spec's schema checker are for this command only,
    # and every other command would pay for them at start
    from hmbook.synthesis import spec as study_spec
    from hmbook.synthesis import synthesise

    if args.template:
        if args.figures or args.spec or args.out:
            raise DataError("give either --template FILE to write an empty spec, or FIGURES --spec --out, not both")
        policy.output_dir(Path(args.template).parent, "--template")
        safe_write.write_new(args.template, study_spec.template().encode("utf-8"), "the template")
        print(f"wrote {args.template}: an empty study spec to fill in")
        return 0
    if not (args.figures and args.spec and args.out):
        raise DataError("synth needs a figures file, --spec SPEC and --out DIR (or --template FILE)")
    policy.output_dir(args.out)
    figs = published.figures(args.figures)
    spec = study_spec.read_spec(args.spec)
    result = synthesise.synthesise(figs, spec, args.seed, args.time_limit, args.rounding, args.ensemble or 1,
                                   args.sweeps)
    name = synthesise.file_name(result, bool(args.ensemble))
    files = {name: synthesise.to_csv(result, bool(args.ensemble)),
             "README.txt": synthesise.describe(result, args.figures, args.spec, bool(args.ensemble)).encode("utf-8")}
    safe_write.write_outputs(args.out, files, force=args.force)
    what = (f"{len(result.tables)} SYNTHETIC tables of {len(result.table)} respondents" if args.ensemble else
            f"{len(result.table)} SYNTHETIC respondents")
    print(f"wrote {args.out}/{name} ({what}, seed {args.seed}; {len(result.carried)} figures held, "
          f"{len(result.not_carried)} not carried: see README.txt)")
    return 0


def _bounds(args) -> int:
    from hmbook.synthesis import bounds  # the solver, as for synth
    from hmbook.synthesis import spec as study_spec

    figs = published.figures(args.figures)
    spec = study_spec.read_spec(args.spec)
    result = bounds.cross(figs, spec, args.cross[0], args.cross[1], args.time_limit, args.rounding)
    sys.stdout.write(bounds.render(result, args.figures))
    return 0


def _corpus(args) -> int:
    policy.output_dir(args.out)
    resp = respondents.read_respondents(args.respondents)
    tables = corpus.build(resp, args.seed)
    names = (paths.FREE_TEXT_CSV.name, paths.CODING_REFERENCE_CSV.name, paths.CODING_SECOND_CSV.name)
    files = {n: corpus.to_csv_text(t).encode("utf-8") for n, t in zip(names, tables)}
    safe_write.write_outputs(args.out, files, force=args.force)  # the three files appear together or not at all
    print(f"wrote {', '.join(names)} to {args.out} (SYNTHETIC free text and codings, seed {args.seed})")
    return 0


def _package(args) -> int:
    """Re-hash the data files once each has passed its loader and the respondents pass ``verify``."""
    from hmbook.methods import design
    from hmbook.qualitative import thematic

    checks: list[Callable[[], object]] = [
        published.figures, published.assumptions, published.respondent_facts, design.cherries,
        thematic.read_corpus, thematic.read_codebook,
        partial(thematic.read_coding, paths.CODING_REFERENCE_CSV),
        partial(thematic.read_coding, paths.CODING_SECOND_CSV),
        verify.require]
    print(f"wrote {datapackage.write(checks)}")
    return 0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def _book_dir(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is not a directory")
    return path


def _assignments(args) -> int:
    out = policy.output_dir(args.out)
    from hmbook.course import assign  # imported here: nbformat and otter take seconds, other commands skip them

    names = args.chapter or None
    written = assign.write_assignments(args.book, out, force=args.force, names=names)
    count = sum(1 for p in written if p.parent.name == "student")
    print(f"wrote {count} assignments under {out}: student/ (hand out), instructor/ (solutions), "
          "autograder/ (one zip each, for otter run)")
    return 0


def _grade(args) -> int:
    import tempfile

    from hmbook.course import grade, sandbox, timeouts
    from hmbook.files.locks import output_lock

    # Everything the command will write is checked before anything is graded: the grades CSV (not a folder, not
    # over an existing file without --force, not into the book's sources, the package or the build) and the
    # results folder (new or empty, by the same folder rules); the submissions exist; the autograder is one.
    out = Path(args.out)
    policy.output_dir(out.parent)
    if out.is_dir():
        raise DataError(f"{out}: is a folder; --out names the grades CSV to write")
    if out.exists() and not args.force:
        raise DataError(f"{out}: exists; pass --force to replace it")
    safe_write.refuse_overwrite(out, b"", force=True)  # something there that is not a file is refused even so
    results = Path(args.results) if args.results else None
    if results is not None:
        policy.output_dir(results, "--results")
        grade.check_results_folder(results, resume=args.resume)
    elif args.resume:
        raise DataError("--resume needs --results DIR, the folder of the batch to resume")
    feedback_dir = Path(args.feedback) if args.feedback else None
    note = ""
    if feedback_dir is not None:
        from hmbook.course import content_notes

        policy.output_dir(feedback_dir, "--feedback")
        if feedback_dir.is_dir() and any(feedback_dir.iterdir()) and not args.force:
            raise DataError(f"{feedback_dir}: exists and is not empty; pass --force to replace the feedback in it")
        note = content_notes.content_note()
    submissions = grade.find_submissions(args.submissions)
    grade.check_submissions(submissions)
    autograder = Path(args.autograder)
    _, assignment = grade.assignment_of(autograder)
    if not args.unsafe_no_sandbox:
        sandbox.check_available()
    timeout = args.timeout or timeouts.GRADE_TIMEOUT
    with contextlib.ExitStack() as stack:
        if results is not None:
            results.mkdir(parents=True, exist_ok=True)
            stack.enter_context(output_lock(results))  # one batch at a time writes into it
        work = None if results is not None else Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="hmbook-grade-")))
        jobs = args.jobs or grade.default_jobs()
        bar = stack.enter_context(_progress_bar(len(submissions))) if sys.stderr.isatty() else None
        done: dict[str, grade.Graded] = {}

        def progress(name: str, graded: grade.Graded, seconds: float) -> None:
            done[name] = graded
            if bar is not None:
                bar(name, graded, seconds)

        table = grade.grade(autograder, submissions, results, timeout, sandboxed=not args.unsafe_no_sandbox,
                            workdir=work, jobs=jobs, progress=progress, resume=args.resume)
    data = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if feedback_dir is not None:
        from hmbook.course import feedback

        safe_write.write_outputs(feedback_dir, {
            feedback.file_name(row): feedback.render(row, assignment, done[row], note).encode("utf-8")
            for row in table["submission"]}, force=True)
    safe_write.write_outputs(out.parent, {out.name: data}, force=True)
    bad = int((table["note"] != "").sum())
    print(f"graded {len(table)} submissions with {autograder.name}; wrote {out}"
          + (f" ({bad} not graded in full: see its note column)" if bad else "")
          + (f", and a feedback file for each under {feedback_dir}" if feedback_dir is not None else ""))
    return 0


def _gradebook(args) -> int:
    from hmbook.course import gradebook

    out = Path(args.out)
    policy.output_dir(out.parent)
    if out.is_dir():
        raise DataError(f"{out}: is a folder; --out names the gradebook CSV to write")
    if out.resolve() in {Path(g).resolve() for g in args.grades}:
        raise DataError(f"{out}: is one of the grades CSVs read; write the gradebook elsewhere")
    book = gradebook.join(args.grades)
    data = book.to_csv(index=False, lineterminator="\n").encode("utf-8")
    safe_write.write_outputs(out.parent, {out.name: data}, force=args.force)
    print(f"wrote {out}: {len(book)} students, {len(book.columns) - 4} chapters")
    return 0


@contextlib.contextmanager
def _progress_bar(total: int):
    """A progress bar on the terminal (rich), with a line for each submission as it is graded."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from hmbook.course import grade

    with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True)) as bar:
        task = bar.add_task("grading", total=total)

        def tick(name: str, graded: grade.Graded, seconds: float) -> None:
            bar.console.print(grade.log_line(name, graded, seconds), markup=False, highlight=False)
            bar.advance(task)

        yield tick


def _jobs(text: str) -> int:
    from hmbook.course.sandbox import MAX_SLOTS

    if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= MAX_SLOTS:
        raise argparse.ArgumentTypeError(f"--jobs must be a whole number from 1 to {MAX_SLOTS}, not {text!r}")
    return int(text)


def _grade_timeout(text: str) -> float:
    value = _seconds(text)
    from hmbook.course.grade import MAX_TIMEOUT

    if value > MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"--timeout is at most {MAX_TIMEOUT:g} seconds, not {text}")
    return value


def _lab_copies(args) -> int:
    from hmbook.course import lab

    out = policy.output_dir(args.out)
    written = lab.write_lab_copies(args.book, out, force=args.force)
    print(f"wrote {len(written)} readable notebooks to {args.out} (open them in JupyterLab)")
    return 0


def _student_sources(args) -> int:
    out = policy.output_dir(args.out, whole=True)
    build = paths.ROOT / "_build"
    if not out.resolve().is_relative_to(build) or out.resolve() == build:
        raise DataError(f"{args.out}: the student tree is replaced wholesale, so it must be a folder inside _build/")
    from hmbook.course import editions

    editions.write_student_sources(paths.ROOT, out, executed=args.executed)
    print(f"wrote the student edition's sources (solutions removed) to {args.out}")
    return 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised as an exception so that clean-up code runs (the default action would just stop)."""


def _terminate(signum, frame):
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="hmbook", description="Replicate Haris et al. (2022) from synthetic data.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    gen = sub.add_parser("generate", help="write a synthetic respondents.csv")
    gen.add_argument("--seed", type=_seed, default=DEFAULT_SEED,
                     help=f"random seed (default {DEFAULT_SEED}, which gives the committed file)")
    gen.add_argument("--out", required=True, help="directory to write respondents.csv into")
    gen.add_argument("--force", action="store_true", help="replace an existing, different respondents.csv")
    gen.set_defaults(run=_generate)
    ver = sub.add_parser("verify", help="check a respondents CSV against every published figure")
    ver.add_argument("file", help="the CSV to check (it is only read)")
    ver.set_defaults(run=_verify)
    aud = sub.add_parser("audit", help="check a figures file's percentages, means, sums and cross-references")
    aud.add_argument("figures", nargs="?", help="a CSV with the columns of figures.csv (default: the paper's)")
    aud.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    aud.add_argument("--register", help="an assumption register to link findings to (default: the paper's, "
                                        "when auditing the paper's figures)")
    aud.add_argument("--rounding", choices=tuple(audit.ROUNDING_CHOICES), default="auto",
                     help="how the paper rounded: auto (inferred from rows printing count, denominator and "
                          "percentage; round to nearest if none), nearest, half-up, half-even, half-down, truncate "
                          "(always down), ceiling (always up) or any")
    aud.add_argument("--template", metavar="FILE", help="write an empty figures file (the columns and one "
                                                        "commented example row) to FILE, a new file, and stop")
    aud.set_defaults(run=_audit)
    syn = sub.add_parser("synth", help="a SYNTHETIC respondent table that holds every figure of any paper's "
                                       "figures file, from a study spec (solved exactly)")
    syn.add_argument("figures", nargs="?", help="a figures file (the columns of figures.csv, as for audit)")
    syn.add_argument("--spec", help="the study spec (YAML): the variables behind the figures")
    syn.add_argument("--out", help="directory to write synthetic_respondents.csv and README.txt into")
    syn.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    syn.add_argument("--time-limit", type=_time_limit, default=60.0, metavar="SECONDS",
                     help="the longest each solve may take (default 60)")
    syn.add_argument("--rounding", choices=tuple(audit.ROUNDING_CHOICES), default="auto",
                     help="how the paper rounded (default: as the audit infers it)")
    syn.add_argument("--ensemble", type=_whole(1, _MAX_ENSEMBLE), metavar="K",
                     help=f"draw K tables (at most {_MAX_ENSEMBLE}) into synthetic_ensemble.csv, with a draw column")
    syn.add_argument("--sweeps", type=_whole(1, _MAX_SWEEPS), default=20,
                     help="sweeps of the chain before a table is taken (default 20; see the README)")
    syn.add_argument("--force", action="store_true", help="replace existing, different files in --out")
    syn.add_argument("--template", metavar="FILE", help="write an empty study spec to FILE, a new file, and stop")
    syn.set_defaults(run=_synth)
    bnd = sub.add_parser("bounds", help="the fewest and most respondents in each cell of a cross-tabulation the "
                                        "paper never printed, over every table that holds its figures (exact)")
    bnd.add_argument("figures", help="a figures file (the columns of figures.csv, as for audit)")
    bnd.add_argument("--spec", required=True, help="the study spec (YAML): the variables behind the figures")
    bnd.add_argument("--cross", nargs=2, metavar=("A", "B"), required=True, help="two variables of the spec")
    bnd.add_argument("--time-limit", type=_time_limit, default=60.0, metavar="SECONDS",
                     help="the longest each solve may take (default 60)")
    bnd.add_argument("--rounding", choices=tuple(audit.ROUNDING_CHOICES), default="auto",
                     help="how the paper rounded (default: as the audit infers it)")
    bnd.set_defaults(run=_bounds)
    cor = sub.add_parser("corpus", help="write the synthetic free-text corpus and its two codings")
    cor.add_argument("--seed", type=_seed, default=DEFAULT_SEED,
                     help=f"random seed (default {DEFAULT_SEED}, which gives the committed files)")
    cor.add_argument("--respondents", default=str(paths.RESPONDENTS_CSV), help="the respondents CSV to write for")
    cor.add_argument("--out", default=str(paths.FREE_TEXT_CSV.parent), help="directory to write into")
    cor.add_argument("--force", action="store_true", help="replace existing, different files")
    cor.set_defaults(run=_corpus)
    pkg = sub.add_parser("package", help="rewrite data/datapackage.json (schemas and sha256 of the data files)")
    pkg.set_defaults(run=_package)
    asg = sub.add_parser("assignments", help="write otter-grader hand-outs: OUT/student, OUT/instructor, "
                                             "OUT/autograder")
    asg.add_argument("--book", type=_book_dir, default=paths.ROOT / "book", help="folder of source notebooks")
    asg.add_argument("--out", required=True, help="directory to write into, eg dist")
    asg.add_argument("--chapter", action="append", metavar="NAME",
                     help="only this chapter (a notebook name without .ipynb); repeat for more")
    asg.add_argument("--force", action="store_true",
                     help="replace hand-outs that differ from the new ones (a student's or instructor's edits are "
                          "lost)")
    asg.set_defaults(run=_assignments)
    grd = sub.add_parser("grade", help="grade submitted notebooks with otter's tests, each in a bubblewrap "
                                       "sandbox; write a grades CSV")
    grd.add_argument("submissions", nargs="+", help="submitted notebooks, or folders of them (searched recursively)")
    grd.add_argument("--autograder", required=True, help="the assignment's zip, eg dist/autograder/NAME.zip")
    grd.add_argument("--out", required=True, help="the grades CSV to write")
    grd.add_argument("--results", help="an empty folder to keep each submission's results.json (feedback) in")
    grd.add_argument("--force", action="store_true", help="replace an existing grades CSV (and feedback files)")
    grd.add_argument("--timeout", type=_grade_timeout, default=None, metavar="SECONDS",
                     help="stop grading a submission after this long; its row scores nothing and says why "
                          "(default 600)")
    grd.add_argument("--resume", action="store_true",
                     help="add to a --results folder an earlier batch wrote, keeping each result whose submission "
                          "and autograder are unchanged (an interrupted batch grades only what is left)")
    grd.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                     help="grade N submissions at once, each in its own sandbox (default: one per core)")
    grd.add_argument("--unsafe-no-sandbox", action="store_true",
                     help="grade without the bubblewrap sandbox, as otter run does: every submission's code runs as "
                          "you, with your files and the hidden tests in its reach (only for code you trust)")
    grd.add_argument("--feedback", metavar="DIR",
                     help="write a feedback file a student can be given for each submission (scores, the public "
                          "tests' output, never the hidden tests) into DIR, new or empty unless --force")
    grd.set_defaults(run=_grade)
    gbk = sub.add_parser("gradebook", help="join the grades CSVs of several chapters into one row per student")
    gbk.add_argument("grades", nargs="+", help="grades CSVs written by hmbook grade --out, one per chapter")
    gbk.add_argument("--out", required=True, help="the gradebook CSV to write")
    gbk.add_argument("--force", action="store_true", help="replace an existing gradebook CSV")
    gbk.set_defaults(run=_gradebook)
    lcp = sub.add_parser("lab-copies", help="readable copies of the chapters for JupyterLab (glued values pasted in)")
    lcp.add_argument("--book", type=_book_dir, default=paths.ROOT / "book", help="folder of source notebooks")
    lcp.add_argument("--out", required=True, help="directory to write into, eg lab")
    lcp.add_argument("--force", action="store_true", help="replace copies that were changed (their edits are lost)")
    lcp.set_defaults(run=_lab_copies)
    stu = sub.add_parser("student-sources", help="write the book's sources without solutions (for make student)")
    stu.add_argument("--out", required=True, help="a directory under _build/ (replaced as a whole, if this command "
                                                   "made it)")
    stu.add_argument("--executed", metavar="DIR", help="take each notebook, with its outputs, from its executed copy "
                                                       "DIR/book/NAME.ipynb (tools/execute_book.py writes them), and "
                                                       "switch execution off in the student build")
    stu.set_defaults(run=_student_sources)
    args = parser.parse_args(argv)
    main_thread = threading.current_thread() is threading.main_thread()  # only it may set a signal handler
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        return args.run(args)
    except (DataError, OSError) as err:  # every expected failure (ExerciseFormatError too) is a DataError
        if isinstance(err, OSError) and err.strerror:
            msg = f"{getattr(err, 'filename', '') or ''} {err.strerror}"
        else:
            msg = str(err)
        print(f"hmbook {args.command}: error: {msg.strip()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as err:
        status = 128 + (signal.SIGTERM if isinstance(err, _Terminated) else signal.SIGINT)
        print(f"hmbook {args.command}: interrupted (no file is left half-written)", file=sys.stderr)
        return status
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
