"""The ``craft`` training recipe: synthetic character-level pages mixed with word-level real
pages whose character boxes come from weak supervision with the model being trained.

Options (TOML ``[options]``):

* ``weights``: ``"craft_mlt_25k"`` (fine-tune the packaged model), a checkpoint/state-dict path,
  or ``""`` (train from scratch: Xavier init; no ImageNet VGG weights are available offline).
* ``real_sets``: ``"FORMAT:PATH"`` word-level detection datasets with transcriptions (e.g.
  ``funsd:../shared/data/funsd/dataset/training_data``); empty = synthetic only.
* ``synthetic_ratio``: fraction of synthetic samples (the paper's 1:5 synthetic:real = 1/6).
* ``val_sets`` / ``val_limit``: detection data scored with ``icdar2015`` (main metric H-mean).
* ``val_holdout``: also hold this many pages of ``real_sets`` out of training (a fixed choice
  per seed) and validate on them: model selection on held-out *training* forms, never on a test
  set. With the trainer's ``eval_on_start`` the start is scored too (``best.pt`` = the start
  when no training step beats it).
* ``max_pseudo_words``: words per real page given pseudo boxes per step (others are ignored
  through the confidence map), which bounds the cost of the interim model's extra passes.
* ``real_scale``: [lo, hi] range of a real page's long side ÷ ``input_size``; pick it so text
  is about as large as at inference (FUNSD: 1000-px pages are read at 1280 px → [1.25, 2.0]).
* ``pseudo_workers``: processes that turn the interim model's maps into targets in parallel
  (watershed + Gaussians are CPU work; 0 = in the training step itself).
* ``pseudo_boxes`` / ``pseudo_basin_links``: the box each pseudo character's region Gaussian is
  drawn on — ``"cell"`` (default: the span between its neighbours, twice the watershed basin's
  height), ``"full"`` (the basin's width, the word's height) or ``"basin"``; the affinity is
  drawn between the same boxes, or with ``pseudo_basin_links = true`` between the basins' own
  boxes. The defaults keep the pretrained model nearest a fixed point of its own labels
  (``weak_supervision.pseudo_word_from_map`` has the measurements).
* ``link_enlarge`` / ``pseudo_link_enlarge``: how much the affinity quads of synthetic pages /
  of weak-supervision words grow along the link (0 = not at all, 0.5 = the isotropic 1.5×).
  Each default is the one whose targets match craft_mlt_25k's own links
  (``benchmarks/label_calibration.py``, area above 0.4, prediction ÷ target): synthetic pages
  1.16 with 0 (0.74–0.78 with 0.5); weak-supervision links: see ``pseudo_word_from_map``.
* ``freeze_bn``: keep BatchNorm layers in inference mode while training (running statistics
  fixed; their scale and shift still learn). Off by default (training from scratch needs the
  statistics), on in ``finetune_funsd_weak.toml``: in 25-step CPU probes (2 FUNSD pages per
  step, lr 2e-5, 5-step warmup, FUNSD test forms 1–10, start H-mean 0.852) updating them cost
  3.2 points (0.807 vs 0.839 frozen). At lr 1e-4 with no warmup freezing did worse (12 steps,
  forms 1–6: 0.803 vs 0.868), so it goes with a small learning rate and warmup.
* ``gap_weight``: confidence (loss weight) of the background between neighbouring words of a
  line (``gaps.gap_polygons``, from the word quads of real and synthetic pages alike). 1 (the
  default) is the SPEC's loss; ``finetune_funsd_weak.toml`` sets it (benchmarks/RESULTS.md §5,
  tenth session: the first fine-tuning probes that end above the start).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ocrkit import Detection, build_config
from ocrkit.datasets.specs import load_dataset_specs

from .data import RealPages, SynthPages, collate
from .loss import craft_loss
from .model import CRAFT, init_weights
from .postprocess import detect_boxes
from .preprocess import make_batch, resize_aspect_ratio
from .labels import LINK_ALONG
from .pseudo_labels import PSEUDO_LINK_ALONG, page_targets_job
from .weak_supervision import BOX_MODES


@dataclass(frozen=True)
class CraftTrainOptions:
    weights: str = "craft_mlt_25k"
    real_sets: tuple[str, ...] = ()
    val_sets: tuple[str, ...] = ()
    val_limit: int = 20
    val_holdout: int = 0  # real pages held out of training for validation
    synthetic_ratio: float = 1 / 6
    input_size: int = 768
    epoch_size: int = 100_000
    neg_ratio: float = 3.0
    watershed_fg: float = 0.6  # the author's thresholds (CRAFT-pytorch issue #27)
    watershed_bg: float = 0.2
    max_pseudo_words: int = 64
    real_scale: tuple[float, float] = (0.75, 1.5)  # real page long side ÷ input_size (random range)
    pseudo_boxes: str = "cell"  # region boxes of pseudo characters: cell | full | basin (see weak_supervision)
    pseudo_basin_links: bool = False  # affinity from the basins' boxes, not the cells (see weak_supervision)
    link_enlarge: float = LINK_ALONG  # synthetic pages' affinity quads: enlargement along the link
    pseudo_link_enlarge: float = PSEUDO_LINK_ALONG  # the same for weak-supervision links
    pseudo_workers: int = 0  # processes computing pseudo targets in parallel (0 = in the step)
    freeze_bn: bool = False  # BatchNorm running statistics fixed while training
    gap_weight: float = 1.0  # loss weight of the gaps between neighbouring words (1 = SPEC's loss)
    fonts: str | None = None
    val_canvas: int = 1280
    val_mag_ratio: float = 1.5


def build_model(opts: CraftTrainOptions) -> CRAFT:
    from ocrkit.weights import load_state_dict, packaged_weights

    model = CRAFT()
    if not opts.weights:
        init_weights(model)
        return model
    path = packaged_weights("craft_mlt_25k.pth") if opts.weights == "craft_mlt_25k" else Path(opts.weights)
    model.load_state_dict(load_state_dict(path), strict=True)
    return model


class Mixed(torch.utils.data.Dataset):
    """Item i: synthetic with probability ``ratio``, else a real page (deterministic in i)."""

    def __init__(self, synth: Any, real: Any, ratio: float, length: int, seed: int) -> None:
        self.synth, self.real, self.ratio, self.length, self.seed = synth, real, ratio, length, seed

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> dict:
        rng = np.random.default_rng((self.seed, 15485863, i))
        if self.real is None or len(self.real) == 0 or rng.random() < self.ratio:
            return self.synth[i]
        return self.real[int(rng.integers(len(self.real)))]


PSEUDO_PIXELS = 1 << 20  # padded input pixels per interim-model pass (bounds memory)


def _region_fn_batch(model: Any, crops: list[np.ndarray]) -> list[np.ndarray]:
    """Region maps of word crops (eval mode, no gradients), batched by similar width under a
    pixel budget so one long word does not pad every other crop to its size.

    Crops travel as uint8 and are normalised on the model's device: a step has ~400 crops, and
    float32 copies normalised in numpy on the main process were the serial part of every step.
    On CUDA, widths are padded to multiples of 256 and batch sizes to powers of two, so the
    passes of every step reuse a few input shapes (each new shape costs cuDNN plan building).
    Each map is cropped back to its own crop."""
    from .device_prep import normalise

    device = next(model.parameters()).device
    step = 256 if device.type == "cuda" else 32
    padded = [(c.shape[0] + -c.shape[0] % 32, c.shape[1] + -c.shape[1] % step) for c in crops]
    order = sorted(range(len(crops)), key=lambda k: padded[k][1])
    out: list[np.ndarray] = [None] * len(crops)  # type: ignore[list-item]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        start = 0
        while start < len(order):
            stop = start + 1
            while stop < len(order) and (stop - start + 1) * padded[order[stop]][0] * \
                    padded[order[stop]][1] <= PSEUDO_PIXELS:  # fmt: skip
                stop += 1
            chunk = order[start:stop]
            rows = len(chunk) if device.type != "cuda" else 1 << (len(chunk) - 1).bit_length()
            h = max(padded[k][0] for k in chunk)
            w = max(padded[k][1] for k in chunk)
            # Black (0) padding before normalisation, as make_batch does.
            batch = np.zeros((rows, h, w, 3), np.uint8)
            for j, k in enumerate(chunk):
                batch[j, : crops[k].shape[0], : crops[k].shape[1]] = crops[k]
            x = torch.from_numpy(batch).to(device).permute(0, 3, 1, 2).float()
            scores, _ = model(normalise(x))
            maps = scores[..., 0].float().cpu().numpy()
            for j, k in enumerate(chunk):
                out[k] = maps[j, : crops[k].shape[0] // 2, : crops[k].shape[1] // 2]
            start = stop
    model.train(was_training)
    return out


def pseudo_targets(model: Any, pages: list, opts: CraftTrainOptions) -> list[tuple]:
    """Half-resolution (region, affinity, confidence) arrays for real pages (``PreparedPage``s):
    one batched interim-model pass over every word of every page, then a watershed per word
    (pages in parallel when ``opts.pseudo_workers`` > 0)."""
    crops = [c for p in pages for c in p.crops]
    maps = _region_fn_batch(model, crops) if crops else []
    jobs, start = [], 0
    for p in pages:
        jobs.append((p.shape, p.words, maps[start : start + len(p.crops)], p.unused,
                     opts.watershed_fg, opts.watershed_bg, opts.pseudo_boxes,
                     opts.pseudo_basin_links, opts.pseudo_link_enlarge, opts.gap_weight))  # fmt: skip
        start += len(p.crops)
    pool = _pool(opts.pseudo_workers)
    return list(pool.map(page_targets_job, jobs)) if pool and len(jobs) > 1 else [page_targets_job(j) for j in jobs]


_POOLS: dict[int, Any] = {}


def _pool(workers: int) -> Any:
    """A process pool (spawned, so no CUDA state is forked) kept for the life of the process."""
    if workers <= 0:
        return None
    if workers not in _POOLS:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from ocrkit.training.trainer import single_threaded

        _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                              initializer=single_threaded)  # fmt: skip
    return _POOLS[workers]


def make_step(opts: CraftTrainOptions):
    def step(model: Any, batch: dict) -> dict:
        inner = getattr(model, "module", model)  # DDP wraps the model
        device = batch["images"].device
        real = [k for k in range(len(batch["region"])) if batch["region"][k] is None]
        t_pseudo = time.perf_counter()
        made = dict(zip(real, pseudo_targets(inner, [batch["prepared"][k] for k in real], opts)))
        t_pseudo = time.perf_counter() - t_pseudo
        targets = []
        for k in range(len(batch["region"])):
            if k in made:
                targets.append([torch.from_numpy(a) for a in made[k]])
            else:
                targets.append([batch["region"][k], batch["affinity"][k], batch["confidence"][k]])
        # Synthetic targets may already be on the device, pseudo ones are on the CPU: move each.
        region, affinity, conf = (torch.stack([t[j].to(device) for t in targets]) for j in range(3))
        if opts.freeze_bn:  # after the interim pass, which toggles train/eval on the whole model
            for m in inner.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.eval()
        pred, _ = model(batch["images"])  # B×H/2×W/2×2
        losses = craft_loss(pred, region, affinity, conf, opts.neg_ratio)
        # Logged beside the losses: seconds of this step spent making pseudo-labels (interim
        # pass + watershed pool), to tell an input-bound run from a pseudo-label-bound one.
        losses["pseudo_s"] = torch.tensor(t_pseudo)
        return losses

    return step


def holdout(samples: list, count: int, seed: int) -> tuple[list, list]:
    """(training samples, ``count`` held-out samples): a seeded choice, independent of the order
    the dataset reader lists them in (chosen by image path)."""
    if count < 0 or count >= max(len(samples), 1):
        raise ValueError(f"val_holdout must be in 0..{max(len(samples) - 1, 0)} (pages in real_sets), got {count}")
    by_path = sorted(range(len(samples)), key=lambda i: str(samples[i].image))
    chosen = set(np.random.default_rng((seed, 7919)).permutation(by_path)[:count].tolist())
    return [s for i, s in enumerate(samples) if i not in chosen], [s for i, s in enumerate(samples) if i in chosen]


class ValPages(torch.utils.data.Dataset):
    def __init__(self, samples: list, opts: CraftTrainOptions) -> None:
        self.samples, self.opts = samples, opts

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> dict:
        from ocrkit import read_image

        s = self.samples[i]
        resized = resize_aspect_ratio(read_image(s.image, square_pixels=False), self.opts.val_canvas, self.opts.val_mag_ratio)
        return {"image": torch.from_numpy(make_batch([resized])[0]), "ratio": resized.ratio,
                "hw": resized.padded_hw, "targets": s.targets}  # fmt: skip


def _val_collate(items: list[dict]) -> dict:
    return {"image": [it["image"] for it in items], "ratio": [it["ratio"] for it in items],
            "hw": [it["hw"] for it in items], "targets": [it["targets"] for it in items]}  # fmt: skip


def make_training(*, options: Any, config: Any) -> Any:
    """``ocrkit train craft``: the TrainSpec for the shared trainer."""
    from ocrkit.fonts import find_fonts
    from ocrkit.training import TrainSpec

    opts = build_config(CraftTrainOptions, options, what="craft training")
    if opts.pseudo_boxes not in BOX_MODES:  # before any work, not in a pool worker mid-run
        raise ValueError(f"options.pseudo_boxes must be one of {', '.join(BOX_MODES)}, got {opts.pseudo_boxes!r}")
    model = build_model(opts)
    synth = SynthPages(opts.epoch_size, opts.input_size, find_fonts([opts.fonts] if opts.fonts else []),
                       seed=config.seed, link_along=opts.link_enlarge, gap_weight=opts.gap_weight)  # fmt: skip
    real, held = None, []
    if opts.real_sets:
        pages, held = holdout(load_dataset_specs(opts.real_sets, "detection"), opts.val_holdout, config.seed)
        real = RealPages(pages, opts.input_size, seed=config.seed,
                         max_words=opts.max_pseudo_words, scale_range=tuple(opts.real_scale))  # fmt: skip
    elif opts.val_holdout:
        raise ValueError("val_holdout holds out pages of real_sets, which is empty")
    train = Mixed(synth, real, opts.synthetic_ratio, opts.epoch_size, config.seed)
    val_samples = (load_dataset_specs(opts.val_sets, "detection", opts.val_limit) if opts.val_sets else []) + held
    val = ValPages(val_samples, opts) if val_samples else None

    def predict(m: Any, batch: dict) -> list[list[Detection]]:
        out = []
        for image, ratio, (ph, pw) in zip(batch["image"], batch["ratio"], batch["hw"]):
            scores, _ = m(image[None].to(next(m.parameters()).device))
            maps = scores[0, : ph // 2, : pw // 2].float().cpu().numpy()
            comps = detect_boxes(maps[..., 0], maps[..., 1], 0.7, 0.4, 0.4)
            out.append([Detection((b * 2.0 / ratio).astype(np.float32), s)
                        for b, s in zip(comps.boxes, comps.scores)])  # fmt: skip
        return out

    return TrainSpec(
        model=model, train_data=train, step=make_step(opts), collate=collate,
        val_data=val, val_collate=_val_collate, predict=predict, to_targets=lambda b: b["targets"],
        evaluators=("icdar2015",) if val is not None else (), main_metric="icdar2015/hmean",
        options=json.loads(json.dumps(asdict(opts))),
    )  # fmt: skip
