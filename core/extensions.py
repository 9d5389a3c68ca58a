"""Every Flask extension is created here, once, and initialised in ``create_app``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from core.db import Base, render_migration_item

# Records stay readable after a commit: views log the access, commit, then render.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate(render_as_batch=True, compare_type=True, render_item=render_migration_item)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()


@migrate.configure
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
