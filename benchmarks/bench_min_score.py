"""Dropping unsure words (``--min-score``): detection and end-to-end scores per threshold, one run.

Each image is read once by the pipeline as ``ocrkit eval`` builds it (CRAFT + CRNN, the default
options), and its words are then scored with those read below each threshold dropped, exactly
as ``ocrkit eval --min-score S`` scores them (the same steps, the polygons as submitted), so a
row costs no second reading.

    python benchmarks/bench_min_score.py --dataset funsd --data ../shared/data/funsd/dataset/training_data --limit 20
    python benchmarks/bench_min_score.py --dataset icdar2015 --data ../shared/data/icdar2015/test --limit 60

Prints a markdown table (words kept, detection and end-to-end precision/recall/H-mean per
threshold) and the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from common import machine

from ocrkit.config import parse_assignments
from ocrkit.engines.spec import PipelineSpec
from ocrkit.evaluation import compute, update_detection
from ocrkit.io import read_image
from ocrkit.output import as_submitted
from ocrkit.pipeline import sure_words
from ocrkit.plugins import datasets, evaluators, get_plugin_manager
from ocrkit.types import Word


def parse_scores(text: str) -> list[float]:
    """``"0,0.3,0.5"`` → [0.0, 0.3, 0.5]; each in [0, 1]."""
    scores = [float(s) for s in text.split(",") if s.strip()]
    if not scores or any(not 0.0 <= s <= 1.0 for s in scores):
        raise argparse.ArgumentTypeError(f"expected scores in [0, 1] like 0,0.3,0.5, got {text!r}")
    return scores


def sweep(
    words: Sequence[Sequence[Word]], targets: Sequence[Any], scores: Sequence[float], pm: Any
) -> list[dict[str, Any]]:
    """One row per threshold: the words kept and the ``icdar2015`` and ``end_to_end`` scores of
    ``words`` (one list per image) with the words read below the threshold dropped."""
    rows = []
    for score in scores:
        kept = [sure_words(ws, score) for ws in words]
        evals = {name: evaluators(pm).get(name)(options={}) for name in ("icdar2015", "end_to_end")}
        update_detection(evals, kept, targets)
        rows.append({"min_score": score, "words": sum(map(len, kept)), **compute(evals)})
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dataset", required=True, help="dataset format, e.g. funsd, icdar2015")
    p.add_argument("--data", type=Path, required=True, help="the dataset folder as distributed")
    p.add_argument("--limit", type=int, default=None, help="first N samples only")
    p.add_argument("--scores", type=parse_scores, default=parse_scores("0,0.1,0.2,0.3,0.4,0.5,0.6"))
    p.add_argument("--det-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--rec-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--device", default="cpu")
    args = p.parse_args(argv)
    pm = get_plugin_manager()
    samples = datasets(pm).get(args.dataset)(options={}).load(args.data, None, None)[: args.limit]
    if not samples:
        p.error(f"{args.data}: no {args.dataset} samples there")
    spec = PipelineSpec("craft", "crnn", det_opts=parse_assignments(args.det_opt, "--det-opt"),
                        rec_opts=parse_assignments(args.rec_opt, "--rec-opt"), device=args.device)  # fmt: skip
    pipeline = spec.build(pm)
    t0 = time.perf_counter()
    words = [as_submitted(pipeline.read([read_image(s.image)])[0]) for s in samples]
    seconds = time.perf_counter() - t0
    rows = sweep(words, [s.targets for s in samples], args.scores, pm)
    for row in rows:
        print(json.dumps(row), file=sys.stderr)
    print(f"machine: {json.dumps(machine())}; {args.dataset} {args.data} first {len(samples)}; "
          f"read in {seconds:.0f} s\n")
    print("| --min-score | words kept | detection P / R / H | end-to-end P / R / H |")
    print("| --- | --- | --- | --- |")
    for r in rows:
        d, e = r["icdar2015"], r["end_to_end"]
        print(f"| {r['min_score']:g} | {r['words']} | {d['precision']:.4f} / {d['recall']:.4f} / "
              f"{d['hmean']:.4f} | {e['precision']:.4f} / {e['recall']:.4f} / {e['hmean']:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
