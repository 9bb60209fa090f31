"""The CRNN's contrast retry on word crops: EasyOCR's against the wide stretch, per threshold.

    python benchmarks/bench_contrast.py \\
        --set icdar2015_words:../shared/data/icdar2015/word_recognition/train \\
        --thresholds 0.3,0.5,0.9

Each crop is cut as ``ocrkit eval`` cuts it and read three times (greedy, fp32, no retry): as it
is, after EasyOCR's stretch (:func:`ocrkit_crnn.preprocess.stretch_contrast`) and after the wide
one (:func:`ocrkit_crnn.preprocess.widen_contrast`). A retry keeps the second reading where the
first's confidence is below the threshold and the second's is higher, which is what
``recognize()`` does, so every threshold is scored from the same three readings; the default
(``contrast_retry=0.5 contrast=wide``) is also read by ``recognize()`` itself and the two
compared (``checked``). Prints per dataset: the words read exactly with their case (tidied as
the pipeline tidies a word) and ignoring case and marks (IIIT5K's protocol), by the reference
(EasyOCR's retry below 0.1) and by the wide retry at each threshold, the words made right and
wrong, the crops read a second time, examples, the recogniser's time per word by default and
with EasyOCR's retry (read in turn, ``--repeat`` times), and the machine. The wide stretch and
its default threshold were chosen on ICDAR 2015 *train* crops.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.letter_case import raised  # noqa: E402
from ocrkit.tidy import tidy_word  # noqa: E402
from ocrkit_crnn.preprocess import (  # noqa: E402
    HEIGHT,
    resize_to_height,
    stretch_contrast,
    to_grey,
    widen_contrast,
)

REFERENCE = {"contrast_retry": 0.1, "contrast": "easyocr", "lexicon": None}
# Every reader here goes without the default lexicon: the bench measures the contrast step.
NO_WORDS = {"lexicon": None}


def exact(reading: str, truth: str) -> bool:
    return tidy_word(raised(reading)) == truth


def alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def retried(first: list, second: list, threshold: float) -> list:
    """What ``recognize()`` keeps: the second reading where the first's confidence is below
    ``threshold`` and the second's higher (ties: the first)."""
    return [b if a.score < threshold and b.score > a.score else a for a, b in zip(first, second)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", action="append", required=True, metavar="DATASET:PATH",
                   help="a recognition dataset, e.g. iiit5k:PATH (repeatable)")
    p.add_argument("--limit", type=int, default=0, help="first N crops per set (0 = all)")
    p.add_argument("--thresholds", default="0.3,0.5,0.7,0.9",
                   help="contrast_retry values for the wide stretch")
    p.add_argument("--show", type=int, default=6, help="examples made right / wrong per set")
    p.add_argument("--repeat", type=int, default=1, help="times each set is read both ways, timed")
    args = p.parse_args(argv)
    try:
        thresholds = [float(t) for t in args.thresholds.split(",")]
    except ValueError:
        p.error(f"--thresholds: give numbers, e.g. 0.3,0.5 (got {args.thresholds!r})")
    from ocrkit.commands.eval import load_crop
    from ocrkit.datasets.specs import load_dataset_specs

    once = ocrkit.load_recognizer("crnn", contrast_retry=0, **NO_WORDS)  # no retry at all
    default = ocrkit.load_recognizer("crnn", **NO_WORDS)
    reference = ocrkit.load_recognizer("crnn", **REFERENCE)
    print("| crops | words | retry | threshold | read again | exact (case) | made right "
          "| made wrong | case-free alnum |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    notes = []
    for spec in args.set:
        samples = load_dataset_specs([spec], "recognition")
        samples = samples[: args.limit] if args.limit else samples
        crops = [np.asarray(load_crop(s, HEIGHT)) for s in samples]
        # Stretched after the resize to 64 rows, as recognize() stretches; a 64-row crop is
        # not resized again, so reading it is reading the stretched input.
        greys = [resize_to_height(to_grey(c), HEIGHT)[0] for c in crops]
        first = once.recognize(greys)
        easy = once.recognize([stretch_contrast(g) for g in greys])
        wide = once.recognize([widen_contrast(g) for g in greys])
        truth = [s.text for s in samples]

        def score(reads: list) -> tuple[int, int]:
            return (sum(exact(r.text, t) for r, t in zip(reads, truth)),
                    sum(alnum(r.text) == alnum(t) for r, t in zip(reads, truth)))  # fmt: skip

        base = retried(first, easy, REFERENCE["contrast_retry"])
        ex0, ci0 = score(base)
        n = len(samples)
        again = sum(r.score < REFERENCE["contrast_retry"] for r in first)
        print(f"| {spec} | {n} | easyocr (reference) | 0.1 | {again} | {ex0} | | | {ci0} |")
        for t in thresholds:
            reads = retried(first, wide, t)
            ex, ci = score(reads)
            right = [(tr, b.text, r.text) for b, r, tr in zip(base, reads, truth)
                     if exact(r.text, tr) and not exact(b.text, tr)]  # fmt: skip
            wrong = [(tr, b.text, r.text) for b, r, tr in zip(base, reads, truth)
                     if exact(b.text, tr) and not exact(r.text, tr)]  # fmt: skip
            again = sum(r.score < t for r in first)
            print(f"| {spec} | {n} | wide | {t:g} | {again} ({again / max(n, 1):.0%}) | **{ex}** "
                  f"| {len(right)} | {len(wrong)} | {ci} |")
            if t == default.config.contrast_retry:
                notes.append(f"{spec}, wide below {t:g}: made right (truth, reference, now) "
                             f"{right[: args.show]}; made wrong {wrong[: args.show]}")
        # recognize() itself at the defaults, against the combination scored above.
        direct = default.recognize(crops)
        combined = retried(first, wide, default.config.contrast_retry)
        differ = sum(d.text != c.text for d, c in zip(direct, combined))
        seconds = {"reference": 0.0, "default": 0.0}
        for _ in range(args.repeat):
            for name, r in (("reference", reference), ("default", default)):
                start = time.perf_counter()
                r.recognize(crops)
                seconds[name] += time.perf_counter() - start
        ms = {k: 1000 * v / args.repeat / max(1, n) for k, v in seconds.items()}
        notes.append(f"{spec}: checked, recognize() at the defaults differs from the combination "
                     f"in {differ} of {n} texts; {ms['reference']:.2f} ms per word with EasyOCR's "
                     f"retry, {ms['default']:.2f} by default (x{ms['default'] / ms['reference']:.2f})")
    print("\n" + "\n".join(notes))
    print(f"\n{machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
