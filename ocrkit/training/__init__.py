"""The shared trainer: recipes build a TrainSpec, ``fit`` trains it (torch imported here only)."""

from .spec import Batch, TrainConfig, TrainResult, TrainSpec
from .trainer import TrainingError, evaluate, fit

__all__ = ["Batch", "TrainConfig", "TrainResult", "TrainSpec", "TrainingError", "evaluate", "fit"]
