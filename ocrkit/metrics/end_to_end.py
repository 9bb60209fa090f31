"""ICDAR 2015 end-to-end ("generic", no lexicon): a localisation match must also read correctly.

Matching is the IC15 one (IoU > 0.5, one-to-one, don't care), comparing upper-cased texts; a GT
special character (``!?.:,*"()·[]/'``) at the first and/or last position may be missing from the
reading (the RRC script's ``transcription_match``). ``word_spotting=True`` switches to the word
spotting variant: exact (case-insensitive) match and GT words that would not enter the dictionary
(shorter than 3 characters, inner punctuation or spaces, non-letters) become don't care.
``case_sensitive=True`` compares the texts as they are ("us" ≠ "US"): the protocol ignores case,
but a reader's output is used with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import GroundTruth, Word
from .detection import match_icdar2015, prf

SPECIAL = "!?.:,*\"()·[]/'"
MIN_LENGTH_CARE_WORD = 3


def transcription_match(gt: str, det: str, special: str = SPECIAL) -> bool:
    """The RRC rule: equal, or equal once a special first/last GT character is dropped."""
    if gt == det:
        return True
    if not gt:
        return False
    first, last = gt[0] in special, gt[-1] in special
    return (
        (first and gt[1:] == det)
        or (last and gt[:-1] == det)
        or (first and last and gt[1:-1] == det)
    )


def include_in_dictionary(text: str) -> bool:
    """Word spotting: whether a GT word is cared for (the RRC ``include_in_dictionary``)."""
    if text[-2:] in ("'s", "'S"):
        text = text[:-2]
    text = text.strip("-")
    for ch in "'!?.:,*\"()·[]/":
        text = text.replace(ch, " ")
    text = text.strip()
    if " " in text or len(text) < MIN_LENGTH_CARE_WORD:
        return False
    return re.fullmatch(r"[A-Za-z\u00C0-\u00FF\u0100-\u017F\-]+", text) is not None and not any(
        c in text for c in "×÷"
    )


class EndToEndEvaluator:
    """Precision/recall/H-mean of correctly read words (IC15 end-to-end protocol)."""

    task = "end_to_end"

    def __init__(self, word_spotting: bool = False, case_sensitive: bool = False) -> None:
        self.word_spotting = word_spotting
        self.case_sensitive = case_sensitive
        self.reset()

    def reset(self) -> None:
        self.correct = self.num_gt = self.num_det = 0

    def _ignored(self, gt: GroundTruth) -> bool:
        if gt.ignore or gt.text is None or gt.text == "###":
            return True
        return self.word_spotting and not include_in_dictionary(gt.text)

    def update(self, predictions: Sequence[Sequence[Word]], targets: Sequence[Sequence[GroundTruth]]):
        for words, gts in zip(predictions, targets, strict=True):
            # Localisation exactly as the IC15 protocol; a matched pair counts if it reads right.
            match = match_icdar2015([w.polygon for w in words], [g.polygon for g in gts],
                                    [self._ignored(g) for g in gts])  # fmt: skip
            for i, j in match.pairs:
                gt_text, det_text = gts[i].text or "", words[j].text or ""
                if not self.case_sensitive:
                    gt_text, det_text = gt_text.upper(), det_text.upper()
                if self.word_spotting:
                    self.correct += gt_text == det_text
                else:
                    self.correct += transcription_match(gt_text, det_text)
            self.num_gt += match.num_gt
            self.num_det += match.num_det

    def compute(self) -> dict[str, float]:
        return prf(self.correct, self.num_gt, self.num_det)
