# hmbook: two commands on a fresh machine (Python 3.11, make, git).
#   make book   set up .venv and build the HTML site into _build/html (warnings are errors)
#   make test   set up .venv and run the whole test suite (a clean strict build included)
#   make check CHAPTER=NAME  one chapter's checks only (after a make book or make test): its execution, nbval,
#                     site page, graded submissions and hand-out in JupyterLab
#   make costs  after a make test: record each test group's seconds (tests/support/costs.json)
#   make student      build the student edition (no solutions anywhere) into _build/student/_build/html
#   make assignments  otter-grader hand-outs: dist/student (hand out), dist/instructor, dist/autograder (zips);
#                     it stops, changing nothing, if a hand-out there was edited since it was written
#   make assignments-replace  the same, but replaces edited hand-outs (their edits are lost): only when you mean it
#   make lab    open JupyterLab on readable copies of the chapters (lab/)
#   make clean  remove build outputs (keeps .venv)
#   make taguette  the separate venv for Taguette (its pins clash with ours); `make test` builds it too
#   make setup  only create .venv: the locked packages (requirements.lock, hash-checked), then hmbook editable
#   make lock   re-resolve requirements.lock and requirements-taguette.lock (hashes) after changing a requirements file

# The interpreter to make the venvs with, looked up on PATH without this checkout's own venvs: make run by a test
# (whose PATH starts with .venv/bin) once re-made .venv with the venv's own python, which points it at another
# Python's standard library.
PYTHON ?= $(shell PATH="$$(printf %s "$$PATH" | tr : '\n' | grep -v '^$(CURDIR)/\.venv' | paste -sd: -)"; \
                  command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TVENV  := .venv-taguette
TSTAMP := $(TVENV)/.installed
JB     := $(BIN)/jupyter-book build . -W -n --keep-going
VENDOR := _vendor/.stamp

# Every notebook is executed once, on every core, into the build's cache (tools/execute_book.py); Jupyter Book then
# renders from that cache, and the executed copies in _build/executed serve the student edition and nbval.
EXECUTE  := $(BIN)/python tools/execute_book.py
EXECUTED := _build/executed

# The student edition is built from a copy of the executed notebooks with every solution removed (hmbook
# student-sources), so no solution reaches its HTML, its _sources/ downloads or its jupyter_execute/ notebooks;
# it is not executed again (tests/test_student_edition.py checks its outputs against a run without solutions).
STUDENT_SRC := _build/student-src
STUDENT_OUT := _build/student
STUDENT_SOURCES := $(BIN)/python -m hmbook student-sources --out $(STUDENT_SRC) --executed $(EXECUTED)
STUDENT_JB      := $(BIN)/jupyter-book build $(STUDENT_SRC) --path-output $(STUDENT_OUT) -W -n --keep-going
# make test and make check build the two sites side by side (each build is one process, on one core); the student
# edition's output goes to this log, printed after the site's, so the two builds' lines do not interleave.
STUDENT_LOG     := _build/student-build.log
BOTH_SITES      := sh -c '$(STUDENT_SOURCES) > $(STUDENT_LOG) 2>&1 && $(STUDENT_JB) >> $(STUDENT_LOG) 2>&1 & \
  student=$$!; $(JB); site=$$?; wait $$student; edition=$$?; \
  echo "--- the student edition (built side by side with the site; its output, also in $(STUDENT_LOG)):"; \
  cat $(STUDENT_LOG); test $$site -eq 0 && test $$edition -eq 0'

# make test: the suite on every core (pytest-xdist; tests/support/parallel.py keeps a notebook, a server or a
# browser in one worker), nbval reading the build's execution, and a summary of where the time went.
# One worker more than the cores: much of a worker's time is spent waiting on a browser, a kernel or a server (in
# a make test on the 2-core reference machine with a worker per core, 1.3 of the 2 cores were busy), and a third
# worker fills that (pytest 276 s, where two took 302 s for fewer tests: benchmarks/README.md).
WORKERS := $(shell expr $$(nproc) + 1)
TIMINGS := _build/timings.jsonl
TIMED   := $(BIN)/python tools/timings.py run $(TIMINGS)
PYTEST_FAST := -n $(WORKERS) --dist loadgroup --no-loadscope-reorder --nbval-executed $(EXECUTED) --timings $(TIMINGS)

.PHONY: book student assignments assignments-replace test costs check background-build lab clean distclean setup taguette vendor lock system-deps

setup: $(STAMP)

# Everything comes from the lock (exact versions and sha256 of every package, pip and setuptools included), then
# hmbook itself in editable mode, built with the locked setuptools. The lock is already resolved (by uv, make lock),
# so pip installs it as it is (--no-deps: the pip a new venv starts with, 23.2 on Python 3.11, otherwise
# re-resolves jupyter-events' jsonschema[format-nongpl] and refuses the lock), and `pip check` then confirms that
# every requirement of every package is met. setuptools' editable build warns, whatever the mode, that a folder named
# like the package may take precedence over it (nothing a newcomer can act on: hmbook/ is the package itself), so
# that one step ignores its UserWarnings. JupyterLab's settings overrides (tools/jupyterlab-overrides.json) go
# into the venv: no pop-up asking to fetch the Jupyter news feed, and no update check (the lab works offline).
$(STAMP): requirements.lock pyproject.toml tools/jupyterlab-overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "hmbook needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip check
	PYTHONWARNINGS=ignore::UserWarning $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp tools/jupyterlab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(STAMP)

# Taguette (tests/test_taguette.py) pins chardet<6, frictionless needs chardet>=6: a venv of its own.
taguette: $(TSTAMP)

$(TSTAMP): requirements-taguette.lock
	$(PYTHON) -m venv $(TVENV)
	$(TVENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-taguette.lock
	$(TVENV)/bin/python -m pip check
	touch $(TSTAMP)

# The locks: every package of each venv at an exact version with the sha256 of its files, resolved by uv for this
# Python (3.11) on this platform from the pins in the requirements files. An existing lock's versions are kept where
# the requirements allow (so a lock stays what the tests ran with); `make lock LOCKFLAGS=--upgrade` takes the newest.
LOCKVENV := .venv-lock
UV_PIN   := uv==0.13.9
LOCKFLAGS ?=
UV := $(LOCKVENV)/bin/uv pip compile --quiet --generate-hashes --python $(PYTHON) --custom-compile-command 'make lock' $(LOCKFLAGS)

lock:
	test -x $(LOCKVENV)/bin/uv || { $(PYTHON) -m venv $(LOCKVENV) && $(LOCKVENV)/bin/python -m pip install --quiet $(UV_PIN); }
	$(UV) requirements.txt -o requirements.lock
	$(UV) requirements-taguette.txt -o requirements-taguette.lock

# MathJax and the widget embed script, from the npm registry at pinned versions (book_site/vendor.sh): the site loads
# nothing from a CDN.
vendor: $(VENDOR)

$(VENDOR): book_site/vendor.sh
	@tools/system_deps.sh npm
	book_site/vendor.sh _vendor

book: $(STAMP) $(VENDOR)
	$(EXECUTE)
	$(JB)
	@echo "The site is in _build/html/index.html"

student: $(STAMP) $(VENDOR)
	$(EXECUTE)
	$(STUDENT_SOURCES)
	$(STUDENT_JB)
	@echo "The student site is in $(STUDENT_OUT)/_build/html/index.html"

assignments: $(STAMP)
	@tools/system_deps.sh bubblewrap
	$(BIN)/python -m hmbook assignments --out dist
	@echo "Hand out dist/student/*.ipynb; keep dist/instructor and dist/autograder (grade with hmbook grade)"

# Never part of another target: replacing a hand-out someone has edited loses their edits.
assignments-replace: $(STAMP)
	$(BIN)/python -m hmbook assignments --out dist --force

# Chromium and bubblewrap first, before the venvs: without them the browser tests and the graded submissions (each
# in a bwrap sandbox) cannot pass, so make test installs them (root with apt-get) or stops in its first second with
# one line saying what to install (tools/system_deps.sh).
system-deps:
	@tools/system_deps.sh chromium bubblewrap

test: system-deps $(STAMP) $(TSTAMP) $(VENDOR)
	rm -rf _build
	$(TIMED) "execute the notebooks (all cores)" -- $(EXECUTE)
	$(TIMED) "build both editions (side by side)" -- $(BOTH_SITES)
	$(TIMED) "pytest (all cores)" -- $(BIN)/python -m pytest $(PYTEST_FAST); status=$$?; \
	  $(BIN)/python tools/timings.py summary $(TIMINGS); exit $$status

# make check runs the execution and the builds in the background, in a session of their own (stopped with
# everything they started when make check is interrupted: a background job of a non-interactive shell ignores the
# terminal's Ctrl-C), their output in BUILD_LOG, while pytest starts and runs the checks that read only the book's
# sources (grading, the hand-out in JupyterLab); the others wait for BUILT, which the job writes when it ends,
# holding its exit status (tests/support/built_beside.py). A failed execution or build fails the run. make test
# does not: its execution keeps both cores busy already, and pytest beside it took longer (335 s against 315 s).
BUILT     := _build/built
BUILD_LOG := _build/build.log
BESIDE    = setsid sh -c '$(MAKE) --no-print-directory background-build CHAPTER=$(CHAPTER) AGAIN=$(AGAIN) \
  > $(BUILD_LOG) 2>&1; echo $$? > $(BUILT).part; mv $(BUILT).part $(BUILT)' & build=$$!; \
  trap 'kill -TERM -$$build 2>/dev/null; exit 130' INT TERM
BUILT_OK  = wait $$build; if [ "$$(cat $(BUILT) 2>/dev/null)" != 0 ]; then cat $(BUILD_LOG); \
  echo "make $@: the execution or a build failed (its output above, also in $(BUILD_LOG))" >&2; exit 1; fi

# make check's background job (not for use on its own).
background-build:
	$(EXECUTE) $(if $(AGAIN),--again book/$(CHAPTER).ipynb)
	@$(BOTH_SITES)

# One chapter's loop, for a person editing it: make check CHAPTER=table2_techniques executes what changed (the
# other chapters come from the cache of the last make book or make test), rebuilds both editions from the cache
# (side by side, as make test does: the checks compare the hand-out's run with the student edition), and runs
# that chapter's checks only (pytest --chapter): nbval, its page in a browser, its graded submissions, its
# hand-out in JupyterLab, with the execution and the builds beside pytest (BESIDE, above). AGAIN=1 executes the
# chapter even if unchanged (benchmarks/bench_test.py uses it).
check: system-deps $(STAMP) $(VENDOR)
	@test -f "book/$(CHAPTER).ipynb" || { echo "make check: no chapter book/$(CHAPTER).ipynb; name one, eg make check CHAPTER=table2_techniques" >&2; exit 2; }
	@mkdir -p _build && rm -f $(BUILT) $(BUILT).part
	@echo "make check: executing book/$(CHAPTER).ipynb and building both editions beside pytest (output in $(BUILD_LOG))"
	@$(BESIDE); \
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadgroup --no-loadscope-reorder --nbval-executed $(EXECUTED) \
	  --built-by $(BUILT) --chapter $(CHAPTER) tests book/$(CHAPTER).ipynb; status=$$?; \
	$(BUILT_OK); exit $$status

# After a make test: each test group's measured seconds into tests/support/costs.json, by which make test starts
# the heaviest groups first (commit the file when the suite's shape has changed).
costs:
	$(BIN)/python tools/timings.py costs $(TIMINGS) tests/support/costs.json

# JupyterLab on readable copies of the chapters (lab/, git-ignored): glued numbers and tables pasted in, MyST
# rewritten. A copy you have edited is never replaced: rename it, or delete it to get a fresh one.
lab: $(STAMP)
	$(BIN)/python -m hmbook lab-copies --out lab
	$(BIN)/jupyter lab --notebook-dir=. --ServerApp.default_url=/lab/tree/lab $(if $(filter 0,$(shell id -u)),--allow-root,)

clean:
	rm -rf _build dist .pytest_cache

distclean: clean
	rm -rf $(VENV) $(TVENV) $(LOCKVENV) _vendor
