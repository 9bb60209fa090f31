import numpy as np
import pytest

from ocrkit import ConfigError, Registry, UnknownNameError, Word, build_config
from ocrkit.config import parse_assignments, parse_value
from ocrkit.types import as_polygon
from dataclasses import dataclass


def test_as_polygon_shapes_and_errors():
    poly = as_polygon([1, 2, 3, 4, 5, 6, 7, 8])
    assert poly.dtype == np.float32 and poly.shape == (4, 2)
    with pytest.raises(ValueError):
        as_polygon([1, 2, 3, 4])
    with pytest.raises(ValueError):
        as_polygon([[0, 0], [1, np.nan], [2, 2]])


def test_word_to_dict_is_json_ready():
    w = Word(np.array([[0, 0], [2, 0], [2, 1], [0, 1]], np.float32), "hi", 0.5, None)
    d = w.to_dict()
    assert d == {"polygon": [[0, 0], [2, 0], [2, 1], [0, 1]], "text": "hi",
                 "detection_score": 0.5, "recognition_score": None}  # fmt: skip


def test_registry_add_get_names_and_errors():
    reg: Registry[object] = Registry("detector")
    reg.current_owner = "plugin-a"
    reg.add("b", 1, summary="bee")
    reg.add("a", 2)
    assert reg.names() == ["a", "b"] and reg.get("b") == 1 and "a" in reg
    assert reg.summaries() == {"a": "", "b": "bee"} and reg.owner("b") == "plugin-a"
    with pytest.raises(UnknownNameError, match=r"unknown detector 'c'; available: a, b"):
        reg.get("c")
    reg.current_owner = "plugin-b"
    with pytest.raises(ValueError, match="registered twice.*plugin-a.*plugin-b"):
        reg.add("a", 3)
    with pytest.raises(ValueError, match="invalid"):
        reg.add("has space", 3)


@dataclass(frozen=True)
class Cfg:
    threshold: float = 0.5
    steps: int = 3
    poly: bool = False
    name: str | None = None
    angles: tuple[int, ...] = ()


def test_parse_value_and_assignments():
    assert parse_value("0.5") == 0.5 and parse_value("true") is True and parse_value("x") == "x"
    assert parse_value("[90, 180]") == [90, 180] and parse_value("none") is None
    assert parse_assignments(["a=1", "b = text"]) == {"a": 1, "b": "text"}
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_assignments(["novalue"], "--det-opt")


def test_assignments_keep_text_a_number_would_lose():
    """`--rec-opt allowlist=+0123456789` must reach the recogniser as typed, yet `0.5` and
    `10` still arrive as numbers and a number field still reads "1.50" or "1e-3"."""
    parsed = parse_assignments(["a=+0123456789", "b=0123456789.", "c=1.50", "d=0.5", "e=10"])
    assert parsed == {"a": "+0123456789", "b": "0123456789.", "c": "1.50", "d": 0.5, "e": 10}
    assert build_config(Cfg, {"threshold": "1.50", "name": "0123456789."}) == Cfg(
        threshold=1.5, name="0123456789."
    )
    assert build_config(Cfg, {"threshold": "1e-3", "name": "none"}) == Cfg(threshold=0.001)
    assert build_config(Cfg, {"name": "+10"}).name == "+10"


def test_build_config_coerces_and_rejects():
    cfg = build_config(Cfg, {"threshold": 1, "steps": "4", "poly": "yes", "angles": "[90,180]"})
    assert cfg == Cfg(threshold=1.0, steps=4, poly=True, angles=(90, 180))
    assert build_config(Cfg, {"name": "abc"}).name == "abc"
    with pytest.raises(ConfigError, match="unknown option 'treshold'; valid: angles, name, poly"):
        build_config(Cfg, {"treshold": 0.1})
    with pytest.raises(ConfigError, match="'steps' expects an integer"):
        build_config(Cfg, {"steps": 1.5})
    with pytest.raises(ConfigError, match="'poly' expects true/false"):
        build_config(Cfg, {"poly": "maybe"})
