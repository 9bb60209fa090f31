"""Machine-readable zone lines (ICAO Doc 9303) read to their format.

An ID card's or passport's MRZ is two or three lines of exactly 30 (TD1 cards), 36 (TD2) or 44
(TD3 passports) characters from ``A-Z 0-9 <``, each position of a fixed kind: dates and check
digits are digits; the issuing state, nationality and names are letters. The CRNN reads such a
line well except where only the position tells the kind. On rendered zones
(``benchmarks/bench_mrz.py``: 40 lines, 18–32 px) it read 22 lines wrong, most by "UTO" read
"UT0" before a digit, a letter read lower case, one filler too few or too many in a long run of
``<`` (CTC merges repeated characters unless a blank separates them), or a stray "2" or "A"
inside such a run.

:func:`normalise` mends those. A reading that is an MRZ line (only ``A-Z a-z 0-9 <``, a ``<<``
in it, within ``MAX_MISCOUNT`` characters of a standard length) is upper-cased; a lone
character with three fillers on each side becomes a filler (no field holds one there); the
longest run of fillers is stretched or shrunk to the nearest standard length; each position of
a digit or letter field is mapped to a look-alike of its kind ("O" → "0", "0" → "O"); a names
line ends at its first ``<<<``; and a document number whose check digit disagrees is mended
where exactly one look-alike swap makes it agree. Any other text comes back as it is: no other
word is 28–46 characters of letters, digits and ``<`` with a ``<<`` inside.

:func:`match_numbers` then reads the card's printed fields against its zone: a document number
printed on the card and held in an MRZ line whose check digit agrees is taken from the line
where the printed reading differs from it only by look-alikes ("526800589" for "S26800589").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .types import Word

LENGTHS = (30, 36, 44)  # TD1, TD2, TD3
MAX_MISCOUNT = 2  # fillers a reading may have too few or too many
_CANDIDATE = re.compile(r"[A-Za-z0-9<]*<<[A-Za-z0-9<]*")
_TO_DIGIT = str.maketrans("OQDUILZSBG", "0000112586")
_TO_LETTER = str.maketrans("01258647", "OIZSBGAT")
_STRAY = re.compile(r"(?<=<<<)[A-Z0-9](?=<<<)")  # one character deep inside a run of fillers

# Each line's fields, position by position: "n" digits (a check digit may be "<"), "a" letters
# (or "<"), "x" either. From ICAO Doc 9303 parts 4 (TD3), 5 (TD1) and 6 (TD2).
_HEAD = "aaaaa"  # document code, issuing state; the names follow
LAYOUTS = {
    ("TD1", 1): "aa" + "aaa" + "x" * 9 + "n" + "x" * 15,
    ("TD1", 2): "n" * 6 + "n" + "a" + "n" * 6 + "n" + "aaa" + "x" * 11 + "n",
    ("TD1", 3): "a" * 30,
    ("TD2", 1): _HEAD + "a" * 31,
    ("TD2", 2): "x" * 9 + "n" + "aaa" + "n" * 6 + "n" + "a" + "n" * 6 + "n" + "x" * 7 + "n",
    ("TD3", 1): _HEAD + "a" * 39,
    ("TD3", 2): "x" * 9 + "n" + "aaa" + "n" * 6 + "n" + "a" + "n" * 6 + "n" + "x" * 14 + "n" + "n",
}


# Free fields (letters or digits) guarded by a check digit: (start, end, check position).
CHECKED = {
    ("TD1", 1): [(5, 14, 14)],
    ("TD2", 2): [(0, 9, 9)],
    ("TD3", 2): [(0, 9, 9), (28, 42, 42)],
}
NAMES = {("TD1", 3): 0, ("TD2", 1): 5, ("TD3", 1): 5}  # names lines: where the names start
_TWINS = {a: b for a, b in zip("0O1I2Z5S8B6G", "O0I1Z2S5B8G6")}  # read one for the other
# Characters the CRNN reads one for the other in printed fields (upper-cased): the twins, and
# a few more that a check digit, not the field's kind, has to tell apart.
_LOOK_ALIKES = {frozenset(pair) for pair in ("0O", "0D", "0Q", "1I", "1L", "2Z", "5S", "8B", "6G",
                                             "4A", "7T")}  # fmt: skip
MIN_NUMBER = 5  # characters a checked field needs before printed readings are matched to it


_VALUE = {ch: k for k, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}  # "<" = 0


def check_digit(field: str) -> str:
    """ICAO 9303's check digit of ``field``: weights 7, 3, 1 over 0–9, A=10 … Z=35, < = 0."""
    return str(sum(_VALUE.get(ch, 0) * (7, 3, 1)[k % 3] for k, ch in enumerate(field)) % 10)


def _repair(line: str, start: int, end: int, check: int) -> str:
    """``line`` with one character of its free field ``[start, end)`` swapped for its twin
    ("8" for "B", "O" for "0"…) where exactly one such swap makes the check digit agree. A
    check digit is one of ten values, so several swaps often agree; only swaps toward the
    field's majority (letters to digits in a field of mostly digits) are tried."""
    field = line[start:end]
    if not line[check].isdigit() or check_digit(field) == line[check]:
        return line
    to_digit = _digits(field) * 2 >= len(field.rstrip("<"))
    fixes = [field[:k] + _TWINS[ch] + field[k + 1 :] for k, ch in enumerate(field)
             if ch in _TWINS and _TWINS[ch].isdigit() == to_digit]  # fmt: skip
    fixes = [f for f in fixes if check_digit(f) == line[check]]
    return line[:start] + fixes[0] + line[end:] if len(fixes) == 1 else line


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def line_kind(line: str) -> tuple[str, int]:
    """(format, line number) of an upper-cased line of a standard length, from where its dates
    are: a TD2/TD3 line 2 has the birth and expiry dates at positions 14–19 and 22–27; a TD1
    line 2 opens with the birth date (its line 1 with letters), its line 1 holds the document
    number from position 6, and its line 3 only names."""
    if len(line) == 30:
        if _digits(line[0:6]) >= 4:
            return "TD1", 2
        return ("TD1", 1) if _digits(line[5:15]) >= 3 else ("TD1", 3)
    kind = "TD2" if len(line) == 36 else "TD3"
    return (kind, 2) if _digits(line[13:19] + line[21:27]) >= 6 else (kind, 1)


def _recount(line: str) -> str:
    """``line`` with its longest run of fillers stretched or shrunk to the nearest standard
    length, when that is at most ``MAX_MISCOUNT`` away and the run keeps at least one."""
    target = min(LENGTHS, key=lambda n: abs(n - len(line)))
    missing = target - len(line)
    runs = [m.span() for m in re.finditer("<+", line)]
    if not missing or abs(missing) > MAX_MISCOUNT or not runs:
        return line
    start, end = max(runs, key=lambda span: span[1] - span[0])
    if end - start + missing < 1:
        return line
    return line[:start] + "<" * (end - start + missing) + line[end:]


def is_fragment(text: str, min_length: int = 10) -> bool:
    """Whether ``text`` could be (part of) an MRZ line: only letters, digits and ``<``, a ``<<``
    among them, at least ``min_length`` long."""
    return len(text) >= min_length and _CANDIDATE.fullmatch(text) is not None


def is_line(text: str) -> bool:
    """Whether ``text`` reads as a whole MRZ line: only letters, digits and ``<``, a ``<<``
    among them, within ``MAX_MISCOUNT`` characters of a standard length."""
    near = min(abs(len(text) - n) for n in LENGTHS) <= MAX_MISCOUNT
    return near and _CANDIDATE.fullmatch(text) is not None


def unspaced(text: str) -> str:
    """``text`` without its spaces where that makes it a whole MRZ line, else unchanged. The
    CRNN now and then reads a space into a line, most often before a long run of fillers
    ("P<UTORFWJLVR<<NKKBT <<<<…", ``benchmarks/bench_mrz.py``); an MRZ has none, and no other
    text is 28–46 letters, digits and ``<`` with a ``<<`` once its spaces go."""
    if " " not in text.strip():
        return text
    joined = "".join(text.split())
    return joined if is_line(joined) else text


def normalise(text: str) -> str:
    """``text`` read to its MRZ line's format when it is one (see the module); else unchanged."""
    if not is_line(text):
        return text
    line = _recount(_STRAY.sub("<", text.upper()))
    if len(line) not in LENGTHS:
        return line
    kind = line_kind(line)
    out = []
    for ch, want in zip(line, LAYOUTS[kind]):
        if want == "n" and ch != "<":
            ch = ch.translate(_TO_DIGIT)
        elif want == "a" and ch != "<":
            ch = ch.translate(_TO_LETTER)
        out.append(ch)
    line = "".join(out)
    if kind in NAMES:  # the names end at the first "<<<": the rest is filler
        cut = line.find("<<<", NAMES[kind])
        line = line if cut < 0 else line[:cut].ljust(len(line), "<")
    for start, end, check in CHECKED.get(kind, ()):
        line = _repair(line, start, end, check)
    return line


def mend_lines(grey: np.ndarray, words: Sequence[Word]) -> list[Word]:
    """``words`` with each MRZ line's reading put to its format (:func:`normalise`): a tidy step
    of the pipeline like the others, though it needs no ink (``grey`` unused)."""
    return [replace(w, text=normalise(w.text)) if w.text else w for w in words]


def checked_fields(lines: Sequence[str]) -> list[str]:
    """The free fields guarded by a check digit (document numbers; a passport's personal
    number) of the whole MRZ lines among ``lines`` whose check digit agrees, without their
    trailing fillers; only those of at least ``MIN_NUMBER`` characters."""
    fields = []
    for line in lines:
        if len(line) not in LENGTHS or not is_line(line) or line != line.upper():
            continue
        for start, end, check in CHECKED.get(line_kind(line), ()):
            field = line[start:end]
            if check_digit(field) == line[check] and len(field.rstrip("<")) >= MIN_NUMBER:
                fields.append(field.rstrip("<"))
    return fields


def look_alike(text: str, field: str) -> bool:
    """Whether ``text`` reads ``field`` up to case and look-alike characters ("F20463893" for
    "FZ0463893"), but not exactly."""
    upper = text.upper()
    return text != field and len(upper) == len(field) and all(
        a == b or frozenset((a, b)) in _LOOK_ALIKES for a, b in zip(upper, field))  # fmt: skip


def match_numbers(grey: np.ndarray, words: Sequence[Word]) -> list[Word]:
    """``words`` with each printed reading of a checked MRZ field (:func:`checked_fields`)
    that differs from it only by look-alikes taken from the zone. A card prints its document
    number, and its zone holds it again with a check digit: one of ten values, so a misread
    field that still agrees is rare, while in a printed "S26800589" only the look of the "S"
    says it is not a "5". A tidy step of the pipeline (``grey`` unused)."""
    fields = checked_fields([w.text for w in words if w.text])
    if not fields:
        return list(words)
    out = []
    for w in words:
        match = next((f for f in fields if w.text and look_alike(w.text, f)), None)
        out.append(w if match is None else replace(w, text=match))
    return out
