"""A study spec: the respondent-level variables behind a figures file, read from YAML and checked.

The spec's format is a JSON Schema (``spec.schema.json`` beside this module; ``data/README.md`` describes it in
words): the number of respondents, the variables (a category with its levels, a yes/no item, a whole number in a
range, or a multi-answer set of yes/no options), who is asked each one and whether those asked may leave it
unanswered, the groups that figures are printed for (each a condition on variables, such as ``used_hm: true``),
facts pinned to numbered respondents (listed, or read from a CSV beside the spec), rules that hold for every
respondent (a combination no one has, a block of questions skipped together, a linear plausibility rule), how a
figure is read where the paper's own reading differs from the audit's default, and the figures no respondent table
can carry (with the reason). The checks the schema cannot make (a condition naming an unknown variable or level,
two variables of one name) are made here; every problem is one :class:`~hmbook.errors.DataError` line naming the
file and the place in it.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import yaml

from hmbook.errors import DataError
from hmbook.files import reading

__all__ = ["SPEC_VERSION", "MAX_RESPONDENTS", "MAX_VALUES", "MAX_COMBINATIONS", "Variable", "Rule", "Reading", "Spec",
           "read_spec", "template"]

SPEC_VERSION = "hmbook-study-spec/1"
#: The most respondents a spec may have (the schema's cap; the solver's work grows with it).
MAX_RESPONDENTS = 100_000
#: The most values a whole-number variable may take (high - low + 1).
MAX_VALUES = 1000
#: The most combinations of levels a linear rule may span (the product of its variables' levels).
MAX_COMBINATIONS = 100_000
_MAX_BYTES = 1_000_000
_MAX_PIN_ROWS = 10_000
_SCHEMA = Path(__file__).with_name("spec.schema.json")
YES, NO = "Yes", "No"


@dataclass(frozen=True)
class Variable:
    """One column of the respondent table: its levels as the figures file writes them (``Yes``/``No`` for a yes/no
    item, the numbers for a whole number), who is asked it (a condition; empty: everyone) and whether those asked
    may leave it unanswered."""

    name: str
    kind: str  # category | yesno | whole
    levels: tuple[str, ...]
    asked: tuple[tuple[str, str], ...] = ()
    may_skip: bool = False
    printed: bool = True  # False: no figure prints this category's levels (left to the draw)

    def level_of(self, value: object) -> str | None:
        """The level a condition's or pin's ``value`` names (``true`` is ``Yes``), or None if it names none."""
        if self.kind == "yesno":
            text = {True: YES, False: NO}.get(value, str(value)) if isinstance(value, bool) else str(value)
            text = {"true": YES, "false": NO}.get(text.lower(), text)
        else:
            text = str(value)
        return text if text in self.levels else None


@dataclass(frozen=True)
class Rule:
    """A rule every respondent keeps, checked: ``never`` (no one matches every (variable, levels) of one of
    ``forbidden``: a linear rule is written as the combinations it forbids), ``skip_together`` (``variables``: a
    respondent answers all of those they are asked, or none) or ``skip_implies`` (whoever is asked ``variables[0]``
    and skips it skips each of the others they are asked)."""

    id: str
    kind: str  # never | skip_together | skip_implies
    variables: tuple[str, ...] = ()
    forbidden: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = ()


@dataclass(frozen=True)
class Reading:
    """How one figure is read where the audit's default is not the paper's: the variable and level it counts, what
    its printed denominator counts (``answered``: those of the group who answered; ``group``: the group) and what its
    percentage is of (``printed``: the audit's rule; ``answered``; ``group``; ``not_carried``: people the table does
    not hold, such as everyone who consented, so only the count is carried)."""

    variable: str | None = None
    level: str | None = None
    denominator: str = "answered"
    percent: str = "printed"


@dataclass(frozen=True)
class Spec:
    """A study spec, checked: see the module."""

    path: str
    respondents: int | str  # a number, or the figure id that prints it
    variables: tuple[Variable, ...]
    groups: dict[str, tuple[tuple[str, str], ...]]
    sets: tuple[tuple[str, tuple[str, ...], int, int | None], ...]  # (name, options, fewest, most chosen)
    pins: tuple[tuple[int, str, str], ...]  # (respondent, variable, level)
    not_carried: dict[str, str]
    rules: tuple[Rule, ...] = ()
    read: dict[str, Reading] = field(default_factory=dict)

    def variable(self, name: str) -> Variable:
        return next(v for v in self.variables if v.name == name)

    @property
    def names(self) -> set[str]:
        return {v.name for v in self.variables}


def template() -> str:
    """An empty spec to fill in, with one example of each kind of variable, commented out."""
    return f"""\
# hmbook study spec: the respondent-level variables behind a figures file (see data/README.md).
# Fill in the variables, uncomment what you need, then run: python -m hmbook synth FIGURES --spec THIS --out DIR
spec: {SPEC_VERSION}
respondents: 1      # the number of respondents, or the figure id of the row that prints it (say t1_n)
variables: []
#  - name: gender              # the figures file's variable
#    kind: category
#    levels: [Female, Male]    # the figures file's levels, as printed
#  - name: used_hm
#    kind: yesno               # levels Yes and No
#  - name: years_in_role
#    kind: whole               # a whole number; figures may print bands (3-5, 2 or less, 21 or more)
#    low: 0
#    high: 40
#  - name: techniques
#    kind: multi               # a set: one yes/no column per option, each a variable of the figures file
#    options: [tech_ice, tech_rubber_bands]
#    asked: {{used_hm: true}}     # only those who match are asked (default: everyone)
#    may_skip: true            # those asked may leave it unanswered (default: false)
# groups:                      # every group of the figures file other than all, as a condition
#   users: {{used_hm: true}}
# pins:                        # facts about numbered respondents
#   - {{respondent: 3, variable: used_hm, value: true}}
# pins_from: facts.csv         # more pins: a CSV beside this file (respondent_id, variable, value columns)
# rules:                       # what holds for every respondent (an id each, to name it in errors)
#   - {{id: gp_nhs, never: {{occupation: General practitioner, organisation: [Private, Other]}}}}
#   - {{id: block, skip_together: [trained, local_guidelines]}}   # answered all, or none
#   - {{id: nested, if_skipped: trained, also_skipped: [confidence]}}
#   - id: years_fit_age        # years_in_role - (top of the age band) <= -20
#     linear: {{years_in_role: 1, age_group: -1}}
#     at_most: -20
#     values: {{age_group: {{20-29: 29, 30-39: 39}}}}
# read:                        # where a figure is not read as the audit reads it
#   conf_confident: {{denominator: group, percent: answered}}
# not_carried:                 # figures no respondent table holds, and why
#   design_questions: a fact about the questionnaire
"""


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: a spec has no use for them, and a few lines of nested aliases can
    stand for billions of nodes (a "billion laughs" file) that every later step would walk."""

    def compose_node(self, parent: object, index: object) -> object:
        if self.check_event(yaml.AliasEvent):
            raise DataError("not a study spec: it uses a YAML alias (*name), which a spec may not")
        return super().compose_node(parent, index)


def read_spec(path: str | Path) -> Spec:
    """Read and check a study spec; one-line :class:`DataError` on anything wrong with it."""
    path = Path(path)
    text = reading.read_text(path, kind="a study spec", max_bytes=_MAX_BYTES)
    try:
        raw = yaml.load(text, Loader=_Loader)  # a safe loader, with aliases refused
    except RecursionError:
        raise DataError(f"{path}: nested too deeply to be a study spec") from None
    except DataError as err:  # an alias, refused by the loader
        raise DataError(f"{path}: {err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DataError(f"{path}: not YAML{where} ({getattr(err, 'problem', None) or 'unreadable'})") from None
    if not isinstance(raw, dict) or "spec" not in raw:
        raise DataError(f"{path}: not a study spec (it has no 'spec: {SPEC_VERSION}' line)")
    schema = json.loads(_SCHEMA.read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(raw))
    if error is not None:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        raise DataError(f"{path}: {where or 'the spec'}: {error.message}")
    return _checked(raw, str(path), path.parent)


def _pins_from(folder: Path, name: str, where: str) -> list[dict]:
    """The pins of a facts CSV beside the spec (``respondent_id``, ``variable``, ``value``), as pin dicts."""
    target = folder / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise DataError(f"{where}: pins_from must name a file beside the spec or in a folder below it")
    rows = reading.read_table(target, kind="a facts file", columns=("respondent_id", "variable", "value"),
                              max_rows=_MAX_PIN_ROWS, extra=True)
    out = []
    for i, r in enumerate(rows.itertuples(index=False), start=2):
        if not r.respondent_id.isdigit() or int(r.respondent_id) < 1:
            raise DataError(f"{target}: line {i}: respondent_id {r.respondent_id!r} is not a whole number from 1")
        out.append({"respondent": int(r.respondent_id), "variable": r.variable, "value": r.value,
                    "_where": f"{target}: line {i}"})
    return out


def _checked(raw: dict, name: str, folder: Path | None = None) -> Spec:
    variables: list[Variable] = []
    sets = []
    for i, v in enumerate(raw["variables"]):
        where = f"{name}: variables[{i}] ({v['name']})"
        extra = {"category": {"levels"}, "yesno": set(), "whole": {"low", "high"}, "multi": {"options"}}[v["kind"]]
        allowed = extra | {"name", "kind", "asked", "may_skip"} | ({"min_chosen", "max_chosen"} if v["kind"] ==
                                                                 "multi" else set()) | (
            {"printed"} if v["kind"] == "category" else set())
        if missing := sorted(extra - set(v)):
            raise DataError(f"{where}: a {v['kind']} variable needs {', '.join(missing)}")
        if stray := sorted(set(v) - allowed):
            raise DataError(f"{where}: a {v['kind']} variable has no {', '.join(stray)}")
        asked = tuple((str(k), val) for k, val in (v.get("asked") or {}).items())
        skip = bool(v.get("may_skip", False))
        if v["kind"] == "category":
            variables.append(Variable(v["name"], "category", tuple(v["levels"]), asked, skip,
                                      bool(v.get("printed", True))))
        elif v["kind"] == "yesno":
            variables.append(Variable(v["name"], "yesno", (YES, NO), asked, skip))
        elif v["kind"] == "whole":
            low, high = v["low"], v["high"]
            if not low <= high or high - low + 1 > MAX_VALUES:
                raise DataError(f"{where}: low {low} and high {high} must give 1 to {MAX_VALUES} values")
            variables.append(Variable(v["name"], "whole", tuple(str(k) for k in range(low, high + 1)), asked, skip))
        else:
            options = tuple(v["options"])
            fewest, most = v.get("min_chosen", 0), v.get("max_chosen")
            if most is not None and (most < fewest or most > len(options)):
                raise DataError(f"{where}: max_chosen {most} must be at least min_chosen {fewest} and at most "
                                f"the {len(options)} options")
            variables += [Variable(o, "yesno", (YES, NO), asked, skip) for o in options]
            sets.append((v["name"], options, fewest, most))
    seen: set[str] = set()
    for v in variables:
        if v.name in seen:
            raise DataError(f"{name}: the variable {v.name!r} is declared twice")
        seen.add(v.name)
    by_name = {v.name: v for v in variables}

    def condition(pairs, where: str) -> tuple[tuple[str, str], ...]:
        out = []
        for var, value in pairs:
            if var not in by_name:
                raise DataError(f"{where}: no variable {var!r} in the spec")
            level = by_name[var].level_of(value)
            if level is None:
                raise DataError(f"{where}: {value!r} is not a value of {var} ({', '.join(by_name[var].levels[:6])}"
                                f"{', ...' if len(by_name[var].levels) > 6 else ''})")
            out.append((var, level))
        return tuple(out)

    variables = [Variable(v.name, v.kind, v.levels, condition(v.asked, f"{name}: {v.name}.asked"), v.may_skip,
                          v.printed) for v in variables]
    for v in variables:
        if any(var == v.name for var, _ in v.asked):
            raise DataError(f"{name}: {v.name}.asked depends on {v.name} itself")
    groups = {}
    for g, cond in (raw.get("groups") or {}).items():
        if g == "all":
            raise DataError(f"{name}: groups.all: the group of every respondent is built in; give it no condition")
        groups[g] = condition(tuple(cond.items()), f"{name}: groups.{g}")
    listed = [dict(p, _where=f"{name}: pins[{i}]") for i, p in enumerate(raw.get("pins") or [])]
    if "pins_from" in raw:
        listed += _pins_from(folder or Path("."), raw["pins_from"], f"{name}: pins_from")
    pins: list[tuple[int, str, str]] = []
    fixed: dict[tuple[int, str], str] = {}
    for p in listed:
        ((_, level),) = condition(((p["variable"], p["value"]),), p["_where"])
        key = (int(p["respondent"]), p["variable"])
        if fixed.setdefault(key, level) != level:
            raise DataError(f"{p['_where']}: respondent {key[0]}'s {key[1]} is pinned to both {fixed[key]!r} and "
                            f"{level!r}")
        pins.append((key[0], key[1], level))
    rules = tuple(_rule(r, i, name, by_name, condition) for i, r in enumerate(raw.get("rules") or []))
    if dup := [r.id for k, r in enumerate(rules) if r.id in {q.id for q in rules[:k]}]:
        raise DataError(f"{name}: rules: the id {dup[0]!r} is used twice")
    read = {}
    for fid, how in (raw.get("read") or {}).items():
        if "variable" in how and how["variable"] not in by_name and how["variable"] != "respondents":
            raise DataError(f"{name}: read.{fid}: no variable {how['variable']!r} in the spec")
        read[str(fid)] = Reading(how.get("variable"), how.get("level"), how.get("denominator", "answered"),
                                 how.get("percent", "printed"))
    return Spec(name, raw["respondents"], tuple(variables), groups, tuple(sets), tuple(pins),
                dict(raw.get("not_carried") or {}), rules, read)


def _rule(raw: dict, i: int, name: str, by_name: dict[str, Variable], condition) -> Rule:
    """One rule of the spec, checked (see :class:`Rule`)."""
    rid = raw["id"]
    where = f"{name}: rules[{i}] ({rid})"
    kinds = [k for k in ("never", "skip_together", "if_skipped", "linear") if k in raw]
    if len(kinds) != 1:
        raise DataError(f"{where}: a rule is one of never, skip_together, if_skipped (with also_skipped) or linear "
                        f"(with at_most)")
    kind = kinds[0]
    needs = {"never": set(), "skip_together": set(), "if_skipped": {"also_skipped"}, "linear": {"at_most"}}[kind]
    allowed = {"id", "note", kind} | needs | ({"values"} if kind == "linear" else set())
    if missing := sorted(needs - set(raw)):
        raise DataError(f"{where}: a rule with {kind} needs {', '.join(missing)}")
    if stray := sorted(set(raw) - allowed):
        raise DataError(f"{where}: a rule with {kind} has no {', '.join(stray)}")
    named = list(raw["never"]) if kind == "never" else list(raw["skip_together"]) if kind == "skip_together" else \
        [raw["if_skipped"], *raw["also_skipped"]] if kind == "if_skipped" else list(raw["linear"])
    for var in named:
        if var not in by_name:
            raise DataError(f"{where}: no variable {var!r} in the spec")
    if kind == "skip_together":
        return Rule(rid, "skip_together", tuple(named))
    if kind == "if_skipped":
        if raw["if_skipped"] in raw["also_skipped"]:
            raise DataError(f"{where}: {raw['if_skipped']} cannot imply itself")
        return Rule(rid, "skip_implies", tuple(named))
    if kind == "never":
        combo = []
        for var, value in raw["never"].items():
            v = by_name[var]
            if value == "answered":
                combo.append((var, v.levels))
                continue
            levels = []
            for one in value if isinstance(value, list) else [value]:
                ((_, level),) = condition(((var, one),), f"{where}: never")
                levels.append(level)
            combo.append((var, tuple(dict.fromkeys(levels))))
        return Rule(rid, "never", tuple(named), (tuple(combo),))
    return _linear(raw, where, by_name, rid)


def _linear(raw: dict, where: str, by_name: dict[str, Variable], rid: str) -> Rule:
    """A linear rule, written as every combination of its variables' levels that breaks it."""
    terms, bound, values = raw["linear"], raw["at_most"], raw.get("values") or {}
    numbers: dict[str, dict[str, int]] = {}
    for var, coef in terms.items():
        v = by_name[var]
        if coef == 0:
            raise DataError(f"{where}: {var}'s coefficient is 0 (leave it out)")
        if v.kind == "whole":
            numbers[var] = {lv: int(lv) for lv in v.levels}
        elif v.kind == "yesno":
            numbers[var] = {YES: 1, NO: 0}
        else:
            given = values.get(var)
            if not isinstance(given, dict) or [lv for lv in v.levels if lv not in given]:
                lost = [lv for lv in v.levels if not isinstance(given, dict) or lv not in given]
                raise DataError(f"{where}: values.{var} must give a number for every level ({lost[0]!r} has none)")
            if stray := [lv for lv in given if lv not in v.levels]:
                raise DataError(f"{where}: values.{var} names {stray[0]!r}, which is not a level of {var}")
            numbers[var] = {lv: int(given[lv]) for lv in v.levels}
    if stray := sorted(set(values) - set(terms)):
        raise DataError(f"{where}: values names {stray[0]!r}, which is not a variable of the rule")
    names = sorted(terms, key=lambda v: len(numbers[v]))  # the one with most levels last: fewest rows
    size = 1
    for var in names:
        size *= len(numbers[var])
    if size > MAX_COMBINATIONS:
        raise DataError(f"{where}: the rule spans {size} combinations of levels; a linear rule may span at most "
                        f"{MAX_COMBINATIONS}")
    *head, last = names
    forbidden = []
    for combo in itertools.product(*(list(numbers[v].items()) for v in head)):
        partial = sum(terms[v] * x for v, (_, x) in zip(head, combo))
        breaking = tuple(lv for lv, x in numbers[last].items() if partial + terms[last] * x > bound)
        if breaking:
            forbidden.append(tuple((v, (lv,)) for v, (lv, _) in zip(head, combo)) + ((last, breaking),))
    return Rule(rid, "never", tuple(names), tuple(forbidden))
