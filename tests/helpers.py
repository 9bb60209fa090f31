"""Test helpers: paths to ../shared, skips, and fake plugins (imported by tests and conftest)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from ocrkit import Detection, Recognition, hookimpl

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = SHARED / "data"
REFERENCE = SHARED / "reference"
SAMPLE = ROOT / "samples" / "page.png"


def rect_iou(a: np.ndarray, b: np.ndarray) -> float:
    """IoU of the axis-aligned bounding rectangles of two (N, 2) polygons."""
    import cv2

    ra, rb = cv2.boundingRect(a.astype(np.float32)), cv2.boundingRect(b.astype(np.float32))
    x0, y0 = max(ra[0], rb[0]), max(ra[1], rb[1])
    x1, y1 = min(ra[0] + ra[2], rb[0] + rb[2]), min(ra[1] + ra[3], rb[1] + rb[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    return inter / (ra[2] * ra[3] + rb[2] * rb[3] - inter)


def need_shared() -> None:
    if not DATA.is_dir():
        pytest.skip("../shared/data is not available", allow_module_level=True)


def need_plugin(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


class FakeDetector:
    """Finds dark blobs' bounding boxes: enough to exercise the pipeline without a network."""

    def __init__(self, threshold: int = 128) -> None:
        self.threshold = threshold
        self.calls: list[int] = []

    def detect(self, images):
        import cv2

        self.calls.append(len(images))
        out = []
        for img in images:
            dark = (img.min(axis=2) < self.threshold).astype(np.uint8)
            dark = cv2.dilate(dark, np.ones((3, 9), np.uint8))
            n, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
            dets = []
            for k in range(1, n):
                x, y, w, h, area = stats[k]
                if area < 4:
                    continue
                poly = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float32)
                dets.append(Detection(poly, 0.9))
            out.append(dets)
        return out


class FakeRecognizer:
    """Reads a crop as 'w<width>': deterministic and shape-dependent."""

    height = 32

    def recognize(self, crops):
        return [Recognition(f"w{c.shape[1]}", 0.5) for c in crops]


class FakePlugin:
    """Registers fake/ and fakerec under the names the CLI tests use."""

    @staticmethod
    @hookimpl
    def ocrkit_register_detectors(registry):
        registry.add("fake", lambda *, options, device: FakeDetector(**dict(options)),
                     summary="dark blobs")  # fmt: skip

    @staticmethod
    @hookimpl
    def ocrkit_register_recognizers(registry):
        registry.add("fakerec", lambda *, options, device: FakeRecognizer(), summary="widths")


def ctc_frames(alphabet, path: list[tuple[str, dict[str, float]]]) -> np.ndarray:
    """(T, C) CTC probabilities for ``alphabet`` (a CRNN charset): per frame (its label, a dict
    of character → probability, '' = blank), the rest spread evenly over the other classes."""
    out = np.full((len(path), alphabet.num_classes), 1e-4)
    for t, (_, probs) in enumerate(path):
        for ch, p in probs.items():
            out[t, 0 if ch == "" else alphabet.encode(ch)[0]] = p
    return out / out.sum(axis=1, keepdims=True)


def funsd_crops(
    words: list[tuple[str, tuple[int, int, int, int]]], sampling: str = "linear"
) -> list[np.ndarray]:
    """FUNSD test word crops, (64, W, 3) uint8 RGB, cut as ``ocrkit eval`` cuts a word: per word
    (form stem, axis-aligned box x0, y0, x1, y1 in form pixels). Bilinear by default: the tests'
    words were picked for how the CRNN misread them cut so (``--crop-sampling linear``); the
    default Lanczos cut reads some of them right before the step a test is about."""
    from ocrkit.geometry import crop_quad, sampling_flag
    from ocrkit.io import read_image

    forms = DATA / "funsd" / "dataset" / "testing_data" / "images"
    pages: dict[str, np.ndarray] = {}
    crops = []
    for stem, (a, b, c, d) in words:
        if stem not in pages:
            pages[stem] = read_image(forms / f"{stem}.png")
        quad = np.array([[a, b], [c, b], [c, d], [a, d]], np.float32)
        crops.append(crop_quad(pages[stem], quad, 64, interpolation=sampling_flag(sampling)))
    return crops


def funsd_crop_set(folder: Path, words: list[tuple[str, str, tuple[int, int, int, int]]]) -> str:
    """Write FUNSD test word crops as a ``crops:`` recognition set and return its spec: per word
    (form stem, ground truth, box as in :func:`funsd_crops`), saved as ``folder/K.png`` with
    ``folder/labels.txt``."""
    import cv2

    folder.mkdir(parents=True, exist_ok=True)
    for k, crop in enumerate(funsd_crops([(stem, box) for stem, _, box in words])):
        cv2.imwrite(str(folder / f"{k}.png"), np.ascontiguousarray(crop[:, :, ::-1]))
    (folder / "labels.txt").write_text("".join(f"{k}.png\t{w[1]}\n" for k, w in enumerate(words)))
    return f"crops:{folder}"
