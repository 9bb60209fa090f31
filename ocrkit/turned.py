"""Whole pages turned: read turned by 180°, and by 90° detected again upright.

Upside down (``read_upside_down``): an image whose widest words read clearly better turned by
180° (:func:`ocrkit.orientation.upside_down`) has every region read turned.

Sideways (``read_sideways``, then ``upright`` and ``mapped_back``): the image's vertical regions
vote on the angle to read them at (:func:`ocrkit.orientation.vote`), and on a page turned by 90°
its short words are read that way too.

A page photographed sideways (a card held in portrait, a scan fed in landscape) is found by
that vote (most regions tall, read best turned one way). Reading those regions turned does not
mend what CRAFT did to sideways text: trained on upright text, it links characters across the
lines of a sideways block ("of" joined to "birth" on the next line, an MRZ's first two lines as
one region read "U"). So such an image is turned upright (``np.rot90``, exact), detected and
read again as any upright image, and its words' polygons are mapped back onto the image as
given, each still starting at the top-left of its text (a rotation keeps the corners
clockwise). Most such pages are found before their regions are read at all
(``sideways_pages``): where most of an image's regions are vertical, its ``SAMPLE`` longest
ones are read at 0°, 90° and 270° and vote, and a page they find turned goes straight to the
second detection. Otherwise every region is read and votes as above (``read_sideways``),
which catches what the sample missed. Upright images cost nothing extra; a turned one costs
one more detection and the sample's readings. The same holds for a page turned by 60° or
120°: the reference boxes its words tall, they vote, and the page turned by 90° is within 30°
of upright, where ``follow_page`` boxes its words along the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from .geometry import polygon_to_quad, quad_size
from .orientation import MIN_VOTERS, is_squarish, is_vertical, probes, rotated, upside_down, vote
from .types import Detection, Image, Recognition, Word

Job = tuple[Image, Detection, bool]  # a crop to read: (image, region, turn the crop by 180°)
Read = Callable[[Sequence[Job]], list[Recognition]]  # jobs → their crops' readings
SAMPLE = 8  # an image's longest vertical regions read at 0°, 90° and 270° before the rest
SIDE_ANGLES = (0, 90, 270)


def most_vertical(tall: int, regions: int) -> bool:
    """Whether an image with ``regions`` regions, ``tall`` of them vertical, may be a page
    turned by 90° (its vertical regions' vote then decides): at least half are vertical."""
    return 2 * tall >= regions


def sideways_pages(
    images: Sequence[Image], detections: Sequence[Sequence[Detection]], read: Read
) -> dict[int, int]:
    """The angle (90 or 270) of each image found turned by 90° on a sample of its regions:
    where at least half its regions are vertical quads (``MIN_VOTERS`` or more), the
    ``SAMPLE`` longest are read at 0°, 90° and 270° (``read`` reads jobs' crops) and vote
    (:func:`ocrkit.orientation.vote`). Images the sample leaves undecided are not in it."""
    jobs: list[Job] = []
    owners: list[int] = []  # the image of each sampled region
    for i, (image, dets) in enumerate(zip(images, detections)):
        tall = [d for d in dets if len(d.polygon) == 4 and is_vertical(d.polygon)]
        if len(tall) < MIN_VOTERS or not most_vertical(len(tall), len(dets)):
            continue
        tall.sort(key=lambda d: -quad_size(polygon_to_quad(d.polygon))[1])  # longest first
        for det in tall[:SAMPLE]:
            jobs += [(image, rotated(det, a), False) for a in SIDE_ANGLES]  # type: ignore[misc]
            owners.append(i)
    if not jobs:
        return {}
    texts = read(jobs)
    readings: dict[int, list[dict[int, float]]] = {}
    for k, i in enumerate(owners):
        scores = texts[k * len(SIDE_ANGLES) : (k + 1) * len(SIDE_ANGLES)]
        readings.setdefault(i, []).append({a: r.score for a, r in zip(SIDE_ANGLES, scores)})
    angles = {i: vote(r) for i, r in readings.items()}
    return {i: a for i, a in angles.items() if a in (90, 270)}


def upright(image: Image, angle: int) -> Image:
    """``image`` turned so text turned by ``angle`` (90 or 270, clockwise: the vote's angle)
    reads upright: by ``angle`` counter-clockwise."""
    return np.ascontiguousarray(np.rot90(image, k=angle // 90))


def to_original(polygon: np.ndarray, angle: int, shape: tuple[int, ...]) -> np.ndarray:
    """A float32 (K, 2) polygon of ``upright(image, angle)`` in the pixels of ``image`` itself,
    whose (height, width, ...) is ``shape``; corner order kept."""
    h, w = shape[:2]
    x, y = polygon[:, 0].astype(np.float64), polygon[:, 1].astype(np.float64)
    if angle == 90:  # rot90 k=1: (x, y) of the original went to (y, w − x)
        out = np.stack([w - y, x], axis=1)
    elif angle == 270:  # k=3: (x, y) went to (h − y, x)
        out = np.stack([y, h - x], axis=1)
    else:
        raise ValueError(f"a turned page is turned by 90 or 270 degrees, got {angle}")
    return out.astype(np.float32)


def mapped_back(words: list[Word], angle: int, shape: tuple[int, ...]) -> list[Word]:
    """``words`` read on ``upright(image, angle)``, with their polygons on ``image``."""
    return [replace(w, polygon=to_original(w.polygon, angle, shape)) for w in words]


def read_upside_down(
    ordered: Sequence[Sequence[Detection]],
    jobs: list[Job],
    best: dict[tuple[int, int], tuple[Recognition, int]],
    read: Read,
) -> set[int]:
    """Read every region of the images that are upside down turned by 180°; which they are
    is decided on their widest words (:func:`ocrkit.orientation.upside_down`). ``best`` and
    ``jobs`` are updated in place (``read`` reads jobs' crops); returns the indices of those
    images."""
    picks: list[tuple[int, int]] = []  # (image, region) of each probe
    for i, dets in enumerate(ordered):
        as_read = [jobs[best[(i, j)][1]] for j in range(len(dets))]
        quads = [j for j, (_, det, turn) in enumerate(as_read) if not turn and len(det.polygon) == 4]
        picks += [(i, quads[k]) for k in probes([as_read[j][1] for j in quads])]
    if not picks:
        return set()
    texts = read([turned_job(jobs[best[o][1]]) for o in picks])
    scores: dict[int, list[tuple[float, float]]] = {}  # image → (upright, turned) per probe
    for (i, j), rec in zip(picks, texts):
        scores.setdefault(i, []).append((best[(i, j)][0].score, rec.score))
    flipped = {i for i, pairs in scores.items() if upside_down(*zip(*pairs))}
    owners = [(i, j) for i in sorted(flipped) for j in range(len(ordered[i]))]
    if owners:
        start = len(jobs)
        jobs.extend(turned_job(jobs[best[o][1]]) for o in owners)
        texts = read(jobs[start:])
        for k, (owner, rec) in enumerate(zip(owners, texts)):
            best[owner] = (rec, start + k)
    return flipped

def read_sideways(
    images: Sequence[Image],
    ordered: Sequence[Sequence[Detection]],
    cuts: dict[tuple[int, int], Detection],
    readings: dict[tuple[int, int], dict[int, tuple[Recognition, int]]],
    jobs: list[Job],
    best: dict[tuple[int, int], tuple[Recognition, int]],
    read: Read,
) -> dict[int, int]:
    """Read each image's vertical regions in the direction they agree on, and on a turned
    page its short words too (:mod:`ocrkit.orientation`); ``best`` and ``jobs`` are updated
    in place (``read`` reads jobs' crops). Returns the angle of each image turned by 90° (most of
    its regions vertical, voting one way)."""
    extra: list[tuple[tuple[int, int], Detection]] = []  # short words to read turned
    pages: dict[int, int] = {}  # image → angle, where most regions are vertical
    for i, dets in enumerate(ordered):
        tall = [(i, j) for j, d in enumerate(dets)  # vertical quads, read at 90° and 270°
                if is_vertical(d.polygon) and {90, 270} <= readings.get((i, j), {}).keys()]
        angle = vote([{a: rk[0].score for a, rk in readings[o].items()} for o in tall])
        if not angle:  # upright: tall letters, and maybe a vertical label, each read its best way
            continue
        for owner in tall:
            best[owner] = readings[owner][angle]
        if most_vertical(len(tall), len(dets)):  # a turned page
            pages[i] = angle
            for j, d in enumerate(dets):
                turned = rotated(cuts[(i, j)], angle) if is_squarish(d.polygon) else None
                if turned is not None and angle not in readings.get((i, j), {}):
                    extra.append(((i, j), turned))
    if not extra:
        return pages
    start = len(jobs)
    jobs.extend((images[owner[0]], region, False) for owner, region in extra)
    texts = read(jobs[start:])
    for k, ((owner, _), rec) in enumerate(zip(extra, texts)):
        best[owner] = (rec, start + k)
    return pages


def turned_job(job: Job) -> Job:
    """A crop job turned by 180°: a quad's corners rolled by two, any other region's crop rotated."""
    image, det, turn = job
    rolled = None if turn else rotated(det, 180)
    return (image, rolled, False) if rolled is not None else (image, det, not turn)
