"""A study spec: the respondent-level variables behind a figures file, read from YAML and checked.

The spec's format is a JSON Schema (``spec.schema.json`` beside this module; ``data/README.md`` describes it in
words): the number of respondents, the variables (a category with its levels, a yes/no item, a whole number in a
range, or a multi-answer set of yes/no options), who is asked each one and whether those asked may leave it
unanswered, the groups that figures are printed for (each a condition on variables, such as ``used_hm: true``),
facts pinned to numbered respondents, and the figures no respondent table can carry (with the reason). The checks
the schema cannot make (a condition naming an unknown variable or level, two variables of one name) are made here;
every problem is one :class:`~hmbook.errors.DataError` line naming the file and the place in it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

from hmbook.errors import DataError
from hmbook.files import reading

__all__ = ["SPEC_VERSION", "MAX_RESPONDENTS", "MAX_VALUES", "Variable", "Spec", "read_spec", "template"]

SPEC_VERSION = "hmbook-study-spec/1"
#: The most respondents a spec may have (the schema's cap; the solver's work grows with it).
MAX_RESPONDENTS = 100_000
#: The most values a whole-number variable may take (high - low + 1).
MAX_VALUES = 1000
_MAX_BYTES = 1_000_000
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

    def level_of(self, value: object) -> str | None:
        """The level a condition's or pin's ``value`` names (``true`` is ``Yes``), or None if it names none."""
        if self.kind == "yesno":
            text = {True: YES, False: NO}.get(value, str(value)) if isinstance(value, bool) else str(value)
            text = {"true": YES, "false": NO}.get(text.lower(), text)
        else:
            text = str(value)
        return text if text in self.levels else None


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
    return _checked(raw, str(path))


def _checked(raw: dict, name: str) -> Spec:
    variables: list[Variable] = []
    sets = []
    for i, v in enumerate(raw["variables"]):
        where = f"{name}: variables[{i}] ({v['name']})"
        extra = {"category": {"levels"}, "yesno": set(), "whole": {"low", "high"}, "multi": {"options"}}[v["kind"]]
        allowed = extra | {"name", "kind", "asked", "may_skip"} | ({"min_chosen", "max_chosen"} if v["kind"] ==
                                                                 "multi" else set())
        if missing := sorted(extra - set(v)):
            raise DataError(f"{where}: a {v['kind']} variable needs {', '.join(missing)}")
        if stray := sorted(set(v) - allowed):
            raise DataError(f"{where}: a {v['kind']} variable has no {', '.join(stray)}")
        asked = tuple((str(k), val) for k, val in (v.get("asked") or {}).items())
        skip = bool(v.get("may_skip", False))
        if v["kind"] == "category":
            variables.append(Variable(v["name"], "category", tuple(v["levels"]), asked, skip))
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

    variables = [Variable(v.name, v.kind, v.levels, condition(v.asked, f"{name}: {v.name}.asked"), v.may_skip)
                 for v in variables]
    for v in variables:
        if any(var == v.name for var, _ in v.asked):
            raise DataError(f"{name}: {v.name}.asked depends on {v.name} itself")
    groups = {}
    for g, cond in (raw.get("groups") or {}).items():
        if g == "all":
            raise DataError(f"{name}: groups.all: the group of every respondent is built in; give it no condition")
        groups[g] = condition(tuple(cond.items()), f"{name}: groups.{g}")
    pins = []
    for i, p in enumerate(raw.get("pins") or []):
        where = f"{name}: pins[{i}]"
        ((_, level),) = condition(((p["variable"], p["value"]),), where)
        pins.append((int(p["respondent"]), p["variable"], level))
    return Spec(name, raw["respondents"], tuple(variables), groups, tuple(sets), tuple(pins),
                dict(raw.get("not_carried") or {}))
