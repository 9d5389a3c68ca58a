"""Builds the plugin manager: the core's defaults, the shipped agency plugins and any
allowed third-party plugins from the ``safeguarding_hub.plugins`` entry point group."""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pluggy

from plugins import hookspecs
from plugins.markers import PROJECT_NAME

ENTRY_POINT_GROUP = "safeguarding_hub.plugins"
CORE_PLUGINS = ("core.defaults",)
SHIPPED_PLUGINS = ("agencies.police", "agencies.nhs_trust", "agencies.care_home")


class PluginLoadError(RuntimeError):
    """A plugin could not be loaded or does not fit the hook specifications."""


@dataclass(frozen=True)
class PluginInfo:
    name: str
    source: str  # core, shipped, entry point, or test
    hooks: tuple[str, ...]


def _import(module_name: str, source: str) -> Any:
    try:
        return importlib.import_module(module_name)
    except Exception as exc:
        raise PluginLoadError(
            f"The {source} plugin '{module_name}' failed to load: {type(exc).__name__}: {exc}"
        ) from exc


def _allowed(name: str, allow: Iterable[str], deny: Iterable[str]) -> bool:
    deny = set(deny)
    allow = set(allow)
    return name not in deny and ("*" in allow or name in allow)


def installed_entry_points() -> list[importlib.metadata.EntryPoint]:
    return sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def build_plugin_manager(config: Mapping[str, Any]) -> pluggy.PluginManager:
    """Register every plugin, then check each hook implementation matches a spec."""
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    sources: dict[str, str] = {}
    for name in CORE_PLUGINS:
        pm.register(_import(name, "core"), name=name)
        sources[name] = "core"
    for name in SHIPPED_PLUGINS:
        pm.register(_import(name, "shipped"), name=name)
        sources[name] = "shipped"
    if config.get("LOAD_ENTRYPOINT_PLUGINS", True):
        for entry_point in installed_entry_points():
            if not _allowed(
                entry_point.name, config.get("PLUGINS_ALLOW", ()), config.get("PLUGINS_DENY", ())
            ):
                continue
            try:
                plugin = entry_point.load()
            except Exception as exc:
                raise PluginLoadError(
                    f"The plugin '{entry_point.name}' ({entry_point.value}) failed to load: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            _register(pm, plugin, entry_point.name)
            sources[entry_point.name] = "entry point"
    for plugin in config.get("EXTRA_PLUGINS", ()):
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        _register(pm, plugin, name)
        sources[name] = "test"
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginLoadError(f"A plugin does not fit the hook specifications: {exc}") from exc
    pm.sources = sources  # type: ignore[attr-defined]
    return pm


def _register(pm: pluggy.PluginManager, plugin: Any, name: str) -> None:
    if pm.has_plugin(name):
        raise PluginLoadError(f"Two plugins are named '{name}'; each name must be unique.")
    try:
        pm.register(plugin, name=name)
    except (ValueError, pluggy.PluginValidationError) as exc:
        raise PluginLoadError(f"The plugin '{name}' could not be registered: {exc}") from exc


def describe_plugins(pm: pluggy.PluginManager) -> list[PluginInfo]:
    sources: dict[str, str] = getattr(pm, "sources", {})
    described = []
    for name, plugin in pm.list_name_plugin():
        callers = pm.get_hookcallers(plugin) or []
        described.append(
            PluginInfo(name, sources.get(name, "other"), tuple(sorted(c.name for c in callers)))
        )
    return described
