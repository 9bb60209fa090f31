"""``ocrkit run``: read images from files and folders, write words as JSON, ICDAR or text."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..bilevel import BILEVEL
from ..config import parse_assignments
from ..engines import ENGINES, FileResult, PipelineSpec
from ..errors import UsageError
from ..geometry import SAMPLINGS
from ..io import InputPage, iter_image_paths, iter_input_pages, read_image
from ..margins import RETRY_MARGINS, check_margins
from ..neighbours import NEIGHBOURS
from ..rules import RULES
from ..orientation import UPSIDE_DOWN
from ..pdf import check_dpi
from ..output import draw_overlay, icdar_lines, result_dict, text_lines, write_json
from ..pipeline import Pipeline
from ..tidy import TEXT_MODES

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
    p.add_argument("--pdf-dpi", type=parse_dpi, default=None, metavar="DPI",
                   help="resolution PDF pages are rendered at; auto (default): a scanned page at "
                        "its scan's own, other pages at 200 (needs pip install 'ocrkit[pdf]')")
    p.add_argument("--level", choices=("word", "line"), default="word",
                   help="line: one region per text line (cut at wide gaps), texts joined by spaces")
    add_reading_options(p)
    g = p.add_argument_group("scale-out (--engine ray; needs pip install 'ocrkit[ray]')")
    g.add_argument("--engine", choices=ENGINES, default="local",
                   help="local: this process; ray: batches spread over a Ray cluster, one model "
                        "per worker (default: local)")
    g.add_argument("--ray-address", default=None, metavar="ADDR",
                   help="cluster to join (auto, ray://HOST:10001, HOST:6379); default: "
                        "$RAY_ADDRESS, else a local cluster on this machine")
    g.add_argument("--workers", type=int, default=None, metavar="N",
                   help="Ray workers (default: as many as the cluster's CPUs or GPUs allow)")
    g.add_argument("--worker-cpus", type=float, default=1.0, metavar="C",
                   help="CPUs reserved per Ray worker (its torch threads; default 1)")
    g.add_argument("--worker-gpus", type=float, default=None, metavar="G",
                   help="GPUs per Ray worker (default 1 with --device cuda, else 0; 0.5 = two "
                        "workers per GPU)")


def add_reading_options(p: argparse.ArgumentParser) -> None:
    """How regions are cropped and read: ``ocrkit run``'s and ``ocrkit eval``'s shared options
    (the ``PipelineSpec`` fields other than the models, the device and the level)."""
    p.add_argument("--crop", choices=("auto", "quad"), default="auto",
                   help="auto: plugins' rectification (TPS for curved polygons); quad: perspective only")
    p.add_argument("--crop-sampling", choices=tuple(SAMPLINGS), default="lanczos",
                   help="how crops resample the page: lanczos reads small words best (default); "
                        "linear is cheaper per crop (~2x axis-aligned, ~10x tilted), cubic between")
    p.add_argument("--neighbours", choices=NEIGHBOURS, default="trim",
                   help="trim: a word's crop stops halfway to a touching word on its line "
                        "(default); keep: every region cropped on its own")
    p.add_argument("--rules", choices=RULES, default="erase",
                   help="erase: also read each region whose crop holds a ruling line (a box's "
                        "side, an underline, a table line) with the line erased, keep the more "
                        "confident reading (default); keep: read the crop as cut")
    p.add_argument("--bilevel", choices=BILEVEL, default="smooth",
                   help="smooth: cut the words of a bi-level image (a fax, a 1-bit scan) from "
                        "it blurred by 0.7 px, which reads better (default); keep: as given")
    p.add_argument("--retry-margins", type=parse_margins, default=RETRY_MARGINS, metavar="M,M",
                   help="re-read regions read with confidence < 0.9 cut with these margins (× the "
                        "shorter side; default 0,0.2), keep the most confident; none = off")
    p.add_argument("--rotations", type=parse_angles, default=(), metavar="A,B,...",
                   help="also read regions turned by these angles (e.g. 90,180,270), keep the best")
    p.add_argument("--upside-down", choices=UPSIDE_DOWN, default="check",
                   help="check: read each image's widest words turned by 180° too and, when most "
                        "read better so, the whole image turned; an image whose regions are mostly "
                        "vertical and read best turned one way (a page photographed sideways) is "
                        "detected again turned upright (default); off: neither")
    p.add_argument("--text", choices=TEXT_MODES, default="tidy",
                   help="tidy: drop edge spaces and lone marks after a space (\"Dairy _\" -> "
                        "\"Dairy\") from each word's reading, join MRZ lines and numbers the "
                        "detector split (\"503.\" \"63\" -> \"503.63\"), box each word of a "
                        "region read as several (\"OF 2\" -> \"OF\" \"2\"), lower capitals read on "
                        "x-height letters (\"uS\" -> \"us\"), put back a decimal point or a "
                        "time's colon (\"445\" -> \"4.45\", \"146\" -> \"1:46\"), a final "
                        "period or colon or a bracket the "
                        "recogniser dropped where the ink shows it (default); split: the "
                        "same, numbers left split (FUNSD's tokens); raw: the recogniser's text, "
                        "the regions as detected")
    p.add_argument("--min-score", type=parse_score, default=0.0, metavar="S",
                   help="drop words read with a recognition score below S (0-1; needs "
                        "--recognizer; default 0: keep every word)")


def parse_angles(text: str) -> tuple[int, ...]:
    """``"90,180,270"`` → (90, 180, 270); multiples of 90 only."""
    try:
        angles = tuple(int(a) for a in text.replace(" ", "").split(",") if a)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected angles like 90,180,270, got {text!r}") from None
    if any(a % 90 for a in angles):
        raise argparse.ArgumentTypeError(f"angles must be multiples of 90, got {text!r}")
    return angles


def parse_dpi(text: str) -> float | None:
    """``"300"`` → 300.0, a resolution in [18, 1200] dpi; ``"auto"`` → None."""
    if text.strip().lower() == "auto":
        return None
    try:
        return check_dpi(float(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected auto or a resolution in [18, 1200] dpi, got {text!r}"
        ) from None


def parse_score(text: str) -> float:
    """``"0.5"`` → 0.5; a number in [0, 1]."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in [0, 1], got {text!r}")
    return value


def parse_margins(text: str) -> tuple[float, ...]:
    """``"0,0.2"`` → (0.0, 0.2); ``"none"`` (or ``""``) → () = no second readings."""
    if text.strip().lower() in ("", "none"):
        return ()
    try:
        return check_margins([float(m) for m in text.replace(" ", "").split(",") if m])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected margins like 0,0.2 in [0, 0.5], got {text!r}"
        ) from exc


def _unique_stems(inputs: Sequence[InputPage]) -> list[str]:
    """Stems for output names (a page's with ``_p<k>``); repeated stems get a _2, _3 … suffix
    (never overwrite)."""
    seen: dict[str, int] = {}
    out = []
    for item in inputs:
        n = seen.get(item.stem, 0) + 1
        seen[item.stem] = n
        out.append(item.stem if n == 1 else f"{item.stem}_{n}")
    return out


def pipeline_spec(args: argparse.Namespace) -> PipelineSpec:
    """The pipeline the options describe (built here, or by each Ray worker)."""
    if args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    if args.min_score > 0 and not args.recognizer:
        raise UsageError("--min-score needs --recognizer: without one no word has a score")
    return PipelineSpec(
        detector=args.detector,
        recognizer=args.recognizer,
        det_opts=parse_assignments(args.det_opt, "--det-opt"),
        rec_opts=parse_assignments(args.rec_opt, "--rec-opt"),
        device=args.device,
        crop=args.crop,
        level=args.level,
        rotations=tuple(args.rotations),
        neighbours=args.neighbours,
        retry_margins=tuple(args.retry_margins),
        upside_down=args.upside_down,
        text=args.text,
        min_score=args.min_score,
        rules=args.rules,
        crop_sampling=args.crop_sampling,
        bilevel=args.bilevel,
        plugins=tuple(getattr(args, "plugin", ())),
    )


def build_pipeline(args: argparse.Namespace, pm: Any) -> Pipeline:
    return pipeline_spec(args).build(pm)


class Writer:
    """Writes one image's words in the chosen format; stdout when there is no output dir."""

    def __init__(self, args: argparse.Namespace, many: bool) -> None:
        self.fmt, self.out_dir, self.overlay, self.many = args.format, args.output_dir, args.overlay, many
        self.dpi = args.pdf_dpi
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)

    def write(self, item: InputPage, stem: str, result: FileResult) -> None:
        d, words = self.out_dir, result.words or []
        name = item.name  # the file, or "fax.tif#2" for a page of several
        if self.fmt == "json":
            page = item.page + 1 if item.pages > 1 else None
            record = result_dict(str(item.path), result.size or (0, 0), words, page)
            if d is None:
                print(json.dumps(record, ensure_ascii=False), flush=True)
            else:
                write_json(d / f"{stem}.json", record)
        elif self.fmt == "icdar":
            lines = icdar_lines(words)
            if d is None:
                self._print(name, lines)
            else:
                (d / f"res_{stem}.txt").write_text("".join(x + "\n" for x in lines), "utf-8")
        else:
            lines = text_lines(words)
            if d is None:
                self._print(name, lines)
            else:
                (d / f"{stem}.txt").write_text("".join(x + "\n" for x in lines), "utf-8")
        if self.overlay:  # the Ray engine does not send pixels back: decode the file again
            image = result.image
            if image is None:
                image = read_image(item.path, page=item.page, dpi=self.dpi)
            draw_overlay(image, words, (d or Path(".")) / f"{stem}_overlay.png")

    def _print(self, name: str, lines: list[str]) -> None:
        if self.many:
            print(f"==> {name} <==")
        print("\n".join(lines), flush=True)


def cmd_run(args: argparse.Namespace, pm: Any) -> int:
    spec = pipeline_spec(args)
    inputs = list(iter_input_pages(iter_image_paths(args.inputs)))  # a PDF's pages: one each
    stems = _unique_stems(inputs)
    if args.engine == "ray":
        from ..engines.ray_engine import run_on_ray

        results = run_on_ray(
            spec, inputs, batch_size=args.batch_size, workers=args.workers,
            cpus_per_worker=args.worker_cpus, gpus_per_worker=args.worker_gpus,
            address=args.ray_address, pdf_dpi=args.pdf_dpi,
        )  # fmt: skip
    else:
        results = _run_local(spec.build(pm), inputs, args.batch_size, args.pdf_dpi)
    writer = Writer(args, many=len(inputs) > 1)
    failures: list[str] = []
    bar = tqdm(total=len(inputs), unit="img", disable=len(inputs) <= 1, file=sys.stderr)
    for item, stem, result in zip(inputs, stems, results):
        if result.error is not None:
            tqdm.write(f"ocrkit: error: {result.error}", file=sys.stderr)
            failures.append(result.error)
        else:
            writer.write(item, stem, result)
        bar.update(1)
    bar.close()
    if failures:
        print(f"ocrkit: {len(failures)} of {len(inputs)} inputs failed:", file=sys.stderr)
        for line in failures:
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0


def _run_local(pipeline: Pipeline, inputs: list[InputPage], batch_size: int, dpi: float | None):
    """Batches read in order; the next batch is decoded in a thread while the models run
    (decoders release the GIL), so a GPU does not wait for JPEG decoding."""
    from concurrent.futures import ThreadPoolExecutor

    from ..engines.batch import decode_files, input_source, read_decoded

    chunks = [[(p.name, input_source(p, dpi=dpi)) for p in inputs[s : s + batch_size]]
              for s in range(0, len(inputs), batch_size)]  # fmt: skip
    if not chunks:
        return
    with ThreadPoolExecutor(1, thread_name_prefix="ocrkit-decode") as pool:
        ahead = pool.submit(decode_files, chunks[0])
        for k in range(len(chunks)):
            batch = ahead.result()
            if k + 1 < len(chunks):
                ahead = pool.submit(decode_files, chunks[k + 1])
            yield from read_decoded(pipeline, batch)
