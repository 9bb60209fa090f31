"""CRNN recogniser plugin for ocrkit (registered as ``crnn``)."""

from .config import CrnnConfig

__all__ = ["CrnnConfig", "CrnnRecognizer"]


def __getattr__(name: str):  # torch is imported only when the recogniser itself is needed
    if name == "CrnnRecognizer":
        from .recognizer import CrnnRecognizer

        return CrnnRecognizer
    raise AttributeError(name)
