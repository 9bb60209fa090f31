"""Dollar signs the recogniser reads as a digit or an "s" (``ocrkit.currency``): rendered
prices read with and without the step.

    python benchmarks/bench_dollars.py --precision fp32

Renders, in the machine's sans, serif, monospaced, bold and condensed fonts at 12, 16, 20 and
24 px, one line of 4 "$" prices ("$611.03") and 4 prices that start with a real 5 or 8
("512.40"). Each line is detected once and read by ``ocrkit.Pipeline`` (the defaults) with
the step and without it. Prints the prices read exactly in each class and the machine.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import pick_font, rendered_setup  # noqa: E402
from bench_tokens import FAMILIES, Once, render  # noqa: E402
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
import ocrkit.pipeline  # noqa: E402


def unchanged(image: np.ndarray, words: Sequence[ocrkit.Word]) -> list[ocrkit.Word]:
    return list(words)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args, fonts = rendered_setup(p, argv)
    detector = ocrkit.load_detector("craft", device=args.device, precision=args.precision)
    recognizer = ocrkit.load_recognizer("crnn", device=args.device, precision=args.precision)
    steps = {"without": unchanged, "with": ocrkit.pipeline.mend_dollars}
    rng = np.random.default_rng(11)
    hits = {(name, cls): 0 for name in steps for cls in ("dollar", "digit")}
    count = 0
    try:
        for family in FAMILIES:
            for px in (12, 16, 20, 24):
                tokens = []
                for _ in range(4):
                    tokens.append(f"${rng.integers(1, 999)}.{rng.integers(0, 100):02d}")
                    tokens.append(f"{rng.choice(['5', '8'])}{rng.integers(10, 999)}."
                                  f"{rng.integers(0, 100):02d}")  # fmt: skip
                image = render(tokens, pick_font(fonts, family), px)
                once = Once(detector.detect([image])[0])
                count += 4
                for name, step in steps.items():
                    ocrkit.pipeline.mend_dollars = step  # the pipeline's dollar step
                    got = [w.text for w in ocrkit.Pipeline(once, recognizer).read([image])[0]]
                    hits[(name, "dollar")] += sum(t in got for t in tokens[0::2])
                    hits[(name, "digit")] += sum(t in got for t in tokens[1::2])
    finally:
        ocrkit.pipeline.mend_dollars = steps["with"]
    print(f"machine: {machine()}; device {args.device}; precision {args.precision}\n")
    print("| prices | count | read right, without the step | with it (default) |")
    print("| --- | --- | --- | --- |")
    for cls, label in (("dollar", '"$" first'), ("digit", "a real 5 or 8 first")):
        print(f"| {label} | {count} | {hits[('without', cls)]} | {hits[('with', cls)]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
