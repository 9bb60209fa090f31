"""Learning rate as a pure function of the step: linear warmup, then cosine decay."""

from __future__ import annotations

import math


def lr_at(step: float, *, base_lr: float, warmup_steps: int, max_steps: int, min_ratio: float) -> float:
    """Learning rate for ``step`` (0-based; fractional when the schedule follows a time budget)."""
    if warmup_steps > 0 and step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    span = max(1, max_steps - warmup_steps)
    progress = min(1.0, (step - warmup_steps) / span)
    return base_lr * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))
