"""Torch layers shared by the plugins' models (imported by them only: ``import ocrkit`` stays
torch-free).

:class:`MaxPool2d` is ``nn.MaxPool2d`` with the same outputs bit for bit, faster on the CPU.
Torch's CPU max-pool kernel for NCHW tensors is slow: on this project's 2-core machine the
CRNN's four pools took a quarter of its forward pass (77 of 293 ms for 32 crops 64 × 256). A
window that tiles the input (kernel = stride, no padding) is the elementwise maximum of strided
views of it, which torch's vectorised binary kernels take 2.5-20 × faster per pool: the CRNN's
forward runs 1.36 × and CRAFT's 1.08 × faster, outputs bit-equal
(``python benchmarks/bench_pool.py``). A maximum picks one of its inputs, so the result is
exact, NaN included (both propagate it).
"""

from __future__ import annotations

import torch
from torch import nn


def _compiling() -> bool:
    """Whether torch.compile or torch.export is tracing. ``torch.compiler.is_compiling`` came
    in torch 2.3; the 2.2 that pyproject allows has only dynamo's own (imported late: importing
    ``torch._dynamo`` takes a while, and only 2.2 needs it)."""
    check = getattr(torch.compiler, "is_compiling", None)
    if check is None:
        from torch._dynamo import is_compiling as check
    return bool(check())


def _fast_path(pool: nn.MaxPool2d, x: torch.Tensor) -> tuple[int, int] | None:
    """The (kh, kw) window when ``pool`` may be taken by strided maxima, else None: inference
    on the CPU, a window that tiles its input, not traced or compiled (exporters and compilers
    get the one op they know), no gradient (a maximum splits a tie's gradient where max-pool
    gives it to one input)."""
    kernel = pool.kernel_size if isinstance(pool.kernel_size, tuple) else (pool.kernel_size,) * 2
    stride = pool.stride if isinstance(pool.stride, tuple) else (pool.stride,) * 2
    plain = pool.padding in (0, (0, 0)) and pool.dilation in (1, (1, 1))
    if not (plain and kernel == stride and not pool.ceil_mode and not pool.return_indices):
        return None
    if x.device.type != "cpu" or x.dim() != 4 or (torch.is_grad_enabled() and x.requires_grad):
        return None
    if torch.jit.is_tracing() or torch.jit.is_scripting() or _compiling():
        return None
    return kernel


class MaxPool2d(nn.MaxPool2d):
    """``nn.MaxPool2d``; on the CPU, for a window that tiles the input, elementwise maxima of
    strided views (exact; see the module)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        window = _fast_path(self, x)
        if window is None:
            return super().forward(x)
        kh, kw = window
        b, c, h, w = x.shape
        h, w = h - h % kh, w - w % kw  # floor, as the pool drops a partial window
        rows = x[:, :, :h, :w].reshape(b, c, h // kh, kh, w)  # (B, C, H/kh, kh, W)
        out = rows[:, :, :, 0]
        for k in range(1, kh):
            out = torch.maximum(out, rows[:, :, :, k])  # (B, C, H/kh, W)
        cols = out
        out = cols[..., 0::kw]
        for k in range(1, kw):
            out = torch.maximum(out, cols[..., k::kw])  # (B, C, H/kh, W/kw)
        return out
