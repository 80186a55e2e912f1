"""Paths to the project's data, resolved from the package location (never from the working directory)."""

from pathlib import Path

__all__ = ["ROOT", "DATA", "FIGURES_CSV", "ASSUMPTIONS_CSV", "FACTS_CSV", "RESPONDENTS_CSV", "DATAPACKAGE_JSON",
           "CHERRIES_CSV", "FREE_TEXT_CSV", "CODING_REFERENCE_CSV", "CODING_SECOND_CSV", "CODEBOOK_CSV",
           "CORPUS", "QUESTIONS_CSV", "WHO_CSV", "SENTENCES_CSV", "WEIGHTS_CSV", "GROUP_PHRASES_CSV"]

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIGURES_CSV = DATA / "published" / "figures.csv"
ASSUMPTIONS_CSV = DATA / "published" / "assumptions.csv"
FACTS_CSV = DATA / "published" / "respondent_facts.csv"
RESPONDENTS_CSV = DATA / "synthetic" / "respondents.csv"
DATAPACKAGE_JSON = DATA / "datapackage.json"
CHERRIES_CSV = DATA / "cherries.csv"
FREE_TEXT_CSV = DATA / "synthetic" / "free_text.csv"
CODING_REFERENCE_CSV = DATA / "synthetic" / "coding_reference.csv"
CODING_SECOND_CSV = DATA / "synthetic" / "coding_second.csv"
CODEBOOK_CSV = DATA / "codebook.csv"
CORPUS = DATA / "corpus"  # what the SYNTHETIC free-text corpus is assembled from (sentences, weights, questions)
QUESTIONS_CSV = CORPUS / "questions.csv"
WHO_CSV = CORPUS / "who.csv"
SENTENCES_CSV = CORPUS / "sentences.csv"
WEIGHTS_CSV = CORPUS / "weights.csv"
GROUP_PHRASES_CSV = CORPUS / "group_phrases.csv"
