"""The service navigation: what plugins offer, filtered by the access policy."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, url_for
from flask_login import current_user

from core.clocks import to_local
from core.platform import current_platform
from core.policy.routes import second_factor_required, user_can
from plugins.types import NavigationItem


def navigation_for(user: Any) -> list[NavigationItem]:
    if not user.is_authenticated:
        return []
    contributed = current_platform().hook.navigation_items(user=user)
    items = [item for group in contributed for item in group or ()]
    return sorted(
        (item for item in items if user_can(user, item.permission)),
        key=lambda item: (item.order, item.label),
    )


def service_navigation(user: Any) -> list[dict[str, Any]]:
    """Items in the shape govukServiceNavigation takes; one of them is marked current."""
    current = request.endpoint or ""
    items = navigation_for(user)
    active = next((item for item in items if item.endpoint == current), None)
    if active is None:
        area = current.split(".")[0]
        active = next(
            (item for item in items if item.endpoint.split(".")[0] == area != "home"), None
        )
    return [
        {"href": url_for(item.endpoint), "text": item.label, "active": item is active}
        for item in items
    ]


def init_navigation(app: Flask) -> None:

    app.jinja_env.globals.update(
        user_can=user_can, second_factor_required=second_factor_required, local_time=to_local
    )

    @app.context_processor
    def navigation() -> dict[str, Any]:

        return {"service_navigation": lambda: service_navigation(current_user)}
