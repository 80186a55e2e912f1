"""Thematic analysis of the SYNTHETIC free-text corpus: loading, keyword in context, agreement between coders.

The corpus (``data/synthetic/free_text.csv``) has one row per synthetic writer and open question; a coding
(``coding_reference.csv``, ``coding_second.csv``) has one row per segment, with its character span in the answer
and one code: a subtheme code from ``data/codebook.csv`` or ``none``. Agreement is measured on segments, both
coders having coded the same segments:

- overall, with all codes as categories: percent agreement, Cohen's kappa (``sklearn.metrics.cohen_kappa_score``)
  and Krippendorff's alpha for nominal data (the ``krippendorff`` package);
- per subtheme, on the yes/no question "is this segment coded with this subtheme?".

>>> ref = pd.DataFrame({"segment_id": list("abcd"), "code": ["x", "x", "y", "y"]})
>>> table = agreement(ref, ref.assign(code=["x", "y", "x", "y"]), codes=["x", "y"])
>>> table.loc["overall", ["percent", "kappa"]].tolist()
[50.0, 0.0]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from hmbook import paths
from hmbook.data import schema
from hmbook.errors import DataError
from hmbook.files import cells, reading
from hmbook.qualitative.corpus_data import NONE, read_codebook  # re-exported: defined once, beside the corpus data

__all__ = ["NONE", "CORPUS_COLUMNS", "CODING_COLUMNS", "read_corpus", "read_coding", "read_codebook", "segments",
           "summary", "kwic", "agreement", "confusion", "code_counts", "response_codes", "theme_codes",
           "sheet_agreement", "short_labels", "codebook_markdown"]

CORPUS_COLUMNS = ("response_id", "writer_id", "used_hm", "question", "text", "held_back", "synthetic")
CODING_COLUMNS = ("segment_id", "response_id", "start", "end", "code")
_MAX_ROWS = 50_000  # a corpus or coding: 90 writers answer a few questions in a few segments each


def read_corpus(path: str | Path | None = None) -> pd.DataFrame:
    """The corpus: ``response_id``, ``writer_id`` (a synthetic writer, S101 to S190, not a respondent ID; A28),
    ``used_hm``, ``question``, ``text`` ('' if blank), ``held_back``.

    Refuses (one line, naming the file) a file that is not a corpus, a repeated ``response_id``, a writer number
    outside the writers' own range, a ``used_hm``, ``held_back`` or ``synthetic`` other than ``true``/``false``,
    and a row not marked synthetic.
    """
    path = Path(paths.FREE_TEXT_CSV if path is None else path)
    df = reading.read_table(path, kind="a free-text corpus", columns=CORPUS_COLUMNS, max_rows=_MAX_ROWS)
    cells.require_unique(path, df, "response_id")
    df["writer_id"] = cells.typed(path, df, "writer_id", cells.parse_int, minimum=schema.WRITER_BASE,
                                  required=True).astype(int)
    for col in ("used_hm", "held_back", "synthetic"):
        df[col] = cells.typed(path, df, col, cells.parse_bool, required=True).astype(bool)
    if not df["synthetic"].all():
        raise DataError(f"{path}: row {int((~df['synthetic']).to_numpy().argmax()) + 1} is not marked synthetic; "
                        "every answer in the corpus must be")
    return df


def read_coding(path: str | Path) -> pd.DataFrame:
    """A coding: one row per segment with ``segment_id``, ``response_id``, ``start``, ``end``, ``code``.

    Refuses a file that is not a coding, a repeated ``segment_id``, and a span that is not whole numbers with
    ``0 <= start <= end``.
    """
    path = Path(path)
    df = reading.read_table(path, kind="a coding", columns=CODING_COLUMNS, max_rows=_MAX_ROWS, extra=True)
    cells.require_unique(path, df, "segment_id")
    for col in ("start", "end"):
        df[col] = cells.typed(path, df, col, cells.parse_int, minimum=0, required=True).astype(int)
    backwards = df["end"] < df["start"]
    if backwards.any():
        raise DataError(f"{path}: row {int(backwards.to_numpy().argmax()) + 1} ends before it starts")
    return df


def segments(corpus: pd.DataFrame, coding: pd.DataFrame) -> pd.DataFrame:
    """The coding with each segment's text, question and writer joined on."""
    out = coding.merge(corpus[["response_id", "writer_id", "question", "text"]], on="response_id",
                       validate="many_to_one")
    out["segment"] = [t[s:e] for t, s, e in zip(out["text"], out["start"], out["end"])]
    return out.drop(columns="text")


def summary(corpus: pd.DataFrame) -> pd.DataFrame:
    """Per question: answers given, blank answers, and words per answer (median, minimum, maximum)."""
    words = corpus["text"].str.split().str.len()
    given = corpus.assign(words=words)[corpus["text"] != ""]
    stats = given.groupby("question", sort=False)["words"].agg(answers="size", median_words="median",
                                                              min_words="min", max_words="max")
    stats.insert(1, "blank", corpus[corpus["text"] == ""].groupby("question", sort=False).size())
    return stats.fillna(0).astype(int).reindex(corpus["question"].unique())


def kwic(corpus: pd.DataFrame, keyword: str, width: int = 35) -> pd.DataFrame:
    """Keyword in context: every whole-word occurrence of ``keyword`` (case-insensitive), centred.

    >>> c = pd.DataFrame({"response_id": ["r1"], "question": ["q"], "text": ["No training at all. Training helps."]})
    >>> kwic(c, "training", width=8)["keyword"].tolist()
    ['training', 'Training']
    """
    rows = []
    pattern = re.compile(rf"\b{re.escape(keyword)}\b", re.IGNORECASE)
    for r in corpus.itertuples():
        for m in pattern.finditer(r.text):
            rows.append({"response_id": r.response_id, "question": r.question,
                         "left": r.text[max(0, m.start() - width):m.start()].rjust(width),
                         "keyword": m.group(0), "right": r.text[m.end():m.end() + width]})
    return pd.DataFrame(rows, columns=["response_id", "question", "left", "keyword", "right"])


def _pair(a: pd.DataFrame, b: pd.DataFrame, codes: Iterable[str] | None) -> tuple[pd.DataFrame, list[str]]:
    """The two codings side by side (``code_a``, ``code_b``), and the codes: as given, or every code used."""
    both = a[["segment_id", "code"]].merge(b[["segment_id", "code"]], on="segment_id", how="outer",
                                           suffixes=("_a", "_b"), indicator=True)
    if (both["_merge"] != "both").any():
        raise DataError("the two codings do not cover the same segments")
    codes = list(codes) if codes is not None else sorted((set(both["code_a"]) | set(both["code_b"])) - {NONE})
    return both, codes


def _alpha(x: np.ndarray, y: np.ndarray) -> float:
    values = sorted(set(x) | set(y))
    if len(values) < 2:
        return float("nan")  # no variation at all: alpha is undefined
    index = {v: i for i, v in enumerate(values)}
    data = np.array([[index[v] for v in x], [index[v] for v in y]], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _kappa(x, y) -> float:
    if len(set(x) | set(y)) < 2:
        return float("nan")  # both coders used a single category: kappa is undefined
    return float(cohen_kappa_score(x, y))


def _row(x, y) -> dict:
    x, y = np.asarray(x), np.asarray(y)
    return {"percent": float(100 * (x == y).mean()), "kappa": _kappa(x, y), "alpha": _alpha(x, y)}


def _yes_no_row(x, y) -> dict:
    """Agreement on a yes/no question (is the code given?): ``n_a``, ``n_b`` and ``both`` yeses, and :func:`_row`."""
    x, y = np.asarray(x, dtype=bool), np.asarray(y, dtype=bool)
    return {"n_a": int(x.sum()), "n_b": int(y.sum()), "both": int((x & y).sum()), **_row(x, y)}


def agreement(a: pd.DataFrame, b: pd.DataFrame, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Agreement between two codings of the same segments, per code (yes/no) and overall (all codes).

    Columns: ``n_a`` and ``n_b`` (segments each coder gave the code), ``both`` (segments both gave it),
    ``percent`` agreement, Cohen's ``kappa`` and Krippendorff's ``alpha``. The ``overall`` row treats every code
    and ``none`` as categories of one variable. A kappa or alpha is NaN where it is undefined (no variation).

    >>> ref = pd.DataFrame({"segment_id": list("abcd"), "code": ["x", "x", "y", "none"]})
    >>> agreement(ref, ref, codes=["x", "y"])[["kappa", "alpha"]].to_numpy().tolist()
    [[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]
    """
    both, codes = _pair(a, b, codes)
    rows = {code: _yes_no_row(both["code_a"] == code, both["code_b"] == code) for code in codes}
    rows["overall"] = {"n_a": int((both["code_a"] != NONE).sum()), "n_b": int((both["code_b"] != NONE).sum()),
                       "both": int(((both["code_a"] == both["code_b"]) & (both["code_a"] != NONE)).sum()),
                       **_row(both["code_a"], both["code_b"])}
    return pd.DataFrame.from_dict(rows, orient="index")


def confusion(a: pd.DataFrame, b: pd.DataFrame, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Segments by the first coder's code (rows) and the second's (columns), ``none`` last.

    >>> ref = pd.DataFrame({"segment_id": list("abc"), "code": ["x", "y", "none"]})
    >>> confusion(ref, ref.assign(code=["x", "x", "none"]), codes=["x", "y"]).to_numpy().tolist()
    [[1, 0, 0], [1, 0, 0], [0, 0, 1]]
    """
    both, codes = _pair(a, b, codes)
    order = codes + [NONE]
    table = pd.crosstab(pd.Categorical(both["code_a"], order), pd.Categorical(both["code_b"], order),
                        dropna=False)
    table.index.name, table.columns.name = "first coder", "second coder"
    return table


def code_counts(coding: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The codebook with the number of segments and of writers (synthetic answer sets) coded with each subtheme."""
    coded = coding[coding["code"] != NONE].assign(writer=coding["response_id"].str.split("-").str[0])
    counts = coded.groupby("code").agg(segments=("segment_id", "size"), writers=("writer", "nunique"))
    out = codebook[["code", "theme_number", "theme", "subtheme"]].merge(counts, left_on="code", right_index=True,
                                                                       how="left")
    out[["segments", "writers"]] = out[["segments", "writers"]].fillna(0).astype(int)
    return out


def response_codes(coding: pd.DataFrame, codes: Iterable[str], responses: Iterable[str] | None = None) -> pd.DataFrame:
    """Response by subtheme table of 0/1: did any segment of the response get the code (the coder-sheet form)."""
    table = pd.crosstab(coding["response_id"], coding["code"]).reindex(columns=list(codes), fill_value=0)
    if responses is not None:
        table = table.reindex(list(responses), fill_value=0)
    table.columns.name = None
    return (table > 0).astype(int)


def theme_codes(coding: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """The coding with each subtheme code replaced by its theme number (as text), for theme-level agreement."""
    theme = dict(zip(codebook["code"], codebook["theme_number"].astype(str)))
    return coding.assign(code=coding["code"].map(lambda c: theme.get(c, NONE)))


def sheet_agreement(a: pd.DataFrame, b: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Agreement between two coding sheets (one row per response, a 0/1 column per code; see
    :mod:`hmbook.qualitative.coder`).

    Per code, on the responses both sheets hold: ``n_a``, ``n_b`` and ``both`` ticks, percent agreement, Cohen's
    kappa and Krippendorff's alpha; ``overall`` pools every response-and-code cell.

    >>> a = pd.DataFrame({"response_id": ["r1", "r2", "r3", "r4"], "x": [1, 1, 0, 0]})
    >>> sheet_agreement(a, a.assign(x=[1, 0, 1, 0]), ["x"]).loc["x", ["percent", "kappa"]].tolist()
    [50.0, 0.0]
    """
    both = a.set_index("response_id")[list(codes)].join(b.set_index("response_id")[list(codes)], how="inner",
                                                         lsuffix="_a", rsuffix="_b").astype(int)
    rows = {code: _yes_no_row(both[f"{code}_a"], both[f"{code}_b"]) for code in codes}
    rows["overall"] = _yes_no_row(np.concatenate([both[f"{c}_a"].to_numpy() for c in codes]),
                                  np.concatenate([both[f"{c}_b"].to_numpy() for c in codes]))
    return pd.DataFrame.from_dict(rows, orient="index")


def short_labels(codebook: pd.DataFrame) -> dict[str, str]:
    """Subtheme code -> a short label, the theme's number and a letter ("1a", "1b", "2a", ...), for narrow tables.

    >>> short_labels(pd.DataFrame({"code": ["x", "y", "z"], "theme_number": [1, 1, 2]}))
    {'x': '1a', 'y': '1b', 'z': '2a'}
    """
    letters = codebook.groupby("theme_number").cumcount().map(lambda i: chr(ord("a") + i))
    return dict(zip(codebook["code"], codebook["theme_number"].astype(str) + letters))


def codebook_markdown(codebook: pd.DataFrame) -> str:
    """The codebook in full as Markdown, one paragraph per subtheme (short label, name, theme, code, then its
    definition, what to include and exclude, and the example), so that every word wraps on any screen.

    >>> cb = read_codebook()
    >>> text = codebook_markdown(cb)
    >>> text.startswith("**1a. A safer alternative that reduces harm**"), text.count("*Exclude:*") == len(cb)
    (True, True)
    """
    short = short_labels(codebook)
    parts = []
    for row in codebook.itertuples():
        parts.append(f"**{short[row.code]}. {row.subtheme}** (theme {row.theme_number}, {row.theme}; "
                     f"code `{row.code}`)  \n*Definition:* {row.definition}  \n*Include:* {row.include}  \n"
                     f"*Exclude:* {row.exclude}  \n*Example (synthetic):* \u201c{row.example}\u201d")
    return "\n\n".join(parts)
