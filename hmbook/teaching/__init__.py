"""Teaching: check helpers students call on their answers, the setup every chapter shares, and the builder of
the student edition and hand-out notebooks. Top of the library, below only :mod:`hmbook.cli`.
"""
