"""Curved words read end to end: boxes only, polygons for bent words (the default), polygons always.

    python benchmarks/bench_curved.py                  # 24 images per scene
    python benchmarks/bench_curved.py --per-scene 4 --precision fp32
    python benchmarks/bench_curved.py --seed 1 --per-scene 32   # other renders, to check a change
    python benchmarks/bench_curved.py --perspective             # as photographed at an angle
    python benchmarks/bench_curved.py --zoom 5 --noise 40      # large type with sensor noise

Scenes, rendered here with the machine's fonts (``ocrkit.testing.curved_text_image``; a bold
sans, a serif and a condensed or mono face in turn, 30–54 px type), so the text is known exactly:

- ``arc-word``: one word on a circle of radius 2, 3, 5 or 8 text heights, over the top of the
  circle (a stamp's upper rim) or under it (its lower rim);
- ``arc-phrase``: two words on one circle spanning 2.6–3.4 radians of it, so each word has a
  neighbour along the curve, as on a stamp, a logo or a bottle;
- ``sine-word``: one word on a sine baseline of amplitude 0.3 or 0.8 text heights;
- ``straight``: one word on a straight baseline (a sine of amplitude 0): the control, where every
  setting should read the same;
- ``tight-arc``: one word on a circle of radius 1.25, 1.5 or 2 text heights, over or under it (a
  round badge or seal), where CRAFT's column-wise polygon step gives up or cuts the end letters.

With ``--perspective`` each image is warped as if photographed at an angle: its top edge
narrowed by 12–22 % of the width on each side and the page squashed by 5–15 % top and bottom,
or, every other image, its left edge shortened instead (seeded per image), so a circle becomes
an ellipse and the letters' upright direction is no longer its radius. ``--zoom K`` renders the
type K times larger (a close-up from a phone: 150–270 px type at K = 5), and ``--noise S`` adds
Gaussian noise of S grey levels (seeded per image), as a photo's sensor noise.

Each image is read by ``ocrkit.Pipeline`` (CRAFT + CRNN, ``ocrkit run``'s defaults) with
``poly=false`` (boxes: the reference's default), ``poly=auto`` (the default: a polygon, straightened
by TPS, only for words that bend) and ``poly=true`` (the reference's ``--poly``: a polygon for every
word it can follow). Prints words read exactly (multiset match), the regions that kept a polygon,
seconds, and the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_small_text import load_crnn, pick_font, read_right, rendered_setup  # noqa: E402
from common import machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.geometry import SAMPLINGS  # noqa: E402
from ocrkit.testing import curved_text_image  # noqa: E402

WORDS = ("COFFEE Bakery PREMIUM harbour Station GOLDEN market QUALITY Garden ORGANIC village SUNRISE "
         "FRESH bread House CITY Hotel Since 1952 NATURAL farm Original Pizza Brewery").split()  # fmt: skip
SETTINGS = ("false", "auto", "true")
SCENES = ("arc-word", "arc-phrase", "sine-word", "straight", "tight-arc")


def scene_images(
    scene: str, count: int, fonts: list[Path], seed: int = 0, zoom: float = 1.0
) -> list[tuple[np.ndarray, list[str]]]:
    """``count`` images of one scene with their words; ``seed`` picks another set of renders,
    ``zoom`` multiplies the type size (and the image with it)."""
    rng = np.random.default_rng(SCENES.index(scene) + 100 * seed)
    faces = [pick_font(fonts, k) for k in ("sans-bold", "serif", "condensed")]
    out = []
    for i in range(count):
        scale = float(rng.choice([1.0, 1.4, 1.8])) * zoom  # 30, 42, 54 px type (× zoom)
        th = 0.75 * 30 * scale  # ~ the ink height of a capital, px
        words = [str(w) for w in rng.choice(WORDS, 2 if scene == "arc-phrase" else 1, replace=False)]
        text = " ".join(words)
        common = dict(scale=scale, font=faces[i % 3], concave=bool(i % 2))
        if scene == "arc-word":
            ratio = float([2, 3, 5, 8][(i // 2) % 4])
            size = (int((ratio + 6) * th), int((2 * ratio + 8) * th))
            image = curved_text_image(text, "arc", size=size, radius_ratio=ratio, **common)
        elif scene == "arc-phrase":
            length = 0.55 * 30 * scale * len(text)  # ~ the phrase's length along its baseline, px
            ratio = max(length / rng.uniform(2.6, 3.4), 2.5 * th) / th
            size = (int((ratio + 6) * th), int((2 * ratio + 6) * th))
            image = curved_text_image(text, "arc", size=size, radius_ratio=ratio, **common)
        elif scene == "tight-arc":
            ratio = float([1.25, 1.5, 2.0][i % 3])
            size = (int((ratio + 6) * th), int((2 * ratio + 8) * th))
            common["concave"] = bool((i // 3) % 2)
            image = curved_text_image(text, "arc", size=size, radius_ratio=ratio, **common)
        elif scene == "sine-word":
            amp = float([0.3, 0.8][(i // 2) % 2])
            size = (int(8 * th), int((0.6 * len(text) + 6) * th * 1.2))
            image = curved_text_image(text, "sine", size=size, amplitude_ratio=amp, **common)
        else:
            size = (int(6 * th), int((0.6 * len(text) + 6) * th * 1.2))
            image = curved_text_image(text, "sine", size=size, amplitude_ratio=0.0, **common)
        out.append((image, words))
    return out


def photographed(image: np.ndarray, index: int) -> np.ndarray:
    """``image`` warped by a seeded perspective (a keystone and a squash; see the module)."""
    h, w = image.shape[:2]
    rng = np.random.default_rng(index)
    a, b = rng.uniform(0.12, 0.22), rng.uniform(0.05, 0.15)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    if index % 2:
        dst = np.float32([[0, h * b], [w, 0], [w, h], [0, h * (1 - b)]])
    else:
        dst = np.float32([[w * a, h * b], [w * (1 - a), h * b], [w, h * (1 - b)], [0, h * (1 - b)]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, matrix, (w, h), borderValue=tuple(int(x) for x in image[0, 0]))


def noisy(image: np.ndarray, sigma: float, index: int) -> np.ndarray:
    """``image`` plus Gaussian noise of ``sigma`` grey levels, seeded by ``index``, clipped."""
    noise = np.random.default_rng(1000 + index).normal(0.0, sigma, image.shape)
    return np.clip(image.astype(np.float64) + noise, 0, 255).astype(np.uint8)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--per-scene", type=int, default=24, help="images per scene")
    p.add_argument("--scenes", default=",".join(SCENES))
    p.add_argument("--seed", type=int, default=0, help="another set of renders (0: the one in RESULTS.md)")
    p.add_argument("--settings", default=",".join(SETTINGS), help="poly settings to run, of false,auto,true")
    p.add_argument("--perspective", action="store_true", help="warp each image as photographed at an angle")
    p.add_argument("--zoom", type=float, default=1.0, help="type size × this (images grow with it)")
    p.add_argument("--noise", type=float, default=0.0, help="Gaussian noise added, grey levels (0: none)")
    p.add_argument("--crop-sampling", choices=tuple(SAMPLINGS), default="lanczos",
                   help="how crops resample the page, as ocrkit run --crop-sampling")
    args, fonts = rendered_setup(p, argv)
    if args.zoom <= 0 or args.noise < 0:
        p.error(f"--zoom must be > 0 and --noise ≥ 0, got {args.zoom} and {args.noise}")
    settings = args.settings.split(",")
    if any(s not in SETTINGS for s in settings):
        p.error(f"--settings: a comma-separated list of {', '.join(SETTINGS)}, got {args.settings!r}")
    rec = load_crnn(args)
    pipes = {s: ocrkit.Pipeline(ocrkit.load_detector("craft", device=args.device, precision=args.precision,
                                                     poly=s), rec, crop_sampling=args.crop_sampling)
             for s in settings}  # fmt: skip
    rows = []
    for scene in args.scenes.split(","):
        images = scene_images(scene, args.per_scene, fonts, args.seed, args.zoom)
        if args.perspective:
            images = [(photographed(image, i), words) for i, (image, words) in enumerate(images)]
        if args.noise:
            images = [(noisy(image, args.noise, i), words) for i, (image, words) in enumerate(images)]
        row = {"scene": scene, "words": sum(len(w) for _, w in images)}
        for setting, pipe in pipes.items():
            t0 = time.perf_counter()
            found = [pipe.read([image])[0] for image, _ in images]
            row[setting] = {
                "read": sum(read_right(f, w) for f, (_, w) in zip(found, images)),
                "polygons": sum(len(x.polygon) > 4 for f in found for x in f),
                "seconds": round(time.perf_counter() - t0, 2),
            }
        print(json.dumps(row), file=sys.stderr, flush=True)
        rows.append(row)
    print(f"machine: {json.dumps(machine())}; device {args.device}; precision {args.precision}; "
          f"seed {args.seed}{'; photographed at an angle' if args.perspective else ''}; "
          f"zoom {args.zoom:g}; noise {args.noise:g}; "
          f"fonts {', '.join(pick_font(fonts, k).name for k in ('sans-bold', 'serif', 'condensed'))}\n")
    names = {"false": "boxes (poly=false)", "auto": "default (poly=auto)", "true": "poly=true"}
    print("| scene | words | " + " | ".join(f"read right: {names[s]}" for s in settings)
          + " | regions with a polygon | seconds |")
    print("| --- | --- | " + " | ".join("---" for _ in settings) + " | --- | --- |")
    for r in rows:
        cells = [f"{r[s]['read']} ({r[s]['read'] / r['words']:.3f})" for s in settings]
        print(f"| {r['scene']} | {r['words']} | {' | '.join(cells)} | "
              f"{' / '.join(str(r[s]['polygons']) for s in settings)} | "
              f"{' / '.join(str(r[s]['seconds']) for s in settings)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
