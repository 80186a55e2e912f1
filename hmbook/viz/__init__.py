"""Figures, tables for reading and widgets: one style and colour-blind-safe palette, every figure of the book,
tables cut to what a reader needs (with the full table as a CSV download), and the live ipywidgets panels. Builds
on the analysis layers; nothing in them imports it.
"""
