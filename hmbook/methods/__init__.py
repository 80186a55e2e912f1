"""The study's methods: the audit of printed numbers (with its exact arithmetic of rounding, GRIM, GRIMMER and
DEBIT in :mod:`hmbook.methods.grim`), inference, the recruitment-bias simulation, and the CHERRIES reading of the
design. Builds on :mod:`hmbook.replicate` and :mod:`hmbook.data`.
"""
