"""Where the host's time goes in ``ocrkit run``'s whole default pipeline, per image, the networks'
passes set apart: what bounds end-to-end throughput per process once a GPU runs the networks.

    python benchmarks/bench_host_pipeline.py --limit 10                      # ICDAR 2015 test
    python benchmarks/bench_host_pipeline.py --dataset funsd \\
        --data ../shared/data/funsd/dataset/testing_data --limit 3          # dense forms

Reads the images with ``ocrkit.Pipeline`` (CRAFT + CRNN, the CLI's defaults; ``crop_threads=1``
so that the stages add up) under cProfile, after one untimed image, and charges each function's
own time to a stage by its module: the networks (torch), CRAFT's input preparation (on a GPU
the detector does it there) and its boxes, crops
(``geometry``, ``resample``, the crop hooks), ruling lines, the recogniser's host work (input
batches, decoding), the lexicon and other spelling steps, and the pipeline's other steps.
Time in numpy, OpenCV and the standard library goes to the stage that called it (split by
callers as cProfile counts them). Prints ms per image per stage, the host total (all but the
networks) and the throughput it bounds a single process to, and the machine. On a CPU the
networks' share is their whole run; the host figures are what a GPU run keeps.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_image_set, machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.plugins import datasets, get_plugin_manager  # noqa: E402

# (path fragment, stage), first match wins; a function in none of them is a library's.
STAGES = (
    ("/torch/", "networks"),
    ("ocrkit_craft/model.py", "networks"),  # tensor arithmetic in a forward is its own time
    ("ocrkit_crnn/model.py", "networks"),
    ("ocrkit/layers.py", "networks"),  # the models' shared layers (max-pool)
    ("ocrkit_craft/preprocess.py", "CRAFT input (resize, normalise)"),
    ("ocrkit_craft/device_prep.py", "CRAFT input (resize, normalise)"),
    ("ocrkit_craft/", "CRAFT boxes, polygons, second scale"),
    ("ocrkit/geometry.py", "crops"),
    ("ocrkit/resample.py", "crops"),
    ("ocrkit/builtin/crop.py", "crops"),
    ("ocrkit_craft/tps", "crops"),
    ("ocrkit/rules.py", "ruling lines"),
    ("ocrkit_crnn/lexicon.py", "spelling (lexicon, case, look-alikes)"),
    ("ocrkit_crnn/spelling", "spelling (lexicon, case, look-alikes)"),
    ("ocrkit_crnn/", "recogniser host (batches, decoding)"),
    ("/ocrkit/", "pipeline steps (order, joins, marks, retries)"),
)


def stage_of(func: tuple) -> str | None:
    """The stage of a cProfile function key (file, line, name); None for a library's."""
    path, _, name = func
    path = path.replace("\\", "/")
    if path == "~":  # a builtin: torch's own methods are the networks', the rest a library's
        return "networks" if "torch." in name or "Tensor" in name else None
    return next((stage for fragment, stage in STAGES if fragment in path), None)


def charge(stats: pstats.Stats) -> dict[str, float]:
    """Seconds per stage: each function's own time, a library's split over its callers."""
    table = stats.stats  # func -> (calls, ncalls, tottime, cumtime, callers)
    memo: dict[tuple, dict[str, float]] = {}

    def shares(func: tuple, depth: int = 0) -> dict[str, float]:
        """How a library function's time divides among stages, as fractions."""
        if func in memo:
            return memo[func]
        memo[func] = {"library (unattributed)": 1.0}  # a cycle's fallback
        callers = table[func][4] if func in table else {}
        total = sum(c[3] for c in callers.values()) or 0.0
        out: dict[str, float] = defaultdict(float)
        for caller, c in callers.items():
            weight = c[3] / total if total else 1.0 / len(callers)
            stage = stage_of(caller)
            parts = {stage: 1.0} if stage else shares(caller, depth + 1) if depth < 30 else {}
            for name, share in parts.items():
                out[name] += weight * share
        memo[func] = dict(out) or {"library (unattributed)": 1.0}
        return memo[func]

    seconds: dict[str, float] = defaultdict(float)
    for func, (_, _, own, _, _) in table.items():
        stage = stage_of(func)
        for name, share in ({stage: 1.0} if stage else shares(func)).items():
            seconds[name] += own * share
    return seconds


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_image_set(p, limit=10)  # images profiled, after one untimed
    args = p.parse_args(argv)
    pm = get_plugin_manager()
    samples = datasets(pm).get(args.dataset)(options={}).load(Path(args.data))[: args.limit + 1]
    if len(samples) < 2:
        p.error(f"{args.data}: needs at least 2 images ({len(samples)} found)")
    detector = ocrkit.load_detector("craft", device=args.device)
    pipeline = ocrkit.Pipeline(detector, ocrkit.load_recognizer("crnn", device=args.device),
                               crop_threads=1, plugin_manager=pm)  # fmt: skip
    images = [ocrkit.read_image(s.image) for s in samples]
    pipeline.read(images[:1])  # untimed: the models' first passes, the word list's loading
    profile = cProfile.Profile()
    words, start = 0, time.perf_counter()
    profile.enable()
    for image in images[1:]:
        words += len(pipeline.read([image])[0])
    profile.disable()
    wall = time.perf_counter() - start
    seconds = charge(pstats.Stats(profile))
    n = len(images) - 1
    print(f"{args.dataset}: {n} images, {words / n:.0f} words each; device {args.device}; "
          f"wall {1e3 * wall / n:.0f} ms per image under the profiler")
    print(f"machine: {json.dumps(machine())}\n")
    print("| stage | ms per image | share of the host's |")
    print("| --- | --- | --- |")
    host = sum(v for k, v in seconds.items() if k != "networks")
    for name, value in sorted(seconds.items(), key=lambda kv: -kv[1]):
        share = "" if name == "networks" else f"{100 * value / host:.0f} %"
        print(f"| {name} | {1e3 * value / n:.1f} | {share} |")
    print(f"| **host, all but the networks** | **{1e3 * host / n:.1f}** | 100 % |")
    print(f"\nOne process's host work bounds it to {n / host:.1f} images/s end to end, "
          "however fast the networks run (cProfile's own overhead included).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
