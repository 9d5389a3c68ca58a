"""The service navigation: what plugins offer, filtered by the access policy."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, url_for

from core.auth.policy import user_can
from core.platform import current_platform
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
    """Items in the shape govukServiceNavigation takes."""
    current = request.endpoint or ""
    return [
        {
            "href": url_for(item.endpoint),
            "text": item.label,
            "active": current == item.endpoint
            or current.split(".")[0] == item.endpoint.split(".")[0] != "home",
        }
        for item in navigation_for(user)
    ]


def init_navigation(app: Flask) -> None:
    @app.context_processor
    def navigation() -> dict[str, Any]:
        from flask_login import current_user

        return {"service_navigation": lambda: service_navigation(current_user)}
