"""``precision=auto`` resolves to the fastest precision within tolerance for device and runtime."""

import pytest

from ocrkit.precision import check_precision, resolve_precision


def test_auto_precision_per_device_and_runtime():
    assert resolve_precision("auto", "cuda") == "fp16"
    assert resolve_precision("auto", "cpu") == "fp32"  # torch on a CPU: bf16 is slower
    assert resolve_precision("auto", "cpu", "onnx") == "int8"  # mixed int8, RESULTS §6
    assert resolve_precision("bf16", "cpu") == "bf16"
    with pytest.raises(ValueError, match="fp16 needs a CUDA device"):
        resolve_precision("fp16", "cpu")


def test_precision_and_runtime_combinations_are_checked():
    check_precision("int8", "onnx")
    with pytest.raises(ValueError, match="int8 needs runtime=onnx"):
        check_precision("int8", "torch")
    with pytest.raises(ValueError, match="precision must be one of"):
        check_precision("fp8")
