"""Why words are missed: each ground-truth word that no detection matches (IoU ≥ 0.5) is put in
one class, per predictions folder, so a change to a detector or its training shows *which*
errors it trades (e.g. fewer merged words, more missed small ones).

    python benchmarks/detection_errors.py --dataset funsd \
        --data ../shared/data/funsd/dataset/testing_data --limit 6 \
        --predictions pretrained=preds/a --predictions finetuned=preds/b

Predictions are ``res_<stem>.txt`` files (``ocrkit eval --save-predictions DIR``). Boxes are
compared by their axis-aligned bounds (the datasets' words are near-horizontal boxes). Classes
of an unmatched GT word g:
  merged  one detection covers > 30 % of g and > 50 % of another GT word too; of these,
          ``touching`` counts the words that touch a word the detection also covers on their
          own line (gap ≤ 5 % of the smaller height: FUNSD splits "12/10/98" into "12", "/10",
          "/98"), which no detector that separates words at spaces can split;
  split   two or more detections each cover > 30 % of g;
  loc     one detection covers > 30 % of g but no other GT word (poorly localised);
  missed  no detection covers > 30 % of g.
Don't-care and empty-text GT words are left out.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np


def bounds(polygon: np.ndarray) -> np.ndarray:
    p = np.asarray(polygon, np.float64).reshape(-1, 2)
    return np.concatenate([p.min(axis=0), p.max(axis=0)])  # x0, y0, x1, y1


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection area of two x0, y0, x1, y1 boxes."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def area(a: np.ndarray) -> float:
    return max(0.0, a[2] - a[0]) * max(0.0, a[3] - a[1])


TOUCH_GAP = 0.05  # a gap of at most this × the smaller height is no space between two words


def touches(a: np.ndarray, b: np.ndarray) -> bool:
    """Two x0, y0, x1, y1 boxes on one line (overlapping across it by half the smaller height)
    with no space between them (gap ≤ ``TOUCH_GAP`` × that height)."""
    height = min(a[3] - a[1], b[3] - b[1])
    across = min(a[3], b[3]) - max(a[1], b[1])
    return across >= 0.5 * height and max(b[0] - a[2], a[0] - b[2]) <= TOUCH_GAP * height


def touching_words(gts: list[np.ndarray]) -> int:
    """GT words that touch another GT word on their line (see ``touches``)."""
    return sum(any(j != i and touches(g, h) for j, h in enumerate(gts)) for i, g in enumerate(gts))


def classify(gts: list[np.ndarray], dets: list[np.ndarray]) -> Counter:
    """Counts of ``matched``, of each error class and of ``touching`` (merged words that touch
    a word joined to them) over one image's GT boxes (x0, y0, x1, y1)."""
    out: Counter = Counter()
    for i, g in enumerate(gts):
        ious = [overlap(g, d) / max(area(g) + area(d) - overlap(g, d), 1e-9) for d in dets]
        if ious and max(ious) >= 0.5:
            out["matched"] += 1
            continue
        cover = [d for d in dets if overlap(g, d) > 0.3 * area(g)]
        if not cover:
            out["missed"] += 1
        elif len(cover) >= 2:
            out["split"] += 1
        elif joined := [h for j, h in enumerate(gts) if j != i and overlap(h, cover[0]) > 0.5 * area(h)]:
            out["merged"] += 1
            out["touching"] += any(touches(g, h) for h in joined)
        else:
            out["loc"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    try:
        return report(argv)
    except (ValueError, OSError) as exc:  # unreadable ground truth or predictions: one line
        print(f"error: {exc}", file=sys.stderr)
        return 1


def report(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--predictions", action="append", required=True, metavar="NAME=DIR")
    args = ap.parse_args(argv)
    from ocrkit.datasets.icdar import read_prediction_file
    from ocrkit.datasets.specs import load_dataset_specs

    runs = []
    for spec in args.predictions:
        name, sep, folder = spec.partition("=")  # NAME=DIR, or just DIR
        runs.append((name, Path(folder)) if sep else (spec, Path(spec)))
        if not runs[-1][1].is_dir():
            raise ValueError(f"{runs[-1][1]}: predictions folder not found")
    samples = load_dataset_specs([f"{args.dataset}:{args.data}"], "detection", args.limit)
    classes = ("matched", "merged", "touching", "missed", "loc", "split")
    gt_boxes = [[bounds(t.polygon) for t in s.targets if not t.ignore and (t.text or "").strip()] for s in samples]
    print(f"{len(samples)} images; unmatched GT words by class (touching: merged words with no space "
          f"to a word joined to them; {sum(map(touching_words, gt_boxes))} GT words touch a neighbour)")
    print("| predictions | GT words | detections | " + " | ".join(classes) + " |")
    print("|---" * (len(classes) + 3) + "|")
    for name, folder_path in runs:
        total, n_gt, n_det = Counter(), 0, 0
        for s, gts in zip(samples, gt_boxes):
            path = folder_path / f"res_{s.stem}.txt"
            dets = [bounds(w.polygon) for w in read_prediction_file(path)] if path.is_file() else []
            total += classify(gts, dets)
            n_gt, n_det = n_gt + len(gts), n_det + len(dets)
        print(f"| {name} | {n_gt} | {n_det} | " + " | ".join(str(total[c]) for c in classes) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
