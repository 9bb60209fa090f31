"""Tilted and upside-down documents read end to end: before vs the default orientation handling.

    python benchmarks/bench_tilt.py                 # 2 seeds, tilts −45° … 45°, 90°, 150°, 180°
    python benchmarks/bench_tilt.py --seeds 1 --angles=-90,30 --precision fp32

Scenes, rendered here with the machine's fonts (so the text is known exactly), each turned by
every angle (counter-clockwise, on a canvas grown to hold it):

- ``card``: the ID-card photo of ``bench_small_text`` (1400×1000; perspective, uneven light,
  blur, noise, JPEG 70): labels, values and a machine-readable zone;
- ``memo``: a 1100×800 page of twelve lines of 26 px prose, a third of its words two letters
  long ("of", "to", "US"): the words whose box the reference fits upright (near-square) or at
  whatever angle their ink suggests.

Each image is read by ``ocrkit.Pipeline`` (CRAFT + CRNN, ``ocrkit run``'s defaults) twice:
``before``, with CRAFT's ``follow_page=false`` (the reference's fit of near-square words) and
``upside_down="off"``; and with the defaults (near-square words boxed along the image's long
words, every box's corners along them; images whose widest words read better turned by 180°
read turned; images turned by 90° detected again upright). Prints words read exactly (multiset
match against the rendered words), seconds, and the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import card, load_crnn, pick_font, read_right, rendered_setup  # noqa: E402
from common import machine  # noqa: E402

import ocrkit  # noqa: E402

SHORT = "of to in at on by is as or we us an be it no so up do if my US UK ID".split()
LONG = ("the report shows that our sales grew over last year and costs fell while new orders came "
        "from abroad please send copies before friday meeting notes account manager").split()  # fmt: skip
SCENES = ("card", "memo")


def memo(rng: np.random.Generator, fonts: list[Path]) -> tuple[np.ndarray, list[str]]:
    """A 1100×800 white page of twelve 26 px lines, a third of the words two letters long."""
    im = Image.new("RGB", (1100, 800), (255, 255, 255))
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(pick_font(fonts, "sans")), 26)
    truth: list[str] = []
    for k in range(12):
        line = [str(rng.choice(SHORT if rng.random() < 1 / 3 else LONG)) for _ in range(9)]
        d.text((60, 60 + 56 * k), " ".join(line), font=font, fill=(20, 20, 20))
        truth += line
    return np.asarray(im), truth


def turned(image: np.ndarray, degrees: float, fill: tuple[int, int, int]) -> np.ndarray:
    """``image`` turned counter-clockwise by ``degrees`` on a canvas grown to hold all of it."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    c, s = abs(m[0, 0]), abs(m[0, 1])
    size = (int(round(h * s + w * c)), int(round(h * c + w * s)))
    m[:, 2] += (size[0] - w) / 2, (size[1] - h) / 2
    return cv2.warpAffine(image, m, size, flags=cv2.INTER_LINEAR, borderValue=fill)


def scene(name: str, seed: int, fonts: list[Path]) -> tuple[np.ndarray, list[str], tuple[int, int, int]]:
    """The upright image of a scene, its words and the colour around it when turned."""
    rng = np.random.default_rng(seed)
    if name == "card":
        image, truth = card(rng, fonts)
        return image, truth, (90, 90, 90)  # the photo's background grey
    image, truth = memo(rng, fonts)
    return image, truth, (255, 255, 255)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=2, help="images per scene (seeds 0..N-1)")
    p.add_argument("--angles", default="-45,-30,-15,0,15,30,45,90,150,180",
                   help="tilts in degrees, counter-clockwise")
    p.add_argument("--scenes", default=",".join(SCENES))
    args, fonts = rendered_setup(p, argv)
    scenes = [s for s in args.scenes.split(",") if s]
    unknown = sorted(set(scenes) - set(SCENES))
    if unknown:
        p.error(f"unknown scene(s) {', '.join(unknown)}; choose from {', '.join(SCENES)}")
    angles = [float(a) for a in args.angles.split(",") if a]
    rec = load_crnn(args)
    opts = {"device": args.device, "precision": args.precision}
    before = ocrkit.load_detector("craft", follow_page=False, **opts)
    pipes = {"before": ocrkit.Pipeline(before, rec, upside_down="off"),
             "default": ocrkit.Pipeline(ocrkit.load_detector("craft", **opts), rec)}
    totals: dict[tuple[str, float], dict[str, list[float]]] = {}
    for name in scenes:
        for seed in range(args.seeds):
            upright, truth, fill = scene(name, seed, fonts)
            for angle in angles:
                image = turned(upright, angle, fill)
                row = {"scene": name, "seed": seed, "angle": angle, "words": len(truth)}
                for setting, pipe in pipes.items():
                    t0 = time.perf_counter()
                    hits = read_right(pipe.read([image])[0], truth)
                    t = totals.setdefault((name, angle), {}).setdefault(setting, [0, 0, 0.0])
                    t[0], t[1], t[2] = t[0] + hits, t[1] + len(truth), t[2] + time.perf_counter() - t0
                    row[setting] = hits
                print(json.dumps(row), file=sys.stderr, flush=True)
    print(f"machine: {json.dumps(machine())}; device {args.device}; precision {args.precision}; "
          f"fonts e.g. {pick_font(fonts, 'sans').name}\n")
    print("| scene | tilt | words | read right, before (follow_page=false, upside_down=off) | default "
          "| seconds, before → default |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (name, angle), t in totals.items():
        (h0, n, s0), (h1, _, s1) = t["before"], t["default"]
        print(f"| {name} | {angle:g}° | {n} | {h0} ({h0 / n:.3f}) | {h1} ({h1 / n:.3f}) "
              f"| {s0:.1f} → {s1:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
