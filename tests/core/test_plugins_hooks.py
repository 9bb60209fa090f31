"""Plugin loading, the allow-list, -p modules, and one test per hook (test_hook_<name>)."""

import importlib.metadata as md
import sys
import types

import numpy as np
import pytest
from helpers import FakeDetector, FakePlugin

import ocrkit
from ocrkit import Detection, PluginError, hookimpl
from ocrkit.plugins import detectors, evaluators, plugin_info, recognizers


def _installed_entry_points():
    return {ep.name for ep in md.entry_points(group="ocrkit")}


def test_builtins_are_loaded_without_entry_points():
    pm = ocrkit.make_plugin_manager(entrypoints=False)
    assert pm.has_plugin("ocrkit.builtin.crop") and pm.has_plugin("ocrkit.builtin.metrics")
    assert detectors(pm).names() == []
    assert "icdar2015" in evaluators(pm).names()


def test_entry_points_and_allow_list(monkeypatch):
    names = _installed_entry_points()
    if "craft" not in names:
        pytest.skip("ocrkit-craft is not installed")
    monkeypatch.delenv("OCRKIT_LOAD_PLUGINS", raising=False)
    assert "craft" in detectors(ocrkit.make_plugin_manager()).names()
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "")
    assert detectors(ocrkit.make_plugin_manager()).names() == []
    monkeypatch.setenv("OCRKIT_LOAD_PLUGINS", "ocrkit-craft")  # distribution name works too
    pm = ocrkit.make_plugin_manager()
    assert detectors(pm).names() == ["craft"] and recognizers(pm).names() == []


def test_dash_p_module_and_plugin_listing(monkeypatch):
    mod = types.ModuleType("ocrkit_test_dash_p")
    mod.ocrkit_register_detectors = hookimpl(
        lambda registry: registry.add("dashp", lambda *, options, device: FakeDetector())
    )
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    pm = ocrkit.make_plugin_manager(entrypoints=False, extra=[mod.__name__])
    assert detectors(pm).names() == ["dashp"]
    info = {entry["name"]: entry for entry in plugin_info(pm)}
    assert info[mod.__name__]["detectors"] == {"dashp": ""}
    assert "ocrkit_register_evaluators" in info["ocrkit.builtin.metrics"]["hooks"]
    with pytest.raises(PluginError, match="cannot import plugin module 'no_such_module_x'"):
        ocrkit.make_plugin_manager(entrypoints=False, extra=["no_such_module_x"])


def test_duplicate_names_name_both_plugins():
    class Again:
        @staticmethod
        @hookimpl
        def ocrkit_register_detectors(registry):
            registry.add("fake", lambda *, options, device: FakeDetector())

    pm = ocrkit.make_plugin_manager(entrypoints=False, extra=[FakePlugin(), Again()])
    with pytest.raises(ValueError, match="detector 'fake' is registered twice"):
        detectors(pm)


def test_misspelt_hook_fails_at_startup():
    class Typo:
        @staticmethod
        @hookimpl
        def ocrkit_register_detector(registry):  # missing "s"
            pass

    with pytest.raises(Exception, match="unknown hook"):
        ocrkit.make_plugin_manager(entrypoints=False, extra=[Typo()])


def test_hook_ocrkit_register_detectors(fake_pm):
    det = ocrkit.load_detector("fake", plugin_manager=fake_pm, threshold=100)
    assert isinstance(det, FakeDetector) and det.threshold == 100
    with pytest.raises(ocrkit.UnknownNameError, match="unknown detector 'nope'; available: fake"):
        ocrkit.load_detector("nope", plugin_manager=fake_pm)


def test_hook_ocrkit_register_recognizers(fake_pm):
    rec = ocrkit.load_recognizer("fakerec", plugin_manager=fake_pm)
    assert rec.recognize([np.zeros((32, 7, 3), np.uint8)])[0].text == "w7"


def test_hook_ocrkit_register_evaluators(fake_pm):
    ev = ocrkit.load_evaluator("icdar2015", plugin_manager=fake_pm)
    assert ev.task == "detection" and ev.compute()["hmean"] == 0.0


def test_hook_ocrkit_crop_region_first_result_wins_and_fallback(fake_pm):
    image = np.zeros((50, 80, 3), np.uint8)
    det = Detection(np.array([[10, 10], [70, 10], [70, 30], [10, 30]], np.float32), 1.0)
    crop = fake_pm.hook.ocrkit_crop_region
    fallback = crop(image=image, detection=det, height=16, sampling="lanczos")
    assert fallback.shape[0] == 16  # the core's quad crop
    seen = []

    class Marker:
        @staticmethod
        @hookimpl
        def ocrkit_crop_region(image, detection, height, sampling):
            seen.append(sampling)
            if len(detection.polygon) > 4:
                return np.full((height, 5, 3), 7, np.uint8)
            return None  # pass: quads go to the fallback

    class OldStyle:  # a plugin written before the hook had ``sampling``: still called
        @staticmethod
        @hookimpl
        def ocrkit_crop_region(image, detection, height):
            seen.append("old")

    fake_pm.register(Marker())
    fake_pm.register(OldStyle())
    assert crop(image=image, detection=det, height=16, sampling="linear").shape[1] != 5
    assert sorted(seen) == ["linear", "old"]
    curved = Detection(np.array([[10, 10], [40, 5], [70, 10], [70, 30], [40, 25], [10, 30]],
                                np.float32), 1.0)  # fmt: skip
    assert crop(image=image, detection=curved, height=16, sampling="lanczos").shape == (16, 5, 3)


def test_hook_ocrkit_register_datasets(fake_pm, tmp_path):
    from ocrkit.datasets import DetectionSample
    from ocrkit.plugins import datasets

    class MyFormat:
        @staticmethod
        @hookimpl
        def ocrkit_register_datasets(registry):
            class Reader:
                task = "detection"

                def load(self, data, images=None, gt=None):
                    return [DetectionSample("x", data / "x.png", [])]

            registry.add("mine", lambda *, options: Reader(), summary="one image")

    fake_pm.register(MyFormat())
    reg = datasets(fake_pm)
    assert {"icdar2015", "funsd", "iiit5k", "mine"} <= set(reg.names())
    assert reg.get("mine")(options={}).load(tmp_path)[0].stem == "x"
    with pytest.raises(ocrkit.ConfigError, match="unknown dataset option 'lvl'; valid: level"):
        reg.get("funsd")(options={"lvl": "entity"})
