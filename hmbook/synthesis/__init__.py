"""Synthesis for any survey paper: SYNTHETIC respondent tables that hold every figure of a figures file, from a
study spec (:mod:`~hmbook.synthesis.spec`: variables, skips, rules, readings and pins), written as a count program
(:mod:`~hmbook.synthesis.program`), solved exactly as an integer program by scipy's HiGHS
(:mod:`~hmbook.synthesis.solve`, :mod:`~hmbook.synthesis.aggregate`) and drawn by a uniform Markov chain
(:mod:`~hmbook.synthesis.chain`); ``python -m hmbook synth`` and ``python -m hmbook bounds``. This paper's own spec
runs through :mod:`~hmbook.synthesis.paper`."""
