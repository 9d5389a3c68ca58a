"""The registries the plugins fill at start-up, kept on the app for the whole process."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pluggy
from flask import Flask, current_app

from core.agency_forms.registry import check_definitions, check_reports
from core.api.extension import API_PREFIX, init_api, plugin_conventions
from core.extensions import csrf
from core.policy.resources import declare_plugin_resources
from plugins.forms import FormDefinition
from plugins.manager import PluginLoadError, build_plugin_manager
from plugins.types import AgencyType, MeetingType, Permission, Report

T = TypeVar("T")
EXTENSION_KEY = "safeguarding_hub"


@dataclass
class Platform:
    pm: pluggy.PluginManager
    agency_types: dict[str, AgencyType] = field(default_factory=dict)
    permissions: dict[str, Permission] = field(default_factory=dict)
    meeting_types: dict[str, MeetingType] = field(default_factory=dict)
    forms: dict[str, FormDefinition] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    # folders of the plugins' own Alembic branches
    migration_dirs: list[str] = field(default_factory=list)

    @property
    def hook(self) -> Any:
        return self.pm.hook


def collect_unique(results: Iterable[Iterable[T]], key: str, what: str) -> dict[str, T]:
    """Merge what several plugins contributed; a name given twice stops start-up."""
    merged: dict[str, T] = {}
    for contribution in results:
        for item in contribution or ():
            name = getattr(item, key)
            if name in merged:
                raise PluginLoadError(f"Two plugins register the {what} '{name}'.")
            merged[name] = item
    return merged


def init_platform(app: Flask) -> Platform:
    pm = build_plugin_manager(app.config)
    platform = Platform(pm=pm)
    app.extensions[EXTENSION_KEY] = platform
    pm.hook.configure_app.call_historic(kwargs={"app": app})
    platform.agency_types = collect_unique(pm.hook.register_agency_types(), "code", "agency type")
    platform.permissions = collect_unique(pm.hook.register_permissions(), "name", "permission")
    platform.meeting_types = collect_unique(
        pm.hook.register_meeting_types(), "code", "meeting type"
    )
    platform.forms = collect_unique(pm.hook.register_forms(), "name", "form")
    platform.reports = collect_unique(pm.hook.register_reports(), "name", "report")
    record_types = [found for group in pm.hook.register_resources() for found in group or ()]
    try:
        declare_plugin_resources(app, record_types)
    except ValueError as error:
        raise PluginLoadError(str(error)) from error
    platform.migration_dirs = _migration_dirs(pm.hook.register_migrations())

    check_definitions(platform.forms, set(platform.agency_types))
    check_reports(platform.reports)
    for blueprints in pm.hook.register_blueprints():
        for blueprint in blueprints or ():
            _register_blueprint(app, blueprint)
    _register_api_blueprints(app, pm)
    return platform


def _migration_dirs(groups: list[list[str] | None]) -> list[str]:
    folders = []
    for group in groups:
        for folder in group or ():
            path = Path(folder).resolve()
            if not path.is_dir():
                raise PluginLoadError(f"The migrations folder '{folder}' does not exist.")
            folders.append(str(path))
    return folders


def current_platform() -> Platform:
    platform: Platform = current_app.extensions[EXTENSION_KEY]
    return platform


def _register_blueprint(app: Flask, blueprint: Any, register: Any = None) -> None:
    try:
        (register or app.register_blueprint)(blueprint)
    except ValueError as exc:
        raise PluginLoadError(
            f"Two plugins register a blueprint named '{blueprint.name}'."
        ) from exc


def _register_api_blueprints(app: Flask, pm: pluggy.PluginManager) -> None:

    api = init_api(app)
    for blueprints in pm.hook.register_api_blueprints(api=plugin_conventions):
        for blueprint in blueprints or ():
            # Bearer tokens, never cookies, sign API calls in: no CSRF to guard against.
            csrf.exempt(blueprint)
            prefix = API_PREFIX + (blueprint.url_prefix or "")
            _register_blueprint(
                app, blueprint, lambda bp, p=prefix: api.register_blueprint(bp, url_prefix=p)
            )
