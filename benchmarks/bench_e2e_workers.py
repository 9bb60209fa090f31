"""End-to-end reading by several processes sharing one device: images/s per worker count, against
the first count in the same run, with the words checked identical.

    python benchmarks/bench_e2e_workers.py --device cuda --limit 500 --batch-size 16 --workers 1,2,4,8
    python benchmarks/bench_e2e_workers.py --device cuda --dataset funsd \\
        --data ../shared/data/funsd/dataset/testing_data --limit 50 --batch-size 8 --workers 1,4,8
    python benchmarks/bench_e2e_workers.py --device cuda --dataset funsd \
        --data ../shared/data/funsd/dataset/testing_data --limit 50 --batch-size 8 --workers 1,2,4 \
        --detect-only                                                      # detection alone
    python benchmarks/bench_e2e_workers.py --limit 4 --batch-size 1 --workers 1,2   # CPU, small

One process's host work (crops, ruling lines, spelling, the other word-level steps:
``bench_host_pipeline.py``) bounds its end-to-end throughput however fast the device runs the
networks; several processes on one GPU overlap that work, as ``ocrkit run --engine ray
--worker-gpus 0.125`` does across a cluster. For each count N, N spawned processes each build
``ocrkit run``'s default pipeline (CRAFT + CRNN, ``--det-opt``/``--rec-opt`` on top) on
``--device`` with ``cpu_count // N`` torch threads and read one image untimed; then the images,
in batches of ``--batch-size``, go to them in input order, each worker decoding its own files and
reading them with ``ocrkit.engines.read_files`` (the engines' unit of work). Timed: from the
first batch handed out to the last words back. Prints per N the images/s, the speed-up against
the first N, whether every image's words (texts and boxes) equal the first N's, and the machine.
``--detect-only`` builds the pipeline without the recogniser (files → boxes in reading order):
the detector's own host work (box step, polygons, boxes along the page, the second pass for
small text: ``bench_postprocess.py``) bounds one process's detection throughput the same way.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_image_set, machine  # noqa: E402

from ocrkit.config import parse_assignments  # noqa: E402
from ocrkit.datasets.specs import load_dataset_specs  # noqa: E402
from ocrkit.engines.spec import PipelineSpec  # noqa: E402

_PIPELINE = None  # each worker's own pipeline, built once by _start


def _start(spec: PipelineSpec, threads: int, warm: str) -> None:
    """Worker initialiser: torch threads, the models, one untimed image (first passes)."""
    global _PIPELINE
    import torch

    from ocrkit.engines.batch import read_files

    torch.set_num_threads(threads)
    _PIPELINE = spec.build()
    read_files(_PIPELINE, [(warm, warm)])


def _ready(_: int) -> int:
    time.sleep(0.2)  # hold the worker so that each one of the pool starts and warms up
    return os.getpid()


def _read(paths: list[str]) -> list[tuple]:
    """One batch read in a worker: per image its words as (text, rounded box) pairs, or its error."""
    from ocrkit.engines.batch import read_files

    out = []
    for r in read_files(_PIPELINE, [(p, p) for p in paths]):
        out.append(r.error or [(w.text, [round(float(v), 1) for v in w.polygon.ravel()])
                               for w in r.words])  # fmt: skip
    return out


def run(spec: PipelineSpec, paths: list[str], batch: int, workers: int) -> tuple[float, list]:
    """Seconds to read ``paths`` with ``workers`` processes (after their warm-up), and the words."""
    threads = max(1, (os.cpu_count() or 1) // workers)
    context = multiprocessing.get_context("spawn")  # CUDA cannot be forked
    batches = [paths[k : k + batch] for k in range(0, len(paths), batch)]
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                             initargs=(spec, threads, paths[0])) as pool:  # fmt: skip
        list(pool.map(_ready, range(4 * workers)))  # every worker built and warm
        start = time.perf_counter()
        words = [w for part in pool.map(_read, batches) for w in part]
        return time.perf_counter() - start, words


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_image_set(p, limit=20)
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--workers", default="1,2", help="comma list of process counts")
    p.add_argument("--det-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--rec-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--detect-only", action="store_true", help="no recogniser: detection alone")
    args = p.parse_args(argv)
    try:
        counts = [int(n) for n in args.workers.split(",") if n]
        det_opts = parse_assignments(args.det_opt, "--det-opt")
        rec_opts = parse_assignments(args.rec_opt, "--rec-opt")
    except ValueError as exc:
        p.error(str(exc))
    if not counts or min(counts) < 1:
        p.error(f"--workers {args.workers!r}: expected positive counts, e.g. 1,2,4")
    samples = load_dataset_specs([f"{args.dataset}:{args.data}"], "detection", args.limit)
    paths = [str(s.image) for s in samples]
    recognizer = None if args.detect_only else "crnn"
    spec = PipelineSpec("craft", recognizer, det_opts=det_opts, rec_opts=rec_opts,
                        device=args.device)
    rows, first = [], None
    for n in counts:
        seconds, words = run(spec, paths, args.batch_size, n)
        first = first or (seconds, words)
        rows.append((n, seconds, words == first[1]))
        print(json.dumps({"workers": n, "seconds": seconds}), file=sys.stderr, flush=True)
    what = "detection only" if args.detect_only else "end to end"
    print(f"machine: {json.dumps(machine())}; {len(paths)} images of {args.dataset}, device "
          f"{args.device}, batch {args.batch_size}, {what}\n")  # fmt: skip
    print("| workers | images/s | speed-up | words as with the first count |")
    print("| --- | --- | --- | --- |")
    for n, seconds, same in rows:
        print(f"| {n} | {len(paths) / seconds:.2f} | {first[0] / seconds:.2f}× | "
              f"{'identical' if same else 'DIFFERENT'} |")  # fmt: skip
    return 0 if all(same for _, _, same in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
