"""The study's methods: the audit of printed numbers (its exact arithmetic of rounding, GRIM, GRIMMER and DEBIT
sits in the bottom layer, :mod:`hmbook.grim`), inference, the recruitment-bias simulation, and the CHERRIES
reading of the design. Builds on :mod:`hmbook.replicate` and :mod:`hmbook.data`.
"""
