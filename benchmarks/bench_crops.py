"""Crop policies compared on fixed detections: end-to-end H-mean per variant, in one run.

Every variant reads the *same* saved boxes (``res_<stem>.txt``: ``ocrkit run --format icdar``,
``ocrkit eval --save-predictions``, or the official CRAFT predictions), so the difference
between rows is the crop step alone (``--neighbours``, ``--retry-margins``, ``--crop``), not
detection.

    python benchmarks/bench_crops.py --dataset icdar2015 --data ../shared/data/icdar2015/test \
        --predictions ../shared/reference/craft/ic15_official_predictions

Variants are ``NEIGHBOURS[+retry][+rules][:CROP][@SAMPLING]``: ``keep`` / ``trim`` is
``--neighbours``, ``+retry`` adds the second readings at other margins (``--retry-margins`` at
its default; without it, ``none``), ``+rules`` the readings with ruling lines erased (``--rules
erase``; without it, ``keep``), ``@SAMPLING`` is ``--crop-sampling`` (lanczos, cubic or linear;
without it, lanczos, the default; ``lanczos-direct``: Lanczos with tilted quads warped straight
to the crop's size, the cut before ``geometry.WARP_SCALE``). Default
``keep,trim,trim+retry,trim+retry+rules``: the crop step before any of these, with each added,
the last as it is now by default. Prints a markdown table and the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from common import machine

import ocrkit
import ocrkit.geometry as geometry
from ocrkit.config import parse_assignments
from ocrkit.datasets.icdar import as_detections, read_prediction_file
from ocrkit.evaluation import compute, update_detection
from ocrkit.margins import RETRY_MARGINS
from ocrkit.output import as_submitted
from ocrkit.plugins import datasets, evaluators, get_plugin_manager, recognizers


class SavedDetections:
    """A detector that returns the boxes saved for the image it is given (one at a time)."""

    def __init__(self) -> None:
        self.current: list[ocrkit.Detection] = []

    def detect(self, images: Any) -> list[list[ocrkit.Detection]]:
        assert len(images) == 1, "one image per call"
        return [self.current]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dataset", required=True)
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--predictions", type=Path, required=True, help="folder of res_<stem>.txt")
    p.add_argument("--recognizer", default="crnn")
    p.add_argument("--rec-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--variants", default="keep,trim,trim+retry,trim+retry+rules",
                   help="NEIGHBOURS[+retry][+rules][:CROP][@SAMPLING],... e.g. "
                        "keep,trim+retry,trim:quad,trim+retry+rules@linear")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--metric", default="end_to_end", choices=("end_to_end", "end_to_end_cased"),
                   help="end_to_end_cased: a word's text must match with its case")
    args = p.parse_args(argv)

    pm = get_plugin_manager()
    samples = datasets(pm).get(args.dataset)(options={}).load(args.data, None, None)[: args.limit]
    rec = recognizers(pm).get(args.recognizer)(
        options=parse_assignments(args.rec_opt, "--rec-opt"), device="cpu"
    )
    saved = SavedDetections()
    pipes, evals, seconds, warp_scales = {}, {}, {}, {}
    for name in args.variants.split(","):
        rest, _, sampling = name.partition("@")
        base, _, crop = rest.partition(":")
        neighbours, *steps = base.split("+")
        if steps not in ([], ["retry"], ["rules"], ["retry", "rules"]):
            p.error(f"variant {name!r}: expected NEIGHBOURS[+retry][+rules][:CROP][@SAMPLING]")
        direct = sampling == "lanczos-direct"
        warp_scales[name] = float("inf") if direct else geometry.WARP_SCALE
        pipes[name] = ocrkit.Pipeline(saved, rec, crop=crop or "auto", neighbours=neighbours,
                                      crop_sampling="lanczos" if direct else sampling or "lanczos",
                                      retry_margins=RETRY_MARGINS if "retry" in steps else (),
                                      rules="erase" if "rules" in steps else "keep",
                                      plugin_manager=pm)  # fmt: skip
        evals[name] = {args.metric: evaluators(pm).get(args.metric)(options={})}
        seconds[name] = 0.0
    for s in samples:
        path = args.predictions / f"res_{s.stem}.txt"
        saved.current = as_detections(read_prediction_file(path)) if path.is_file() else []
        image = ocrkit.read_image(s.image)
        for name, pipe in pipes.items():
            default, geometry.WARP_SCALE = geometry.WARP_SCALE, warp_scales[name]
            t0 = time.perf_counter()
            words = [as_submitted(ws) for ws in pipe.read([image])]
            seconds[name] += time.perf_counter() - t0
            geometry.WARP_SCALE = default
            update_detection(evals[name], words, [s.targets])
    print(f"{args.dataset}, {len(samples)} images, boxes from {args.predictions}, "
          f"recogniser {args.recognizer}, metric {args.metric}")
    print(f"machine: {json.dumps(machine())}\n")
    print("| variant | end-to-end P | R | H-mean | crop+read s/image |")
    print("| --- | --- | --- | --- | --- |")
    scores = {name: compute(ev)[args.metric] for name, ev in evals.items()}
    for name, r in scores.items():
        print(f"| {name} | {r['precision']:.4f} | {r['recall']:.4f} | {r['hmean']:.4f} "
              f"| {seconds[name] / max(len(samples), 1):.3f} |")  # fmt: skip
    print(json.dumps({"machine": machine(), "images": len(samples), args.metric: scores}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
