"""CRAFT training targets: region + affinity label maps per second for a 768×768 image with
200 characters (40 words of 5), on this machine's CPU (one process, one thread of numpy/cv2).

    python benchmarks/bench_labels.py [--chars 200] [--size 768] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402


def words_of(chars: int, size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Random slanted words of 5 characters (20–40 px) scattered over the image."""
    out = []
    for _ in range(chars // 5):
        h = rng.uniform(20, 40)
        x, y = rng.uniform(0, size - 6 * h), rng.uniform(0, size - h)
        slope = rng.uniform(-0.2, 0.2)
        quads = [[[x + k * h, y + slope * k * h], [x + (k + 0.8) * h, y + slope * (k + 0.8) * h],
                  [x + (k + 0.8) * h, y + h + slope * (k + 0.8) * h], [x + k * h, y + h + slope * k * h]]
                 for k in range(5)]  # fmt: skip
        out.append(np.array(quads))
    return out


def main(argv: list[str] | None = None) -> int:
    import cv2

    from ocrkit_craft.labels import affinity_map, region_map

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--chars", type=int, default=200)
    p.add_argument("--size", type=int, default=768)
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args(argv)
    cv2.setNumThreads(1)
    rng = np.random.default_rng(0)
    words = words_of(args.chars, args.size, rng)
    chars = np.concatenate(words)
    region_map(chars, (args.size, args.size))  # warm-up (template cache)
    t = time.perf_counter()
    for _ in range(args.repeat):
        region_map(chars, (args.size, args.size))
        affinity_map(words, (args.size, args.size))
    per = (time.perf_counter() - t) / args.repeat
    print("| image | characters | ms per region+affinity pair | pairs/s |")
    print("| --- | --- | --- | --- |")
    print(f"| {args.size}×{args.size} | {len(chars)} | {per * 1000:.1f} | {1 / per:.1f} |")
    print(json.dumps({"machine": machine(), "size": args.size, "chars": len(chars), "seconds": per}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
