"""Form labels ending in a colon or a period on rendered pages: the colon-to-period check of
``ocrkit.periods`` (a reading ending in a colon where the ink holds one dot), before and now.

    python benchmarks/bench_colons.py --precision fp32            # 3 pages, seed 0
    python benchmarks/bench_colons.py --pages 1 --seed 1 --precision fp32

Each page (1400×1000, grey) holds rows of "Label: 12345" or "Label. 12345" pairs (a colon two
times in three), each row in one of the machine's regular and bold sans, serif, condensed and
monospaced faces at 11–20 px, then blurred (σ 0.4–0.9), noised (σ 3) and saved as JPEG 60–85,
like a scanned form. Each page is read once by ``ocrkit.Pipeline`` (``ocrkit run``'s defaults)
with colons left as read ("before"), and the check applied to those words ("now"), as the
pipeline does. Each changed reading is matched by position to the label drawn there: fixed
(a period read as a colon), broken (a colon made a period) or neither (the word misread). Prints
the labels read exactly per mark, before and now, the changes, and the machine.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import load_crnn, rendered_setup, rows  # noqa: E402
from common import drawn_at, machine, scanned, step_swapped  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.periods import add_periods  # noqa: E402

LABELS = ("Name Date Total Phone Fax Ref Tel Account Invoice Amount Address City Due Item Code "
          "Room Order Note Time Card").split()  # fmt: skip
FACES = ("sans", "sans-bold", "serif", "serif-bold", "sans-condensed", "mono")
SIZES = (11, 12, 13, 14, 16, 18, 20)
Label = tuple[str, tuple[float, float, float, float]]  # text, drawn box (x0, y0, x1, y1)


def page(rng: np.random.Generator, fonts: list[Path]) -> tuple[np.ndarray, list[Label]]:
    """A scanned-looking form page (RGB uint8 (1000, 1400, 3)) and its labels with their boxes."""
    im = Image.new("L", (1400, 1000), 250)
    labels: list[Label] = []
    for draw, y, size, font in rows(im, rng, fonts, FACES, SIZES):
        x = 30.0
        while x < im.width - 300:
            label = f"{rng.choice(LABELS)}{rng.choice([':', ':', '.'])}"
            draw.text((x, y), label, fill=int(rng.integers(0, 60)), font=font)
            labels.append((label, draw.textbbox((x, y), label, font=font)))
            x += draw.textlength(label, font=font) + size * 0.6
            value = str(rng.integers(10, 99999))
            draw.text((x, y), value, fill=int(rng.integers(0, 60)), font=font)
            x += draw.textlength(value, font=font) + size * 2.5
    return scanned(im, rng), labels


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    args, fonts = rendered_setup(p, argv)
    detector = ocrkit.load_detector("craft", device=args.device, precision=args.precision)
    pipeline = ocrkit.Pipeline(detector, load_crnn(args))
    rng = np.random.default_rng(args.seed)
    right = {"before": Counter(), "now": Counter()}
    totals: Counter = Counter()
    changes: Counter = Counter()
    for n in range(args.pages):
        image, labels = page(rng, fonts)
        with step_swapped(add_periods, lambda img, words: add_periods(img, words, colons=False)):
            before = pipeline.read([image])[0]
        now = add_periods(image, before)  # the check, on the words it would see
        totals.update(t[-1] for t, _ in labels)
        for name, words in (("before", before), ("now", now)):
            for w in words:
                if w.text and w.text == drawn_at(w.polygon.mean(axis=0), labels):
                    right[name][w.text[-1]] += 1
        for old, new in zip(before, now):
            if old.text != new.text:
                drawn = drawn_at(new.polygon.mean(axis=0), labels)
                kind = ("fixed" if drawn == new.text
                        else "broken" if drawn == old.text else "neither")  # fmt: skip
                changes[kind] += 1
                print(f"page {n}: {old.text!r} -> {new.text!r} ({kind}; drawn {drawn!r})",
                      file=sys.stderr, flush=True)  # fmt: skip
    print(f"machine: {machine()}; device {args.device}; precision {args.precision}; "
          f"seed {args.seed}; {args.pages} pages\n")
    print("| labels | count | read right, before | read right, now |")
    print("| --- | --- | --- | --- |")
    for mark, name in ((":", "ending in a colon"), (".", "ending in a period")):
        print(f"| {name} | {totals[mark]} | {right['before'][mark]} | {right['now'][mark]} |")
    print(f"\nchanged readings: {changes['fixed']} fixed, {changes['broken']} broken, "
          f"{changes['neither']} neither")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
