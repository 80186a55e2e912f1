"""Live controls for JupyterLab: a slider per parameter of the recruitment simulator, redrawing on release.

The static site cannot run Python, so the book shows figures made at build time and this panel is for a running
kernel (``make lab``). ``ipywidgets`` is imported when a panel is built, not when this module is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np

from hmbook.methods import sampling
from hmbook.viz import plotting

if TYPE_CHECKING:
    import ipywidgets

__all__ = ["SLIDERS", "sampling_panel"]

# parameter -> (minimum, maximum, step); integers get an integer slider.
SLIDERS = {
    "selection": (-1.0, 2.0, 0.1),
    "homophily": (0.0, 1.0, 0.05),
    "take_part": (0.05, 0.95, 0.05),
    "advert_reach": (0.0, 0.1, 0.005),
    "n_seeds": (0, 30, 1),
    "waves": (0, 6, 1),
    "forward": (0.0, 1.0, 0.05),
    "dropout": (0.0, 0.9, 0.05),
}


def sampling_panel(model: sampling.Model | None = None, n_studies: int = 200, seed: int = 0) -> ipywidgets.VBox:
    """An ipywidgets panel: sliders for :data:`SLIDERS` (starting at ``model``'s values) above a figure of
    ``n_studies`` simulated studies, redrawn whenever a slider is released. Each redraw uses ``seed``, so the
    same settings always give the same figure. Settings under which nobody takes part to the end (no seeds and no
    advert, say) print why instead of drawing an empty figure."""
    import ipywidgets as w
    from IPython.display import display

    model = model or sampling.Model()
    controls = {}
    for name, (lo, hi, step) in SLIDERS.items():
        kind = w.IntSlider if isinstance(step, int) else w.FloatSlider
        controls[name] = kind(value=getattr(model, name), min=lo, max=hi, step=step, description=name,
                              continuous_update=False, style={"description_width": "90px"})

    def draw(**values):
        try:
            m = model.with_(**values)
        except ValueError as err:  # eg more seeds than people: say so instead of drawing
            print(err)
            return
        if m.n_seeds == 0 and m.advert_reach == 0:  # nobody is ever invited: say so instead of an empty plot
            print("With no seeds and an advert that reaches nobody, no one is invited and no study has any "
                  "participants. Raise n_seeds or advert_reach.")
            return
        studies = sampling.simulate(m, n_studies, np.random.default_rng(seed))
        if studies["estimate"].isna().all():
            print("No simulated study kept a single participant to the end at these settings (everyone invited "
                  "declined or dropped out). Raise take_part or lower dropout.")
            return
        print(f"selection {m.selection:g}: the odds of taking part are {m.odds_ratio():.2f} times higher per "
              "standard deviation of attitude")
        fig = plotting.sampling_histogram(studies, title="Simulated studies at these settings")
        display(fig)
        plt.close(fig)

    out = w.interactive_output(draw, controls)
    boxes = list(controls.values())
    return w.VBox([w.HBox([w.VBox(boxes[::2]), w.VBox(boxes[1::2])]), out])
