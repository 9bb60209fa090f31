"""Two-letter readings put right (the CRNN's ``lexicon_two_letter_margin``) on word crops, per margin.

    python benchmarks/bench_two_letter.py \\
        --set funsd_words:../shared/data/funsd/dataset/training_data --margins 1,2,3,4,6
    python benchmarks/bench_two_letter.py --margins 4 \\
        --set funsd_words:../shared/data/funsd/dataset/testing_data

Each crop is cut as ``ocrkit eval`` cuts it, read once (greedy, the recogniser's default
precision) and put right by every step the recogniser runs before this one (look-alikes, one
case, the lexicon's 3+-letter words: ``lexicon_two_letter_margin=none``); a two-letter reading
in lower case or with a first capital that is no two-letter word of the list is then re-scored
against those words one letter away at each margin
(:func:`ocrkit_crnn.lexicon.two_letter_corrected`, what the recogniser does by default). Prints
per dataset and margin the readings changed, the words read exactly (case counted, tidied and
with the text-only case step, as the pipeline does) without and with the step, the words made
right and wrong, examples of both, the step's time per word and the machine. The default margin
(4) was chosen on FUNSD train crops.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_crop_sets, corrections, crop_frames, examples, machine  # noqa: E402
from common import exact_as_the_pipeline_reads as right  # noqa: E402

import ocrkit  # noqa: E402
from ocrkit_crnn.lexicon import two_letter_corrected  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_crop_sets(p, "1,2,3,4,6", "lexicon_two_letter_margin")
    args = p.parse_args(argv)
    margins = [float(m) for m in args.margins.split(",")]
    rec = ocrkit.load_recognizer("crnn", lexicon_two_letter_margin="none")
    print(f"two-letter words of the list: {' '.join(sorted(rec.lexicon.two_letter))}\n")
    print("| crops | words | exact, steps before | margin | changed | exact, with the step "
          "| made right | made wrong | ms per word |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    shown = []
    for spec in args.set:
        samples, _, probs, reads = crop_frames(rec, spec, args.limit)  # probs: (T, C) per crop
        before = [rec._corrected(r, q) for r, q in zip(reads, probs)]  # the steps before this
        exact = sum(right(r, s.text) for r, s in zip(before, samples))
        for margin in margins:
            def fix(r: str, q: np.ndarray, m: float = margin) -> str:
                return two_letter_corrected(r, q, rec.alphabet.try_encode, rec.lexicon, m)

            done = corrections(samples, probs, before, fix, right)
            counts = f"{len(done.fixed)} | {len(done.broken)} | {done.ms:.3f}"
            print(f"| {spec} | {len(samples)} | {exact} | {margin:g} | {done.changed} | "
                  f"**{done.exact}** | {counts} |")
        shown.append(examples(spec, margins[-1], done, args.show))
    print("\n" + "\n".join(shown))
    print(f"\n{machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
