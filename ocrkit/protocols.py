"""Structural interfaces that plugins implement (checked by shape, not by inheritance)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol, runtime_checkable

from .types import Detection, Image, Recognition

Options = Mapping[str, Any]  # a plugin's own options from `--det-opt k=v` or keyword arguments


@runtime_checkable
class Detector(Protocol):
    def detect(self, images: Sequence[Image]) -> list[list[Detection]]: ...


@runtime_checkable
class Recognizer(Protocol):
    height: int  # the crop height (pixels) the recogniser wants from the crop stage
    # Optional, not part of the check: `characters: str`, every character its texts can hold
    # (an allowlist); the pipeline's tidy steps then add no other.

    def recognize(self, crops: Sequence[Image]) -> list[Recognition]: ...


class Evaluator(Protocol):
    task: Literal["detection", "recognition", "end_to_end"]

    def update(self, predictions: Sequence[Any], targets: Sequence[Any]) -> None: ...
    def compute(self) -> dict[str, float]: ...
    def reset(self) -> None: ...


class DatasetReader(Protocol):
    task: Literal["detection", "recognition"]

    def load(self, data: Any, images: Any = None, gt: Any = None) -> list[Any]: ...


class DatasetFactory(Protocol):
    def __call__(self, *, options: Options) -> DatasetReader: ...


class DetectorFactory(Protocol):
    def __call__(self, *, options: Options, device: str) -> Detector: ...


class RecognizerFactory(Protocol):
    def __call__(self, *, options: Options, device: str) -> Recognizer: ...


class EvaluatorFactory(Protocol):
    def __call__(self, *, options: Options) -> Evaluator: ...
