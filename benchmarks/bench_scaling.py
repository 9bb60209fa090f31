"""Cost growth of CRAFT detection: time vs image area and vs number of words.

    python benchmarks/bench_scaling.py                         # 0.25–12 MP, 10–2000 words
    python benchmarks/bench_scaling.py --areas 0.25,0.5,1 --words 10,100,200 --side 1024   # small CPU run

Pages are generated (dark words in a grid, text 20 px high), detected at their own size
(``canvas_size`` = long side, ``mag_ratio`` = 1, so the network sees every pixel). Network time
(``score_maps``) and post-processing (components, boxes) are timed separately; linear growth
shows as a flat "ms per MP" column (area sweep) and a flat "post ms per word" (word sweep).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

import ocrkit  # noqa: E402

WORDS = ["invoice", "total", "Name", "2026", "address", "OCR", "kit", "amount", "date", "signature"]


def page(height: int, width: int, n_words: int | None) -> np.ndarray:
    """RGB page with words on a grid (row pitch 32 px, column pitch 128 px, text ≈ 14 px high);
    all cells filled when ``n_words`` is None, else the first ``n_words`` cells."""
    image = np.full((height, width, 3), 235, np.uint8)
    k = 0
    for y in range(30, height - 8, 32):
        for x in range(8, width - 120, 128):
            if n_words is not None and k >= n_words:
                return image
            cv2.putText(image, WORDS[k % len(WORDS)], (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (20, 20, 20), 1)
            k += 1
    return image


def timed(det, image: np.ndarray, device: str) -> tuple[float, float, int]:
    """(network s, post-processing s, words found) for one image."""
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    ((maps, resized),) = det.score_maps([image])
    t1 = time.perf_counter()
    found = det._postprocess(maps, resized)
    return t1 - t0, time.perf_counter() - t1, len(found)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--areas", default="0.25,1,3,6,12", help="megapixels (4:3 pages)")
    p.add_argument("--words", default="10,100,500,1000,2000")
    p.add_argument("--side", type=int, default=3072, help="square page side for the word sweep (2,000 words fit in 3072)")
    p.add_argument("--device", default="cpu")
    p.add_argument("--det-opt", action="append", default=[], metavar="KEY=VALUE")
    args = p.parse_args(argv)
    from ocrkit.config import parse_assignments

    opts = parse_assignments(args.det_opt, "--det-opt")
    print(f"machine: {json.dumps(machine())}; device {args.device}; options {opts}\n")
    print("| megapixels | size | network s | post s | ms per MP (total) | words found |\n| --- | --- | --- | --- | --- | --- |")
    for mp in [float(a) for a in args.areas.split(",")]:
        w = int(math.sqrt(mp * 1e6 * 4 / 3)) // 32 * 32
        h = int(w * 3 / 4) // 32 * 32
        det = ocrkit.load_detector("craft", device=args.device, canvas_size=max(h, w), mag_ratio=1.0, **opts)
        image = page(h, w, None)
        det.score_maps([image[:64, :64]])  # warm-up
        net, post, found = timed(det, image, args.device)
        print(f"| {h * w / 1e6:.2f} | {w}×{h} | {net:.3f} | {post:.3f} | {(net + post) * 1e3 / (h * w / 1e6):.0f} | {found} |", flush=True)
    side = args.side // 32 * 32
    det = ocrkit.load_detector("craft", device=args.device, canvas_size=side, mag_ratio=1.0, **opts)
    print(f"\n| words on a {side}×{side} page | network s | post s | post ms per word | words found |\n| --- | --- | --- | --- | --- |")
    for n in [int(x) for x in args.words.split(",")]:
        net, post, found = timed(det, page(side, side, n), args.device)
        print(f"| {n} | {net:.3f} | {post:.3f} | {post * 1e3 / max(n, 1):.2f} | {found} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
