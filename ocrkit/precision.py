"""Numeric precision and runtime of a model's forward pass (shared by detector/recogniser plugins).

``precision``:
* ``fp32`` — the exact reference path (default).
* ``bf16`` — torch autocast to bfloat16 (CUDA, or CPUs with native bf16 — AVX-512 BF16 or AMX —
  where CRAFT runs 2.3× and the CRNN 1.4× faster than fp32; elsewhere bf16 is emulated and CRAFT
  runs 7× slower).
* ``fp16`` — autocast to float16, CUDA only.
* ``int8`` — with ``runtime=onnx`` only: the exported graph statically quantised by ONNX Runtime
  (QDQ, per-channel int8 weights, uint8 activations calibrated on synthetic text pages).
* ``auto`` — the fastest setting measured within tolerance for the device: fp16 on CUDA; with
  torch on the CPU bf16 where the CPU has native bf16, else fp32; int8 with ONNX Runtime.

Torch is imported lazily: the core stays torch-free to import.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

PRECISIONS = ("fp32", "bf16", "fp16", "int8", "auto")
RUNTIMES = ("torch", "onnx")


def check_precision(precision: str, runtime: str = "torch") -> None:
    """Raise ValueError for an unknown name or an unsupported combination."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if runtime not in RUNTIMES:
        raise ValueError(f"runtime must be one of {', '.join(RUNTIMES)}, got {runtime!r}")
    if runtime == "onnx" and precision not in ("fp32", "int8", "auto"):
        raise ValueError(f"runtime=onnx runs fp32 or int8 graphs; precision={precision} needs runtime=torch")
    if runtime == "torch" and precision == "int8":
        raise ValueError("precision=int8 needs runtime=onnx (ONNX Runtime's quantised graph)")


def cpu_has_native_bf16() -> bool:
    """True when this CPU computes bf16 natively (AVX-512 BF16 or AMX tiles), so oneDNN's bf16
    convolutions beat fp32; without them torch emulates bf16 and it is much slower."""
    import torch

    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")  # private but stable since 2.0
    try:
        return any(getattr(torch.cpu, name, lambda: False)() for name in checks)
    except Exception:  # an unknown build: take the safe path
        return False


def resolve_precision(precision: str, device_type: str, runtime: str = "torch") -> str:
    """``auto`` → the fastest precision within 0.5 H-mean point of fp32 that ``device_type`` and
    ``runtime`` run (benchmarks/RESULTS.md §6): fp16 on CUDA; int8 under ONNX Runtime on the
    CPU; with torch on the CPU bf16 where the CPU has native bf16 (CRAFT 2.3×, CRNN 1.4× faster,
    accuracy unchanged), else fp32 (emulated bf16 is 7× slower). fp16 off CUDA is an error."""
    if precision == "auto":
        if device_type == "cuda":
            return "fp16"
        if runtime == "onnx":
            return "int8"
        return "bf16" if device_type == "cpu" and cpu_has_native_bf16() else "fp32"
    if precision == "fp16" and device_type != "cuda":
        raise ValueError("precision=fp16 needs a CUDA device (use bf16 or fp32 on the CPU)")
    return precision


def autocast(precision: str, device_type: str) -> Any:
    """A context manager running the forward pass at ``precision`` (resolved)."""
    import torch

    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
    return torch.autocast(device_type, dtype=dtype) if dtype is not None else nullcontext()


def onnx_session(path: str, threads: int = 0) -> Any:
    """An ONNX Runtime CPU session (``pip install ocrkit[onnx]``); clear error when missing."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise RuntimeError("runtime=onnx needs onnxruntime: pip install 'ocrkit[onnx]'") from None
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def export_onnx(model: Any, example: Any, path: str, input_name: str, output_names: list[str],
                dynamic: dict[str, dict[int, str]], opset: int = 17) -> None:  # fmt: skip
    """Export ``model`` (eval mode, fp32, CPU) with the TorchScript-based exporter (it needs only
    the ``onnx`` package) and dynamic axes ``dynamic``; checks the file with onnx.checker."""
    import warnings

    import torch

    try:
        import onnx
    except ImportError:
        raise RuntimeError("ONNX export needs the onnx package: pip install 'ocrkit[onnx]'") from None
    model = model.float().cpu().eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's deprecation and tracer notices
        with torch.no_grad():
            torch.onnx.export(model, (example,), str(path), input_names=[input_name],
                              output_names=output_names, dynamic_axes=dynamic, opset_version=opset,
                              dynamo=False)  # fmt: skip
    onnx.checker.check_model(str(path))


def quantize_int8(
    src: str, dst: str, calibration: Any, input_name: str, exclude: Sequence[str] = ()
) -> None:
    """Static int8 quantisation of the ONNX graph ``src`` into ``dst`` (QDQ, per-channel weights);
    ``calibration`` yields float32 input arrays; nodes named in ``exclude`` stay float32."""
    try:
        from onnxruntime.quantization import (
            CalibrationDataReader,
            QuantFormat,
            QuantType,
            quantize_static,
        )
        from onnxruntime.quantization.shape_inference import quant_pre_process
    except ImportError:
        raise RuntimeError("precision=int8 needs onnxruntime: pip install 'ocrkit[onnx]'") from None

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.items = iter(calibration)

        def get_next(self) -> dict | None:
            item = next(self.items, None)
            return None if item is None else {input_name: item}

    pre = f"{dst}.pre.onnx"
    quant_pre_process(src, pre)
    quantize_static(pre, dst, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                    nodes_to_exclude=list(exclude))  # fmt: skip
    os.remove(pre)


def build_once(target: Path, build: Callable[[Path], Any]) -> Path:
    """``target``, made by ``build(temporary path)`` unless it exists; the rename is atomic, so
    concurrent processes never read a partial file (the loser's build just replaces it)."""
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        build(tmp)
        os.replace(tmp, target)
    return target
