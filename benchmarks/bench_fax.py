"""Faxes: FUNSD test forms sent as fax TIFFs, read as stored and with square pixels.

    python benchmarks/bench_fax.py --limit 3
    python benchmarks/bench_fax.py --limit 3 --modes normal --filters cubic,nearest

A fax is a bi-level (1-bit) scan whose rows and columns are sampled at different resolutions:
204×98 dpi in the "normal" mode most fax machines and fax-to-email services use, 204×196 dpi in
"fine". Its TIFF (CCITT Group 4) says so in its resolution tags; read as plain pixels the page
is squashed to half its height. Each form is made into such a fax: its grey scan (~90 dpi,
754 px across a Letter-wide page) resized to the fax's resolution on each axis and thresholded
(Otsu), saved as a Group 4 TIFF with the fax's resolution. It is then read
(``ocrkit.Pipeline``, CRAFT + CRNN, ``ocrkit run``'s defaults) from the PNG, from each fax as
stored (``read_image(..., square_pixels=False)``) and with square pixels (``default``:
``read_image``'s, a bi-level fax's rows repeated, then softened by the pipeline as any
bi-level page; or resampled with each other of ``--filters``), and from a fax at 204×204 dpi
(square pixels to begin with: what the squared faxes can at best reach). Prints per variant the
image size, the words read exactly (a multiset match with the form's ground-truth words, case
and marks counted), seconds per form and the machine.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FormReadings, funsd_words, machine  # noqa: E402

import ocrkit  # noqa: E402
import ocrkit.io as ocrkit_io  # noqa: E402

LETTER_WIDTH_IN = 8.5  # FUNSD's forms are Letter pages scanned whole
FAX_MODES = {"normal": (204.0, 98.0), "fine": (204.0, 196.0), "square": (204.0, 204.0)}
AREA_DOWN = -1  # the finer axis averaged down to the coarser's resolution instead
FILTERS = {"default": None, "cubic": cv2.INTER_CUBIC, "linear": cv2.INTER_LINEAR,
           "nearest": cv2.INTER_NEAREST, "area-down": AREA_DOWN}  # fmt: skip


def fax_tiff(png: Path, dpi: tuple[float, float]) -> bytes:
    """The form as a bi-level Group 4 TIFF sampled at ``dpi`` (x, y)."""
    grey = np.asarray(Image.open(png).convert("L"))
    scan_dpi = grey.shape[1] / LETTER_WIDTH_IN
    w, h = round(grey.shape[1] * dpi[0] / scan_dpi), round(grey.shape[0] * dpi[1] / scan_dpi)
    shrink = w * h < grey.size
    resized = cv2.resize(grey, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)
    _, bw = cv2.threshold(resized, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    buf = io.BytesIO()
    Image.fromarray(bw).convert("1").save(buf, format="TIFF", compression="group4", dpi=dpi)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="../shared/data/funsd/dataset/testing_data")
    p.add_argument("--limit", type=int, default=3, help="first N forms")
    p.add_argument("--modes", default="normal,fine,square", help=f"of {','.join(FAX_MODES)}")
    p.add_argument("--filters", default="default",
                   help=f"square-pixel resampling: {list(FILTERS)}")
    p.add_argument("--precision", default="bf16", help="CRAFT and CRNN precision")
    args = p.parse_args(argv)
    root = Path(args.data)
    detector = ocrkit.load_detector("craft", precision=args.precision)
    pipeline = ocrkit.Pipeline(detector, ocrkit.load_recognizer("crnn", precision=args.precision))
    modes = [m for m in args.modes.split(",") if m]
    filters = [f for f in args.filters.split(",") if f]
    tally = FormReadings()
    total = 0
    pngs = sorted((root / "images").glob("*.png"))[: args.limit]
    for png in pngs:
        words = funsd_words(root, png)
        total += len(words)
        variants = [("png", lambda: ocrkit.read_image(png))]
        for mode in modes:
            dpi = FAX_MODES[mode]
            tiff = fax_tiff(png, dpi)
            label = f"{mode} {dpi[0]:g}×{dpi[1]:g}"
            variants.append((f"{label} as stored",
                             lambda t=tiff: ocrkit.read_image(t, square_pixels=False)))  # fmt: skip
            if dpi[0] != dpi[1]:
                variants += [(f"{label} square, {f}", lambda t=tiff, f=f: square(t, FILTERS[f]))
                             for f in filters]  # fmt: skip
        for name, load in variants:
            tally.read(pipeline, png.stem, name, load(), words)
    print(f"\nmachine: {json.dumps(machine())}; precision {args.precision}; {len(pngs)} forms, "
          f"{total} words; faxes thresholded (Otsu) and saved as Group 4 TIFFs\n")
    tally.table(total, len(pngs))
    return 0


def square(tiff: bytes, filter_: int | None) -> np.ndarray:
    """``read_image``'s default reading (``filter_`` None) or with both its squaring filters
    (grey and bi-level images) set to ``filter_``; "area-down" averages the finer axis down
    instead."""
    if filter_ == AREA_DOWN:
        stored = ocrkit.read_image(tiff, square_pixels=False)
        x, y = Image.open(io.BytesIO(tiff)).info["dpi"]
        h, w = stored.shape[:2]
        size = (round(w * y / x), h) if x > y else (w, round(h * x / y))
        return cv2.resize(stored, size, interpolation=cv2.INTER_AREA)
    if filter_ is None:
        return ocrkit.read_image(tiff)
    saved = ocrkit_io.SQUARE_FILTER, ocrkit_io.BILEVEL_SQUARE_FILTER
    ocrkit_io.SQUARE_FILTER = ocrkit_io.BILEVEL_SQUARE_FILTER = filter_
    try:
        return ocrkit.read_image(tiff)
    finally:
        ocrkit_io.SQUARE_FILTER, ocrkit_io.BILEVEL_SQUARE_FILTER = saved


if __name__ == "__main__":
    raise SystemExit(main())
