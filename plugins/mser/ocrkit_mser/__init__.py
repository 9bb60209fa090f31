"""MSER baseline text detector for ocrkit (registered as ``mser``)."""

from .detector import MserConfig, MserDetector

__all__ = ["MserConfig", "MserDetector"]
