"""CRNN training: synthetic words, batches, charset handling, the shipped config on the CPU."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from helpers import ROOT, need_plugin, need_shared

need_plugin("ocrkit_crnn")

import ocrkit  # noqa: E402
from ocrkit.cli import main  # noqa: E402
from ocrkit_crnn.alphabet import Alphabet, load_alphabet  # noqa: E402
from ocrkit_crnn.data import Mixture, SyntheticWords, make_collate  # noqa: E402
from ocrkit_crnn.training import CrnnTrainOptions, build_model, ctc_step  # noqa: E402

from ocrkit.fonts import find_fonts  # noqa: E402

CONFIGS = sorted((ROOT / "plugins" / "recognizer_crnn" / "configs").glob("*.toml"))


def test_synthetic_words_are_deterministic_and_in_charset():
    alpha = load_alphabet()
    ds = SyntheticWords(50, alpha, find_fonts(), vocab=["Invoice", "TOTAL"], seed=3)
    a, b = ds[7], SyntheticWords(50, alpha, find_fonts(), vocab=["Invoice"], seed=3)[7]
    assert np.array_equal(a[0], b[0]) or a[1] != b[1]  # same index → same sample (same vocab)
    assert np.array_equal(ds[7][0], ds[7][0]) and ds[7][1] == ds[7][1]
    for i in range(20):
        image, text = ds[i]
        assert image.dtype == np.uint8 and image.ndim == 2 and image.shape[0] >= 10
        assert text and all(c in alpha.characters for c in text)


def test_collate_pads_and_encodes():
    alpha = load_alphabet()
    collate = make_collate(alpha, max_width=300)
    batch = collate([(np.zeros((32, 100), np.uint8), "ab"), (np.full((20, 400), 255, np.uint8), "C")])
    assert batch["images"].shape == (2, 1, 64, 300) and batch["images"].shape[3] % 4 == 0
    assert batch["targets"].tolist() == alpha.encode("ab") + alpha.encode("C")
    assert batch["target_lengths"].tolist() == [2, 1] and batch["texts"] == ["ab", "C"]
    loss = ctc_step(build_model(CrnnTrainOptions(weights=""), alpha), batch)["loss"]
    assert torch.isfinite(loss) and loss.item() > 0


def test_mixture_follows_weights():
    class Const(torch.utils.data.Dataset):
        def __init__(self, v):
            self.v = v

        def __len__(self):
            return 3

        def __getitem__(self, i):
            return self.v

    mix = Mixture([Const("a"), Const("b")], [0.25, 0.75], length=2000)
    share = sum(mix[i] == "a" for i in range(2000)) / 2000
    assert 0.2 < share < 0.3 and mix[5] == mix[5]


def test_charset_change_needs_reset_head():
    digits = Alphabet("digits", "0123456789")
    with pytest.raises(ValueError, match="predict 97 classes but charset 'digits' has 11.*reset_head"):
        build_model(CrnnTrainOptions(weights="english_g2"), digits)
    model = build_model(CrnnTrainOptions(weights="english_g2", reset_head=True), digits)
    assert model.Prediction.out_features == 11
    g2 = build_model(CrnnTrainOptions(), load_alphabet())
    assert torch.equal(model.SequenceModeling[0].linear.weight, g2.SequenceModeling[0].linear.weight)


@pytest.mark.slow
@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_shipped_configs_run_two_cpu_steps(config, tmp_path, capsys, monkeypatch):
    need_shared()
    out = tmp_path / "run"
    args = ["train", "crnn", "--config", str(config), "--set", "max_steps=2", "--set", "batch_size=1",
            "--set", "device=cpu", "--set", f"out_dir={out}", "--set", "options.val_limit=8"]  # fmt: skip
    monkeypatch.chdir(ROOT)  # config paths are relative to the repository root
    code = main(args)
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["steps"] == 2 and Path(result["checkpoint"]).is_file()
    # The checkpoint reads text through the normal recogniser (charset taken from it).
    rec = ocrkit.load_recognizer("crnn", weights=result["checkpoint"])
    assert isinstance(rec.recognize([np.zeros((32, 80, 3), np.uint8)])[0].text, str)
