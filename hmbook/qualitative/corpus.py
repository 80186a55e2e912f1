"""The SYNTHETIC free-text corpus: answers to this book's open questions (``questions.csv``), and two codings of them.

Answers are assembled, seeded, from the sentences and weights in ``data/corpus/`` (read and checked by
:mod:`hmbook.qualitative.corpus_data`), so that each set of answers agrees with a row of ``respondents.csv``: a
non-user writes as a non-user, a GP as a GP, someone who named a group to avoid names it and says why, someone who
named none says they would not rule anyone out, an empty ``avoid_any_group`` gives an empty answer, and the
drop-out has no answer to the last question.

The answers are published under a **writer number of their own** (``S101`` to ``S190``), never under a respondent
ID: the paper quotes real participants by their IDs, and an invented answer shown under such an ID could be read as
that person's words. Which row a writer's answers were assembled from is a seeded permutation
(:func:`writers`) that is not written to any file; each answer set carries only the attribute the chapter uses,
whether its writer had recommended harm minimisation (``used_hm``). (Register entry A28.) Each sentence is
one segment; the reference coding gives each segment the subtheme code its sentence was written for. The second
coder is **simulated**: it reads the same segments and, with seeded probabilities, takes the sentence's second
reading where one is written, misses a code, or codes an off-topic sentence (:func:`second_coding`).

``python -m hmbook corpus`` writes ``free_text.csv``, ``coding_reference.csv`` and ``coding_second.csv``; the
default seed regenerates the committed files byte for byte.

>>> from hmbook import paths

>>> from hmbook.data import respondents
>>> corpus, ref, second = build(respondents.read_respondents(paths.RESPONDENTS_CSV))
>>> list(corpus.columns)
['response_id', 'writer_id', 'used_hm', 'question', 'text', 'held_back', 'synthetic']
>>> len(corpus) == 90 * len(corpus_data.questions()), ref["segment_id"].equals(second["segment_id"])
(True, True)
"""

from __future__ import annotations

from io import StringIO

import numpy as np
import pandas as pd

from hmbook import paths
from hmbook.constants import DEFAULT_SEED
from hmbook.data import schema
from hmbook.errors import DataError
from hmbook.files import cells
from hmbook.qualitative import corpus_data
from hmbook.qualitative.corpus_data import NONE

__all__ = ["writers", "build", "second_coding", "to_csv_text"]

_SAFE_TECH = {"tech_ice": "ice", "tech_rubber_bands": "rubber bands", "tech_drawing_lines": "drawing lines",
              "tech_hitting_soft": "hitting a pillow", "tech_pinching": "pinching"}
_HEDGES = ("I think ", "I suppose ", "In my limited experience, ", "I'm not sure, but ")
_HEDGEABLE = ("It ", "The ", "Some", "Without", "A ", "For ", "Anything", "Teaching", "Less", "People", "Having")
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


def _blocks(weights: pd.DataFrame) -> dict:
    """The weights file as {question: [(who, group, {code: weight}), ...]}, blocks and codes in file order."""
    out: dict = {}
    for (question, who, group), rows in weights.groupby(["question", "who", "group"], sort=False):
        out.setdefault(question, []).append((who, group, dict(zip(rows["code"], rows["weight"]))))
    return out


def _weights(question, row, fits, blocks) -> dict:
    """The code weights for one answer: the first block of the question that fits the respondent."""
    for who, group, weights in blocks.get(question, ()):
        if fits[who] and group in ("", row["avoid_groups"]):
            return weights
    raise DataError(f"{paths.WEIGHTS_CSV.name}: no weights for question {question!r} fit respondent "
                    f"{row['respondent_id']}")


def _answer(question, row, fits, parts, used, rng, style):
    """One answer: a list of (sentence, code, alt) segments, or [] for a blank answer.

    ``fits`` says which ``who`` fit the respondent; ``parts`` is (sentences, weight blocks, group phrases).
    """
    frags, blocks, phrases = parts
    techs = [label for col, label in _SAFE_TECH.items() if row[col]]
    group = phrases.get(row["avoid_groups"] or "", "")
    weights = _weights(question, row, fits, blocks)
    k = {"terse": 1, "plain": 1 + int(rng.random() < 0.45), "wordy": 2 + int(rng.random() < 0.5)}[style]
    segments: list[list] = []  # [text, code, alternative]
    codes = list(weights)
    for _ in range(k):
        avail = [c for c in codes if c not in {s[1] for s in segments}]
        if not avail:
            break
        p = np.array([weights[c] for c in avail], dtype=float)
        code = avail[rng.choice(len(avail), p=p / p.sum())]
        pool = frags[(frags["question"] == question) & (frags["code"] == code)]
        pool = pool[[fits[f.who] and _fits(f, row, techs) for f in pool.itertuples()]]
        if segments:  # a bare "None." or "N/A" only ever stands alone
            pool = pool[pool["text"].str.split().str.len() > 3]
        if pool.empty:
            continue
        frag = _pick(pool, used, rng)
        text = frag["text"].format(tech=techs[rng.integers(len(techs))] if techs else "", place=_place(row),
                                   group=group)
        segments.append([text[0].upper() + text[1:], code, frag["alt"]])
        if code == NONE and len(frag["text"].split()) <= 3:
            break
    if (segments and style != "terse" and rng.random() < 0.3 and segments[0][0].startswith(_HEDGEABLE)
            and segments[0][1] != NONE and len(segments[0][0].split()) > 5):
        first = segments[0][0]
        segments[0][0] = _HEDGES[rng.integers(len(_HEDGES))] + first[0].lower() + first[1:]
    if len(segments) == 1 and style == "terse" and rng.random() < 0.5:  # blunt: no capital, no full stop
        first = segments[0][0]
        segments[0][0] = (first[0].lower() + first[1:] if not first.startswith(("I ", "A&E", "GP")) else first
                          ).rstrip(".")
    return segments


def _answered(question, row, rate: float, rng) -> bool:
    """Whether the respondent answers: never where the question does not apply, else with probability ``rate``."""
    if question == "other_techniques" and not row["tech_other"]:
        return False
    if question == "avoid_why" and row["avoid_any_group"] is None:
        return False
    if question == "avoid_why" and row["avoid_any_group"] is False:
        return rng.random() < 0.6  # who named no group answers less often than questions.csv's rate
    if question == "training_support" and (row["trained"] is None or not row["completed_survey"]):
        return False  # the drop-out left before this question; an empty training answer stays empty
    return rng.random() < rate


def _clean(value):
    if pd.isna(value):
        return None
    return bool(value) if isinstance(value, (bool, np.bool_)) else value


def writers(respondents: pd.DataFrame, seed: int = DEFAULT_SEED) -> pd.Series:
    """The writer number each respondent's row lends its answers to (index ``respondent_id``): a seeded
    permutation onto ``schema.WRITER_BASE``, ``WRITER_BASE + 1``, ... It is used to build the corpus and to test it,
    and it is never written to a file, so that no answer is attributed to a respondent ID.

    >>> from hmbook import paths
    >>> from hmbook.data import respondents
    >>> w = writers(respondents.read_respondents(paths.RESPONDENTS_CSV))
    >>> sorted(w) == list(range(schema.WRITER_BASE, schema.WRITER_BASE + 90)), w.index.name
    (True, 'respondent_id')
    """
    ids = np.sort(respondents["respondent_id"].astype(int).to_numpy())
    order = np.random.default_rng([seed, 6]).permutation(len(ids))
    return pd.Series(schema.WRITER_BASE + order, index=pd.Index(ids, name="respondent_id"), name="writer_id")


def build(respondents: pd.DataFrame, seed: int = DEFAULT_SEED, material: corpus_data.Material | None = None
          ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The corpus (one row per writer and question, in writer order), the reference coding and the second coding.

    ``material`` is what the answers are assembled from (default: :func:`hmbook.qualitative.corpus_data.load`).
    """
    material = corpus_data.load() if material is None else material
    parts = (material.sentences, _blocks(material.weights),
             dict(zip(material.group_phrases["group"], material.group_phrases["phrase"])))
    rng = np.random.default_rng([seed, 4])
    writer_of = writers(respondents, seed)
    used: dict = {}
    rows, segs = [], []
    for _, r in respondents.sort_values("respondent_id").iterrows():
        row = {k: _clean(v) for k, v in r.items()}
        fits = corpus_data.who_fits(material.who, row)
        style = ("terse", "plain", "wordy")[rng.choice(3, p=[0.3, 0.5, 0.2])]
        writer = int(writer_of[int(row["respondent_id"])])
        for question, rate in zip(material.questions["question"], material.questions["answer_rate"]):
            rid = f"S{writer}-{question}"
            answered = _answered(question, row, rate, rng)
            answer = _answer(question, row, fits, parts, used, rng, style) if answered else []
            start, texts = 0, []
            for k, (text, code, alt) in enumerate(answer, 1):
                segs.append({"segment_id": f"{rid}.{k}", "response_id": rid, "start": start,
                             "end": start + len(text), "code": code, "alt": alt})
                texts.append(text)
                start += len(text) + 1
            rows.append({"response_id": rid, "writer_id": writer, "used_hm": bool(row["used_hm"]),
                         "question": question, "text": " ".join(texts), "held_back": False, "synthetic": True})
    # Published in writer order, so that the order of the rows says nothing about the respondent rows either.
    corpus = pd.DataFrame(rows).sort_values("writer_id", kind="stable").reset_index(drop=True)
    for question, n in zip(material.questions["question"], material.questions["held_back"]):
        if not n:
            continue
        cand = corpus.index[(corpus["question"] == question) & (corpus["text"] != "")]
        corpus.loc[rng.choice(cand, size=n, replace=False), "held_back"] = True
    seg = pd.DataFrame(segs)
    seg = seg.iloc[np.argsort(seg["response_id"].map(dict(zip(corpus["response_id"], corpus.index))).to_numpy(),
                              kind="stable")].reset_index(drop=True)
    ref = seg.drop(columns="alt").assign(synthetic=True)
    second = second_coding(seg, np.random.default_rng([seed, 5]), material.codebook)
    return corpus, ref, second


def second_coding(segments: pd.DataFrame, rng: np.random.Generator, codebook: pd.DataFrame | None = None
                  ) -> pd.DataFrame:
    """A simulated second coder: the reference codes, with disagreements of the kinds real coders make.

    Where a sentence has a written second reading (``alt``) the coder takes it with probability 0.4; otherwise a
    coded segment is missed (coded ``none``) with probability 0.05 or moved to the sister subtheme of the same
    theme with probability 0.04, and an uncoded segment is given a code with probability 0.06. The codes and their
    themes come from ``codebook`` (default: ``data/codebook.csv``).

    >>> seg = pd.DataFrame({"segment_id": ["a", "b"], "response_id": ["r", "r"], "start": [0, 5], "end": [4, 9],
    ...                     "code": ["training", "none"], "alt": ["", ""]})
    >>> second_coding(seg, np.random.default_rng(0))["code"].tolist()
    ['training', 'none']
    """
    codebook = corpus_data.read_codebook() if codebook is None else codebook
    codes = list(codebook["code"])
    theme = dict(zip(codes, codebook["theme_number"]))
    out = []
    for s in segments.itertuples():
        code, u = s.code, rng.random()
        if s.alt:
            code = s.alt if u < 0.4 else code
        elif code != NONE:
            if u < 0.05:
                code = NONE
            elif u < 0.09:
                code = next(c for c in codes if theme[c] == theme[code] and c != code)
        elif u < 0.06:
            code = codes[rng.integers(len(codes))]
        out.append(code)
    return segments[["segment_id", "response_id", "start", "end"]].assign(code=out, synthetic=True)


def to_csv_text(df: pd.DataFrame) -> str:
    """A corpus or coding table as CSV text (``true``/``false``, LF line endings), as the files are written."""
    buf = StringIO()
    out = df.copy()
    for col in out.columns[out.dtypes == bool]:  # noqa: E721 (pandas compares each column's dtype)
        out[col] = cells.format_bool(out[col])
    out.to_csv(buf, **_CSV)
    return buf.getvalue()
