"""Synthesis for any survey paper: a SYNTHETIC respondent table that holds every figure of a figures file, from a
study spec (:mod:`~hmbook.synthesis.spec`), solved exactly as an integer program (:mod:`~hmbook.synthesis.model`,
:mod:`~hmbook.synthesis.solve`) by scipy's HiGHS; ``python -m hmbook synth``."""
