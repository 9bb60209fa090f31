"""Fixtures: a plugin manager with fakes only, synthetic images, the real models (session)."""

from __future__ import annotations

import pytest
from helpers import FakePlugin, need_plugin

import ocrkit


@pytest.fixture
def fake_pm():
    """A plugin manager with the built-ins and the fake plugin only (no entry points)."""
    return ocrkit.make_plugin_manager(entrypoints=False, extra=[FakePlugin()])


@pytest.fixture
def text_image():
    from ocrkit.testing import synthetic_text_image

    image, quads = synthetic_text_image(["HELLO WORLD", "second line"], size=(200, 420), scale=1.0)
    return image, quads


@pytest.fixture(scope="session")
def fonts():
    """The machine's TrueType/OpenType fonts (the rendered benchmarks' scenes need some)."""
    from ocrkit.fonts import find_fonts

    found = find_fonts([])
    if not found:
        pytest.skip("no fonts on this machine")
    return found


@pytest.fixture(scope="session")
def craft_detector():
    need_plugin("ocrkit_craft")
    return ocrkit.load_detector("craft")


@pytest.fixture(scope="session")
def crnn_recognizer():
    need_plugin("ocrkit_crnn")
    return ocrkit.load_recognizer("crnn")
