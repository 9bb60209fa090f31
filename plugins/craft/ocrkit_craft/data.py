"""CRAFT training data: synthetic pages with character labels, word-level real pages, mixture.

Items are dicts; synthetic ones carry half-resolution ``region``/``affinity``/``confidence``
targets, real ones their words already rectified for the interim model (``prepared``, a
``PreparedPage``): the workers do that CPU work, the training step only runs the model and the
watershed. Item i depends only on (seed, i).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import torch

from .labels import LINK_ALONG
from .preprocess import MEAN_255, STD_255
from .pseudo_labels import confidence_target, prepare_page, targets_from_chars


def normalise(image: np.ndarray) -> torch.Tensor:
    """RGB uint8 (H, W, 3) → float32 3×H×W, ImageNet mean/std on the 0–255 scale."""
    return torch.from_numpy(((image.astype(np.float32) - MEAN_255) / STD_255).transpose(2, 0, 1).copy())


class SynthPages(torch.utils.data.Dataset):
    def __init__(self, length: int, size: int, fonts: Sequence[Path], seed: int = 0,
                 link_along: float = LINK_ALONG, gap_weight: float = 1.0) -> None:  # fmt: skip
        self.length, self.size, self.fonts, self.seed = length, size, fonts, seed
        self.link_along, self.gap_weight = link_along, gap_weight

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> dict:
        from ocrkit.synth import render_page

        page = render_page(np.random.default_rng((self.seed, i)), self.fonts, (self.size, self.size))
        region, affinity = targets_from_chars([w.chars for w in page.words], (self.size, self.size),
                                              link_along=self.link_along)
        conf = confidence_target((self.size, self.size), [], (), [w.quad for w in page.words], self.gap_weight)
        return {"image": normalise(page.image), "region": torch.from_numpy(region),
                "affinity": torch.from_numpy(affinity), "confidence": torch.from_numpy(conf)}  # fmt: skip


class RealPages(torch.utils.data.Dataset):
    """Word-level detection samples → a random 768² crop of the page rescaled (long side
    ``scale_range`` × the crop size). Words wholly inside are supervised; words the crop cuts
    are don't care."""

    def __init__(self, samples: Sequence, size: int, seed: int = 0, max_words: int = 64,
                 scale_range: tuple[float, float] = (0.75, 1.5)) -> None:  # fmt: skip
        self.samples, self.size, self.seed, self.max_words = list(samples), size, seed, max_words
        self.scale_range = scale_range  # page long side ÷ crop size; match the inference scale

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> dict:
        from ocrkit import read_image

        rng = np.random.default_rng((self.seed, 104729, i))
        s = self.samples[i]
        image = read_image(s.image, square_pixels=False)  # the ground truth's pixels
        h, w = image.shape[:2]
        scale = self.size * rng.uniform(*self.scale_range) / max(h, w)
        image = cv2.resize(image, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
        h, w = image.shape[:2]
        x0 = int(rng.integers(0, max(1, w - self.size + 1)))
        y0 = int(rng.integers(0, max(1, h - self.size + 1)))
        canvas = np.zeros((self.size, self.size, 3), np.uint8)
        crop = image[y0 : y0 + self.size, x0 : x0 + self.size]
        canvas[: crop.shape[0], : crop.shape[1]] = crop
        words = []
        for t in s.targets:
            quad = np.asarray(t.polygon, np.float64).reshape(-1, 2) * scale - [x0, y0]
            if len(quad) != 4:
                continue
            placed = _placement(quad, crop.shape[1], crop.shape[0])
            if placed == "outside":
                continue
            # A word the crop cuts is don't care: its visible part is text (not background), and
            # its character count no longer matches its transcription.
            ignore = bool(t.ignore or not (t.text or "").strip() or placed == "cut")
            words.append((quad.astype(np.float32), t.text or "", ignore))
        prepared = prepare_page(canvas, words, self.max_words, rng)
        return {"image": normalise(canvas), "prepared": prepared}


EDGE_TOLERANCE = 2.0  # pixels a word may stick out of the crop and still count as whole


def _placement(quad: np.ndarray, width: int, height: int) -> str:
    """"inside", "cut" or "outside" for a (4, 2) quad against the crop [0, width) × [0, height)."""
    lo, hi = quad.min(axis=0), quad.max(axis=0)
    if hi[0] <= 0 or hi[1] <= 0 or lo[0] >= width or lo[1] >= height:
        return "outside"
    t = EDGE_TOLERANCE
    return "inside" if lo[0] >= -t and lo[1] >= -t and hi[0] <= width + t and hi[1] <= height + t else "cut"


def collate(items: Sequence[dict]) -> dict:
    """Stack images; keep per-item targets (None for real items) and prepared pages as lists."""
    return {
        "images": torch.stack([it["image"] for it in items]),
        "region": [it.get("region") for it in items],
        "affinity": [it.get("affinity") for it in items],
        "confidence": [it.get("confidence") for it in items],
        "prepared": [it.get("prepared") for it in items],
    }
