"""The column contract of ``respondents.csv``: names, types, allowed values, and a strict reader.

Methodologists and other tools rely on these names, so they are defined once here and used by the generator
(:mod:`hmbook.replicate.synth`), the checker (:mod:`hmbook.replicate.verify`) and the Frictionless descriptor
(:mod:`hmbook.data.datapackage`).

>>> [c.name for c in COLUMNS][:4]
['respondent_id', 'completed_survey', 'age_group', 'gender']
>>> column("confidence").categories
('Confident', 'Unsure', 'Not confident')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hmbook.constants import TECHNIQUE_LABELS
from hmbook.errors import DataError
from hmbook.files import cells

__all__ = [
    "Column", "COLUMNS", "TECHNIQUES", "AVOID_GROUPS", "N_RESPONDENTS", "MAX_YEARS_IN_ROLE",
    "WRITER_BASE",
    "column", "from_strings", "to_strings",
]

# Fixed by the column contract (respondent_id 1-90); tests check it equals figures.csv's t1_n.
N_RESPONDENTS = 90
# The free-text corpus numbers its synthetic writers from here (S101, S102, ...), apart from the respondent IDs
# 1-90 that the paper quotes (register A28).
WRITER_BASE = 101
# The longest time in role the contract allows: Table 1's published maximum (tests check it equals t1_years_max).
MAX_YEARS_IN_ROLE = 40

TECHNIQUES = tuple(TECHNIQUE_LABELS)

# The groups listed in the paper's Table 3, for those who would avoid harm minimisation with some group.
AVOID_GROUPS = {
    "users": (
        "People with suicidal intent/high suicidal risk",
        "People who want to stop self-harming or are motivated to change",
        "People with low IQ",
        "People with psychosis",
        "People lacking mental capacity",
        "Children, adolescents, young people",
        "People with learning disabilities",
        "People with personality disorders",
    ),
    "non_users": (
        "People who want to stop self-harming",
        "Vulnerable or high-risk people",
        "People with self-harm that is not perceived as 'addictive'",
        "Young people",
    ),
}

AGREEMENT = ("Agree", "Disagree", "Undecided")


@dataclass(frozen=True)
class Column:
    """One column of the contract, the one source of both :func:`from_strings` and the data package's schema.

    ``kind`` is ``int``, ``bool``, ``category`` or ``multi`` (``;``-separated categories). ``categories`` are the
    allowed labels (for a ``bool``, the allowed values when only some are). ``required`` columns may not be empty;
    the others are empty where a respondent gave no answer or the question did not apply. ``unique`` values may
    not repeat; ``minimum`` and ``maximum`` bound an ``int``.
    """

    name: str
    kind: str
    description: str
    categories: tuple = ()
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    unique: bool = False

    def allowed_text(self) -> tuple[str, ...]:
        """The values a yes/no or labelled column allows, as written in a CSV file (``true``/``false`` for yes/no).

        >>> column("synthetic").allowed_text(), column("used_hm").allowed_text()
        (('true',), ('true', 'false'))
        """
        if self.kind == "bool":
            if not self.categories:
                return tuple(cells.BOOLS)
            return tuple(cells.format_bool(pd.Series(self.categories)).tolist())
        return tuple(self.categories)


COLUMNS: tuple[Column, ...] = (
    Column("respondent_id", "int", "Respondent number, 1-90 (the IDs the paper quotes)", required=True, minimum=1,
           maximum=N_RESPONDENTS, unique=True),
    Column("completed_survey", "bool", "Answered every question that applied (89 did; 1 analysed drop-out)",
           required=True),
    Column("age_group", "category", "Age band in years", ("20-29", "30-39", "40-49", "50-59", "60-69"),
           required=True),
    Column("gender", "category", "Gender", ("Male", "Female", "Gender non-conforming"), required=True),
    Column("country", "category", "Country of practice", ("England", "Scotland", "Wales", "Northern Ireland"),
           required=True),
    Column("occupation", "category", "Occupation, as the rows of Table 1", (
        "Assistant psychologist", "Clinical psychologist", "Counselling psychologist", "Educational psychologist",
        "Family therapist", "Forensic psychologist", "General practitioner", "Healthcare assistant",
        "Mental health nurse", "Occupational therapist", "Psychiatrist", "Psychological well-being practitioner",
        "Social worker", "Support worker", "Other"), required=True),
    Column("occupation_other", "category", "For occupation 'Other': the role, from Table 1's footnote", (
        "Assistant clinical psychologist", "Counsellor", "Peer recovery practitioner/worker", "Service manager",
        "Systemic psychotherapist", "Trainee clinical psychologist", "Voluntary sector self-harm specialist")),
    Column("organisation", "category", "Organisational setting", ("NHS", "Private", "Voluntary sector", "Other"),
           required=True),
    Column("organisation_other", "category", "For organisation 'Other': the setting, from Table 1's footnote",
           ("Prison service", "Local authority", "Community integrated care")),
    Column("years_in_role", "int", "Whole years in current role (0-40)", required=True, minimum=0,
           maximum=MAX_YEARS_IN_ROLE),
    Column("used_hm", "bool", "Has recommended harm minimisation (a 'user'); false = a 'non-user'", required=True),
    *(Column(name, "bool", f"{label}: recommended (users) or would consider (non-users)", required=True)
      for name, label in TECHNIQUE_LABELS.items()),
    Column("avoid_any_group", "bool", "Named at least one group with whom they would avoid harm minimisation"),
    Column("avoid_groups", "multi", "The group(s) named, from Table 3 (';'-separated)",
           tuple(dict.fromkeys(AVOID_GROUPS["users"] + AVOID_GROUPS["non_users"]))),
    Column("local_guidelines", "bool", "Clear local guidelines on harm minimisation in the workplace"),
    Column("national_guidelines", "bool", "Aware of national guidelines (eg, NICE) in the workplace"),
    Column("trained", "bool", "Has had training in harm minimisation for self-harm"),
    Column("training_helpful", "bool", "Found that training helpful (trained respondents only)"),
    Column("confidence", "category", "Confidence in recommending harm minimisation (users only)",
           ("Confident", "Unsure", "Not confident")),
    Column("shas_safe_environment", "category", "SHAS item: people should be allowed to self-harm in a safe "
           "environment", AGREEMENT),
    Column("shas_right_to_self_harm", "category", "SHAS item: an individual has a right to self-harm", AGREEMENT),
    Column("synthetic", "bool", "Always true: every row of this table is synthetic, not a real respondent",
           (True,), required=True),
)

_BY_NAME = {c.name: c for c in COLUMNS}
NAMES = tuple(_BY_NAME)


def column(name: str) -> Column:
    """The contract of one column, by name."""
    return _BY_NAME[name]


def from_strings(raw: pd.DataFrame) -> pd.DataFrame:
    """Check a table of strings (as read from CSV, empty = missing) against the contract and type it.

    Raises :class:`DataError` with a one-line message naming the first problem found. Cells are taken as written:
    whole numbers in ASCII digits, booleans ``true``/``false``, labels exactly as listed. Returns a new frame:
    booleans as pandas ``boolean``, integers as ``Int64``, categories as ordered ``Categorical`` (their order is
    the contract's), ``avoid_groups`` as strings.

    >>> df = from_strings(pd.DataFrame({c.name: [""] for c in COLUMNS}))
    Traceback (most recent call last):
    ...
    hmbook.errors.DataError: column respondent_id: row 1 is empty, but every respondent needs a value
    """
    missing = [c for c in NAMES if c not in raw.columns]
    extra = [c for c in raw.columns if c not in _BY_NAME]
    if missing:
        raise DataError(f"missing column(s): {', '.join(missing)}")
    if extra:
        raise DataError(f"unexpected column(s): {', '.join(map(str, extra))}")
    out = {}
    for col in COLUMNS:
        values = raw[col.name].astype(str).reset_index(drop=True)
        empty = values.eq("")
        if col.required and empty.any():
            row = int(empty.to_numpy().argmax()) + 1
            raise DataError(f"column {col.name}: row {row} is empty, but every respondent needs a value")
        present = values[~empty]
        try:
            if col.kind == "bool":
                out[col.name] = cells.parse_bool(values)
                if col.categories:
                    allowed = col.allowed_text()
                    _fail_if(present[~present.isin(allowed)], f"is not allowed (only {', '.join(allowed)})")
            elif col.kind == "int":
                out[col.name] = cells.parse_int(values, minimum=col.minimum, maximum=col.maximum)
            elif col.kind == "category":
                _fail_if(present[~present.isin(col.categories)], "is not one of the allowed labels")
                out[col.name] = pd.Categorical(values.where(~empty), categories=list(col.categories), ordered=True)
            else:  # multi
                parts = present.str.split(";").explode().str.strip()
                _fail_if(parts[~parts.isin(col.categories)], "names a group that is not in Table 3")
                out[col.name] = values.where(~empty).astype("string")
        except DataError as err:  # the parsers and _fail_if name the value and row; the column is added here
            raise DataError(f"column {col.name}: {err}") from None
        if col.unique:
            dup = present[present.duplicated()]
            if len(dup):
                raise DataError(f"{col.name} {dup.iloc[0]} appears more than once (row {int(dup.index[0]) + 1})")
    return pd.DataFrame(out)


def _fail_if(bad: pd.Series, what: str) -> None:
    """Raise for the first of ``bad`` (values indexed by row) as the parsers of :mod:`hmbook.files.cells` do."""
    if len(bad):
        row = int(bad.index[0]) + 1
        raise DataError(f"value {bad.iloc[0]!r} in row {row} {what}")


def to_strings(df: pd.DataFrame) -> pd.DataFrame:
    """The inverse of :func:`from_strings`: booleans as ``true``/``false``, missing as empty strings."""
    out = {}
    for col in COLUMNS:
        s = df[col.name]
        if col.kind == "bool":
            out[col.name] = cells.format_bool(s)
        else:
            out[col.name] = s.astype(object).where(s.notna(), "").astype(str)
    return pd.DataFrame(out)
