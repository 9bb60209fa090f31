"""Word texts tidied: what a crop of one detected word holds that is not part of the word.

A word detector's region spans one word, so a space in its reading marks something the crop
caught beyond the word: the edge of a neighbour, a rule line, a bullet, or the blank margin a
curved word's crop extends into. The CRNN reads such a mark as a lone ``_``, ``-``, ``,``, ``'``
or ``$`` after a space ("Dairy _", "month )", "market ,"), or a margin as a trailing space
("FURTHER "). ``tidy_word`` drops both; letters and digits are never dropped, and a reading
that is nothing but marks is kept as it is (a detected "-" or "." is a word).

Measured on saved end-to-end predictions (RESULTS.md §2, "Tidy texts, steep and sideways
words"): 78 of ICDAR 2015 test's 2,761 readings change, end-to-end H-mean 0.3463 → 0.3537;
180 of FUNSD test's 8,332, 0.5084 → 0.5167. Detection is untouched.

A reading that ends in a letter or digit and a semicolon ends in a colon instead. The CRNN
reads a form label's colon as a semicolon ("NAME;", "TO;", "DIVISION;"): of FUNSD test's
ground-truth words, 442 end in a colon and 1 in a semicolon, yet 110 of our readings ended in
a semicolon. Mended, end-to-end H 0.5147 → 0.5177 there (ICDAR 2015 test: 7 readings, none of
them matched either way, 0 ground-truth words end in one). Underscores right after a word's
last letter or digit (a form's rule line, read without a space) are dropped too: 25 FUNSD
readings, 0.5177 → 0.5193 (ICDAR 2015: 5 readings, none matched either way). A reading
ending in a letter or digit and "::" ends in ".:" (a label "No.:" whose period was read as a
colon): FUNSD test's saved readings of 2026-12-08, 8 changed, 3 made exact (case aside), none
made wrong, end-to-end H 0.6497 → 0.6501 (RESULTS.md §2 "Colons read for periods and commas,
and initials").

A reading that is a whole MRZ line once its spaces go loses them (:func:`ocrkit.mrz.unspaced`):
the CRNN may read a space before a long run of fillers, and the run after it would otherwise be
dropped as a mark-only token.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from .mrz import unspaced
from .types import Word

# Pipeline(text=...): "tidy" (default): tidied texts, tokens the detector split joined again
# (ocrkit.joins); "split": the same, but numbers split at a mark stay split (FUNSD's tokens);
# "raw": the recogniser's texts, the regions as detected.
TEXT_MODES = ("tidy", "split", "raw")


def _is_mark(token: str) -> bool:
    """A token without a letter or digit: punctuation, symbols, an underscore."""
    return not any(ch.isalnum() for ch in token)


def tidy_word(text: str, characters: Collection[str] | None = None) -> str:
    """``text`` without edge whitespace and without space-separated mark-only tokens at its
    ends: ``"Dairy _"`` → ``"Dairy"``, ``"36 ' -"`` → ``"36"``, ``" FUR "`` → ``"FUR"``;
    ``"Kent B"``, ``"$5"``, ``"-"`` and ``"U.S."`` are unchanged. A word ending in a semicolon
    ends in a colon, and underscores after its last letter or digit go: ``"NAME;"`` →
    ``"NAME:"``, ``"Date__"`` → ``"Date"``, and one ending in "::" ends in ".:", ``"No::"``
    → ``"No.:"`` (see the module); not where ``characters`` (the recogniser's allowlist) lacks
    ":" (or "."). An MRZ line read with a space loses it."""
    colon = within(":", characters)
    point = colon and within(".", characters)
    tokens = unspaced(text).split()  # also collapses runs of inner spaces
    if len(tokens) < 2 or all(_is_mark(t) for t in tokens):
        return _ending(" ".join(tokens), colon, point)
    while len(tokens) > 1 and _is_mark(tokens[-1]):
        tokens.pop()
    while len(tokens) > 1 and _is_mark(tokens[0]):
        tokens.pop(0)
    return _ending(" ".join(tokens), colon, point)


def _ending(text: str, colon: bool = True, point: bool = True) -> str:
    """Underscores after the last letter or digit dropped (a form's rule line or an underline
    the crop caught), then a letter or digit and ";" at the end made ":" (the CRNN reads a
    label's colon as a semicolon; a word-final semicolon is rare), and "::" after one made
    ".:" (a label "No.:" whose period was read as a colon; no word ends in two colons)."""
    bare = text.rstrip("_")
    if bare != text and bare and bare[-1].isalnum():
        text = bare
    if colon and len(text) > 1 and text[-1] == ";" and text[-2].isalnum():
        return text[:-1] + ":"
    if point and len(text) > 2 and text.endswith("::") and text[-3].isalnum():
        return text[:-2] + ".:"
    return text


def within(text: str, characters: Collection[str] | None) -> bool:
    """Whether every character of ``text`` is one of ``characters`` (None: any is)."""
    return characters is None or all(ch in characters for ch in text)


def kept_within(
    before: Sequence[Word], after: Sequence[Word], characters: Collection[str] | None
) -> list[Word]:
    """``after`` (one tidy step's words, one per word of ``before``), except that a word whose
    new text holds a character outside ``characters`` keeps its text from ``before``: a step
    never adds a "$", a final period or a lower-case letter that the recogniser was told not
    to read (its allowlist)."""
    if len(before) != len(after):
        raise ValueError(f"a tidy step returned {len(after)} words for {len(before)}")
    return [a if a.text is None or within(a.text, characters) else replace(a, text=b.text)
            for b, a in zip(before, after)]  # fmt: skip


def sure_words(words: Sequence[Word], min_score: float) -> list[Word]:
    """The words read with a recognition score of at least ``min_score`` (``--min-score``)."""
    return [w for w in words if (w.recognition_score or 0.0) >= min_score]
