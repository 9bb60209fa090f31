"""ONNX export (`ocrkit export`), the ONNX Runtime detector path and the precision option."""

import numpy as np
import pytest
import torch

import ocrkit
from ocrkit.cli import main
from ocrkit.testing import synthetic_text_image

ort = pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def craft_onnx(tmp_path_factory):
    out = tmp_path_factory.mktemp("onnx") / "craft.onnx"
    assert main(["export", "craft", str(out), "--format", "onnx"]) == 0
    return out


def test_craft_onnx_matches_torch_at_another_size(craft_onnx):
    det = ocrkit.load_detector("craft")
    x = np.random.default_rng(0).standard_normal((2, 3, 96, 160)).astype(np.float32)  # not the traced 320²
    with torch.no_grad():
        ref = det.model(torch.from_numpy(x))[0].numpy()
    got = ort.InferenceSession(str(craft_onnx), providers=["CPUExecutionProvider"]).run(["scores"], {"image": x})[0]
    assert got.shape == ref.shape == (2, 48, 80, 2)
    assert np.abs(got - ref).max() < 1e-3


def test_runtime_onnx_detector_gives_the_torch_boxes(craft_onnx, tmp_path, monkeypatch):
    image, quads = synthetic_text_image(["ONNX", "RUNTIME"], size=(160, 480), scale=1.5)
    ref = ocrkit.load_detector("craft", canvas_size=480).detect([image])[0]
    got = ocrkit.load_detector("craft", canvas_size=480, weights=str(craft_onnx)).detect([image])[0]
    assert len(got) == len(ref) == 2
    for a, b in zip(got, ref):
        assert np.abs(a.polygon - b.polygon).max() < 1.0
    # runtime=onnx with torch weights exports once into the cache, then reuses the file.
    monkeypatch.setenv("OCRKIT_CACHE_DIR", str(tmp_path))
    det = ocrkit.load_detector("craft", canvas_size=480, runtime="onnx")
    assert len(det.detect([image])[0]) == 2 and len(list((tmp_path / "onnx").glob("craft-*.onnx"))) == 1


def test_crnn_onnx_matches_torch_with_dynamic_width(tmp_path):
    out = tmp_path / "crnn.onnx"
    assert main(["export", "crnn", str(out)]) == 0
    rec = ocrkit.load_recognizer("crnn")
    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    for width in (64, 400):
        x = np.random.default_rng(width).uniform(-1, 1, (3, 1, 64, width)).astype(np.float32)
        with torch.no_grad():
            ref = rec.model(torch.from_numpy(x)).numpy()
        got = sess.run(["logits"], {"image": x})[0]
        assert got.shape == ref.shape == (3, width // 4 - 1, 97)
        assert np.abs(got - ref).max() < 1e-3


def test_precision_option_is_checked_and_bf16_reads_the_same(capsys):
    with pytest.raises(ValueError, match="precision must be one of"):
        ocrkit.load_detector("craft", precision="fp8")
    with pytest.raises(ValueError, match="needs a CUDA device"):
        ocrkit.load_recognizer("crnn", precision="fp16")
    with pytest.raises(ValueError, match="runtime=onnx runs fp32 or int8 graphs"):
        ocrkit.load_detector("craft", runtime="onnx", precision="bf16")
    image, _ = synthetic_text_image(["PRECISION"], size=(64, 320), scale=1.5)
    crop = image[8:56, 4:316]
    fp32 = ocrkit.load_recognizer("crnn").recognize([crop])[0]
    bf16 = ocrkit.load_recognizer("crnn", precision="bf16").recognize([crop])[0]
    assert bf16.text == fp32.text and abs(bf16.score - fp32.score) < 0.05
    assert main(["export", "nosuchmodel", "x.onnx"]) == 2
    assert "no detector or recogniser named 'nosuchmodel'" in capsys.readouterr().err


def test_int8_onnx_detector_finds_the_same_words(tmp_path, monkeypatch):
    # Quantised once (calibrated on synthetic pages) into the cache, beside the fp32 export.
    monkeypatch.setenv("OCRKIT_CACHE_DIR", str(tmp_path))
    image, quads = synthetic_text_image(["QUANTISED", "WORDS"], size=(160, 480), scale=1.5)
    ref = ocrkit.load_detector("craft", canvas_size=480).detect([image])[0]
    det = ocrkit.load_detector("craft", canvas_size=480, runtime="onnx", precision="int8")
    got = det.detect([image])[0]
    assert len(got) == len(ref) == 2 and len(list((tmp_path / "onnx").glob("craft-*-int8-mixed.onnx"))) == 1
    for a, b in zip(got, ref):
        assert np.abs(a.polygon - b.polygon).max() < 4.0  # pixels, on 480-px-wide input
    with pytest.raises(ValueError, match="precision=int8 needs runtime=onnx"):
        ocrkit.load_detector("craft", precision="int8")
