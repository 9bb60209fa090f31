"""Dataset readers: benchmark ground truth in its original formats → typed samples.

Readers are registered through the ``ocrkit_register_datasets`` hook (the built-in ones in
:mod:`ocrkit.builtin.datasets`), so a plugin can add a format.
"""

from .base import (
    DatasetError,
    DetectionSample,
    RecognitionSample,
    find_image,
    read_text_lines,
)

__all__ = [
    "DatasetError",
    "DetectionSample",
    "RecognitionSample",
    "find_image",
    "read_text_lines",
]
