"""Synthetic pages, `ocrkit synth`, and the CRAFT recipe (overfit, shipped configs on CPU)."""

import json

import numpy as np
import pytest
import torch
from helpers import ROOT, need_plugin, need_shared

need_plugin("ocrkit_craft")

from ocrkit.cli import main  # noqa: E402
from ocrkit.datasets.icdar import read_gt_file  # noqa: E402
from ocrkit.fonts import find_fonts  # noqa: E402
from ocrkit.synth import render_page  # noqa: E402

CONFIGS = sorted((ROOT / "plugins" / "craft" / "configs").glob("*.toml"))


def test_pages_are_deterministic_with_character_quads():
    fonts = find_fonts()
    a = render_page(np.random.default_rng((0, 3)), fonts, (256, 256))
    b = render_page(np.random.default_rng((0, 3)), fonts, (256, 256))
    assert np.array_equal(a.image, b.image) and len(a.words) == len(b.words) > 0
    for word in a.words:
        assert word.chars.shape == (len(word.text), 4, 2)
        assert word.quad.shape == (4, 2)


def test_pages_have_document_scale_text():
    """Font sizes are drawn log-uniformly: small text (forms, cards) is common, not a tail."""
    fonts = find_fonts()
    heights = [np.median(np.linalg.norm(w.chars[:, 3] - w.chars[:, 0], axis=1))
               for i in range(6) for w in render_page(np.random.default_rng((0, i)), fonts).words]  # fmt: skip
    heights = np.array(heights)
    assert (heights < 12).mean() > 0.2 and (heights > 30).any()


def test_synth_command_writes_images_and_ground_truth(tmp_path):
    assert main(["synth", "--count", "2", "--output-dir", str(tmp_path), "--seed", "5", "--size", "320"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "chars_synth_00000.txt", "chars_synth_00001.txt", "gt_synth_00000.txt",
        "gt_synth_00001.txt", "synth_00000.jpg", "synth_00001.jpg"]  # fmt: skip
    words = read_gt_file(tmp_path / "gt_synth_00000.txt")
    chars = (tmp_path / "chars_synth_00000.txt").read_text().splitlines()
    assert words and sum(len(w.text) for w in words) == len(chars)
    index, ch, coords = chars[0].split("\t")
    assert index == "0" and ch == words[0].text[0] and len(coords.split(",")) == 8


@pytest.mark.slow
def test_craft_overfits_one_synthetic_batch():
    from ocrkit_craft.data import SynthPages, collate
    from ocrkit_craft.training import CraftTrainOptions, make_step
    from ocrkit_craft.model import CRAFT, init_weights

    torch.manual_seed(0)
    model = CRAFT()
    init_weights(model)
    batch = collate([SynthPages(1, 128, find_fonts(), seed=1)[0]])
    step = make_step(CraftTrainOptions(weights=""))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(30):
        loss = step(model, batch)["loss"]
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.3 * losses[0]


def test_fine_tuning_keeps_batchnorm_statistics():
    from ocrkit_craft.data import SynthPages, collate
    from ocrkit_craft.model import CRAFT
    from ocrkit_craft.training import CraftTrainOptions, make_step

    from ocrkit import build_config

    batch = collate([SynthPages(1, 64, find_fonts(), seed=2)[0]])
    for options, frozen in (({"freeze_bn": True}, True), ({}, False)):
        torch.manual_seed(0)
        model = CRAFT().train()
        bn = model.basenet.slice1[1]
        before = bn.running_mean.clone()
        make_step(build_config(CraftTrainOptions, options, what="craft training"))(model, batch)["loss"].backward()
        assert torch.equal(bn.running_mean, before) == frozen, options
        assert bn.weight.grad is not None  # scale and shift still learn either way


@pytest.mark.slow
@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_shipped_configs_run_two_cpu_steps(config, tmp_path, capsys, monkeypatch):
    need_shared()
    out = tmp_path / "run"
    args = ["train", "craft", "--config", str(config), "--set", "max_steps=2", "--set", "batch_size=1",
            "--set", "device=cpu", "--set", f"out_dir={out}", "--set", "options.val_limit=1",
            "--set", "options.input_size=384", "--set", "options.max_pseudo_words=16"]  # fmt: skip
    monkeypatch.chdir(ROOT)  # config paths are relative to the repository root
    code = main(args)
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["steps"] == 2
    # The checkpoint is usable by the detector (ocrkit run --det-opt weights=...).
    import ocrkit

    det = ocrkit.load_detector("craft", weights=result["checkpoint"], canvas_size=256)
    assert isinstance(det.detect([np.zeros((64, 64, 3), np.uint8)])[0], list)


def test_val_holdout_moves_real_pages_to_validation(tmp_path):
    from ocrkit_craft.training import holdout, make_training

    from ocrkit.training import TrainConfig

    out = tmp_path / "synth"
    assert main(["synth", "--count", "5", "--output-dir", str(out), "--seed", "1", "--size", "256"]) == 0
    for folder, pattern in (("images", "*.jpg"), ("gt", "gt_*.txt")):  # an ICDAR 2015 layout
        (tmp_path / folder).mkdir()
        for f in out.glob(pattern):
            f.rename(tmp_path / folder / f.name)
    opts = {"weights": "", "real_sets": [f"icdar2015:{tmp_path}"], "val_holdout": 2, "input_size": 256}
    spec = make_training(options=opts, config=TrainConfig(device="cpu"))
    held = {str(s.image) for s in spec.val_data.samples}
    trained = {str(s.image) for s in spec.train_data.real.samples}
    assert len(held) == 2 and len(trained) == 3 and not held & trained
    # The choice depends on the seed and the pages, not on the order the reader lists them in.
    samples = spec.val_data.samples + spec.train_data.real.samples
    assert {str(s.image) for s in holdout(samples[::-1], 2, 0)[1]} == held
    with pytest.raises(ValueError, match="val_holdout must be in 0..4"):
        holdout(samples, 5, 0)
    with pytest.raises(ValueError, match="val_holdout holds out pages of real_sets"):
        make_training(options={"weights": "", "val_holdout": 2}, config=TrainConfig(device="cpu"))
    with pytest.raises(ValueError, match="pseudo_boxes must be one of cell, full, basin, got 'tall'"):
        make_training(options={"weights": "", "pseudo_boxes": "tall"}, config=TrainConfig(device="cpu"))
