"""Figures and widgets: one style and colour-blind-safe palette, every figure of the book, and the live
ipywidgets panels. Builds on the analysis layers; nothing in them imports it.
"""
