"""CTC decoding: greedy best path and prefix beam search, with EasyOCR's confidence score."""

from __future__ import annotations

import math

import numpy as np

BLANK = 0


def confidence(probs: np.ndarray) -> float:
    """(∏ max p over non-blank best-path frames)^(2/√n); 0 when every frame is blank.

    ``probs`` is a (T, C) softmax matrix. This is EasyOCR's ``custom_mean``: a geometric-mean-like
    score that penalises long low-probability paths less than the plain product.
    """
    return path_confidence(probs.argmax(axis=1), probs.max(axis=1))


def path_confidence(best: np.ndarray, maxima: np.ndarray) -> float:
    """:func:`confidence` from the best path: (T,) class ids and their (T,) probabilities."""
    maxima = maxima[best != BLANK]
    if maxima.size == 0:
        return 0.0
    return float(np.prod(maxima.astype(np.float64)) ** (2.0 / math.sqrt(maxima.size)))


def greedy(probs: np.ndarray) -> list[int]:
    """Best path: argmax per frame, merge repeats, drop blanks. ``probs`` (T, C) → class ids."""
    return collapse(probs.argmax(axis=1))


def collapse(best: np.ndarray) -> list[int]:
    """CTC best path (T,) class ids → label ids: merge repeats, drop blanks."""
    keep = np.ones(best.shape, dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    return best[keep & (best != BLANK)].tolist()  # Python ints, ~2 x faster than int() each


def beam_search(probs: np.ndarray, beam_width: int = 5) -> list[int]:
    """CTC prefix beam search without a language model. ``probs`` (T, C) → class ids.

    Per frame only classes with p ≥ 0.5 / C are extended (EasyOCR's pruning), which keeps the
    cost near O(T · beam · few).
    """
    n_classes = probs.shape[1]
    # prefix → (p ending in blank, p ending in non-blank)
    beams: dict[tuple[int, ...], tuple[float, float]] = {(): (1.0, 0.0)}
    for t in range(probs.shape[0]):
        frame = probs[t]
        candidates = np.nonzero(frame >= 0.5 / n_classes)[0]
        nxt: dict[tuple[int, ...], list[float]] = {}
        for prefix, (pb, pnb) in beams.items():
            total = pb + pnb
            entry = nxt.setdefault(prefix, [0.0, 0.0])
            entry[0] += total * frame[BLANK]
            if prefix:
                entry[1] += pnb * frame[prefix[-1]]  # repeated last char without blank: merged
            for c in candidates:
                c = int(c)
                if c == BLANK:
                    continue
                new = prefix + (c,)
                e = nxt.setdefault(new, [0.0, 0.0])
                if prefix and c == prefix[-1]:
                    e[1] += pb * frame[c]  # a repeat needs a blank in between
                else:
                    e[1] += total * frame[c]
        ranked = sorted(nxt.items(), key=lambda kv: kv[1][0] + kv[1][1], reverse=True)
        beams = {k: (v[0], v[1]) for k, v in ranked[:beam_width]}
    best = max(beams.items(), key=lambda kv: kv[1][0] + kv[1][1])[0]
    return list(best)


def outside_word(best: np.ndarray, characters: str) -> np.ndarray:
    """(T,) bool: the frames of a best path (T,) class ids that lie outside its word, where
    ``characters[c - 1]`` is class c's character: the tokens at either end, set apart by a
    space, that hold no letter or digit, with the spaces before them (what the pipeline's tidy
    step drops, :func:`ocrkit.tidy.tidy_word`: "17 =", "11.89 _"), and the blank frames
    around them. A path without a letter or digit has none."""
    runs: list[tuple[str, int, int]] = []  # (character, first frame, last frame)
    for t, c in enumerate(best.tolist()):
        if c != BLANK and t > 0 and best[t - 1] == c:
            runs[-1] = (runs[-1][0], runs[-1][1], t)
        elif c != BLANK:
            runs.append((characters[c - 1], t, t))
    tokens: list[list[int]] = [[]]  # indices into runs, split at spaces
    for k, (ch, _, _) in enumerate(runs):
        if ch.isspace():
            tokens.append([])
        else:
            tokens[-1].append(k)
    words = [t for t in tokens if any(runs[k][0].isalnum() for k in t)]
    outside = np.zeros(best.shape, dtype=bool)
    if words:
        outside[: runs[words[0][0]][1]] = True
        outside[runs[words[-1][-1]][2] + 1 :] = True
    return outside
