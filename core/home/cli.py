"""``flask --app core plugins list``: the loaded plugins (the plugins page's command)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from core.platform import current_platform
from plugins.manager import describe_plugins, installed_entry_points

plugins_cli = AppGroup("plugins", help="Inspect plugins.")


@plugins_cli.command("list")
def list_plugins() -> None:
    """Each loaded plugin, where it came from and the hooks it implements."""
    described = describe_plugins(current_platform().pm)
    for plugin in described:
        click.echo(f"{plugin.name} [{plugin.source}]")
        click.echo(f"    hooks: {', '.join(plugin.hooks) or '(none)'}")
    loaded = {p.name for p in described}
    denied = set(current_app.config.get("PLUGINS_DENY", ()))
    for entry_point in installed_entry_points():
        if entry_point.name in denied:
            click.echo(f"{entry_point.name} [installed, disabled by PLUGINS_DENY]")
        elif entry_point.name not in loaded:
            click.echo(f"{entry_point.name} [installed, not enabled: add it to PLUGINS_ALLOW]")
