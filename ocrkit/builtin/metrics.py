"""The core's metrics, registered through ``ocrkit_register_evaluators`` like any plugin's."""

from __future__ import annotations

from typing import Any

from ..config import build_config
from ..hookspecs import hookimpl
from ..metrics import (
    DetEvalEvaluator,
    EndToEndEvaluator,
    Icdar2015Evaluator,
    PolygonEvaluator,
    RecognitionEvaluator,
)


def _factory(cls: type, **allowed: type) -> Any:
    """A factory accepting only ``allowed`` options (checked, listed on error)."""
    from dataclasses import make_dataclass

    options_cls = make_dataclass(f"{cls.__name__}Options", [(k, t, None) for k, t in allowed.items()])

    def build(*, options: Any = None) -> Any:
        opts = build_config(options_cls, options or {}, what=cls.__name__)
        return cls(**{k: v for k, v in vars(opts).items() if v is not None})

    return build


@hookimpl
def ocrkit_register_evaluators(registry: Any) -> None:
    registry.add("icdar2015", _factory(Icdar2015Evaluator, iou_threshold=float),
                 summary="ICDAR 2015 localisation: IoU > 0.5 one-to-one, '###' regions ignored")
    registry.add("deteval", _factory(DetEvalEvaluator),
                 summary="ICDAR 2013 DetEval: one-to-one, split and merge (0.8 / 0.4, penalty 0.8)")
    registry.add("polygon", _factory(PolygonEvaluator, iou_threshold=float),
                 summary="IoU > 0.5 one-to-one on arbitrary polygons (Total-Text / CTW1500)")
    registry.add("end_to_end", _factory(EndToEndEvaluator, word_spotting=bool),
                 summary="IC15 end-to-end: IoU > 0.5 and the same text (case-insensitive, generic)")
    registry.add("end_to_end_cased", lambda *, options=None: EndToEndEvaluator(case_sensitive=True),
                 summary="IC15 end-to-end as end_to_end, but the texts' case must match too")
    registry.add("word_spotting", lambda *, options=None: EndToEndEvaluator(word_spotting=True),
                 summary="IC15 word spotting: exact (case-insensitive) text, dictionary-word GT only")
    registry.add("recognition", _factory(RecognitionEvaluator),
                 summary="word accuracy (exact; case-insensitive alphanumeric) and character error rate")
