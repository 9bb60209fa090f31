"""Are the CRAFT training targets a fixed point of the pretrained model? Area above 0.4 of
craft_mlt_25k's own region and affinity maps divided by that of the targets, on synthetic pages
(exact character boxes) and, with ``--real``, on word-level pages with weak-supervision targets
(inside the supervised words only). Near 1 = training leaves the model where it is; below 1 = the
targets are larger (training grows the blobs or links), above 1 = smaller. The area says nothing
of the shape, so each map also gets the IoU of the two parts above 0.4 (1 = the same pixels).

    python benchmarks/label_calibration.py                                  # synthetic pages
    python benchmarks/label_calibration.py --link-enlarge 0.5               # isotropic 1.5x links
    python benchmarks/label_calibration.py --real funsd:../shared/data/funsd/dataset/training_data \
        [--pseudo-link-enlarge 0] [--pseudo-boxes full]                     # + FUNSD words

CPU is enough (about 3 s per page on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

THRESHOLD = 0.4  # the inference low_text / link thresholds


def ratios(pred: np.ndarray, region: np.ndarray, affinity: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Pixels above 0.4 in ``mask``: [prediction, target, both] for the region map, then the
    same three for the affinity map."""
    keep = np.ones(region.shape, bool) if mask is None else mask
    out = []
    for p, t in ((pred[..., 0], region), (pred[..., 1], affinity)):
        p, t = (p > THRESHOLD) & keep, (t > THRESHOLD) & keep
        out += [p.sum(), t.sum(), (p & t).sum()]
    return np.array(out, float)


def summary(t: np.ndarray) -> dict[str, float]:
    """Area ratio (prediction ÷ target) and IoU of each map from ``ratios`` counts."""
    out = {}
    for name, (p, g, both) in (("region", t[:3]), ("affinity", t[3:])):
        out[name] = p / max(g, 1)
        out[name + "_iou"] = both / max(p + g - both, 1)
    return out


def word_mask(prepared, shape: tuple[int, int]) -> np.ndarray:
    """Half-resolution mask of the supervised words (dilated 2 px), minus the don't-care ones."""
    import cv2

    def fill(quads) -> np.ndarray:
        m = np.zeros(shape, np.uint8)
        for q in quads:
            cv2.fillPoly(m, [np.round(np.asarray(q) / 2).astype(np.int32)], 1)
        return cv2.dilate(m, np.ones((5, 5), np.uint8)).astype(bool)

    return fill([w[0] for w in prepared.words]) & ~fill(prepared.unused)


def main(argv: list[str] | None = None) -> int:
    import torch

    with torch.no_grad():  # a context, not set_grad_enabled: main() is also called from tests
        return measure(argv)


def measure(argv: list[str] | None = None) -> int:
    from ocrkit_craft.weak_supervision import BOX_MODES  # torch-free, cheap

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=8, help="synthetic pages (and real pages with --real)")
    ap.add_argument("--link-enlarge", type=float, default=None, help="synthetic links' enlargement along the link")
    ap.add_argument("--pseudo-link-enlarge", type=float, default=None, help="the same for weak-supervision links")
    ap.add_argument("--pseudo-boxes", choices=BOX_MODES, default=None,
                    help="region boxes of weak-supervision characters (default: the training default)")
    ap.add_argument("--pseudo-links", choices=("basin", "box"), default=None,
                    help="weak-supervision affinity drawn from the watershed basins or from the region boxes")
    ap.add_argument("--real", metavar="FORMAT:PATH", help="word-level pages for weak-supervision targets")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    from ocrkit.fonts import find_fonts
    from ocrkit_craft.data import RealPages, SynthPages
    from ocrkit_craft.labels import LINK_ALONG
    from ocrkit_craft.pseudo_labels import PSEUDO_LINK_ALONG
    from ocrkit_craft.training import CraftTrainOptions, build_model, pseudo_targets

    along = LINK_ALONG if args.link_enlarge is None else args.link_enlarge
    pseudo = PSEUDO_LINK_ALONG if args.pseudo_link_enlarge is None else args.pseudo_link_enlarge
    opts = CraftTrainOptions(link_enlarge=along, pseudo_link_enlarge=pseudo, real_scale=(1.25, 2.0))
    if args.pseudo_boxes:
        opts = replace(opts, pseudo_boxes=args.pseudo_boxes)
    if args.pseudo_links:
        opts = replace(opts, pseudo_basin_links=args.pseudo_links == "basin")
    model = build_model(opts).eval()
    synth = SynthPages(args.pages, opts.input_size, find_fonts([]), seed=args.seed, link_along=along)
    total = np.zeros(6)
    for i in range(args.pages):
        item = synth[i]
        pred = model(item["image"][None])[0][0].numpy()  # H/2 × W/2 × 2
        total += ratios(pred, item["region"].numpy(), item["affinity"].numpy())
    rows = {"synthetic": total}
    if args.real:
        from ocrkit.datasets.specs import load_dataset_specs

        samples = load_dataset_specs([args.real], "detection")
        step = max(1, len(samples) // args.pages)
        real = RealPages(samples[::step][: args.pages], opts.input_size, seed=args.seed,
                         max_words=opts.max_pseudo_words, scale_range=opts.real_scale)  # fmt: skip
        total = np.zeros(6)
        for i in range(len(real)):
            item = real[i]
            pred = model(item["image"][None])[0][0].numpy()
            (region, affinity, _), = pseudo_targets(model, [item["prepared"]], opts)
            total += ratios(pred, region, affinity, word_mask(item["prepared"], region.shape))
        rows[args.real.split(":")[0] + " (weak supervision)"] = total
    stats = {name: summary(t) for name, t in rows.items()}
    print(f"link_enlarge {along}, pseudo_link_enlarge {pseudo}, pseudo_boxes {opts.pseudo_boxes}, "
          f"pseudo links from {'basins' if opts.pseudo_basin_links else 'region boxes'}; "
          f"above {THRESHOLD}: area prediction ÷ target, IoU")  # fmt: skip
    print("| pages | region area | region IoU | affinity area | affinity IoU |\n| --- | --- | --- | --- | --- |")
    for name, v in stats.items():
        print(f"| {name} | {v['region']:.2f} | {v['region_iou']:.2f} | {v['affinity']:.2f} | {v['affinity_iou']:.2f} |")
    print(json.dumps({"machine": machine(), "link_enlarge": along, "pseudo_link_enlarge": pseudo,
                      "pseudo_boxes": opts.pseudo_boxes, "pseudo_basin_links": opts.pseudo_basin_links, "stats": stats,
                      "ratios": {k: [v["region"], v["affinity"]] for k, v in stats.items()}}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
