"""How crops resample the page (``--crop-sampling``): words read exactly per sampling, by height.

    python benchmarks/bench_sampling.py --set funsd_words:../shared/data/funsd/dataset/testing_data \
        --set icdar2015:../shared/data/icdar2015/test --limit 3000

Each ``--set`` is a recognition dataset whose words are regions of larger images (``funsd_words``)
or a detection dataset (``icdar2015``, ``funsd``, ``totaltext``...), whose labelled words (text
given, not don't-care) are taken as regions. Every word is cut from its image as the pipeline's
quad crop cuts a region (``ocrkit.geometry.crop_quad``, margin 0.1, 64 rows), once per sampling,
and read by the CRNN (fp32, its defaults); a reading counts when it equals the truth as the
pipeline compares them (``common.exact_as_the_pipeline_reads``). Prints per set and sampling the
words read exactly, the same per band of the word's height in the image (px), the ms per crop of
the cut alone, and the machine. Whole-crop datasets (``iiit5k``, ``icdar2015_words``) have no
region to cut: the recogniser resizes them itself, as the reference does, whatever this option.
``--samplings lanczos-warp,lanczos`` compares the Lanczos cut of axis-aligned boxes through
OpenCV's 2-D warp (before) with the separable one (``ocrkit.resample``, now) in one run;
``--samplings lanczos-direct,lanczos`` the Lanczos cut of other quads (tilted words) warped
straight to the crop's size (before) with the warp at twice the word's scale and the separable
enlargement after it (``geometry.WARP_SCALE``, now).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import exact_as_the_pipeline_reads, machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.datasets.base import RecognitionSample  # noqa: E402
import ocrkit.geometry as geometry  # noqa: E402
from ocrkit.geometry import SAMPLINGS, crop_quad, quad_size, sampling_flag  # noqa: E402
from ocrkit.plugins import datasets, get_plugin_manager  # noqa: E402

WARP = "-warp"
DIRECT = "-direct"
BANDS = (0, 12, 16, 20, 28, 40, 64, 10**6)  # word heights in the image, px


def region_samples(spec: str) -> list[RecognitionSample]:
    """The words of ``DATASET:PATH`` as regions of their images (see the module)."""
    fmt, sep, path = spec.partition(":")
    if not sep:
        raise SystemExit(f"--set {spec!r}: expected DATASET:PATH")
    reader = datasets(get_plugin_manager()).get(fmt)(options={})
    samples = reader.load(Path(path))
    if reader.task == "detection":
        return [RecognitionSample(s.image, t.text, np.asarray(t.polygon, np.float32))
                for s in samples for t in s.targets if t.text and not t.ignore]  # fmt: skip
    regions = [s for s in samples if s.region is not None]
    if not regions:
        raise SystemExit(f"--set {spec!r}: whole crops, no regions to cut (see the module)")
    return regions


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", action="append", required=True, metavar="DATASET:PATH",
                   help="words as regions of their images (repeatable), e.g. funsd_words:PATH")
    p.add_argument("--samplings", default="linear,cubic,lanczos",
                   help="comma list of " + ", ".join(SAMPLINGS)
                        + ", lanczos-warp and lanczos-direct (see the module)")
    p.add_argument("--limit", type=int, default=0, help="first N words per set (0 = all)")
    args = p.parse_args(argv)
    names = [n for n in args.samplings.split(",") if n]
    try:
        flags = {n: sampling_flag(n.removesuffix(WARP).removesuffix(DIRECT)) for n in names}
    except ValueError as exc:
        p.error(str(exc))
    recognizer = ocrkit.load_recognizer("crnn", precision="fp32")
    separable, warp_scale = geometry._axis_aligned, geometry.WARP_SCALE
    decoded = lru_cache(maxsize=2)(ocrkit.read_image)  # a form's words come together
    bands = [f"{a}-{b}" if b < 10**6 else f"{a}+" for a, b in zip(BANDS, BANDS[1:])]
    print(f"machine: {json.dumps(machine())}\n")
    print("| set | sampling | words | read exactly | " + " | ".join(f"h {b} px" for b in bands)
          + " | cut ms/crop |")  # fmt: skip
    print("| --- " * (len(bands) + 5) + "|")
    for spec in args.set:
        samples = region_samples(spec)
        samples = samples[: args.limit] if args.limit else samples
        heights = np.array([quad_size(s.region)[1] for s in samples])
        counts = [int(((heights >= a) & (heights < b)).sum()) for a, b in zip(BANDS, BANDS[1:])]
        for name, flag in flags.items():
            crops, cut = [], 0.0
            # "lanczos-warp": every crop through OpenCV's 2-D warp (the cut before
            # ocrkit.resample took axis-aligned boxes), as a baseline in the same run.
            geometry._axis_aligned = (lambda quad: False) if name.endswith(WARP) else separable
            # "lanczos-direct": other quads warped straight to the crop's size (before);
            # "lanczos-warp" too (the cut before either change).
            direct = name.endswith((WARP, DIRECT))
            geometry.WARP_SCALE = float("inf") if direct else warp_scale
            for s in samples:
                image = decoded(s.image)
                t0 = time.perf_counter()
                crops.append(crop_quad(image, s.region, recognizer.height, interpolation=flag))
                cut += time.perf_counter() - t0
            geometry._axis_aligned, geometry.WARP_SCALE = separable, warp_scale
            read = recognizer.recognize(crops)
            right = np.array([exact_as_the_pipeline_reads(r.text, s.text) for r, s in zip(read, samples)])
            per_band = [f"{int(right[(heights >= a) & (heights < b)].sum())}/{n}"
                        for a, b, n in zip(BANDS, BANDS[1:], counts)]  # fmt: skip
            print(f"| {spec.split(':')[0]} | {name} | {len(samples)} | {int(right.sum())} | "
                  f"{' | '.join(per_band)} | {1e3 * cut / max(len(samples), 1):.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
