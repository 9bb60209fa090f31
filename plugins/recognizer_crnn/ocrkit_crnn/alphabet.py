"""Charset ↔ class indices; index 0 is the CTC blank."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Alphabet:
    name: str
    characters: str  # class i ↔ characters[i - 1]; class 0 = blank

    @property
    def num_classes(self) -> int:
        return len(self.characters) + 1

    @cached_property
    def _lookup(self) -> dict[str, int]:
        """Character → class index, built once (the lexicon encodes many candidates)."""
        return {ch: i + 1 for i, ch in enumerate(self.characters)}

    def encode(self, text: str) -> list[int]:
        lookup = self._lookup
        missing = sorted({ch for ch in text if ch not in lookup})
        if missing:
            raise ValueError(f"characters not in charset {self.name!r}: {''.join(missing)!r}")
        return [lookup[ch] for ch in text]

    def try_encode(self, text: str) -> list[int] | None:
        """:meth:`encode`, or None when the charset cannot write ``text``."""
        lookup = self._lookup
        return [lookup[ch] for ch in text] if all(ch in lookup for ch in text) else None

    def decode(self, indices: list[int]) -> str:
        return "".join(self.characters[i - 1] for i in indices if i > 0)

    def allowed(self, allowlist: str | None = None, blocklist: str | None = None) -> str:
        """The characters a reading may hold: ``allowlist``'s, or all but ``blocklist``'s, in
        charset order; a character the charset lacks, or nothing left to read, is an error."""
        given = allowlist if allowlist is not None else blocklist
        if given is not None:
            missing = sorted(set(given) - set(self.characters))
            if missing:
                which = "allowlist" if allowlist is not None else "blocklist"
                raise ValueError(
                    f"{which}: characters not in charset {self.name!r}: {''.join(missing)!r}"
                )
        if allowlist is not None:
            out = "".join(ch for ch in self.characters if ch in set(allowlist))
        else:
            out = "".join(ch for ch in self.characters if ch not in set(blocklist or ""))
        if not out:
            raise ValueError("allowlist/blocklist leave no character to read")
        return out


def load_alphabet(path: str | Path | None = None) -> Alphabet:
    """The charset from a JSON file ``{"name":…, "characters":…}``; default: english_g2's."""
    if path is None:
        text = resources.files("ocrkit_crnn").joinpath("charsets/english_g2.json").read_text("utf-8")
        label = "english_g2"
    else:
        text = Path(path).read_text("utf-8")
        label = str(path)
    data = json.loads(text)
    chars = data["characters"]
    if len(set(chars)) != len(chars):
        raise ValueError(f"{label}: charset has repeated characters")
    return Alphabet(data.get("name", label), chars)
