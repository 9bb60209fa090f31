"""The single evaluation loop shared by ``ocrkit eval`` (and, later, the trainer).

Predictions per sample go to each evaluator according to its ``task``: ``detection`` evaluators
see ``list[Detection]``, ``end_to_end`` ones ``list[Word]`` (with texts), ``recognition`` ones a
``Recognition`` and the reference text. Output keys are ``<evaluator>/<metric>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .types import Detection, Recognition, Word

TASKS_FOR = {  # which evaluator tasks a dataset task can serve
    "detection": ("detection", "end_to_end"),
    "recognition": ("recognition",),
}


class EvaluationError(ValueError):
    """An evaluator that does not fit the data or predictions; one line, names both."""


def check_tasks(
    evaluators: Mapping[str, Any], dataset_task: str, *, has_text: bool
) -> None:
    """Fail early when a metric cannot be computed from this dataset/prediction kind."""
    for name, ev in evaluators.items():
        if ev.task not in TASKS_FOR[dataset_task]:
            raise EvaluationError(
                f"metric {name!r} scores {ev.task} but the dataset is a {dataset_task} dataset"
            )
        if ev.task == "end_to_end" and not has_text:
            raise EvaluationError(
                f"metric {name!r} needs recognised text: add --recognizer NAME "
                "(or predictions with texts)"
            )


def update_detection(evaluators: Mapping[str, Any], words: Sequence[list[Word]], targets) -> None:
    for ev in evaluators.values():
        if ev.task == "end_to_end":
            ev.update(words, targets)
        else:
            ev.update([[Detection(w.polygon, w.detection_score) for w in ws] for ws in words], targets)


def update_recognition(
    evaluators: Mapping[str, Any], predictions: Sequence[Recognition], texts: Sequence[str]
) -> None:
    for ev in evaluators.values():
        ev.update(predictions, texts)


def compute(evaluators: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    return {name: ev.compute() for name, ev in evaluators.items()}


def run_batches(
    items: Sequence[Any], batch_size: int, step: Callable[[Sequence[Any]], None],
    progress: Iterable[Any] | None = None,
) -> None:  # fmt: skip
    """Call ``step`` on consecutive chunks of ``items`` (``progress`` is updated per item)."""
    for start in range(0, len(items), batch_size):
        chunk = items[start : start + batch_size]
        step(chunk)
        if progress is not None:
            progress.update(len(chunk))  # type: ignore[attr-defined]
