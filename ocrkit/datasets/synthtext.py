"""SynthText ``gt.mat``: ``imnames`` (1×N), ``wordBB`` (2×4×n or 2×4 per image), ``charBB``
(2×4×m), ``txt`` (strings whose whitespace-separated tokens are the words).

Returns detection samples at word level; :func:`read_synthtext` also returns the character quads
(the training recipe uses them for region/affinity targets).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..types import GroundTruth
from .base import DatasetError, DetectionSample


@dataclass(frozen=True)
class SynthTextImage:
    image: Path
    words: list[str]
    word_quads: np.ndarray  # float32 (n, 4, 2), TL TR BR BL
    char_quads: np.ndarray  # float32 (m, 4, 2), m = total characters of the words


def _quads(bb: np.ndarray) -> np.ndarray:
    """SynthText 2×4×n (or 2×4) boxes → (n, 4, 2)."""
    bb = np.asarray(bb, np.float32)
    if bb.ndim == 2:
        bb = bb[:, :, None]
    return np.transpose(bb, (2, 1, 0))


def read_synthtext(gt_mat: Path, root: Path | None = None, limit: int | None = None):
    import scipy.io

    try:
        mat = scipy.io.loadmat(str(gt_mat))
    except Exception as exc:
        raise DatasetError(f"{gt_mat}: cannot read .mat file ({exc})") from None
    for key in ("imnames", "wordBB", "charBB", "txt"):
        if key not in mat:
            raise DatasetError(f"{gt_mat}: missing {key!r}")
    root = root or gt_mat.parent
    names = mat["imnames"].ravel()
    out = []
    for k in range(len(names) if limit is None else min(limit, len(names))):
        words = [w for t in mat["txt"].ravel()[k].ravel() for w in str(t).split()]
        wq, cq = _quads(mat["wordBB"].ravel()[k]), _quads(mat["charBB"].ravel()[k])
        if len(wq) != len(words) or len(cq) != sum(len(w) for w in words):
            raise DatasetError(
                f"{gt_mat}: image {k}: {len(wq)} word boxes / {len(cq)} char boxes for "
                f"{len(words)} words with {sum(len(w) for w in words)} characters"
            )
        out.append(SynthTextImage(root / str(names[k].ravel()[0]), words, wq, cq))
    return out


def load_synthtext(data: Path | None = None, images: Path | None = None, gt: Path | None = None):
    mat = gt if gt is not None else (data / "gt.mat" if data is not None else None)
    if mat is None or not mat.is_file():
        raise DatasetError("give --data DIR holding gt.mat (or --gt gt.mat)")
    return [
        DetectionSample(item.image.stem, item.image,
                        [GroundTruth(q, w) for q, w in zip(item.word_quads, item.words)])
        for item in read_synthtext(mat, images or mat.parent)
    ]  # fmt: skip
