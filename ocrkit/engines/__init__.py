"""How ``ocrkit run`` spreads many files over models: ``local`` (this process) or ``ray``.

Both engines read files through :func:`ocrkit.engines.batch.read_files`, so they give the same
words for the same batches; the Ray engine only decides *where* each batch runs.
"""

from __future__ import annotations

from .batch import FileResult, read_files
from .spec import PipelineSpec

ENGINES = ("local", "ray")

__all__ = ["ENGINES", "FileResult", "PipelineSpec", "read_files"]
