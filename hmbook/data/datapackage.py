"""The Frictionless Data Package descriptor of ``data/``: a schema per file, provenance, sha256 and size.

``data/datapackage.json`` is written by ``python -m hmbook package`` and never by hand; a test checks that the
committed file equals :func:`render` (so it is never stale) and validates the package with ``frictionless``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from hmbook import paths
from hmbook.data import published, schema
from hmbook.errors import DataError
from hmbook.files import cells, locks, reading, safe_write

__all__ = ["descriptor", "render", "write"]

_BOOLEAN = {"trueValues": [cells.TRUE], "falseValues": [cells.FALSE]}
_TYPES = {"int": "integer", "bool": "boolean", "category": "string", "multi": "string"}


def _field(col: schema.Column) -> dict:
    """The Frictionless field of one column, from its :class:`~hmbook.data.schema.Column` alone (one contract)."""
    field: dict[str, object] = {"name": col.name, "type": _TYPES[col.kind], "description": col.description}
    if col.kind == "bool":
        field.update(_BOOLEAN)
    constraints: dict[str, object] = {}
    if col.required:
        constraints["required"] = True
    if col.kind in ("category", "bool") and col.categories:
        constraints["enum"] = list(col.categories)
    if col.minimum is not None:
        constraints["minimum"] = col.minimum
    if col.unique:
        constraints["unique"] = True
    if col.maximum is not None:
        constraints["maximum"] = col.maximum
    if constraints:
        field["constraints"] = constraints
    return field


def _strings(*names: str) -> list[dict]:
    return [{"name": n, "type": "string"} for n in names]


def _resource(name: str, path, title: str, description: str, fields: list[dict], synthetic: bool) -> dict:
    data = path.read_bytes()
    return {
        "name": name,
        "path": path.relative_to(paths.DATA).as_posix(),
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "synthetic": synthetic,
        "schema": {"fields": fields, "missingValues": [""]},
    }


def _values(path, column: str) -> list[str]:
    """The values of ``column`` in a data file, in file order (the allowed values of a field that refers to it)."""
    return list(reading.read_csv_strings(path)[column])


def _code_field(name: str, description: str, required: bool = True) -> dict:
    enum = {"enum": [*_values(paths.CODEBOOK_CSV, "code"), "none"]}
    return {"name": name, "type": "string", "description": description,
            "constraints": {"required": True, **enum} if required else enum}


def _question_field(description: str) -> dict:
    return {"name": "question", "type": "string", "description": description,
            "constraints": {"required": True, "enum": _values(paths.QUESTIONS_CSV, "question")}}


def _who_field(description: str) -> dict:
    return {"name": "who", "type": "string", "description": description,
            "constraints": {"required": True, "enum": _values(paths.WHO_CSV, "who")}}


def _key(name: str, description: str, enum=None) -> dict:
    """A required, unique identifier column."""
    return {"name": name, "type": "string", "description": description,
            "constraints": {"required": True, "unique": True, **({"enum": list(enum)} if enum else {})}}


def _corpus_resources() -> list[dict]:
    """The files the SYNTHETIC free-text corpus is assembled from (read by hmbook.qualitative.corpus_data)."""
    groups = list(schema.column("avoid_groups").categories)
    return [
        _resource("questions", paths.QUESTIONS_CSV, "Open questions",
                  "The open questions of the SYNTHETIC corpus, in the order it asks them: this book's design and "
                  "wording (the paper does not list its open questions), with two parameters per question.",
                  [_key("question", "Identifier of the question"),
                   {"name": "wording", "type": "string", "description": "The question as this book words it",
                    "constraints": {"required": True}},
                   {"name": "answer_rate", "type": "number", "constraints": {"required": True, "minimum": 0,
                                                                             "maximum": 1},
                    "description": "Chance that a SYNTHETIC respondent to whom the question applies answers it"},
                   {"name": "held_back", "type": "integer", "constraints": {"required": True, "minimum": 0},
                    "description": "Answers set aside for the coding exercise"}], synthetic=False),
        _resource("who", paths.WHO_CSV, "Kinds of respondent",
                  "Who may write a corpus sentence or gets a weight: each kind defined by a column of "
                  "respondents.csv and the values of it that fit.",
                  [_key("who", "Identifier used in sentences.csv and weights.csv"),
                   {"name": "column", "type": "string", "description": "A column of respondents.csv; empty: everyone",
                    "constraints": {"enum": [c.name for c in schema.COLUMNS]}},
                   {"name": "values", "type": "string",
                    "description": "The values of that column that fit, ';'-separated (true/false for yes/no)"},
                   {"name": "description", "type": "string", "description": "Who this is, in words",
                    "constraints": {"required": True}}], synthetic=False),
        _resource("sentences", paths.SENTENCES_CSV, "Corpus sentences",
                  "The sentences the SYNTHETIC free-text answers are assembled from, written for this book (none "
                  "comes from the paper), with the subtheme each was written for and who may write it.",
                  [_question_field("The open question the sentence answers"),
                   _code_field("code", "Subtheme code of the reference coding (codebook.csv), or none"),
                   _who_field("Who may write the sentence (who.csv)"),
                   {"name": "text", "type": "string", "constraints": {"required": True},
                    "description": "The sentence; may hold the slots {tech}, {place} and {group}"},
                   _code_field("alt", "A second reading the simulated second coder may take; empty if none",
                               required=False)], synthetic=False),
        _resource("weights", paths.WEIGHTS_CSV, "Subtheme weights",
                  "How likely each subtheme is in a SYNTHETIC answer, by question, kind of respondent and named "
                  "group; a respondent gets the first block (question, who, group) that fits them.",
                  [_question_field("The open question"),
                   _who_field("The kind of respondent the block applies to (who.csv)"),
                   {"name": "group", "type": "string", "description": "A Table 3 group named to avoid; empty: any",
                    "constraints": {"enum": _values(paths.GROUP_PHRASES_CSV, "group")}},
                   _code_field("code", "Subtheme code (codebook.csv), or none"),
                   {"name": "weight", "type": "number", "description": "Relative weight (positive)",
                    "constraints": {"required": True, "minimum": 0}}], synthetic=False),
        _resource("group_phrases", paths.GROUP_PHRASES_CSV, "Group phrases",
                  "How a respondent of the SYNTHETIC corpus writes, in their own words, the Table 3 group they named.",
                  [_key("group", "A group of Table 3 (avoid_groups in respondents.csv)", groups),
                   {"name": "phrase", "type": "string", "description": "The respondent's words for it",
                    "constraints": {"required": True}}], synthetic=False),
    ]


def _coding_fields() -> list[dict]:
    return [
        {"name": "segment_id", "type": "string", "description": "response_id, a dot, the segment's number",
         "constraints": {"required": True, "unique": True}},
        {"name": "response_id", "type": "string", "description": "The answer the segment belongs to"},
        {"name": "start", "type": "integer", "description": "First character of the segment in the answer",
         "constraints": {"minimum": 0}},
        {"name": "end", "type": "integer", "description": "One past the segment's last character"},
        _code_field("code", "A subtheme code of codebook.csv, or none"),
        {"name": "synthetic", "type": "boolean", **_BOOLEAN,
         "description": "Always true: the coding is of SYNTHETIC answers", "constraints": {"enum": [True]}},
    ]


def _free_text_fields() -> list[dict]:
    return [
        {"name": "response_id", "type": "string", "description": "S, the writer number, a hyphen, the question",
         "constraints": {"required": True, "unique": True, "pattern": r"S\d{3}-\w+"}},
        {"name": "writer_id", "type": "integer",
         "description": "A synthetic writer, numbered apart from the respondent IDs the paper quotes (A28); not a "
                        "row of respondents.csv",
         "constraints": {"required": True, "minimum": schema.WRITER_BASE,
                         "maximum": schema.WRITER_BASE + schema.N_RESPONDENTS - 1}},
        {"name": "used_hm", "type": "boolean", **_BOOLEAN,
         "description": "Whether the writer had recommended harm minimisation (a user)"},
        _question_field("The open question answered"),
        {"name": "text", "type": "string", "description": "The SYNTHETIC answer; empty if left blank"},
        {"name": "held_back", "type": "boolean", **_BOOLEAN,
         "description": "Set aside for the coding exercise"},
        {"name": "synthetic", "type": "boolean", **_BOOLEAN,
         "description": "Always true: no answer comes from a real respondent", "constraints": {"enum": [True]}},
    ]


def descriptor() -> dict:
    """The package descriptor as a dict, with hashes of the files as they are now."""
    paths.check(paths.DATA)
    number = [{"name": n, "type": "integer"} for n in ("count", "denominator", "reported_percent")]
    return {
        "name": "hmbook-data",
        "title": "hmbook: published figures and a SYNTHETIC respondent table for Haris et al. (2022)",
        "description": (
            "The numbers reported by Haris et al., 'Harm minimisation for self-harm: a cross-sectional survey of "
            "British clinicians' perspectives and practises', BMJ Open 2022;12:e056199, transcribed as printed; "
            "the register of assumptions made where the paper is ambiguous; and a SYNTHETIC respondent-level table "
            "that reproduces the published counts. The respondent rows are not real people: they are generated by "
            "`python -m hmbook generate` (hmbook.replicate.synth) from the published figures and a seed. "
            "Associations the paper does not report are random under that seed and carry no information."),
        "licenses": [{"name": "CC-BY-NC-4.0", "path": "https://creativecommons.org/licenses/by-nc/4.0/",
                      "title": "Creative Commons Attribution Non Commercial 4.0 (as the paper)"}],
        "sources": [{"title": "Haris AM, Pitman A, Mughal F, et al. BMJ Open 2022;12:e056199",
                     "path": "https://doi.org/10.1136/bmjopen-2021-056199"}],
        "resources": [
            _resource("figures", paths.FIGURES_CSV, "Published figures",
                      "Every number the paper reports, one per row, transcribed as printed (not corrected).",
                      _strings("figure_id", "source", "group", "variable", "level") + number, synthetic=False),
            _resource("other_paper_dost2020", paths.DATA / "other_papers" / "dost2020_abstract.csv",
                      "Another paper's figures (the audit chapter's worked example)",
                      "The numbers in the abstract of Dost et al., BMJ Open 2020;10:e042378 (open access, CC BY-NC "
                      "4.0), transcribed as printed for the audit chapter; no sentence of that paper is copied. Not "
                      "used by anything else in the book (see other_papers/README.md).",
                      _strings("figure_id", "source", "group", "variable", "level")
                      + [{"name": n, "type": "integer"} for n in ("count", "denominator")]
                      + [{"name": "reported_percent", "type": "number"}], synthetic=False),
            _resource("assumptions", paths.ASSUMPTIONS_CSV, "Assumption register",
                      "Each ambiguity or contradiction in the paper, the alternatives, the choice made, and how "
                      "the study spec (published/spec.yml, for the general engine) expresses it.",
                      _strings(*published.ASSUMPTION_COLUMNS), synthetic=False),
            _resource("respondent_facts", paths.FACTS_CSV, "Facts about quoted respondents",
                      "What the paper states about respondents it quotes by ID (no quotations are reproduced).",
                      [{"name": "respondent_id", "type": "integer"}]
                      + _strings("variable", "value", "basis", "assumption_id"), synthetic=False),
            _resource("cherries", paths.CHERRIES_CSV, "CHERRIES reporting checklist",
                      "Each item of the Checklist for Reporting Results of Internet E-Surveys, whether and where "
                      "the paper reports it, with a note: this book's reading of the paper.",
                      _strings("item_id", "section", "item")
                      + [{"name": "reported", "type": "string", "constraints": {"enum": ["Yes", "Partly", "No"]}}]
                      + _strings("where", "note"), synthetic=False),
            _resource("respondents", paths.RESPONDENTS_CSV, "SYNTHETIC respondents",
                      "SYNTHETIC: one generated row per analysed respondent, whose counts reproduce exactly every "
                      "published count a respondent table can carry. Not real data; associations not reported by "
                      "the paper are random.",
                      [_field(c) for c in schema.COLUMNS], synthetic=True),
            _resource("free_text", paths.FREE_TEXT_CSV, "SYNTHETIC free-text answers",
                      "SYNTHETIC: answers to this book's open questions (questions.csv) by synthetic writers, "
                      "written for this book (no sentence from the paper), each set consistent with a row of "
                      "respondents.csv but published under a writer number, never a respondent ID (A28). Generated "
                      "by `python -m hmbook corpus`.",
                      _free_text_fields(), synthetic=True),
            _resource("coding_reference", paths.CODING_REFERENCE_CSV, "SYNTHETIC reference coding",
                      "SYNTHETIC: each segment of the free-text answers with its subtheme code (the reference).",
                      _coding_fields(), synthetic=True),
            _resource("coding_second", paths.CODING_SECOND_CSV, "SYNTHETIC second coder",
                      "SYNTHETIC: a simulated second coder's codes for the same segments, with disagreements.",
                      _coding_fields(), synthetic=True),
            _resource("codebook", paths.CODEBOOK_CSV, "Codebook",
                      "The five themes and ten subthemes of the paper's thematic map, with definitions, inclusion "
                      "and exclusion rules written for this book, and an example from the SYNTHETIC corpus.",
                      [{"name": "code", "type": "string", "constraints": {"required": True, "unique": True}},
                       {"name": "theme_number", "type": "integer", "constraints": {"minimum": 1, "maximum": 5}}]
                      + _strings("theme", "subtheme", "definition", "include", "exclude", "example_segment_id",
                                 "example"), synthetic=False),
            *_corpus_resources(),
        ],
    }


def render() -> str:
    """The descriptor as the text of ``data/datapackage.json``."""
    return json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n"


def write(checks: Sequence[Callable[[], object]]) -> Path:
    """Rewrite ``datapackage.json`` (schemas and sha256 of the data files), but only once every check has passed.

    ``checks`` are called in order, each reading a data file through its loader (or verifying the respondents) and
    raising :class:`~hmbook.errors.DataError` on a bad file; the caller supplies them because the loaders live in
    higher layers. Holds the locks of ``data/`` and ``data/synthetic/`` (in that order) throughout, so that no
    ``generate`` or ``corpus`` changes a file between its check and its hash. A failed check leaves the descriptor
    as it was, and says so.
    """
    target = paths.DATAPACKAGE_JSON
    paths.check(target)  # no data folder (an installed wheel): say how to name one
    with locks.output_lock(paths.DATA), locks.output_lock(paths.RESPONDENTS_CSV.parent):
        for check in checks:
            try:
                check()
            except DataError as err:
                raise DataError(f"{err}; {target.name} was not rewritten") from None
        safe_write.write_atomic(target, render().encode("utf-8"))
    return target
