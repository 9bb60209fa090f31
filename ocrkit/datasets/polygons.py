"""Polygon ground truth: Total-Text / CTW1500 evaluation text files, SROIE, MSRA-TD500.

* Total-Text and CTW1500 (the evaluation format): one region a line, ``x1,y1,...,xn,yn,text`` with
  any even number of coordinates; ``###`` is don't care. Files are ``poly_gt_<stem>.txt``,
  ``gt_<stem>.txt`` or ``<stem>.txt``.
* SROIE task 1: ``x1,y1,...,x4,y4,text`` per line in ``<stem>.txt`` (text may contain commas).
* MSRA-TD500: ``<stem>.gt`` lines ``index difficult x y w h angle``: a w×h rectangle whose
  top-left corner is (x, y) before it is rotated by ``angle`` radians about its centre; difficult
  lines are don't care.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..types import GroundTruth
from .base import DatasetError, DetectionSample, image_files, pick_folder, read_text_lines
from .icdar import DONT_CARE, read_gt_file


def read_msra_file(path: Path) -> list[GroundTruth]:
    out = []
    for number, line in enumerate(read_text_lines(path), 1):
        if not line.strip():
            continue
        fields = line.split()
        try:
            _, difficult, x, y, w, h, angle = (float(v) for v in fields[:7])
        except ValueError:
            raise DatasetError(f"{path}:{number}: expected 'index difficult x y w h angle'") from None
        if len(fields) != 7 or w < 0 or h < 0:
            raise DatasetError(f"{path}:{number}: expected 'index difficult x y w h angle'")
        cx, cy = x + w / 2, y + h / 2
        c, s = math.cos(angle), math.sin(angle)
        corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
        rot = corners @ np.array([[c, s], [-s, c]]) + [cx, cy]  # rotate by +angle (y down)
        out.append(GroundTruth(rot.astype(np.float32), None, ignore=bool(difficult)))
    return out


def _find_gt(gt_dir: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    for pattern in suffixes:
        candidate = gt_dir / pattern.format(stem=stem)
        if candidate.is_file():
            return candidate
    return None


def _load(
    data: Path | None, images: Path | None, gt: Path | None, *, image_dirs: tuple[str, ...],
    gt_dirs: tuple[str, ...], names: tuple[str, ...], reader,
) -> list[DetectionSample]:  # fmt: skip
    if data is not None:
        images = images or pick_folder(data, image_dirs, "image")
        gt = gt or pick_folder(data, gt_dirs, "ground-truth")
    if images is None or gt is None:
        raise DatasetError("give --data DIR, or both --images DIR and --gt DIR")
    samples = []
    for stem, path in sorted(image_files(images).items()):
        gt_path = _find_gt(gt, stem, names)
        if gt_path is None:
            raise DatasetError(f"{gt}: no ground truth for image {path.name} ({names[0].format(stem=stem)})")
        samples.append(DetectionSample(stem, path, reader(gt_path)))
    return samples


def load_totaltext(data=None, images=None, gt=None) -> list[DetectionSample]:
    return _load(data, images, gt, image_dirs=("Images/Test", "test_images", "images", "Test"),
                 gt_dirs=("gt", "Groundtruth/Polygon/Test", "test_gts", "annotations"),
                 names=("poly_gt_{stem}.txt", "gt_{stem}.txt", "{stem}.txt"), reader=read_gt_file)  # fmt: skip


def load_sroie(data=None, images=None, gt=None) -> list[DetectionSample]:
    return _load(data, images, gt, image_dirs=("img", "images", "0325updated.task1train(626p)"),
                 gt_dirs=("box", "gt", "annotations", "0325updated.task1train(626p)"),
                 names=("{stem}.txt",), reader=read_gt_file)  # fmt: skip


def load_msra_td500(data=None, images=None, gt=None) -> list[DetectionSample]:
    if data is not None and images is None and gt is None and any(data.glob("*.gt")):
        images = gt = data  # as distributed: IMG_xxxx.JPG beside IMG_xxxx.gt
    return _load(data, images, gt, image_dirs=("test", "images"), gt_dirs=("test", "gt"),
                 names=("{stem}.gt", "{stem}.txt"), reader=read_msra_file)  # fmt: skip


__all__ = ["DONT_CARE", "load_msra_td500", "load_sroie", "load_totaltext", "read_msra_file"]
