"""Shared benchmark helpers: the machine report and running a command with its peak memory."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


def machine() -> dict[str, Any]:
    """CPU model, cores, Python/torch versions and GPU (if any) of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info: dict[str, Any] = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}
    try:
        import torch

        info["torch"] = torch.__version__
        info["threads"] = torch.get_num_threads()
        # The vector unit decides which CPU precision is fastest (native bf16 or emulated).
        info["cpu_capability"] = torch.backends.cpu.get_cpu_capability()
        from ocrkit.precision import cpu_has_native_bf16

        info["native_bf16"] = cpu_has_native_bf16()
        if torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
    except ImportError:
        pass
    return info


@dataclass
class Run:
    output: str
    seconds: float
    peak_rss_mib: float
    returncode: int


def run_measured(argv: list[str]) -> Run:
    """Run ``argv``; return stdout, wall time and the child's own peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(out, time.perf_counter() - start, usage.ru_maxrss / 1024.0, proc.returncode)


def last_json(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON in output: {text[-300:]!r}")


def cut_crops(spec: str, limit: int = 0) -> tuple[list[Any], list[Any]]:
    """A recognition dataset's samples (``DATASET:PATH``, the first ``limit``; 0 = all) and
    their crops, RGB uint8 (64, W, 3), cut as ``ocrkit eval`` cuts them."""
    import numpy as np

    from ocrkit.commands.eval import load_crop
    from ocrkit.datasets.specs import load_dataset_specs

    samples = load_dataset_specs([spec], "recognition")
    samples = samples[:limit] if limit else samples
    return samples, [np.asarray(load_crop(s, 64)) for s in samples]


def crop_frames(
    recognizer: Any, spec: str, limit: int = 0
) -> tuple[list[Any], list[Any], list[Any], list[str]]:
    """A recognition dataset's crops (``DATASET:PATH``, the first ``limit``; 0 = all), cut as
    ``ocrkit eval`` cuts them: the samples, the crops (RGB uint8), each crop's (T, C) CTC
    probabilities from ``recognizer`` (a CRNN) and its greedy reading (nothing corrected)."""
    from ocrkit_crnn.decode import collapse
    from ocrkit_crnn.preprocess import HEIGHT, resize_to_height, to_grey

    samples, crops = cut_crops(spec, limit)
    probs = recognizer.probabilities([resize_to_height(to_grey(c), HEIGHT) for c in crops])
    reads = [recognizer.alphabet.decode(collapse(q.argmax(axis=1))) for q in probs]
    return samples, crops, probs, reads


@dataclass
class Corrections:
    """What a correction step did to a set of readings: words exact after it, the (truth,
    reading, corrected) triples it made right and wrong, readings changed, ms per word."""

    exact: int
    fixed: list[tuple[str, str, str]]
    broken: list[tuple[str, str, str]]
    changed: int
    ms: float


def corrections(
    samples: list[Any], probs: list[Any], reads: list[str], fix: Any, right: Any
) -> Corrections:
    """Apply ``fix(reading, probs) -> text`` to every reading (see :func:`crop_frames`) and
    count against each sample's text with ``right(text, truth) -> bool``."""
    start = time.perf_counter()
    out = Corrections(0, [], [], 0, 0.0)
    for r, q, s in zip(reads, probs, samples):
        c = fix(r, q)
        out.changed += c != r
        out.exact += right(c, s.text)
        if right(c, s.text) and not right(r, s.text):
            out.fixed.append((s.text, r, c))
        elif right(r, s.text) and not right(c, s.text):
            out.broken.append((s.text, r, c))
    out.ms = 1000 * (time.perf_counter() - start) / max(1, len(samples))
    return out


def examples(spec: str, margin: float | str, done: Corrections, show: int) -> str:
    """One line of the words a correction at ``margin`` made right and wrong (``show`` each)."""
    margin = f"{margin:g}" if isinstance(margin, float) else margin
    return (f"{spec}, margin {margin}: made right (truth, read, corrected) "
            f"{done.fixed[:show]}; made wrong {done.broken[:show]}")


def add_crop_sets(parser: Any, margins: str, what: str, show: int = 8) -> None:
    """The options of a benchmark of one recogniser step on word crops: ``--set`` (repeatable),
    ``--limit``, ``--margins`` (default ``margins``, values of the option ``what``), ``--show``."""
    parser.add_argument("--set", action="append", required=True, metavar="DATASET:PATH",
                        help="a recognition dataset, e.g. funsd_words:PATH, iiit5k:PATH (repeatable)")
    parser.add_argument("--limit", type=int, default=0, help="first N crops per set (0 = all)")
    parser.add_argument("--margins", default=margins, help=f"{what} values (nats)")
    parser.add_argument("--show", type=int, default=show, help="examples made right / wrong per set")


def exact_as_the_pipeline_reads(reading: str, truth: str) -> bool:
    """``reading`` equals ``truth``, case counted, once tidied and passed through the text-only
    case step as the pipeline does (:func:`ocrkit.tidy.tidy_word`, :func:`ocrkit.letter_case.raised`)."""
    from ocrkit.letter_case import raised
    from ocrkit.tidy import tidy_word

    return tidy_word(raised(reading)) == truth


def add_image_set(parser: Any, limit: int) -> None:
    """``--dataset``/``--data`` (ICDAR 2015 test by default), ``--limit`` and ``--device``: the
    options of the benchmarks that read a detection set's images end to end."""
    parser.add_argument("--data", default="../shared/data/icdar2015/test")
    parser.add_argument("--dataset", default="icdar2015")
    parser.add_argument("--limit", type=int, default=limit, help="first N images")
    parser.add_argument("--device", default="cpu")


def funsd_words(root: Any, png: Any) -> list[str]:
    """The ground-truth words (non-blank) of the FUNSD form ``png`` under ``root`` (a
    ``testing_data``/``training_data`` folder)."""
    gt = json.loads((root / "annotations" / f"{png.stem}.json").read_text())
    return [w["text"] for f in gt["form"] for w in f["words"] if w["text"].strip()]


class FormReadings:
    """Per variant of a form: words read exactly (a multiset match with its ground truth, case
    and marks counted), reading seconds and the first form's image size; printed as a line per
    form and variant, and as a table."""

    def __init__(self) -> None:
        self.right: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.shapes: dict[str, tuple[int, int]] = {}

    def read(self, pipeline: Any, stem: str, name: str, image: Any, words: list[str]) -> int:
        t0 = time.perf_counter()
        read = Counter(w.text for w in pipeline.read([image])[0])
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0
        hits = sum((read & Counter(words)).values())
        self.right[name] = self.right.get(name, 0) + hits
        self.shapes.setdefault(name, image.shape[:2])
        print(f"{stem} {name}: {image.shape[1]}×{image.shape[0]}, {hits}/{len(words)}", flush=True)
        return hits

    def table(self, total: int, forms: int) -> None:
        print("| read from | first form's size | words read exactly | s per form |")
        print("| --- | --- | --- | --- |")
        for name, right in self.right.items():
            h, w = self.shapes[name]
            print(f"| {name} | {w}×{h} | {right}/{total} | "
                  f"{self.seconds[name] / max(forms, 1):.1f} |")  # fmt: skip


def scanned(page: Any, rng: Any) -> Any:
    """A rendered grey page (PIL "L" image) as a scan: blurred (σ 0.4–0.9), noised (σ 3) and
    saved as JPEG 60–85; RGB uint8 (H, W, 3)."""
    import io

    import cv2
    import numpy as np
    from PIL import Image

    grey = cv2.GaussianBlur(np.asarray(page), (0, 0), float(rng.uniform(0.4, 0.9)))
    grey = np.clip(grey + rng.normal(0, 3, grey.shape), 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, "JPEG", quality=int(rng.integers(60, 86)))
    return np.asarray(Image.open(buf).convert("RGB"))


def drawn_at(point: Any, drawn: list[tuple]) -> str | None:
    """The text drawn where ``point`` (x, y) falls, within 2 px: ``drawn`` holds tuples of a
    text first and its box (x0, y0, x1, y1) last."""
    x, y = point
    hits = [d[0] for d in drawn
            if d[-1][0] - 2 <= x <= d[-1][2] + 2 and d[-1][1] - 2 <= y <= d[-1][3] + 2]  # fmt: skip
    return hits[0] if hits else None


@contextmanager
def step_swapped(old: Any, new: Any) -> Any:
    """Within the block ``ocrkit.Pipeline`` runs ``new`` in place of its text step ``old``
    (``ocrkit.text_steps.TEXT_STEPS``, read by the pipeline at each call): a benchmark's
    reading with and without a step."""
    import ocrkit.pipeline

    saved = ocrkit.pipeline.TEXT_STEPS
    if old not in saved:
        raise ValueError(f"{old!r} is not one of the pipeline's text steps")
    ocrkit.pipeline.TEXT_STEPS = tuple(new if s is old else s for s in saved)
    try:
        yield
    finally:
        ocrkit.pipeline.TEXT_STEPS = saved
