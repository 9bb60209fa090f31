"""Recognition metrics: word accuracy (exact and case-insensitive alphanumeric) and CER."""

from __future__ import annotations

from collections.abc import Sequence

from ..types import Recognition


def _alnum_lower(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def character_error_rate(prediction: str, reference: str) -> float:
    """Edit distance / reference length (1.0 for an empty reference and a non-empty prediction)."""
    import editdistance

    if not reference:
        return 0.0 if not prediction else 1.0
    return editdistance.eval(prediction, reference) / len(reference)


class RecognitionEvaluator:
    """Word accuracy (case-sensitive, and case-insensitive alphanumeric) and mean CER."""

    task = "recognition"

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.n = self.exact = self.alnum = 0
        self.edits = 0.0
        self.ref_chars = 0

    def update(self, predictions: Sequence[Recognition], targets: Sequence[str]) -> None:
        import editdistance

        for pred, ref in zip(predictions, targets, strict=True):
            text = pred.text if isinstance(pred, Recognition) else str(pred)
            self.n += 1
            self.exact += text == ref
            self.alnum += _alnum_lower(text) == _alnum_lower(ref)
            self.edits += editdistance.eval(text, ref)
            self.ref_chars += len(ref)

    def compute(self) -> dict[str, float]:
        n = max(self.n, 1)
        return {
            "accuracy": self.exact / n,
            "accuracy_alnum": self.alnum / n,
            "cer": self.edits / max(self.ref_chars, 1),
        }
