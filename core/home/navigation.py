"""The service navigation: what plugins offer, filtered by the access policy."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, request, url_for
from flask_login import current_user

from core.clocks import to_local
from core.platform import current_platform
from core.policy.routes import resolved, second_factor_required, user_can
from plugins.types import NavigationItem


def navigation_for(user: Any) -> list[NavigationItem]:
    """The pages the plugins offer ``user``, in order. A page asks three times (the menu,
    the section's links, the account's): worked out once a request for the same user."""
    user = resolved(user)
    if not user.is_authenticated:
        return []
    key = (id(user), user.role)
    known = g.get("navigation")
    if known is not None and known[0] == key:
        return list(known[1])
    contributed = current_platform().hook.navigation_items(user=user)
    items = [item for group in contributed for item in group or ()]
    allowed = sorted(
        (item for item in items if user_can(user, item.permission)),
        key=lambda item: (item.order, item.label),
    )
    g.navigation = (key, tuple(allowed))
    return allowed


ACCOUNT = "Account"  # the section shown beside "Sign out", not in the menu


def _active(items: list[NavigationItem]) -> NavigationItem | None:
    """The item of the page shown: its endpoint, else the first of its area."""
    current = request.endpoint or ""
    active = next((item for item in items if item.endpoint == current), None)
    if active is None:
        area = current.split(".")[0]
        active = next(
            (item for item in items if item.endpoint.split(".")[0] == area != "home"), None
        )
    return active


def _sections(items: list[NavigationItem]) -> dict[str, list[NavigationItem]]:
    """The menu's entries in order: a section (its items) or an item of no section."""
    sections: dict[str, list[NavigationItem]] = {}
    for item in items:
        if item.section != ACCOUNT:
            sections.setdefault(item.section or item.label, []).append(item)
    return sections


def service_navigation(user: Any) -> list[dict[str, Any]]:
    """The menu in the shape govukServiceNavigation takes: one entry per section (its
    first page the user may open), the one holding the page shown marked current."""
    items = navigation_for(user)
    active = _active(items)
    return [
        {"href": url_for(group[0].endpoint), "text": name, "active": active in group}
        for name, group in _sections(items).items()
    ]


def section_navigation(user: Any) -> dict[str, Any] | None:
    """The sub-navigation of the section the page shown belongs to, when it has more
    than one page: its name and links, the page shown marked current."""
    items = navigation_for(user)
    active = _active(items)
    if active is None or not active.section or active.section == ACCOUNT:
        return None
    group = _sections(items)[active.section]
    if len(group) < 2:
        return None
    return {
        "name": active.section,
        "links": [
            {"href": url_for(item.endpoint), "text": item.label, "current": item is active}
            for item in group
        ],
    }


def account_navigation(user: Any) -> list[dict[str, Any]]:
    """The account's links, beside "Sign out"."""
    return [
        {"href": url_for(item.endpoint), "text": item.label}
        for item in navigation_for(user)
        if item.section == ACCOUNT
    ]


def init_navigation(app: Flask) -> None:

    app.jinja_env.globals.update(
        user_can=user_can, second_factor_required=second_factor_required, local_time=to_local
    )

    @app.context_processor
    def navigation() -> dict[str, Any]:

        return {
            "service_navigation": lambda: service_navigation(current_user),
            "section_navigation": lambda: section_navigation(current_user),
            "account_navigation": lambda: account_navigation(current_user),
        }
