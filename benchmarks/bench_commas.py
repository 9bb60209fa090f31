"""Final commas (``ocrkit.periods``) on rendered lines: words read right with periods only
added (before) and with periods and commas (now).

    python benchmarks/bench_commas.py                  # 5 fonts × 14, 20, 28 px, seed 0
    python benchmarks/bench_commas.py --seed 1 --precision fp32

Renders, in the machine's sans, serif, monospaced, bold and condensed fonts at 14, 20 and 28 px,
a 1400-px-wide page of eight lines of six words, each word followed by a comma (35 %), a period
(15 %) or nothing; the serif and bold pages blurred and noised like a scan. Each page is
detected once and read by ``ocrkit.Pipeline`` (``ocrkit run``'s defaults) twice: with the final
period step only, and with the current step (periods and commas). Prints, per class (words
ending in a comma, a period, or bare), the words read exactly (multiset match), each page's
changed readings, and the machine.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import WORDS, load_crnn, pick_font, rendered_setup  # noqa: E402
from bench_tokens import Once  # noqa: E402
from common import machine, step_swapped  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.ink import grey_of  # noqa: E402
from ocrkit.periods import add_periods, trailing_period  # noqa: E402

FAMILIES = ("sans", "serif", "mono", "sans-bold", "sans-condensed")
SIZES = (14, 20, 28)


def periods_only(image: np.ndarray, words: Sequence[ocrkit.Word]) -> list[ocrkit.Word]:
    """The final-period step alone (before commas were added)."""
    grey, out = grey_of(image), list(words)
    for k, w in enumerate(words):
        ends_alnum = bool(w.text) and w.text[-1].isalnum() and len(w.polygon) == 4
        if ends_alnum and trailing_period(grey, w.polygon):
            out[k] = replace(w, text=f"{w.text}.")
    return out


def page(
    rng: np.random.Generator, font: ImageFont.FreeTypeFont, px: int, scan: bool
) -> tuple[np.ndarray, list[str]]:
    """Eight lines of six words, each followed by ",", "." or nothing; RGB image and words."""
    im = Image.new("RGB", (1400, 40 + 8 * int(px * 2)), (255, 255, 255))
    draw, truth = ImageDraw.Draw(im), []
    for row in range(8):
        tokens = []
        for _ in range(6):
            w, r = str(rng.choice(WORDS)), rng.random()
            tokens.append(w + "," if r < 0.35 else w + "." if r < 0.5 else w)
        draw.text((30, 20 + row * int(px * 2)), " ".join(tokens), font=font, fill=(0, 0, 0))
        truth += tokens
    image = np.asarray(im)
    if scan:
        image = cv2.GaussianBlur(image, (0, 0), 0.7)
        image = (image + rng.normal(0, 6, image.shape)).clip(0, 255).astype(np.uint8)
    return image, truth


def kind(token: str) -> str:
    return "comma" if token.endswith(",") else "period" if token.endswith(".") else "bare"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=0)
    args, fonts = rendered_setup(p, argv)
    detector = ocrkit.load_detector("craft", device=args.device, precision=args.precision)
    recognizer = load_crnn(args)
    steps = {"before": periods_only, "now": add_periods}
    rng = np.random.default_rng(args.seed)
    hits = {name: Counter() for name in steps}
    totals: Counter = Counter()
    for family in FAMILIES:
        for px in SIZES:
            font = ImageFont.truetype(str(pick_font(fonts, family)), px)
            image, truth = page(rng, font, px, scan=family in ("serif", "sans-bold"))
            totals.update(kind(t) for t in truth)
            once = Once(detector.detect([image])[0])
            texts = {}
            for name, step in steps.items():
                with step_swapped(add_periods, step):  # the pipeline's final-mark step
                    words = ocrkit.Pipeline(once, recognizer).read([image])[0]
                texts[name] = [w.text for w in words]
                for token, n in (Counter(truth) & Counter(texts[name])).items():
                    hits[name][kind(token)] += n
            changed = [(a, b) for a, b in zip(texts["before"], texts["now"]) if a != b]
            print(f"{family} {px} px: {changed}", file=sys.stderr, flush=True)
    print(f"machine: {machine()}; device {args.device}; precision {args.precision}; "
          f"seed {args.seed}\n")
    print("| words | count | read right, periods only | read right, periods and commas |")
    print("| --- | --- | --- | --- |")
    for name, label in (("comma", "ending in a comma"), ("period", "ending in a period"),
                        ("bare", "bare")):  # fmt: skip
        print(f"| {label} | {totals[name]} | {hits['before'][name]} | {hits['now'][name]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
