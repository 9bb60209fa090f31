"""Two words read as one: the reading with a space where two known words explain the frames.

CRAFT joins neighbouring words whose gap its affinity map bridges, and the CRNN often reads
such a region without the space: "FAXNO:", "YOUDO", "CONTACTSENDER", "Ifyes;" on FUNSD forms.
A reading that is no word of the lexicon, whose letters split into two known words (of 3+
letters, or the lexicon's two-letter words: "no", "if", "do"), is scored with the space between them
by its CTC likelihood over the crop's frames; the likeliest such split, at most ``margin``
nats below the reading, is the reading's *spaced* alternative (``Recognition.spaced``).

The recogniser does not take it: the frames of a word whose letters happen to spell two
words ("Cathay" as "Cat hay", a scene photo's "Owedor" as "Owe dor") may allow a space nearly
as well. The pipeline takes it only where the crop's ink shows one clear gap at the split
(:func:`ocrkit.spaces.split_spaced`), and then boxes each word on its own.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .lexicon import Lexicon, best_spelling, unknown_word

# A reading this long at least: two words of two letters. A one-letter word is never split
# off: "Kong i", "Mack a", "Labor a" were the commonest wrong splits among FUNSD train
# readings, and "I" before a word is rare on documents.
MIN_LETTERS = 4


def split_candidates(core: str, lexicon: Lexicon) -> list[int]:
    """Positions p (2 ≤ p ≤ len(core) − 2) where ``core[:p]`` and ``core[p:]`` are both known
    words: of the lexicon, or of its ``two_letter`` words."""
    def known(part: str) -> bool:
        if len(part) >= 3:
            return part in lexicon
        return part.casefold() in lexicon.two_letter

    return [p for p in range(2, len(core) - 1) if known(core[:p]) and known(core[p:])]


def spaced_reading(
    text: str,
    probs: np.ndarray,
    encode: Callable[[str], list[int] | None],
    lexicon: Lexicon,
    margin: float,
    allowed: frozenset[str] | None = None,
) -> str | None:
    """``text`` (one crop's reading) with a space between two known words, or None (see the
    module). probs: (T, C) the crop's class probabilities (softmax, class 0 the blank);
    encode: text → class ids (None where the charset cannot write it); allowed: the characters
    a reading may hold (an allowlist: the space must be one)."""
    parts = unknown_word(text, lexicon, MIN_LETTERS)
    if parts is None:
        return None
    before, core, _ = parts
    at = len(before)
    spellings = [text[: at + p] + " " + text[at + p :] for p in split_candidates(core, lexicon)]
    # The lexicon step's scoring: spellings the charset or the allowlist cannot write dropped.
    chosen = best_spelling(text, spellings, probs, encode, margin, allowed)
    return None if chosen == text else chosen
