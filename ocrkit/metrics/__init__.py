"""Evaluation metrics: pure matching functions plus update/compute/reset evaluators."""

from .detection import Icdar2015Evaluator, MatchResult, PolygonEvaluator, match_icdar2015, prf
from .deteval import DetEvalEvaluator, match_deteval
from .end_to_end import EndToEndEvaluator, transcription_match
from .recognition import RecognitionEvaluator, character_error_rate

__all__ = [
    "DetEvalEvaluator",
    "EndToEndEvaluator",
    "Icdar2015Evaluator",
    "MatchResult",
    "PolygonEvaluator",
    "RecognitionEvaluator",
    "character_error_rate",
    "match_deteval",
    "match_icdar2015",
    "prf",
    "transcription_match",
]
