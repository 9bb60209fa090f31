"""Detection (and end-to-end) speed of CRAFT for each precision/runtime, in one process on the
same images, with each variant's H-mean on those images. Timed from files on disk to boxes in
memory (decode included), in batches of ``--batch-size``; prints the machine and a table.

    python benchmarks/bench_speed.py --limit 20 --e2e                # CPU: fp32, auto, onnx, onnx-int8
    python benchmarks/bench_speed.py --device cuda --limit 500 --batch-size 16 \\
        --variants ref,fp32,fp16,fp16-compile --e2e                             # GPU (issue 6 targets)
    python benchmarks/bench_speed.py --device cuda --batch-size 1 --variants fp16 --latency 100  # latency, memory
    python benchmarks/bench_speed.py --device cuda --dataset funsd \\
        --data ../shared/data/funsd/dataset/testing_data --limit 50 --e2e       # dense documents

Images are decoded by ``--decode-threads`` threads ahead of the model, grouped into batches of
one network input shape (size buckets), and detected with ``CraftDetector.detect_stream`` (on
CUDA the next batch's pass is queued before the current one's scores are awaited, so decoding,
upload and box fitting, in threads, overlap the network). On CUDA the detector's
defaults prepare inputs on the GPU from the uint8 pixels and run channels-last; the ``ref``
variant turns both off (the previous path: numpy pre-processing, contiguous fp32).

End to end (``--e2e``) runs ``ocrkit run``'s default pipeline, second readings of unsure
regions included (``--retry-margins none`` times the path without them), crops enlarged with
Lanczos (``--crop-sampling linear`` times bilinear crops: ~2× cheaper per axis-aligned box,
~10× per tilted one).

Detection is one pass at the configured canvas, the reference's boxes only (``text_height=0
poly=false follow_page=false unsure_threshold=0.7``: the conditions of the official code's
figures, canvas 1280); ``--det-opt text_height=24 --det-opt poly=auto --det-opt
follow_page=true --det-opt unsure_threshold=0.5`` times ``ocrkit run``'s default, which
detects images whose words come out small a second time at a larger scale, follows bent words
with polygons, boxes short words along the page's text and offers lone characters to the
recogniser.

Ratios are against the first variant (fp32 = the exact reference path) measured in the same
run; each variant runs once untimed first (model load, ONNX export/quantisation into the cache,
CUDA context and kernels).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_image_set, machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit import Detection  # noqa: E402
from ocrkit.commands.run import parse_margins  # noqa: E402
from ocrkit.config import parse_assignments  # noqa: E402
from ocrkit.datasets.specs import load_dataset_specs  # noqa: E402
from ocrkit.geometry import SAMPLINGS  # noqa: E402
from ocrkit.margins import RETRY_MARGINS  # noqa: E402
from ocrkit.metrics.detection import Icdar2015Evaluator  # noqa: E402

VARIANTS = {
    "ref": {"preprocess": "cpu", "memory_format": "contiguous", "postprocess_threads": 1},
    "fp32": {}, "bf16": {"precision": "bf16"}, "fp16": {"precision": "fp16"}, "auto": {"precision": "auto"},
    "fp16-compile": {"precision": "fp16", "compile": True},
    "onnx": {"runtime": "onnx"}, "onnx-int8": {"runtime": "onnx", "precision": "int8"},
}  # fmt: skip


def decoded(paths: list, threads: int) -> Iterator[tuple[int, np.ndarray]]:
    """(index, RGB image) in input order, decoded by ``threads`` threads at most 4×threads ahead
    (PIL releases the GIL while decoding)."""
    with ThreadPoolExecutor(threads) as pool:
        window: deque = deque()
        for i, path in enumerate(paths):
            window.append((i, pool.submit(ocrkit.read_image, path)))
            if len(window) >= 4 * threads:
                j, fut = window.popleft()
                yield j, fut.result()
        while window:
            j, fut = window.popleft()
            yield j, fut.result()


def bucketed(items: Iterator[tuple[int, np.ndarray]], batch_size: int, key) -> Iterator[tuple[list[int], list[np.ndarray]]]:
    """Batches of up to ``batch_size`` images sharing ``key(image)`` (the network input shape),
    each emitted when full; the partial ones at the end."""
    buckets: dict = {}
    for i, image in items:
        bucket = buckets.setdefault(key(image), ([], []))
        bucket[0].append(i)
        bucket[1].append(image)
        if len(bucket[0]) == batch_size:
            yield buckets.pop(key(image))
    yield from buckets.values()


def run_detection(det, paths: list, batch_size: int, threads: int) -> list:
    """Files → boxes through the decode threads, size buckets and ``detect_stream``."""

    def key(image):
        return det.geometry(*image.shape[:2]).padded_hw

    order: deque = deque()

    def batches():
        for idx, images in bucketed(decoded(paths, threads), batch_size, key):
            order.append(idx)
            yield images

    preds: list = [None] * len(paths)
    for dets in det.detect_stream(batches()):
        for i, d in zip(order.popleft(), dets):
            preds[i] = d
    return preds


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def latency(det, samples: list, device: str) -> dict:
    """Single-request latency: one decoded image at a time → its boxes, nothing overlapped
    (``detect([image])``, waiting for the result); median and 95th percentile in ms."""
    times = []
    for s in samples:
        image = ocrkit.read_image(s.image)
        _sync(device)
        t0 = time.perf_counter()
        det.detect([image])
        _sync(device)
        times.append(time.perf_counter() - t0)
    return {"latency_p50_ms": float(np.percentile(times, 50)) * 1000,
            "latency_p95_ms": float(np.percentile(times, 95)) * 1000}  # fmt: skip


def measure(name: str, samples: list, args: argparse.Namespace) -> dict:
    """One variant's row: detection s/image and H-mean (+ end to end, peak GPU memory)."""
    cuda = args.device.startswith("cuda")
    # batch_size: detect_stream's batches are never larger; a compiled variant pads short ones to it.
    det = ocrkit.load_detector("craft", device=args.device, batch_size=args.batch_size,
                               **{**args.det_opts, **VARIANTS[name]})  # fmt: skip
    det.detect([ocrkit.read_image(samples[0].image)])  # warm-up
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    _sync(args.device)
    t0 = time.perf_counter()
    preds = run_detection(det, [s.image for s in samples], args.batch_size, args.decode_threads)
    _sync(args.device)
    det_s = (time.perf_counter() - t0) / len(samples)
    ev = Icdar2015Evaluator()
    # Whole-pixel boxes, as `ocrkit eval` and the official pipeline score them.
    ev.update([[Detection(np.trunc(d.polygon), d.score) for d in ds] for ds in preds],
              [s.targets for s in samples])  # fmt: skip
    runs_as = f"{det.precision}, {'channels-last' if det.channels_last else 'contiguous'}"
    if det.session is not None:
        runs_as = f"{det.precision}, ONNX Runtime"
    row = {"variant": name, "runs_as": runs_as, "det_s_per_image": det_s, **ev.compute()}
    if cuda:
        row["peak_gpu_mib"] = torch.cuda.max_memory_allocated() / 2**20
    if args.latency:
        row.update(latency(det, samples[: args.latency], args.device))
    if args.e2e:
        # Beside a low-precision torch detector the recogniser runs at its own `auto` (fp16 on
        # CUDA; bf16 on a CPU with native bf16, else fp32); beside fp32 or an ONNX detector fp32.
        low = VARIANTS[name].get("precision") in ("bf16", "fp16", "auto")  # ONNX variants: fp32/int8
        rec_precision = "auto" if low else "fp32"
        rec = ocrkit.load_recognizer("crnn", device=args.device, precision=rec_precision)
        pipe = ocrkit.Pipeline(det, rec, retry_margins=args.retry_margins,
                               crop_sampling=args.crop_sampling)
        pipe.read([ocrkit.read_image(samples[0].image)])  # warm-up of the recogniser
        t0 = time.perf_counter()
        batches = (images for _, images in bucketed(decoded([s.image for s in samples], args.decode_threads),
                                                    args.batch_size, lambda im: im.shape))  # fmt: skip
        for _ in pipe.read_stream(batches):  # one recognition batch for all crops of a batch;
            pass  # detection of the next batches runs ahead (detect_stream)
        _sync(args.device)
        row["e2e_s_per_image"] = (time.perf_counter() - t0) / len(samples)
    return row


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_image_set(p, limit=20)
    p.add_argument("--batch-size", type=int, default=1)
    p.add_argument("--variants", default=None, help="comma list of " + ", ".join(VARIANTS))
    p.add_argument("--e2e", action="store_true", help="also time detection + crops + CRNN")
    p.add_argument("--retry-margins", type=parse_margins, default=RETRY_MARGINS, metavar="M,M",
                   help="end to end: second readings of unsure regions, as ocrkit run (none = off)")
    p.add_argument("--crop-sampling", choices=tuple(SAMPLINGS), default="lanczos",
                   help="end to end: how crops resample the page, as ocrkit run --crop-sampling")
    p.add_argument("--decode-threads", type=int, default=8, help="image decoding threads")
    p.add_argument("--latency", type=int, default=0, metavar="N",
                   help="also time N single requests (decoded image → boxes, one at a time): p50/p95 ms")
    p.add_argument("--det-opt", action="append", default=[], metavar="KEY=VALUE",
                   help="a CRAFT option for every variant (e.g. canvas_size=2560)")
    args = p.parse_args(argv)
    try:
        args.det_opts = {"text_height": 0, "poly": False, "follow_page": False,
                         "unsure_threshold": 0.7, **parse_assignments(args.det_opt, "--det-opt")}
    except ValueError as exc:
        p.error(str(exc))
    cuda = args.device.startswith("cuda")
    names = (args.variants or ("ref,fp32,fp16" if cuda else "fp32,auto,onnx,onnx-int8")).split(",")
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        p.error(f"unknown variant(s) {', '.join(unknown)}; choose from {', '.join(VARIANTS)}")
    samples = load_dataset_specs([f"{args.dataset}:{args.data}"], "detection", args.limit)
    rows = []
    for name in names:
        try:
            row = measure(name, samples, args)
        except Exception as exc:  # noqa: BLE001 - one failing variant (e.g. no compiler for
            # torch.compile) must not lose the other rows of a long GPU run
            row = {"variant": name, "error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    ok = [r for r in rows if "error" not in r]
    base = ok[0] if ok else None
    print(f"machine: {json.dumps(machine())}; {len(samples)} images of {args.dataset}, "
          f"device {args.device}, batch {args.batch_size}\n")  # fmt: skip
    head = "| variant | runs as | detection s/image | images/s | speed-up | H-mean | ΔH |"
    print(head + (" end-to-end s/image | e2e speed-up |" if args.e2e else "") + (" peak GPU MiB |" if cuda else "")
          + (" latency p50 / p95 ms |" if args.latency else ""))  # fmt: skip
    print("|" + " --- |" * (7 + 2 * args.e2e + cuda + bool(args.latency)))
    for r in rows:
        if "error" in r:
            print(f"| {r['variant']} | failed: {r['error']} |")
            continue
        line = (f"| {r['variant']} | {r['runs_as']} | {r['det_s_per_image']:.4f} | {1 / r['det_s_per_image']:.1f} "
                f"| {base['det_s_per_image'] / r['det_s_per_image']:.2f}× | {r['hmean']:.4f} "
                f"| {r['hmean'] - base['hmean']:+.4f} |")  # fmt: skip
        if args.e2e:
            line += f" {r['e2e_s_per_image']:.4f} | {base['e2e_s_per_image'] / r['e2e_s_per_image']:.2f}× |"
        if cuda:
            line += f" {r['peak_gpu_mib']:.0f} |"
        if args.latency:
            line += f" {r['latency_p50_ms']:.1f} / {r['latency_p95_ms']:.1f} |"
        print(line)
    return 0 if len(ok) == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
