"""CRAFT's second pass for small text (``text_height``): detection H-mean and time per setting.

    python benchmarks/bench_autoscale.py --dataset funsd \\
        --data ../shared/data/funsd/dataset/training_data --limit 12 --ratios 1.28,1.6,2.0,2.5
    python benchmarks/bench_autoscale.py --dataset icdar2015 --data ../shared/data/icdar2015/test --limit 100

Every setting runs in this process on the same decoded images, one image at a time:

- ``text_height=0`` first (one pass at the configured canvas, the reference path; the baseline
  of the time column), then ``text_height=H`` for each H of ``--heights`` (default 24): a
  second pass at the scale that makes the median word H network pixels high, for the images
  whose first-pass words are smaller (``ocrkit_craft.autoscale``).
- ``ratio=R`` for each of ``--ratios``: every image resized by exactly R, one pass; the sweep
  that locates the height CRAFT reads best at (the median word height is printed per row).

Prints a markdown table (H-mean, P, R, seconds per image, time against the first row, images
given a second pass, median word height in network pixels) and the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.config import parse_assignments  # noqa: E402
from ocrkit.datasets.specs import load_dataset_specs  # noqa: E402
from ocrkit.metrics.detection import Icdar2015Evaluator  # noqa: E402
from ocrkit_craft.autoscale import second_passes, word_height  # noqa: E402


def setting(kind: str, value: float, base: dict) -> tuple[str, dict]:
    """(label, detector options) of one row."""
    if kind == "height":
        return f"text_height={value:g}", {**base, "text_height": value}
    return f"ratio={value:g}", {**base, "canvas_size": 10**9, "mag_ratio": value, "text_height": 0}  # no cap


def measure(label: str, opts: dict, images: list, samples: list, first: list | None) -> dict:
    """One row. ``first``: the one-pass row's detections per image (the first pass of every
    ``text_height`` row), to tell which images got a second pass and at what ratio."""
    det = ocrkit.load_detector("craft", **opts)
    det.detect([images[0]])  # warm-up
    ev, seconds, again, heights, found_all = Icdar2015Evaluator(), 0.0, 0, [], []
    for k, (image, sample) in enumerate(zip(images, samples)):
        t0 = time.perf_counter()
        found = det.detect([image])[0]
        seconds += time.perf_counter() - t0
        ev.update([found], [sample.targets])
        found_all.append(found)
        ratio = det.geometry(*image.shape[:2]).ratio  # the (first) pass's resize ratio
        if first is not None:  # the detector's own rule, on this image's first-pass words
            plan = second_passes([max(image.shape[:2])], [ratio], [first[k]],
                                 det.config.text_height, det.config.max_side)  # fmt: skip
            if plan:
                again, ratio = again + 1, plan[0]
        heights.append(word_height(found, ratio))
    return {"setting": label, **ev.compute(), "s_per_image": seconds / len(images), "second_pass": again,
            "median_height_px": float(np.median([h for h in heights if h > 0] or [0])),
            "found": found_all}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default="funsd")
    p.add_argument("--data", default="../shared/data/funsd/dataset/training_data")
    p.add_argument("--limit", type=int, default=12)
    p.add_argument("--heights", default="24", help="text_height values after the one-pass row")
    p.add_argument("--ratios", default="", help="fixed resize ratios, one pass each")
    p.add_argument("--det-opt", action="append", default=[], metavar="KEY=VALUE",
                   help="a CRAFT option for every row (e.g. precision=bf16)")
    args = p.parse_args(argv)
    try:
        base = parse_assignments(args.det_opt, "--det-opt")
        heights = [float(v) for v in filter(None, args.heights.split(","))]
        # The one-pass row comes first: the baseline of the time column, and the first pass
        # of every text_height row (which images it sends to a second pass).
        rows_wanted = [setting("height", v, base) for v in [0.0] + [h for h in heights if h > 0]]
        rows_wanted += [setting("ratio", float(v), base) for v in filter(None, args.ratios.split(","))]
    except ValueError as exc:
        p.error(str(exc))
    samples = load_dataset_specs([f"{args.dataset}:{args.data}"], "detection", args.limit)
    images = [ocrkit.read_image(s.image) for s in samples]
    rows: list[dict] = []
    for label, opts in rows_wanted:
        rows.append(measure(label, opts, images, samples, rows[0]["found"] if rows else None))
        print(json.dumps({k: v for k, v in rows[-1].items() if k != "found"}), file=sys.stderr, flush=True)
    print(f"machine: {json.dumps(machine())}; {len(samples)} images of {args.dataset} ({args.data})\n")
    print("| setting | H-mean | P | R | s/image | time | second passes | median word height (px) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['setting']} | {r['hmean']:.4f} | {r['precision']:.4f} | {r['recall']:.4f} "
              f"| {r['s_per_image']:.2f} | {r['s_per_image'] / rows[0]['s_per_image']:.2f}× "
              f"| {r['second_pass']}/{len(images)} | {r['median_height_px']:.1f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
