"""Fonts for synthetic text: system fonts found at run time plus user folders (no downloads)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

SYSTEM_FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)


def find_fonts(extra_dirs: Sequence[str | os.PathLike[str]] = (), system: bool = True) -> list[Path]:
    """TrueType/OpenType files under ``extra_dirs`` and (optionally) the system font folders.

    Symbol/math fonts are skipped (they render letters as symbols). Sorted, so a seeded sampler
    picks the same font on every machine that has the same fonts.
    """
    dirs = [Path(d).expanduser() for d in extra_dirs]
    if system:
        dirs += [Path(d).expanduser() for d in SYSTEM_FONT_DIRS]
    found: set[Path] = set()
    for d in dirs:
        if d.is_dir():
            for ext in ("*.ttf", "*.otf", "*.TTF", "*.OTF"):
                found.update(p for p in d.rglob(ext) if "math" not in p.name.lower())
    return sorted(found)
