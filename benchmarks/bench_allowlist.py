"""Reading fields of a known kind: the CRNN's ``allowlist`` against no restriction, in one run.

A form's or an ID card's field is often known to hold digits only (a document number, a
postcode, a phone number) or a number with a few marks (a date, an amount). This script takes
the words of each dataset whose ground truth is of such a kind, reads each crop once without a
restriction and once with the kind's allowlist (``--rec-opt allowlist=...``), and prints how many
read exactly (tidied as the pipeline tidies each word), and how many each way changed (made
right / made wrong: the default allowlist against the free reading), per dataset and kind; a
column also gives the allowlist as EasyOCR applies it (``drop_edge_marks=false``):

    python benchmarks/bench_allowlist.py \\
        --set funsd_words:../shared/data/funsd/dataset/testing_data \\
        --set iiit5k:../shared/data/iiit5k \\
        --set icdar2015_words:../shared/data/icdar2015/word_recognition/test

Kinds: ``digits`` (ground truth ``[0-9]+``, allowlist ``0123456789``) and ``numbers`` (digits
with at least one of ``. , / : - $ % ( )`` and nothing else; allowlist the digits and those
marks). Crops are cut as ``ocrkit eval`` cuts them (the word's region, quad crop). Exact match,
case-sensitive (it cannot matter for these kinds).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from common import machine

import ocrkit
from ocrkit.commands.eval import load_crop
from ocrkit.datasets.specs import load_dataset_specs
from ocrkit.tidy import tidy_word

DIGITS = "0123456789"
MARKS = ".,/:-$%()"
KINDS = {  # name → (ground truth pattern, allowlist)
    "digits": (re.compile(r"[0-9]+"), DIGITS),
    "numbers": (re.compile(rf"(?=.*[0-9])(?=.*[{re.escape(MARKS)}])[0-9{re.escape(MARKS)}]+"),
                DIGITS + MARKS),
}


def compare(
    recognizer: object, restricted: object, easyocr: object, crops: list, texts: list[str]
) -> dict:
    """Exact readings without and with the restriction, and the words each made right/wrong.

    Both are tidied as the pipeline tidies a word (:func:`ocrkit.tidy.tidy_word`, which drops
    a lone mark after a space: "36 _" → "36"), so the gain is the allowlist's alone; "raw" is
    the free reading untidied. ``easyocr``: the allowlist as EasyOCR applies it
    (``drop_edge_marks=false``: a mark beyond the word is read as an allowed character)."""
    raw = [r.text for r in recognizer.recognize(crops)]  # type: ignore[attr-defined]
    free = [tidy_word(t) for t in raw]
    allowed = restricted.characters  # type: ignore[attr-defined]
    kept = [tidy_word(r.text, allowed) for r in restricted.recognize(crops)]  # type: ignore[attr-defined]
    plain = [tidy_word(r.text, allowed) for r in easyocr.recognize(crops)]  # type: ignore[attr-defined]
    return {
        "easyocr": sum(k == t for k, t in zip(plain, texts)),
        "n": len(texts),
        "raw": sum(f == t for f, t in zip(raw, texts)),
        "free": sum(f == t for f, t in zip(free, texts)),
        "allowlist": sum(k == t for k, t in zip(kept, texts)),
        "fixed": [(f, k) for f, k, t in zip(free, kept, texts) if f != t and k == t],
        "broken": [(f, k) for f, k, t in zip(free, kept, texts) if f == t and k != t],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--set", action="append", required=True, metavar="DATASET:PATH",
                   help="a recognition dataset, e.g. funsd_words:PATH, iiit5k:PATH (repeatable)")
    p.add_argument("--kinds", default="digits,numbers", help=f"of {', '.join(KINDS)}")
    p.add_argument("--precision", default="fp32", help="CRNN precision (fp32 = the reference)")
    p.add_argument("--show", type=int, default=5, help="examples of changed readings per row")
    args = p.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        p.error(f"unknown kind {unknown[0]!r}; choose from {', '.join(KINDS)}")

    # The free reading as decoded: the default word list would only respell letters these
    # number crops were misread as.
    free = ocrkit.load_recognizer("crnn", precision=args.precision, lexicon=None)
    start = time.perf_counter()
    print("| dataset | kind | words | exact, raw | exact, tidied | allowlist, EasyOCR's recipe "
          "| allowlist (default) | made right | made wrong |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    examples = []
    for spec in args.set:
        fmt, _, path = spec.partition(":")
        name = f"{fmt} {Path(path).name}"  # e.g. "funsd_words testing_data"
        samples = load_dataset_specs([spec], "recognition")
        for kind in kinds:
            pattern, allowlist = KINDS[kind]
            chosen = [s for s in samples if pattern.fullmatch(s.text)]
            if not chosen:
                continue
            crops = [load_crop(s, free.height) for s in chosen]
            restricted = ocrkit.load_recognizer("crnn", precision=args.precision, allowlist=allowlist)
            easyocr = ocrkit.load_recognizer("crnn", precision=args.precision, allowlist=allowlist,
                                             drop_edge_marks=False)  # fmt: skip
            row = compare(free, restricted, easyocr, crops, [s.text for s in chosen])
            print(f"| {name} | {kind} | {row['n']} | {row['raw']} | {row['free']} | {row['easyocr']} "
                  f"| **{row['allowlist']}** | {len(row['fixed'])} | {len(row['broken'])} |")
            for what in ("fixed", "broken"):
                for f, k in row[what][: args.show]:
                    examples.append(f"{name} {kind} {what}: {f!r} -> {k!r}")
    print()
    print("\n".join(examples))
    print(f"\n{time.perf_counter() - start:.0f} s; {machine()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
