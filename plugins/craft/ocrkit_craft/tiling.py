"""Large inputs in overlapping tiles: bounded memory, score maps identical in layout to one pass.

A page read at high resolution (say 6000×4000 so that 15-px text stays readable) would need
tens of GB of activations in one pass. Instead the normalised input is cut into tiles of at most
``tile`` pixels a side that overlap by ``overlap`` pixels; each tile's (region, affinity) map is
computed alone and the full map is stitched from them, every output pixel taken from the tile
in which it lies farthest from a cut edge (the overlap is split at its middle). Boxes are then
found on the stitched map, so a word crossing a seam is one component, never two boxes to merge.
The overlap must cover the context the network needs near a cut (its receptive field is large,
but the scores of a character depend mostly on the ~100 px around it): 256 px by default.
"""

from __future__ import annotations

import numpy as np

ALIGN = 32  # tiles start on multiples of 32 so that the half-resolution maps align exactly


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """Start offsets of tiles of size ``tile`` covering ``length`` (all multiples of 32).

    ``length`` and ``tile`` are multiples of 32; one tile when ``length <= tile``. Neighbouring
    tiles overlap by at least ``overlap`` pixels.
    """
    if length <= tile:
        return [0]
    step = tile - overlap
    if step < ALIGN:
        raise ValueError(f"tile_overlap ({overlap}) must be at least 32 px below tile_size ({tile})")
    count = -(-(length - overlap) // step)  # ceil
    # Evenly spread starts, rounded down to 32; the last tile ends exactly at the edge.
    starts = [(i * (length - tile) // (count - 1)) // ALIGN * ALIGN for i in range(count)]
    starts[-1] = length - tile
    return starts


def tile_boxes(height: int, width: int, tile: int, overlap: int) -> list[tuple[int, int, int, int]]:
    """(y, x, h, w) of every tile of a ``height``×``width`` input (multiples of 32), row-major."""
    th, tw = min(tile, height), min(tile, width)
    return [(y, x, th, tw) for y in tile_starts(height, tile, overlap)
            for x in tile_starts(width, tile, overlap)]  # fmt: skip


def _keep_span(starts: list[int], size: int, length: int) -> list[tuple[int, int]]:
    """For each tile along one axis, the [lo, hi) input span it contributes: overlaps are
    split at their middle (rounded to even pixels so the half-resolution split is exact)."""
    spans = []
    for i, s in enumerate(starts):
        lo = 0 if i == 0 else (s + starts[i - 1] + size) // 2 // 2 * 2
        hi = length if i == len(starts) - 1 else (starts[i + 1] + s + size) // 2 // 2 * 2
        spans.append((lo, hi))
    return spans


def stitch(
    maps: list[np.ndarray], height: int, width: int, tile: int, overlap: int
) -> np.ndarray:
    """Full (height/2, width/2, C) map from the tiles' (th/2, tw/2, C) maps, in ``tile_boxes``
    order."""
    ys = tile_starts(height, tile, overlap)
    xs = tile_starts(width, tile, overlap)
    th, tw = min(tile, height), min(tile, width)
    out = np.empty((height // 2, width // 2, maps[0].shape[2]), dtype=maps[0].dtype)
    k = 0
    for y, (y0, y1) in zip(ys, _keep_span(ys, th, height)):
        for x, (x0, x1) in zip(xs, _keep_span(xs, tw, width)):
            part = maps[k]
            out[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2] = part[
                (y0 - y) // 2 : (y1 - y) // 2, (x0 - x) // 2 : (x1 - x) // 2
            ]
            k += 1
    return out
