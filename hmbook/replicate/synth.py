"""Seeded synthetic respondent tables that reproduce exactly every published count a respondent table can carry.

How it works
------------
Each column is filled by a *stratified shuffle*: the respondents are split into strata by columns already drawn
(for example users and non-users), each stratum gets a fixed multiset of answers taken from the published counts
(``figures.csv``, looked up by figure id), and the multiset is dealt out in random order. Because the multisets
are the published counts, every margin and every published cross-tabulation holds exactly in every draw; what the
paper does not fix (associations between columns it never crosses) is random under the seed.

Facts the paper states about respondents it quotes by ID (``respondent_facts.csv``) are *pinned*: those
respondents keep their stated value and the rest of the multiset is shuffled among the others. Where the paper
is ambiguous or contradicts itself, the choice is an entry of the assumption register
(``data/published/assumptions.csv``); the code that applies it names the entry (``# A03``).

The shuffle is vectorised over datasets: :func:`ensemble` draws ``k`` consistent datasets as ``(k, 90)`` code
arrays in one pass, which is what the limitations chapter uses to show what the marginals leave open.

>>> df = generate()
>>> len(df), int(df["used_hm"].sum())
(90, 76)
>>> ens = ensemble(3, seed=1)
>>> len(ens), ens.frame(2)["occupation"].value_counts()["General practitioner"]
(3, np.int64(26))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hmbook.constants import DEFAULT_SEED
from hmbook.data import published, schema
from hmbook.errors import DataError
from hmbook.files import cells

__all__ = ["Ensemble", "ensemble", "generate", "ILLUSTRATIVE_SPLITS"]

MISSING = -1
_DRAW = -2  # placeholder for a value drawn at random rather than dealt from a published multiset

# Splits the paper does not give, chosen for illustration (each listed label at least once). A13, A14, A25.
ILLUSTRATIVE_SPLITS = {
    "occupation_other": {  # A13: the 13 'Other' occupations
        "Assistant clinical psychologist": 2, "Counsellor": 3, "Peer recovery practitioner/worker": 2,
        "Service manager": 1, "Systemic psychotherapist": 1, "Trainee clinical psychologist": 2,
        "Voluntary sector self-harm specialist": 2,
    },
    "organisation_other": {"Prison service": 2, "Local authority": 1, "Community integrated care": 1},  # A14
    "avoid_groups_users": dict(zip(schema.AVOID_GROUPS["users"], (7, 6, 2, 3, 3, 5, 2, 2))),  # A25
    "avoid_groups_non_users": dict(zip(schema.AVOID_GROUPS["non_users"], (2, 2, 1, 2))),  # A25
}

# Response patterns: which blocks of the survey a respondent left unanswered (A01-A06).
COMPLETE, DROPOUT, SKIP_TRAINING, SKIP_SHAS, SKIP_AVOID = range(5)
_BLOCK_VARIABLES = {"local_guidelines", "national_guidelines", "trained", "training_helpful", "confidence",
                    "shas_safe_environment", "shas_right_to_self_harm", "avoid_any_group"}

# Years in role may not exceed the top of the age band minus this many years (A12: plausibility, not the paper).
_YEARS_BEFORE_ROLE = 20


def _misfit(detail: str) -> DataError:
    """The error for published figures (or facts) that cannot all hold at once: an edited figures.csv, say."""
    return DataError(f"the published figures and facts do not fit together: {detail}")


def _categories(name: str) -> tuple:
    col = schema.column(name)
    return (False, True) if col.kind == "bool" else col.categories


@dataclass(frozen=True)
class Ensemble:
    """``k`` synthetic datasets as integer codes: ``codes[column]`` is a ``(k, 90)`` array.

    Codes index the column's categories (``schema.column(name).categories``; ``False``/``True`` for booleans);
    ``-1`` is a missing answer. ``years_in_role`` holds the years themselves.
    """

    codes: dict[str, np.ndarray]

    def __len__(self) -> int:
        return self.codes["used_hm"].shape[0]

    def frame(self, i: int = 0) -> pd.DataFrame:
        """Dataset ``i`` as a typed DataFrame (the same types as :func:`hmbook.data.schema.from_strings`)."""
        n = self.codes["used_hm"].shape[1]
        out = {"respondent_id": pd.array(np.arange(1, n + 1), dtype="Int64")}
        for col in schema.COLUMNS[1:]:
            c = self.codes[col.name][i]
            if col.kind == "int":
                out[col.name] = pd.array(c, dtype="Int64")
            elif col.kind == "bool":
                out[col.name] = pd.array(np.where(c < 0, None, c == 1), dtype="boolean")
            elif col.kind == "category":
                out[col.name] = pd.Categorical.from_codes(c, categories=list(col.categories), ordered=True)
            else:  # multi: one group per respondent in this generator
                labels = np.array(col.categories + ("",), dtype=object)
                out[col.name] = pd.array(np.where(c < 0, None, labels[c]), dtype="string")
        return pd.DataFrame(out)


def generate(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One synthetic respondent table: ``ensemble(1, seed).frame(0)``."""
    return ensemble(1, seed).frame(0)


def ensemble(k: int, seed: int = DEFAULT_SEED, *, figs: pd.DataFrame | None = None,
             facts: pd.DataFrame | None = None) -> Ensemble:
    """Draw ``k`` synthetic datasets, each reproducing every published count, in one vectorised pass."""
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise DataError(f"k must be a positive whole number, not {k!r}")
    figs = published.figures() if figs is None else figs
    facts = published.respondent_facts() if facts is None else facts
    return _Generator(np.random.default_rng(seed), int(k), figs, facts).run()


class _Generator:
    """One pass of the generator. Methods are the steps, in the order their strata need."""

    def __init__(self, rng: np.random.Generator, k: int, figs: pd.DataFrame, facts: pd.DataFrame):
        self.rng, self.k, self.figs = rng, k, figs
        self.n = self.v("t1_n")
        self.pins = self._pins(facts)
        self.codes: dict[str, np.ndarray] = {}

    # -- published numbers ------------------------------------------------------------------------------------
    def v(self, figure_id: str) -> int:
        return published.value(self.figs, figure_id)

    def table1(self, variable: str) -> dict[str, int]:
        rows = self.figs[(self.figs["source"] == "Table 1") & (self.figs["variable"] == variable)]
        counts = {lvl: c for lvl, c in zip(rows["level"], rows["count"]) if lvl in _categories(variable)}
        absent = [lvl for lvl in _categories(variable) if pd.isna(counts.get(lvl))]
        if absent:
            raise _misfit(f"Table 1 has no count for {variable} {absent[0]!r}")
        return {lvl: int(c) for lvl, c in counts.items()}

    def _pins(self, facts: pd.DataFrame) -> dict[str, dict[int, int]]:
        """Facts about quoted respondents, as {column: {row index: code}} (A16: respondent_id = row + 1)."""
        pins: dict[str, dict[int, int]] = {}
        for rid, var, val in zip(facts["respondent_id"], facts["variable"], facts["value"]):
            cats = _categories(var)
            code = cats.index(cells.BOOLS.get(val, val))
            pins.setdefault(var, {})[rid - 1] = code
            if var in _BLOCK_VARIABLES:  # a stated answer means the respondent answered that block
                pins.setdefault("_pattern", {})[rid - 1] = COMPLETE
        return pins

    # -- the primitive ----------------------------------------------------------------------------------------
    def deal(self, name: str, strata: np.ndarray, quotas: Sequence[Mapping[int, int]]) -> np.ndarray:
        """Stratified shuffle. ``quotas[s]`` maps code -> count for stratum ``s`` and must fill it exactly;
        code ``MISSING`` leaves answers empty and ``_DRAW`` marks answers drawn afterwards."""
        k, n = strata.shape
        pinned = self.pins.get(name, {})
        pin_idx = np.array(sorted(pinned), dtype=np.intp)
        if len(pin_idx) and not (strata[:, pin_idx] == strata[0, pin_idx]).all():
            raise _misfit(f"{name}: a pinned respondent's stratum is not fixed")
        keys = self.rng.random((k, n))
        # Pinned respondents sort after the free members of their stratum, in respondent order.
        keys[:, pin_idx] = 1.0 + (pin_idx + 1) / (n + 1)
        order = np.argsort(strata * 4.0 + keys, axis=1)
        template, expected = [], []
        for s, quota in enumerate(quotas):
            pins_s = [pinned[i] for i in pin_idx if strata[0, i] == s]
            free = Counter(quota)
            free.subtract(pins_s)
            if any(c < 0 for c in free.values()):
                raise _misfit(f"{name}: pinned values exceed the published counts in stratum {s}")
            deal_s = [code for code, c in sorted(free.items()) for _ in range(c)] + pins_s
            template += deal_s
            expected += [s] * len(deal_s)
        if not np.array_equal(np.take_along_axis(strata, order, axis=1), np.broadcast_to(expected, (k, n))):
            raise _misfit(f"{name}: the published counts do not fill the strata")
        out = np.empty((k, n), dtype=np.int16)
        np.put_along_axis(out, order, np.asarray(template, dtype=np.int16)[None, :], axis=1)
        self.codes[name] = out
        return out

    def quota(self, name: str, size: int, counts: Mapping, rest: object = None) -> Counter[int]:
        """A multiset of codes from {label: count}; ``rest`` (a label) takes whatever the stratum has left."""
        cats = _categories(name)
        q: Counter[int] = Counter()
        for label, c in counts.items():
            q[cats.index(label) if label not in (MISSING, _DRAW) else label] += c
        if rest is not None:
            left = size - sum(q.values())
            if left < 0:
                raise _misfit(f"{name}: counts exceed the stratum of {size}")
            q[cats.index(rest) if rest not in (MISSING, _DRAW) else rest] += left
        if sum(q.values()) != size:
            raise _misfit(f"{name}: counts sum to {sum(q.values())}, the stratum has {size}")
        return q

    # -- the steps --------------------------------------------------------------------------------------------
    def run(self) -> Ensemble:
        k, n = self.k, self.n
        zeros = np.zeros((k, n), dtype=np.int16)
        for name in ("age_group", "gender", "country", "occupation"):
            self.deal(name, zeros, [self.quota(name, n, self.table1(name))])
        gp = (self.codes["occupation"] == schema.column("occupation").categories.index("General practitioner"))
        n_gp = self.v("t1_occ_gp")

        # Use of harm minimisation, crossed with GP as the text states (10 of the 14 non-users are GPs).
        gp_non_users = self.v("prac_non_users_gp")
        non_users = self.v("t1_used_no")
        used = self.deal("used_hm", gp.astype(np.int16), [
            self.quota("used_hm", n - n_gp, {False: non_users - gp_non_users}, rest=True),
            self.quota("used_hm", n_gp, {False: gp_non_users}, rest=True),
        ]) == 1
        users = n - non_users

        pattern = self._patterns(used, users, non_users)
        self.codes["completed_survey"] = (pattern != DROPOUT).astype(np.int16)
        self._organisation(gp, n_gp)
        self._years()
        for tech in schema.TECHNIQUES:
            short = tech.removeprefix("tech_")
            self.deal(tech, used.astype(np.int16), [
                self.quota(tech, non_users, {True: self.v(f"t2_non_users_{short}")}, rest=False),
                self.quota(tech, users, {True: self.v(f"t2_users_{short}")}, rest=False),
            ])
        self._groups_to_avoid(used, pattern, users, non_users)
        self._training(used, pattern, users, non_users)
        self._attitudes(used, pattern, users, non_users)
        self.codes["synthetic"] = np.ones((k, n), dtype=np.int16)
        return Ensemble({c.name: self.codes[c.name] for c in schema.COLUMNS[1:]})

    def _patterns(self, used, users, non_users) -> np.ndarray:
        answered_training = self.v("train_not_trained") + self.v("train_trained")  # A01: 74 users answered
        dropouts = self.n - self.v("flow_completed")  # A06: one analysed respondent did not complete; a user
        skip_training = users - answered_training - dropouts  # A01, A02, A03: the same users skip the block
        skip_shas = users - self.v("t4_n_users") - (users - answered_training)  # A04: nested gaps
        skip_avoid = non_users - self.v("avoid_non_users_none") - self.v("t3_n_non_users")  # A05
        codes = {COMPLETE: 0, DROPOUT: dropouts, SKIP_TRAINING: skip_training, SKIP_SHAS: skip_shas}
        if min(codes.values()) < 0 or skip_avoid < 0:
            raise _misfit("the published counts imply a negative number of respondents with gaps")
        codes[COMPLETE] = users - dropouts - skip_training - skip_shas
        name = "_pattern"
        self.pins.setdefault(name, {})
        return self.deal(name, used.astype(np.int16), [
            Counter({SKIP_AVOID: skip_avoid, COMPLETE: non_users - skip_avoid}), Counter(codes)])

    def _organisation(self, gp, n_gp) -> None:
        org = self.table1("organisation")
        self.deal("organisation", gp.astype(np.int16), [
            self.quota("organisation", self.n - n_gp, {**org, "NHS": org["NHS"] - n_gp}),
            self.quota("organisation", n_gp, {"NHS": n_gp}),  # A15: GPs work in the NHS
        ])
        for name, parent, total_id in (("occupation_other", "occupation", "t1_occ_other"),
                                       ("organisation_other", "organisation", "t1_org_other")):
            is_other = (self.codes[parent] == _categories(parent).index("Other")).astype(np.int16)
            total = self.v(total_id)
            self.deal(name, is_other, [Counter({MISSING: self.n - total}),
                                       self.quota(name, total, ILLUSTRATIVE_SPLITS[name])])  # A13, A14

    def _years(self) -> None:
        """Years in role: bands dealt most-restrictive first, each to respondents whose age allows it (A11, A12)."""
        k, n, rng = self.k, self.n, self.rng
        lo_all, hi_all = self.v("t1_years_min"), self.v("t1_years_max")
        bands = [(lo, hi, count) for _, lo, hi, count in published.year_bands(self.figs)]
        age_top = np.array([int(a.split("-")[1]) for a in _categories("age_group")])
        cap = np.minimum(age_top - _YEARS_BEFORE_ROLE, hi_all)[self.codes["age_group"]]
        years = np.full((k, n), -1, dtype=np.int16)
        rows = np.arange(k)[:, None]

        def pick(eligible: np.ndarray, count: int) -> np.ndarray:
            keys = np.where(eligible, rng.random((k, n)), np.inf)
            chosen = np.argsort(keys, axis=1)[:, :count]
            if not np.isfinite(keys[rows, chosen]).all():
                raise _misfit("years in role: the age bands cannot hold the published year bands")
            return chosen

        # The maximum goes to someone old enough for it (A11), then the bands from the most restrictive down.
        top = pick(cap >= hi_all, 1)
        years[rows, top] = hi_all
        for lo, hi, count in sorted(bands, key=lambda b: -b[0]):
            count -= int(lo <= hi_all <= hi)
            chosen = pick((years < 0) & (cap >= lo), count)
            span = np.minimum(hi, cap[rows, chosen]) - lo + 1
            years[rows, chosen] = lo + np.floor(rng.random(chosen.shape) * span).astype(np.int16)
            if lo == lo_all:  # the minimum, once, within its band (A11)
                years[rows, chosen[:, :1]] = lo_all
        self.codes["years_in_role"] = years

    def _groups_to_avoid(self, used, pattern, users, non_users) -> None:
        strata = np.where(used, 2, np.where(pattern == SKIP_AVOID, 1, 0)).astype(np.int16)
        skipped = int((strata[0] == 1).sum())
        avoid = self.deal("avoid_any_group", strata, [
            self.quota("avoid_any_group", non_users - skipped,
                       {False: self.v("avoid_non_users_none"), True: self.v("t3_n_non_users")}),
            Counter({MISSING: skipped}),  # A05
            self.quota("avoid_any_group", users, {False: self.v("avoid_users_none"), True: self.v("t3_n_users")}),
        ]) == 1
        strata = np.where(avoid, np.where(used, 1, 2), 0).astype(np.int16)
        named = [int((strata[0] == s).sum()) for s in range(3)]
        self.deal("avoid_groups", strata, [  # A25
            Counter({MISSING: named[0]}),
            self.quota("avoid_groups", named[1], ILLUSTRATIVE_SPLITS["avoid_groups_users"]),
            self.quota("avoid_groups", named[2], ILLUSTRATIVE_SPLITS["avoid_groups_non_users"]),
        ])

    def _training(self, used, pattern, users, non_users) -> None:
        answered = ~np.isin(pattern, (DROPOUT, SKIP_TRAINING))
        strata = np.where(~used, 2, answered.astype(np.int16)).astype(np.int16)
        gap = int((strata[0] == 0).sum())
        a_users = users - gap

        def block(name, users_counts, users_rest, nu_counts, nu_rest):
            return self.deal(name, strata, [
                Counter({MISSING: gap}),  # A01, A02: the users who skipped the block
                self.quota(name, a_users, users_counts, rest=users_rest),
                self.quota(name, non_users, nu_counts, rest=nu_rest),
            ])

        block("local_guidelines", {True: self.v("train_local")}, False,
              {False: self.v("train_nu_local_no")}, True)  # A02, A07
        block("national_guidelines", {True: self.v("train_national")}, False,
              {True: self.v("train_nu_national_yes"), False: self.v("train_nu_national_no")}, None)
        trained = block("trained", {True: self.v("train_trained"), False: self.v("train_not_trained")}, None,
                        {False: self.v("train_nu_not_trained")}, True) == 1
        strata = np.where(trained, np.where(used, 1, 2), 0).astype(np.int16)
        sizes = [int((strata[0] == s).sum()) for s in range(3)]
        helpful = self.deal("training_helpful", strata, [
            Counter({MISSING: sizes[0]}),
            self.quota("training_helpful", sizes[1],
                       {True: self.v("train_helpful"), False: self.v("train_not_helpful")}),
            Counter({_DRAW: sizes[2]}),  # A08: the trained non-user's answer is not published
        ])
        p_helpful = self.v("train_helpful") / self.v("train_trained")
        draw = helpful == _DRAW
        helpful[draw] = (self.rng.random(int(draw.sum())) < p_helpful).astype(np.int16)

        # Confidence: users who answered the block (A03: 74, not the printed 76); not asked of non-users (A09).
        conf = {"Confident": self.v("conf_confident"), "Unsure": self.v("conf_unsure"),
                "Not confident": self.v("conf_not_confident")}
        strata = (used & answered).astype(np.int16)
        self.deal("confidence", strata, [Counter({MISSING: self.n - a_users}),
                                         self.quota("confidence", a_users, conf)])

    def _attitudes(self, used, pattern, users, non_users) -> None:
        answered = pattern == COMPLETE
        strata = np.where(~used, 2, (used & answered).astype(np.int16)).astype(np.int16)
        a_users = self.v("t4_n_users")
        for name, short in (("shas_safe_environment", "safe"), ("shas_right_to_self_harm", "right")):
            quotas = [Counter({MISSING: users - a_users})]  # A04: the same 4 users skip both items
            for group, size in (("users", a_users), ("non_users", non_users)):
                quotas.append(self.quota(name, size, {
                    lvl: self.v(f"t4_{group}_{short}_{lvl.lower()}") for lvl in schema.AGREEMENT}))
            self.deal(name, strata, quotas)
