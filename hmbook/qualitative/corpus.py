"""The SYNTHETIC free-text corpus: answers to the survey's open questions, and two codings of them.

Answers are assembled, seeded, from the sentences in :mod:`hmbook.qualitative.fragments`, so that each agrees with the
respondent's row of ``respondents.csv``: a non-user writes as a non-user, a GP as a GP, someone who named a group
to avoid names it and says why, someone who named none says they would not rule anyone out, an empty
``avoid_any_group`` gives an empty answer, and the drop-out has no answer to the last question. Each sentence is
one segment; the reference coding gives each segment the subtheme code its sentence was written for. The second
coder is **simulated**: it reads the same segments and, with seeded probabilities, takes the sentence's second
reading where one is written, misses a code, or codes an off-topic sentence (:func:`second_coding`).

``python -m hmbook corpus`` writes ``free_text.csv``, ``coding_reference.csv`` and ``coding_second.csv``; the
default seed regenerates the committed files byte for byte.

>>> from hmbook import paths

>>> from hmbook.data import respondents
>>> corpus, ref, second = build(respondents.read_respondents(paths.RESPONDENTS_CSV))
>>> list(corpus.columns)
['response_id', 'respondent_id', 'question', 'text', 'held_back', 'synthetic']
>>> len(corpus) == 90 * len(QUESTIONS), ref["segment_id"].equals(second["segment_id"])
(True, True)
"""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd

from hmbook import io, paths
from hmbook.qualitative import fragments as _fragments
from hmbook.replicate.synth import DEFAULT_SEED

__all__ = ["QUESTIONS", "CODES", "THEME_OF", "GROUP_PHRASES", "build", "second_coding", "to_csv_text"]

#: The open questions, in survey order, with the wording this book uses for them (our own paraphrase).
QUESTIONS = dict(io.read_csv_strings(paths.QUESTIONS_CSV).itertuples(index=False))

#: Subtheme codes in the paper's Figure 1 order, and the theme each belongs to: from the codebook.
_CODEBOOK = io.read_csv_strings(paths.CODEBOOK_CSV)
CODES = tuple(_CODEBOOK["code"])
THEME_OF = dict(zip(CODES, _CODEBOOK["theme_number"].astype(int)))

#: How respondents write the group they named (their own words, not Table 3's label).
GROUP_PHRASES = {
    "People with suicidal intent/high suicidal risk": "people at high risk of suicide",
    "People who want to stop self-harming or are motivated to change": "people who are motivated to stop",
    "People with low IQ": "people with a low IQ",
    "People with psychosis": "people with psychosis",
    "People lacking mental capacity": "people who lack capacity",
    "Children, adolescents, young people": "children and teenagers",
    "People with learning disabilities": "people with learning disabilities",
    "People with personality disorders": "people with a personality disorder diagnosis",
    "People who want to stop self-harming": "people who want to stop",
    "Vulnerable or high-risk people": "very vulnerable or high-risk people",
    "People with self-harm that is not perceived as 'addictive'": "people whose self-harm is not entrenched",
    "Young people": "young people",
}

# Which reasons fit which named group (weights of codes for the avoid question).
_GROUP_CODES = {
    "people at high risk of suicide": {"anatomy_concerns": 3, "effectiveness": 1},
    "very vulnerable or high-risk people": {"anatomy_concerns": 3, "effectiveness": 1},
    "people who are motivated to stop": {"temporary_solution": 3, "effectiveness": 0.5},
    "people who want to stop": {"temporary_solution": 3, "effectiveness": 0.5},
    "people whose self-harm is not entrenched": {"temporary_solution": 3, "condoning": 1},
    "children and teenagers": {"condoning": 2.5, "effectiveness": 1},
    "young people": {"condoning": 2.5, "effectiveness": 1},
}
_WEIGHTS = {
    ("benefits", True): {"safer_alternative": 4, "agency_relationship": 3, "effectiveness": 1, "person_centred": 1,
                         "none": 0.6},
    ("benefits", False): {"safer_alternative": 3, "agency_relationship": 1.5, "effectiveness": 1.5,
                          "person_centred": 0.5, "none": 0.6},
    ("concerns", True): {"unfulfilled_function": 1.5, "temporary_solution": 2.5, "condoning": 2,
                         "anatomy_concerns": 1.5, "effectiveness": 2, "person_centred": 1.5, "policies": 1,
                         "none": 0.8},
    ("concerns", False): {"unfulfilled_function": 1, "temporary_solution": 2, "condoning": 3.5,
                          "anatomy_concerns": 2, "effectiveness": 1.5, "person_centred": 0.5, "policies": 1.5,
                          "none": 0.6},
    ("training_support", None): {"training": 3, "policies": 2, "none": 0.5},
    ("other_techniques", None): {"none": 4, "person_centred": 1, "safer_alternative": 0.5},
    ("avoid_why", False): {"person_centred": 3, "none": 2},
}
_ANSWER_RATE = {"other_techniques": 0.85, "benefits": 0.85, "concerns": 0.85, "avoid_why": 0.95,
                "training_support": 0.7}
_SAFE_TECH = {"tech_ice": "ice", "tech_rubber_bands": "rubber bands", "tech_drawing_lines": "drawing lines",
              "tech_hitting_soft": "hitting a pillow", "tech_pinching": "pinching"}
_HEDGES = ("I think ", "I suppose ", "In my limited experience, ", "I'm not sure, but ")
_HEDGEABLE = ("It ", "The ", "Some", "Without", "A ", "For ", "Anything", "Teaching", "Less", "People", "Having")
_HELD_BACK = {"benefits": 3, "concerns": 3, "avoid_why": 3, "training_support": 3}
_CSV = {"index": False, "lineterminator": "\n"}


def _place(row) -> str:
    if row["occupation"] == "General practitioner":
        return "general practice"
    if row["organisation_other"] == "Prison service":
        return "a prison"
    if row["organisation"] == "Voluntary sector":
        return "a voluntary-sector service"
    if row["organisation"] == "Private":
        return "private practice"
    if row["occupation"] == "Mental health nurse":
        return "an inpatient ward"
    return "a community team"


def _who_ok(who: str, row) -> bool:
    user = bool(row["used_hm"])
    return {
        "any": True, "user": user, "non_user": not user, "gp": row["occupation"] == "General practitioner",
        "avoid": row["avoid_any_group"] is True, "no_avoid": row["avoid_any_group"] is False,
        "trained": row["trained"] is True, "untrained": row["trained"] is False,
        "helpful": row["training_helpful"] is True, "unhelpful": row["training_helpful"] is False,
        "unsure": row["confidence"] in ("Unsure", "Not confident"),
        "policy": row["local_guidelines"] is True, "no_policy": row["local_guidelines"] is False,
    }[who]


def _fits(frag, row, techs: list[str]) -> bool:
    """Whether a sentence is consistent with the respondent's row (beyond its ``who``)."""
    text, user = frag.text, bool(row["used_hm"])
    if "{tech}" in text and not techs:
        return False
    if user and frag.code == "anatomy_concerns" and row["tech_anatomy"]:
        return False  # someone who taught anatomy does not write that they would never do it
    if user and "Wound care advice" in text and not row["tech_wound_care"]:
        return False
    if "Tetanus advice" in text and (row["tech_tetanus"] or row["tech_clean_instruments"]):
        return False
    if not user and ("has not worked" in text or "in my experience" in text.lower()):
        return False  # a non-user has no experience of recommending it
    if "GP" in text and row["occupation"] != "General practitioner":
        return False
    return True


def _pick(pool: pd.DataFrame, used: dict, rng: np.random.Generator):
    """A sentence from ``pool``, preferring the least used so far (so the corpus repeats itself little)."""
    counts = pool.index.map(lambda i: used.get(i, 0)).to_numpy()
    choices = pool.index[counts == counts.min()]
    i = choices[rng.integers(len(choices))]
    used[i] = used.get(i, 0) + 1
    return pool.loc[i]


def _answer(question, row, frags, used, rng, style):
    """One answer: a list of (sentence, code, alt) segments, or [] for a blank answer."""
    techs = [label for col, label in _SAFE_TECH.items() if row[col]]
    group = GROUP_PHRASES.get(row["avoid_groups"] or "", "")
    if question == "avoid_why":
        weights = (dict(_GROUP_CODES.get(group, {"effectiveness": 3, "anatomy_concerns": 0.5}), none=0.4)
                   if row["avoid_any_group"] is True else _WEIGHTS[("avoid_why", False)])
    else:
        key = (question, bool(row["used_hm"])) if (question, True) in _WEIGHTS else (question, None)
        weights = _WEIGHTS[key]
    k = {"terse": 1, "plain": 1 + int(rng.random() < 0.45), "wordy": 2 + int(rng.random() < 0.5)}[style]
    segments, codes = [], list(weights)
    for _ in range(k):
        avail = [c for c in codes if c not in {s[1] for s in segments}]
        if not avail:
            break
        p = np.array([weights[c] for c in avail], dtype=float)
        code = avail[rng.choice(len(avail), p=p / p.sum())]
        pool = frags[(frags["question"] == question) & (frags["code"] == code)]
        pool = pool[[_who_ok(f.who, row) and _fits(f, row, techs) for f in pool.itertuples()]]
        if segments:  # a bare "None." or "N/A" only ever stands alone
            pool = pool[pool["text"].str.split().str.len() > 3]
        if pool.empty:
            continue
        frag = _pick(pool, used, rng)
        text = frag["text"].format(tech=techs[rng.integers(len(techs))] if techs else "", place=_place(row),
                                   group=group)
        segments.append([text[0].upper() + text[1:], code, frag["alt"]])
        if code == "none" and len(frag["text"].split()) <= 3:
            break
    if (segments and style != "terse" and rng.random() < 0.3 and segments[0][0].startswith(_HEDGEABLE)
            and segments[0][1] != "none" and len(segments[0][0].split()) > 5):
        first = segments[0][0]
        segments[0][0] = _HEDGES[rng.integers(len(_HEDGES))] + first[0].lower() + first[1:]
    if len(segments) == 1 and style == "terse" and rng.random() < 0.5:  # blunt: no capital, no full stop
        first = segments[0][0]
        segments[0][0] = (first[0].lower() + first[1:] if not first.startswith(("I ", "A&E", "GP")) else first
                          ).rstrip(".")
    return segments


def _answered(question, row, rng) -> bool:
    if question == "other_techniques" and not row["tech_other"]:
        return False
    if question == "avoid_why" and row["avoid_any_group"] is None:
        return False
    if question == "avoid_why" and row["avoid_any_group"] is False:
        return rng.random() < 0.6
    if question == "training_support" and (row["trained"] is None or not row["completed_survey"]):
        return False  # the drop-out left before this question; an empty training answer stays empty
    return rng.random() < _ANSWER_RATE[question]


def _clean(value):
    if pd.isna(value):
        return None
    return bool(value) if isinstance(value, (bool, np.bool_)) else value


def build(respondents: pd.DataFrame, seed: int = DEFAULT_SEED) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The corpus (one row per respondent and question), the reference coding and the second coding."""
    rng = np.random.default_rng([seed, 4])
    frags = _fragments.fragments()
    used: dict = {}
    rows, segs = [], []
    for _, r in respondents.sort_values("respondent_id").iterrows():
        row = {k: _clean(v) for k, v in r.items()}
        style = ("terse", "plain", "wordy")[rng.choice(3, p=[0.3, 0.5, 0.2])]
        for question in QUESTIONS:
            rid = f"R{int(row['respondent_id']):02d}-{question}"
            parts = _answer(question, row, frags, used, rng, style) if _answered(question, row, rng) else []
            start, texts = 0, []
            for k, (text, code, alt) in enumerate(parts, 1):
                segs.append({"segment_id": f"{rid}.{k}", "response_id": rid, "start": start,
                             "end": start + len(text), "code": code, "alt": alt})
                texts.append(text)
                start += len(text) + 1
            rows.append({"response_id": rid, "respondent_id": int(row["respondent_id"]), "question": question,
                         "text": " ".join(texts), "held_back": False, "synthetic": True})
    corpus = pd.DataFrame(rows)
    for question, n in _HELD_BACK.items():
        cand = corpus.index[(corpus["question"] == question) & (corpus["text"] != "")]
        corpus.loc[rng.choice(cand, size=n, replace=False), "held_back"] = True
    seg = pd.DataFrame(segs)
    ref = seg.drop(columns="alt").assign(synthetic=True)
    second = second_coding(seg, np.random.default_rng([seed, 5]))
    return corpus, ref, second


def second_coding(segments: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """A simulated second coder: the reference codes, with disagreements of the kinds real coders make.

    Where a sentence has a written second reading (``alt``) the coder takes it with probability 0.4; otherwise a
    coded segment is missed (coded ``none``) with probability 0.05 or moved to the sister subtheme of the same
    theme with probability 0.04, and an uncoded segment is given a code with probability 0.06.

    >>> seg = pd.DataFrame({"segment_id": ["a", "b"], "response_id": ["r", "r"], "start": [0, 5], "end": [4, 9],
    ...                     "code": ["training", "none"], "alt": ["", ""]})
    >>> second_coding(seg, np.random.default_rng(0))["code"].tolist()
    ['training', 'none']
    """
    out = []
    for s in segments.itertuples():
        code, u = s.code, rng.random()
        if s.alt:
            code = s.alt if u < 0.4 else code
        elif code != "none":
            if u < 0.05:
                code = "none"
            elif u < 0.09:
                code = next(c for c in CODES if THEME_OF[c] == THEME_OF[code] and c != code)
        elif u < 0.06:
            code = CODES[rng.integers(len(CODES))]
        out.append(code)
    return segments[["segment_id", "response_id", "start", "end"]].assign(code=out, synthetic=True)


def to_csv_text(df: pd.DataFrame) -> str:
    """A corpus or coding table as CSV text (``true``/``false``, LF line endings), as the files are written."""
    buf = StringIO()
    out = df.copy()
    for col in out.columns[out.dtypes == bool]:
        out[col] = io.format_bool(out[col])
    out.to_csv(buf, **_CSV)
    return buf.getvalue()
