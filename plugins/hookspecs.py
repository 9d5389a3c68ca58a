"""Every hook the platform calls, grouped by when it is called (start-up, meetings,
case events, plans, retention, pages).

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
    from sqlalchemy import Connection

    from plugins.api import ApiConventions
    from plugins.forms import CaseForms, FormDefinition
    from plugins.types import (
        AgencyType,
        CasePanel,
        CaseSummary,
        ChronologyEntry,
        CurrentUser,
        HeldMeeting,
        InvitationContext,
        MeetingType,
        NavigationItem,
        NotProposed,
        Permission,
        ProposedInvitee,
        PurgedCase,
        RecordType,
        Report,
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
def register_resources() -> list[RecordType]:
    """Called once at start-up to collect the plugin's record types.

    A route of the plugin that works on one of its records names it with
    ``@record("<type>")`` (``plugins.record``); the platform then loads it before the view
    through the type's ``load``, answers 404 when the user may not see it and 403 when a
    verb's rule refuses, logs each refusal, and hands the view the record.

    :return: record types; a name the platform or another plugin uses stops start-up.
    """
    raise NotImplementedError


@hookspec
def register_api_blueprints(api: ApiConventions) -> list[Blueprint]:
    """Called once at start-up to collect the plugin's JSON API blueprints.

    Return ``flask_smorest.Blueprint`` objects (``api.Blueprint`` adds ETags and
    ``Location``); they are mounted under ``/api/v1``, documented in the OpenAPI document
    and authenticated by bearer token only. Every view declares its permission like page
    views do, and follows the conventions in ``docs/api.md`` (problem details, ETags,
    Idempotency-Key) with the helpers ``api`` carries.

    :param api: the platform's API conventions (:class:`plugins.api.ApiConventions`).
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


@hookspec
def register_migrations() -> list[str]:
    """Called once at start-up, for a plugin that keeps tables of its own.

    Each folder holds the plugin's own Alembic branch: its first revision has
    ``down_revision = None``, ``branch_labels = ("<plugin>",)`` and ``depends_on`` the core
    revision whose tables it refers to. ``flask --app core db upgrade heads`` then creates
    the core's tables and every plugin's; ``db downgrade <plugin>@base`` removes the
    plugin's alone. A folder that does not exist stops start-up.

    :return: paths of folders of revision files.
    """
    raise NotImplementedError


@hookspec
def register_forms() -> list[FormDefinition]:
    """Called once at start-up to collect the plugin's agency forms.

    The platform gives each form a GOV.UK page, validation (the same messages on the
    page and in the API), storage with version history, API endpoints under
    ``/api/v1/forms/<name>/submissions``, a case timeline entry and access rules: the
    owning agency writes, the safeguarding team reads, other agencies read what is
    shared with them.

    :return: form definitions (``plugins.forms.FormDefinition``); a ``name`` another
        plugin already registered, or a form that cannot work (bad name, unknown
        writer agency type, an answer without label or widget), stops start-up.
    """
    raise NotImplementedError


@hookspec
def register_reports() -> list[Report]:
    """Called once at start-up to collect the plugin's reports.

    Each report is listed on the reports page for the roles it names, shown as a
    table and downloadable as CSV. Its ``run`` function receives a
    ``plugins.reports.ReportQuery`` that sees only what the user may see.

    :return: reports; a ``name`` another plugin already registered stops start-up.
    """
    raise NotImplementedError


# --- Meetings ---------------------------------------------------------------------------


@hookspec
def invitation_rules(context: InvitationContext) -> list[ProposedInvitee | NotProposed]:
    """Called when a meeting is being scheduled, to propose agencies to invite.

    Every plugin's proposals are added to the standard list the administrators keep;
    one agency proposed twice is invited once, with both reasons. A ``NotProposed``
    keeps an agency off the list whoever proposed it, and its reason is shown.

    :param context: the meeting type and what is known about its concerns.
    :return: proposed invitees, each with the reason shown to the officer, and
        agencies not to propose, with the reason.
    """
    raise NotImplementedError


@hookspec
def meeting_held(meeting: HeldMeeting) -> None:
    """Called after a meeting is recorded as held, in the same transaction.

    Raising stops the recording: nothing is saved and the officer sees the error.

    :param meeting: the meeting's id, type, concerns, time and quoracy.
    """


# --- Case events --------------------------------------------------------------------------


@hookspec
def concern_recorded(concern: CaseSummary) -> None:
    """Called after a concern is recorded (page or API), in the same transaction.

    Raising stops the recording: nothing is saved.

    :param concern: the new concern: id, reference, child or adult, location, source of
        risk, establishment, referrer and whether a crime is suspected.
    """


@hookspec
def case_closed(concern: CaseSummary) -> None:
    """Called after a concern is closed with its outcome, in the same transaction.

    Raising stops the closure: nothing is saved.

    :param concern: the closed concern, with ``risk_outcome`` set.
    """


@hookspec
def chronology_entries(concern: CaseSummary, forms: CaseForms) -> list[ChronologyEntry]:
    """Called each time a case's chronology is built (its page, the API, the CSV and PDF
    exports, and the person's chronology across their cases), to add the significant
    events the plugin's records hold: a police investigation's changes of status, a
    missing episode.

    Read the case's forms through ``forms`` only: it applies the access rules, so an
    entry drawn from a record the reader may not read is never made. The platform adds
    the entries to its own (concerns, decisions, meetings, plans, discharges, closures
    and the entries written by hand) only for readers whose involvement shows the case's
    agency forms, then filters and sorts them.

    :param concern: the case.
    :param forms: the case's agency forms the reader may read, with their versions
        (:class:`plugins.forms.CaseForms`).
    :return: entries, each with its date, source agency and significance.
    """
    raise NotImplementedError


# --- Plans ------------------------------------------------------------------------------


@hookspec
def plan_reviewed(plan: ReviewedPlan) -> None:
    """Called after a protection plan's review is recorded, in the same transaction.

    Raising stops the recording: nothing is saved and the user sees the error.

    :param plan: the plan's id, kind and case, the review's date and decision, and the
        next review date.
    """


# --- Retention --------------------------------------------------------------------------


@hookspec
def case_purging(case: PurgedCase, connection: Connection) -> None:
    """Called while ``flask retention run`` purges a case record past its retention, in
    the purge's transaction, before the platform deletes its own rows.

    A plugin whose tables refer to the case, its meetings, its plans or its person deletes
    those rows here, with ``connection``: they go in the same transaction as the case.
    Rows left behind that refer to them by foreign key stop the purge. Raising stops the
    purge too: nothing of the case is deleted, and the run stops with the error.

    :param case: the ids of the concern and of the meetings, plans and person records
        purged with it.
    :param connection: the database connection of the purge's transaction.
    """


# --- Pages ------------------------------------------------------------------------------


@hookspec
def case_panels(concern: CaseSummary, user: CurrentUser, forms: CaseForms) -> list[CasePanel]:
    """Called each time a case page is shown, to add panels to it.

    The user may see the case; a panel must still show only what the user may read
    (read the case's forms through ``forms``, which applies the access rules).

    :param concern: the case being shown.
    :param user: the signed-in user.
    :param forms: the case's agency forms the user may read
        (:class:`plugins.forms.CaseForms`).
    :return: panels, shown in ``order`` then title order.
    """
    raise NotImplementedError


@hookspec
def navigation_items(user: CurrentUser) -> list[NavigationItem]:
    """Called for each page to build the service navigation for the signed-in user.

    Items whose permission the user does not hold are dropped by the platform, so a
    plugin need not check access itself.

    :param user: the signed-in user.
    :return: navigation items.
    """
    raise NotImplementedError
