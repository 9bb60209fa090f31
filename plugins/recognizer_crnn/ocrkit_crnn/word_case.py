"""One case per word: a reading whose letters switch case mid-word ("seX", "TRANSMiSsION",
"bY", "NAMe") re-scored in capitals, in lower case and capitalised under the crop's CTC frames.

Greedy decoding picks each frame's likeliest class on its own, so where a letter's two cases
are close ("s"/"S", "v"/"V", "y"/"Y") one frame of a word of capitals can go the other way.
Every run of letters (between digits, marks and spaces) whose case is none of capitals, lower
case or a first capital is mixed; for a reading with one, the three spellings that give all
its mixed runs one such pattern are scored by their CTC likelihood (every alignment, not one
path; :func:`ocrkit_crnn.lexicon.best_spelling`). The best, less ``penalty`` nats per
letter whose case it changes (letters of one shape in both cases aside: no frame shows their
case), replaces the reading when its likelihood is at most ``margin`` nats below the reading's.
So "NAMe" becomes "NAME", not "Name", which is 0.85 nats likelier but changes two letters
whose case shows. A word really written in mixed case that the network reads clearly keeps it
("FairPrice", "MaxMara", "TAGHeuer": 9.3 to 38 nats from one case on ICDAR 2015 crops); one
read with doubt may not ("McKim", 4.4 nats). Runs split by a mark are judged one by one
("Cross-Sell": two runs of a first capital, left as read). A reading that
:func:`ocrkit.letter_case.raised` mends from its text alone ("GooD" → "GOOD") is left to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from ocrkit.letter_case import SAME_SHAPE, raised

from .lexicon import best_spelling

# A run of letters: what one case pattern applies to (digits, marks and spaces end it).
_RUN = re.compile(r"[^\W\d_]+")
# Nats per letter whose case a spelling changes (those of one shape in both cases aside, whose
# case the frames cannot show): near-ties go to the spelling closest to the reading.
CHANGE_PENALTY = 1.0


def mixed(run: str) -> bool:
    """A run of letters in none of the patterns "ABC", "abc", "Abc" ("seX", "DIvISION")."""
    upper = [ch.isupper() for ch in run]
    return len(run) >= 2 and any(upper) and not (upper[0] and not any(upper[1:])) and not all(upper)


def spellings(text: str) -> list[str]:
    """``text`` with all its mixed runs of letters in capitals, in lower case, and with a
    first capital (one pattern for all of them; the other runs as they are); [] when no run
    is mixed. "seX 1b" → ["SEX 1b", "sex 1b", "Sex 1b"]. A spelling that changes the text's
    length ("ß" in capitals is "SS") is left out: it respells more than the case."""
    runs = [m for m in _RUN.finditer(text) if mixed(m.group())]
    if not runs:
        return []
    out = []
    for style in (str.upper, str.lower, str.capitalize):
        pieces, end = [], 0
        for m in runs:
            pieces += [text[end : m.start()], style(m.group())]
            end = m.end()
        spelt = "".join(pieces) + text[end:]
        if len(spelt) == len(text):
            out.append(spelt)
    return out


def one_case(
    text: str,
    probs: np.ndarray,
    encode: Callable[[str], list[int] | None],
    margin: float,
    allowed: frozenset[str] | None = None,
    penalty: float = CHANGE_PENALTY,
) -> str:
    """``text`` (the CRNN's reading of one crop) or its spelling in one case per run of letters.

    probs: (T, C) the crop's class probabilities (softmax); encode: text → class ids (None for
    a text the charset cannot write); allowed: the characters a reading may hold (an allowlist
    without capitals keeps a lower-case word lower case)."""
    if raised(text) != text:
        return text  # the pipeline's text-only rule raises it ("GooD" → "GOOD"), more surely
    # Letters whose case a spelling changes, those of one shape in both cases aside.
    def changes(spelt: str) -> float:
        return penalty * sum(a != b and a.upper() not in SAME_SHAPE for a, b in zip(text, spelt))

    return best_spelling(text, spellings(text), probs, encode, margin, allowed, cost=changes)
