"""Host (CPU) work of the end-to-end path per image, networks excluded: CRAFT's box step, word
crops, CRNN input batches and CTC decoding — what must keep up with a GPU that runs the networks.

    python benchmarks/bench_host.py            # the reference's 9 images (7 ICDAR 2015, 2 FUNSD)

Uses the reference's saved score maps (``../shared/reference/craft``) and their images, the
real CRNN (its outputs are computed once, untimed), one thread. Decoding is timed both ways the
recogniser can do it: best path reduced on the device (greedy, the default) and full T×C
matrices scanned in numpy (beam search needs them).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_postprocess import REFERENCE_MAPS  # noqa: E402
from common import machine  # noqa: E402


def best_ms(fn: Callable[[], object], repeat: int) -> float:
    """Fastest of ``repeat`` calls, ms (the least disturbed by other processes)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


def main(argv: list[str] | None = None) -> int:
    import torch
    from ocrkit_craft.postprocess import detect_boxes
    from ocrkit_crnn.decode import collapse, confidence, greedy, path_confidence
    from ocrkit_crnn.preprocess import HEIGHT, resize_to_height, to_batch, to_grey

    import ocrkit
    from ocrkit.geometry import polygon_to_quad

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--maps", type=Path, default=REFERENCE_MAPS, help="reference folder (index.json, *.npz)")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    index = json.loads((args.maps / "index.json").read_text())["images"]
    data = args.maps.parents[1] / "data"
    torch.set_num_threads(1)

    rec = ocrkit.load_recognizer("crnn")
    pipe = ocrkit.Pipeline(ocrkit.load_detector("mser"), rec)  # only its crop step is used
    rows = []
    for stem, rel in index.items():
        image = ocrkit.read_image(data / rel)
        with np.load(args.maps / f"{stem}.npz") as maps:
            region, affinity, ratio = maps["region"], maps["affinity"], float(maps["ratio"])
        comps = detect_boxes(region, affinity, 0.7, 0.4, 0.4)
        dets = [ocrkit.Detection(polygon_to_quad(b * 2.0 / ratio), s) for b, s in zip(comps.boxes, comps.scores)]
        crops = [pipe.crop(image, d) for d in dets]
        greys = [resize_to_height(to_grey(c), HEIGHT) for c in crops]
        buckets: dict[int, list] = {}
        for g, w in greys:
            buckets.setdefault(w, []).append(g)
        probs = rec.probabilities(greys)  # the network, untimed
        by_frames: dict[int, list] = {}  # the recogniser's batches: crops of one bucket width
        for m in probs:
            by_frames.setdefault(m.shape[0], []).append(m)
        stacked = [torch.from_numpy(np.stack(v)) for v in by_frames.values()]  # N×T×C each

        def crnn_input() -> None:  # grey, height 64, then one padded float batch per bucket
            [resize_to_height(to_grey(c), HEIGHT) for c in crops]
            [to_batch(v, w) for w, v in buckets.items()]

        def device_decode() -> None:
            for t in stacked:  # as CrnnRecognizer.best_paths: one reduction per batch
                maxima, best = t.max(dim=2)
                for b, m in zip(best.numpy(), maxima.numpy()):
                    collapse(b), path_confidence(b, m)

        row = {
            "image": stem, "words": len(dets),
            "box step": best_ms(lambda: detect_boxes(region, affinity, 0.7, 0.4, 0.4), args.repeat),
            "crops": best_ms(lambda: [pipe.crop(image, d) for d in dets], args.repeat),
            "CRNN input": best_ms(crnn_input, args.repeat),
            "decode (best path)": best_ms(device_decode, args.repeat),
            "decode (T×C numpy)": best_ms(lambda: [(greedy(m), confidence(m)) for m in probs], args.repeat),
        }  # fmt: skip
        rows.append(row)
    cols = ["box step", "crops", "CRNN input", "decode (best path)", "decode (T×C numpy)"]
    print("| image | words | " + " | ".join(f"{c} ms" for c in cols) + " | host ms (best path) |")
    print("| --- | --- |" + " --- |" * (len(cols) + 1))
    for r in rows:
        host = sum(r[c] for c in cols[:4])
        print(f"| {r['image']} | {r['words']} | " + " | ".join(f"{r[c]:.2f}" for c in cols) + f" | {host:.2f} |")
    print(json.dumps({"rows": rows, "machine": machine()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
