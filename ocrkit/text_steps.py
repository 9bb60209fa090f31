"""The steps that put a page's readings right after recognition, in the order they run.

Each takes an image's grey (uint8 (H, W)) and its words and returns as many words, a reading
changed where the step's evidence says (the ink, mostly; an MRZ's format). ``Pipeline`` runs
them after the joins and the spaces (``text="tidy"`` or ``"split"``), each through
:func:`ocrkit.tidy.kept_within` so that none adds a character the recogniser may not read:

- :func:`ocrkit.mrz.mend_lines`: an MRZ line's reading put to its format;
- :func:`ocrkit.points.add_points`: a number's dropped decimal point, thousands comma or time's
  colon, before the dollar step, which needs the point ("5445" → "54.45" → "$4.45");
- :func:`ocrkit.currency.mend_dollars`: a "$" read as a digit or an "s";
- :func:`ocrkit.letter_case.mend_case`: capitals read on x-height letters;
- :func:`ocrkit.periods.add_periods`: a dropped final period, comma or colon;
- :func:`ocrkit.brackets.add_brackets`: a dropped bracket of a pair, after the final marks
  ("(encap" → "(encap." → "(encap.)");
- :func:`ocrkit.mrz.match_numbers`: a number read against the MRZ that holds it.
"""

from __future__ import annotations

from .brackets import add_brackets
from .currency import mend_dollars
from .letter_case import mend_case
from .mrz import match_numbers, mend_lines
from .periods import add_periods
from .points import add_points

TEXT_STEPS = (mend_lines, add_points, mend_dollars, mend_case, add_periods, add_brackets,
              match_numbers)  # fmt: skip
