"""The Ray engine with the real CRAFT + CRNN weights gives the single-process run's output."""

from __future__ import annotations

import pytest
from helpers import SAMPLE, need_plugin
from PIL import Image

from ocrkit.cli import main
from ocrkit.testing import synthetic_text_image

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow


def test_ray_craft_crnn_identical_to_local(tmp_path, capsys):
    need_plugin("ocrkit_craft")
    need_plugin("ocrkit_crnn")
    folder = tmp_path / "in"
    folder.mkdir()
    Image.open(SAMPLE).save(folder / "page.png")
    img, _ = synthetic_text_image(["RAY WORKERS", "read this"], size=(160, 420), scale=1.2)
    Image.fromarray(img).save(folder / "synthetic.png")
    common = ["run", "--detector", "craft", "--recognizer", "crnn", "--det-opt", "canvas_size=960",
              "--format", "icdar", "--batch-size", "1", str(folder)]  # fmt: skip
    assert main([*common, "--output-dir", str(tmp_path / "local")]) == 0
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        assert main([*common, "--output-dir", str(tmp_path / "ray"), "--engine", "ray"]) == 0
    finally:
        ray.shutdown()
    capsys.readouterr()
    for name in ("res_page.txt", "res_synthetic.txt"):
        local = (tmp_path / "local" / name).read_text()
        assert local.count("\n") >= 2 and (tmp_path / "ray" / name).read_text() == local
    assert '"RAY"' in (tmp_path / "ray" / "res_synthetic.txt").read_text().upper()
