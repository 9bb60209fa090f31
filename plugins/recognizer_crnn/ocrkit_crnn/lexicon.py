"""Lexicon correction: a word the CRNN misread by a letter or two, put right where a known
word explains the CTC frames nearly as well as the reading does.

The CRNN reads a low-resolution scan's "the" as "thc" and "SPECIAL" as "SPECLAL" with the
right letter a close second in the frames. A reading that is no word of the lexicon is
compared with the lexicon's words a few edits from it (up to two substitutions, one letter
more or less, or one glyph read as two or two as one: "Retum" for "Return"), each scored by its CTC likelihood over the crop's frames (every alignment, not
one path); the best replaces the reading when it is at most ``margin`` nats less likely, or,
for a reading of ``LONE_MIN_LENGTH``+ letters, at most ``lone_margin`` nats less likely when it
is the only likely word (every other candidate ``LONE_LEAD`` nats below it) and the reading was
unsure or differs from it by a glyph pair (below). Words in the lexicon, short words, and
readings with digits are left as read.

Two-letter readings (:func:`two_letter_corrected`) are put right against the list's two-letter
words only ("ol" → "of", "Io" → "To", "tc" → "to"), one letter away and at a tighter margin;
readings in capitals ("NY", "LS", "ID": codes, states, initials) are left as read.

The recogniser uses the built-in English list by default (:func:`load_lexicon`, ``"en"``): the
words of pyspellchecker's English frequency dictionary (MIT) that its corpus saw more than the
floor count it gives every dictionary word (52,928 of 3+ letters, names and places among them).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import torch

MIN_LENGTH = 3  # shorter readings are too ambiguous to put right by a lexicon
BUILTIN = ("en",)  # names of the built-in word lists (any other value is a file)
# pyspellchecker gives every word of its dictionary at least this count; the words above it are
# those its corpus (subtitles) saw. The ~100k at the floor are rare dictionary words
# ("allopathies"): on FUNSD train crops they added 1 % to the words made right at 1.7× the
# per-word cost (benchmarks/RESULTS.md §3 "The built-in English list").
FLOOR_COUNT = 50
# Letters the CRNN reads as one glyph or one glyph as two, both ways ("Retum" for "Return",
# "Irivited" for "Invited", "Sumame" for "Surname"): a substitution and an insertion together,
# which the other edits miss. On FUNSD train crops they put 3 more words right, none wrong.
GLYPH_SPLITS = (("rn", "m"), ("ri", "n"), ("cl", "d"), ("vv", "w"), ("li", "h"), ("nn", "m"),
                ("in", "m"))  # fmt: skip
# A reading: marks before, the word's letters, marks after ("(Servicc." → "(", "Servicc", ".").
_WORD = re.compile(r"^([^\w]*)([^\W\d_]+)([^\w]*)$")
# A word further from the reading ("Marager" -> "Manager") is taken when no other word comes
# near it (a lone candidate) and the CRNN was unsure of the reading: some character's peak
# probability under LONE_UNSURE. A name read surely is kept ("PETROV", not "PETROL" 11 nats
# below, its least sure letter at 0.94). On FUNSD train crops (the GT boxes, 21,888 words)
# lone_margin 12 made 133 words right and none wrong beyond margin 6 (without the unsure test
# 185 and 9; without the lead as well, 293 and 127). A glyph pair swapped is taken from a sure
# reading too: at small sizes the CRNN reads "rn" as a clean "m" ("Sumame" for "Surname" on
# ID-card labels 7-13 nats off, every letter's peak over 0.9); on FUNSD train no lone
# candidate is such a swap. Three-letter readings are left out ("RSS" read as "ASS").
LONE_LEAD = 12.0
LONE_MIN_LENGTH = 4
LONE_UNSURE = 0.9


# The built-in list's two-letter words that may be split off a reading of two words run
# together (ocrkit_crnn.word_breaks): English function words. Its other two-letter entries
# ("ya", "et", "de") are as often a word's piece.
TWO_LETTER_EN = frozenset(
    "am an as at be by do go he if in is it me my no of on or so to up us we".split()
)

# Two-letter abbreviations and units the two-letter step leaves as read, in the case written
# ("mg" is no misread "me", nor "Dr" "Or"): titles, street and company words, units of forms,
# invoices and labels. A lower-case "co" is put right ("to"); "Co" is a company.
TWO_LETTER_KEEP = frozenset(
    "Mr Ms Dr St Jr Sr Lt Co Rd Re Ok ok vs pm mg mm cm km kg ml oz lb ft hr pp pg".split()
)


class Lexicon:
    """Known words, case-folded; those of 3+ letters kept per length as code arrays, the
    two-letter ones as ``two_letter`` (a word-list file's own unless given)."""

    def __init__(
        self, words: Iterable[str], name: str = "lexicon", two_letter: Iterable[str] | None = None
    ) -> None:
        self.name = name
        by_length: dict[int, set[str]] = defaultdict(set)
        short: set[str] = set()
        for word in words:
            word = word.strip().casefold()
            if len(word) >= MIN_LENGTH and word.isalpha():
                by_length[len(word)].add(word)
            elif len(word) == 2 and word.isalpha():
                short.add(word)
        self.two_letter = frozenset(short if two_letter is None else two_letter)
        self.words = frozenset(w for group in by_length.values() for w in group)
        self._letters = sorted({c for w in self.words for c in w})  # what an insertion may add
        # length → (length, N) code points, position by position (a word list's letters all
        # under 256, as English's: uint8), and the words in the same order
        wide = any(ord(c) > 255 for c in self._letters)
        self._dtype = np.uint32 if wide else np.uint8
        self._codes: dict[int, np.ndarray] = {}
        self._lists: dict[int, list[str]] = {}
        for length, group in by_length.items():
            ordered = sorted(group)
            self._lists[length] = ordered
            codes = np.array([[ord(c) for c in w] for w in ordered], self._dtype)
            self._codes[length] = np.ascontiguousarray(codes.T)

    @classmethod
    def from_file(cls, path: str | Path) -> Lexicon:
        """One word per line (UTF-8); blank lines and lines starting with ``#`` skipped."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"lexicon {path}: cannot read it ({exc})") from None
        words = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        lexicon = cls(words, name=str(path))
        if not lexicon.words:
            raise ValueError(f"lexicon {path}: no word of {MIN_LENGTH}+ letters in it")
        return lexicon

    @classmethod
    @cache
    def english(cls) -> Lexicon:
        """The built-in English list (see the module): read once per process."""
        try:
            source = resources.files("spellchecker").joinpath("resources").joinpath("en.json.gz")
            counts = json.loads(gzip.decompress(source.read_bytes()))
        except (ModuleNotFoundError, OSError, ValueError) as exc:
            raise ValueError(f"lexicon en: the built-in English list needs pyspellchecker "
                             f"(pip install pyspellchecker): {exc}") from None  # fmt: skip
        words = (w for w, n in counts.items() if n > FLOOR_COUNT)
        return cls(words, name="en", two_letter=TWO_LETTER_EN)

    def __contains__(self, word: str) -> bool:
        return word.casefold() in self.words

    def __len__(self) -> int:
        return len(self.words)

    def near(self, word: str, substitutions: int = 2) -> list[str]:
        """Known words (case-folded) within ``substitutions`` changed letters of ``word``, one
        letter inserted or deleted, or one pair of ``GLYPH_SPLITS`` swapped either way;
        ``word`` itself excluded."""
        word = word.casefold()
        n = len(word)
        found: set[str] = set()
        same = self._codes.get(n)  # (n, N)
        if same is not None:
            # Letters changed, counted a position at a time over every word of that length
            # (contiguous rows: ~9 x faster than comparing (N, n) arrays and summing them).
            top = np.iinfo(self._dtype).max
            changed = np.zeros(same.shape[1], np.uint8)
            for row, c in zip(same, word):
                changed += row != (ord(c) if ord(c) <= top else 0)  # 0: in no word (a NUL)
            hits = np.flatnonzero((changed > 0) & (changed <= substitutions))
            found.update(self._lists[n][k] for k in hits)
        # A letter too many or too few: every such spelling looked up in the set (n + (n + 1)
        # × letters lookups, ~10 × faster than comparing with every word one length off).
        cuts = [(word[:p], word[p:]) for p in range(n + 1)]  # each split once, not per letter
        spellings = {head + c + tail for head, tail in cuts for c in self._letters}
        spellings.update([word[:p] + word[p + 1 :] for p in range(n)])
        found.update(spellings & self.words)
        found.update(glyph_swaps(word) & self.words)
        return sorted(found)


def glyph_swaps(word: str) -> set[str]:
    """``word`` with one pair of ``GLYPH_SPLITS`` swapped, either way, at any place."""
    out = set()
    for pair in GLYPH_SPLITS:
        for a, b in (pair, pair[::-1]):
            at = word.find(a)
            while at >= 0:
                out.add(word[:at] + b + word[at + len(a) :])
                at = word.find(a, at + 1)
    return out


def load_lexicon(spec: str) -> Lexicon:
    """``"en"``: the built-in English list; anything else: a word-list file (:meth:`Lexicon.from_file`)."""
    return Lexicon.english() if spec in BUILTIN else Lexicon.from_file(spec)


def ctc_log_likelihoods(log_probs: np.ndarray, labels: list[list[int]], blank: int = 0) -> np.ndarray:
    """(K,) log P(labels[k] | frames) under CTC, each summed over every alignment (the forward
    algorithm), all K label sequences at once.

    log_probs: (T, C) natural-log class probabilities per frame; labels: K non-empty lists of
    class ids without the blank. −inf where the frames are too few for the labels."""
    # torch's CTC loss is this sum, negated, in C++: one call instead of a numpy forward pass
    # of ~7 calls per frame. On the pipeline's own calls (3 FUNSD forms: 651 calls, 57 frames
    # and 37 spellings on average) 3.7 x faster, 137 -> 37 ms per form of the spelling steps'
    # host time; float64 keeps it within 1e-13 nats of the numpy pass, -inf at the same places.
    steps, classes = log_probs.shape
    frames = torch.from_numpy(np.ascontiguousarray(log_probs, dtype=np.float64))
    frames = frames[:, None].expand(steps, len(labels), classes)  # (T, K, C), a view
    targets = torch.tensor([i for lab in labels for i in lab], dtype=torch.long)
    nll = torch.nn.functional.ctc_loss(
        frames, targets, torch.full((len(labels),), steps, dtype=torch.long),
        torch.tensor([len(lab) for lab in labels], dtype=torch.long),
        blank=blank, reduction="none", zero_infinity=False,
    )  # fmt: skip
    return -nll.numpy()


def ctc_log_likelihood(log_probs: np.ndarray, labels: list[int], blank: int = 0) -> float:
    """log P(labels | frames) for one non-empty label sequence (:func:`ctc_log_likelihoods`)."""
    return float(ctc_log_likelihoods(log_probs, [labels], blank)[0])


def weakest_peak(probs: np.ndarray) -> float:
    """The least sure character of the best path through ``probs`` ((T, C) softmax, class 0 the
    blank): the lowest, over its runs of one character, of each run's peak probability; 1.0
    for an empty path."""
    ids = probs.argmax(axis=1)  # (T,)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])  # where each run of a class begins
    peaks = np.maximum.reduceat(probs.max(axis=1), starts)[ids[starts] != 0]
    return float(peaks.min()) if peaks.size else 1.0


def _case_of(like: str) -> Callable[[str], str]:
    """What puts a word in the case pattern of the reading ``like``: capitals, a first
    capital, or lower; worked out once for all of a reading's candidates (a hundred or more)."""
    upper = sum(c.isupper() for c in like)
    if len(like) > 1 and upper * 2 >= len(like):
        return str.upper
    if like[:1].isupper():
        return lambda word: word[:1].upper() + word[1:]
    return lambda word: word


def unknown_word(text: str, lexicon: Lexicon, min_length: int) -> tuple[str, str, str] | None:
    """(marks before, letters, marks after) of a reading that is one word of ``min_length`` or
    more letters, marks round it aside, and no word of ``lexicon``; None for any other reading
    (digits, several words, a known or short word): what the lexicon steps look up."""
    match = _WORD.match(text)
    if match is None:
        return None
    before, core, after = match.groups()
    if len(core) < min_length or core in lexicon:
        return None
    return before, core, after


def corrected(
    text: str,
    probs: np.ndarray,
    encode: Callable[[str], list[int] | None],
    lexicon: Lexicon,
    margin: float,
    allowed: frozenset[str] | None = None,
    lone_margin: float | None = None,
) -> str:
    """``text`` (the CRNN's reading of one crop) or the lexicon word that replaces it.

    probs: (T, C) the crop's class probabilities (softmax; their log is taken only for a
    reading that is looked up, not for every crop); encode: text → class ids (None for a
    text the charset cannot write); allowed: the characters a reading may hold (an allowlist);
    lone_margin: nats a lone candidate may be below the reading (see the module); None = off."""
    parts = unknown_word(text, lexicon, MIN_LENGTH)
    if parts is None:
        return text
    before, core, after = parts
    cased = _case_of(core)
    candidates = [before + cased(word) + after for word in lexicon.near(core)]
    lone = None
    if lone_margin is not None and len(core) >= LONE_MIN_LENGTH:
        if weakest_peak(probs) < LONE_UNSURE:
            lone = (lone_margin, LONE_LEAD, None)
        else:  # a sure reading: only a glyph pair read as one glyph or one as two
            swaps = {before + cased(w) + after for w in glyph_swaps(core.casefold())}
            lone = (lone_margin, LONE_LEAD, swaps.__contains__)
    return best_spelling(text, candidates, probs, encode, margin, allowed, lone=lone)


def two_letter_corrected(
    text: str,
    probs: np.ndarray,
    encode: Callable[[str], list[int] | None],
    lexicon: Lexicon,
    margin: float,
    allowed: frozenset[str] | None = None,
) -> str:
    """``text`` or the two-letter word of ``lexicon`` (``Lexicon.two_letter``: English's
    function words for the built-in list) one letter from it that replaces it: a reading of two
    letters (marks round them aside) in lower case or with a first capital that is no such
    word, put right where the word is at most ``margin`` nats less likely over the crop's CTC
    frames (``probs``: (T, C) softmax), in the reading's case. Capitals are left ("NY" is a
    state, not "MY"), as are the abbreviations and units of ``TWO_LETTER_KEEP`` and readings of
    other lengths (:func:`corrected` takes 3+ letters).

    Why: on FUNSD the CRNN reads "of" as "ol", "oi" or "ot" and "to" as "co", "lo" or "tc",
    where the list's longer words do not reach; margin 4 was chosen on FUNSD train crops
    (benchmarks/bench_two_letter.py, RESULTS.md §3 "Two-letter words")."""
    parts = unknown_word(text, lexicon, 2)  # the lexicon's own parse of a one-word reading
    if parts is None:
        return text
    before, core, after = parts
    if len(core) != 2 or core.isupper() or core in TWO_LETTER_KEEP:
        return text  # another length, capitals (a code), an abbreviation or a unit
    folded = core.casefold()
    if folded in lexicon.two_letter:
        return text
    near = [w for w in sorted(lexicon.two_letter) if (w[0] != folded[0]) + (w[1] != folded[1]) == 1]
    if not near:
        return text
    # The reading's first capital, not ``_case_of``: that takes "Io" (one capital of two) for
    # capitals and would spell "TO".
    cap = core[0].isupper()
    spelt = [before + (w[0].upper() + w[1] if cap else w) + after for w in near]
    return best_spelling(text, spelt, probs, encode, margin, allowed)


def best_spelling(
    text: str,
    candidates: list[str],
    probs: np.ndarray,
    encode: Callable[[str], list[int] | None],
    margin: float,
    allowed: frozenset[str] | None = None,
    cost: Callable[[str], float] | None = None,
    lone: tuple[float, float, Callable[[str], bool] | None] | None = None,
) -> str:
    """``text`` (the CRNN's reading of one crop) or the likeliest of ``candidates`` (other
    spellings of it) under the crop's CTC frames, where that is at most ``margin`` nats less
    likely than the reading: the tail shared by the lexicon, one-case and look-alike steps.

    probs: (T, C) the crop's class probabilities (softmax; their log is taken only for a
    reading with a candidate, not for every crop); encode: text → class ids (None for a text
    the charset cannot write, which drops it); allowed: the characters a spelling may hold (an
    allowlist); cost: nats taken off a candidate's likelihood when choosing among candidates
    only (ties go to the first), not when comparing it with the reading; lone: (margin, lead,
    eligible): the likeliest candidate is also taken when at most ``margin`` nats below the
    reading and ``lead`` nats above every other candidate, if ``eligible`` (None: any) says so."""
    kept, labels = [], []
    for candidate in candidates:
        ids = encode(candidate)
        if ids is not None and (allowed is None or set(candidate) <= allowed):
            kept.append(candidate)
            labels.append(ids)
    read = encode(text) if kept else None
    if read is None:
        return text
    log_probs = np.log(np.clip(probs, 1e-30, None))  # (T, C); a masked class's 0 → −69 nats
    scores = ctc_log_likelihoods(log_probs, [read] + labels)  # (1 + K,): the reading, then each
    ranked = scores[1:] if cost is None else scores[1:] - np.array([cost(c) for c in kept])
    best = int(np.argmax(ranked))
    if scores[1 + best] >= scores[0] - margin:
        return kept[best]
    if lone is not None and scores[1 + best] >= scores[0] - lone[0]:
        others = np.delete(scores[1:], best)
        lead = others.size == 0 or scores[1 + best] - others.max() >= lone[1]
        if lead and (lone[2] is None or lone[2](kept[best])):
            return kept[best]
    return text
