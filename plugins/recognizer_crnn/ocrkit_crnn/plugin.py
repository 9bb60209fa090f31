"""Hook wiring only: cheap to import (no torch), the factory imports the model lazily."""

from __future__ import annotations

from typing import Any

from ocrkit import hookimpl


def build_crnn_recognizer(*, options: Any, device: str) -> Any:
    from .recognizer import CrnnRecognizer

    return CrnnRecognizer.from_options(options, device=device)


@hookimpl
def ocrkit_register_recognizers(registry: Any) -> None:
    registry.add(
        "crnn",
        build_crnn_recognizer,
        summary="CRNN VGG-BiLSTM-CTC recogniser (EasyOCR english_g2 weights), 96 characters",
    )


def build_crnn_training(*, options: Any, config: Any) -> Any:
    from .training import make_training

    return make_training(options=options, config=config)


@hookimpl
def ocrkit_register_training(registry: Any) -> None:
    registry.add("crnn", build_crnn_training,
                 summary="CTC training of the CRNN (fine-tune english_g2 or from scratch)")  # fmt: skip
