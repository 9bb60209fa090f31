"""CRAFT training data throughput on the CPU: pages per second per core for each CPU stage of a
training step, and what a host with N cores can feed a GPU.

    python benchmarks/bench_data.py [--pages 20] [--real funsd:../shared/data/funsd/dataset/training_data]
                                    [--workers 1,2] [--cores 16]

Stages (each timed in this process with one thread for numpy/cv2/torch, i.e. per core):

* ``synthetic``: one ``SynthPages`` item — ``ocrkit.synth.render_page`` (fonts, backgrounds,
  perspective, curvature, blur, JPEG) plus its half-resolution region/affinity targets and the
  normalised image: what a DataLoader worker does per synthetic page (and, without the
  targets, per ``ocrkit synth`` image).
* ``real``: one ``RealPages`` item — decode a word-level page, rescale, random 768² crop,
  rectify up to ``max_pseudo_words`` words to 128-px-high crops (a DataLoader worker's share).
* ``pseudo targets``: ``page_targets`` for one real page — watershed per word, pseudo character
  boxes, Gaussians, confidence map (the ``pseudo_workers`` processes' share). The region maps
  they start from are the pretrained model's, computed first and not timed.

Then the synthetic stage through a real ``torch.utils.data.DataLoader`` with ``--workers``
processes (pages/s, to check that it scales with processes), and the per-step CPU budget of
the shipped recipes on a ``--cores`` host: at the FUNSD recipe's 1:5 mix, CPU seconds per page
= (synthetic + 5 × (real + pseudo)) / 6. The GPU-side work (interim model pass, training step)
is not measured here.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402


def per_item(get, count: int) -> float:
    """Seconds per item of ``get(i)`` for i in range(count) (after one untimed warm-up item)."""
    get(count)  # warm-up: font files, Gaussian template cache, imports
    t = time.perf_counter()
    for i in range(count):
        get(i)
    return (time.perf_counter() - t) / count


def loader_rate(dataset, workers: int, count: int) -> float:
    """Items per second through a DataLoader with ``workers`` processes (one item per batch)."""
    import torch

    # Forked like the trainer's workers (torch single-threaded in each, OpenCV as inherited).
    loader = torch.utils.data.DataLoader(torch.utils.data.Subset(dataset, range(count + 2 * workers)),
                                         batch_size=None, num_workers=workers)  # fmt: skip
    it = iter(loader)
    for _ in range(2 * workers):  # workers started and their first items in flight
        next(it)
    t = time.perf_counter()
    for _ in range(count):
        next(it)
    return count / (time.perf_counter() - t)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=int, default=20, help="items timed per stage")
    p.add_argument("--real", default="funsd:../shared/data/funsd/dataset/training_data",
                   help="word-level dataset FORMAT:PATH for the real-page stages ('' to skip)")
    p.add_argument("--max-words", type=int, default=64, help="words rectified per real page")
    p.add_argument("--workers", default="1,2", help="DataLoader process counts for the synthetic stage")
    p.add_argument("--cores", type=int, default=16, help="host cores for the budget line (the H100 host: 16)")
    args = p.parse_args(argv)

    import cv2
    import torch

    threads = torch.get_num_threads(), cv2.getNumThreads()
    try:
        return _run(args)
    finally:  # a caller's process (pytest) keeps its own thread counts
        torch.set_num_threads(threads[0])
        cv2.setNumThreads(threads[1])


def _run(args: argparse.Namespace) -> int:
    import torch

    from ocrkit.fonts import find_fonts
    from ocrkit.training.trainer import single_threaded
    from ocrkit_craft.data import RealPages, SynthPages

    all_threads = torch.get_num_threads()
    single_threaded()  # per-core figures: one thread for torch and OpenCV
    fonts = find_fonts([])
    synth = SynthPages(10_000, 768, fonts, seed=0)
    rows = [("synthetic page (render + targets)", per_item(lambda i: synth[i], args.pages))]
    real_s = pseudo_s = None
    if args.real:
        from ocrkit.datasets.specs import load_dataset_specs
        from ocrkit_craft.pseudo_labels import page_targets
        from ocrkit_craft.training import CraftTrainOptions, _region_fn_batch, build_model

        samples = load_dataset_specs([args.real], "detection")
        real = RealPages(samples, 768, seed=0, max_words=args.max_words, scale_range=(1.25, 2.0))
        real_s = per_item(lambda i: real[i % len(real)], args.pages)
        rows.append((f"real page (crop + rectify ≤ {args.max_words} words)", real_s))
        # Pseudo targets start from the interim model's maps: the pretrained model's, not timed.
        pages = [real[i]["prepared"] for i in range(min(args.pages, 4))]
        torch.set_num_threads(all_threads)
        model = build_model(CraftTrainOptions()).eval()
        jobs = [(pg, _region_fn_batch(model, pg.crops)) for pg in pages]
        single_threaded()
        words = sum(len(pg.crops) for pg in pages)
        t = time.perf_counter()
        for pg, maps in jobs:
            page_targets(pg.shape, pg.words, maps, pg.unused, 0.6, 0.2)
        pseudo_s = (time.perf_counter() - t) / len(jobs)
        rows.append((f"pseudo targets of a real page ({words / len(jobs):.0f} words)", pseudo_s))

    print(f"machine: {json.dumps(machine())}\n")
    print("| stage (one core) | ms per page | pages/s per core |")
    print("| --- | --- | --- |")
    for name, s in rows:
        print(f"| {name} | {s * 1000:.1f} | {1 / s:.2f} |")

    counts = [int(w) for w in args.workers.split(",") if w.strip()]
    if counts:
        print("\n| DataLoader processes | synthetic pages/s |")
        print("| --- | --- |")
        for w in counts:
            print(f"| {w} | {loader_rate(synth, w, args.pages):.2f} |")

    synth_s = rows[0][1]
    budget = {"scratch (synthetic only)": synth_s}
    if real_s is not None and pseudo_s is not None:
        budget["FUNSD weak supervision (1:5)"] = (synth_s + 5 * (real_s + pseudo_s)) / 6
    print(f"\n| recipe | CPU ms per page | pages/s on {args.cores} cores (CPU stages only) |")
    print("| --- | --- | --- |")
    for name, s in budget.items():
        print(f"| {name} | {s * 1000:.1f} | {args.cores / s:.0f} |")
    print(json.dumps({"machine": machine(), "seconds_per_page": dict(rows), "budget": budget}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
