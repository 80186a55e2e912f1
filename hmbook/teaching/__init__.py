"""Teaching: what the chapters' notebooks import: the check helpers students call on their answers
(``exercises``) and the setup every chapter shares (``chapter``). The tooling that makes the course from the
chapters (hand-outs, grading, the student edition, lab copies) is :mod:`hmbook.course`.
"""
