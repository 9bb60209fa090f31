"""``ocrkit eval``: score a detector/recogniser (or saved predictions) on a benchmark."""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..config import ConfigError, parse_assignments
from ..errors import UsageError
from ..evaluation import check_tasks, compute, update_detection, update_recognition
from ..io import ImageError, read_image
from ..lines import to_lines
from ..output import as_submitted, icdar_lines
from ..plugins import datasets, evaluators, recognizers
from ..types import Recognition
from .run import add_reading_options, build_pipeline

DEFAULT_METRICS = {"detection": ["icdar2015"], "recognition": ["recognition"]}
POLYGON_DATASETS = ("totaltext", "ctw1500")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("eval", help="score models or saved predictions on a benchmark")
    p.add_argument("--dataset", required=True, help="dataset format, e.g. icdar2015, funsd, iiit5k")
    p.add_argument("--data", type=Path, help="the dataset folder as distributed")
    p.add_argument("--images", type=Path, help="image folder (instead of --data)")
    p.add_argument("--gt", type=Path, help="ground-truth folder or file (instead of --data)")
    p.add_argument("--dataset-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--detector", default="craft", help="detector name (default: craft)")
    p.add_argument("--recognizer", default=None, help="recogniser name")
    p.add_argument("--det-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--rec-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--predictions", type=Path, help="score res_<stem>.txt files instead of a model")
    p.add_argument("--metric", action="append", default=[], help="evaluator name; repeatable")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="first N samples only")
    p.add_argument("--save-predictions", type=Path, metavar="DIR", help="write res_<stem>.txt")
    p.add_argument("--device", default="cpu")
    p.add_argument("--batch-size", type=int, default=4, metavar="N")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--level", choices=("word", "line"), default="word",
                   help="line: score one region per text line against line-level GT")
    add_reading_options(p)


def _reader(args: argparse.Namespace, pm: Any) -> Any:
    """The dataset reader; ``--level line`` selects a reader's line-level GT when it has one."""
    factory = datasets(pm).get(args.dataset)
    options = parse_assignments(args.dataset_opt, "--dataset-opt")
    if args.level == "line" and "level" not in options:
        try:
            return factory(options={**options, "level": "line"})
        except (ConfigError, ValueError):
            pass  # this format has no level choice: its GT is used as it is
    return factory(options=options)


def _load_samples(args: argparse.Namespace, pm: Any) -> tuple[Any, list]:
    reader = _reader(args, pm)
    if args.data is None and (args.images is None and args.gt is None):
        raise UsageError("give --data DIR, or --images DIR and --gt DIR")
    samples = reader.load(args.data, args.images, args.gt)
    if args.limit is not None:
        samples = samples[: args.limit]
    if not samples:
        raise UsageError(f"dataset {args.dataset!r} has no samples at the given path")
    return reader, samples


def _metrics(args: argparse.Namespace, pm: Any, task: str, has_text: bool) -> dict[str, Any]:
    names = list(args.metric)
    if not names:
        names = list(DEFAULT_METRICS[task])
        if args.dataset in POLYGON_DATASETS:
            names = ["polygon"]
        if task == "detection" and has_text:
            names.append("end_to_end")
    registry = evaluators(pm)
    built = {name: registry.get(name)(options={}) for name in names}
    check_tasks(built, task, has_text=has_text)
    return built


def cmd_eval(args: argparse.Namespace, pm: Any) -> int:
    from ..datasets import DatasetError

    try:
        reader, samples = _load_samples(args, pm)
    except DatasetError as exc:
        raise UsageError(str(exc)) from None
    failures: list[str] = []
    if reader.task == "recognition":
        results, seconds = _eval_recognition(args, pm, samples, failures)
    else:
        results, seconds = _eval_detection(args, pm, samples, failures)
    _report(args, results, len(samples), seconds / len(samples))
    for line in failures:
        print(f"ocrkit: error: {line}", file=sys.stderr)
    return 1 if failures else 0


def _eval_detection(args, pm, samples, failures) -> tuple[dict, float]:
    """Scores and the seconds spent reading and predicting (model loading excluded)."""
    from ..datasets.icdar import read_prediction_file

    start = time.perf_counter()
    if args.predictions is not None:
        if not args.predictions.is_dir():
            raise UsageError(f"{args.predictions}: predictions folder not found")
        words = []
        for s in samples:
            path = args.predictions / f"res_{s.stem}.txt"
            words.append(read_prediction_file(path) if path.is_file() else [])  # missing = none
        if args.level == "line":  # word-level files scored as lines: group them here
            words = [to_lines(ws) for ws in words]
        has_text = any(w.text is not None for ws in words for w in ws)
        evals = _metrics(args, pm, "detection", has_text)
        update_detection(evals, words, [s.targets for s in samples])
        return compute(evals), time.perf_counter() - start
    pipeline = build_pipeline(args, pm)
    evals = _metrics(args, pm, "detection", pipeline.recognizer is not None)
    if args.save_predictions:
        args.save_predictions.mkdir(parents=True, exist_ok=True)
    bar = tqdm(total=len(samples), unit="img", file=sys.stderr, disable=len(samples) <= 1)
    elapsed = 0.0
    for k in range(0, len(samples), args.batch_size):
        chunk = samples[k : k + args.batch_size]
        t0 = time.perf_counter()
        images, kept = [], []
        for s in chunk:
            try:
                images.append(read_image(s.image, square_pixels=False))
                kept.append(s)
            except ImageError as exc:
                failures.append(str(exc))
                update_detection(evals, [[]], [s.targets])  # unreadable = nothing detected
        if images:
            # Scored as they would be submitted (whole pixels, as --save-predictions writes
            # them), so the figures equal those of the saved files and of the official pipeline.
            words = [as_submitted(ws) for ws in pipeline.read(images)]
            elapsed += time.perf_counter() - t0  # decoding + predicting, not scoring
            update_detection(evals, words, [s.targets for s in kept])
            if args.save_predictions:
                for s, ws in zip(kept, words):
                    lines = icdar_lines(ws)
                    (args.save_predictions / f"res_{s.stem}.txt").write_text(
                        "".join(x + "\n" for x in lines), "utf-8"
                    )
        bar.update(len(chunk))
    bar.close()
    return compute(evals), elapsed


def _eval_recognition(args, pm, samples, failures) -> tuple[dict, float]:
    if not args.recognizer:
        raise UsageError(f"dataset {args.dataset!r} holds word crops: give --recognizer NAME")
    recognizer = recognizers(pm).get(args.recognizer)(
        options=parse_assignments(args.rec_opt, "--rec-opt"), device=args.device
    )
    evals = _metrics(args, pm, "recognition", True)
    bar = tqdm(total=len(samples), unit="crop", file=sys.stderr, disable=len(samples) <= 1)
    batch = max(args.batch_size, 64)
    elapsed = 0.0
    for k in range(0, len(samples), batch):
        chunk = samples[k : k + batch]
        crops, texts = [], []
        for s in chunk:
            try:
                crops.append(load_crop(s, recognizer.height, args.crop_sampling))
                texts.append(s.text)
            except ImageError as exc:
                failures.append(str(exc))
                update_recognition(evals, [Recognition("", 0.0)], [s.text])
        if crops:
            t0 = time.perf_counter()
            predictions = recognizer.recognize(crops)
            elapsed += time.perf_counter() - t0
            update_recognition(evals, predictions, texts)
        bar.update(len(chunk))
    bar.close()
    return compute(evals), elapsed


@lru_cache(maxsize=2)  # words of one form come together: decode each form once
def _cached_image(path: Path) -> Any:
    return read_image(path, square_pixels=False)  # pixels as stored: the ground truth's


def load_crop(sample: Any, height: int, sampling: str = "lanczos") -> Any:
    """A recognition sample's crop: the whole image, or its region cut by the quad crop
    (resampled as ``--crop-sampling`` says, as the pipeline cuts its regions)."""
    if sample.region is None:
        return read_image(sample.image, square_pixels=False)
    image = _cached_image(sample.image)
    from ..geometry import crop_quad, sampling_flag

    return crop_quad(image, sample.region, height, interpolation=sampling_flag(sampling))


def _report(args: argparse.Namespace, results: dict, n: int, seconds: float) -> None:
    if args.json:
        out: dict[str, Any] = {name: values for name, values in results.items()}
        out["images"] = n
        out["seconds_per_image"] = round(seconds, 4)
        print(json.dumps(out))
        return
    print(f"{'metric':<14} {'key':<16} {'value':>8}")
    for name, values in results.items():
        for key, value in values.items():
            print(f"{name:<14} {key:<16} {value:>8.4f}")
    print(f"{n} samples, {seconds:.3f} s per sample")


__all__ = ["add_parser", "cmd_eval"]
