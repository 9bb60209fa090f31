"""Tokens the detector split, joined again: MRZ lines wherever they split, numbers at a mark.

CRAFT links characters through its affinity map, and a small mark between two characters
links weakly, so a token whose characters meet at one often comes as pieces:

- an MRZ line ("ERIKSSON<<ANNA<MARIA<<<<<<<<<<", one word: ``<`` fills every space) as
  "ERIKSSON", "<<ANNA", "<MARIA<<<<<<<<<<", the boxes −0.07 to −0.14 × the text height apart
  (the rendered card of ``benchmarks/bench_small_text.py``), and at times between two letters
  ("KOWAL", "SKI<<MARIA<<<<…");
- a number at its decimal point, a date at its dots ("503.63" as "503." "63", "12.08.1974" as
  "12." "08" "1974"): on rendered pages with text 12–24 px high (most documents at the
  detector's canvas) every decimal came split, the dot in one piece, in neither, or read as "_",
  the boxes −0.19 to +0.26 × the height apart (monospaced: ~0.6).

A filler junction (pieces that together make letters, digits and fillers with a ``<<`` among
them, 10 characters or more, wherever they meet) is joined outright: outside an MRZ such pieces
do not occur. A number junction (a digit, at most one mark of ``SEPARATORS``, a digit, within
``NUMBER_GAP``) is only a candidate, since a word space between numbers leaves such a gap too
("1999 2000"). The pair's joined box is read as one crop, and the join is kept only when that
reading is one token of the pieces' letters and digits (:func:`one_token`) with a mark of
``JOIN_MARKS`` where they meet (:func:`marked_junction`). Over a real space the recogniser reads
the space, and it does not invent a dot; a comma it may read without the space after it ("23,
1998" → "23,1998"), so a comma joins only as a thousands separator, where it groups digits in
threes ("4," "082.92" → "4,082.92"; "1,264,653"), or as a decimal comma, 1–2 digits after it
("12," "50" → "12,50"; "1.234,56"), and in both only where the ink shows no space after it
(:func:`comma_spaced`; "12, 345" groups in threes too, "May 23, 98" and "3, 14" look decimal). A
day and a year ("23, 1998") or a list ("1,2,3") are neither. With numbers left split, 28 of the
120 grouped numbers of ``benchmarks/bench_tokens.py`` (5 fonts, 12–24 px) read right and 54 of
its 120 decimal-comma numbers; joined, 92 and 104 (benchmarks/RESULTS.md §2, "Decimal commas").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import editdistance
import numpy as np

from .geometry import polygon_to_quad, quad_size
from .ink import ink_components
from .lines import merge_line
from .mrz import is_fragment
from .periods import BASELINE, comma_shaped
from .tidy import tidy_word
from .types import Recognition, Word

FILLER_GAP = 0.15  # × the mean height of the two boxes
SEPARATORS = ".,:/-_"  # marks inside a number or date ("_": a low dot as the CRNN may read it)
JOIN_MARKS = ".:/-"  # what a joined number must read at the junction (not "," nor nothing)
NUMBER_GAP = 0.8  # × the mean height: a monospaced dot lost to the gap leaves ~0.6 em
HEIGHT_RATIO = (0.7, 1.4)  # two pieces of one token are about as tall
MIN_FOR_EDIT = 4  # letters and digits a joined token needs before its reading may differ by one
SPACED_COMMA = 0.2  # × the digits' height: a comma's gap after it beyond its gap before
_SPACED_MARK = re.compile(rf"\s*([{re.escape(SEPARATORS)}])\s*")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")  # digits grouped in threes by commas: "1,264,653"
_DECIMAL = re.compile(r"\d+,\d{1,2}")  # a decimal comma: "12,50", "1,5"


def _gap(first: Word, second: Word) -> float | None:
    """The gap between two quads along the first's text direction, in units of their mean
    height (< 0: they overlap); None for other polygons or heights too different."""
    if len(first.polygon) != 4 or len(second.polygon) != 4:
        return None
    qa = polygon_to_quad(first.polygon).astype(np.float64)
    qb = polygon_to_quad(second.polygon).astype(np.float64)
    (_, ha), (_, hb) = quad_size(qa), quad_size(qb)
    if not HEIGHT_RATIO[0] <= hb / max(ha, 1e-6) <= HEIGHT_RATIO[1]:
        return None
    d = (qa[1] - qa[0]) + (qa[2] - qa[3])
    d /= max(float(np.hypot(*d)), 1e-6)
    pa, pb = qa @ d, qb @ d
    return max(pb.min() - pa.max(), pa.min() - pb.max()) / ((ha + hb) / 2)


def _number_junction(left: str, right: str) -> bool:
    """A digit, at most one separator mark, a digit: "503." | "63", "12" | ".08", "1,234" | "56"."""
    a, b = left.rstrip(SEPARATORS), right.lstrip(SEPARATORS)
    marks = (len(left) - len(a)) + (len(right) - len(b))
    return bool(a) and bool(b) and a[-1].isdigit() and b[0].isdigit() and marks <= 1


def junction(first: Word, second: Word) -> str | None:
    """How ``second`` may continue ``first`` (in text order): "filler", "number" or None."""
    left, right = (first.text or "").strip(), (second.text or "").strip()
    if not left or not right:
        return None
    # Together an MRZ fragment: a lone "<" the CRNN reads for a short word cut by a tilted box,
    # next to a word ("<" "send"), is not one. A filler cut at the junction may read as a mark
    # ("ERIKSSON<<ANNA-" | "<MARIA<<<<"), and a line may split between two letters too
    # ("KOWAL" | "SKI<<MARIA<<<<…", a card photo): no other text has "<<" to make a fragment.
    filler = is_fragment(left.rstrip(SEPARATORS) + right.lstrip(SEPARATORS))
    if not filler and not _number_junction(left, right):
        return None
    gap = _gap(first, second)
    if gap is None or gap > (FILLER_GAP if filler else NUMBER_GAP):
        return None
    return "filler" if filler else "number"


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def one_token(pieces: Sequence[str], reading: str) -> str | None:
    """The joined token's text when ``reading`` (of the joined box) is one token made of the
    pieces' letters and digits, else None.

    Spaces beside a separator mark are dropped first (a monospaced "0.75" reads "0 . 75"). The
    letters and digits may differ by one edit where the pieces hold at least ``MIN_FOR_EDIT`` of
    them: read whole, a token is often read better than its pieces were ("512." "99" and
    "$12.99")."""
    text = _SPACED_MARK.sub(r"\1", reading.strip())
    if not text or any(ch.isspace() for ch in text):
        return None
    want, got = "".join(_letters(p) for p in pieces), _letters(text)
    allowed = 1 if len(want) >= MIN_FOR_EDIT else 0
    return text if editdistance.eval(want, got) <= allowed else None


def marked_junction(left: str, right: str, text: str) -> str | None:
    """How ``text`` (the two pieces read as one) is marked where the pieces meet: "mark" for
    one of ``JOIN_MARKS`` (after ``left``'s letters and digits, or before ``right``'s: the two
    differ when one was read differently whole), "comma" for a thousands separator
    (:func:`grouped`) or a decimal comma (:func:`decimal_comma`), else None.

    Without a mark the pieces are two numbers the recogniser ran together ("7 7" read "77").
    Any other comma is a list's or a date's, and a space follows it that the recogniser often
    drops ("March 23, 1998" read "23,1998"); so may one after a thousands-like comma ("12,
    345"), which :func:`comma_spaced` looks for in the ink."""
    where = [k for k, ch in enumerate(text) if ch.isalnum()]
    cuts = {len(_letters(left)), len(where) - len(_letters(right))}
    kind = None
    for c in cuts:
        if 0 < c < len(where):
            between = text[where[c - 1] + 1 : where[c]]
            if any(ch in JOIN_MARKS for ch in between):
                return "mark"
            comma = where[c - 1] + 1
            if between == "," and (grouped(text, comma) or decimal_comma(text, comma)):
                kind = "comma"
    return kind


def _digit_run(text: str, comma: int) -> str:
    """The run of digits and commas around ``text[comma]``, a trailing comma dropped."""
    start, end = comma, comma + 1
    while start > 0 and (text[start - 1].isdigit() or text[start - 1] == ","):
        start -= 1
    while end < len(text) and (text[end].isdigit() or text[end] == ","):
        end += 1
    return text[start:end].rstrip(",")


def grouped(text: str, comma: int) -> bool:
    """Whether the comma at ``text[comma]`` is a thousands separator: the run of digits and
    commas around it groups its digits in threes after the first 1–3 ("1,264,653", "$20,944",
    "4,082.92"); "23,1998", "12,50" and "1,2" do not."""
    return bool(_GROUPED.fullmatch(_digit_run(text, comma)))


def decimal_comma(text: str, comma: int) -> bool:
    """Whether the comma at ``text[comma]`` may be a decimal comma: one comma in the run of
    digits around it, 1 or 2 digits after it ("12,50", "1,5", "1.234,56"); "23,1998" and
    "1,2,3" are not."""
    return bool(_DECIMAL.fullmatch(_digit_run(text, comma)))


def comma_spaced(grey: np.ndarray, left: Word, right: Word) -> bool:
    """Whether the comma where ``left`` meets ``right`` (text order) has a space after it, in
    the ink of their joined box: its gap to the next character exceeds its gap to the one
    before by ``SPACED_COMMA`` × the digits' height. True where no comma-like part (a small
    mark reaching down to the digits' baseline, :func:`ocrkit.periods.comma_shaped`) is found
    near the junction, so such a pair is not joined. grey: uint8 (H, W) image.

    A comma's ink sits near the middle of its advance, so its two gaps are alike in a number
    ("4,082": both ~0.1 × the digits' height; monospaced ~0.3); a space after it widens the
    second by its width (~0.45 × the height; monospaced ~0.8). Rendered pieces at 12–24 px
    measured a gap after the comma of 0.12–0.35 × the height in numbers and 0.38–0.55 after a
    comma and a space: too close for one threshold on that gap alone."""
    union = _union([left, right])
    stats, _, (w, _) = ink_components(grey, union.polygon)
    if len(stats) < 3:
        return True
    tall = float(stats[:, 3].max())
    digits = stats[stats[:, 3] >= 0.7 * tall]
    # The reading has a comma here; its ink is only to be found. On small type a blurred comma
    # hardly hangs below the baseline ("61,560" at 9 px: 2 of the 3 px it must), so any small
    # mark reaching the baseline counts.
    low = comma_shaped(stats, tall, baseline(digits, stats), drop=-BASELINE)
    commas = np.flatnonzero(low)
    if not len(commas):
        return True
    # The junction in crop px: the left piece's far end along the joined box's first edge.
    q = polygon_to_quad(union.polygon).astype(np.float64)
    d = q[1] - q[0]
    length = max(float(np.hypot(*d)), 1e-6)
    ends = polygon_to_quad(left.polygon).astype(np.float64) @ (d / length)
    at = (ends.max() - q[0] @ (d / length)) * w / length
    centres = stats[:, 0] + stats[:, 2] / 2
    k = commas[np.argmin(np.abs(centres[commas] - at))]
    x0, x1 = stats[k, 0], stats[k, 0] + stats[k, 2]
    lefts = np.delete(stats[:, 0], k)
    rights = np.delete(stats[:, 0] + stats[:, 2], k)
    before, after = rights[rights <= x0 + 1], lefts[lefts >= x1 - 1]
    if not len(before) or not len(after):
        return True
    return float((after.min() - x1) - (x0 - before.max())) > SPACED_COMMA * tall


def baseline(letters: np.ndarray, parts: np.ndarray) -> np.ndarray:
    """(N,) the baseline under each of ``parts`` (``ink_components`` rows, crop px): the line
    through the bottoms of ``letters`` (rows standing on it), its slope the median of their
    pairwise slopes (a descender or a mark does not tip it).

    Why not one level: a joined box sits askew on the text by a degree or two where its pieces'
    boxes differ (a "1" boxed apart from "250.00"), and 2 px of tilt under a 30-px line is most
    of a comma's drop below the baseline (0.12 × the height, ``COMMA_DROP``)."""
    x = letters[:, 0] + letters[:, 2] / 2
    y = (letters[:, 1] + letters[:, 3]).astype(np.float64)
    i, j = np.triu_indices(len(x), 1)
    run, ok = x[j] - x[i], x[j] != x[i]
    slope = float(np.median((y[j] - y[i])[ok] / run[ok])) if ok.any() else 0.0
    level = float(np.median(y - slope * x))
    return level + slope * (parts[:, 0] + parts[:, 2] / 2)


Read = Callable[[Sequence[tuple[int, Word]]], Sequence[Recognition]]
Spaced = Callable[[int, Word, Word], bool]  # image index, left piece, right piece (text order)
Run = tuple[int, list[int], list]  # image, a line's word indices in text order, junction kinds
Group = tuple[int, tuple[int, ...], bool]  # image, word indices in image order, number junction?


def join_tokens(
    words: Sequence[Sequence[Word]],
    lines: Sequence[Sequence[Sequence[int]]],
    flipped: set[int],
    read: Read,
    numbers: bool = True,
    spaced: Spaced | None = None,
) -> list[list[Word]]:
    """Each image's words with the pieces of one token joined, in the same order otherwise.

    ``lines[i]``: indices into ``words[i]``, line by line, each in image order (left to right),
    as ``words[i]`` itself runs. An image in ``flipped`` was read turned by 180°: its text runs
    right to left in the image, so its pieces join in that order. ``read`` reads regions, each
    given as (image index, a word whose polygon is the region), in one batch. ``numbers=False``
    joins fillers only. ``spaced(i, left, right)``: whether a thousands-like comma where two
    pieces of image ``i`` meet has a space after it (:func:`comma_spaced`); without it such a
    comma is taken as read.

    Each number junction is first read on its own (the two pieces' joined box) and kept where
    it reads as one token (:func:`one_token`) with a mark where the pieces meet
    (:func:`marked_junction`); filler junctions are kept outright. Pieces linked by kept
    junctions are then joined and read as one crop (a piece cut at a filler often reads it as
    a mark: "ERIKSSON<<ANNA-"); a number's join holds only where that reading is one token.
    """
    runs: list[Run] = []
    for i, image_lines in enumerate(lines):
        for line in image_lines:
            order = list(line)[::-1] if i in flipped else list(line)
            kinds = [junction(words[i][a], words[i][b]) for a, b in zip(order, order[1:])]
            runs.append((i, order, [k if numbers or k != "number" else None for k in kinds]))
    known = _check_numbers(words, runs, read, spaced)
    groups = _groups(runs, flipped)
    todo = [(i, members, number) for i, members, number in groups
            if len(members) > 1 and (i, members) not in known]  # fmt: skip
    unions = [_union([words[i][m] for m in members], i in flipped) for i, members, _ in todo]
    texts = read([(group[0], u) for group, u in zip(todo, unions)]) if todo else []
    for (i, members, number), union, rec in zip(todo, unions, texts):
        text = one_token([union.text or ""], rec.text) if number else tidy_word(rec.text)
        if text is not None:
            known[(i, members)] = Word(union.polygon, text, union.detection_score, rec.score)
    out: list[list[Word]] = [[] for _ in words]
    for i, members, _ in groups:
        joined = known.get((i, members)) if len(members) > 1 else None
        out[i] += [joined] if joined else [words[i][m] for m in members]
    return out


def _check_numbers(
    words: Sequence[Sequence[Word]], runs: list[Run], read: Read, spaced: Spaced | None
) -> dict[tuple[int, tuple[int, ...]], Word]:
    """Read each number junction's two pieces as one crop; a junction that does not read as
    one marked token (or whose comma ``spaced`` finds a space after) becomes None in ``runs``.
    Returns the joined words of the kept pairs, by (image, members in image order), so a
    two-piece number is not read twice."""
    pairs = [(r, k) for r, run in enumerate(runs) for k, kind in enumerate(run[2])
             if kind == "number"]  # fmt: skip
    if not pairs:
        return {}
    pieces = [[words[runs[r][0]][m] for m in runs[r][1][k : k + 2]] for r, k in pairs]  # text order
    unions = [_union(p) for p in pieces]
    texts = read([(runs[r][0], u) for (r, _), u in zip(pairs, unions)])
    known = {}
    for (r, k), (left, right), union, rec in zip(pairs, pieces, unions, texts):
        text = one_token([left.text or "", right.text or ""], rec.text)
        kind = None if text is None else marked_junction(left.text or "", right.text or "", text)
        if kind == "comma" and spaced is not None and spaced(runs[r][0], left, right):
            kind = None
        if kind is None:
            runs[r][2][k] = None
        else:
            i, m = runs[r][0], tuple(sorted(runs[r][1][k : k + 2]))
            known[(i, m)] = Word(union.polygon, text, union.detection_score, rec.score)
    return known


def _groups(runs: list[Run], flipped: set[int]) -> list[Group]:
    """Runs of words linked by kept junctions, image by image in image order."""
    groups: list[Group] = []
    for i, order, kinds in runs:
        line = [([order[0]], False)]
        for m, kind in zip(order[1:], kinds):
            if kind is None:
                line.append(([m], False))
            else:
                line[-1] = (line[-1][0] + [m], line[-1][1] or kind == "number")
        if i in flipped:  # back to image order
            line = [(members[::-1], number) for members, number in line[::-1]]
        groups += [(i, tuple(members), number) for members, number in line]
    return groups


def _union(pieces: Sequence[Word], reverse: bool = False) -> Word:
    """The pieces (image order) as one word: their minimum-area rectangle, texts concatenated
    in text order (right to left in the image when ``reverse``)."""
    return merge_line(list(pieces)[::-1] if reverse else list(pieces), sep="")
