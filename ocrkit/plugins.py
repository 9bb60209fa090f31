"""Building the plugin manager: built-ins, entry points (group ``ocrkit``), and extras.

Nothing is loaded at import time. ``OCRKIT_LOAD_PLUGINS`` is an allow-list of entry-point or
distribution names (comma-separated; an empty string loads none; unset loads all), as in llm.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import os
from collections.abc import Sequence
from typing import Any

import pluggy

from . import hookspecs
from .registry import Registry

ENTRY_POINT_GROUP = "ocrkit"
ALLOW_ENV = "OCRKIT_LOAD_PLUGINS"
BUILTIN_PLUGINS = ("ocrkit.builtin.crop", "ocrkit.builtin.metrics", "ocrkit.builtin.datasets")



class PluginManager(pluggy.PluginManager):
    """pluggy's manager plus the distribution (name, version) each entry-point plugin came from."""

    def __init__(self, project_name: str) -> None:
        super().__init__(project_name)
        self.distributions: dict[str, tuple[str, str]] = {}


class PluginError(RuntimeError):
    """A plugin that cannot be loaded; the message names it."""


def _allowed() -> set[str] | None:
    raw = os.environ.get(ALLOW_ENV)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def _load_module(name: str) -> object:
    try:
        return importlib.import_module(name)
    except Exception as exc:  # a broken plugin must say which one it is
        raise PluginError(f"cannot import plugin module {name!r}: {exc}") from exc


def make_plugin_manager(
    *, entrypoints: bool = True, extra: Sequence[object | str] = ()
) -> pluggy.PluginManager:
    """Return a manager with the hookspecs, built-ins, allowed entry points and ``extra``.

    ``extra`` holds plugin objects or importable module names (``ocrkit -p MODULE``).
    """
    pm = PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in BUILTIN_PLUGINS:
        pm.register(_load_module(name), name=name)
    if entrypoints:
        allowed = _allowed()
        for ep in md.entry_points(group=ENTRY_POINT_GROUP):
            dist = ep.dist.name if ep.dist is not None else ""
            if allowed is not None and ep.name not in allowed and dist not in allowed:
                continue
            if pm.has_plugin(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:
                raise PluginError(f"cannot load plugin {ep.name!r} ({ep.value}): {exc}") from exc
            pm.register(plugin, name=ep.name)
            if ep.dist is not None:
                pm.distributions[ep.name] = (ep.dist.name, ep.dist.version)
    for obj in extra:
        plugin = _load_module(obj) if isinstance(obj, str) else obj
        name = obj if isinstance(obj, str) else None
        if pm.is_registered(plugin):
            continue
        pm.register(plugin, name=name)
    pm.check_pending()  # a misspelt @hookimpl name fails here, not silently
    return pm


def _build(pm: pluggy.PluginManager, kind: str, hook_name: str) -> Registry[Any]:
    """Call each plugin's register hook with the registry attributed to that plugin."""
    registry: Registry[Any] = Registry(kind)
    hook = getattr(pm.hook, hook_name)
    for impl in reversed(hook.get_hookimpls()):  # pluggy calls later registrations first
        registry.current_owner = impl.plugin_name
        impl.function(registry=registry)
    registry.current_owner = ""
    return registry


def detectors(pm: pluggy.PluginManager) -> Registry[Any]:
    return _build(pm, "detector", "ocrkit_register_detectors")


def recognizers(pm: pluggy.PluginManager) -> Registry[Any]:
    return _build(pm, "recognizer", "ocrkit_register_recognizers")


def evaluators(pm: pluggy.PluginManager) -> Registry[Any]:
    return _build(pm, "evaluator", "ocrkit_register_evaluators")


def datasets(pm: pluggy.PluginManager) -> Registry[Any]:
    return _build(pm, "dataset", "ocrkit_register_datasets")


def trainings(pm: pluggy.PluginManager) -> Registry[Any]:
    return _build(pm, "training recipe", "ocrkit_register_training")


def plugin_info(pm: pluggy.PluginManager) -> list[dict[str, Any]]:
    """Name, version and registered names of every plugin (what ``ocrkit plugins`` prints)."""
    dists = getattr(pm, "distributions", {})
    regs = {
        "detectors": detectors(pm),
        "recognizers": recognizers(pm),
        "evaluators": evaluators(pm),
        "datasets": datasets(pm),
        "training": trainings(pm),
    }
    out = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        dist_name, version = dists.get(name, ("ocrkit", _core_version()))
        entry: dict[str, Any] = {
            "name": name,
            "distribution": dist_name,
            "version": version,
            "hooks": sorted(h.name for h in pm.get_hookcallers(plugin) or []),
        }
        for kind, reg in regs.items():
            names = [n for n in reg.names() if reg.owner(n) == name]
            if names:
                entry[kind] = {n: reg.summaries()[n] for n in names}
        out.append(entry)
    return out


def _core_version() -> str:
    try:
        return md.version("ocrkit")
    except md.PackageNotFoundError:
        return "unknown"


_DEFAULT_PM: pluggy.PluginManager | None = None


def reset_plugin_manager() -> None:
    """Forget the cached manager (tests; after installing a plugin in a running process)."""
    global _DEFAULT_PM
    _DEFAULT_PM = None


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide manager used by the Python API (built on first use)."""
    global _DEFAULT_PM
    if _DEFAULT_PM is None:
        _DEFAULT_PM = make_plugin_manager()
    return _DEFAULT_PM
