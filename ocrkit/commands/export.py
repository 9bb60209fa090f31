"""``ocrkit export NAME --format onnx OUT [--opt KEY=VALUE]...``: a detector's or recogniser's
network as a file for other runtimes. Any plugin model with an ``export(path, format)`` method
can be exported; NAME is looked up among detectors first, then recognisers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..config import parse_assignments
from ..errors import UsageError
from ..plugins import detectors, recognizers


def add_parser(sub: Any) -> None:
    p = sub.add_parser("export", help="export a model's network (ONNX) for other runtimes")
    p.add_argument("name", help="a detector or recogniser name, e.g. craft or crnn")
    p.add_argument("output", type=Path, metavar="OUT", help="file to write, e.g. craft.onnx")
    p.add_argument("--format", default="onnx", choices=["onnx"])
    p.add_argument("--opt", action="append", default=[], metavar="KEY=VALUE",
                   help="model option, e.g. weights=runs/x/last.pt")  # fmt: skip


def cmd_export(args: argparse.Namespace, pm: Any) -> int:
    options = parse_assignments(args.opt, "--opt")
    dets, recs = detectors(pm), recognizers(pm)
    if args.name in dets:
        model = dets.get(args.name)(options=options, device="cpu")
    elif args.name in recs:
        model = recs.get(args.name)(options=options, device="cpu")
    else:
        raise UsageError(f"no detector or recogniser named {args.name!r}; "
                         f"detectors: {', '.join(dets.names())}; recognisers: {', '.join(recs.names())}")  # fmt: skip
    if not hasattr(model, "export"):
        raise UsageError(f"{args.name!r} cannot be exported (its plugin has no export method)")
    path = model.export(args.output, format=args.format)
    print(f"wrote {path}", file=sys.stderr)
    return 0
