"""Every Flask extension is created here, once, and initialised in ``create_app``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from core.db import Base, render_migration_item

# Records stay readable after a commit: views log the access, commit, then render.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()


class Migrations:
    """Flask-Migrate (``flask db`` and ``flask_migrate.upgrade()``), set up when first used:
    with Alembic it adds about 7 MB to every worker, and only the command line and the
    tests' databases migrate. Until then the app holds stand-ins: ``app.extensions["migrate"]``
    and the ``db`` command, which set Flask-Migrate up when first read."""

    def init_app(self, app: Flask, directory: str) -> None:
        app.extensions["migrate"] = _MigrateOnFirstUse(app, directory)
        app.cli.add_command(_DbCommandOnFirstUse(app, directory))


def _set_up_migrate(app: Flask, directory: str) -> Any:
    """Flask-Migrate set up on ``app`` as it is by ``Migrate.init_app``: its settings in
    ``app.extensions["migrate"]`` and its ``db`` command, in place of the stand-ins; once."""
    if not isinstance(app.extensions.get("migrate"), _MigrateOnFirstUse):
        return app.extensions["migrate"]  # set up already
    # imported on first use: Alembic and Flask-Migrate add about 7 MB to every worker
    from flask_migrate import Migrate

    migrate = Migrate(render_as_batch=True, compare_type=True, render_item=render_migration_item)
    migrate.configure(add_plugin_branches)
    migrate.init_app(app, db, directory=directory)
    return app.extensions["migrate"]


class _MigrateOnFirstUse:
    """``app.extensions["migrate"]`` until an attribute is read (Flask-Migrate's commands,
    migrations/env.py): then Flask-Migrate is set up and answers."""

    def __init__(self, app: Flask, directory: str) -> None:
        self._app, self._directory = app, directory

    def __getattr__(self, name: str) -> Any:
        return getattr(_set_up_migrate(self._app, self._directory), name)


class _DbCommandOnFirstUse(click.Group):
    """The ``db`` command until it is run or its help asked for: then Flask-Migrate's."""

    def __init__(self, app: Flask, directory: str) -> None:
        super().__init__("db", help="Perform database migrations.")
        self._app, self._directory = app, directory

    def _real(self) -> click.Group:
        _set_up_migrate(self._app, self._directory)
        command: click.Group = self._app.cli.commands["db"]  # type: ignore[assignment]
        return command

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        return self._real().make_context(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._real().get_command(ctx, name)


migrations = Migrations()


def add_plugin_branches(config: Any) -> Any:
    """Alembic also reads the plugins' own branches (``register_migrations``)."""

    platform = current_app.extensions.get("safeguarding_hub")
    if platform is not None and platform.migration_dirs:
        core_versions = Path(current_app.extensions["migrate"].directory) / "versions"
        config.set_main_option("path_separator", "os")
        config.set_main_option(
            "version_locations", os.pathsep.join([str(core_versions), *platform.migration_dirs])
        )
    return config
