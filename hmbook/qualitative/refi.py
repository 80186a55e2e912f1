"""The codebook as a REFI-QDA Codebook (``.qdc``), the exchange format of qualitative-analysis software.

:func:`refi_codebook` writes namespace ``urn:QDA-XML:codebook:1.0``, read by ATLAS.ti, MAXQDA, NVivo, QDA Miner
and Taguette: themes are non-codable parent codes, subthemes codable children with the definition and rules as
description. Each theme gets a colour from ``colours`` (the book passes its palette,
:data:`hmbook.viz.plotting.OKABE_ITO`, so the export and the thematic map agree; this module does not import the
plotting layer).

>>> from hmbook.qualitative import thematic
>>> xml = refi_codebook(thematic.read_codebook(), ("#E69F00", "#56B4E9"))
>>> xml.splitlines()[1][:57]
'<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="hmbook'
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence

import pandas as pd

from hmbook import __version__

__all__ = ["NAMESPACE", "refi_codebook"]

NAMESPACE = "urn:QDA-XML:codebook:1.0"
_GUIDS = uuid.UUID("6f1c2f4e-3d0a-4a57-9a43-0b7c1f3e8d21")  # fixed, so the same codebook gives the same GUIDs


def _guid(name: str) -> str:
    return str(uuid.uuid5(_GUIDS, name)).upper()


def refi_codebook(codebook: pd.DataFrame, colours: Sequence[str]) -> str:
    """The codebook as REFI-QDA Codebook XML (themes as parents, subthemes as codable children)."""
    ET.register_namespace("", NAMESPACE)
    q = lambda tag: f"{{{NAMESPACE}}}{tag}"  # noqa: E731
    root = ET.Element(q("CodeBook"), origin=f"hmbook {__version__}")
    codes = ET.SubElement(root, q("Codes"))
    for (number, theme), subs in codebook.groupby(["theme_number", "theme"], sort=True):
        colour = colours[(number - 1) % len(colours)]
        parent = ET.SubElement(codes, q("Code"), guid=_guid(f"theme:{theme}"), name=theme, isCodable="false",
                               color=colour)
        ET.SubElement(parent, q("Description")).text = f"Theme {number} of the thematic map."
        for row in subs.itertuples():
            child = ET.SubElement(parent, q("Code"), guid=_guid(f"code:{row.code}"), name=row.subtheme,
                                  isCodable="true", color=colour)
            ET.SubElement(child, q("Description")).text = (
                f"[{row.code}] {row.definition} Include: {row.include} Exclude: {row.exclude}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
