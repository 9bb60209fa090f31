"""CRAFT text detector plugin for ocrkit (registered as ``craft``)."""

from .config import CraftConfig

__all__ = ["CraftConfig", "CraftDetector"]


def __getattr__(name: str):  # torch is imported only when the detector itself is needed
    if name == "CraftDetector":
        from .detector import CraftDetector

        return CraftDetector
    raise AttributeError(name)
