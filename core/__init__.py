"""Safeguarding Hub: the Flask application factory."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request
from flask.wrappers import Response
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from core.config import (
    INSTANCE_DIR,
    check_audit_year,
    check_clock_settings,
    check_production_settings,
    engine_options,
    load_settings,
    rate_limit_storage,
)
from core.db import ping_after_idle
from core.extensions import csrf, db, limiter, login_manager, migrations, talisman
from core.input_guard import LimitedRequest

__all__ = ["create_app"]

# Libraries that report their progress at INFO (WeasyPrint's "Step 1 - Fetching…",
# fontTools' subsetting, Alembic's "setup plugin" as it is first imported, which is after
# logging is set up since it loads on first use): they speak from WARNING up whatever
# LOG_LEVEL says. Alembic's migration steps ("Running upgrade …") are still said.
QUIET_LIBRARIES = ("weasyprint", "fontTools", "PIL", "alembic.runtime.plugins")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides the settings read from the environment."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.request_class = LimitedRequest
    app.config.update(load_settings())
    if config:
        app.config.update(config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    check_production_settings(app.config)
    check_clock_settings(app.config)
    check_audit_year(app.config)
    INSTANCE_DIR.mkdir(exist_ok=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"])
    for library in QUIET_LIBRARIES:
        logging.getLogger(library).setLevel(logging.WARNING)
    if app.config["ENV_NAME"] == "production" and rate_limit_storage(app.config) == "memory://":
        logging.getLogger(__name__).warning(
            "Rate limits count in each process's memory: with more than one process, set "
            "REDIS_URL (or RATELIMIT_STORAGE_URI) so that they count together."
        )

    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    _init_templates(app)
    _init_extensions(app)

    # The areas are imported when an app is made, not whenever a module of core is (this
    # package runs first): `import core.db` (Alembic, the benchmarks) stays light.
    from core.api.conventions import RecordId
    from core.cli import register_commands
    from core.concerns.needs import check_levels_setting
    from core.concerns.operations import check_sign_off_setting
    from core.errors import register_error_handlers
    from core.platform import init_platform
    from core.retention.operations import check_retention_setting
    from core.templating import init_template_cache

    app.url_map.converters["id"] = RecordId  # before any route: <id:concern_id>

    check_sign_off_setting(app.config)
    check_levels_setting(app.config)
    check_retention_setting(app.config)
    init_platform(app)
    _init_request_hooks(app)
    register_error_handlers(app)
    register_commands(app)
    init_template_cache(app)  # after the plugins: their templates too
    return app


def _init_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("core", "templates"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)


def _init_extensions(app: Flask) -> None:
    # Model modules must be imported before Alembic compares metadata; the access log's
    # session events write the noted entries when a transaction commits. The session
    # cookie's reader comes with the sessions module, imported when an app is made.
    import core.accesslog.operations
    import core.models  # noqa: F401
    from core.auth.sessions import NodesSessionInterface

    app.session_interface = NodesSessionInterface()

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":  # a file: nothing between to drop it
            ping_after_idle(db.engine, float(app.config["DATABASE_PING_IDLE_SECONDS"]))
    migrations.init_app(app, directory=str(INSTANCE_DIR.parent / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    app.config["RATELIMIT_STORAGE_URI"] = rate_limit_storage(app.config)
    limiter.init_app(app)
    production = app.config["ENV_NAME"] == "production"
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=production,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        frame_options="DENY",
        referrer_policy="same-origin",
        content_security_policy={
            "default-src": "'self'",
            "script-src": "'self'",
            "style-src": "'self'",
            "img-src": "'self' data:",
            "font-src": "'self'",
            "connect-src": "'self'",
            "object-src": "'none'",
            "base-uri": "'self'",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
        },
        content_security_policy_nonce_in=["script-src"],
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def _init_request_hooks(app: Flask) -> None:
    # imported when an app is made, as in create_app
    from core.api.conventions import require_json_body_for_api
    from core.home.navigation import init_navigation
    from core.input_guard import reject_unstorable_input
    from core.pipeline import init_pipeline
    from core.policy.routes import enforce_route_permission

    app.before_request(enforce_route_permission)  # first: who may do what
    app.before_request(require_json_body_for_api)
    app.before_request(reject_unstorable_input)
    init_navigation(app)

    @app.after_request
    def send_queued_mail(response: Response) -> Response:
        # the view has committed: what it queued may leave now (when SMTP is configured),
        # handed to the job queue when there is one (imported here as in create_app)
        from core.mail.operations import deliver_after_commit

        deliver_after_commit()
        return response

    @app.after_request
    def count_figures_again(response: Response) -> Response:
        # the view has committed: the days it changed in the dashboard's figures are
        # counted again by the figures job (imported here as in create_app)
        from core.returns.summary import refresh_after_request

        return refresh_after_request(response)

    @app.after_request
    def no_store(response: Response) -> Response:
        # Case data must never sit in a shared or browser cache.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    # last added, so first run: the request's one commit, before the mail leaves
    init_pipeline(app)
