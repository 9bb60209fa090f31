"""Dollar signs the recogniser reads as a digit or an "s" (``ocrkit.currency``): rendered
prices read with and without the step.

    python benchmarks/bench_dollars.py --precision fp32

Renders, in the machine's sans, serif, monospaced, bold and condensed fonts at 12, 16, 20 and
24 px, one line of 4 "$" prices ("$611.03") and 4 prices that start with a real 5 or 8
("512.40"), and one of 4 whole-dollar amounts grouped by commas ("$14,123") and 4 numbers so
grouped that start with a real 5 or 8 ("514,123"). Each line is detected once and read by ``ocrkit.Pipeline`` (the defaults) with
the step and without it (``--tilt DEG`` turns each line first, as on a page scanned a little
askew). Prints the prices read exactly in each class and the machine.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import load_crnn, pick_font, rendered_setup  # noqa: E402
from bench_tokens import FAMILIES, Once, render  # noqa: E402
from common import machine, step_swapped  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.currency import mend_dollars  # noqa: E402


def tilted(image: np.ndarray, degrees: float) -> np.ndarray:
    """``image`` (RGB uint8) turned by ``degrees`` about its centre, on a canvas that holds it
    all, the corners white; ``degrees`` 0 gives it back as it is."""
    if not degrees:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    size = (int(w * cos + h * sin) + 1, int(w * sin + h * cos) + 1)
    m[:, 2] += (size[0] - w) / 2, (size[1] - h) / 2
    return cv2.warpAffine(image, m, size, flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255))


def unchanged(image: np.ndarray, words: Sequence[ocrkit.Word]) -> list[ocrkit.Word]:
    return list(words)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tilt", type=float, default=0.0,
                   help="turn each line by this many degrees (a page scanned a little askew)")
    args, fonts = rendered_setup(p, argv)
    detector = ocrkit.load_detector("craft", device=args.device, precision=args.precision)
    recognizer = load_crnn(args)
    steps = {"without": unchanged, "with": mend_dollars}
    rng = np.random.default_rng(11)
    rng_whole = np.random.default_rng(12)  # its own stream: the first lines stay as they were
    classes = ("dollar", "digit", "whole dollar", "whole digit")
    hits = {(name, cls): 0 for name in steps for cls in classes}
    count = 0

    def read(tokens: list[str], kinds: tuple[str, str], font: Path, px: int) -> None:
        """Detect the line of ``tokens`` once, read it with and without the step; count the
        even tokens (the first kind) and the odd ones read exactly."""
        image = tilted(render(tokens, font, px), args.tilt)
        once = Once(detector.detect([image])[0])
        for name, step in steps.items():
            with step_swapped(mend_dollars, step):  # the pipeline's dollar step
                got = [w.text for w in ocrkit.Pipeline(once, recognizer).read([image])[0]]
            hits[(name, kinds[0])] += sum(t in got for t in tokens[0::2])
            hits[(name, kinds[1])] += sum(t in got for t in tokens[1::2])

    for family in FAMILIES:
        for px in (12, 16, 20, 24):
            tokens = []
            for _ in range(4):
                tokens.append(f"${rng.integers(1, 999)}.{rng.integers(0, 100):02d}")
                tokens.append(f"{rng.choice(['5', '8'])}{rng.integers(10, 999)}."
                              f"{rng.integers(0, 100):02d}")  # fmt: skip
            count += 4
            read(tokens, ("dollar", "digit"), pick_font(fonts, family), px)
            tokens = []
            for _ in range(4):  # whole dollars grouped by commas, and numbers so grouped
                tokens.append(f"${rng_whole.integers(1, 999)},{rng_whole.integers(0, 1000):03d}")
                tokens.append(f"{rng_whole.choice(['5', '8'])}{rng_whole.integers(0, 99)},"
                              f"{rng_whole.integers(0, 1000):03d}")  # fmt: skip
            read(tokens, ("whole dollar", "whole digit"), pick_font(fonts, family), px)
    print(f"machine: {machine()}; device {args.device}; precision {args.precision}; "
          f"tilt {args.tilt:g} deg\n")
    print("| prices | count | read right, without the step | with it (default) |")
    print("| --- | --- | --- | --- |")
    for cls, label in (("dollar", '"$" first'), ("digit", "a real 5 or 8 first"),
                       ("whole dollar", '"$" first, whole dollars grouped ("$14,123")'),
                       ("whole digit", 'a real 5 or 8 first, grouped ("514,123")')):
        print(f"| {label} | {count} | {hits[('without', cls)]} | {hits[('with', cls)]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
