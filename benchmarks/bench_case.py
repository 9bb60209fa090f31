"""Letter case by height (``ocrkit.letter_case``), final periods and commas
(``ocrkit.periods``), dollar signs (``ocrkit.currency``), decimal points (``ocrkit.points``)
and regions read as several words split (``ocrkit.spaces``) on saved end-to-end predictions.

    ocrkit eval --recognizer crnn --dataset funsd --data DATA --save-predictions PRED  # at a
    python benchmarks/bench_case.py --dataset funsd --data DATA --predictions PRED # commit before

Reads each image's saved ``res_<stem>.txt`` (words and texts as a pipeline wrote them without
the step: at a commit before it, or with ``--text raw``, which drops the other text steps
too), applies ``--step`` (``case``: ``mend_case``; ``periods``: ``add_periods``; ``dollars``:
``mend_dollars``; ``points``: ``add_points``; ``spaces``: ``split_spaced``, which also
changes the boxes) with the image, and prints the detection P/R/H (``icdar2015``) and the
end-to-end P/R/H before and after, case-sensitive (``end_to_end_cased``)
and as the IC15 protocol scores (``end_to_end``: case ignored, and a missing final period
forgiven, an extra one not), the readings changed,
and of those matched to a ground-truth word: fixed (now its exact text), broken (was, no
longer) and neither (misread apart from case); for ``spaces``, the regions split and the
words they became. ``--show`` lists every change.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.plugins import datasets, get_plugin_manager  # noqa: E402
from ocrkit.datasets.icdar import read_prediction_file  # noqa: E402
from ocrkit.currency import mend_dollars  # noqa: E402
from ocrkit.ink import grey_of  # noqa: E402
from ocrkit.letter_case import mend_case  # noqa: E402
from ocrkit.metrics.detection import Icdar2015Evaluator, match_icdar2015  # noqa: E402
from ocrkit.metrics.end_to_end import EndToEndEvaluator  # noqa: E402
from ocrkit.periods import add_periods  # noqa: E402
from ocrkit.brackets import add_brackets  # noqa: E402
from ocrkit.points import add_points  # noqa: E402
from ocrkit.spaces import split_spaced  # noqa: E402

STEPS = {"case": mend_case, "periods": add_periods, "dollars": mend_dollars,
         "points": add_points, "brackets": add_brackets}  # (image, words) → words


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", required=True, help="dataset format, e.g. funsd, icdar2015")
    p.add_argument("--data", type=Path, required=True, help="the dataset folder")
    p.add_argument("--predictions", type=Path, required=True, help="folder of res_<stem>.txt")
    p.add_argument("--limit", type=int, default=0, help="first N images (0 = all)")
    p.add_argument("--step", choices=sorted([*STEPS, "spaces"]), default="case")
    p.add_argument("--show", action="store_true", help="print every changed reading")
    args = p.parse_args(argv)
    samples = datasets(get_plugin_manager()).get(args.dataset)().load(args.data)
    samples = samples[: args.limit] if args.limit else samples
    evaluators = {(name, cased): EndToEndEvaluator(case_sensitive=cased)
                  for name in ("saved readings", "mended") for cased in (True, False)}  # fmt: skip
    boxes = {name: Icdar2015Evaluator() for name in ("saved readings", "mended")}
    counts: Counter[str] = Counter()
    for sample in samples:
        path = args.predictions / f"res_{sample.stem}.txt"
        if not path.is_file():
            print(f"{path}: missing, image skipped", file=sys.stderr)
            counts["missing"] += 1
            continue
        words = read_prediction_file(path)
        image = ocrkit.read_image(sample.image)
        if args.step == "spaces":  # word by word, to count the regions split: split_spaced
            grey = grey_of(image)  # takes each region on its own
            pieces = [split_spaced(grey, [w]) for w in words]
            mended = [p for ps in pieces for p in ps]
        else:
            mended = STEPS[args.step](image, words)
        for (name, _), ev in evaluators.items():
            ev.update([words if name == "saved readings" else mended], [sample.targets])
        for name, ev in boxes.items():
            ev.update([words if name == "saved readings" else mended], [sample.targets])
        counts["images"] += 1
        counts["readings"] += len(words)
        match = match_icdar2015([w.polygon for w in words], [t.polygon for t in sample.targets],
                                [t.ignore for t in sample.targets])  # fmt: skip
        truth = {j: sample.targets[i].text for i, j in match.pairs}
        if len(mended) != len(words):  # regions split: the words no longer pair up
            split = [w for w, ps in zip(words, pieces) if len(ps) > 1]
            counts["regions split"] += len(split)
            counts["words they became"] += len(mended) - len(words) + len(split)
            if args.show:
                for w in split:
                    print(f"{sample.stem}: {w.text!r} split")
            continue
        for j, (old, new) in enumerate(zip(words, mended)):
            if old.text == new.text:
                continue
            gt = truth.get(j)
            kind = ("unmatched" if gt is None else "fixed" if new.text == gt
                    else "broken" if old.text == gt else "neither")  # fmt: skip
            counts["changed"] += 1
            counts[kind] += 1
            if args.show:
                print(f"{sample.stem}: {old.text!r} -> {new.text!r} (ground truth {gt!r}: {kind})")
    print(f"machine: {json.dumps(machine())}")
    print(json.dumps(dict(counts)))
    print(f"| {args.step} | metric | P | R | H |\n| --- | --- | --- | --- | --- |")
    for name, ev in boxes.items():
        r = ev.compute()
        p_r_h = f"{r['precision']:.4f} | {r['recall']:.4f} | {r['hmean']:.4f}"
        print(f"| {name} | icdar2015 | {p_r_h} |")
    for (name, cased), ev in evaluators.items():
        r = ev.compute()
        metric = "end_to_end_cased" if cased else "end_to_end"
        p_r_h = f"{r['precision']:.4f} | {r['recall']:.4f} | {r['hmean']:.4f}"
        print(f"| {name} | {metric} | {p_r_h} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
