"""Reading order with and without small marks attached to their line
(``ocrkit.reading_order.ATTACH_MARKS``), in one run.

    python benchmarks/bench_order.py --funsd ../shared/data/funsd/dataset/testing_data \\
        --funsd ../shared/data/funsd/dataset/training_data
    python benchmarks/bench_order.py --e2e funsd:../shared/data/funsd/dataset/testing_data \\
        --limit 20 --cache local/boxes

Ground-truth words (``--funsd``, no model): each form's word boxes grouped both ways. Prints the
forms regrouped, the pairs of consecutive words of one entity that come out adjacent on one
line (FUNSD's entities are fields, phrases and lines: the closest thing it has to a reading
order), and the words of no letter or digit (",", "-", "$", "☐") left alone on a line.

Detected boxes (``--e2e DATASET:DIR``): each image detected once by CRAFT (``ocrkit run``'s
defaults; ``--cache`` keeps the boxes between runs), grouped both ways; the images whose
grouping differs are read end to end both ways from the same boxes (``ocrkit.Pipeline``'s
defaults) and scored by the dataset's end-to-end protocol (IC15, case ignored).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
import ocrkit.reading_order as ro  # noqa: E402
from ocrkit.metrics.end_to_end import EndToEndEvaluator  # noqa: E402
from ocrkit.plugins import datasets, get_plugin_manager  # noqa: E402
from ocrkit.types import Detection  # noqa: E402

_ALNUM = re.compile(r"[^\W_]")


@contextmanager
def attach(on: bool):
    """``ATTACH_MARKS`` set to ``on`` for the block."""
    old, ro.ATTACH_MARKS = ro.ATTACH_MARKS, on
    try:
        yield
    finally:
        ro.ATTACH_MARKS = old


def form_words(path: Path) -> tuple[list[np.ndarray], list[str], list[tuple[int, int]]]:
    """A FUNSD form's word quads (4, 2) px, texts, and the pairs of consecutive words of
    one entity (indices into the words)."""
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    quads, texts, pairs = [], [], []
    for entity in data["form"]:
        first = len(quads)
        for w in entity.get("words", []):
            if not w.get("text", "").strip():
                continue
            x0, y0, x1, y1 = (float(v) for v in w["box"])
            quads.append(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32))
            texts.append(w["text"])
        pairs += [(k, k + 1) for k in range(first, len(quads) - 1)]
    return quads, texts, pairs


def order_scores(quads: Sequence[np.ndarray], texts: Sequence[str], pairs) -> tuple[int, int]:
    """(entity pairs adjacent on one line, mark-only words alone on a line)."""
    where = {}
    lines = ro.group_lines(quads)
    for n, line in enumerate(lines):
        for pos, i in enumerate(line):
            where[i] = (n, pos)
    adjacent = sum(where[a][0] == where[b][0] and where[b][1] == where[a][1] + 1 for a, b in pairs)
    alone = sum(len(line) == 1 and not _ALNUM.search(texts[line[0]]) for line in lines)
    return adjacent, alone


def ground_truth(folders: Sequence[Path]) -> None:
    print("| forms | regrouped | entity pairs adjacent: before → after | mark-only words alone on a line |")
    print("| --- | --- | --- | --- |")
    for folder in folders:
        files = sorted((folder / "annotations").glob("*.json"))
        regrouped, totals = 0, np.zeros((2, 2), int)
        n_pairs = n_marks = 0
        for f in files:
            quads, texts, pairs = form_words(f)
            groups = []
            for k, on in enumerate((False, True)):
                with attach(on):
                    totals[k] += order_scores(quads, texts, pairs)
                    groups.append(ro.group_lines(quads))
            regrouped += groups[0] != groups[1]
            n_pairs += len(pairs)
            n_marks += sum(not _ALNUM.search(t) for t in texts)
        print(f"| {folder} ({len(files)}) | {regrouped} | {totals[0, 0]} → {totals[1, 0]} of {n_pairs} "
              f"| {totals[0, 1]} → {totals[1, 1]} of {n_marks} |")


class Saved:
    """A detector that answers its first call with saved boxes and later ones (a page turned
    upright and detected again) with the real detector."""

    def __init__(self, boxes: list[Detection], real) -> None:
        self.boxes, self.real, self.used = boxes, real, False

    def detect(self, images):
        if self.used:
            return self.real.detect(images)
        self.used = True
        return [self.boxes]


def detected(sample, detector, cache: Path | None, name: str) -> list[Detection]:
    """The sample's CRAFT boxes, from ``cache`` when saved there."""
    path = cache / f"{name}_{sample.stem}.json" if cache else None
    if path is not None and path.exists():
        raw = json.loads(path.read_text())
        return [Detection(np.array(p, np.float32), s) for p, s in raw]
    dets = detector.detect([ocrkit.read_image(sample.image)])[0]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([[d.polygon.tolist(), float(d.score)] for d in dets]))
    return dets


def end_to_end(specs: Sequence[str], limit: int, cache: Path | None) -> None:
    pm = get_plugin_manager()
    detector, recognizer = ocrkit.load_detector("craft"), ocrkit.load_recognizer("crnn")
    print("| images | regrouped | end-to-end H on those: before → after | texts changed |")
    print("| --- | --- | --- | --- |")
    for spec in specs:
        name, _, folder = spec.partition(":")
        samples = datasets(pm).get(name)().load(Path(folder))
        samples = samples[:limit] if limit else samples
        scores = [EndToEndEvaluator(), EndToEndEvaluator()]
        regrouped = changed = 0
        for sample in samples:
            dets = detected(sample, detector, cache, name)
            polys = [d.polygon for d in dets]
            groups = []
            for on in (False, True):
                with attach(on):
                    groups.append(ro.group_lines(polys))
            if groups[0] == groups[1]:
                continue
            regrouped += 1
            image = ocrkit.read_image(sample.image)
            texts = []
            for k, on in enumerate((False, True)):
                with attach(on):
                    pipe = ocrkit.Pipeline(Saved(dets, detector), recognizer)
                    words = pipe.read([image])[0]
                scores[k].update([words], [sample.targets])
                texts.append([w.text for w in words])
            changed += sorted(texts[0]) != sorted(texts[1])
        h = [s.compute()["hmean"] for s in scores]
        print(f"| {spec} ({len(samples)}) | {regrouped} | {h[0]:.4f} → {h[1]:.4f} | {changed} |")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--funsd", type=Path, action="append", default=[], help="FUNSD split folder")
    p.add_argument("--e2e", action="append", default=[], help="DATASET:DIR read end to end")
    p.add_argument("--limit", type=int, default=0, help="first N images per --e2e set (0 = all)")
    p.add_argument("--cache", type=Path, help="folder to keep detected boxes in between runs")
    args = p.parse_args(argv)
    if not args.funsd and not args.e2e:
        p.error("give --funsd DIR and/or --e2e DATASET:DIR")
    if args.funsd:
        ground_truth(args.funsd)
    if args.e2e:
        end_to_end(args.e2e, args.limit, args.cache)
    print(json.dumps({"machine": machine()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
