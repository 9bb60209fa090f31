"""``ocrkit synth``: write synthetic text pages with word and character ground truth."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import UsageError


def add_parser(sub: Any) -> None:
    p = sub.add_parser("synth", help="generate synthetic text pages with character boxes")
    p.add_argument("--count", type=int, required=True, metavar="N")
    p.add_argument("--output-dir", type=Path, required=True, metavar="DIR")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--fonts", default=None, metavar="DIR", help="extra fonts (system fonts are used too)")
    p.add_argument("--size", type=int, default=768, help="page side in pixels")


def cmd_synth(args: argparse.Namespace, pm: Any) -> int:
    from ..synth import generate

    if args.count < 1 or args.size < 64:
        raise UsageError("--count must be >= 1 and --size >= 64")
    words = generate(args.count, args.output_dir, args.seed, args.fonts, (args.size, args.size))
    print(f"wrote {args.count} pages, {words} words to {args.output_dir}", file=sys.stderr)
    return 0
