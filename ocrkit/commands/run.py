"""``ocrkit run``: read images from files and folders, write words as JSON, ICDAR or text."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..config import parse_assignments
from ..errors import UsageError
from ..io import ImageError, iter_image_paths, read_image
from ..output import draw_overlay, icdar_lines, result_dict, text_lines, write_json
from ..pipeline import Pipeline
from ..plugins import detectors, recognizers
from ..types import Image, Word

FORMATS = ("json", "icdar", "text")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("run", help="detect (and read) text in images")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="image files or folders (recursive)")
    p.add_argument("--detector", default="craft", help="detector name (default: craft)")
    p.add_argument("--recognizer", default=None, help="recogniser name, e.g. crnn (default: none)")
    p.add_argument("--det-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--rec-opt", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (default: cpu)")
    p.add_argument("--batch-size", type=int, default=4, metavar="N", help="images per batch")
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--output-dir", type=Path, default=None, metavar="DIR")
    p.add_argument("--overlay", action="store_true", help="also write <stem>_overlay.png")
    p.add_argument("--crop", choices=("auto", "quad"), default="auto",
                   help="auto: plugins' rectification (TPS for curved polygons); quad: perspective only")
    p.add_argument("--level", choices=("word", "line"), default="word",
                   help="line: one region per text line (cut at wide gaps), texts joined by spaces")
    p.add_argument("--rotations", type=parse_angles, default=(), metavar="A,B,...",
                   help="also read regions turned by these angles (e.g. 90,180,270), keep the best")


def parse_angles(text: str) -> tuple[int, ...]:
    """``"90,180,270"`` → (90, 180, 270); multiples of 90 only."""
    try:
        angles = tuple(int(a) for a in text.replace(" ", "").split(",") if a)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected angles like 90,180,270, got {text!r}") from None
    if any(a % 90 for a in angles):
        raise argparse.ArgumentTypeError(f"angles must be multiples of 90, got {text!r}")
    return angles


def _unique_stems(paths: Sequence[Path]) -> list[str]:
    """File stems for output names; repeated stems get a _2, _3 … suffix (never overwrite)."""
    seen: dict[str, int] = {}
    out = []
    for path in paths:
        n = seen.get(path.stem, 0) + 1
        seen[path.stem] = n
        out.append(path.stem if n == 1 else f"{path.stem}_{n}")
    return out


def build_pipeline(args: argparse.Namespace, pm: Any) -> Pipeline:
    if args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    det_opts = parse_assignments(args.det_opt, "--det-opt")
    rec_opts = parse_assignments(args.rec_opt, "--rec-opt")
    detector = detectors(pm).get(args.detector)(options=det_opts, device=args.device)
    recognizer = None
    if args.recognizer:
        recognizer = recognizers(pm).get(args.recognizer)(options=rec_opts, device=args.device)
    return Pipeline(detector, recognizer, crop=args.crop, level=args.level,
                    rotations=args.rotations, plugin_manager=pm)  # fmt: skip


class Writer:
    """Writes one image's words in the chosen format; stdout when there is no output dir."""

    def __init__(self, args: argparse.Namespace, many: bool) -> None:
        self.fmt, self.out_dir, self.overlay, self.many = args.format, args.output_dir, args.overlay, many
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)

    def write(self, path: Path, stem: str, image: Image, words: list[Word]) -> None:
        d = self.out_dir
        if self.fmt == "json":
            record = result_dict(str(path), image, words)
            if d is None:
                print(json.dumps(record, ensure_ascii=False), flush=True)
            else:
                write_json(d / f"{stem}.json", record)
        elif self.fmt == "icdar":
            lines = icdar_lines(words)
            if d is None:
                self._print(path, lines)
            else:
                (d / f"res_{stem}.txt").write_text("".join(x + "\n" for x in lines), "utf-8")
        else:
            lines = text_lines(words)
            if d is None:
                self._print(path, lines)
            else:
                (d / f"{stem}.txt").write_text("".join(x + "\n" for x in lines), "utf-8")
        if self.overlay:
            draw_overlay(image, words, (d or Path(".")) / f"{stem}_overlay.png")

    def _print(self, path: Path, lines: list[str]) -> None:
        if self.many:
            print(f"==> {path} <==")
        print("\n".join(lines), flush=True)


def cmd_run(args: argparse.Namespace, pm: Any) -> int:
    pipeline = build_pipeline(args, pm)
    paths = list(iter_image_paths(args.inputs))
    stems = _unique_stems(paths)
    writer = Writer(args, many=len(paths) > 1)
    failures: list[str] = []
    bar = tqdm(total=len(paths), unit="img", disable=len(paths) <= 1, file=sys.stderr)
    for start in range(0, len(paths), args.batch_size):
        batch = []
        for path, stem in zip(paths[start : start + args.batch_size], stems[start : start + args.batch_size]):
            try:
                batch.append((path, stem, read_image(path)))
            except ImageError as exc:
                failures.append(_fail(str(exc), bar))
        for path, stem, image, words in _read_batch(pipeline, batch, failures, bar):
            writer.write(path, stem, image, words)
        bar.update(min(args.batch_size, len(paths) - start))
    bar.close()
    if failures:
        print(f"ocrkit: {len(failures)} of {len(paths)} inputs failed:", file=sys.stderr)
        for line in failures:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


def _fail(message: str, bar: tqdm) -> str:
    tqdm.write(f"ocrkit: error: {message}", file=sys.stderr)
    return message


def _read_batch(pipeline: Pipeline, batch: list, failures: list[str], bar: tqdm):
    """Run the pipeline on a batch; if it fails, retry image by image to isolate the bad one."""
    if not batch:
        return
    try:
        results = pipeline.read([image for _, _, image in batch])
    except Exception as exc:
        if len(batch) == 1:
            path = batch[0][0]
            failures.append(_fail(f"{path}: {_one_line(exc)}", bar))
            return
        for item in batch:
            yield from _read_batch(pipeline, [item], failures, bar)
        return
    for (path, stem, image), words in zip(batch, results):
        yield path, stem, image, words


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
