"""The data layer: the column contract, the published figures and register, respondents I/O, the data package.

Lowest layer above :mod:`hmbook.errors`, :mod:`hmbook.paths` and :mod:`hmbook.files`; imports nothing else of hmbook.
"""
