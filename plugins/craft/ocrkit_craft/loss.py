"""Confidence-weighted MSE with online hard-negative mining (SPEC §2.6, the paper's variant).

Per image and per map: positives are pixels whose target exceeds 0.1; all of them count, plus
the ``neg_ratio`` × #positives negatives with the largest loss (``min_negatives`` when an image
has no positive pixel). Each part is averaged over its own count; region and affinity are summed.
"""

from __future__ import annotations

import torch

POSITIVE = 0.1  # target above this = a text pixel


def ohem_map_loss(pred: torch.Tensor, target: torch.Tensor, confidence: torch.Tensor,
                  neg_ratio: float = 3.0, min_negatives: int = 500) -> torch.Tensor:  # fmt: skip
    """Mean over the batch of (mean positive loss + mean hardest-negative loss); maps B×H×W."""
    loss = (pred.float() - target.float()) ** 2 * confidence.float()  # B×H×W
    total = loss.new_zeros(())
    for b in range(loss.shape[0]):
        pixel = loss[b].reshape(-1)
        pos = target[b].reshape(-1) > POSITIVE
        n_pos = int(pos.sum())
        negatives = pixel[~pos]
        k = int(min(negatives.numel(), neg_ratio * n_pos if n_pos else min_negatives))
        part = pixel[pos].mean() if n_pos else loss.new_zeros(())
        if k > 0:
            part = part + torch.topk(negatives, k, sorted=False).values.mean()
        total = total + part
    return total / loss.shape[0]


def craft_loss(pred: torch.Tensor, region: torch.Tensor, affinity: torch.Tensor,
               confidence: torch.Tensor, neg_ratio: float = 3.0) -> dict[str, torch.Tensor]:  # fmt: skip
    """``pred`` B×H×W×2 (network output), targets and confidence B×H×W → loss dict."""
    r = ohem_map_loss(pred[..., 0], region, confidence, neg_ratio)
    a = ohem_map_loss(pred[..., 1], affinity, confidence, neg_ratio)
    return {"loss": r + a, "region": r.detach(), "affinity": a.detach()}
