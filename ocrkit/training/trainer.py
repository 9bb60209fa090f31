"""fit(): the model-agnostic training loop. It never looks at what the model is.

Deterministic resume: batch k of the run is a function of (seed, k) only — each epoch's order is
a permutation drawn from a generator seeded with seed + epoch — and checkpoints store the step,
optimiser, scaler and RNG states, so a resumed run continues exactly as the uninterrupted one.
Multi-GPU: run the same command under ``torchrun``; each rank takes its slice of every batch.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import torch
from tqdm import tqdm

from .checkpoint import load_checkpoint, save_checkpoint, set_rng_state
from .schedule import lr_at
from .spec import TrainConfig, TrainResult, TrainSpec


class TrainingError(RuntimeError):
    """Training cannot go on (non-finite loss, mismatched resume); one line."""


def _batches(n: int, batch: int, seed: int, start_step: int, rank: int, world: int) -> Iterator[list[int]]:
    """Index lists for steps start_step, start_step+1, … (each rank's slice of the global batch)."""
    per_epoch = max(1, n // (batch * world))  # whole global batches per epoch (drop the rest)
    step = start_step
    while True:
        epoch, k = divmod(step, per_epoch)
        g = torch.Generator().manual_seed(seed + epoch)
        order = torch.randperm(n, generator=g).tolist()
        glob = order[k * batch * world : (k + 1) * batch * world]
        yield glob[rank * batch : (rank + 1) * batch]
        step += 1


def _to_device(batch: Any, device: torch.device) -> Any:
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, Mapping):
        return {k: _to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in batch):
        return type(batch)(_to_device(v, device) for v in batch)
    return batch


def _distributed() -> tuple[int, int, int]:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return 0, 1, 0
    import torch.distributed as dist

    if not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return dist.get_rank(), world, int(os.environ.get("LOCAL_RANK", "0"))


def _autocast_dtype(amp: str, device: torch.device, rank: int = 0) -> torch.dtype | None:
    """The autocast dtype ``amp`` asks for, or None where it would not pay: fp16 off CUDA, and
    bf16 on a CPU without native bf16 (emulated bf16 convolutions are several times slower)."""
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(amp)
    if dtype is None or device.type == "cuda":
        return dtype
    from ocrkit.precision import cpu_has_native_bf16

    if dtype == torch.bfloat16 and device.type == "cpu" and cpu_has_native_bf16():
        return dtype
    why = "fp16 autocast is a CUDA setting" if dtype == torch.float16 else "no native bf16 on this CPU"
    if rank == 0:
        print(f"ocrkit: amp={amp} ignored on {device.type} ({why}): training in fp32", file=sys.stderr)
    return None


def run_settings(amp: str, memory_format: str, device: torch.device, rank: int = 0) -> tuple[torch.dtype | None, bool]:
    """(autocast dtype or None, channels-last weights?) that ``amp`` and ``memory_format`` give on
    ``device``: what ``fit`` runs, and what benchmarks/bench_train_step.py measures."""
    dtype = _autocast_dtype(amp, device, rank)
    return dtype, memory_format == "channels_last" or (memory_format == "auto" and dtype is not None)


def evaluate(spec: TrainSpec, model: Any, evaluators: Mapping[str, Any], device: torch.device,
             collate: Any, batch_size: int) -> dict[str, float]:  # fmt: skip
    """Run ``spec.predict`` over the validation data; flat ``<evaluator>/<metric>`` keys."""
    for ev in evaluators.values():
        ev.reset()
    model.eval()
    n = len(spec.val_data)
    with torch.no_grad():
        for start in range(0, n, batch_size):
            items = [spec.val_data[i] for i in range(start, min(n, start + batch_size))]
            batch = _to_device(collate(items), device)
            preds, targets = spec.predict(model, batch), spec.to_targets(batch)  # type: ignore[misc]
            for ev in evaluators.values():
                ev.update(preds, targets)
    model.train()
    return {f"{name}/{k}": v for name, ev in evaluators.items() for k, v in ev.compute().items()}


def fit(spec: TrainSpec, config: TrainConfig, evaluators: Mapping[str, Any] | None = None,
        recipe: str = "") -> TrainResult:  # fmt: skip
    """Train ``spec.model`` for ``config.max_steps`` steps; see the module docstring."""
    evaluators = dict(evaluators or {})
    rank, world, local = _distributed()
    device = torch.device(config.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise TrainingError(f"device {config.device!r} requested but CUDA is not available")
        if world > 1:
            device = torch.device("cuda", local)
    torch.manual_seed(config.seed)
    model = spec.model.to(device).train()
    dtype, channels_last = run_settings(config.amp, config.memory_format, device, rank)
    if channels_last:  # before the optimiser exists, so its moment buffers take the same layout
        model = model.to(memory_format=torch.channels_last)
    params = spec.param_groups(model) if spec.param_groups else [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)
    scaler = torch.amp.GradScaler(device.type) if config.amp == "fp16" and device.type == "cuda" else None
    start = 0
    best = None
    if config.resume:
        state = load_checkpoint(config.resume)
        if state.get("recipe") and recipe and state["recipe"] != recipe:
            raise TrainingError(f"{config.resume}: a {state['recipe']!r} checkpoint, not {recipe!r}")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        if scaler is not None and state.get("scaler"):
            scaler.load_state_dict(state["scaler"])
        set_rng_state(state["rng"])
        start, best = int(state["step"]), state.get("best_metric")
    train_model = model
    if world > 1:
        from torch.nn.parallel import DistributedDataParallel

        train_model = DistributedDataParallel(model, device_ids=[local] if device.type == "cuda" else None)
    collate = spec.collate or torch.utils.data.default_collate
    loader = _loader(spec, config, collate, start, rank, world)
    out = Path(config.out_dir)
    history: list[dict[str, float]] = []
    validating = rank == 0 and spec.val_data is not None and bool(evaluators)
    if validating and config.eval_on_start and start == 0:
        metrics = evaluate(spec, model, evaluators, device, spec.val_collate or collate, config.batch_size)
        _log(out, {"step": 0, **metrics})
        history.append({"step": 0, **metrics})
        best = metrics.get(spec.main_metric or "", None)
        if best is not None:
            _save(out / "best.pt", model, optimizer, scaler, 0, config, recipe, spec, best)
    bar = tqdm(total=config.max_steps, initial=start, disable=rank != 0, file=sys.stderr, unit="step")
    t0, seen, last = time.perf_counter(), 0, math.nan
    waited = 0.0  # seconds spent waiting for batches since the last log line
    t_log = t0
    budget_s = config.max_minutes * 60.0
    done = start
    for step in range(start, config.max_steps):
        t_wait = time.perf_counter()
        batch = _to_device(next(loader), device)
        waited += time.perf_counter() - t_wait
        elapsed = time.perf_counter() - t0
        # With a time budget the schedule advances by whichever runs out first: steps or time.
        position = max(step, elapsed / budget_s * config.max_steps) if budget_s else step
        lr = lr_at(position, base_lr=config.lr, warmup_steps=config.warmup_steps,
                   max_steps=config.max_steps, min_ratio=config.min_lr_ratio)  # fmt: skip
        for group in optimizer.param_groups:
            group["lr"] = lr * group.get("lr_scale", 1.0)
        autocast = torch.autocast(device.type, dtype=dtype) if dtype else nullcontext()
        with autocast:
            losses = spec.step(train_model, batch)
        loss = losses["loss"]
        if not torch.isfinite(loss.detach()).item():
            shown = {k: float(v.detach()) for k, v in losses.items()}
            raise TrainingError(f"non-finite loss at step {step}: {shown}; stopping")
        optimizer.zero_grad(set_to_none=True)
        (scaler.scale(loss) if scaler else loss).backward()
        if scaler:
            scaler.unscale_(optimizer)
        if config.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        if scaler:
            scaler.step(optimizer)
            scaler.update()
        else:
            optimizer.step()
        last = float(loss.detach())
        seen += _batch_len(batch) * world
        done = step + 1
        bar.update(1)
        final = done == config.max_steps or _out_of_time(t0, budget_s, world, device)
        if rank == 0 and (done % config.log_every == 0 or final):
            now = time.perf_counter()
            rate = seen / max(now - t0, 1e-9)
            # data_wait: share of the time since the last log spent waiting for the DataLoader
            # (near 1 = input-bound; the rest is the step: forward, backward, optimiser).
            entry = {"step": done, "lr": lr, "samples_per_s": rate,
                     "data_wait": waited / max(now - t_log, 1e-9),
                     **{k: float(v.detach()) for k, v in losses.items()}}  # fmt: skip
            waited, t_log = 0.0, now
            history.append(entry)
            bar.set_postfix(loss=f"{last:.4f}", rate=f"{rate:.1f}/s")
            _log(out, entry)
        if validating and (done % config.eval_every == 0 or final):
            metrics = evaluate(spec, model, evaluators, device, spec.val_collate or collate, config.batch_size)
            _log(out, {"step": done, **metrics})
            history.append({"step": done, **metrics})
            value = metrics.get(spec.main_metric or "", None)
            if value is not None and (best is None or value > best):
                best = value
                _save(out / "best.pt", model, optimizer, scaler, done, config, recipe, spec, best)
        if rank == 0 and (done % config.save_every == 0 or final):
            _save(out / "last.pt", model, optimizer, scaler, done, config, recipe, spec, best)
        if final:
            break
    bar.close()
    return TrainResult(
        steps=done, last_loss=last, best_metric=best, checkpoint=str(out / "last.pt"),
        best_checkpoint=str(out / "best.pt") if (out / "best.pt").exists() else None, history=history,
    )  # fmt: skip


def _out_of_time(t0: float, budget_s: float, world: int, device: torch.device) -> bool:
    """Whether the wall-clock budget is spent; under DDP rank 0 decides for every rank (their
    clocks differ slightly and a rank that stopped alone would hang the others)."""
    if not budget_s:
        return False
    stop = time.perf_counter() - t0 >= budget_s
    if world > 1:
        import torch.distributed as dist

        flag = torch.tensor([int(stop)], device=device)
        dist.broadcast(flag, src=0)
        stop = bool(flag.item())
    return stop


def _loader(spec: TrainSpec, config: TrainConfig, collate: Any, start: int, rank: int, world: int):
    """An endless iterator of collated batches for steps start, start+1, … (workers optional)."""
    n = len(spec.train_data)
    if n == 0:
        raise TrainingError("the training data is empty")
    sampler = _batches(n, config.batch_size, config.seed, start, rank, world)
    # A GPU config's 12 workers on a 2-core CPU smoke run would only add start-up time.
    workers = min(config.num_workers, os.cpu_count() or 1)
    if workers <= 0:
        return (collate([spec.train_data[i] for i in idx]) for idx in sampler)
    loader = torch.utils.data.DataLoader(
        spec.train_data, batch_sampler=sampler, collate_fn=collate, num_workers=workers,
        persistent_workers=True, pin_memory=config.device.startswith("cuda"),
    )  # fmt: skip
    return iter(loader)


def single_threaded(_worker: int = 0) -> None:
    """Initialiser of *spawned* helper processes: one thread each for torch and OpenCV, which
    otherwise starts a thread per core in every process. Not for forked DataLoader workers:
    OpenCV's thread pool inherited through fork deadlocks on ``setNumThreads`` (seen here)."""
    torch.set_num_threads(1)
    try:
        import cv2
    except ImportError:  # a recipe without OpenCV
        return
    cv2.setNumThreads(1)


def _batch_len(batch: Any) -> int:
    if isinstance(batch, Mapping):
        for v in batch.values():
            if isinstance(v, torch.Tensor):
                return int(v.shape[0])
            if isinstance(v, (list, tuple)):
                return len(v)
    return 1


def _save(path, model, optimizer, scaler, step, config, recipe, spec, best) -> None:
    save_checkpoint(path, model=model, optimizer=optimizer, scaler=scaler, step=step, config=config,
                    recipe=recipe, options=spec.options, extra={"best_metric": best})  # fmt: skip


def _log(out: Path, entry: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "log.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")
