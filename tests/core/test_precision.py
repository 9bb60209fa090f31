"""``precision=auto`` resolves to the fastest precision within tolerance for device and runtime."""

import pytest

import ocrkit.precision as precision
from ocrkit.precision import check_precision, cpu_has_native_bf16, resolve_precision


def test_auto_precision_per_device_and_runtime():
    assert resolve_precision("auto", "cuda") == "fp16"
    assert resolve_precision("auto", "cpu") in ("fp32", "bf16")  # bf16 where native, below
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


@pytest.mark.parametrize("native", [True, False])
def test_auto_on_the_cpu_takes_bf16_only_where_it_is_native(monkeypatch, native):
    # Native bf16 (AVX-512 BF16/AMX): CRAFT 2.3× faster than fp32; emulated: 7× slower (RESULTS §6).
    monkeypatch.setattr(precision, "cpu_has_native_bf16", lambda: native)
    assert resolve_precision("auto", "cpu") == ("bf16" if native else "fp32")
    assert resolve_precision("auto", "cpu", "onnx") == "int8"
    assert resolve_precision("auto", "cuda") == "fp16"
    assert resolve_precision("fp32", "cpu") == "fp32"  # only auto chooses


def test_native_bf16_probe_answers_a_bool():
    assert isinstance(cpu_has_native_bf16(), bool)
