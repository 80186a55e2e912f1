"""Qualitative analysis: the SYNTHETIC free-text corpus and its codings, agreement and coding counts, the
students' coding sheet, the REFI-QDA export and the Taguette client. Builds on :mod:`hmbook.replicate` and
:mod:`hmbook.data`.
"""
