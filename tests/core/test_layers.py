"""ocrkit.layers.MaxPool2d: torch's max-pool, bit for bit, by another route on the CPU."""

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from ocrkit.layers import MaxPool2d, _fast_path  # noqa: E402


@pytest.mark.parametrize("kernel", [2, (2, 1), (1, 2), 3])
@pytest.mark.parametrize("shape", [(2, 3, 8, 10), (1, 4, 7, 9)])  # odd sides drop a partial window
def test_equals_torch_pool(kernel, shape):
    x = torch.randn(shape, generator=torch.Generator().manual_seed(0))
    x[0, 0, 1, 1] = float("nan")
    ours, ref = MaxPool2d(kernel, kernel), nn.MaxPool2d(kernel, kernel)
    with torch.inference_mode():
        assert _fast_path(ours, x) is not None  # the strided route, not torch's kernel
        for inp in (x, x.contiguous(memory_format=torch.channels_last), x.bfloat16()):
            got, want = ours(inp), ref(inp)
            assert got.shape == want.shape and got.dtype == want.dtype
            assert torch.equal(got.nan_to_num(7.0), want.nan_to_num(7.0))
            assert torch.isnan(got).sum() == torch.isnan(want).sum()


def test_torch_kernel_where_the_window_overlaps_or_a_gradient_is_wanted():
    x = torch.randn(1, 2, 6, 6, requires_grad=True)
    assert _fast_path(MaxPool2d(3, 1, 1), x.detach()) is None  # overlapping windows, padding
    assert _fast_path(MaxPool2d(2, 2, ceil_mode=True), x.detach()) is None
    assert _fast_path(MaxPool2d(2, 2), x) is None  # training: torch's gradient routing
    pool = MaxPool2d(2, 2)
    pool(x).sum().backward()
    assert x.grad.sum() == 18  # 2 channels × 9 windows, one input each, as torch gives it
    with torch.no_grad():
        assert _fast_path(pool, x) is not None


def test_runs_on_a_torch_without_torch_compiler_is_compiling(monkeypatch):
    # torch 2.2 (allowed by pyproject) has no torch.compiler.is_compiling, only dynamo's own
    # (today's dynamo one calls torch.compiler's, so it stands in for 2.2's here).
    import torch._dynamo

    asked = []
    monkeypatch.delattr(torch.compiler, "is_compiling", raising=False)
    monkeypatch.setattr(torch._dynamo, "is_compiling", lambda: asked.append(1) or False)
    x = torch.randn(1, 2, 4, 6)
    with torch.inference_mode():
        assert _fast_path(MaxPool2d(2, 2), x) == (2, 2) and asked
        assert torch.equal(MaxPool2d(2, 2)(x), nn.MaxPool2d(2, 2)(x))


def test_models_use_it_and_still_load_their_state_dicts():
    crnn = pytest.importorskip("ocrkit_crnn.model")
    craft = pytest.importorskip("ocrkit_craft.model")
    for model in (crnn.CRNN(), craft.CRAFT()):
        pools = [m for m in model.modules() if isinstance(m, nn.MaxPool2d)]
        assert pools and all(isinstance(m, MaxPool2d) for m in pools)
        type(model)().load_state_dict(model.state_dict(), strict=True)


def test_bench_pool_runs_and_finds_the_outputs_equal(capsys):
    pytest.importorskip("ocrkit_crnn.model")
    pytest.importorskip("ocrkit_craft.model")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_pool import main

    for extra in ([], ["--bf16"]):
        tiny = ["--crops", "2", "--crop-width", "32", "--page", "64x64", "--repeat", "1"]
        assert main(tiny + extra) == 0
        lines = capsys.readouterr().out.splitlines()
        rows = [ln for ln in lines if ln.startswith(("| CRNN", "| CRAFT", "| **"))]
        assert len(rows) == 11  # the CRNN's 4 pools and forward, CRAFT's 5 and forward
        assert all(ln.endswith("| True |") for ln in rows)
