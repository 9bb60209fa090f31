"""Checkpoints: model, optimiser, step, RNG states, resolved config, recipe name/options, version.

Saved as a plain dict of tensors and builtins so it loads with ``torch.load(weights_only=True)``;
``ocrkit run --det-opt weights=ckpt.pt`` reads its ``"model"`` entry.
"""

from __future__ import annotations

import random
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import torch


def _version() -> str:
    from .. import __version__

    return __version__


def rng_state() -> dict[str, Any]:
    return {
        "torch": torch.get_rng_state(),
        "numpy": torch.tensor(np.random.get_state()[1].astype(np.int64)),
        "numpy_pos": int(np.random.get_state()[2]),
        "python": torch.tensor(random.getstate()[1], dtype=torch.int64),
    }


def set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    np.random.set_state(("MT19937", state["numpy"].numpy().astype(np.uint32), state["numpy_pos"]))
    random.setstate((3, tuple(int(v) for v in state["python"]), None))


def save_checkpoint(
    path: Path, *, model: Any, optimizer: Any, scaler: Any, step: int, config: Any,
    recipe: str, options: dict[str, Any], extra: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    state = {
        "model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "optimizer": optimizer.state_dict(),
        "scaler": scaler.state_dict() if scaler is not None else {},
        "step": step,
        "config": asdict(config),
        "recipe": recipe,
        "options": dict(options),
        "ocrkit_version": _version(),
        "rng": rng_state(),
        **(extra or {}),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(path)  # atomic: a crash never leaves half a checkpoint


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: checkpoint not found")
    return torch.load(path, map_location="cpu", weights_only=True)
