"""Plugin options: dataclass defaults plus checked ``KEY=VALUE`` overrides (nanoGPT's idea, no exec)."""

from __future__ import annotations

import ast
import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

C = TypeVar("C")


class ConfigError(ValueError):
    """An unknown key or a value of the wrong type; the message lists the valid keys."""


def parse_value(text: str) -> Any:
    """``"0.5"`` → 0.5, ``"true"`` → True, ``"[90,180]"`` → list; anything else stays a string."""
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "on"):
        return True
    if lowered in ("false", "no", "off"):
        return False
    if lowered in ("none", "null"):
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_exact(text: str) -> Any:
    """:func:`parse_value`, except that a number is parsed only when it is written as Python
    writes it: ``"0.5"`` → 0.5 and ``"10"`` → 10, but ``"+0123456789"``, ``"0123456789."`` and
    ``"1.50"`` stay text. Typed on the command line, such a value is more likely a string option
    (a recogniser's allowlist) than a number, and its text could not be recovered from the
    number; a number field still reads it (:func:`build_config` parses it again, fully)."""
    value = parse_value(text)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and str(value) != text.strip():
        return text.strip()
    return value


def parse_assignments(items: Sequence[str], flag: str = "--opt") -> dict[str, Any]:
    """Parse repeated ``KEY=VALUE`` strings into a dict (values through :func:`parse_exact`)."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{flag} {item!r}: expected KEY=VALUE")
        out[key.strip()] = parse_exact(value.strip())
    return out


def _is_text(annotation: Any) -> bool:
    """``str`` or ``str | None``: a field whose typed text is kept as typed, not parsed."""
    if annotation is str:
        return True
    args = set(typing.get_args(annotation))
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and args == {str, type(None)}


def _coerce(name: str, value: Any, annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(annotation)
        if value is None and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _coerce(name, value, option)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"{name}: invalid value {value!r}")
    if annotation is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            parsed = parse_value(value)
            if isinstance(parsed, bool):
                return parsed
        raise ConfigError(f"option {name!r} expects true/false, got {value!r}")
    if annotation is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"option {name!r} expects a number, got {value!r}")
    if annotation is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ConfigError(f"option {name!r} expects an integer, got {value!r}")
    if annotation is str:
        # `--set amp=none`: parse_value turned the word into None; a plain str field means the word.
        return "none" if value is None else str(value)
    if origin in (tuple, list):
        if isinstance(value, (int, float)):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"option {name!r} expects a list, got {value!r}")
        args = typing.get_args(annotation)
        inner = args[0] if args else Any
        items = [v if inner is Any else _coerce(name, v, inner) for v in value]
        return tuple(items) if origin is tuple else items
    return value


def build_config(cls: type[C], options: Mapping[str, Any] | None, *, what: str = "") -> C:
    """Instantiate dataclass ``cls`` from defaults overridden by ``options``.

    Raises:
        ConfigError: unknown key (listing the valid keys) or a value of the wrong type.
    """
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    hints = typing.get_type_hints(cls)
    values = {}
    for key, value in (options or {}).items():
        if key not in fields:
            valid = ", ".join(sorted(fields))
            raise ConfigError(f"unknown {what + ' ' if what else ''}option {key!r}; valid: {valid}")
        if isinstance(value, str) and not _is_text(hints[key]):
            value = parse_value(value)
        elif isinstance(value, str) and value.strip().lower() in ("none", "null"):
            value = None  # `str | None` fields: the word unsets them (a plain str keeps it)
        values[key] = _coerce(key, value, hints[key])
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(str(exc)) from None
