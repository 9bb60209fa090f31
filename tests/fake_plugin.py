"""The fake detector/recogniser as an importable plugin *module* (``ocrkit -p fake_plugin``):
what processes that cannot receive plugin objects (Ray workers) load by name."""

from __future__ import annotations

from helpers import FakePlugin

from ocrkit import hookimpl


@hookimpl
def ocrkit_register_detectors(registry):
    FakePlugin.ocrkit_register_detectors(registry)


@hookimpl
def ocrkit_register_recognizers(registry):
    FakePlugin.ocrkit_register_recognizers(registry)
