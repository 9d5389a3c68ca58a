"""The core's own contributions, registered as a plugin like any other so that every
hook is exercised on every run."""

from __future__ import annotations

from flask import Blueprint

from core.agencies.api import blp as agencies_api
from core.agencies.api import types_blp as agency_types_api
from core.agencies.blueprint import bp as agencies_bp
from core.agencies.blueprint import search_bp as agency_search_bp
from core.agency_forms.api import blp as forms_api
from core.agency_forms.blueprint import bp as agency_forms_bp
from core.agency_forms.panels import agency_forms_panel
from core.assets import bp as assets_bp
from core.audits.api import blp as attendance_audits_api
from core.audits.blueprint import bp as attendance_audits_bp
from core.auth.roles import Role
from core.casefile.api import blp as casefile_api
from core.casefile.blueprint import bp as casefile_bp
from core.chronology.api import blp as chronology_api
from core.chronology.blueprint import bp as chronology_bp
from core.complaints.api import blp as complaints_api
from core.complaints.blueprint import bp as complaints_bp
from core.concerns.api import blp as concerns_blp
from core.concerns.api import body_map_blp, clusters_blp, handover_blp, needs_blp, oversight_blp
from core.concerns.blueprint import bp as concerns_bp
from core.discharges.api import blp as discharges_api
from core.discharges.blueprint import bp as discharges_bp
from core.followups.api import blp as follow_ups_api
from core.followups.blueprint import bp as follow_ups_bp
from core.home.api import clocks_blp as clocks_api
from core.home.api import work_blp as work_api
from core.home.blueprint import bp as home_bp
from core.mail.api import blp as outbox_api
from core.mail.blueprint import bp as outbox_bp
from core.meetings.api import blp as meetings_api
from core.meetings.api import standard_lists_blp as standard_lists_api
from core.meetings.api import types_blp as meeting_types_api
from core.meetings.api import work_blp as meetings_work_api
from core.meetings.blueprint import bp as meetings_bp
from core.meetings.blueprint import portal_bp
from core.people.api import alleged_blp, establishments_blp, people_blp
from core.people.blueprint import bp as people_bp
from core.people.blueprint import establishments_bp
from core.plans.api import blp as plans_api
from core.plans.api import report_blp as plan_report_api
from core.plans.blueprint import bp as plans_bp
from core.reports.api import blp as reports_api
from core.reports.blueprint import bp as reports_bp
from core.returns.api import blp as returns_api
from core.returns.api import dashboard_blp as dashboard_api
from core.returns.blueprint import bp as returns_bp
from core.signin.blueprint import bp as auth_bp
from core.subject_access.api import blp as subject_access_api
from core.subject_access.blueprint import bp as subject_access_bp
from core.tasks.api import blp as tasks_api
from core.tasks.api import case_blp as case_tasks_api
from core.tasks.blueprint import bp as tasks_bp
from core.teams.api import areas_blp as areas_api
from core.teams.api import blp as teams_api
from core.teams.api import councils_blp as councils_api
from core.teams.blueprint import areas_bp, councils_bp
from core.teams.blueprint import bp as teams_bp
from core.training.api import blp as training_api
from core.training.blueprint import bp as training_bp
from core.trust.api import blp as trust_api
from core.trust.blueprint import bp as trust_bp
from core.users.access_log_api import blp as access_log_api
from core.users.api import blp as users_api
from core.users.api import me_blp as me_api
from core.users.blueprint import access_log_bp, account_bp
from core.users.blueprint import bp as users_bp
from plugins import (
    AgencyType,
    CasePanel,
    CaseSummary,
    CurrentUser,
    InvitationContext,
    MeetingType,
    NavigationItem,
    Permission,
    ProposedInvitee,
    QuorumRule,
    hookimpl,
)

ADMIN = frozenset({Role.ADMINISTRATOR})
CASE_TEAM = frozenset({Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER})
CASE_WORKERS = CASE_TEAM | {Role.AGENCY_PRACTITIONER}
# who reads the attendance audit, and who runs it and keeps the board's actions
AUDIT_READERS = CASE_TEAM | {Role.BOARD_MEMBER, Role.AUDITOR}
AUDIT_RUNNERS = frozenset({Role.BOARD_MEMBER, Role.SAFEGUARDING_MANAGER})
BOARD = frozenset({Role.BOARD_MEMBER})
FIGURES = BOARD | CASE_TEAM


@hookimpl
def register_blueprints() -> list[Blueprint]:

    return [
        assets_bp,
        auth_bp,
        home_bp,
        concerns_bp,
        follow_ups_bp,
        complaints_bp,
        trust_bp,
        meetings_bp,
        portal_bp,
        plans_bp,
        attendance_audits_bp,
        returns_bp,
        training_bp,
        casefile_bp,
        people_bp,
        establishments_bp,
        agency_forms_bp,
        discharges_bp,
        reports_bp,
        agencies_bp,
        agency_search_bp,
        teams_bp,
        areas_bp,
        councils_bp,
        users_bp,
        account_bp,
        access_log_bp,
        outbox_bp,
        tasks_bp,
        chronology_bp,
        subject_access_bp,
    ]


@hookimpl
def register_api_blueprints() -> list[Blueprint]:

    return [
        me_api,
        agencies_api,
        agency_types_api,
        users_api,
        teams_api,
        areas_api,
        councils_api,
        people_blp,
        establishments_blp,
        concerns_blp,
        needs_blp,
        clusters_blp,
        handover_blp,
        follow_ups_api,
        complaints_api,
        oversight_blp,
        body_map_blp,
        meetings_api,
        meeting_types_api,
        meetings_work_api,
        standard_lists_api,
        plans_api,
        plan_report_api,
        forms_api,
        discharges_api,
        reports_api,
        attendance_audits_api,
        returns_api,
        dashboard_api,
        training_api,
        casefile_api,
        clocks_api,
        work_api,
        access_log_api,
        outbox_api,
        tasks_api,
        case_tasks_api,
        chronology_api,
        alleged_blp,
        trust_api,
        subject_access_api,
    ]


@hookimpl
def register_agency_types() -> list[AgencyType]:
    return [
        AgencyType(
            "local_authority",
            "Local authority safeguarding",
            "The council's adult safeguarding team and adult social care.",
        ),
        AgencyType(
            "childrens_social_care",
            "Children's social care",
            "The council's children's services.",
        ),
        AgencyType("education", "Education", "Schools, colleges and early years settings."),
        AgencyType("probation", "Probation", "The Probation Service."),
        AgencyType("housing", "Housing", "Housing providers and the council's housing team."),
        AgencyType(
            "voluntary_sector",
            "Voluntary and community sector",
            "Charities and community organisations.",
        ),
        AgencyType("other", "Other", "Any other organisation."),
    ]


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission("agencies.manage", "Create and change agencies", ADMIN),
        Permission("users.manage", "Create and change user accounts", ADMIN),
        Permission("teams.manage", "Keep the council's teams and areas", ADMIN),
        Permission(
            "councils.manage",
            "Keep the council areas the service serves, and whose users and agencies are whose",
            ADMIN,
        ),
        Permission("access_log.view", "Read the access log", ADMIN),
        Permission("plugins.view", "See which plugins are loaded", ADMIN),
        Permission("clocks.view", "See the statutory clocks, core hours and closure days", ADMIN),
        Permission("mail.view", "Read the email outbox", ADMIN),
        Permission("mail.send", "Send waiting emails and retry failed ones", ADMIN),
        Permission(
            "people.view",
            "Find and read people's records (practitioners: people in involved cases)",
            CASE_WORKERS,
        ),
        Permission("people.manage", "Find, add and change people's records", CASE_TEAM),
        Permission(
            "people.merge",
            "Merge two records of the same person",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission(
            "subject_access.manage",
            "Record subject access requests and produce a person's records for them, with "
            "third parties' information withheld (UK GDPR Article 15)",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission("establishments.view", "See care homes, hospitals and services", CASE_WORKERS),
        Permission(
            "establishments.manage", "Add and change care homes, hospitals and services", CASE_TEAM
        ),
        Permission(
            "establishments.propose",
            "Propose a care home, hospital or service your agency runs, for the team to confirm",
            frozenset({Role.AGENCY_PRACTITIONER}),
        ),
        Permission(
            "concerns.level_of_need",
            "Change a child's level of need on the council's threshold model, with the reason",
            CASE_TEAM,
        ),
        Permission(
            "concerns.alleged_harm",
            "Name the person alleged to have caused harm in a concern, record whether they "
            "were told of it and the support offered for their own needs",
            CASE_TEAM,
        ),
        Permission(
            "concerns.trust_referral",
            "Refer an allegation about a person in a position of trust (PiPoT for adults, the "
            "LADO for children), record the employer's actions and the outcome",
            CASE_TEAM,
        ),
        Permission(
            "concerns.hate_crime",
            "Record whether a concern is a hate or mate crime, and towards which characteristics",
            CASE_TEAM,
        ),
        Permission(
            "concerns.view",
            "See concerns (practitioners: those their agency is involved in; auditors: the "
            "cases assigned to them in an open case file audit, read-only)",
            CASE_WORKERS | {Role.AUDITOR},
        ),
        Permission("concerns.record", "Record a concern", CASE_WORKERS),
        Permission("concerns.decide", "Make screening decisions", CASE_TEAM),
        Permission(
            "concerns.sign_off",
            "Sign off screening decisions or send them back (where sign-off is asked for)",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission("concerns.involve", "Add or remove agencies involved in a case", CASE_TEAM),
        Permission("concerns.close", "Close and reopen concerns", CASE_TEAM),
        Permission(
            "concerns.team", "Change the team holding a case and the area it is in", CASE_TEAM
        ),
        Permission(
            "concerns.enquiry", "Record and conclude section 42 and other enquiries", CASE_TEAM
        ),
        Permission(
            "concerns.close_override",
            "Close an adult's case with an enquiry, a plan or actions still open, with a reason",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission("concerns.note", "Write case notes", CASE_WORKERS),
        Permission(
            "concerns.chronology",
            "Write events into a case's chronology (practitioners: from their own agency, on "
            "the cases it is involved in)",
            CASE_WORKERS,
        ),
        Permission("concerns.assess", "Start a child's assessment", CASE_TEAM),
        Permission(
            "concerns.authorise_assessment",
            "Conclude (authorise) a child's assessment with its factors",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission("concerns.body_map", "Mark injuries on the body map", CASE_WORKERS),
        Permission(
            "concerns.export",
            "Export the concerns list as CSV (practitioners: the cases their agency is in)",
            CASE_WORKERS,
        ),
        Permission(
            "concerns.seen_by",
            "See who has seen a case and its person (the access log's entries about them)",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission(
            "concerns.supervise",
            "Record management oversight and see cases without it",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission(
            "follow_ups.manage",
            "See the contact follow-ups (a sample of the concerns screened out), record what "
            "the call found and print the letter",
            CASE_TEAM,
        ),
        Permission(
            "complaints.view",
            "Read the complaints and compliments log and its report (and the council's "
            "complaints officer: a flag on the account, not a role)",
            CASE_TEAM,
        ),
        Permission(
            "complaints.manage",
            "Record complaints, compliments and comments, and take a complaint through its "
            "stages to the Ombudsman (and the council's complaints officer)",
            CASE_TEAM,
        ),
        Permission("handover.accept", "See and accept the out-of-hours handover", CASE_TEAM),
        Permission(
            "tasks.view",
            "See tasks: for you, your team and the cases you work on (practitioners: those "
            "given to them, or to their agency's safeguarding contacts when they are one)",
            CASE_WORKERS,
        ),
        Permission(
            "tasks.set",
            "Set tasks about a case for a person or a team, reassign and cancel them",
            CASE_TEAM,
        ),
        Permission("tasks.complete", "Mark the tasks you can see done", CASE_WORKERS),
        Permission(
            "concerns.delete",
            "Delete concerns (kept, hidden) and place legal holds",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission("clusters.view", "See establishments with clusters of concerns", CASE_TEAM),
        Permission(
            "meetings.view",
            "See meetings (practitioners: those of cases their agency is involved in)",
            CASE_WORKERS,
        ),
        Permission("meetings.schedule", "Schedule, change and cancel meetings", CASE_TEAM),
        Permission("meetings.record", "Record attendance, decisions and actions", CASE_TEAM),
        Permission(
            "meetings.respond",
            "Answer your agency's invitations and send reports",
            frozenset({Role.AGENCY_PRACTITIONER}),
        ),
        Permission("meetings.configure", "Keep the standard invitation lists", ADMIN),
        Permission(
            "plans.view",
            "See protection plans (practitioners: their own agency's actions in plans of "
            "involved cases)",
            CASE_WORKERS,
        ),
        Permission("plans.manage", "Start, review, change and end protection plans", CASE_TEAM),
        Permission(
            "plans.act",
            "Update the plan actions your agency owns",
            frozenset({Role.AGENCY_PRACTITIONER}),
        ),
        Permission("plans.report", "See the plans report", CASE_TEAM),
        Permission(
            "forms.view",
            "Read agency forms (practitioners: their agency's and those shared with it)",
            CASE_WORKERS,
        ),
        Permission(
            "forms.write",
            "Fill in and change your agency's forms (the form says which agencies)",
            CASE_WORKERS,
        ),
        Permission(
            "forms.share",
            "Share your agency's forms with another agency (the team: any form)",
            CASE_WORKERS,
        ),
        Permission(
            "discharges.notify",
            "Notify a hospital discharge, with or without an open concern (NHS trusts: "
            "DISCHARGE_NOTIFIER_TYPES)",
            frozenset({Role.AGENCY_PRACTITIONER}),
        ),
        Permission(
            "discharges.view",
            "Read hospital discharges (practitioners: those their agency notified)",
            CASE_WORKERS,
        ),
        Permission(
            "discharges.follow_up",
            "Record the follow-up of a hospital discharge",
            CASE_TEAM,
        ),
        Permission(
            "discharges.monitor",
            "Read the monthly hospital discharge monitoring (the board: the counts only)",
            FIGURES,
        ),
        Permission(
            "reports.view",
            "Run the reports your role is allowed (each report names its roles)",
            CASE_WORKERS | {Role.BOARD_MEMBER},
        ),
        Permission(
            "attendance_audits.view",
            "Read attendance audits, their board packs and the board's actions (figures only)",
            AUDIT_READERS,
        ),
        Permission(
            "attendance_audits.run",
            "Run an attendance audit (stored as a frozen snapshot)",
            AUDIT_RUNNERS,
        ),
        Permission(
            "board_actions.manage",
            "Record and update the board's actions against agencies under the threshold",
            AUDIT_RUNNERS,
        ),
        Permission(
            "casefile.view",
            "See case file audits and their findings (the board: figures only)",
            FIGURES | {Role.AUDITOR},
        ),
        Permission(
            "casefile.manage",
            "Draw the quarter's case file sample, assign reviewers and close audits",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
        Permission(
            "casefile.audit",
            "Review and grade the case files assigned to you (auditors; managers and officers "
            "the audit's owner chose)",
            frozenset({Role.AUDITOR, Role.SAFEGUARDING_MANAGER, Role.SAFEGUARDING_OFFICER}),
        ),
        Permission(
            "returns.view",
            "See the national returns (SAC tables, children's figures) and the performance "
            "dashboard: figures only, small counts suppressed in the board's exports",
            FIGURES,
        ),
        Permission(
            "training.view",
            "Read staff training records (practitioners: their own agency's; the team: every "
            "agency's)",
            CASE_WORKERS,
        ),
        Permission(
            "training.keep",
            "Add, change, upload and delete your own agency's staff training records",
            CASE_WORKERS,
        ),
        Permission(
            "training.return",
            "See the quarterly training return (the board: figures only; an agency: its own, "
            "with who is overdue for refresher training)",
            FIGURES | {Role.AGENCY_PRACTITIONER},
        ),
        Permission(
            "returns.repeat_cases",
            "See the cases in the repeat referrals report (the board: its figures only)",
            CASE_TEAM,
        ),
        Permission(
            "returns.cin_census",
            "Make the children in need census file (one record per child: for the council's "
            "return to the DfE, not for the board)",
            frozenset({Role.SAFEGUARDING_MANAGER}),
        ),
    ]


@hookimpl
def navigation_items(user: CurrentUser) -> list[NavigationItem]:
    return [
        NavigationItem("Home", "home.index", "signed_in", order=0),
        NavigationItem("Concerns", "concerns.index", "concerns.view", order=10, section="Cases"),
        NavigationItem(
            "Record a concern", "concerns.new", "concerns.record", order=11, section="Cases"
        ),
        NavigationItem("Clusters", "concerns.clusters", "clusters.view", order=12, section="Cases"),
        NavigationItem(
            "Handover", "concerns.handover", "handover.accept", order=13, section="Cases"
        ),
        NavigationItem(
            "Follow-ups", "follow_ups.index", "follow_ups.manage", order=16, section="Cases"
        ),
        NavigationItem(
            "Complaints", "complaints.index", "complaints.view", order=17, section="Cases"
        ),
        NavigationItem(
            "Oversight", "concerns.oversight", "concerns.supervise", order=14, section="Cases"
        ),
        NavigationItem("Tasks", "tasks.index", "tasks.view", order=16, section="Cases"),
        NavigationItem(
            "Subject access",
            "subject_access.index",
            "subject_access.manage",
            order=17,
            section="Cases",
        ),
        NavigationItem(
            "Meetings", "meetings.index", "meetings.schedule", order=20, section="Meetings"
        ),
        NavigationItem(
            "Work list", "meetings.work_list", "meetings.schedule", order=21, section="Meetings"
        ),
        NavigationItem(
            "Invitations", "portal.index", "meetings.respond", order=22, section="Meetings"
        ),
        NavigationItem("Plans", "plans.index", "plans.manage", order=23, section="Plans"),
        NavigationItem(
            "Our actions", "plans.portal_actions", "plans.act", order=24, section="Plans"
        ),
        NavigationItem(
            "Agency forms", "agency_forms.index", "forms.view", order=30, section="Forms"
        ),
        NavigationItem(
            "Hospital discharges",
            "discharges.index",
            "discharges.view",
            order=31,
            section="Forms",
        ),
        NavigationItem(
            "Reports", "reports.index", "reports.view", order=40, section="Reports and returns"
        ),
        NavigationItem(
            "Attendance audits",
            "attendance_audits.index",
            "attendance_audits.view",
            order=43,
            section="Reports and returns",
        ),
        NavigationItem(
            "Returns", "returns.index", "returns.view", order=42, section="Reports and returns"
        ),
        NavigationItem(
            "Case file audits",
            "casefile.index",
            "casefile.view",
            order=41,
            section="Reports and returns",
        ),
        NavigationItem(
            "Staff training",
            "training.index",
            "training.view",
            order=31,
            section="Forms",
        ),
        NavigationItem(
            "Invitation lists",
            "meetings.standard_lists",
            "meetings.configure",
            order=84,
            section="Administration",
        ),
        NavigationItem(
            "Sign-off", "concerns.sign_offs", "concerns.sign_off", order=15, section="Cases"
        ),
        NavigationItem("People", "people.index", "people.view", order=20, section="Cases"),
        NavigationItem(
            "Establishments",
            "establishments.index",
            "establishments.view",
            order=21,
            section="Cases",
        ),
        NavigationItem("Your account", "account.account", "signed_in", order=90, section="Account"),
        NavigationItem("API", "home.api_docs", "signed_in", order=91, section="Account"),
        NavigationItem(
            "Agencies", "agencies.index", "agencies.manage", order=80, section="Administration"
        ),
        NavigationItem("Users", "users.index", "users.manage", order=81, section="Administration"),
        NavigationItem("Teams", "teams.index", "teams.manage", order=87, section="Administration"),
        NavigationItem("Areas", "areas.index", "teams.manage", order=88, section="Administration"),
        NavigationItem(
            "Councils", "councils.index", "councils.manage", order=89, section="Administration"
        ),
        NavigationItem(
            "Access log", "access_log.index", "access_log.view", order=82, section="Administration"
        ),
        NavigationItem(
            "Plugins", "home.plugins", "plugins.view", order=83, section="Administration"
        ),
        NavigationItem("Clocks", "home.clocks", "clocks.view", order=86, section="Administration"),
        NavigationItem("Outbox", "outbox.index", "mail.view", order=85, section="Administration"),
    ]


CONFERENCE_QUORUM = QuorumRule(frozenset({"childrens_social_care"}), min_other_agencies=2)
ADULT_CONFERENCE_QUORUM = QuorumRule(frozenset({"local_authority"}), min_other_agencies=2)


@hookimpl
def register_meeting_types() -> list[MeetingType]:
    return [
        MeetingType("strategy_discussion", "Strategy discussion"),
        MeetingType(
            "adult_protection_conference",
            "Adult protection conference",
            audience="adult",
            conference=True,
            quorum=ADULT_CONFERENCE_QUORUM,
            report_days_before=3,
        ),
        MeetingType(
            "initial_child_protection_conference",
            "Initial child protection conference",
            audience="child",
            conference=True,
            quorum=CONFERENCE_QUORUM,
            report_days_before=3,
        ),
        MeetingType(
            "review_child_protection_conference",
            "Review child protection conference",
            audience="child",
            conference=True,
            quorum=CONFERENCE_QUORUM,
            report_days_before=5,
        ),
        MeetingType("core_group", "Core group", audience="child"),
        MeetingType("organisational_strategy_meeting", "Organisational strategy meeting"),
    ]


# Police and health add themselves through their plugins (agencies.police, agencies.nhs_trust).
CHILD_MINIMUM = (
    (
        "childrens_social_care",
        "Children's social care: leads the section 47 enquiry",
    ),
)
CHILD_MINIMUM_TYPES = frozenset(
    {
        "strategy_discussion",
        "initial_child_protection_conference",
        "review_child_protection_conference",
    }
)


# Who an organisational strategy meeting about a provider also proposes.
ORGANISATIONAL_PARTNERS = (
    ("commissioning", "Commissions the provider's services: contract monitoring and quality"),
    ("care_regulator", "Regulates the provider: the regulator's local inspection team"),
)


@hookimpl
def invitation_rules(context: InvitationContext) -> list[ProposedInvitee]:
    """Working Together 2023: children's social care at every child strategy discussion
    and conference; the council's adult safeguarding team at adult meetings; the
    referrer at a strategy discussion. (Police and health: their own plugins.)"""
    proposed: list[ProposedInvitee] = []
    if context.is_child and context.meeting_type in CHILD_MINIMUM_TYPES:
        proposed += [ProposedInvitee(reason, agency_type=code) for code, reason in CHILD_MINIMUM]
    if not context.is_child and context.meeting_type in {
        "strategy_discussion",
        "adult_protection_conference",
        "organisational_strategy_meeting",
    }:
        proposed.append(
            ProposedInvitee(
                "Local authority: leads the adult safeguarding enquiry",
                agency_type="local_authority",
            )
        )
    if context.meeting_type in {"organisational_strategy_meeting", "adult_protection_conference"}:
        # at a conference about a person, the provider caring for them; a provider the
        # case implicates is left off every list (core.meetings.operations)
        proposed += [
            ProposedInvitee("Runs the establishment the concerns are about", agency_id=agency_id)
            for agency_id in context.provider_agency_ids
        ]
        # Issue 19, item 6 (and the council's own practice: "good liaison in DACHS between
        # the Safeguarding Team, the Complaints Team and Commissioning", seeds/004, 2.6):
        # a provider's commissioners and its regulator, where the instance has them; an
        # instance without either is not told it lacks them (not the standard list).
        proposed += [
            ProposedInvitee(reason, agency_type=code, standard=False)
            for code, reason in ORGANISATIONAL_PARTNERS
        ]
    if context.meeting_type == "strategy_discussion":
        proposed += [
            ProposedInvitee("Referred the concern", agency_id=agency_id, standard=False)
            for agency_id in context.referrer_agency_ids
        ]
    return proposed


@hookimpl
def case_panels(concern: CaseSummary, user: CurrentUser) -> list[CasePanel]:

    return [agency_forms_panel(concern, user)]
