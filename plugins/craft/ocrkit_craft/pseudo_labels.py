"""Per-page weak-supervision targets, split so each part runs where it is cheapest (torch-free).

1. ``prepare_page`` (DataLoader worker): pick up to ``max_words`` cared-for words, rectify each
   to a 128-px-high crop. Depends only on the page and the item's seed.
2. The interim model's region maps of every crop of the batch (training step, one batched pass).
3. ``page_targets`` (in-process or a process pool): watershed → pseudo characters → half-res
   region/affinity Gaussians and the confidence map. Pure numpy/cv2, so it pickles cheaply and
   runs in parallel across the pages of a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from .gaps import gap_polygons
from .labels import LINK_ALONG, affinity_map, region_map
from .weak_supervision import CropGeometry, confidence_map, prepare_word, pseudo_word_from_map

# Weak-supervision links are drawn between the pseudo characters' cells and, as on synthetic
# pages, not lengthened along the link: the targets closest to craft_mlt_25k's own links
# (measurements: weak_supervision.pseudo_word_from_map, ``basin_links``).
PSEUDO_LINK_ALONG = 0.0


def half(score: np.ndarray, nearest: bool = False) -> np.ndarray:
    """Full-resolution target → half resolution: scores bicubic, clipped to [0, 1] (cubic
    overshoots); masks and weights nearest, values kept (a confidence map's gap weight is > 1)."""
    h, w = score.shape
    if nearest:
        return cv2.resize(score, (w // 2, h // 2), interpolation=cv2.INTER_NEAREST).astype(np.float32)
    return np.clip(cv2.resize(score, (w // 2, h // 2), interpolation=cv2.INTER_CUBIC), 0, 1).astype(np.float32)


def targets_from_chars(words_chars: Sequence[np.ndarray], shape: tuple[int, int],
                       link_chars: Sequence[np.ndarray] | None = None,
                       link_along: float = LINK_ALONG) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Half-resolution (region, affinity) maps from per-word (n, 4, 2) character quads; the
    affinity comes from ``link_chars`` (per word, same counts) when given, its quads enlarged
    by ``link_along`` along each link (``labels.affinity_map``)."""
    chars = np.concatenate([c for c in words_chars if len(c)], axis=0) if words_chars else np.zeros((0, 4, 2))
    links = list(words_chars) if link_chars is None else list(link_chars)
    return half(region_map(chars, shape)), half(affinity_map(links, shape, link_along))


@dataclass
class PreparedPage:
    """A real page's words ready for the interim model. ``crops`` go to the GPU; the rest
    (small) goes to ``page_targets``."""

    shape: tuple[int, int]  # page (H, W) in pixels
    crops: list[np.ndarray]  # (128, w, 3) uint8 rectified words, text left → right
    words: list[tuple[np.ndarray, str, CropGeometry]]  # quad (4, 2), text, crop → page mapping
    unused: list[np.ndarray]  # quads of words not supervised this time (don't care)


def prepare_page(raw: np.ndarray, words: Sequence[tuple], max_words: int, rng: np.random.Generator) -> PreparedPage:
    """``words``: (quad (4, 2), text, ignore) tuples of the page ``raw`` (H, W, 3) uint8."""
    cared = [k for k, (_, text, ignore) in enumerate(words) if not ignore and "".join(text.split())]
    if len(cared) > max_words:
        cared = sorted(rng.choice(cared, max_words, replace=False).tolist())
    crops, meta = [], []
    for k in cared:
        quad, text, _ = words[k]
        wc = prepare_word(raw, quad)
        crops.append(wc.image)
        meta.append((np.asarray(quad, np.float32), text, wc.geometry))
    chosen = set(cared)
    unused = [np.asarray(words[k][0], np.float32) for k in range(len(words)) if k not in chosen]
    return PreparedPage(raw.shape[:2], crops, meta, unused)


def page_targets(shape: tuple[int, int], words: Sequence[tuple], maps: Sequence[np.ndarray],
                 unused: Sequence[np.ndarray], fg: float, bg: float,
                 boxes: str = "cell", basin_links: bool = False,
                 link_along: float = PSEUDO_LINK_ALONG, gap_weight: float = 1.0) -> tuple[np.ndarray, ...]:  # fmt: skip
    """(region, affinity, confidence) float32 at half resolution from the interim model's
    ``maps`` (one (64, w/2) region map per prepared word). The gaps between neighbouring
    words of a line (all the page's words, supervised or not) weigh ``gap_weight``."""
    chars, links, conf_words = [], [], []
    for (quad, text, geometry), region in zip(words, maps):
        pw = pseudo_word_from_map(geometry, text, region, fg, bg, boxes, basin_links)
        chars.append(pw.chars)
        links.append(pw.link_chars)
        conf_words.append((quad, pw.confidence))
    region, affinity = targets_from_chars(chars, shape, links, link_along)
    conf = confidence_target(shape, conf_words, unused, [w[0] for w in words] + list(unused), gap_weight)
    return region, affinity, conf


def confidence_target(shape: tuple[int, int], words: Sequence[tuple[np.ndarray, float]],
                      dont_care: Sequence[np.ndarray], all_quads: Sequence[np.ndarray],
                      gap_weight: float = 1.0) -> np.ndarray:  # fmt: skip
    """Half-resolution confidence map of a page (``weak_supervision.confidence_map``), the gaps
    between neighbouring words of ``all_quads`` weighing ``gap_weight``; the gaps are only
    looked for when that weight changes the map."""
    gaps = gap_polygons(all_quads) if gap_weight != 1.0 else []
    return half(confidence_map(shape, words, dont_care, gaps, gap_weight), nearest=True)


def page_targets_job(args: tuple) -> tuple[np.ndarray, ...]:
    """``page_targets(*args)`` for ``Executor.map`` (a module-level function pickles)."""
    return page_targets(*args)
