"""Constants that several layers share: the default seed, the groups and the display labels.

They sit in the bottom layer so that no module imports another only to reach a constant (the synthetic
free text needs the seed, but not the generator; a figure needs a measure's label, but not the statistics). This
module imports nothing.

>>> GROUP_LABELS["non_users"], VARIABLE_LABELS["tech_anatomy"]
('Non-users', 'Teaching anatomy')
"""

from __future__ import annotations

__all__ = ["DEFAULT_SEED", "GROUPS", "GROUP_LABELS", "GROUP_SHORT", "TECHNIQUE_LABELS", "VARIABLE_LABELS",
           "MEASURE_LABELS"]

#: The one default seed: regenerates the committed SYNTHETIC respondents and free text byte for byte, and seeds
#: the book's simulations. Every random draw takes a numpy Generator made from a seed passed in.
DEFAULT_SEED = 20220429

#: The groups a published figure belongs to: the whole sample, then the two groups that split it.
GROUPS = ("all", "users", "non_users")
#: How a group is named in a table heading or a figure legend.
GROUP_LABELS = {"all": "All respondents", "users": "Users", "non_users": "Non-users"}
#: How a group is named inside a sentence or a cell ("a figure for non-users").
GROUP_SHORT = {"all": "all", "users": "users", "non_users": "non-users"}

#: Short labels for the ten technique items. The paper's item wording is not reused: some of it describes a
#: method, and the book names techniques by short labels only.
TECHNIQUE_LABELS = {
    "tech_pinching": "Pinching",
    "tech_ice": "Ice",
    "tech_rubber_bands": "Rubber bands",
    "tech_drawing_lines": "Drawing lines",
    "tech_hitting_soft": "Hitting something soft",
    "tech_wound_care": "Wound care",
    "tech_anatomy": "Teaching anatomy",
    "tech_tetanus": "Tetanus protection",
    "tech_clean_instruments": "Clean instruments",
    "tech_other": "Other techniques",
}

#: How each variable of the respondent table (and of figures.csv) is named in a table.
VARIABLE_LABELS = {
    "respondents": "Respondents", "age_group": "Age", "gender": "Gender", "country": "Country of practice",
    "occupation": "Occupation", "organisation": "Organisational setting",
    "years_in_role": "Length of time in current role, years", "used_hm": "Use of harm minimisation for self-harm",
    "avoid_any_group": "Named a group to avoid", "local_guidelines": "Clear local guidelines",
    "national_guidelines": "Aware of national guidelines", "trained": "Trained in harm minimisation",
    "training_helpful": "Found training helpful", "confidence": "Confidence in recommending",
    "shas_safe_environment": "Allowed to self-harm in a safe environment",
    "shas_right_to_self_harm": "A right to self-harm", "flow": "Participant flow",
    **TECHNIQUE_LABELS,
}

#: Display labels for the pairs and measures of :func:`hmbook.methods.inference.ensemble_associations`.
MEASURE_LABELS = {
    "training_confidence": "training × confidence",
    "occupation_years": "occupation × years in role",
    "confident_gap": "Confident: trained minus untrained users (points)",
    "v_training_confidence": "Cramér's V, training × confidence (users)",
    "over_two_gap": "Over two years in role: GPs minus others (points)",
    "v_occupation_years": "Cramér's V, occupation × years band",
}
