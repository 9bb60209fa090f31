"""CRNN inference options (defaults reproduce EasyOCR's ``recognize`` with english_g2)."""

from __future__ import annotations

from dataclasses import dataclass

DECODERS = ("greedy", "beam")


@dataclass(frozen=True)
class CrnnConfig:
    """Recogniser options, settable with ``--rec-opt KEY=VALUE`` or ``load_recognizer(...)``."""

    decoder: str = "greedy"  # "greedy" (best path) or "beam" (CTC prefix beam search)
    beam_width: int = 5  # beams kept by the beam decoder
    batch_size: int = 32  # crops per forward pass (crops of one width bucket only)
    contrast_retry: float = 0.1  # re-read crops below this confidence after a contrast stretch; 0 = off
    weights: str | None = None  # path to a state dict / ocrkit checkpoint; None = english_g2
    charset: str | None = None  # charset JSON for custom weights; None = english_g2's
    precision: str = "fp32"  # fp32 (exact reference) | bf16 | fp16 (CUDA) | auto (ocrkit.precision)

    def __post_init__(self) -> None:
        if self.decoder not in DECODERS:
            raise ValueError(f"decoder must be one of {', '.join(DECODERS)}, got {self.decoder!r}")
        from ocrkit.precision import check_precision

        check_precision(self.precision)
        if self.beam_width < 1 or self.batch_size < 1:
            raise ValueError("beam_width and batch_size must be >= 1")
        if not 0.0 <= self.contrast_retry <= 1.0:
            raise ValueError(f"contrast_retry must be in [0, 1], got {self.contrast_retry}")
