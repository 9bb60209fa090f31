"""Training-step speed: one optimiser step (forward, loss, backward, AdamW) of CRAFT (OHEM loss on
random targets) or the CRNN (CTC on random labels) for each `amp` setting, in one process.

Each setting runs exactly as the shared trainer runs it (its autocast and layout policy,
``ocrkit.training.trainer``): on the CPU bf16 only where bf16 is native, fp16 only on CUDA. The
speed-up is against the first setting (fp32 by default) in the same run; the first-step loss
shows the settings compute the same thing.

    python benchmarks/bench_train_step.py [--model craft|crnn] [--device cpu|cuda] [--size 768]
        [--batch-size 2] [--steps 3] [--amp none,bf16]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402


def _craft(batch: int, size: int, device: torch.device) -> tuple[Any, Any]:
    from ocrkit_craft.loss import craft_loss
    from ocrkit_craft.model import CRAFT

    g = torch.Generator().manual_seed(0)
    x = torch.rand(batch, 3, size, size, generator=g)
    # Sparse targets (most pixels near 0) like real label maps, so OHEM mines as in training.
    region, affinity = (torch.rand(batch, size // 2, size // 2, generator=g) ** 8 for _ in range(2))
    conf = torch.ones(batch, size // 2, size // 2)
    data = [t.to(device) for t in (x, region, affinity, conf)]

    def step(model: Any) -> torch.Tensor:
        pred, _ = model(data[0])  # B×size/2×size/2×2
        return craft_loss(pred, *data[1:])["loss"]

    return CRAFT(), step


def _crnn(batch: int, size: int, device: torch.device) -> tuple[Any, Any]:
    from ocrkit_crnn.model import CRNN
    from ocrkit_crnn.training import ctc_step

    g = torch.Generator().manual_seed(0)
    data = {
        "images": torch.rand(batch, 1, 64, size, generator=g).to(device),  # word crops, height 64
        "targets": torch.randint(1, 97, (batch, 8), generator=g).to(device),  # 8 characters each
        "target_lengths": torch.full((batch,), 8, dtype=torch.long),
    }
    return CRNN(), lambda model: ctc_step(model, data)["loss"]


def time_steps(name: str, amp: str, device: torch.device, batch: int, size: int, steps: int) -> dict[str, Any]:
    """Seconds per step (median of ``steps`` after one warm-up step) for one ``amp`` setting."""
    from ocrkit.training.trainer import run_settings

    torch.manual_seed(0)
    model, step = (_craft if name == "craft" else _crnn)(batch, size, device)
    model = model.to(device).train()
    dtype, channels_last = run_settings(amp, "auto", device)  # as `ocrkit train` runs it
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)
    scaler = torch.amp.GradScaler("cuda") if dtype == torch.float16 else None
    times, losses = [], []
    for _ in range(steps + 1):
        if device.type == "cuda":
            torch.cuda.synchronize()
        t = time.perf_counter()
        with torch.autocast(device.type, dtype=dtype) if dtype else nullcontext():
            out = step(model)
        optimizer.zero_grad(set_to_none=True)
        (scaler.scale(out) if scaler else out).backward()
        if scaler:
            scaler.step(optimizer)
            scaler.update()
        else:
            optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - t)
        losses.append(float(out.detach()))
    s = sorted(times[1:])[len(times[1:]) // 2]
    runs_as = {None: "fp32", torch.bfloat16: "bf16", torch.float16: "fp16"}[dtype]
    layout = "channels-last" if channels_last else "contiguous"
    # first_loss: every row starts from the same weights and batch, so it compares the settings.
    return {"amp": amp, "runs_as": f"{runs_as}, {layout}", "s_per_step": s, "images_per_s": batch / s,
            "first_loss": losses[0]}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", choices=("craft", "crnn"), default="craft")
    p.add_argument("--device", default="cpu")
    p.add_argument("--size", type=int, default=None, help="CRAFT: square side (768); CRNN: crop width (256)")
    p.add_argument("--batch-size", type=int, default=None, help="default 2 (CRAFT) or 32 (CRNN)")
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--amp", default="none,bf16", help="comma-separated: none, bf16, fp16")
    p.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    a = p.parse_args(argv)
    size = a.size or (768 if a.model == "craft" else 256)
    batch = a.batch_size or (2 if a.model == "craft" else 32)
    device = torch.device(a.device)
    rows = [time_steps(a.model, amp, device, batch, size, a.steps) for amp in a.amp.split(",")]
    base = rows[0]["s_per_step"]
    for r in rows:
        r["speedup"] = base / r["s_per_step"]
    report = {"machine": machine(), "model": a.model, "device": a.device, "size": size, "batch": batch, "rows": rows}
    if a.json:
        print(json.dumps(report))
        return 0
    print(json.dumps(report["machine"]))
    print(f"{a.model} training step, batch {batch}, {'side' if a.model == 'craft' else 'width'} {size}, {a.device}")
    print("| amp | runs as | s/step | images/s | speed-up | first loss |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['amp']} | {r['runs_as']} | {r['s_per_step']:.3f} | {r['images_per_s']:.2f} | "
              f"{r['speedup']:.2f}× | {r['first_loss']:.4f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
