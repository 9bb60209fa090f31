"""Stray digits and unpaired brackets (the CRNN's ``look_alike_margin``) on word crops, per margin.

    python benchmarks/bench_look_alikes.py \\
        --set funsd_words:../shared/data/funsd/dataset/training_data --margins 2,4,6,8,12

Each crop is cut as ``ocrkit eval`` cuts it and read once (greedy, fp32, nothing corrected); a
reading with a digit among the letters of a word ("0f", "S1GNED") or a bracket without its
partner ("Origina]", "[828") is then re-scored with their look-alikes at each margin
(:func:`ocrkit_crnn.look_alikes.read_as_look_alikes`, what the recogniser does by default).
Prints per dataset and margin the readings with such a character, those changed, the words
read exactly (tidied and with the text-only case step, as the pipeline does) without and with
the step, the words made right and wrong, examples of both, the step's time per word and the
machine. The default margin (6) was chosen on FUNSD train crops.
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
from ocrkit_crnn.look_alikes import read_as_look_alikes, spellings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_crop_sets(p, "2,4,6,8,12", "look_alike_margin", show=10)
    args = p.parse_args(argv)
    margins = [float(m) for m in args.margins.split(",")]
    rec = ocrkit.load_recognizer("crnn")
    print("| crops | words | with a look-alike to try | exact, as read | margin | changed "
          "| exact, with the step | made right | made wrong | ms per word |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    shown = []
    for spec in args.set:
        samples, _, probs, reads = crop_frames(rec, spec, args.limit)  # probs: (T, C) per crop
        stray = sum(bool(spellings(r)) for r in reads)
        before = sum(right(r, s.text) for r, s in zip(reads, samples))
        for margin in margins:
            def fix(r: str, q: np.ndarray, m: float = margin) -> str:
                return read_as_look_alikes(r, q, rec.alphabet.try_encode, m)

            done = corrections(samples, probs, reads, fix, right)
            print(f"| {spec} | {len(samples)} | {stray} | {before} | {margin:g} | {done.changed} "
                  f"| **{done.exact}** | {len(done.fixed)} | {len(done.broken)} | {done.ms:.2f} |")
            if margin == 6.0 or margin == margins[-1]:
                shown.append(examples(spec, margin, done, args.show))
    print("\n" + "\n".join(shown))
    print(f"\n{machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
