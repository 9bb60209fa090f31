"""A 6000×4000 page with small text: memory and words found, default vs native resolution tiled.

    python benchmarks/bench_large_page.py                      # 6000×4000, CPU
    python benchmarks/bench_large_page.py --device cuda
    python benchmarks/bench_large_page.py --size 2400x1600     # a small proof run
    python benchmarks/bench_large_page.py --size 2480x3508 --font-scale 1.1   # A4 at 300 dpi, ~8 pt

The page is a grid of printed words about 14 px high (``--font-scale`` changes it: 1.1 gives
~28 px, 8-point type scanned at 300 dpi).
Variants, each in its own process so that its peak memory is its own:

- ``one-pass``: ``canvas_size=1280``, ``text_height=0`` (the reference's setting): the page is
  shrunk to 1280 px wide and the text to ~3 px: little is found.
- ``default``: the same first pass, then (``text_height=24``) a second pass at a larger scale
  if the words it found are small; it cannot help when the first pass finds nothing.
- ``tiled``: ``canvas_size`` = the page's long side, ``mag_ratio=1`` (every pixel seen), the
  default ``tile_size=2560``/``tile_overlap=256``: memory bounded by the tile.
- ``untiled`` (``--untiled``): the same resolution in one pass, ``tile_size`` above the page:
  what tiling saves (tens of GB on a 6000×4000 page; may not fit).

Prints time, peak memory (process RSS on the CPU; ``torch.cuda.max_memory_allocated`` on CUDA),
words found and recall against the drawn words (IoU > 0.5).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

FONT_SCALE = 0.55  # cv2 Hershey scale of the default page: words ~14 px high
WORDS = ["invoice", "total", "Name", "2026", "address", "OCR", "kit", "amount", "date", "signature"]


def page(height: int, width: int, font_scale: float = FONT_SCALE) -> tuple[np.ndarray, list[np.ndarray]]:
    """RGB page of words on a grid (14 px high, 32×128 px cells at the default ``font_scale``;
    both grow with it), and each word's box (4, 2)."""
    image = np.full((height, width, 3), 235, np.uint8)
    boxes, k = [], 0
    font, grow = cv2.FONT_HERSHEY_SIMPLEX, font_scale / FONT_SCALE
    thick = max(1, round(grow))
    cell_h, cell_w = round(32 * grow), round(128 * grow)
    for y in range(cell_h - 2, height - cell_h // 4, cell_h):
        for x in range(8, width - cell_w + 8, cell_w):
            word = WORDS[k % len(WORDS)]
            cv2.putText(image, word, (x, y), font, font_scale, (20, 20, 20), thick, cv2.LINE_AA)
            (tw, th), base = cv2.getTextSize(word, font, font_scale, thick)
            boxes.append(np.array([[x, y - th], [x + tw, y - th], [x + tw, y + base], [x, y + base]], np.float32))
            k += 1
    return image, boxes


def recall(found: list[np.ndarray], truth: list[np.ndarray]) -> float:
    """Share of drawn words matched one-to-one by a found box with axis-aligned IoU > 0.5."""
    def rect(q):
        return q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()

    cells: dict[tuple[int, int], list[int]] = {}
    for i, q in enumerate(found):  # bucket found boxes by 64-px cells around their centres
        x0, y0, x1, y1 = rect(q)
        cells.setdefault((int((y0 + y1) / 128), int((x0 + x1) / 128)), []).append(i)
    used, hits = set(), 0
    for q in truth:
        a = rect(q)
        cy, cx = int((a[1] + a[3]) / 128), int((a[0] + a[2]) / 128)
        for i in (i for dy in (-1, 0, 1) for dx in (-1, 0, 1) for i in cells.get((cy + dy, cx + dx), [])):
            if i in used:
                continue
            b = rect(found[i])
            iw, ih = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
            inter = max(iw, 0) * max(ih, 0)
            union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
            if inter / union > 0.5:
                used.add(i)
                hits += 1
                break
    return hits / max(len(truth), 1)


def run_variant(variant: str, height: int, width: int, device: str, font_scale: float) -> dict:
    import torch

    import ocrkit

    image, truth = page(height, width, font_scale)
    side = max(height, width)
    opts = {
        "one-pass": {"text_height": 0},
        "default": {},
        "tiled": {"canvas_size": side, "mag_ratio": 1.0, "text_height": 0},
        "untiled": {"canvas_size": side, "mag_ratio": 1.0, "text_height": 0, "tile_size": (side + 31) // 32 * 32},
    }[variant]
    det = ocrkit.load_detector("craft", device=device, **opts)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    t0 = time.perf_counter()
    found = det.detect([image])[0]
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    seconds = time.perf_counter() - t0
    peak = (torch.cuda.max_memory_allocated() / 2**20 if device.startswith("cuda")
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # fmt: skip
    return {"variant": variant, "options": opts, "seconds": round(seconds, 2), "peak_mib": round(peak),
            "rss_before_mib": round(base_rss), "words_drawn": len(truth), "words_found": len(found),
            "recall": round(recall([d.polygon for d in found], truth), 4)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", default="6000x4000", help="WIDTHxHEIGHT")
    p.add_argument("--device", default="cpu")
    p.add_argument("--font-scale", type=float, default=FONT_SCALE,
                   help=f"text size (cv2 font scale; {FONT_SCALE} = words ~14 px high)")
    p.add_argument("--untiled", action="store_true", help="also try one pass at full resolution")
    p.add_argument("--variant", help=argparse.SUPPRESS)  # internal: one variant in this process
    args = p.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    if args.variant:
        print(json.dumps(run_variant(args.variant, height, width, args.device, args.font_scale)))
        return 0
    text_px = cv2.getTextSize("Name", cv2.FONT_HERSHEY_SIMPLEX, args.font_scale, 1)
    print(f"machine: {json.dumps(machine())}; device {args.device}; page {width}×{height}; "
          f"words ~{text_px[0][1] + text_px[1]} px high\n")
    print("| variant | options | seconds | peak MiB | words found / drawn | recall |\n| --- | --- | --- | --- | --- | --- |")
    for variant in ["one-pass", "default", "tiled"] + (["untiled"] if args.untiled else []):
        cmd = [sys.executable, __file__, "--size", args.size, "--device", args.device, "--variant", variant,
               "--font-scale", str(args.font_scale)]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            why = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
            print(f"| {variant} | | failed: {why[:120]} | | | |", flush=True)
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        opts = " ".join(f"{k}={v}" for k, v in r["options"].items()) or "defaults"
        print(f"| {variant} | {opts} | {r['seconds']} | {r['peak_mib']} | {r['words_found']} / {r['words_drawn']} | {r['recall']:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
