"""A coding sheet for students: tick the subthemes each response shows, in JupyterLab or in any spreadsheet.

The sheet is a DataFrame (and a CSV) with one row per response and one 0/1 column per subtheme code.
:func:`sheet` makes a blank one; :func:`read_sheet` reads an edited CSV back and checks it; :class:`Coder` is an
ipywidgets front end that shows one response at a time with a tick box per subtheme and saves the sheet to CSV.
Without widgets (a plain Python session, a static web page) edit the CSV instead: the result is the same file.
:func:`hmbook.qualitative.thematic.sheet_agreement` compares two sheets.

>>> import pandas as pd
>>> responses = pd.DataFrame({"response_id": ["r1", "r2"], "question": ["q", "q"], "text": ["Safer.", "No."]})
>>> sheet(responses, ["safer", "policy"]).drop(columns="text").to_dict("records")[0]
{'response_id': 'r1', 'question': 'q', 'safer': 0, 'policy': 0}
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from hmbook.errors import DataError
from hmbook.files import cells, reading, safe_write

__all__ = ["sheet", "read_sheet", "Coder"]


def sheet(responses: pd.DataFrame, codes: Iterable[str]) -> pd.DataFrame:
    """A blank coding sheet: ``response_id``, ``question``, ``text`` and a 0 column per code."""
    out = responses[["response_id", "question", "text"]].reset_index(drop=True).copy()
    for code in codes:
        out[code] = 0
    return out


_MAX_SHEET = 10_000  # responses on one sheet (the whole corpus has a few hundred)


def read_sheet(path: str | Path, codes: Sequence[str], responses: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read an edited sheet; refuse unknown codes, values other than 0/1, and responses that were not handed out.

    Empty cells count as 0 (not ticked). A missing, empty, binary or otherwise unreadable file is refused with
    one line naming it.
    """
    path = Path(path)
    df = reading.read_table(path, kind="a coding sheet", columns=["response_id", *codes], max_rows=_MAX_SHEET,
                            extra=True)
    cells.require_unique(path, df, "response_id")
    values = df[list(codes)].replace("", "0")
    bad = ~values.isin(["0", "1"])
    if bad.any().any():
        col = bad.any().idxmax()
        raise DataError(f"{path}: column {col!r} must hold 0 or 1, not {values.loc[bad[col], col].iloc[0]!r}")
    if responses is not None and not set(df["response_id"]) <= set(responses["response_id"]):
        raise DataError(f"{path}: response {sorted(set(df['response_id']) - set(responses['response_id']))[0]!r} "
                        "was not on the sheet handed out")
    df[list(codes)] = values.astype(int)
    return df


def _resume(responses: pd.DataFrame, codes: Sequence[str], path: Path) -> pd.DataFrame:
    """The sheet to start from: the saved one at ``path`` if there is one (its ticks kept), else a blank one."""
    table = sheet(responses, codes)
    if not path.exists():
        return table
    saved = read_sheet(path, codes, responses).set_index("response_id")
    ticks = saved.reindex(table["response_id"])[list(codes)].fillna(0).astype(int).to_numpy()
    table[list(codes)] = ticks
    return table


class Coder:
    """Show one response at a time, tick its subthemes, save the sheet to ``path`` as CSV.

    ``labels`` maps each code to the label shown beside its tick box (the subtheme name). Nothing is written
    until *Save* is pressed. A sheet already saved at ``path`` is loaded first, so re-running the cell carries on
    from the saved ticks instead of starting blank; *Save* writes all-or-nothing, and refuses (saying so) if the
    file was changed by something else since it was loaded, rather than overwrite that work.
    """

    def __init__(self, responses: pd.DataFrame, labels: dict[str, str], path: str | Path):
        import ipywidgets as w  # imported here: hmbook itself works without a widget front end

        self.codes, self.path, self.i = list(labels), Path(path), 0
        # The bytes first: if the file changes while the ticks load, Save sees a change and refuses.
        self._on_disk = self.path.read_bytes() if self.path.exists() else None
        self.table = _resume(responses, self.codes, self.path)
        self.text = w.HTML()
        self.boxes = {c: w.Checkbox(description=label, indent=False, layout=w.Layout(width="auto"))
                      for c, label in labels.items()}
        self.prev_button, self.next_button = w.Button(description="Previous"), w.Button(description="Next")
        self.save_button = w.Button(description="Save", icon="save")  # default style: "primary" fails WCAG contrast
        self.status = w.Label()
        self.prev_button.on_click(lambda _: self.go(-1))
        self.next_button.on_click(lambda _: self.go(+1))
        self.save_button.on_click(lambda _: self.save())
        self.widget = w.VBox([self.text, w.VBox(list(self.boxes.values())),
                              w.HBox([self.prev_button, self.next_button, self.save_button]), self.status])
        self._show()

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)

    def _store(self) -> None:
        for code, box in self.boxes.items():
            self.table.loc[self.i, code] = int(box.value)

    def _show(self) -> None:
        row = self.table.loc[self.i]
        self.text.value = (f"<b>{html.escape(row['response_id'])}</b> ({self.i + 1} of {len(self.table)}, "
                           f"SYNTHETIC)<br><blockquote>{html.escape(row['text'])}</blockquote>")
        for code, box in self.boxes.items():
            box.value = bool(row[code])

    def go(self, step: int) -> None:
        """Keep the ticks of this response and move ``step`` responses on (staying within the sheet)."""
        self._store()
        self.i = min(max(self.i + step, 0), len(self.table) - 1)
        self._show()

    def save(self) -> Path | None:
        """Write the sheet (with the ticks of the response on screen) to ``path``; None if that would lose work."""
        self._store()
        now = self.path.read_bytes() if self.path.exists() else None
        if now != self._on_disk:
            self.status.value = (f"Not saved: {self.path} changed since this sheet was loaded. Re-run the cell to "
                                 "load it, then tick again.")
            return None
        data = self.table.to_csv(index=False, lineterminator="\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        safe_write.write_atomic(self.path, data)
        self._on_disk = data
        ticks = int(self.table[self.codes].to_numpy().sum())
        self.status.value = f"Saved {len(self.table)} responses ({ticks} ticks) to {self.path}"
        return self.path
