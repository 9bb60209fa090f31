"""The ``crnn`` training recipe: CTC on real crops mixed with synthetic words.

Options (TOML ``[options]``):

* ``weights``: ``"english_g2"`` (fine-tune the packaged model), a checkpoint/state-dict path, or
  ``""`` (random initialisation).
* ``charset``: a charset JSON (default english_g2's 96 characters). If it differs from the
  weights' output layer, set ``reset_head = true`` to start a new output layer on purpose;
  otherwise it is an error. The charset is stored in every checkpoint.
* ``train_sets`` / ``val_sets``: ``"FORMAT:PATH"`` strings, FORMAT any recognition dataset
  (``icdar2015_words``, ``funsd_words``, ``iiit5k``, ``crops``).
* ``synthetic_ratio``: fraction of training samples rendered by ``synth_words`` (0–1).
* ``epoch_size``: virtual dataset length (items are drawn deterministically per index).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from ocrkit import Recognition, build_config
from ocrkit.datasets.specs import load_dataset_specs

from .alphabet import Alphabet, load_alphabet
from .data import CropSet, Mixture, SyntheticWords, make_collate
from .decode import greedy
from .model import CRNN


@dataclass(frozen=True)
class CrnnTrainOptions:
    weights: str = "english_g2"
    charset: str | None = None
    reset_head: bool = False
    train_sets: tuple[str, ...] = ()
    val_sets: tuple[str, ...] = ()
    val_limit: int = 500  # validation words scored at each evaluation
    synthetic_ratio: float = 0.5
    epoch_size: int = 100_000
    fonts: str | None = None  # extra font folder (system fonts are always searched)
    max_width: int = 800  # crops wider than this (pixels at height 64) are squeezed


def build_model(opts: CrnnTrainOptions, alphabet: Alphabet) -> CRNN:
    """The CRNN for ``alphabet``, initialised from ``opts.weights``; clear charset errors."""
    from ocrkit.weights import load_state_dict, packaged_weights

    model = CRNN(num_classes=alphabet.num_classes)
    if not opts.weights:
        return model
    path = packaged_weights("english_g2.pth") if opts.weights == "english_g2" else Path(opts.weights)
    state = load_state_dict(path)
    classes = state["Prediction.weight"].shape[0]
    if classes != alphabet.num_classes:
        if not opts.reset_head:
            raise ValueError(
                f"{path}: the weights predict {classes} classes but charset {alphabet.name!r} has "
                f"{alphabet.num_classes}; set options.reset_head=true to train a new output layer"
            )
        state = {k: v for k, v in state.items() if not k.startswith("Prediction.")}
        model.load_state_dict(state, strict=False)  # the new head keeps its fresh init
        return model
    model.load_state_dict(state, strict=True)
    return model


def ctc_step(model: Any, batch: dict) -> dict:
    logits = model(batch["images"])  # B×T×C
    log_probs = F.log_softmax(logits.float(), dim=2).permute(1, 0, 2)  # → T×B×C (CTC layout)
    t, b = log_probs.shape[:2]
    loss = F.ctc_loss(log_probs, batch["targets"], torch.full((b,), t, dtype=torch.long),
                      batch["target_lengths"], blank=0, zero_infinity=True)  # fmt: skip
    return {"loss": loss}


def make_training(*, options: Any, config: Any) -> Any:
    """``ocrkit train crnn``: the TrainSpec for the shared trainer."""
    from ocrkit.fonts import find_fonts
    from ocrkit.training import TrainSpec

    opts = build_config(CrnnTrainOptions, options, what="crnn training")
    alphabet = load_alphabet(opts.charset)
    model = build_model(opts, alphabet)
    real = CropSet(load_dataset_specs(opts.train_sets, "recognition"), alphabet)
    fonts = find_fonts([opts.fonts] if opts.fonts else [])
    vocab = sorted({s.text for s in real.samples})
    synth = SyntheticWords(opts.epoch_size, alphabet, fonts, vocab, seed=config.seed)
    ratio = opts.synthetic_ratio if len(real) else 1.0
    train = Mixture([synth, real], [ratio, 1.0 - ratio], opts.epoch_size, seed=config.seed)
    val = None
    if opts.val_sets:
        val_samples = CropSet(load_dataset_specs(opts.val_sets, "recognition"), alphabet)
        val_samples.samples = val_samples.samples[: opts.val_limit]
        val = val_samples

    def predict(m: Any, batch: dict) -> list[Recognition]:
        probs = torch.softmax(m(batch["images"]).float(), dim=2).cpu().numpy()
        return [Recognition(alphabet.decode(greedy(p)), 1.0) for p in probs]

    resolved = {**asdict(opts), "charset_name": alphabet.name, "charset_characters": alphabet.characters}
    return TrainSpec(
        model=model, train_data=train, step=ctc_step, collate=make_collate(alphabet, opts.max_width),
        val_data=val, predict=predict, to_targets=lambda batch: list(batch["texts"]),
        evaluators=("recognition",) if val is not None else (),
        main_metric="recognition/accuracy_alnum", options=json.loads(json.dumps(resolved)),
    )  # fmt: skip
