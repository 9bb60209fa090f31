"""Weak-supervision targets split across DataLoader workers, the model pass and a process pool."""

import numpy as np
import torch
from ocrkit_craft.pseudo_labels import prepare_page
from ocrkit_craft.training import CraftTrainOptions, pseudo_targets

from ocrkit.testing import synthetic_text_image


class BlobModel(torch.nn.Module):
    """Stands in for CRAFT: 'region' = darkness of the input, pooled to half resolution.
    Input B×3×H×W (normalised), output (B×H/2×W/2×2, None) like the real model."""

    def __init__(self) -> None:
        super().__init__()
        self.dummy = torch.nn.Parameter(torch.zeros(()))  # gives the model a device

    def forward(self, x):
        dark = (-x.mean(dim=1, keepdim=True)).clamp(0, 1)
        half = torch.nn.functional.avg_pool2d(dark, 2)
        return torch.cat([half, half], dim=1).permute(0, 2, 3, 1), None


def pages():
    out = []
    for k, words in enumerate((["HELLO", "WORLD"], ["OCR", "KIT", "TEST"])):
        image, quads = synthetic_text_image(words, size=(160, 480), scale=1.5)
        out.append(prepare_page(image, [(q, w, False) for q, w in zip(quads, words)], 64,
                                np.random.default_rng(k)))  # fmt: skip
    return out


def test_pool_gives_the_same_targets_as_the_step():
    model, prepared = BlobModel(), pages()
    inline = pseudo_targets(model, prepared, CraftTrainOptions(pseudo_workers=0))
    pooled = pseudo_targets(model, prepared, CraftTrainOptions(pseudo_workers=2))
    assert len(inline) == 2
    for a, b in zip(inline, pooled):
        for x, y in zip(a, b):
            assert x.shape == (80, 240) and np.array_equal(x, y)
    region, _, conf = inline[0]
    assert region.max() > 0.9 and conf.min() >= 0.5  # both words supervised, none don't-care


def test_prepare_page_caps_words_and_marks_the_rest_dont_care():
    image, quads = synthetic_text_image(["A1", "B2", "C3", "D4"], size=(120, 480), scale=1.5)
    words = [(q, t, False) for q, t in zip(quads, ["A1", "B2", "C3", "D4"])] + [(quads[0], "###", True)]
    page = prepare_page(image, words, 2, np.random.default_rng(0))
    assert len(page.crops) == 2 and all(c.shape[0] == 128 for c in page.crops)
    assert len(page.unused) == 3  # two over the cap and the don't-care word
