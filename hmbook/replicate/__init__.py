"""Replication: the seeded generator of exact synthetic tables, the comparison engine and the table layouts,
and the verification report. Builds on :mod:`hmbook.data`.
"""
