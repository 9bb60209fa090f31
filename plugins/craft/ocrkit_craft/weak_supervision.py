"""Pseudo character boxes for word-level data (SPEC §2.5, avoiding the bugs of §2.7).

For each cared-for word: rectify its quad (full perspective), run the *interim* model on the crop
resized to height 128 (aspect kept), split the region map with a watershed (sure foreground
> ``fg``, sure background < ``bg``, markers = foreground components), count the characters
l_c, score the word s_conf = (l − min(l, |l − l_c|)) / l with l its length without spaces, and if
s_conf < 0.5 fall back to an equal split with confidence 0.5. Boxes are mapped back with the
inverse homography *with* the homogeneous divide. Torch-free: ``region_fn`` runs the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import cv2
import numpy as np

CROP_HEIGHT = 128
FALLBACK_CONFIDENCE = 0.5

RegionFn = Callable[[np.ndarray], np.ndarray]  # RGB crop (h, w, 3) → region map (h/2, w/2)


@dataclass(frozen=True)
class PseudoWord:
    chars: np.ndarray  # float32 (l, 4, 2) character quads in image pixels, reading order
    confidence: float  # s_conf, or 0.5 after the equal-split fallback
    found: int  # characters found by the watershed (l_c)
    split: bool  # True when the equal split was used
    link_chars: np.ndarray  # float32 (l, 4, 2) boxes the affinity is drawn from (may be ``chars``)


def word_length(text: str) -> int:
    """l(w): characters without whitespace (backtime92 counted spaces: a literal '\\s' bug)."""
    return len("".join(text.split()))


def s_conf(length: int, found: int) -> float:
    """(l − min(l, |l − l_c|)) / l."""
    if length <= 0:
        return 0.0
    return (length - min(length, abs(length - found))) / length


def rectify(image: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Word crop (text running left→right), the crop→image homography and whether it is vertical.

    Vertical words (h/w > 2, as the reference) are warped rotated so text runs horizontally.
    """
    q = np.asarray(quad, np.float64)
    w = max(np.linalg.norm(q[1] - q[0]), np.linalg.norm(q[2] - q[3]))
    h = max(np.linalg.norm(q[3] - q[0]), np.linalg.norm(q[2] - q[1]))
    vertical = h / max(w, 1e-6) > 2
    src = np.roll(q, -1, axis=0) if vertical else q  # start at TR: the top edge becomes the right one
    if vertical:
        w, h = h, w
    w, h = max(int(round(w)), 1), max(int(round(h)), 1)
    dst = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src.astype(np.float32), dst)
    crop = cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return crop, np.linalg.inv(m), vertical


def watershed_boxes(region: np.ndarray, fg: float = 0.6, bg: float = 0.2) -> np.ndarray:
    """(k, 4) x0, y0, x1, y1 boxes (map pixels, sorted by x) of the watershed's character basins."""
    score = np.clip(region, 0, 1)
    sure_fg = (score > fg).astype(np.uint8)
    n, markers = cv2.connectedComponents(sure_fg, connectivity=4)
    if n <= 1:
        return np.zeros((0, 4))
    markers = markers + 1  # background 1, characters 2..n
    markers[(score >= bg) & (sure_fg == 0)] = 0  # unknown: to be flooded
    grey = (255 - score * 255).astype(np.uint8)  # basins at character centres
    labels = cv2.watershed(cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR), markers.astype(np.int32))
    # Bounding box of every basin in one pass over the pixels (labels 2..n; -1 = ridge lines).
    ys, xs = np.nonzero(labels >= 2)
    k = labels[ys, xs] - 2
    x0 = np.full(n - 1, np.iinfo(np.int64).max)
    y0 = x0.copy()
    x1 = np.full(n - 1, -1)
    y1 = x1.copy()
    np.minimum.at(x0, k, xs)
    np.minimum.at(y0, k, ys)
    np.maximum.at(x1, k, xs)
    np.maximum.at(y1, k, ys)
    found = x1 >= 0  # a marker can be flooded away entirely
    boxes = np.stack([x0, y0, x1 + 1, y1 + 1], axis=1)[found].astype(np.float64)
    return boxes[np.argsort(boxes[:, 0], kind="stable")].reshape(-1, 4)


def _to_image(boxes: np.ndarray, scale: float, inv: np.ndarray) -> np.ndarray:
    """Crop-pixel boxes (k, 4) → image quads (k, 4, 2) through ``inv`` with the divide."""
    quads = np.stack([boxes[:, [0, 1]], boxes[:, [2, 1]], boxes[:, [2, 3]], boxes[:, [0, 3]]], axis=1)
    pts = (quads.reshape(-1, 1, 2) / scale).astype(np.float64)
    mapped = cv2.perspectiveTransform(pts, inv)  # homogeneous divide included
    return mapped.reshape(-1, 4, 2).astype(np.float32)


@dataclass(frozen=True)
class CropGeometry:
    """How a resized word crop maps back to its image (small: travels to worker processes)."""

    inverse: np.ndarray  # 3×3 homography from rectified-crop pixels to image pixels
    scale: float  # resized / rectified size
    width: int  # resized crop width in pixels (its height is CROP_HEIGHT)


@dataclass(frozen=True)
class WordCrop:
    """A word rectified for the interim model: the resized crop and how to map back."""

    image: np.ndarray  # (128, w, C) uint8, text running left → right
    geometry: CropGeometry


def prepare_word(image: np.ndarray, quad: np.ndarray) -> WordCrop:
    """Rectify ``quad`` and resize to height 128, keeping the aspect."""
    crop, inv, _ = rectify(image, quad)
    h, w = crop.shape[:2]
    scale = CROP_HEIGHT / h
    size = (max(1, int(round(w * scale))), CROP_HEIGHT)
    return WordCrop(cv2.resize(crop, size, interpolation=cv2.INTER_LINEAR), CropGeometry(inv, scale, size[0]))


def text_band(region: np.ndarray, bg: float = 0.2) -> tuple[float, float]:
    """(top, bottom) in map pixels of the rows where the region map reaches ``bg``: the band the
    interim model sees text in (the whole map height when it sees none)."""
    rows = np.nonzero((np.asarray(region) >= bg).any(axis=1))[0]
    if not len(rows):
        return 0.0, float(np.asarray(region).shape[0])
    return float(rows[0]), float(rows[-1] + 1)


CELL_HEIGHT_SCALE = 2.0  # "cell" boxes: the basin's height × this, about its own centre
CELL_WIDTH_SCALE = 1.0  # ... and the span between the neighbours' midpoints × this
BOX_MODES = ("cell", "full", "basin")


def cell_boxes(basins: np.ndarray, width: float, height_scale: float = CELL_HEIGHT_SCALE,
               width_scale: float = CELL_WIDTH_SCALE) -> np.ndarray:
    """(k, 4) x0, y0, x1, y1 character cells (crop pixels) from watershed basins sorted by x.

    Horizontally each basin's centre ± half the span between the midpoints to its neighbours
    (the basin's own edge on the word's outer sides); vertically the basin's height × ``height_scale``
    about its own centre, within the crop (height ``CROP_HEIGHT``, width ``width``).
    """
    b = np.asarray(basins, np.float64).reshape(-1, 4)
    cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
    mids = (cx[1:] + cx[:-1]) / 2
    left, right = np.r_[b[:1, 0], mids], np.r_[mids, b[-1:, 2]]
    half_w, half_h = (right - left) * width_scale / 2, (b[:, 3] - b[:, 1]) * height_scale / 2
    return np.stack([np.clip(cx - half_w, 0, width), np.clip(cy - half_h, 0, CROP_HEIGHT),
                     np.clip(cx + half_w, 0, width), np.clip(cy + half_h, 0, CROP_HEIGHT)], axis=1)  # fmt: skip


def pseudo_word_from_map(word: CropGeometry, text: str, region: np.ndarray, fg: float = 0.6,
                         bg: float = 0.2, boxes: str = "cell", basin_links: bool = False) -> PseudoWord:  # fmt: skip
    """Pseudo character quads from the interim model's region map (half size) of the crop that
    ``word`` describes.

    ``boxes``: which box of each character the region Gaussian is drawn on. The watershed runs
    on a 128-px-high crop, where the model's blobs are the ink of each glyph; at page scale
    (what training and inference see) the same model's blobs are larger and round. A target
    the pretrained model already meets leaves it where it is until a real error moves it, so
    each mode is measured by how close craft_mlt_25k's page-scale region map is to the targets
    it makes (``benchmarks/label_calibration.py --real … --pseudo-boxes MODE``: 8 FUNSD train
    pages at the recipe's scale, inside the supervised words, the parts above 0.4: IoU, and
    area prediction ÷ target):

    * ``"basin"``: the basins' own boxes. IoU 0.37, area 2.57: training on them shrank every
      word box (FUNSD test H-mean 0.855 → 0.279 in 283 steps).
    * ``"full"``: the basins' width, the word's height (as the paper's figures draw them).
      IoU 0.51, area 1.10: the right area, the wrong shape — tall thin ellipses where the model
      draws round blobs; a narrow glyph ("1" of "1.") gets a bar a few pixels wide, and the
      model's own blob around it is mined as hard negatives.
    * ``"cell"`` (default): ``cell_boxes`` — the character's cell between its neighbours,
      twice the basin's height. IoU 0.72, area 0.96 (synthetic pages' exact boxes: 0.67).

    An equal split (s_conf < 0.5) uses the equal cells and, as basins, the rows where the map
    reaches ``bg`` (the whole word height in ``"full"`` mode).

    ``basin_links``: draw the affinity from the basins' own boxes instead of the region boxes.
    Off by default: links between the cells, not lengthened along the link
    (``pseudo_labels.PSEUDO_LINK_ALONG``), are round dots between characters like the pretrained
    model's own (affinity IoU 0.62, area 0.80 on 8 FUNSD train pages; 4 pages, the four
    combinations of basins/cells × lengthened 0.5/0: IoU 0.53, 0.52, 0.54, 0.67); basin links
    are thin bars along the word (IoU 0.51, area 1.02). Links from *full-height* boxes were 2.6×
    too large (area 0.38) and taught the model to join neighbouring words.
    """
    if boxes not in BOX_MODES:
        raise ValueError(f"pseudo boxes must be one of {', '.join(BOX_MODES)}, got {boxes!r}")
    length = word_length(text)
    basins = watershed_boxes(region, fg, bg) * 2.0  # map pixels → resized-crop pixels
    found = len(basins)
    conf = s_conf(length, found)
    split = conf < 0.5
    if split:  # equal widths; as "basins", the rows where the map reaches bg
        conf = FALLBACK_CONFIDENCE
        edges = np.linspace(0, word.width, length + 1)
        top, bottom = text_band(region, bg)
        basins = np.stack([edges[:-1], np.full(length, 2.0 * top), edges[1:], np.full(length, 2.0 * bottom)], 1)
    chars_px = basins.copy()
    if boxes == "full":
        chars_px[:, 1], chars_px[:, 3] = 0.0, float(CROP_HEIGHT)
    elif boxes == "cell":
        chars_px = cell_boxes(basins, word.width)
    chars = _to_image(chars_px, word.scale, word.inverse)
    links = _to_image(basins, word.scale, word.inverse) if basin_links else chars
    return PseudoWord(chars, float(conf), found, split, links)


def pseudo_word(image: np.ndarray, quad: np.ndarray, text: str, region_fn: RegionFn, fg: float = 0.6,
                bg: float = 0.2, boxes: str = "cell", basin_links: bool = False) -> PseudoWord:  # fmt: skip
    """Pseudo character quads for one word, running ``region_fn`` (the interim model) on it."""
    word = prepare_word(image, quad)
    return pseudo_word_from_map(word.geometry, text, region_fn(word.image), fg, bg, boxes, basin_links)


def confidence_map(shape: tuple[int, int], words: Sequence[tuple[np.ndarray, float]],
                   dont_care: Sequence[np.ndarray] = (), gaps: Sequence[np.ndarray] = (),
                   gap_weight: float = 1.0) -> np.ndarray:  # fmt: skip
    """float32 (H, W): 1 everywhere, ``gap_weight`` in the ``gaps`` between words
    (``gaps.gap_polygons``), each word's polygon filled with its confidence, 0 in don't-care
    polygons (polygons, not their axis-aligned bounds: brooklyn1900's bug). Later fills win."""
    conf = np.ones(shape, np.float32)
    for polygon in gaps:
        cv2.fillPoly(conf, [np.round(np.asarray(polygon)).astype(np.int32)], float(gap_weight))
    for polygon, value in words:
        cv2.fillPoly(conf, [np.round(np.asarray(polygon)).astype(np.int32)], float(value))
    for polygon in dont_care:
        cv2.fillPoly(conf, [np.round(np.asarray(polygon)).astype(np.int32)], 0.0)
    return conf
