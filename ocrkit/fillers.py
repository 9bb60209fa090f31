"""Machine-readable zones kept whole: a line's pieces split at ``<`` fillers joined again.

An MRZ line of an ID card or passport ("ERIKSSON<<ANNA<MARIA<<<<<<<<<<") is one word: ``<`` fills
every space. CRAFT links a filler to its neighbours weakly, so such a line often comes as
pieces ("ERIKSSON", "<<ANNA", "<MARIA<<<<<<<<<<") whose boxes touch or overlap (measured on the
rendered card of ``benchmarks/bench_small_text.py``: gaps of −0.07 to −0.14 × the text height).
Two consecutive words of a line are joined when the text at their junction is a filler and
their boxes are at most ``JOIN_GAP`` × their height apart. Outside an MRZ a ``<`` next to a
word is rare, and one set off by a space leaves a gap of 0.2 × the height or more.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .geometry import polygon_to_quad, quad_size
from .lines import merge_line
from .types import Word

FILLER = "<"
JOIN_GAP = 0.15  # × the mean height of the two boxes


def _joinable(first: Word, second: Word) -> bool:
    """Whether ``second`` continues ``first`` (in text order) across a filler, touching it."""
    if not first.text or not second.text or FILLER not in (first.text[-1], second.text[0]):
        return False
    if len(first.polygon) != 4 or len(second.polygon) != 4:
        return False
    qa = polygon_to_quad(first.polygon).astype(np.float64)
    qb = polygon_to_quad(second.polygon).astype(np.float64)
    (_, ha), (_, hb) = quad_size(qa), quad_size(qb)
    if not 0.7 <= hb / max(ha, 1e-6) <= 1.4:
        return False
    d = (qa[1] - qa[0]) + (qa[2] - qa[3])  # the first box's text direction
    d /= max(float(np.hypot(*d)), 1e-6)
    pa, pb = qa @ d, qb @ d
    gap = max(pb.min() - pa.max(), pa.min() - pb.max())  # < 0: the boxes overlap along the line
    return gap <= JOIN_GAP * (ha + hb) / 2


def join_fillers(
    words: Sequence[Word], lines: Sequence[Sequence[int]], reverse: bool = False
) -> tuple[list[Word], list[int]]:
    """``words`` with filler-split pieces of each line joined into one word (text concatenated,
    box the pieces' minimum-area rectangle), in the same order otherwise; and the positions of
    the joined words in that list. The pipeline reads those again as one crop: a piece's crop
    cut at a filler often reads it as a mark ("ERIKSSON<<ANNA-").

    ``lines``: indices into ``words``, line by line, each in image order (left to right), as
    ``words`` itself runs. ``reverse``: the image was read turned by 180°, so its text runs right
    to left in the image and a line's pieces join in that order.
    """
    out: list[Word] = []
    merged: list[int] = []
    for line in lines:
        pieces = [words[k] for k in (reversed(line) if reverse else line)]  # text order
        joined, grown = [pieces[0]], [False]
        for word in pieces[1:]:
            if _joinable(joined[-1], word):
                joined[-1], grown[-1] = merge_line([joined[-1], word], sep=""), True
            else:
                joined.append(word)
                grown.append(False)
        if reverse:
            joined, grown = joined[::-1], grown[::-1]
        merged += [len(out) + k for k, g in enumerate(grown) if g]
        out += joined
    return out, merged
