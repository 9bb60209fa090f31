"""``ocrkit.layers.MaxPool2d`` against ``torch.nn.MaxPool2d`` on the CPU: each pool of the CRNN
and CRAFT at a typical input, then both whole networks, in one run (outputs checked equal).

    python benchmarks/bench_pool.py                      # 32 crops 64 × 256, one 736 × 1280 page
    python benchmarks/bench_pool.py --crops 8 --page 480x640 --repeat 3
    python benchmarks/bench_pool.py --bf16      # as precision=auto runs on a CPU with native bf16

Prints ms per pass for torch's pool and ours, their ratio, whether the outputs are bit-equal,
and the machine. The networks run with random weights (the pools' cost does not depend on
them) under ``torch.inference_mode``, as the recogniser and detector run them: fp32, or with
``--bf16`` under bf16 autocast with CRAFT channels-last (the detector's ``auto`` on such a CPU).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

from ocrkit.layers import MaxPool2d  # noqa: E402


def timed(fn: Callable[[], torch.Tensor], repeat: int) -> tuple[float, torch.Tensor]:
    """(ms per call, the last output), after one untimed call."""
    out = fn()
    start = time.perf_counter()
    for _ in range(repeat):
        out = fn()
    return (time.perf_counter() - start) / repeat * 1e3, out


def with_torch_pools(model: nn.Module) -> nn.Module:
    """``model`` with every ``MaxPool2d`` of ours swapped for torch's own, in place."""
    for name, child in model.named_children():
        if isinstance(child, MaxPool2d):
            setattr(model, name, nn.MaxPool2d(child.kernel_size, child.stride, child.padding))
        else:
            with_torch_pools(child)
    return model


def pool_inputs(model: nn.Module, x: torch.Tensor) -> list[tuple[MaxPool2d, torch.Tensor]]:
    """Each of ``model``'s pools of ours with the input it gets from ``x``."""
    seen: list[tuple[MaxPool2d, torch.Tensor]] = []
    hooks = [m.register_forward_pre_hook(lambda m, args: seen.append((m, args[0])))
             for m in model.modules() if isinstance(m, MaxPool2d)]  # fmt: skip
    model(x)
    for hook in hooks:
        hook.remove()
    return seen


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--crops", type=int, default=32, help="CRNN batch: crops 64 × --crop-width")
    p.add_argument("--crop-width", type=int, default=256)
    p.add_argument("--page", default="736x1280", help="CRAFT input HxW (multiples of 32)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--bf16", action="store_true", help="bf16 autocast, CRAFT channels-last")
    args = p.parse_args(argv)
    from ocrkit_craft.model import CRAFT
    from ocrkit_crnn.model import CRNN

    torch.manual_seed(0)
    height, width = (int(v) for v in args.page.lower().split("x"))
    craft, page = CRAFT(), torch.randn(1, 3, height, width)
    if args.bf16:  # the detector's memory_format=auto follows bf16
        craft = craft.to(memory_format=torch.channels_last)
        page = page.contiguous(memory_format=torch.channels_last)
    crops = torch.randn(args.crops, 1, 64, args.crop_width)
    nets = (("CRNN", CRNN(), crops), ("CRAFT", craft, page))
    print(f"| pool or network ({'bf16' if args.bf16 else 'fp32'}) | input | torch ms | ocrkit ms | "
          "ratio | equal |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- |")
    amp = torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16)
    with torch.inference_mode(), amp:
        for name, net, x in nets:
            net.eval()
            for k, (pool, inp) in enumerate(pool_inputs(net, x)):
                ref = nn.MaxPool2d(pool.kernel_size, pool.stride, pool.padding)
                t_ref, y_ref = timed(lambda: ref(inp), args.repeat)
                t_ours, y_ours = timed(lambda: pool(inp), args.repeat)
                window = f"{pool.kernel_size}/{pool.stride}"
                print(f"| {name} pool {k} {window} | {tuple(inp.shape)} | {t_ref:.1f} | "
                      f"{t_ours:.1f} | {t_ref / t_ours:.2f} | {torch.equal(y_ref, y_ours)} |")
            t_ours, y_ours = timed(lambda: net(x), args.repeat)
            with_torch_pools(net)
            t_ref, y_ref = timed(lambda: net(x), args.repeat)
            pairs = zip(torch.atleast_1d(y_ref), torch.atleast_1d(y_ours))  # CRAFT: 2 outputs
            equal = all(torch.equal(a, b) for a, b in pairs)
            print(f"| **{name} forward** | {tuple(x.shape)} | {t_ref:.1f} | {t_ours:.1f} | "
                  f"**{t_ref / t_ours:.2f}** | {equal} |")
    print("machine:", machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
