"""The core's dataset readers, registered through ``ocrkit_register_datasets``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import build_config
from ..hookspecs import hookimpl


@dataclass(frozen=True)
class Reader:
    """A dataset format: ``load(data, images, gt)`` → samples of ``task``."""

    task: str
    loader: Callable[..., list[Any]]
    options: dict[str, Any] = field(default_factory=dict)

    def load(self, data: Path | None, images: Path | None = None, gt: Path | None = None) -> list:
        return self.loader(data, images, gt, **self.options)


@dataclass(frozen=True)
class FunsdOptions:
    level: str = "word"  # "word", or "entity"/"line" (FUNSD's line-like question/answer fields)


def _reader(task: str, module: str, name: str, options_cls: type | None = None):
    def factory(*, options: Any = None) -> Reader:
        import importlib

        loader = getattr(importlib.import_module(f"ocrkit.datasets.{module}"), name)
        opts = {}
        if options_cls is not None:
            opts = vars(build_config(options_cls, options or {}, what="dataset"))
        elif options:
            raise ValueError(f"this dataset takes no options, got {', '.join(options)}")
        return Reader(task, loader, opts)

    return factory


READERS = {
    "icdar2015": ("detection", "icdar", "load_icdar", None, "ICDAR 2013/2015 text GT (gt_<stem>.txt)"),
    "icdar2013": ("detection", "icdar", "load_icdar", None, "ICDAR 2013 LTRB or quad GT files"),
    "funsd": ("detection", "funsd", "load_funsd", FunsdOptions, "FUNSD forms JSON (word; level=entity)"),
    "sroie": ("detection", "polygons", "load_sroie", None, "SROIE task 1 boxes (<stem>.txt)"),
    "msra_td500": ("detection", "polygons", "load_msra_td500", None, "MSRA-TD500 .gt rotated boxes"),
    "totaltext": ("detection", "polygons", "load_totaltext", None, "Total-Text polygon text files"),
    "ctw1500": ("detection", "polygons", "load_totaltext", None, "CTW1500 polygon text files"),
    "synthtext": ("detection", "synthtext", "load_synthtext", None, "SynthText gt.mat (word level)"),
    "funsd_words": ("recognition", "funsd", "load_funsd_words", None,
                    "FUNSD word boxes cut from the forms, for recognition"),
    "iiit5k": ("recognition", "recognition", "load_iiit5k", None, "IIIT5K testCharBound.mat crops"),
    "icdar2015_words": ("recognition", "recognition", "load_icdar2015_words", None,
                        "ICDAR 2015 word crops (Task 4.3)"),
    "crops": ("recognition", "recognition", "load_crops", None,
              "a folder of crops with a label file (name, \"text\" or name<TAB>text)"),
}  # fmt: skip


@hookimpl
def ocrkit_register_datasets(registry: Any) -> None:
    for name, (task, module, func, options_cls, summary) in READERS.items():
        registry.add(name, _reader(task, module, func, options_cls), summary=summary)
