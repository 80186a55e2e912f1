"""The study's methods: the audit of printed numbers, inference, the recruitment-bias simulation, and the
CHERRIES reading of the design. Builds on :mod:`hmbook.replicate` and :mod:`hmbook.data`.
"""
