"""Decimal points, thousands commas and times' colons put back from the ink (``ocrkit.points``).

    python benchmarks/bench_points.py --precision fp32 \\
        --set funsd_words:../shared/data/funsd/dataset/training_data
    python benchmarks/bench_points.py --precision fp32 \\
        --set funsd_words:../shared/data/funsd/dataset/testing_data \\
        --set icdar2015_words:../shared/data/icdar2015/word_recognition/test \\
        --set iiit5k:../shared/data/iiit5k
    python benchmarks/bench_points.py --pages 3 --precision fp32    # rendered statements

Word crops (``--set``): each crop with two digits or more in its ground truth is cut as
``ocrkit eval`` cuts it, read by the CRNN (its defaults at ``--precision``) and tidied as the
pipeline tidies a word; each reading that
is one run of digits (:data:`ocrkit.points.NUMBER`) or a time read with a point
(:data:`ocrkit.points.CLOCK_READ`, "4.00") is then passed through
:func:`ocrkit.points.add_points` with the crop's page and region (a whole-image crop: the
image's own rectangle). Prints per set the crops, the readings looked at, those changed, made
exact (the ground truth, case counted), made wrong (were it) and neither (misread either way),
the changes, the ms per reading looked at, and the machine.

Rendered pages (``--pages N``): statements of small type (1400×1000 grey, rows of a label and
four amounts: decimals "4.45", "0.5", "1,250" grouped by a comma, "12.5%", plain integers
"1985"), each row in one of the machine's sans, serif, condensed, bold or monospaced faces at
11–18 px (digits 8–13 px high, as on a scanned statement or a receipt), blurred (σ 0.4–0.9),
noised (σ 3) and saved as JPEG 60–85. Each page is read by ``ocrkit.Pipeline`` twice: without
the step (neither on the words nor on the boxes the joins read whole) and with it. Prints per
kind of amount the amounts read exactly each way, the readings changed (a word whose reading
or box differs: fixed, broken or neither, by the amount drawn where it is), and the machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import load_crnn, rendered_setup, rows  # noqa: E402
from common import cut_crops, drawn_at, machine, scanned, step_swapped  # noqa: E402

import ocrkit  # noqa: E402
import ocrkit.pipeline  # noqa: E402
from ocrkit.commands.eval import _cached_image  # noqa: E402
from ocrkit.points import CLOCK_READ, NUMBER, add_points  # noqa: E402
from ocrkit.tidy import tidy_word  # noqa: E402
from ocrkit.types import Word  # noqa: E402

LABELS = "Coffee Rent Postage Freight Tax Labour Parts Fuel Discount Total Balance Interest".split()
FACES = ("sans", "sans-bold", "serif", "sans-condensed", "mono", "mono-bold")
SIZES = (11, 12, 13, 14, 16, 18)
KINDS = ("decimal", "grouped", "percent", "integer")
Drawn = tuple[str, str, tuple[float, float, float, float]]  # text, kind, box (x0, y0, x1, y1)


def amount(rng: np.random.Generator) -> tuple[str, str]:
    """An amount and its kind: a decimal half the time, else grouped, a percentage or plain."""
    kind = str(rng.choice(KINDS, p=[0.5, 0.15, 0.1, 0.25]))
    whole = int(rng.integers(0, 1000)) if rng.random() < 0.8 else int(rng.integers(1000, 99999))
    if kind == "decimal":
        cents = f"{rng.integers(0, 100):02d}" if rng.random() < 0.8 else str(rng.integers(0, 10))
        return f"{whole}.{cents}", kind
    if kind == "grouped":
        return f"{rng.integers(1, 999)},{rng.integers(0, 1000):03d}", kind
    if kind == "percent":
        return f"{rng.integers(1, 100)}.{rng.integers(0, 10)}%", kind
    return str(int(rng.integers(10, 99999))), kind


def page(rng: np.random.Generator, fonts: list[Path]) -> tuple[np.ndarray, list[Drawn]]:
    """A scanned-looking statement (RGB uint8 (1000, 1400, 3)) and its amounts with boxes."""
    im = Image.new("L", (1400, 1000), 250)
    drawn: list[Drawn] = []
    for draw, y, _, font in rows(im, rng, fonts, FACES, SIZES):
        draw.text((30, y), str(rng.choice(LABELS)), fill=int(rng.integers(0, 60)), font=font)
        for column in range(4):
            text, kind = amount(rng)
            right = 420 + 260 * column  # amounts stand right-aligned in their column
            x = right - draw.textlength(text, font=font)
            draw.text((x, y), text, fill=int(rng.integers(0, 60)), font=font)
            drawn.append((text, kind, draw.textbbox((x, y), text, font=font)))
    return scanned(im, rng), drawn


def pages(args: argparse.Namespace, fonts: list[Path]) -> None:
    """The rendered statements (see the module): amounts read right without and with the step."""
    pipeline = ocrkit.Pipeline(
        ocrkit.load_detector("craft", device=args.device, precision=args.precision),
        load_crnn(args))  # fmt: skip
    pointed = ocrkit.pipeline.pointed
    rng = np.random.default_rng(args.seed)
    right = {"without": Counter(), "with": Counter()}
    totals: Counter = Counter()
    changes: Counter = Counter()
    start = time.perf_counter()
    try:
        for n in range(args.pages):
            image, drawn = page(rng, fonts)
            # Without: neither the step nor the joins' use of it (a joined box read as digits).
            ocrkit.pipeline.pointed = lambda grey, polygon, text: text
            with step_swapped(add_points, lambda grey, words: list(words)):
                before = pipeline.read([image])[0]
            ocrkit.pipeline.pointed = pointed
            now = pipeline.read([image])[0]
            totals.update(kind for _, kind, _ in drawn)
            kinds = {text: kind for text, kind, _ in drawn}
            for name, words in (("without", before), ("with", now)):
                for w in words:
                    if w.text and w.text == drawn_at(w.polygon.mean(axis=0), drawn):
                        right[name][kinds[w.text]] += 1
            old_texts = {tuple(np.round(w.polygon.mean(axis=0))): w.text for w in before}
            for new in now:
                old = old_texts.get(tuple(np.round(new.polygon.mean(axis=0))))
                if old != new.text:
                    truth = drawn_at(new.polygon.mean(axis=0), drawn)
                    kind = ("fixed" if truth == new.text
                            else "broken" if truth == old else "neither")  # fmt: skip
                    changes[kind] += 1
                    print(f"page {n}: {old!r} -> {new.text!r} ({kind}; drawn {truth!r})",
                          file=sys.stderr, flush=True)  # fmt: skip
    finally:
        ocrkit.pipeline.pointed = pointed
    print(f"machine: {machine()}; device {args.device}; precision {args.precision}; "
          f"seed {args.seed}; {args.pages} pages, {time.perf_counter() - start:.0f} s\n")
    print("| amounts | count | read right, without the step | with it |\n| --- | --- | --- | --- |")
    for kind in KINDS:
        print(f"| {kind} | {totals[kind]} | {right['without'][kind]} | {right['with'][kind]} |")
    print(f"\nchanged readings: {changes['fixed']} fixed, {changes['broken']} broken, "
          f"{changes['neither']} neither")


def region_of(sample, image: np.ndarray) -> np.ndarray:
    """(4, 2) the sample's region, or the whole image's rectangle for a cropped-word dataset."""
    if sample.region is not None:
        return np.asarray(sample.region, np.float64)
    h, w = image.shape[:2]
    return np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)


def crop_sets(args: argparse.Namespace) -> None:
    """The word-crop sets (see the module): readings changed, made exact and made wrong."""
    rec = load_crnn(args)
    print("| crops | words | numbers read | changed | made exact | made wrong | neither "
          "| ms per number |\n| --- | --- | --- | --- | --- | --- | --- | --- |")
    changes = []
    for spec in args.set:
        samples, crops = cut_crops(spec, args.limit)
        keep = [i for i, s in enumerate(samples) if sum(c.isdigit() for c in s.text or "") >= 2]
        reads = [tidy_word(r.text) for r in rec.recognize([crops[i] for i in keep])]
        looked = changed = fixed = broken = 0
        seconds = 0.0
        for i, text in zip(keep, reads):
            if not (NUMBER.match(text) or CLOCK_READ.match(text)):
                continue
            s = samples[i]
            image = np.asarray(_cached_image(s.image))
            word = Word(region_of(s, image), text, 1.0, 1.0)
            start = time.perf_counter()
            new = add_points(image, [word])[0].text
            seconds += time.perf_counter() - start
            looked += 1
            if new == text:
                continue
            changed += 1
            fixed += new == s.text
            broken += text == s.text
            changes.append(f"{spec.split(':')[0]} {Path(s.image).name}: truth {s.text!r}, "
                           f"read {text!r} -> {new!r}")  # fmt: skip
        ms = 1000 * seconds / max(looked, 1)
        print(f"| {spec} | {len(samples)} | {looked} | {changed} | {fixed} | {broken} "
              f"| {changed - fixed - broken} | {ms:.2f} |")
    if args.show:
        print("\n" + "\n".join(changes))
    print(f"\nmachine: {machine()}; precision {args.precision}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", action="append", default=[], metavar="DATASET:PATH",
                   help="a recognition dataset, e.g. funsd_words:PATH, iiit5k:PATH (repeatable)")
    p.add_argument("--limit", type=int, default=0, help="first N crops per set (0 = all)")
    p.add_argument("--show", action="store_true", help="list every change of the crop sets")
    p.add_argument("--pages", type=int, default=0, help="rendered statements to read")
    p.add_argument("--seed", type=int, default=0, help="the rendered pages' seed")
    args, fonts = rendered_setup(p, argv)
    if not args.set and not args.pages:
        p.error("give --set DATASET:PATH (repeatable) or --pages N")
    if args.set:
        crop_sets(args)
    if args.pages:
        pages(args, fonts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
