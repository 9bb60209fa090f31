"""What a training recipe hands the trainer, and the trainer's own settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

MEMORY_FORMATS = ("auto", "channels_last", "contiguous")
Batch = dict[str, Any]  # keys documented by each recipe; the trainer only moves tensors to device


@dataclass
class TrainSpec:
    """A model, its data and its loss, built by a recipe (``ocrkit_register_training``).

    ``step(model, batch)`` runs the forward pass and returns a dict with a scalar ``"loss"``
    (other entries are logged). ``predict(model, batch)`` and ``to_targets(batch)`` give what the
    evaluators named in ``evaluators`` compare; ``main_metric`` ("<evaluator>/<key>", higher is
    better) picks the best checkpoint.
    """

    model: Any  # torch.nn.Module
    train_data: Any  # map-style Dataset; item i must depend only on i (resume replays it)
    step: Callable[[Any, Batch], dict[str, Any]]
    collate: Callable[[list[Any]], Batch] | None = None
    val_data: Any | None = None
    predict: Callable[[Any, Batch], list[Any]] | None = None
    to_targets: Callable[[Batch], list[Any]] | None = None
    evaluators: Sequence[str] = ()
    main_metric: str | None = None
    param_groups: Callable[[Any], list[dict[str, Any]]] | None = None
    val_collate: Callable[[list[Any]], Batch] | None = None  # default: ``collate``
    options: dict[str, Any] = field(default_factory=dict)  # the recipe's resolved options


@dataclass(frozen=True)
class TrainConfig:
    """Trainer settings: TOML top-level keys or ``--set KEY=VALUE``."""

    out_dir: str = "runs/train"
    max_steps: int = 1000
    # Wall-clock budget in minutes (0 = none). With a budget the schedule's progress is the larger
    # of step/max_steps and elapsed/budget, so warmup and cosine decay finish when time runs out
    # (set max_steps above what fits). Wall-clock stops are not bit-reproducible: resume exactness
    # holds for step-bounded runs only.
    max_minutes: float = 0.0
    batch_size: int = 8
    lr: float = 1e-3
    weight_decay: float = 0.0
    warmup_steps: int = 0
    min_lr_ratio: float = 0.1  # cosine decay ends at lr × this
    grad_clip: float = 0.0  # max gradient norm; 0 = off
    # "none", "bf16" or "fp16": autocast (fp16 adds a gradient scaler). On the CPU bf16 runs
    # where the CPU has native bf16 (AVX-512 BF16/AMX: a CRAFT step 2.5× faster) and fp16 never.
    amp: str = "none"
    # "auto" (channels-last while autocast runs: oneDNN/cuDNN's fast low-precision convolutions
    # want NHWC), "channels_last" or "contiguous". Only 4-D weights change layout.
    memory_format: str = "auto"
    device: str = "cpu"
    log_every: int = 50
    eval_every: int = 1000  # also evaluated at the end when there is validation data
    # Also evaluate the starting model (step 0), so best.pt stays the start when no later
    # evaluation beats it: fine-tuning then never hands back a model worse on validation.
    eval_on_start: bool = False
    save_every: int = 1000
    seed: int = 0
    num_workers: int = 0
    resume: str | None = None  # a checkpoint to continue from (same recipe)

    def __post_init__(self) -> None:
        if self.amp not in ("none", "bf16", "fp16"):
            raise ValueError(f"amp must be none, bf16 or fp16, got {self.amp!r}")
        if self.memory_format not in MEMORY_FORMATS:
            raise ValueError(f"memory_format must be {', '.join(MEMORY_FORMATS)}, got {self.memory_format!r}")
        if self.max_steps < 1 or self.batch_size < 1:
            raise ValueError("max_steps and batch_size must be >= 1")
        if self.max_minutes < 0:
            raise ValueError("max_minutes must be >= 0")


@dataclass
class TrainResult:
    steps: int
    last_loss: float
    best_metric: float | None
    checkpoint: str  # path of the last checkpoint
    best_checkpoint: str | None
    history: list[dict[str, float]] = field(default_factory=list)
