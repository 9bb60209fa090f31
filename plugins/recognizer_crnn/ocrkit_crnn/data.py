"""Training data for the CRNN: real word crops, synthetic words, their mixture, and collate.

Every dataset is map-style with item i a pure function of i (and the seed), which is what makes
the shared trainer's resume exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from .alphabet import Alphabet
from .preprocess import HEIGHT, to_grey
from .synth_words import random_text, render_word


class CropSet(torch.utils.data.Dataset):
    """Recognition samples (``ocrkit.datasets.RecognitionSample``) → (grey crop, text)."""

    def __init__(self, samples: Sequence, alphabet: Alphabet) -> None:
        # DTRB-style filtering: labels with characters outside the charset cannot be learnt.
        self.samples = [s for s in samples if s.text and all(c in alphabet.characters for c in s.text)]
        self.dropped = len(samples) - len(self.samples)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> tuple[np.ndarray, str]:
        from ocrkit.geometry import crop_quad

        s = self.samples[i]
        if s.region is None:
            return _grey_image(s.image), s.text
        # Words cut from a page (FUNSD): decode the page once per worker, not once per word.
        return crop_quad(_grey_page(s.image), s.region, HEIGHT), s.text


def _grey_image(path: Path) -> np.ndarray:
    from ocrkit import read_image

    return to_grey(read_image(path))


@lru_cache(maxsize=512)  # grey pages: ~0.8 MB each for FUNSD, per DataLoader worker
def _grey_page(path: Path) -> np.ndarray:
    return _grey_image(path)


class SyntheticWords(torch.utils.data.Dataset):
    """``length`` rendered words; item i uses its own generator seeded with (seed, i)."""

    def __init__(self, length: int, alphabet: Alphabet, fonts: Sequence[Path], vocab: Sequence[str] = (),
                 seed: int = 0) -> None:  # fmt: skip
        self.length, self.alphabet, self.fonts, self.vocab, self.seed = length, alphabet, fonts, vocab, seed

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> tuple[np.ndarray, str]:
        rng = np.random.default_rng((self.seed, i))
        text = random_text(rng, self.alphabet.characters, self.vocab)
        return render_word(text, rng, self.fonts), text


class Mixture(torch.utils.data.Dataset):
    """Item i comes from part k with probability ``weights[k]`` (deterministic in i)."""

    def __init__(self, parts: Sequence[torch.utils.data.Dataset], weights: Sequence[float],
                 length: int, seed: int = 0) -> None:  # fmt: skip
        keep = [(p, w) for p, w in zip(parts, weights) if len(p) > 0 and w > 0]
        if not keep:
            raise ValueError("no training data: every part is empty or has weight 0")
        self.parts = [p for p, _ in keep]
        w = np.array([w for _, w in keep], dtype=np.float64)
        self.cum = np.cumsum(w / w.sum())
        self.length, self.seed = length, seed

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int):
        rng = np.random.default_rng((self.seed, 7919, i))
        k = int(np.searchsorted(self.cum, rng.random(), side="right").clip(0, len(self.parts) - 1))
        part = self.parts[k]
        return part[int(rng.integers(len(part)))]


def make_collate(alphabet: Alphabet, max_width: int):
    """Batch of (grey, text) → images B×1×64×W in [−1, 1] (right-padded by repeating the last
    column, as at inference), flat CTC targets, target lengths and the texts."""
    import cv2

    def collate(items: Sequence[tuple[np.ndarray, str]]) -> dict:
        resized = []
        for grey, _ in items:
            h, w = grey.shape[:2]
            new_w = int(min(max_width, max(HEIGHT // 2, round(HEIGHT * w / max(h, 1)))))
            resized.append(cv2.resize(grey, (new_w, HEIGHT), interpolation=cv2.INTER_LINEAR))
        width = max(r.shape[1] for r in resized)
        width += -width % 4  # T = W/4 − 1 frames
        batch = np.empty((len(items), 1, HEIGHT, width), np.float32)
        for k, r in enumerate(resized):
            x = (r.astype(np.float32) / 255.0 - 0.5) / 0.5
            batch[k, 0, :, : x.shape[1]] = x
            batch[k, 0, :, x.shape[1] :] = x[:, -1:]
        texts = [t for _, t in items]
        targets = [alphabet.encode(t) for t in texts]
        return {
            "images": torch.from_numpy(batch),
            "targets": torch.tensor([c for t in targets for c in t], dtype=torch.long),
            "target_lengths": torch.tensor([len(t) for t in targets], dtype=torch.long),
            "texts": texts,
        }

    return collate
