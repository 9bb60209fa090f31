"""The CRNN's lexicon correction (``--rec-opt lexicon``) on word crops, per margin, in one run.

    python benchmarks/bench_lexicon.py --lexicon en \\
        --set funsd_words:../shared/data/funsd/dataset/training_data --margins 4,6,8
    python benchmarks/bench_lexicon.py --margins 6 --lone-margins none,8,12,16 \\
        --set funsd_words:../shared/data/funsd/dataset/testing_data   # the lone rule on and off

``--lexicon``: ``en`` (the built-in English list, the recogniser's default) or a word-list file
(ICDAR 2015's ``GenericVocabulary.txt``, say).

Each crop is cut as ``ocrkit eval`` cuts it and read once (greedy, fp32); the reading is then
put right against the lexicon at each margin and lone margin
(:func:`ocrkit_crnn.lexicon.corrected`, what the recogniser does with ``lexicon_margin`` and
``lexicon_lone_margin``, default 12). Prints per dataset and pair of margins the words read exactly
(tidied as the pipeline tidies a word, case ignored as the IC15 protocol ignores it) without and
with the lexicon, the words made right and made wrong, examples of both, the correction's time
per word, and the machine. The margin was chosen on FUNSD train crops (1–4000 with ICDAR 2015's
generic vocabulary; all of them with the built-in list).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_crop_sets, corrections, crop_frames, examples, machine  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit.tidy import tidy_word  # noqa: E402
from ocrkit_crnn.lexicon import corrected, load_lexicon  # noqa: E402


def right(reading: str, truth: str) -> bool:
    return tidy_word(reading).casefold() == truth.casefold()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--lexicon", default="en",
                   help="en (the built-in English list, default) or a word-list file")
    add_crop_sets(p, "2,4,6,8", "lexicon_margin")
    p.add_argument("--lone-margins", default="12",
                   help="lexicon_lone_margin values (nats; none = off)")
    args = p.parse_args(argv)
    margins = [float(m) for m in args.margins.split(",")]
    lones = [None if m.strip().lower() == "none" else float(m)
             for m in args.lone_margins.split(",")]  # fmt: skip
    lexicon = load_lexicon(args.lexicon)
    rec = ocrkit.load_recognizer("crnn")
    print(f"lexicon {args.lexicon}: {len(lexicon)} words of 3+ letters\n")
    print("| crops | words | exact, no lexicon | margin | lone margin | exact, lexicon "
          "| made right | made wrong | ms per word |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    shown = []
    for spec in args.set:
        samples, _, probs, reads = crop_frames(rec, spec, args.limit)  # probs: (T, C) per crop
        before = sum(right(r, s.text) for r, s in zip(reads, samples))
        for margin in margins:
            for lone in lones:
                def fix(r: str, q: np.ndarray, m: float = margin, w: float | None = lone) -> str:
                    return corrected(r, q, rec.alphabet.try_encode, lexicon, m, lone_margin=w)

                done = corrections(samples, probs, reads, fix, right)
                counts = f"{len(done.fixed)} | {len(done.broken)} | {done.ms:.1f}"
                print(f"| {spec} | {len(samples)} | {before} | {margin:g} | {lone} | "
                      f"**{done.exact}** | {counts} |")
        shown.append(examples(spec, f"{margins[-1]:g}, lone {lones[-1]}", done, args.show))
    print("\n" + "\n".join(shown))
    print(f"\n{machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
