"""Every hook the platform calls, grouped by when it is called (start-up, pages).

A plugin implements a hook by defining a function of the same name and signature,
decorated with :data:`plugins.hookimpl`. ``register_*`` hooks contribute things the
platform keeps in a registry (a name clash between two plugins stops start-up);
``navigation_items`` adds to pages. A function marked as a hook implementation
whose name matches no hook below stops start-up too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plugins.markers import hookspec

if TYPE_CHECKING:
    from flask import Blueprint, Flask

    from plugins.types import (
        AgencyType,
        CurrentUser,
        HeldMeeting,
        InvitationContext,
        MeetingType,
        NavigationItem,
        Permission,
        ProposedInvitee,
        ReviewedPlan,
    )


# --- Start-up -------------------------------------------------------------------------


@hookspec(historic=True)
def configure_app(app: Flask) -> None:
    """Called once while the app is being created, after the core's settings are loaded.

    Historic: a plugin registered later still receives the call.
    Use it to add settings defaults (``app.config.setdefault``), template filters or
    CLI commands. Do not touch the database here.

    :param app: the Flask application being created.
    """


@hookspec
def register_blueprints() -> list[Blueprint]:
    """Called once at start-up to collect the plugin's Flask blueprints.

    Every view function in them must declare its permission with
    ``plugins.requires(...)`` (or ``plugins.public``); routes without one are refused
    on every request.

    :return: blueprints to register on the app.
    """
    raise NotImplementedError


@hookspec
def register_api_blueprints() -> list[Blueprint]:
    """Called once at start-up to collect the plugin's JSON API blueprints.

    Return ``flask_smorest.Blueprint`` objects; they are mounted under ``/api/v1``,
    documented in the OpenAPI document and authenticated by bearer token only. Every
    view declares its permission like page views do, and follows the conventions in
    ``docs/api.md`` (problem details, ETags, Idempotency-Key).

    :return: flask-smorest blueprints.
    """
    raise NotImplementedError


@hookspec
def register_agency_types() -> list[AgencyType]:
    """Called once at start-up to collect the kinds of agency a plugin knows about.

    :return: agency types; a ``code`` another plugin already registered stops start-up.
    """
    raise NotImplementedError


@hookspec
def register_permissions() -> list[Permission]:
    """Called once at start-up to collect the permissions a plugin's routes require.

    :return: permissions, each with the roles granted it; a ``name`` another plugin
        already registered stops start-up.
    """
    raise NotImplementedError


@hookspec
def register_meeting_types() -> list[MeetingType]:
    """Called once at start-up to collect the kinds of meeting a plugin adds.

    :return: meeting types; a ``code`` another plugin already registered stops start-up.
    """
    raise NotImplementedError


# --- Meetings ---------------------------------------------------------------------------


@hookspec
def invitation_rules(context: InvitationContext) -> list[ProposedInvitee]:
    """Called when a meeting is being scheduled, to propose agencies to invite.

    Every plugin's proposals are added to the standard list the administrators keep;
    one agency proposed twice is invited once, with both reasons.

    :param context: the meeting type and what is known about its concerns.
    :return: proposed invitees, each with the reason shown to the officer.
    """
    raise NotImplementedError


@hookspec
def meeting_held(meeting: HeldMeeting) -> None:
    """Called after a meeting is recorded as held, in the same transaction.

    Raising stops the recording: nothing is saved and the officer sees the error.

    :param meeting: the meeting's id, type, concerns, time and quoracy.
    """


# --- Plans ------------------------------------------------------------------------------


@hookspec
def plan_reviewed(plan: ReviewedPlan) -> None:
    """Called after a protection plan's review is recorded, in the same transaction.

    Raising stops the recording: nothing is saved and the user sees the error.

    :param plan: the plan's id, kind and case, the review's date and decision, and the
        next review date.
    """


# --- Pages ------------------------------------------------------------------------------


@hookspec
def navigation_items(user: CurrentUser) -> list[NavigationItem]:
    """Called for each page to build the service navigation for the signed-in user.

    Items whose permission the user does not hold are dropped by the platform, so a
    plugin need not check access itself.

    :param user: the signed-in user.
    :return: navigation items.
    """
    raise NotImplementedError
