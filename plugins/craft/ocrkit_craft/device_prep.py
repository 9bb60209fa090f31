"""The CRAFT input prepared on the model's device (GPU): uint8 in, normalised batch out.

The CPU path (:mod:`.preprocess`) makes a float32 copy of every image, resizes, pads and
normalises it in numpy: ~20 MB of float traffic per 1280×720 image on the host, the bottleneck
of a GPU pipeline. Here only the uint8 pixels cross the bus (2.7 MB for 1280×720); resizing,
padding and normalisation run as a few tensor ops on the device. Bilinear resizing is torch's
(``align_corners=False``, no antialiasing, as cv2's INTER_LINEAR) rounded to whole grey levels
like cv2's uint8 output; cv2 uses 11-bit fixed-point weights, so a resized pixel may differ by
one grey level. An image that is not resized (a 1280×720 photo at the default canvas) is bit
exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from .preprocess import MEAN_255, STD_255, _round32, resize_plan


def normalise(x: torch.Tensor) -> torch.Tensor:
    """ImageNet normalisation of an N×3×H×W float 0–255 tensor on its own device (the same
    float32 operations as ``preprocess.make_batch``, so the same values)."""
    mean = torch.from_numpy(MEAN_255).to(x.device).view(1, 3, 1, 1)
    std = torch.from_numpy(STD_255).to(x.device).view(1, 3, 1, 1)
    return (x - mean) / std


def device_batch(
    images: Sequence[np.ndarray],
    canvas_size: float,
    mag_ratio: float,
    device: torch.device,
    ratios: Sequence[float | None] | None = None,
) -> tuple[torch.Tensor, list[tuple[float, tuple[int, int]]]]:
    """Normalised float32 N×3×H×W batch on ``device`` (H, W = the largest padded size) and, per
    image, (ratio, padded (h, w)), as :func:`.preprocess.make_batch` after
    :func:`.preprocess.resize_aspect_ratio`. ``ratios[k]``, where given and not None, resizes
    image k by exactly that ratio instead (a second pass, :mod:`.autoscale`)."""
    ratios = ratios or [None] * len(images)
    plans = [resize_plan(*img.shape[:2], *((canvas_size, mag_ratio) if r is None else (math.inf, r)))
             for img, r in zip(images, ratios)]  # fmt: skip
    padded = [(_round32(h), _round32(w)) for _, h, w in plans]
    batch_h, batch_w = max(p[0] for p in padded), max(p[1] for p in padded)
    # Padding is black before normalisation, as in the reference: fill with (0 − mean) / std.
    black = normalise(torch.zeros(1, 3, 1, 1, device=device))
    batch = black.expand(len(images), 3, batch_h, batch_w).clone()
    pin = device.type == "cuda"
    for k, (img, (_, h, w)) in enumerate(zip(images, plans)):
        # torch wants a writable buffer (decoders may hand out read-only arrays): copy those.
        writable = img.flags.writeable and img.flags.c_contiguous
        src = torch.from_numpy(img if writable else np.array(img, order="C"))
        if pin:
            src = src.pin_memory()
        x = src.to(device, non_blocking=pin).permute(2, 0, 1)[None].float()  # 1×3×H×W, 0–255
        if x.shape[2:] != (h, w):
            x = F.interpolate(x, size=(h, w), mode="bilinear", align_corners=False)
            x = x.round_().clamp_(0, 255)
        batch[k, :, :h, :w] = normalise(x)[0]
    return batch, [(ratio, p) for (ratio, _, _), p in zip(plans, padded)]
