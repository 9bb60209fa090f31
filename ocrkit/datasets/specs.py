"""``FORMAT:PATH`` dataset specs (training configs' ``train_sets``, ``val_sets``, ``real_sets``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def load_dataset_specs(specs: Sequence[str], task: str, limit: int | None = None) -> list:
    """Samples of every ``FORMAT:PATH`` in ``specs``, read by the registered dataset readers.

    Raises:
        ValueError: a malformed spec, or a format whose task is not ``task``.
    """
    from ..plugins import datasets, get_plugin_manager

    registry = datasets(get_plugin_manager())
    out: list = []
    for spec in specs:
        fmt, sep, path = spec.partition(":")
        if not sep:
            raise ValueError(f"dataset {spec!r}: expected FORMAT:PATH, e.g. funsd:DIR")
        reader = registry.get(fmt)(options={})
        if reader.task != task:
            raise ValueError(f"dataset {spec!r}: {fmt} is not a {task} dataset")
        out += reader.load(Path(path))
    return out[:limit] if limit else out
