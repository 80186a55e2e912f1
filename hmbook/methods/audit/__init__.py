"""An audit of a paper's own numbers: percentages, means, sums and cross-references, read from a figures file.

The input is any CSV with the columns of ``data/published/figures.csv``, optionally with the columns for means
and standard deviations (:data:`~hmbook.data.published.OPTIONAL_COLUMNS`). Nothing about this paper is built in:
which rows form a block to sum and which rows report the same quantity is derived from the ``source``, ``group``,
``variable`` and ``level`` columns by the rules below, so the audit runs on another paper's figures file unchanged.
The arithmetic (rounding, GRIM, GRIMMER, DEBIT) is exact and lives in :mod:`hmbook.grim`; the figures are read
by :func:`hmbook.data.published.figures`, the one reader of a figures file.

The rules
---------
* **Special rows.** A ``level`` of ``answered`` is a table's header N (for its ``source``, ``group`` and
  ``variable``); a ``variable`` of ``respondents`` is the header N of its whole ``source`` and ``group``.
  ``minimum``/``maximum`` hold a range's ends. Special rows take part in cross-references and headers only.
* **Denominators.** A row's denominator is the one it prints; failing that, the header N of its table, and the
  finding says so. A count above its denominator, or a percentage outside 0-100, is ``inconsistent`` (check
  ``range``) and is not checked further.
* **Rounding.** Printed values are judged under the file's rounding (:mod:`~hmbook.methods.audit.rounding`): the
  conventions of :data:`~hmbook.grim.CONVENTIONS` that reproduce the most percentages printed with a count and a
  denominator (or header N). When those are one kind of rounding (to nearest, whatever it does with halves;
  truncation; ceiling) the rounding is *inferred*; when no row tells the kinds apart it is *assumed* to be to
  nearest, and the ``rounding`` note says so once; ``--rounding`` chooses it instead (:data:`ROUNDING_CHOICES`;
  ``any`` accepts every convention). A value that fits only under another convention (truncation, ceiling, double
  rounding, another treatment of halves) is ``inconsistent``, and its finding names that convention. An exact
  half that only some of the accepted treatments of halves give is a ``note``. Decimals are those printed (a
  trailing zero counts).
* **Percentages.** With a count and a denominator, the percentage must follow. With a denominator and no count,
  some whole count must give it (they are listed). With a count and no denominator, a GRIM search lists the
  denominators that give it, and names a likely one printed nearby (the question's parts, the group's size).
* **Group size.** The denominator printed most often in a group (ties: the larger). Groups other than ``all``
  *partition* ``all`` when their sizes add up to its size; then a count in ``all`` equals the sum over them.
* **Same quantity** (cross-references): rows with the same ``group``, ``variable`` and ``level``, whatever their
  source. Their counts, denominators, percentages, means and SDs must agree.
* **Question block** (sums): rows with the same ``group`` and ``variable`` that carry a count, one per distinct
  ``level``, taken to be exclusive answers (a multi-response item is one variable per option). Their total is
  compared with the denominator they print, else their one source's header N, else (when the block is
  *exhaustive*: levels ``Yes`` and ``No``, or percentages adding up to 100 within rounding) a count printed beside
  them or the group's size. More than that is ``inconsistent``; less is reported with the number unaccounted for,
  ``inconsistent`` when the block is exhaustive (or prints counts only, under a header N) and ``ambiguous`` when
  its percentages fall short of 100 as well (a level or the non-responders left out).
* **Chains.** When a level's printed denominator is the count of another level of the same block (consented out
  of those who clicked), the block is a flow of nested stages, checked as a chain in file order: no stage may be
  larger than the one before it (``ambiguous`` when one is: the file does not say where the extra come from).
* **Means and SDs.** A row with ``mean`` and ``n_items`` (whole-number answers to that many items) gets GRIM
  (check ``mean``); with ``sd`` too, GRIMMER (check ``sd``). A row whose scale runs from 0 to 1 (``scale_min`` 0,
  ``scale_max`` 1) is binary: DEBIT (check ``binary``). The n is the denominator or the header N. A mean outside
  the scale, or an SD larger than the scale allows, is a ``range`` finding.
* **Gaps.** A printed denominator below the group's size means some of the group did not answer; if the file has
  a ``completed`` count, the gaps must fit in the respondents who did not complete.

Each check is a function from a read-only :class:`~hmbook.methods.audit.context.Context` to
:class:`~hmbook.methods.audit.findings.Finding` objects (the check, the figure ids, a
:class:`~hmbook.methods.audit.findings.Status`: ``inconsistent`` / ``ambiguous`` / ``note`` / ``ok``, and an
explanation), listed in :data:`~hmbook.methods.audit.registry.CHECKS`; :func:`audit` runs them all and gives the
findings as a table, with the assumption-register entries whose ``figure_ids`` overlap each (kinds contradiction,
ambiguity, gap and derivation: the entries about the paper's numbers rather than about the synthetic rows).

>>> from hmbook.data import published
>>> found = audit(published.figures(), published.assumptions())
>>> found.loc[found["figure_ids"] == "flow_consented", ["check", "status", "assumptions"]].values.tolist()
[['percentage', 'inconsistent', 'A26']]
"""

from hmbook.methods.audit.findings import FINDING_COLUMNS, REGISTER_KINDS, Finding, Status, pick
from hmbook.methods.audit.queries import implied_ranges
from hmbook.methods.audit.registry import CHECKS, audit, checked, findings
from hmbook.methods.audit.report import read_register, render, template, write_template
from hmbook.methods.audit.rounding import ROUNDING_CHOICES, Rounding, choose_rounding, conventions
from hmbook.methods.audit.structure import SPECIAL_LEVELS, group_sizes

__all__ = [
    "Status", "Finding", "FINDING_COLUMNS", "REGISTER_KINDS", "pick", "CHECKS", "audit", "checked", "findings",
    "ROUNDING_CHOICES", "Rounding", "conventions", "choose_rounding", "SPECIAL_LEVELS", "group_sizes",
    "implied_ranges", "render", "template", "write_template", "read_register",
]
