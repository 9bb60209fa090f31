"""Characters that cannot stand where they were read, re-scored as the characters they look like
under the crop's CTC frames: a digit among the letters of a word ("0f", "t0", "S1GNED",
"DA7E") and a bracket no other bracket pairs ("Origina]", "[828", "{Product", "SCOPE}").

Greedy decoding picks each frame's likeliest class on its own, so where two characters look
alike ("o"/"0", "I"/"1", "l"/"]", "/"/"[", "("/"{") one frame of a word can go to the wrong one.

- **Digits.** A word of letters holds no digit, so a digit standing among letters is a close
  second read wrong, or a code. Codes and numbers put their digits at the ends ("B1", "Page1",
  "PM6", "5kg", "10th"), so only a digit with a letter on both sides is re-scored, and at an
  end only a 0 ("0f", "t0", "T0": no code or number starts with 0 before letters or ends in one
  after them, and "O"/"0" is the pair the CRNN confuses most). A token (a run of letters and
  digits) takes part when all its digits are such, they are fewer than its letters (or a lone 0
  beside one letter), and its letters are capitals, lower case or a first capital: the digits
  become the look-alikes in that case.
- **Brackets.** A "[", "]", "{", "}" whose partner the reading lacks, or a "|", in a word with a
  letter or digit, is re-scored as what it looks like ("/", "(", "1", "l", "I", ...) or as
  nothing (a rule line's edge). Brackets come in pairs; one alone in a word is a misread (a
  bracketed phrase split into words by the detector is rare in these characters; "(" is common
  that way and is not touched). A bracket standing alone after a space is the tidy step's
  (:mod:`ocrkit.tidy` drops it).

The spellings (every choice, at most ``MAX_SPELLINGS``) are scored by their CTC likelihood over
the crop's frames (every alignment, :func:`ocrkit_crnn.lexicon.best_spelling`); the best
replaces the reading where it is at most ``margin`` nats below it, so a character the network
reads clearly stays.

Chosen on FUNSD *train* word crops (``benchmarks/bench_look_alikes.py``, RESULTS §3): letting a
digit at a token's end other than 0 take part made "B1", "G1", "Page1", "PM6" and "BIO7"
wrong; a bracket standing alone after a space became a letter ("entity [" → "entity E").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import numpy as np

from .lexicon import best_spelling

# The letters each digit is read for, in lower case and in capitals ("" = none alike).
LOWER = {"0": "o", "1": "li", "2": "z", "5": "s", "6": "b", "9": "gq"}
UPPER = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B"}
# What a bracket without its partner is read for ("" = nothing: a rule line's edge).
BRACKETS = {
    "[": ("", "/", "(", "1", "l", "I", "r", "t", "f", "i", "L", "E"),
    "]": ("", ")", "1", "l", "I", "J", "/"),
    "{": ("", "(", "f", "t"),
    "}": ("", ")", "j"),
    "|": ("", "1", "l", "I", "/"),
}
PARTNER = {"[": "]", "]": "[", "{": "}", "}": "{", "|": None}
MAX_SPELLINGS = 32  # a reading with more choices keeps the first 32 (a few characters at most)
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_ORDINAL = re.compile(r"\d+(st|nd|rd|th)", re.IGNORECASE)


def _digit_choices(token: str) -> list[str] | None:
    """Per character of ``token`` (a run of ASCII letters and digits), what it may be read as;
    None when the token is no word of letters with stray digits (see the module)."""
    digits = [i for i, ch in enumerate(token) if ch.isdigit()]
    letters = "".join(ch for ch in token if ch.isalpha())
    if not digits or not letters or _ORDINAL.fullmatch(token):
        return None
    if len(digits) >= len(letters) and len(digits) > 1:
        return None
    first = min(i for i, ch in enumerate(token) if ch.isalpha())
    last = max(i for i, ch in enumerate(token) if ch.isalpha())
    if any(token[i] != "0" for i in digits if not first < i < last):
        return None  # a digit before or after the letters: a number or a code, unless a 0
    if letters.isupper():
        table = UPPER
    elif letters.islower() or (letters[0].isupper() and letters[1:].islower()):
        table = LOWER
    else:
        return None  # mixed case: left to the one-case step
    # A first capital's look-alikes are lower case: a leading 0 is "o" ("0f"), not "O", whose
    # case no frame shows.
    choices = [table.get(ch, "") if ch.isdigit() else ch for ch in token]
    return None if "" in choices else choices


def _choices(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, what ``text[start:end]`` may be read as, itself first) for each word of
    letters with stray digits (its digits change together: a token is a word or a code) and
    each bracket without its partner (see the module), in order along ``text``."""
    spans = []
    for m in _TOKEN.finditer(text):
        per_char = _digit_choices(m.group())
        if per_char is not None:
            spelt = ["".join(p) for p in itertools.product(*per_char)]
            spans.append((m.start(), m.end(), [m.group(), *spelt]))
    start = 0
    for word in text.split(" "):
        if any(ch.isalnum() for ch in word):
            for i, ch in enumerate(word):
                if ch in BRACKETS and (PARTNER[ch] is None or PARTNER[ch] not in text):
                    spans.append((start + i, start + i + 1, [ch, *BRACKETS[ch]]))
        start += len(word) + 1
    return sorted(spans)


def spellings(text: str) -> list[str]:
    """``text`` with its stray digits and unpaired brackets read as their look-alikes, every
    choice (at most ``MAX_SPELLINGS``); [] when it has none. "0f" → ["of"]; "S1GNED" →
    ["SIGNED"]; "Origina]" → ["Origina", "Origina)", "Origina1", "Original", ...]; "B1",
    "Page1", "10th", "5kg", "L82733604", "[1]", "entity [" → []."""
    spans = _choices(text)
    out = []
    for combo in itertools.islice(itertools.product(*(options for *_, options in spans)), 1, None):
        pieces, end = [], 0  # the first combination is the reading itself
        for (start, stop, _), spelt in zip(spans, combo):
            pieces += [text[end:start], spelt]
            end = stop
        spelt = "".join(pieces) + text[end:]
        if spelt.strip():
            out.append(spelt)
        if len(out) == MAX_SPELLINGS:
            break
    return out


def read_as_look_alikes(
    text: str,
    probs: np.ndarray,
    encode: Callable[[str], list[int] | None],
    margin: float,
    allowed: frozenset[str] | None = None,
) -> str:
    """``text`` (the CRNN's reading of one crop) or its likeliest spelling with its stray digits
    and unpaired brackets as their look-alikes, where that is at most ``margin`` nats less likely.

    probs: (T, C) the crop's class probabilities (softmax); encode: text → class ids (None for
    a text the charset cannot write); allowed: the characters a reading may hold (an allowlist
    of digits keeps every digit)."""
    return best_spelling(text, spellings(text), probs, encode, margin, allowed)
